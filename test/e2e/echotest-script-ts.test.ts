// The EchoTest scenarios against janus-ts running Janus's own sample scripts unchanged:
// Debian's /usr/share/janus/lua/echotest.lua (janus_lua's script) and
// /usr/share/janus/duktape/echotest.js (janus_duktape's), each served as
// janus.plugin.echotest by libjanus_ts.so, the script run by `janus-ts run` (Lua 5.4 in
// WebAssembly / a Node vm context) under the plugin's app_command. The same scenarios run
// against janus_lua and janus_duktape with the same scripts (echotest-lua.test.ts,
// echotest-duktape.test.ts).
import * as fs from 'node:fs';
import { EchoTarget, echotestScenarios } from './echotest-scenarios';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { REPO_ROOT } from '../helpers/janus';
import * as path from 'node:path';

export const LUA_ECHOTEST = '/usr/share/janus/lua/echotest.lua';
export const DUKTAPE_ECHOTEST = '/usr/share/janus/duktape/echotest.js';

/** echotest.lua with its handleMessage ported to TypeScript (the rest still Lua). */
const HALF_PORTED = path.join(REPO_ROOT, 'control-ts/dist/examples/echotest-from-lua.js');

function scriptTarget(script: string, name: string): EchoTarget {
  let ts: TsJanus | undefined;
  return {
    package: 'janus.plugin.echotest',
    textEcho: (text) => `[${name}] --> ${text}`,
    keyframeRequest: true,
    recordFolder: '/tmp', // the scripts record under /tmp with the filename given
    async start(ctx) {
      const missing = missingTsPieces();
      if (missing.length || !fs.existsSync(script) || !fs.existsSync(LUA_ECHOTEST)) {
        console.log(`    (skipped: missing ${[...missing, script, LUA_ECHOTEST].join(', ')})`);
        ctx.skip();
      }
      ts = await TsJanus.start({ app: script, package: 'janus.plugin.echotest' });
      return ts.janus;
    },
    async cleanup() {
      await ts?.stop();
    },
  };
}

echotestScenarios('e2e: janus-ts plugin + Debian echotest.lua, unchanged', scriptTarget(LUA_ECHOTEST, 'echotest.lua'));
echotestScenarios('e2e: janus-ts plugin + Debian Duktape echotest.js, unchanged', scriptTarget(DUKTAPE_ECHOTEST, 'echotest.js'));
echotestScenarios('e2e: janus-ts plugin + echotest.lua with handleMessage ported to TypeScript (examples/echotest-from-lua.ts)',
  scriptTarget(HALF_PORTED, 'echotest.lua'));
