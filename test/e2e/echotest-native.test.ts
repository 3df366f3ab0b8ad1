// The EchoTest scenarios against Janus's own janus.plugin.echotest: the reference the
// scenarios (and the test helpers) are proven on.
import { Janus } from '../helpers/janus';
import { echotestScenarios } from './echotest-scenarios';

echotestScenarios('e2e: native janus.plugin.echotest (reference)', {
  package: 'janus.plugin.echotest',
  start: () => Janus.start({ plugins: ['echotest'] }),
  textEcho: (text) => `Janus EchoTest here! You wrote: ${text}`,
  echoesFirstText: true,
});
