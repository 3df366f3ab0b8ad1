// Two VideoRoom behaviours checked the same way on Janus's own janus.plugin.videoroom (the
// reference) and on the janus-ts VideoRoom app, with werift publishers and subscribers:
// - a publisher's data channel reaches its subscribers (the native plugin relays it on a
//   channel labelled with the publisher's id);
// - a publisher's `configure {video: false}` then `{video: true}`: the subscriber's video
//   goes on with continuous sequence numbers and forward timestamps (the native plugin's
//   seq_reset, the router's resume), no gap it would take for losses.
import * as assert from 'node:assert/strict';
import { Janus } from '../helpers/janus';
import type { JanusSession } from '../helpers/janus-api';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { sleep, until } from '../helpers/wait';
import { parsePayload, type ReceivedRtp } from '../helpers/werift-peer';
import { VIDEOROOM_APP, publish, subscribe, type PublisherClient, type SubscriberClient } from './room-clients';

const PKG = 'janus.plugin.videoroom';

interface Target { title: string; start(ctx: Mocha.Context): Promise<{ janus: Janus; stop(): Promise<void> }> }

const TARGETS: Target[] = [
  { title: 'native janus.plugin.videoroom (reference)', start: async () => { const janus = await Janus.start({ plugins: ['videoroom'] }); return { janus, stop: () => janus.stop() }; } },
  {
    title: 'janus-ts VideoRoom app',
    start: async (ctx) => {
      const missing = missingTsPieces(VIDEOROOM_APP);
      if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); ctx.skip(); }
      const ts = await TsJanus.start({ app: VIDEOROOM_APP, package: PKG });
      return { janus: ts.janus, stop: () => ts.stop() };
    },
  },
];

/** The packets of one stream as the subscriber got them, in arrival order, retransmissions aside. */
function stream(packets: ReceivedRtp[]): ReceivedRtp[] {
  const seen = new Set<number>();
  return packets.filter((p) => (seen.has(p.seq) ? false : (seen.add(p.seq), true)));
}

/** Every packet continues the previous one: seq + 1, timestamp forward. */
function assertContinuous(packets: ReceivedRtp[], what: string): void {
  packets.slice(1).forEach((p, i) => {
    const prev = packets[i];
    assert.equal((p.seq - prev.seq) & 0xffff, 1, `${what}: seq ${prev.seq} → ${p.seq} at packet ${i + 1}`);
    assert.ok(((p.timestamp - prev.timestamp) >>> 0) < 2 ** 31, `${what}: timestamp ${prev.timestamp} → ${p.timestamp} goes back`);
  });
}

for (const target of TARGETS) {
  describe(`e2e: VideoRoom data relay and paused video (${target.title})`, function () {
    this.timeout(60000);
    let env: { janus: Janus; stop(): Promise<void> } | undefined;
    let session: JanusSession;
    let room = 5300;
    const closers: (() => Promise<unknown>)[] = [];

    before(async function () {
      env = await target.start(this);
      session = await env.janus.createSession();
    });
    afterEach(async () => { for (const c of closers.splice(0).reverse()) await c().catch(() => undefined); });
    after(async () => { await session?.destroy().catch(() => undefined); await env?.stop(); });

    async function newRoom(): Promise<number> {
      const h = await session.attach(PKG);
      const { data } = await h.send({ request: 'create', room: ++room, publishers: 4 });
      assert.equal(data.videoroom, 'created', JSON.stringify(data));
      await h.detach();
      return room;
    }
    async function publisher(r: number, opts: { data?: boolean; send?: boolean } = {}): Promise<PublisherClient> {
      const p = await publish(session, PKG, r, 'pub', opts);
      closers.push(() => p.peer.close(), () => p.handle.detach());
      return p;
    }
    async function subscriber(r: number, feed: number, data = false): Promise<SubscriberClient> {
      const s = await subscribe(session, PKG, r, [{ feed }], {}, { data });
      closers.push(() => s.sub.close(), () => s.handle.detach());
      return s;
    }

    it('a publisher\'s data channel messages reach its subscriber, on a channel labelled with the publisher\'s id', async () => {
      const r = await newRoom();
      const P = await publisher(r, { data: true, send: false });
      const S = await subscriber(r, P.id, true);
      assert.ok(S.streams.some((s: any) => s.type === 'data'), `the subscription has a data stream: ${JSON.stringify(S.streams)}`);
      // Janus relays to a subscriber only once its channel is ready (data_ready): send until
      // one arrives, then a burst that must arrive whole and in order.
      let first: string | undefined;
      for (let i = 0; i < 30 && !first; i++) {
        P.peer.sendData(`hello ${i}`);
        first = await until(() => S.sub.relayed.length > 0, 'a relayed message', 300).then(() => String(S.sub.relayed[0].data), () => undefined);
      }
      assert.ok(first?.startsWith('hello '), `no message reached the subscriber (${JSON.stringify(S.sub.relayed)})`);
      const from = S.sub.relayed.length;
      const burst = Array.from({ length: 5 }, (_, i) => `burst ${i}`);
      for (const m of burst) P.peer.sendData(m);
      P.peer.sendData(Buffer.from([1, 2, 3]));
      await until(() => S.sub.relayed.length >= from + 6, 'the burst relayed', 8000, { detail: () => JSON.stringify(S.sub.relayed.slice(from)) });
      const got = S.sub.relayed.slice(from);
      assert.deepEqual(got.slice(0, 5).map((m) => String(m.data)), burst);
      assert.ok(Buffer.isBuffer(got[5].data) && got[5].data.equals(Buffer.from([1, 2, 3])), 'binary relayed as binary');
      assert.deepEqual([...new Set(S.sub.relayed.map((m) => m.label))], [String(P.id)], 'the channel carries the publisher\'s id as its label');
    });

    it('a subscriber of two publishers gets each one\'s data on its own channel', async () => {
      const r = await newRoom();
      const [A, B] = [await publisher(r, { data: true, send: false }), await publisher(r, { data: true, send: false })];
      const s = await subscribe(session, PKG, r, [{ feed: A.id }, { feed: B.id }], {}, { data: true });
      closers.push(() => s.sub.close(), () => s.handle.detach());
      assert.equal(s.streams.filter((x: any) => x.type === 'data').length >= 1, true);
      const from = (label: number) => s.sub.relayed.filter((m) => m.label === String(label)).map((m) => String(m.data));
      for (let i = 0; i < 30 && (from(A.id).length === 0 || from(B.id).length === 0); i++) {
        A.peer.sendData(`a ${i}`);
        B.peer.sendData(`b ${i}`);
        await sleep(300);
      }
      assert.ok(from(A.id).length > 0 && from(B.id).length > 0, `data of both: ${JSON.stringify(s.sub.relayed)}`);
      assert.ok(from(A.id).every((m) => m.startsWith('a ')) && from(B.id).every((m) => m.startsWith('b ')), 'each on its own label');
    });

    it('configure {video: false} then {video: true}: the subscriber\'s video goes on with continuous numbering', async () => {
      const r = await newRoom();
      const P = await publisher(r);
      const S = await subscriber(r, P.id);
      const mid = String(S.streams.find((s: any) => s.type === 'video').mid);
      await until(() => S.sub.on(mid).length >= 20, 'video reaching the subscriber', 10000);
      await P.handle.send({ request: 'configure', video: false });
      await sleep(300); // packets in flight
      const pausedAt = P.peer.sent.video.length;
      const before = S.sub.on(mid).length;
      await P.peer.waitSent({ video: pausedAt + 30 }); // a second of video not relayed
      assert.ok(S.sub.on(mid).length - before <= 2, 'video stopped');
      await P.handle.send({ request: 'configure', video: true });
      const resumed = S.sub.on(mid).length;
      await until(() => S.sub.on(mid).length >= resumed + 20, 'video resumed', 10000);
      const video = stream(S.sub.on(mid));
      assertContinuous(video, 'subscriber video');
      // ...while the publisher's own numbering jumped over what was not relayed.
      const counters = video.map((p) => parsePayload(p.payload)!.counter);
      assert.ok(counters.slice(1).some((c, i) => c - counters[i] >= 25), `the pause shows in the publisher's counters: ${counters.join(',')}`);
    });
  });
}
