// The plugin inside the REAL Janus (Debian 1.1.2): it loads with its router, is listed
// in /janus/info under its package (default or jcfg override), handles can be attached,
// queried through the Admin API, and detached; Janus shuts it down cleanly.
// Needs the private network namespace of scripts/test.sh (fixed ports).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_SECRET, Janus, REPO_ROOT, jcfg } from '../helpers/janus';

const ROUTER = path.join(REPO_ROOT, 'router-as', 'build', 'router.wasm');

describe('janus: plugin info, attach, detach (real Janus)', function () {
  this.timeout(30000);
  let janus: Janus | undefined;
  afterEach(async () => {
    await janus?.stop();
    janus = undefined;
  });

  it('is listed under janus.plugin.ts and attach / message / handle_info / detach work', async () => {
    // Our own folder, so the log can be read after stop().
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-info-'));
    janus = await Janus.start({ dir, plugins: ['ts'], tsJcfg: jcfg({ general: { router: ROUTER, max_sessions: 8 } }) });
    const plugin = janus.info.plugins['janus.plugin.ts'];
    assert.ok(plugin, `plugins listed: ${Object.keys(janus.info.plugins)}`);
    assert.equal(plugin.version_string, '0.1.0');
    assert.match(janus.log(), /router .*router\.wasm loaded \(ABI 4, 8 sessions/);

    const session = await janus.createSession();
    try {
      const handle = await session.attach('janus.plugin.ts');
      assert.ok(handle.id > 0);
      // No control app connected: a message is answered at once with a clear error.
      await assert.rejects(handle.message({ request: 'ping' }), /no control app connected/);
      // Admin API handle_info carries the plugin's query_session: the router's view.
      const info = await janus.admin({ janus: 'handle_info', admin_secret: ADMIN_SECRET }, `/${session.id}/${handle.id}`);
      const specific = info.info.plugin_specific;
      assert.equal(specific.router.started, false);
      assert.ok(specific.router.id > 0 && specific.router.id <= 0xffffffff);
      assert.deepEqual(specific.router.valves.audio, { in: false, out: false });
      const detached = await handle.request({ janus: 'detach' });
      assert.equal(detached.janus, 'success');
    } finally {
      await session.destroy();
    }
    await janus.stop();
    assert.equal(await janus.exited(), 0, 'Janus exits cleanly with the plugin loaded');
    assert.match(fs.readFileSync(janus.logFile, 'utf8'), /JANUS TypeScript plugin destroyed/);
    janus = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stands in for another plugin with the jcfg package override', async () => {
    janus = await Janus.start({
      plugins: ['ts'],
      tsJcfg: jcfg({ general: { router: ROUTER, package: 'janus.plugin.echotest', name: 'TS EchoTest' } }),
    });
    assert.equal(janus.info.plugins['janus.plugin.echotest']?.name, 'TS EchoTest');
    assert.equal(janus.info.plugins['janus.plugin.ts'], undefined);
    const session = await janus.createSession();
    try {
      const handle = await session.attach('janus.plugin.echotest');
      assert.equal((await handle.request({ janus: 'detach' })).janus, 'success');
    } finally {
      await session.destroy();
    }
  });

  it('loads with the commented sample jcfg, the router path coming from JANUS_TS_ROUTER', async () => {
    const sample = fs.readFileSync(path.join(REPO_ROOT, 'conf', 'janus.plugin.ts.jcfg'), 'utf8');
    janus = await Janus.start({ plugins: ['ts'], tsJcfg: sample, env: { JANUS_TS_ROUTER: ROUTER } });
    assert.equal(janus.info.plugins['janus.plugin.ts']?.name, 'JANUS TypeScript plugin');
    assert.match(janus.log(), /router .*router\.wasm loaded \(ABI 4, 1024 sessions, 64 routes each, 1032 thread contexts, 256 forwarders\)/);
  });

  it('does not start with a router of the wrong path, and says why', async () => {
    janus = await Janus.start({ plugins: ['ts'], tsJcfg: jcfg({ general: { router: '/nonexistent/router.wasm' } }) });
    assert.equal(janus.info.plugins['janus.plugin.ts'], undefined);
    assert.match(janus.log(), /cannot read router \/nonexistent\/router\.wasm/);
  });
});
