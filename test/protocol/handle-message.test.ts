// handleMessage round trips through the Janus HTTP API: a Janus "message" on a
// janus.plugin.ts handle becomes a handleMessage request on the control socket, and the
// app's answer becomes Janus's reply (synchronous), an ack + a pushEvent event on the
// long poll (asynchronous), or an error reply (app error, timeout, no app).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JanusError, JanusHandle, JanusSession, REPO_ROOT } from '../helpers/janus';
import { ControlJanus, startControlJanus } from './control-janus';
import { Frame, RawClient } from './raw-client';
import { sdp as sdpHelpers } from 'janus-ts';
import { checkValue } from '../control/helpers/schema-check';

const TIMEOUT_MS = 700;

describe('protocol: handleMessage through the Janus API', function () {
  this.timeout(20000);
  let cj: ControlJanus;
  let js: JanusSession;
  let handle: JanusHandle;
  let app: RawClient;
  let sid: number;	// the plugin's session id of `handle`

  before(async () => {
    cj = await startControlJanus({ message_timeout_ms: TIMEOUT_MS });
    app = (await cj.connectApp()).client;
    js = await cj.janus.createSession();
    handle = await js.attach('janus.plugin.ts');
    sid = (await app.waitFor((f) => f.event === 'createSession')).params.id;
  });
  after(async () => {
    await app?.close();
    await js?.destroy();
    await cj?.stop();
  });

  function nextHandleMessage(client = app): Promise<Frame> {
    return client.waitFor((f) => f.method === 'handleMessage');
  }

  async function controlStats(client = app): Promise<any> {
    return (await client.ok('stats')).control;
  }

  it('forwards the message and returns a synchronous reply', async () => {
    const reply = handle.message({ request: 'ping', n: 1 });
    const req = await nextHandleMessage();
    assert.equal(req.params.id, sid);
    assert.deepEqual(req.params.message, { request: 'ping', n: 1 });
    assert.equal(typeof req.params.transaction, 'string');
    assert.ok(req.id! >= 1);
    app.send({ id: req.id, result: { reply: { pong: req.params.message.n + 1 } } });
    const r = await reply;
    assert.equal(r.janus, 'success');
    assert.deepEqual(r.plugindata.data, { pong: 2 });
  });

  it('passes the jsep (a real browser offer) along', async () => {
    const sdp = fs.readFileSync(path.join(REPO_ROOT, 'test/control/fixtures/chromium-offer.sdp'), 'utf8');
    const other = await js.attach('janus.plugin.ts');
    const otherId = (await app.waitFor((f) => f.event === 'createSession')).params.id;
    const reply = other.message({ request: 'offer' }, { type: 'offer', sdp }).catch((e) => e);
    const req = await nextHandleMessage();
    assert.equal(req.params.id, otherId);
    assert.equal(req.params.jsep.type, 'offer');
    assert.match(req.params.jsep.sdp, /m=audio/);
    app.send({ id: req.id, result: { reply: { ok: true } } });
    assert.equal((await reply).janus, 'success');
    // The plugin learnt the session's m-lines from the client's offer...
    const info = await app.ok('sessionInfo', { id: otherId });
    assert.deepEqual(checkValue('SessionInfo', info), []);
    assert.deepEqual(info.streams.map((s: any) => [s.type, s.mid, s.active, s.send, s.recv]),
      [['audio', '0', true, true, true], ['video', '1', true, true, true], ['data', '2', true, true, true]]);
    // ... and from the app's answer pushed through Janus (video received only, no datachannel).
    const answer = sdpHelpers.generateAnswer(sdp, { data: false });
    answer.media[1].direction = 'recvonly';
    assert.equal(await app.ok('pushEvent', { id: otherId, event: { answered: true }, jsep: sdpHelpers.toJsep('answer', answer) }), true);
    const after = await app.ok('sessionInfo', { id: otherId });
    assert.deepEqual(after.streams.map((s: any) => [s.type, s.active, s.send, s.recv]),
      [['audio', true, true, true], ['video', true, true, false], ['data', false, false, false]]);
    await other.detach();
  });

  it('acks an {async: true} answer; the later pushEvent arrives as a Janus event', async () => {
    const sent = handle.send({ request: 'slow' });
    const req = await nextHandleMessage();
    app.send({ id: req.id, result: { async: true } });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await app.ok('pushEvent', {
      id: sid, transaction: req.params.transaction, event: { done: 'yes', echo: req.params.message.request },
    }), true);
    const { data } = await sent;
    assert.deepEqual(data, { done: 'yes', echo: 'slow' });
  });

  it('pushEvent without a transaction reaches the long poll too; to an unknown id it answers false', async () => {
    assert.equal(await app.ok('pushEvent', { id: sid, event: { spontaneous: 1 } }), true);
    const e = await handle.waitEvent('event', 3000, (x) => x.plugindata?.data?.spontaneous === 1);
    assert.equal(e.sender, handle.id);
    // As Lua's pushEvent to a session that went away: nothing to do, no error.
    assert.equal(await app.ok('pushEvent', { id: ((sid ^ 0x5a5a5a5a) >>> 0) || 1, event: {} }), false);
  });

  it('turns an app error response into a Janus error reply carrying the reason', async () => {
    const reply = handle.message({ request: 'bad' });
    const req = await nextHandleMessage();
    app.send({ id: req.id, error: 'AppError', reason: 'room 42 does not exist' });
    await assert.rejects(reply, (e: unknown) => e instanceof JanusError && /room 42 does not exist/.test(e.message));
  });

  it('answers a timeout error after message_timeout_ms, then ignores the late answer', async () => {
    const before = await controlStats();
    const t0 = Date.now();
    const reply = handle.message({ request: 'never' }).catch((e) => e);
    const req = await nextHandleMessage();
    const err = await reply;
    const elapsed = Date.now() - t0;
    assert.ok(err instanceof JanusError, `error reply, got ${JSON.stringify(err)}`);
    assert.match(err.message, new RegExp(`did not answer within ${TIMEOUT_MS} ms`));
    assert.ok(elapsed >= TIMEOUT_MS - 50 && elapsed < TIMEOUT_MS + 1500, `answered after ${elapsed} ms`);
    app.send({ id: req.id, result: { reply: { late: true } } });
    const after = await controlStats();
    assert.equal(after.timeouts, before.timeouts + 1);
    assert.equal(after.unknownResponses, before.unknownResponses + 1, 'the late answer is ignored and counted');
    assert.equal(after.pendingRequests, 0, 'no pending entry left behind');
  });

  it('fails a pending request at once when the app disconnects', async () => {
    const t0 = Date.now();
    const reply = handle.message({ request: 'will-disconnect' }).catch((e) => e);
    await nextHandleMessage();
    await app.close();
    const err = await reply;
    assert.ok(err instanceof JanusError);
    assert.match(err.message, /no control app connected|disconnected/);
    assert.ok(Date.now() - t0 < TIMEOUT_MS, 'failed before the timeout');
    app = (await cj.connectApp()).client;
    assert.equal((await controlStats()).pendingRequests, 0);
  });

  it('answers at once with an error when no app is connected', async () => {
    await app.close();
    const t0 = Date.now();
    const err = await handle.message({ request: 'anyone?' }).catch((e) => e);
    assert.ok(err instanceof JanusError);
    assert.match(err.message, /no control app connected/);
    assert.ok(Date.now() - t0 < 300, `answered in ${Date.now() - t0} ms`);
    app = (await cj.connectApp()).client;
  });

  it('numbers its requests consecutively and routes answers by id, also out of order', async () => {
    const r1 = handle.message({ k: 1 });
    const q1 = await nextHandleMessage();
    const r2 = handle.message({ k: 2 });
    const q2 = await nextHandleMessage();
    assert.equal(q2.id, q1.id! + 1, 'consecutive ids');
    app.send({ id: q2.id, result: { reply: { k: q2.params.message.k } } });
    app.send({ id: q1.id, result: { reply: { k: q1.params.message.k } } });
    assert.deepEqual((await r1).plugindata.data, { k: 1 });
    assert.deepEqual((await r2).plugindata.data, { k: 2 });
  });

  it('refuses an answer that is neither {reply} nor {async}', async () => {
    const reply = handle.message({ request: 'odd' }).catch((e) => e);
    const req = await nextHandleMessage();
    app.send({ id: req.id, result: 42 });
    const err = await reply;
    assert.ok(err instanceof JanusError);
  });

  it('querySession: Admin API handle_info carries the app answer next to the router view', async () => {
    const info = handle.info();
    const req = await app.waitFor((f) => f.method === 'querySession');
    assert.equal(req.params.id, sid);
    app.send({ id: req.id, result: { room: 'lobby', role: 'publisher' } });
    const specific = (await info).plugin_specific;
    assert.deepEqual(specific.app, { room: 'lobby', role: 'publisher' });
    assert.equal(specific.router.id, sid);
  });

  it('handleAdminMessage: Admin API message_plugin gets the app answer', async () => {
    const reply = cj.janus.admin({ janus: 'message_plugin', plugin: 'janus.plugin.ts', request: { list: true } });
    const req = await app.waitFor((f) => f.method === 'handleAdminMessage');
    assert.deepEqual(req.params.message, { list: true });
    app.send({ id: req.id, result: { rooms: [1, 2] } });
    assert.deepEqual((await reply).response, { rooms: [1, 2] });
  });
});
