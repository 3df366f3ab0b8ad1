// The EchoTest simulcast scenarios (echotest-simulcast-scenarios.ts) against janus-ts: our
// plugin standing in as janus.plugin.echotest with control-ts/examples/echotest.ts, the same
// scenarios the native janus.plugin.echotest passes (echotest-simulcast.test.ts).
import { ECHOTEST_APP, tsAppTarget } from '../helpers/ts-janus';
import { echotestSimulcastScenarios } from './echotest-simulcast-scenarios';

echotestSimulcastScenarios('e2e: janus-ts echotest.ts simulcast', tsAppTarget(ECHOTEST_APP, 'janus.plugin.echotest'));
