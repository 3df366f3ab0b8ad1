// The VideoRoom app (control-ts/examples/videoroom.ts) end to end: real Janus with our plugin
// standing in as janus.plugin.videoroom, werift publishers and subscribers inside the
// network namespace, media checked packet by packet (payload tags), routes checked through
// the Admin API (the router's own table) and the router's counters. One Janus for the block.
import * as assert from 'node:assert/strict';
import { JanusError, type JanusSession } from '../helpers/janus-api';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { VIDEOROOM_APP, publish, routerView, sleep, subscribe, type PublisherClient, type SubscriberClient } from './videoroom-helpers';

const PKG = 'janus.plugin.videoroom';

describe('e2e: VideoRoom app (werift publishers and subscribers)', function () {
  this.timeout(60000);
  let ts: TsJanus;
  let session: JanusSession;
  const closers: (() => Promise<unknown>)[] = [];

  before(async function () {
    const missing = missingTsPieces(VIDEOROOM_APP);
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
    ts = await TsJanus.start({ app: VIDEOROOM_APP, package: PKG });
    session = await ts.janus.createSession();
  });

  after(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await session?.destroy();
    await ts?.stop();
  });

  async function rejects(p: Promise<unknown>, code: number): Promise<void> {
    const err = await p.then(() => null, (e) => e);
    assert.ok(err instanceof JanusError, `expected error ${code}, got ${err ? err : 'success'}`);
    assert.equal(err.code, code, err.message);
  }

  it('room 1234 exists by default; list hides private rooms and never shows secrets or pins', async () => {
    const h = await session.attach(PKG);
    assert.equal((await h.send({ request: 'exists', room: 1234 })).data.exists, true);
    await h.send({ request: 'create', room: 777, is_private: true, secret: 's3cret', pin: 'p1n' });
    const { data } = await h.send({ request: 'list' });
    const ids = data.list.map((r: any) => r.room);
    assert.ok(ids.includes(1234) && !ids.includes(777), JSON.stringify(ids));
    assert.ok(!JSON.stringify(data).includes('adminpwd') && !JSON.stringify(data).includes('s3cret'));
    assert.equal(data.list.find((r: any) => r.room === 1234).pin_required, false);
    await h.detach();
  });

  it('wrong pins and secrets, unknown rooms and feeds get the native error codes', async () => {
    const h = await session.attach(PKG);
    await rejects(h.send({ request: 'destroy', room: 777, secret: 'nope' }), 433);
    await rejects(h.send({ request: 'destroy', room: 777 }), 429);
    await rejects(h.send({ request: 'exists' }), 429);
    await rejects(h.send({ request: 'exists', room: 'x' }), 430);
    await rejects(h.send({ request: 'create', room: 777 }), 427);
    await rejects(h.send({ request: 'join', room: 4242, ptype: 'publisher' }), 426);
    await rejects(h.send({ request: 'join', room: 777, ptype: 'publisher', pin: 'bad' }), 433);
    await rejects(h.send({ request: 'join', room: 1234, ptype: 'subscriber', streams: [{ feed: 99 }] }), 428);
    await rejects(h.send({ request: 'configure' }), 424);
    await rejects(h.send({ request: 'frobnicate' }), 423);
    await h.send({ request: 'join', room: 777, ptype: 'publisher', pin: 'p1n', display: 'x' });
    await rejects(h.send({ request: 'join', room: 777, ptype: 'publisher', pin: 'p1n' }), 425);
    await rejects(h.send({ request: 'unpublish' }), 435);
    await h.detach();
  });

  describe('one room, publishers A and B, subscribers S1 (A), S2 (A video), S3 (A + B on one PeerConnection)', () => {
    let A: PublisherClient, B: PublisherClient;
    let S1: SubscriberClient, S2: SubscriberClient, S3: SubscriberClient;
    const room = 1234;

    /** mid of S's stream fed by (feed, kind). */
    const midOf = (S: SubscriberClient, feed: number, kind: string) =>
      S.streams.find((s: any) => s.feed_id === feed && s.type === kind).mid as string;

    before(async () => {
      A = await publish(session, PKG, room, 'alice');
      closers.push(() => A.peer.close());
      B = await publish(session, PKG, room, 'bob');
      closers.push(() => B.peer.close());
      S1 = await subscribe(session, PKG, room, [{ feed: A.id }], { private_id: A.privateId });
      S2 = await subscribe(session, PKG, room, [{ feed: A.id, mid: A.mids.video }]);
      S3 = await subscribe(session, PKG, room, [{ feed: A.id }, { feed: B.id }]);
      for (const S of [S1, S2, S3]) closers.push(() => S.sub.close());
    });

    it('each subscriber receives every stream it asked for, and nothing else', async () => {
      assert.deepEqual(S1.streams.map((s: any) => [s.type, s.feed_id]), [['audio', A.id], ['video', A.id]]);
      assert.deepEqual(S2.streams.map((s: any) => [s.type, s.feed_id]), [['video', A.id]]);
      assert.equal(S3.streams.length, 4);
      const enough = (S: SubscriberClient, feed: PublisherClient, kind: 'audio' | 'video') =>
        S.sub.fromRun(midOf(S, feed.id, kind), feed.peer.run, kind).length >= 20;
      for (const [S, feed, kind] of [[S1, A, 'audio'], [S1, A, 'video'], [S2, A, 'video'], [S3, A, 'audio'], [S3, A, 'video'], [S3, B, 'audio'], [S3, B, 'video']] as const) {
        await S.sub.until(() => enough(S, feed, kind), `${kind} of ${feed === A ? 'A' : 'B'}`);
      }
      // Nothing from B reached S1 or S2; S2 got no audio at all.
      assert.deepEqual([...S1.sub.runs()], [A.peer.run]);
      assert.deepEqual([...S2.sub.runs()], [A.peer.run]);
      assert.equal(S2.sub.fromRun('0', A.peer.run, 'audio').length, 0);
      // Every packet on an m-line carries the right source and kind, in sending order.
      for (const [S, feed, kind] of [[S3, A, 'video'], [S3, B, 'video'], [S3, B, 'audio']] as const) {
        const mid = midOf(S, feed.id, kind);
        const mine = S.sub.fromRun(mid, feed.peer.run, kind);
        assert.equal(mine.length, S.sub.on(mid).length, `foreign packets on mid ${mid}`);
        const counters = mine.map((m) => m.counter);
        assert.deepEqual(counters, [...counters].sort((a, b) => a - b));
        for (const { counter, rtp } of mine) assert.ok(rtp.payload.equals(feed.peer.sent[kind][counter]), 'payload changed');
      }
      // The router holds exactly one route per subscribed stream.
      const routesA = (await routerView(A.handle)).routes;
      assert.equal(routesA.length, 2 + 1 + 2, JSON.stringify(routesA));
    });
  });
});
