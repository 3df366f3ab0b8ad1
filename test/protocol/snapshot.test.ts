// Resync through the hello snapshot: sessions created over the Janus HTTP API, valves
// and routes set over the socket, then a disconnect and a reconnect (and a session
// created while no app is connected) — the new hello shows it all.
import assert from 'node:assert/strict';
import { JanusSession } from '../helpers/janus';
import { ControlJanus, startControlJanus, TOKEN } from './control-janus';
import { RawClient } from './raw-client';

describe('protocol: reconnect with the sessions snapshot', function () {
  this.timeout(20000);
  let cj: ControlJanus;
  let js: JanusSession;

  before(async () => {
    cj = await startControlJanus();
    js = await cj.janus.createSession();
  });
  after(async () => {
    await js?.destroy();
    await cj?.stop();
  });

  /** Attaches a janus.plugin.ts handle and returns the plugin session id the app was told. */
  async function attach(app: RawClient): Promise<{ id: number; handle: Awaited<ReturnType<JanusSession['attach']>> }> {
    const handle = await js.attach('janus.plugin.ts');
    const n = await app.waitFor((f) => f.event === 'createSession');
    assert.equal(typeof n.params.id, 'number');
    assert.ok(n.params.id > 0);
    return { id: n.params.id, handle };
  }

  it('shows sessions, valves and routes after a reconnect, and sessions created while disconnected', async () => {
    let { client: app } = await cj.connectApp();
    const a = await attach(app);
    const b = await attach(app);
    assert.notEqual(a.id, b.id);

    assert.equal(await app.ok('configureMedium', { id: a.id, medium: 'audio', direction: 'in', enabled: true }), true);
    assert.equal(await app.ok('configureMedium', { id: a.id, medium: 'video', direction: 'out', enabled: true }), true);
    assert.equal(await app.ok('addRoute', { id: a.id, mindex: 0, recipient: b.id, recipientMindex: 1 }), true);
    // No SDP seen yet: the every-stream route is made, its streams resolve once they are known.
    assert.deepEqual(await app.ok('addRecipient', { id: b.id, recipient: a.id }), { added: true, pending: true, streams: [] });
    assert.deepEqual(await app.ok('addRecipient', { id: b.id, recipient: a.id }), { added: false, pending: true, streams: [] });
    const dup = await app.call('addRoute', { id: a.id, mindex: 0, recipient: b.id, recipientMindex: 1 });
    assert.equal(dup.error, 'Duplicate');
    assert.match(dup.reason!, new RegExp(`route ${a.id}:0 -> ${b.id}:1`));
    // Removing a route that is not there: nothing to do (Lua's removeRecipient returned quietly).
    assert.equal(await app.ok('removeRoute', { id: a.id, mindex: 3, recipient: b.id, recipientMindex: 3 }), false);

    const info = await app.ok('sessionInfo', { id: a.id });
    assert.equal(info.id, a.id);
    assert.equal(info.valves.audio.in, true);

    await app.close();
    // Media state is kept while no app is connected; a session created meanwhile is
    // not announced (no app) but shows up in the next snapshot.
    const c = await js.attach('janus.plugin.ts');

    const again = await cj.connectApp();
    app = again.client;
    const byId = new Map<number, any>(again.hello.sessions.map((s: any) => [s.id, s]));
    assert.ok(byId.has(a.id) && byId.has(b.id), `snapshot has ${a.id} and ${b.id}: ${JSON.stringify(again.hello.sessions)}`);
    assert.equal(again.hello.sessions.length, 3, 'the session attached while disconnected is in the snapshot');
    const sa = byId.get(a.id);
    assert.deepEqual(sa.valves.audio, { in: true, out: false });
    assert.deepEqual(sa.valves.video, { in: false, out: true });
    assert.deepEqual(sa.valves.data, { in: false, out: false });
    assert.deepEqual(sa.routes, [{ mindex: 0, recipient: b.id, recipientMindex: 1 }]);
    const sb = byId.get(b.id);
    assert.deepEqual(sb.routes, [{ mindex: 255, recipient: a.id, recipientMindex: 255 }]);
    for (const s of again.hello.sessions) {
      assert.equal(typeof s.started, 'boolean');
      assert.equal(typeof s.dataReady, 'boolean');
      assert.ok(Array.isArray(s.routes));
    }

    // The resynced app carries on: remove the route, detach a handle.
    assert.equal(await app.ok('removeRoute', { id: a.id, mindex: 0, recipient: b.id, recipientMindex: 1 }), true);
    assert.deepEqual((await app.ok('sessionInfo', { id: a.id })).routes, []);
    await b.handle.detach();
    const gone = await app.waitFor((f) => f.event === 'destroySession');
    assert.equal(gone.params.id, b.id);
    await a.handle.detach();
    await c.detach();
    await app.close();
  });
});

describe('protocol: a snapshot larger than control_max_frame', function () {
  this.timeout(20000);
  let cj: ControlJanus;
  let js: JanusSession;

  before(async () => {
    cj = await startControlJanus({ control_max_frame: 1500 });
    js = await cj.janus.createSession();
  });
  after(async () => {
    await js?.destroy();
    await cj?.stop();
  });

  it('leaves out the per-session stats first, then refuses with Full and a reason naming the setting', async () => {
    let { client: app, hello } = await cj.connectApp();
    const attach = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await js.attach('janus.plugin.ts');
        await app.waitFor((f) => f.event === 'createSession');
      }
    };
    await attach(1);
    await app.close();
    ({ client: app, hello } = await cj.connectApp());
    assert.equal(hello.sessions.length, 1);
    assert.ok(hello.sessions[0].stats, 'one session fits with its stats');
    const full = JSON.stringify(hello.sessions[0]).length + 1;
    const { stats, ...rest } = hello.sessions[0];
    const trimmed = JSON.stringify(rest).length + 1;
    const overhead = JSON.stringify({ id: 1, result: { ...hello, sessions: [] } }).length;
    assert.ok(overhead + 3 * full > 1500 && overhead + 3 * trimmed < 1450, `sizes: ${overhead} + 3 × ${full} / ${trimmed}`);

    await attach(2);
    await app.close();
    ({ client: app, hello } = await cj.connectApp());
    assert.equal(hello.sessions.length, 3);
    assert.ok(hello.sessions.every((s: any) => s.stats === undefined && Array.isArray(s.routes)), 'stats left out');

    await attach(9);
    await app.close();
    const refused = await RawClient.connect(cj.socket);
    const h = await refused.hello({ token: TOKEN });
    assert.equal(h.error, 'Full');
    assert.match(h.reason!, /12 sessions is larger than control_max_frame \(1500\)/);
    assert.ok(await refused.closesWithin(3000), 'closed after the refusal');
  });
});
