// janus.plugin.ts.jcfg handling: limits reach the router, bad values are refused with a
// line naming the key, a missing router path stops the plugin.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: jcfg (fake core)', function () {
  it('passes max_sessions / max_routes to router configure()', async () => {
    const run = await runCore(['init', 'stats', 'destroy'], { jcfg: { max_sessions: 3, max_routes: 5 } });
    assert.equal(run.of('init')[0].rc, 0);
    assert.match(run.log, /loaded \(ABI 2, 3 sessions, 5 routes each\)/);
  });

  it('limits the routes of one sender to max_routes', async () => {
    const run = await runCore(['init', 'attach A', 'attach B', 'route A 0 B 0', 'route A 1 B 1', 'route A 2 B 2', 'destroy'],
      { jcfg: { max_routes: 2 } });
    assert.deepEqual(run.of('route').map((e) => e.result), ['OK', 'OK', 'Full']);
  });

  for (const [key, value] of [['max_sessions', 0], ['max_routes', 'lots'], ['message_timeout_ms', -5], ['max_sessions', 70000], ['control_socket_mode', '0689']] as const) {
    it(`refuses ${key} = ${value} with a line naming the key`, async () => {
      const run = await runCore(['init', 'destroy'], { jcfg: { [key]: value } });
      assert.ok(run.of('init')[0].rc < 0);
      assert.match(run.log, new RegExp(`${key} = "${value}" is not a number in`));
    });
  }

  it('does not start without a readable router', async () => {
    const run = await runCore(['init', 'attach A', 'destroy'], { jcfg: { router: '/nonexistent.wasm' } });
    assert.ok(run.of('init')[0].rc < 0);
    assert.match(run.log, /cannot read router \/nonexistent\.wasm/);
    assert.notEqual(run.of('attach')[0].error, 0);
  });
});
