// Sessions through their lifecycle: ids, limits, hangup reset, detach, reference counts,
// and the Janus requests that need the control app when none is connected.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: session lifecycle (fake core, real router)', function () {
  it('gives every session a distinct random non-zero uint32 id and reports package/name from the jcfg', async () => {
    const run = await runCore(['init', 'attach A', 'attach B', 'attach C', 'destroy'],
      { jcfg: { package: 'janus.plugin.echotest', name: 'TS echo' } });
    assert.deepEqual([run.of('init')[0].package, run.of('init')[0].name], ['janus.plugin.echotest', 'TS echo']);
    const ids = run.of('attach').map((e) => e.id);
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) assert.ok(Number.isInteger(id) && id > 0 && id <= 0xffffffff, `id ${id}`);
  });

  it('refuses a session beyond max_sessions and accepts one again after a detach', async () => {
    const run = await runCore(['init', 'attach A', 'attach B', 'attach C', 'detach A', 'attach D', 'destroy'],
      { jcfg: { max_sessions: 2 } });
    assert.deepEqual(run.of('attach').map((e) => [e.h, e.error === 0]), [['A', true], ['B', true], ['C', false], ['D', true]]);
  });

  it('hangup resets valves, routes and started, as the Lua plugin does', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'attach B', 'setup B', 'valve A audio out 1', 'valve B audio in 1',
      'route A 255 B 255', 'route B 255 A 255', 'bitrate A 100000', 'hangup A', 'info A', 'info B',
      'rtp A 0 0 1 1 1 30', 'destroy']);
    const a = run.of('info')[0].info;
    assert.equal(a.started, false);
    assert.deepEqual(a.valves.audio, { in: false, out: false });
    assert.deepEqual(a.routes, []);
    assert.equal(a.bitrate, 0);
    assert.deepEqual(run.of('info')[1].info.routes, [], 'routes to the hung-up session are gone too');
    assert.equal(run.of('relay_rtp').length, 0);
  });

  it('stops relaying to a detached session, forgets its id, and frees its handle once', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'attach B', 'setup B', 'valve A audio out 1', 'valve B audio in 1',
      'route A 255 B 255', 'rtp A 0 0 1 1 1 30', 'detach B', 'rtp A 0 0 2 2 1 30', 'info A', 'valve B audio in 1',
      'detach A', 'stats', 'destroy']);
    assert.deepEqual(run.of('relay_rtp').map((e) => [e.h, e.seq]), [['B', 1]]);
    assert.deepEqual(run.of('info')[0].info.routes, []);
    assert.deepEqual(run.of('valve').map((e) => e.result), ['OK', 'OK', 'UnknownSession']);
    assert.deepEqual(run.of('handle_freed').map((e) => e.h), ['B', 'A'], 'the plugin released its handle references');
    assert.equal(run.of('stats')[0].stats.sessions, 0);
  });

  it('answers Janus requests with a clear error when no control app is connected', async () => {
    const run = await runCore(['init', 'attach A', 'msg A {"request":"x"}', 'query A', 'admin {"a":1}', 'destroy']);
    const msg = run.of('msg')[0];
    assert.equal(msg.type, -1);	// JANUS_PLUGIN_ERROR
    assert.match(msg.text, /no control app connected/);
    const q = run.of('query')[0].query;
    assert.equal(q.router.id, run.of('attach')[0].id, 'query_session carries the router state');
    assert.match(q.app.error, /no control app/);
    assert.match(run.of('admin')[0].response.error, /no control app/);
  });

  it('checks route arguments: unknown sessions, duplicates, mismatched every-stream indexes', async () => {
    const run = await runCore(['init', 'attach A', 'attach B', 'route A 0 B 0', 'route A 0 B 0', 'route A 255 B 3',
      'route A 0 Z 0', 'unroute A 1 B 1', 'unroute A 0 B 0', 'destroy']);
    assert.deepEqual(run.of('route').map((e) => e.result), ['OK', 'Duplicate', 'BadArguments', 'UnknownSession']);
    assert.deepEqual(run.of('unroute').map((e) => e.result), ['NotFound', 'OK']);
  });
});
