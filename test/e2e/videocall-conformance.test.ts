// Protocol conformance of control-ts/examples/videocall.ts with Janus's own janus_videocall:
// both run in one Janus, the native plugin as janus.plugin.videocall and ours under another
// package name (janus.plugin.videocall.ts — one Janus cannot load two plugins with the same
// package). Every script of videocall-scripts.ts runs against each; the per-user records
// of what the clients received (event names, error codes and texts, reasons, usernames,
// the type of every other value, jsep types) must be equal.
import assert from 'node:assert/strict';
import { TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { PluginScript, UserRecord } from '../helpers/plugin-script';
import { VIDEOCALL_SCRIPTS } from './videocall-scripts';

const VIDEOCALL_APP = exampleApp('videocall');
const NATIVE = 'janus.plugin.videocall';
const OURS = 'janus.plugin.videocall.ts';

describe('e2e: VideoCall protocol, videocall.ts against janus_videocall', function () {
  this.timeout(60000);
  let ts: TsJanus | undefined;

  before(async function () {
    skipUnlessBuilt(this, VIDEOCALL_APP);
    ts = await TsJanus.start({ app: VIDEOCALL_APP, package: OURS, plugins: ['videocall'] });
  });
  after(async () => {
    await ts?.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && ts) console.log(`Janus log tail:\n${ts.janus.logTail(40)}`);
  });

  async function run(pkg: string, script: (s: PluginScript) => Promise<void>): Promise<Record<string, UserRecord>> {
    const s = new PluginScript(ts!.janus, pkg);
    try {
      await script(s);
      return await s.record();
    } finally {
      await s.close();
    }
  }

  for (const [name, script] of Object.entries(VIDEOCALL_SCRIPTS)) {
    it(name, async () => {
      const native = await run(NATIVE, script);
      const ours = await run(OURS, script);
      if (process.env.JANUS_TS_DUMP) console.log(JSON.stringify({ native, ours }, null, 1));
      assert.deepEqual(ours, native);
    });
  }
});
