// Same behaviour as Janus, for routes between sessions: one VideoRoom scenario (two
// publishers, a subscriber to A's audio and video, a switch of its video m-line to B,
// per-mid send:false, pause/start) through the test kit and through the real plugin in a
// real Janus with werift publishers and a werift subscriber. Per step, what the subscriber
// got on each m-line (which publisher, which packets, seq/ts steps — across the switch
// too) and the replies must be equal.
import assert from 'node:assert/strict';
import { TestGateway, type TestHandle } from 'janus-ts/testing';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import type { JanusSession } from '../helpers/janus-api';
import { makePayload, parsePayload, type Kind } from '../helpers/werift-peer';
import { OFFERS } from '../testing/fixtures';
import { VIDEOROOM_APP, publish, subscribe, type PublisherClient, type SubscriberClient } from './room-clients';
import { sleep, summarize, type Seen } from './parity';

const PKG = 'janus.plugin.videoroom';
const ROOM = 1234;
type Label = 'A' | 'B';
type Body = Record<string, unknown>;

/** The scenario's view of one side. */
interface Room {
  /** Subscriber request; the reply with feed ids replaced by labels. */
  sub(body: Body): Promise<unknown>;
  burst(who: Label, n: number): Promise<void>;
  /** Per subscriber m-line: {from: label, ...summary} of what arrived since the last take. */
  take(): Promise<Record<string, unknown>>;
  mids: Record<Label, Record<Kind, string>>;
}

async function scenario(r: Room): Promise<unknown[]> {
  const log: unknown[] = [];
  const step = async (name: string, f: () => Promise<unknown>) => { log.push({ [name]: await f() }); };
  await step('A sends', async () => { await r.burst('A', 4); return r.take(); });
  await step('switch video to B', () => r.sub({ request: 'switch', streams: [{ feed: 'B', mid: r.mids.B.video, sub_mid: '1' }] }));
  await step('A and B send', async () => { await r.burst('A', 4); await r.burst('B', 4); return r.take(); });
  await step('audio send:false', () => r.sub({ request: 'configure', streams: [{ mid: '0', send: false }] }));
  await step('A and B send', async () => { await r.burst('A', 3); await r.burst('B', 3); return r.take(); });
  await step('pause', () => r.sub({ request: 'pause' }));
  await step('A and B send', async () => { await r.burst('A', 2); await r.burst('B', 2); return r.take(); });
  await step('start', () => r.sub({ request: 'start' }));
  await step('A and B send', async () => { await r.burst('A', 2); await r.burst('B', 2); return r.take(); });
  return log;
}

/** Reply data with feed ids as labels, only the fields both sides define the same way. */
function normalize(data: any, ids: Record<number, Label>): unknown {
  const out: Record<string, unknown> = {};
  for (const k of ['videoroom', 'switched', 'changes', 'configured', 'paused', 'started', 'error_code']) if (data?.[k] !== undefined) out[k] = data[k];
  if (Array.isArray(data?.streams)) out.streams = data.streams.map((s: any) => [s.mid, s.type, ids[s.feed_id] ?? s.feed_id, s.active ?? true]);
  return out;
}

/** What arrived on each m-line since `from`, per source label, with the seq/ts step from the previous packet on that m-line. */
function perMline(packets: Map<string, { label: Label; counter: number; seq: number; ts: number }[]>, from: Map<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mid, list] of [...packets].sort()) {
    const start = from.get(mid) ?? 0;
    const fresh = list.slice(start);
    from.set(mid, list.length);
    if (!fresh.length) { out[mid] = []; continue; }
    const prev = start > 0 ? list[start - 1] : undefined;
    const bySource = new Map<Label, Seen[]>();
    for (const p of fresh) bySource.set(p.label, [...(bySource.get(p.label) ?? []), p]);
    out[mid] = {
      seqStepIn: prev ? (fresh[0].seq - prev.seq) & 0xffff : null,
      sources: [...bySource].map(([label, seen]) => ({ from: label, ...summarize(seen) })),
    };
  }
  return out;
}

class JanusRoom implements Room {
  readonly #from = new Map<string, number>();
  mids: Record<Label, Record<Kind, string>>;
  constructor(readonly A: PublisherClient, readonly B: PublisherClient, readonly S: SubscriberClient) {
    this.mids = { A: A.mids as Record<Kind, string>, B: B.mids as Record<Kind, string> };
  }
  get ids(): Record<number, Label> { return { [this.A.id]: 'A', [this.B.id]: 'B' }; }
  async sub(body: Body) {
    const b = JSON.parse(JSON.stringify(body).replace(/"feed":"([AB])"/g, (_m, l) => `"feed":${l === 'A' ? this.A.id : this.B.id}`));
    return normalize((await this.S.handle.send(b)).data, this.ids);
  }
  async burst(who: Label, n: number) {
    const p = who === 'A' ? this.A : this.B;
    for (let i = 0; i < n; i++) { p.peer.sendOne('audio'); p.peer.sendOne('video'); await sleep(20); }
    await sleep(400);
  }
  async take() {
    const runs: Record<number, Label> = { [this.A.peer.run]: 'A', [this.B.peer.run]: 'B' };
    const packets = new Map<string, { label: Label; counter: number; seq: number; ts: number }[]>();
    for (const mid of ['0', '1']) {
      packets.set(mid, this.S.sub.on(mid).map((rtp) => ({ rtp, tag: parsePayload(rtp.payload) })).filter((x) => x.tag && runs[x.tag.run])
        .map(({ rtp, tag }) => ({ label: runs[tag!.run], counter: tag!.counter, seq: rtp.seq, ts: rtp.timestamp })));
    }
    return perMline(packets, this.#from);
  }
}

class KitRoom implements Room {
  readonly #from = new Map<string, number>();
  readonly #sent: Record<Label, Record<Kind, number>> = { A: { audio: 0, video: 0 }, B: { audio: 0, video: 0 } };
  constructor(readonly gw: TestGateway, readonly pubs: Record<Label, { h: TestHandle; id: number }>, readonly S: TestHandle,
    readonly mids: Record<Label, Record<Kind, string>>) {}
  get ids(): Record<number, Label> { return { [this.pubs.A.id]: 'A', [this.pubs.B.id]: 'B' }; }
  async sub(body: Body) {
    const b = JSON.parse(JSON.stringify(body).replace(/"feed":"([AB])"/g, (_m, l) => `"feed":${this.pubs[l as Label].id}`));
    return normalize((await this.S.request(b)).data, this.ids);
  }
  async burst(who: Label, n: number) {
    for (let i = 0; i < n; i++) for (const kind of ['audio', 'video'] as const) {
      const c = this.#sent[who][kind]++;
      await this.pubs[who].h.sendRtp({
        mindex: Number(this.mids[who][kind]), seq: 100 + c, ts: 5000 + c * (kind === 'audio' ? 960 : 3000), ssrc: who === 'A' ? 1 : 2,
        payload: makePayload(kind, who === 'A' ? 1 : 2, c, kind === 'audio' ? 80 : 600),
      });
    }
  }
  async take() {
    const packets = new Map<string, { label: Label; counter: number; seq: number; ts: number }[]>();
    for (const mindex of [0, 1]) {
      packets.set(String(mindex), this.S.rtpOn(mindex).map((p) => ({ p, tag: parsePayload(p.payload) })).filter((x) => x.tag)
        .map(({ p, tag }) => ({ label: (tag!.run === 1 ? 'A' : 'B') as Label, counter: tag!.counter, seq: p.seq, ts: p.ts })));
    }
    return perMline(packets, this.#from);
  }
}

describe('e2e: the test kit behaves as the real plugin in Janus (VideoRoom scenario)', function () {
  this.timeout(90000);
  let ts: TsJanus | undefined;
  let session: JanusSession | undefined;
  let gw: TestGateway | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
    await session?.destroy().catch(() => undefined);
    await ts?.stop();
    await gw?.close();
  });

  it('the subscriber gets the same packets, from the same publishers, with the same seq/ts steps and replies', async function () {
    const missing = missingTsPieces(VIDEOROOM_APP);
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
    ts = await TsJanus.start({ app: VIDEOROOM_APP, package: PKG });
    session = await ts.janus.createSession();
    const A = await publish(session, PKG, ROOM, 'alice', { send: false, data: true });
    closers.push(() => A.peer.close());
    const B = await publish(session, PKG, ROOM, 'bob', { send: false, data: true });
    closers.push(() => B.peer.close());
    const S = await subscribe(session, PKG, ROOM, [{ feed: A.id }]);
    closers.push(() => S.sub.close());
    const janusLog = await scenario(new JanusRoom(A, B, S));
    for (const c of closers.splice(0).reverse()) await c();
    await session.destroy();
    session = undefined;
    await ts.stop();
    ts = undefined;

    gw = await TestGateway.start(VIDEOROOM_APP, { package: PKG });
    const pubs = {} as Record<Label, { h: TestHandle; id: number }>;
    const mids = {} as Record<Label, Record<Kind, string>>;
    for (const label of ['A', 'B'] as Label[]) {
      const h = await gw.attach();
      const joined = await h.request({ request: 'join', room: ROOM, ptype: 'publisher', display: label });
      const { data } = await h.request({ request: 'configure', audio: true, video: true }, OFFERS.werift);
      await h.setupMedia();
      pubs[label] = { h, id: joined.data.id as number };
      mids[label] = Object.fromEntries((data.streams as any[]).filter((s) => !s.disabled && s.type !== 'data').map((s) => [s.type, s.mid])) as Record<Kind, string>;
    }
    const sh = await gw.attach();
    const { jsep } = await sh.request({ request: 'join', room: ROOM, ptype: 'subscriber', streams: [{ feed: pubs.A.id }] });
    await sh.request({ request: 'start' }, sh.answer(jsep));
    await sh.setupMedia();
    const kitLog = await scenario(new KitRoom(gw, pubs, sh, mids));
    if (process.env.JANUS_TS_PARITY_PRINT) console.log(JSON.stringify(janusLog));
    assert.deepEqual(kitLog, janusLog);
  });
});
