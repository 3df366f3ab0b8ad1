// The EchoTest scenarios against Janus's Lua plugin running the stock echotest.lua
// (janus.plugin.echolua): the design's predecessor, a second reference for the
// Lua-semantics behaviour our plugin keeps (valves, keyframe, data callbacks).
import * as fs from 'node:fs';
import { Janus } from '../helpers/janus';
import { echotestScenarios } from './echotest-scenarios';

const SCRIPT = '/usr/share/janus/lua/echotest.lua';

echotestScenarios('e2e: janus_lua + echotest.lua (reference)', {
  package: 'janus.plugin.echolua',
  pageQuery: '?plugin=lua',
  keyframeRequest: true,
  recordFolder: '/tmp',
  start: (ctx) => {
    if (!fs.existsSync(SCRIPT)) ctx.skip(); // janus's Lua samples ship with the Debian package
    return Janus.start({ plugins: ['lua'], luaScript: SCRIPT });
  },
  textEcho: (text) => `[echotest.lua] --> ${text}`,
});
