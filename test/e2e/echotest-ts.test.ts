// The EchoTest scenarios against our plugin: libjanus_ts.so standing in as
// janus.plugin.echotest, routing with router.wasm, driven by control-ts/examples/echotest.ts
// over the control socket — once supervised by the plugin (app_command), once run as a
// separate `janus-ts run` process.
import { EchoTarget, echotestScenarios } from './echotest-scenarios';
import { ECHOTEST_APP, TsJanus, missingTsPieces } from '../helpers/ts-janus';

function tsTarget(supervised: boolean): EchoTarget {
  let ts: TsJanus | undefined;
  return {
    package: 'janus.plugin.echotest',
    textEcho: (text) => `Janus EchoTest here! You wrote: ${text}`,
    echoesFirstText: true,
    keyframeRequest: true,
    async start(ctx) {
      const missing = missingTsPieces(ECHOTEST_APP);
      if (missing.length) {
        console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
        ctx.skip();
      }
      ts = await TsJanus.start({ app: ECHOTEST_APP, package: 'janus.plugin.echotest', supervised });
      return ts.janus;
    },
    async cleanup() {
      await ts?.stop();
    },
  };
}

echotestScenarios('e2e: janus-ts plugin + echotest.ts (supervised by app_command)', tsTarget(true));
echotestScenarios('e2e: janus-ts plugin + echotest.ts (app run separately)', tsTarget(false));
