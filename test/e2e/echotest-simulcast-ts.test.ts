// The EchoTest simulcast scenarios (echotest-simulcast-scenarios.ts) against janus-ts: our
// plugin standing in as janus.plugin.echotest with control-ts/examples/echotest.ts, the same
// scenarios the native janus.plugin.echotest passes (echotest-simulcast.test.ts).
import { ECHOTEST_APP, TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { echotestSimulcastScenarios } from './echotest-simulcast-scenarios';

let ts: TsJanus | undefined;
echotestSimulcastScenarios('e2e: janus-ts echotest.ts simulcast', {
  package: 'janus.plugin.echotest',
  async start(ctx) {
    const missing = missingTsPieces(ECHOTEST_APP);
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); ctx.skip(); }
    ts = await TsJanus.start({ app: ECHOTEST_APP, package: 'janus.plugin.echotest' });
    return ts.janus;
  },
  async cleanup() { await ts?.stop(); },
});
