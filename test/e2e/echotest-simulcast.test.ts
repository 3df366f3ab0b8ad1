// The EchoTest simulcast scenarios against Janus's own janus.plugin.echotest: the
// reference the janus-ts EchoTest will run against once the router switches substreams.
import { Janus } from '../helpers/janus';
import { echotestSimulcastScenarios } from './echotest-simulcast-scenarios';

echotestSimulcastScenarios('e2e: native janus.plugin.echotest simulcast (reference)', {
  package: 'janus.plugin.echotest',
  start: () => Janus.start({ plugins: ['echotest'] }),
});
