// The VideoRoom app (control-ts/examples/videoroom.ts) end to end: real Janus with our plugin
// standing in as janus.plugin.videoroom, werift publishers and subscribers inside the
// network namespace, media checked packet by packet (payload tags), routes checked through
// the Admin API (the router's own table) and the router's counters. One Janus for the block.
import * as assert from 'node:assert/strict';
import { JanusError, type JanusSession } from '../helpers/janus-api';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { sleep, until } from '../helpers/wait';
import { VIDEOROOM_APP, publish, routerView, subscribe, type PublisherClient, type SubscriberClient } from './room-clients';

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

    it('configure {video: false} on a publisher stops its video for every subscriber; {video: true} resumes it with a keyframe request', async () => {
      const views = [[S1, midOf(S1, A.id, 'video')], [S2, midOf(S2, A.id, 'video')], [S3, midOf(S3, A.id, 'video')]] as const;
      await A.handle.send({ request: 'configure', video: false });
      assert.equal((await routerView(A.handle)).valves.video.out, false);
      await sleep(300); // packets already in flight
      const before = views.map(([S, mid]) => S.sub.on(mid).length);
      const audioBefore = S1.sub.on(midOf(S1, A.id, 'audio')).length;
      // A window measured in A's audio (≥ 0.6 s of it), not in time: audio must go on, video not.
      await S1.sub.until(() => S1.sub.on(midOf(S1, A.id, 'audio')).length > audioBefore + 30, 'audio must go on');
      assert.deepEqual(views.map(([S, mid]) => S.sub.on(mid).length), before, 'video still flowing');
      const plis = A.peer.plis('video');
      await A.handle.send({ request: 'configure', video: true });
      for (const [S, mid] of views) await S.sub.until(() => S.sub.on(mid).length > before[views.findIndex((v) => v[0] === S)] + 10, 'video resumed');
      await S1.sub.until(() => A.peer.plis('video') > plis, 'keyframe request to A');
    });

    it('bitrate becomes the REMB cap, keyframe asks for one, descriptions reach the room', async () => {
      const rembFrom = A.peer.rtcp.length, pliFrom = A.peer.plis('video');
      const watch = B.handle.waitEvent('event', 5000, (e) => e.plugindata?.data?.publishers?.[0]?.streams?.some((x: any) => x.description === 'cam'));
      await A.handle.send({ request: 'configure', bitrate: 200000, keyframe: true, descriptions: [{ mid: A.mids.video, description: 'cam' }] });
      assert.equal((await routerView(A.handle)).bitrate, 200000);
      await S1.sub.until(() => A.peer.rembs(rembFrom).some((b) => b <= 200000), 'REMB ≤ 200 kbps at A');
      await S1.sub.until(() => A.peer.plis('video') > pliFrom, 'keyframe request at A');
      await watch;
    });

    it('switch moves an m-line to another source without renegotiation, sequence numbers continuous', async () => {
      const mid = midOf(S2, A.id, 'video');
      const { data, jsep } = await S2.handle.send({ request: 'switch', streams: [{ feed: B.id, mid: B.mids.video, sub_mid: mid }] });
      assert.equal(jsep, undefined);
      assert.equal(data.switched, 'ok');
      assert.equal(data.changes, 1);
      assert.equal(data.streams[0].feed_id, B.id);
      await S2.sub.until(() => S2.sub.fromRun(mid, B.peer.run, 'video').length >= 20, 'video of B on S2');
      const packets = S2.sub.on(mid);
      const firstB = packets.findIndex((p) => S2.sub.fromRun(mid, B.peer.run).some((b) => b.rtp === p));
      assert.ok(firstB > 0);
      // (Before the switch A's video was paused by the previous test: check from the last stretch of A on.)
      for (let i = firstB - 5; i < packets.length; i++) {
        assert.equal(packets[i].seq, (packets[i - 1].seq + 1) & 0xffff, `sequence gap at packet ${i} (switch at ${firstB})`);
      }
      assert.ok(packets[firstB].timestamp !== packets[firstB - 1].timestamp, 'timestamps move on');
      assert.equal(packets[firstB].ssrc, packets[firstB - 1].ssrc, 'same SSRC after the switch');
      assert.ok(packets.slice(firstB).every((p) => S2.sub.fromRun(mid, B.peer.run).some((b) => b.rtp === p)), 'A after the switch');
      const routesB = (await routerView(B.handle)).routes;
      assert.ok(routesB.some((r: any) => r.recipientMindex === Number(mid)), JSON.stringify(routesB));
    });

    it('per-mid send:false on a subscription removes that route only; pause/start stop and resume everything', async () => {
      const vmid = midOf(S3, B.id, 'video');
      await S3.handle.send({ request: 'configure', streams: [{ mid: vmid, send: false }] });
      const routes = () => routerView(B.handle).then((v) => v.routes.filter((r: any) => r.recipientMindex === Number(vmid)));
      const s3id = (await routerView(S3.handle)).id;
      assert.equal((await routes()).filter((r: any) => r.recipient === s3id).length, 0);
      await S3.handle.send({ request: 'configure', streams: [{ mid: vmid, send: true }] });
      assert.equal((await routes()).filter((r: any) => r.recipient === s3id).length, 1);
      const { data } = await S3.handle.send({ request: 'pause' });
      assert.equal(data.paused, 'ok');
      const all = async () => ((await routerView(A.handle)).routes.concat((await routerView(B.handle)).routes)).filter((r: any) => r.recipient === s3id);
      assert.equal((await all()).length, 0);
      await S3.handle.send({ request: 'start' });
      assert.equal((await all()).length, 4);
    });

    it('subscribe adds an m-line with a renegotiation (updated + offer); the new stream flows', async () => {
      const { data, jsep } = await S1.handle.send({ request: 'subscribe', streams: [{ feed: B.id, mid: B.mids.audio }] });
      assert.equal(data.videoroom, 'updated');
      assert.equal(jsep?.type, 'offer');
      assert.deepEqual(data.streams.map((x: any) => [x.mid, x.feed_id]), [['0', A.id], ['1', A.id], ['2', B.id]]);
      S1.streams = data.streams;
      await S1.handle.send({ request: 'start' }, await S1.sub.answer(jsep!));
      await S1.sub.until(() => S1.sub.fromRun('2', B.peer.run, 'audio').length >= 10, 'audio of B on mid 2');
      assert.ok(S1.sub.fromRun('0', A.peer.run, 'audio').length > 0);
    });

    it('leave and detach remove every route to the subscriber (router table and counters)', async () => {
      const s1id = (await routerView(S1.handle)).id;
      const { data } = await S1.handle.send({ request: 'leave' });
      assert.equal(data.left, 'ok');
      const toS1 = async () => (await routerView(A.handle)).routes.filter((r: any) => r.recipient === s1id);
      assert.deepEqual(await toS1(), []);
      await S1.handle.waitEvent('hangup', 5000);
      const out = (await routerView(S1.handle)).stats.rtpOut;
      await sleep(500);
      assert.equal((await routerView(S1.handle)).stats.rtpOut, out, 'nothing relayed to S1 any more');
      const s2id = (await routerView(S2.handle)).id;
      await S2.handle.detach(); // Janus destroys the plugin session right after its reply
      await until(async () => (await routerView(B.handle)).routes.every((r: any) => r.recipient !== s2id), 'routes to S2 gone');
    });

    it('a publisher leaving: the room gets unpublished + leaving, its subscriptions an updated offer', async () => {
      const watcher = await publishLess();
      const updated = S3.handle.waitEvent('event', 8000, (e) => e.plugindata?.data?.videoroom === 'updated');
      await B.handle.send({ request: 'leave' });
      const unpublished = await watcher.waitEvent('event', 5000, (e) => e.plugindata?.data?.unpublished === B.id);
      const leaving = await watcher.waitEvent('event', 5000, (e) => e.plugindata?.data?.leaving === B.id);
      assert.ok(unpublished && leaving);
      const ev = await updated;
      assert.equal(ev.jsep?.type, 'offer');
      const streams = ev.plugindata.data.streams;
      assert.equal(streams.filter((s: any) => s.feed_id === B.id).length, 0);
      assert.equal(streams.filter((s: any) => s.active === false).length, 2);
      await S3.handle.send({ request: 'start' }, await S3.sub.answer(ev.jsep));
      assert.deepEqual((await routerView(B.handle)).routes, []);
    });

    /** A participant that joins and never publishes (to watch room events). */
    async function publishLess() {
      const h = await session.attach(PKG);
      await h.send({ request: 'join', room, ptype: 'publisher', display: 'watcher' });
      return h;
    }
  });

  it('room options: publisher limit (432), notify_joining, require_pvtid (433)', async () => {
    const admin = await session.attach(PKG);
    await admin.send({ request: 'create', room: 5150, publishers: 1, notify_joining: true, require_pvtid: true });
    const watcher = await session.attach(PKG);
    const w = await watcher.send({ request: 'join', room: 5150, ptype: 'publisher', display: 'w' });
    assert.deepEqual(w.data.attendees, []);
    const one = await publish(session, PKG, 5150, 'one');
    closers.push(() => one.peer.close());
    const joining = await watcher.waitEvent('event', 5000, (e) => e.plugindata?.data?.joining?.id === one.id);
    assert.equal(joining.plugindata.data.joining.display, 'one');
    const two = await session.attach(PKG);
    await two.send({ request: 'join', room: 5150, ptype: 'publisher' });
    const { WeriftPeer } = await import('../helpers/werift-peer');
    const peer = new WeriftPeer({ data: false });
    closers.push(() => peer.close());
    await rejects(two.send({ request: 'publish' }, await peer.offer()), 432);
    await rejects(admin.send({ request: 'join', room: 5150, ptype: 'subscriber', streams: [{ feed: one.id }] }), 433);
    const sub = await subscribe(session, PKG, 5150, [{ feed: one.id }], { private_id: w.data.private_id });
    closers.push(() => sub.sub.close());
    await sub.sub.until(() => sub.sub.fromRun('1', one.peer.run, 'video').length > 5, 'video in room 5150');
  });
});
