// The EchoTest scenarios against Janus's Duktape plugin running the stock echotest.js
// (janus.plugin.echojs): the reference for janus-ts running the same script.
import * as fs from 'node:fs';
import { Janus } from '../helpers/janus';
import { echotestScenarios } from './echotest-scenarios';

const SCRIPT = '/usr/share/janus/duktape/echotest.js';

echotestScenarios('e2e: janus_duktape + echotest.js (reference)', {
  package: 'janus.plugin.echojs',
  pageQuery: '?plugin=duktape',
  keyframeRequest: true,
  recordFolder: '/tmp',
  start: (ctx) => {
    if (!fs.existsSync(SCRIPT)) ctx.skip(); // janus's Duktape samples ship with the Debian package
    return Janus.start({ plugins: ['duktape'], duktapeScript: SCRIPT });
  },
  textEcho: (text) => `[echotest.js] --> ${text}`,
});
