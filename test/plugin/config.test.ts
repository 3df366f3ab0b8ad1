// janus.plugin.ts.jcfg handling: limits reach the router, a value that cannot work is
// logged with a line naming the key and answered to every request, a missing router
// path stops the plugin.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: jcfg (fake core)', function () {
  it('passes max_sessions / max_routes / max_forwarders to router configure()', async () => {
    const run = await runCore(['init', 'stats', 'destroy'], { jcfg: { max_sessions: 3, max_routes: 5, max_forwarders: 7 } });
    assert.equal(run.of('init')[0].rc, 0);
    assert.match(run.log, /loaded \(ABI 4, 3 sessions, 5 routes each, 11 thread contexts, 7 forwarders\)/);
  });

  it('limits the routes of one sender to max_routes', async () => {
    const run = await runCore(['init', 'attach A', 'attach B', 'route A 0 B 0', 'route A 1 B 1', 'route A 2 B 2', 'destroy'],
      { jcfg: { max_routes: 2 } });
    assert.deepEqual(run.of('route').map((e) => e.result), ['OK', 'OK', 'Full']);
  });

  // A value that cannot work: the plugin still loads (so it stays in Janus's /info),
  // logs a line naming the key, opens no control socket, and answers every request
  // with that line, so a client sees the real cause.
  const bad: [string, string | number, RegExp][] = [
    ['max_sessions', 0, /max_sessions = "0" is not a number in \[1, /],
    ['max_routes', 'lots', /max_routes = "lots" is not a number in/],
    ['message_timeout_ms', -5, /message_timeout_ms = "-5" is not a number in/],
    ['max_sessions', 70000, /max_sessions = "70000" is not a number in/],
    ['max_forwarders', 70000, /max_forwarders = "70000" is not a number in \[0, 65535\]/],
    ['control_socket_mode', '0689', /control_socket_mode = "0689" is not an octal file mode .*"0660"/],
    ['app_config', '/nonexistent/app.json', /app_config = "\/nonexistent\/app\.json" cannot be read \(No such file or directory\)/],
  ];
  for (const [key, value, line] of bad) {
    it(`${key} = ${value}: a log line naming the key, no control socket, requests answered with the line`, async () => {
      const run = await runCore(['init', 'attach A', 'msg A {"request":"x"}', 'destroy'],
        { jcfg: { [key]: value, control_socket: '/tmp/janus-ts-config-test-never.sock', app_command: 'exit 0' } });
      assert.equal(run.of('init')[0].rc, 0);
      assert.match(run.log, line);
      assert.match(run.log, /no control socket opened because of the invalid janus\.plugin\.ts\.jcfg values above/);
      assert.match(run.log, /app_command not started: invalid janus\.plugin\.ts\.jcfg values/);
      assert.doesNotMatch(run.log, /janus-ts app: started/);
      const msg = run.of('msg')[0];
      assert.equal(msg.type, -1, 'JANUS_PLUGIN_ERROR');
      assert.match(msg.text, /^janus-ts: not available: janus\.plugin\.ts\.jcfg: /);
      assert.match(msg.text, line);
    });
  }

  it('an app_config that is not a path is handed over as is (not checked)', async () => {
    const run = await runCore(['init', 'destroy'], { jcfg: { app_config: '{"rooms": 3}' } });
    assert.equal(run.of('init')[0].rc, 0);
    assert.doesNotMatch(run.log, /app_config/);
  });

  it('does not start without a readable router', async () => {
    const run = await runCore(['init', 'attach A', 'destroy'], { jcfg: { router: '/nonexistent.wasm' } });
    assert.ok(run.of('init')[0].rc < 0);
    assert.match(run.log, /cannot read router \/nonexistent\.wasm/);
    assert.notEqual(run.of('attach')[0].error, 0);
  });
});
