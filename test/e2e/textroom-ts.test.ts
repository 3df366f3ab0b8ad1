// The TextRoom app (control-ts/examples/textroom.ts) end to end: real Janus with our plugin
// standing in as janus.plugin.textroom, three werift clients with data channels: join,
// public and private messages (to / tos), announcements, leave, and errors with the native
// codes — over the data channel and over the Janus API.
import * as assert from 'node:assert/strict';
import type { JanusSession } from '../helpers/janus-api';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { TEXTROOM_APP, request, textroomClient, type TextroomClient as Client } from './room-clients';

const PKG = 'janus.plugin.textroom';

describe('e2e: TextRoom app (three werift data channel clients)', function () {
  this.timeout(60000);
  let ts: TsJanus;
  let session: JanusSession;
  let alice: Client, bob: Client, carol: Client;

  before(async function () {
    const missing = missingTsPieces(TEXTROOM_APP);
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
    ts = await TsJanus.start({ app: TEXTROOM_APP, package: PKG });
    session = await ts.janus.createSession();
    [alice, bob, carol] = [await textroomClient(session, PKG, 'alice'), await textroomClient(session, PKG, 'bob'), await textroomClient(session, PKG, 'carol')];
  });

  after(async () => {
    for (const c of [alice, bob, carol]) await c?.peer.close().catch(() => undefined);
    await session?.destroy();
    await ts?.stop();
  });

  it('join room 1234: each gets the others in the reply and a join event per newcomer', async () => {
    const a = await request(alice, { textroom: 'join', room: 1234, username: 'alice', display: 'Alice' });
    assert.deepEqual(a, { textroom: 'success', participants: [], transaction: a.transaction });
    const b = await request(bob, { textroom: 'join', room: 1234, username: 'bob' });
    assert.deepEqual(b.participants, [{ username: 'alice', display: 'Alice' }]);
    await alice.peer.waitJson((m) => m.textroom === 'join' && m.username === 'bob');
    const c = await request(carol, { textroom: 'join', room: 1234, username: 'carol', display: 'Carol' });
    assert.deepEqual(c.participants.map((p: any) => p.username).sort(), ['alice', 'bob']);
    await bob.peer.waitJson((m) => m.textroom === 'join' && m.username === 'carol' && m.display === 'Carol');
  });

  it('a public message reaches everyone, a private one only its recipients', async () => {
    const marks = [alice, bob, carol].map((c) => c.peer.messages.length);
    const ack = await request(alice, { textroom: 'message', room: 1234, text: 'hello all' });
    assert.equal(ack.textroom, 'success');
    for (const c of [alice, bob, carol]) {
      const m = await c.peer.waitJson((x) => x.textroom === 'message' && x.text === 'hello all');
      assert.equal(m.from, 'alice');
      assert.equal(m.room, 1234);
      assert.match(m.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
      assert.equal(m.whisper, undefined);
    }
    const w = await request(bob, { textroom: 'message', room: 1234, to: 'carol', text: 'psst' });
    assert.deepEqual(w.sent, { carol: true });
    const got = await carol.peer.waitJson((x) => x.text === 'psst');
    assert.equal(got.whisper, true);
    const tos = await request(carol, { textroom: 'message', room: 1234, tos: ['alice', 'nobody'], text: 'two' });
    assert.deepEqual(tos.sent, { alice: true, nobody: false });
    await alice.peer.waitJson((x) => x.text === 'two' && x.whisper === true);
    // Give stray deliveries time to arrive, then check nobody else got the whispers.
    await request(alice, { textroom: 'message', room: 1234, text: 'fence', ack: true });
    for (const c of [alice, bob, carol]) await c.peer.waitJson((x) => x.text === 'fence');
    const texts = (c: Client, i: number) => c.peer.messages.slice(marks[i]).map((m) => JSON.parse(m).text).filter(Boolean);
    assert.ok(!texts(alice, 0).includes('psst') && !texts(bob, 1).includes('psst'));
    assert.ok(!texts(bob, 1).includes('two') && !texts(carol, 2).includes('two'));
  });

  it('announcements need the secret; errors carry the native codes', async () => {
    const bad = await request(alice, { textroom: 'announcement', room: 1234, secret: 'wrong', text: 'x' });
    assert.deepEqual([bad.textroom, bad.error_code, bad.error], ['error', 419, 'Unauthorized (wrong secret)']);
    await request(alice, { textroom: 'announcement', room: 1234, secret: 'adminpwd', text: 'news' });
    await carol.peer.waitJson((m) => m.textroom === 'announcement' && m.text === 'news' && m.from === undefined);
    const codes = [
      await request(alice, { textroom: 'join', room: 9999, username: 'x' }),
      await request(alice, { textroom: 'join', room: 1234, username: 'alice2' }),
      await request(bob, { textroom: 'message', room: 1234 }),
      await request(bob, { textroom: 'message', room: 1234, text: 'x', to: 'a', tos: ['b'] }),
      await request(bob, { textroom: 'nope' }),
    ].map((r) => r.error_code);
    assert.deepEqual(codes, [417, 421, 413, 414, 415]);
    const dup = await textroomClient(session, PKG, 'dup');
    assert.equal((await request(dup, { textroom: 'join', room: 1234, username: 'bob' })).error_code, 420);
    await dup.peer.close();
  });

  it('room management over the Janus API: create, exists, list (private hidden), listparticipants, kick', async () => {
    const h = await session.attach(PKG);
    const created = await h.send({ request: 'create', room: 4321, is_private: true, secret: 'k' });
    assert.deepEqual(created.data, { textroom: 'created', room: 4321, permanent: false });
    assert.equal((await h.send({ request: 'exists', room: 4321 })).data.exists, true);
    const { data } = await h.send({ request: 'list' });
    assert.deepEqual(data.list.map((r: any) => r.room), [1234]);
    const parts = (await h.send({ request: 'listparticipants', room: 1234 })).data.participants.map((p: any) => p.username).sort();
    assert.deepEqual(parts, ['alice', 'bob', 'carol']);
    const k = await h.send({ request: 'kick', room: 1234, secret: 'adminpwd', username: 'carol' });
    assert.equal(k.data.textroom, 'success');
    await alice.peer.waitJson((m) => m.textroom === 'kicked' && m.username === 'carol');
    await h.detach();
  });

  it('a room with history gives a joiner the last messages first', async () => {
    const h = await session.attach(PKG);
    await h.send({ request: 'create', room: 2468, history: 2 });
    await request(alice, { textroom: 'join', room: 2468, username: 'alice', display: 'Alice' });
    for (const text of ['h1', 'h2', 'h3']) await request(alice, { textroom: 'message', room: 2468, text });
    const from = bob.peer.messages.length;
    await request(bob, { textroom: 'join', room: 2468, username: 'bob' });
    const got = bob.peer.messages.slice(from).map((m) => JSON.parse(m)).filter((m) => m.room === 2468);
    assert.deepEqual(got.map((m) => m.text ?? m.textroom), ['h2', 'h3', 'join']);
    assert.equal(got[0].display, 'Alice');
    await h.detach();
  });

  it('leave and hangup: the others get leave events, the room empties', async () => {
    assert.equal((await request(carol, { textroom: 'join', room: 1234, username: 'carol' })).textroom, 'success');
    assert.equal((await request(bob, { textroom: 'leave', room: 1234 })).textroom, 'success');
    await alice.peer.waitJson((m) => m.textroom === 'leave' && m.username === 'bob');
    const from = carol.peer.messages.length;
    await alice.handle.hangup();
    await carol.peer.waitJson((m) => m.textroom === 'leave' && m.username === 'alice', 5000, from);
    const h = await session.attach(PKG);
    assert.deepEqual((await h.send({ request: 'listparticipants', room: 1234 })).data.participants, [{ username: 'carol' }]);
  });
});
