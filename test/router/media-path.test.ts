// The media features on the real router.wasm's packet path (ABI 4): simulcast by SSRC and by
// rid, switches and fallback, temporal dropping, VP9 spatial layers with marker bits, VP8
// picture ids across switches (PACKET_INFO + RELAY_RTP flags, written as the host writes
// them), payload-type rewriting, talk detection events and the loudest score, RTP forwarders
// and their substream filter, and what goes wrong: unknown substreams and malformed payload
// descriptors are counted drops, never traps; hangup and close clear it all.

import * as assert from "node:assert";
import { packetInfo, relayCopy, type IdsAt } from "janus-ts/dist/src/testing/media";
import { Router, EVERY, Kind, Flag, Drop, Err, Ev, EvFlag, Layer, FWD_ANY, type Decision } from "./router-harness";
import { SimulcastSource, SvcSource, steps, type Tag } from "./layers-rig";
import { rtp, vp8Payload, filler, parseRtp, vp8Ids, audioLevelData } from "../helpers/rtp-media";

interface Got { tag?: Tag; seq: number; ts: number; ssrc: number; pt: number; marker: boolean; picId: number; tl0: number; tid: number; d: Decision }

/** A publisher (slot `pub`, video on m-line 1) and recipients, every packet run as host-c runs it. */
class Path {
  readonly got = new Map<number, Got[]>();
  readonly events: Decision[] = [];
  readonly plis: Decision[] = [];
  readonly forwards: Decision[] = [];
  readonly codes: number[] = [];
  constructor(readonly r: Router, readonly pub: number) {}

  static async create(recipients = 2): Promise<{ p: Path; subs: number[] }> {
    const r = await Router.create(16, 16);
    const pub = r.live();
    const p = new Path(r, pub);
    const subs = Array.from({ length: recipients }, () => r.live());
    for (const s of subs) assert.strictEqual(r.x.route_add(pub, 1, s, 1), 0);
    return { p, subs };
  }

  send(pkt: Uint8Array, tag?: Tag, mindex = 1, video = true, level = -1): number {
    const rc = this.r.rtp(this.pub, mindex, video, pkt, pkt.length, level);
    this.codes.push(rc);
    let ids: IdsAt | undefined;
    for (const d of this.r.decisions(rc)) {
      if (d.kind === Kind.PACKET_INFO) ids = packetInfo(d, pkt.length);
      else if (d.kind === Kind.EVENT) this.events.push(d);
      else if (d.kind === Kind.SEND_PLI) this.plis.push(d);
      else if (d.kind === Kind.RTP_FORWARD) this.forwards.push(d);
      else if (d.kind === Kind.RELAY_RTP) {
        const out = parseRtp(relayCopy(pkt, d, ids));
        const list = this.got.get(d.slot) ?? [];
        list.push({ tag, seq: out.seq, ts: out.ts, ssrc: out.ssrc, pt: out.pt, marker: out.marker, ...vp8Ids(out.payload), d });
        this.got.set(d.slot, list);
      }
    }
    return rc;
  }

  /** `count` frame times of 33 ms, a frame of each of `subs` (keyframes of `keys` in the first). */
  run(src: SimulcastSource, count: number, subs = [0, 1, 2], keys: number[] = []): void {
    for (let i = 0; i < count; i++) {
      this.r.now += 33n;
      for (const s of subs) for (const { pkt, tag } of src.frame(s, i === 0 && keys.includes(s))) this.send(pkt, tag);
    }
  }

  of(slot: number): Got[] { return this.got.get(slot) ?? []; }
}

const subOf = (g: Got[]) => g.map((x) => x.tag!.sub);
const runsOf = (g: Got[]) => subOf(g).filter((s, i, a) => i === 0 || a[i - 1] !== s);

describe("router media path (router.wasm, ABI 4)", () => {
  it("simulcast by SSRC: each recipient gets its target substream from a key frame, one continuous stream across a switch", async () => {
    const { p, subs: [lo, hi] } = await Path.create(2);
    const src = new SimulcastSource();
    assert.strictEqual(p.r.simulcast(p.pub, 1, { codec: "vp8", ssrcs: src.streams.map((s) => s.ssrc) }), 0);
    assert.strictEqual(p.r.x.set_layers(lo, 1, Layer.SUBSTREAM, 0), 0);
    p.run(src, 4);
    assert.deepStrictEqual(p.of(lo), [], "nothing before a key frame");
    assert.ok(p.plis.length >= 1 && p.plis.every((d) => d.slot === p.pub && d.mindex === 1), "a keyframe is asked of the publisher");
    p.run(src, 20, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(p.of(lo)), [0]);
    assert.deepStrictEqual(runsOf(p.of(hi)), [2]);
    assert.ok(p.of(lo)[0].tag!.key && p.of(hi)[0].tag!.key, "both start on a key frame");
    // The first substream is an event for each recipient (to its own slot and m-line).
    const subEvents = (slot: number) => p.events.filter((e) => e.slot === slot && e.seq === Ev.LAYERS && (e.flags & EvFlag.SUBSTREAM));
    assert.deepStrictEqual(subEvents(lo).map((e) => [e.mindex, e.ts & 0xff]), [[1, 0]]);
    assert.deepStrictEqual(subEvents(hi).map((e) => e.ts & 0xff), [2]);
    // Switch lo to substream 2: at the next key frame of 2.
    assert.strictEqual(p.r.x.set_layers(lo, 1, Layer.SUBSTREAM, 2), 0);
    p.run(src, 5);
    assert.deepStrictEqual(runsOf(p.of(lo)), [0], "no switch before a key frame of 2");
    p.run(src, 10, [0, 1, 2], [2]);
    assert.deepStrictEqual(runsOf(p.of(lo)), [0, 2]);
    const at = subOf(p.of(lo)).indexOf(2);
    assert.ok(p.of(lo)[at].tag!.key, "switched on a key frame");
    assert.ok(p.of(lo)[at].d.flags & Flag.MARK_SWITCH);
    const got = p.of(lo);
    assert.ok(steps(got.map((g) => g.seq), 65536).every((d) => d === 1), "one continuous sequence");
    assert.ok(steps(got.map((g) => g.ts), 2 ** 32).every((d) => d < 2 ** 31), "timestamps never go back");
    const frameSteps = steps(got.filter((g) => g.tag!.index === 0).map((g) => g.ts), 2 ** 32);
    assert.ok(frameSteps.every((d) => d > 0 && d < 2 ** 31), `and move on with each frame: ${frameSteps}`);
    assert.strictEqual(new Set(got.map((g) => g.ssrc)).size, 2, "the packets keep their SSRC (Janus's core writes its own)");
    const firsts = got.filter((g) => g.tag!.index === 0);
    assert.ok(steps(firsts.map((g) => g.picId), 32768).every((d) => d === 1), `picture ids continue: ${firsts.map((g) => g.picId)}`);
    assert.strictEqual(subEvents(lo).at(-1)!.ts & 0xff, 2);
    assert.deepStrictEqual(p.r.x.layers_state(lo, 1) & 0xff, 2);
  });

  it("simulcast by rid: the SSRCs are learnt from the rid extension; an unknown SSRC without one is a counted drop", async () => {
    const { p, subs: [s] } = await Path.create(1);
    const src = new SimulcastSource({ rid: { id: 4, rids: ["q", "h", "f"] } });
    assert.strictEqual(p.r.simulcast(p.pub, 1, { codec: "vp8", rids: ["q", "h", "f"], ridExtId: 4 }), 0);
    p.r.x.set_layers(s, 1, Layer.SUBSTREAM, 1);
    p.run(src, 10, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(p.of(s)), [1]);
    const stray = rtp({ seq: 5, ts: 5, ssrc: 0xdead }, vp8Payload({ start: true }, false));
    assert.strictEqual(p.send(stray), Drop.UNKNOWN_SUBSTREAM);
    assert.strictEqual(p.r.streamStats(p.pub, 1).drops_substream, 1);
  });

  it("falls back to a lower substream 251 ms (not 250) after the relayed one stopped, asking a keyframe", async () => {
    const { p, subs: [s] } = await Path.create(1);
    const src = new SimulcastSource();
    p.r.simulcast(p.pub, 1, { codec: "vp8", ssrcs: src.streams.map((x) => x.ssrc) });
    p.r.x.set_pli_min_interval(0);
    p.run(src, 10, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(p.of(s)), [2]);
    const last = p.r.now;
    // Substream 2 stops; 0 and 1 go on. 250 ms: still waiting for 2.
    while (p.r.now < last + 250n) { p.r.now += 10n; for (const { pkt, tag } of src.frame(1)) p.send(pkt, tag); }
    const plis = p.plis.length;
    p.r.now = last + 250n;
    for (const { pkt, tag } of src.frame(1, true)) p.send(pkt, tag);
    assert.deepStrictEqual(runsOf(p.of(s)), [2], "not yet at 250 ms");
    p.r.now = last + 251n;
    for (const { pkt, tag } of src.frame(1)) p.send(pkt, tag);
    assert.ok(p.plis.length > plis, "a keyframe is asked when the aim falls back");
    for (const { pkt, tag } of src.frame(1, true)) p.send(pkt, tag);
    assert.deepStrictEqual(runsOf(p.of(s)), [2, 1]);
    assert.ok(steps(p.of(s).map((g) => g.seq), 65536).every((d) => d === 1));
  });

  it("temporal layers: a cap drops higher layers with no sequence gap, and is reported", async () => {
    const { p, subs: [s] } = await Path.create(1);
    const src = new SimulcastSource();
    p.r.simulcast(p.pub, 1, { codec: "vp8", ssrcs: src.streams.map((x) => x.ssrc) });
    p.r.x.set_layers(s, 1, Layer.SUBSTREAM, 1);
    p.r.x.set_layers(s, 1, Layer.TEMPORAL, 0);
    p.run(src, 16, [0, 1, 2], [0, 1, 2]);
    const got = p.of(s);
    assert.ok(got.length > 0 && got.every((g) => g.tid === 0), `only TID 0: ${got.map((g) => g.tid)}`);
    assert.ok(steps(got.map((g) => g.seq), 65536).every((d) => d === 1), "dropped layers leave no gap");
    const tl = p.events.filter((e) => e.slot === s && (e.flags & EvFlag.TEMPORAL));
    assert.deepStrictEqual(tl.map((e) => (e.ts >> 8) & 0xff), [0]);
  });

  it("VP9 SVC: a spatial cap relays layers up to it, with the marker on the top relayed layer", async () => {
    const r = await Router.create(8, 8);
    const pub = r.live(), s = r.live();
    r.x.route_add(pub, 1, s, 1);
    const p = new Path(r, pub);
    assert.strictEqual(r.simulcast(pub, 1, { codec: "vp9" }), 0, "VP9 without substreams: SVC layers");
    r.x.set_layers(s, 1, Layer.SPATIAL, 1);
    const src = new SvcSource();
    for (let i = 0; i < 8; i++) { r.now += 33n; for (const { pkt, tag } of src.picture(i === 0)) p.send(pkt, tag); }
    const got = p.of(s);
    assert.ok(got.length > 0 && got.every((g) => g.tag!.sid <= 1), `SID ≤ 1: ${got.map((g) => g.tag!.sid)}`);
    const marked = got.filter((g) => g.marker);
    assert.ok(marked.length >= 7 && marked.every((g) => g.tag!.sid === 1 && g.tag!.index === 1), "marker at the end of SID 1");
    assert.ok(p.events.some((e) => e.slot === s && (e.flags & EvFlag.SPATIAL) && ((e.ts >> 16) & 0xff) === 1));
  });

  it("malformed payload descriptors and truncated packets are counted drops, never traps", async () => {
    const { p } = await Path.create(1);
    p.r.simulcast(p.pub, 1, { codec: "vp8", ssrcs: [0x1000, 0x2000, 0x3000] });
    const g0 = p.r.globalStats();
    assert.strictEqual(p.send(rtp({ seq: 1, ts: 1, ssrc: 0x1000 }, new Uint8Array([0x90]))), Drop.MALFORMED, "X set, no extension byte");
    assert.strictEqual(p.send(rtp({ seq: 2, ts: 1, ssrc: 0x1000 }, new Uint8Array([0x90, 0x80]))), Drop.MALFORMED, "I set, no picture id");
    assert.strictEqual(p.r.sessionStats(p.pub).drops_malformed, 2);
    assert.strictEqual(p.r.globalStats().drops_malformed - g0.drops_malformed, 2);
    // A payload that starts so late that its descriptor is not in the copied head: relayed as opaque.
    const ext = Array.from({ length: 60 }, (_, i) => ({ id: 1 + (i % 14), data: filler(3, i) }));
    const late = rtp({ seq: 3, ts: 1, ssrc: 0x1000, ext }, vp8Payload({ start: true }, true, filler(200)));
    assert.ok(late.length > 256 && late.indexOf(0x9d) > 200);
    assert.ok(p.send(late) >= 0, "not malformed: the descriptor is past the head");
  });

  it("rewrites the payload type per recipient: the one it receives the sender's codec on, marker kept", async () => {
    const r = await Router.create(8, 8);
    const a = r.live(), b = r.live(), c = r.live();
    r.x.route_add(a, 0, b, 0);
    r.x.route_add(a, 0, c, 0);
    const VP8 = 5, H264 = 9;
    assert.strictEqual(r.codecs(a, [[[96, VP8], [102, H264]]]), 0);
    assert.strictEqual(r.codecs(b, [[[120, VP8], [126, H264]]]), 0);
    const p = new Path(r, a);
    p.send(rtp({ seq: 1, ts: 1, ssrc: 7, pt: 96, marker: true }, filler(20)), undefined, 0);
    p.send(rtp({ seq: 2, ts: 1, ssrc: 7, pt: 102 }, filler(20)), undefined, 0);
    p.send(rtp({ seq: 3, ts: 1, ssrc: 7, pt: 100 }, filler(20)), undefined, 0);
    assert.deepStrictEqual(p.of(b).map((g) => [g.pt, g.marker]), [[120, true], [126, false], [100, false]], "unknown codec: as it came");
    assert.deepStrictEqual(p.of(c).map((g) => g.pt), [96, 102, 100], "a recipient without tables gets the sender's");
    assert.strictEqual(r.x.set_codecs(a, 17), Err.ARG);
  });

  it("talk detection: talking and stopped-talking events from the host's levels, and the loudest score", async () => {
    const r = await Router.create(8, 8);
    const a = r.live();
    const p = new Path(r, a);
    assert.strictEqual(r.x.set_talk(a, 0, 10, 40), 0);
    assert.strictEqual(r.x.set_talk(a, 0, 10, 128), Err.ARG);
    const audio = (level: number, i: number) => p.send(rtp({ seq: i, ts: i * 960, ssrc: 3, pt: 111, ext: [{ id: 1, data: audioLevelData(level) }] }, filler(30)), undefined, 0, false, level);
    for (let i = 0; i < 20; i++) { r.now += 20n; audio(100, i); }
    assert.strictEqual(p.events.length, 0, "silence: no event");
    assert.strictEqual(r.x.talk_score(a, EVERY, r.now, 1000n), -1);
    for (let i = 20; i < 30; i++) { r.now += 20n; audio(20, i); }
    assert.deepStrictEqual(p.events.map((e) => [e.seq, e.slot, e.mindex, e.ts]), [[Ev.TALKING, a, 0, 2000]]);
    assert.strictEqual(r.x.talk_score(a, 0, r.now, 1000n), 2000);
    assert.strictEqual(r.x.talk_score(a, 0, r.now + 1001n, 1000n), -1, "too old");
    for (let i = 30; i < 40; i++) { r.now += 20n; audio(90 | 0x80, i); }
    assert.deepStrictEqual(p.events.map((e) => e.seq), [Ev.TALKING, Ev.STOPPED_TALKING], "the V bit is ignored");
    assert.strictEqual(p.events[1].ts, 9000);
    for (let i = 40; i < 60; i++) { r.now += 20n; audio(-1, i); }
    assert.strictEqual(p.events.length, 2, "packets without a level change nothing");
  });

  it("RTP forwarders: continuous copies with their own numbering, a substream filter, 4 per stream, gone with hangup", async () => {
    const { p, subs: [s] } = await Path.create(1);
    const src = new SimulcastSource();
    p.r.simulcast(p.pub, 1, { codec: "vp8", ssrcs: src.streams.map((x) => x.ssrc) });
    assert.strictEqual(p.r.x.fwd_add(0, p.pub, 1, 1), 0, "substream 1 only");
    assert.strictEqual(p.r.x.fwd_add(1, p.pub, 1, FWD_ANY), 0);
    assert.strictEqual(p.r.x.fwd_add(1, p.pub, 1, FWD_ANY), Err.DUP, "id in use");
    assert.strictEqual(p.r.x.fwd_add(2, p.pub, 1, 3), Err.ARG);
    p.run(src, 6, [0, 1, 2], [0, 1, 2]);
    const f0 = p.forwards.filter((d) => d.slot === 0), f1 = p.forwards.filter((d) => d.slot === 1);
    assert.strictEqual(f0.length, 12, "6 frames of substream 1, 2 packets each");
    assert.strictEqual(f1.length, 36, "every packet");
    assert.ok(steps(f0.map((d) => d.seq), 65536).every((d) => d === 1));
    assert.ok(f0.every((d) => d.mindex === 1 && (d.b1 & 0x7f) === 96));
    assert.ok(p.of(s).length > 0, "the route still relays");
    const stats = new DataView(p.r.x.memory.buffer, p.r.x.fwd_stats(0), 16);
    assert.strictEqual(Number(stats.getBigUint64(0, true)), 12);
    for (let i = 2; i < 4; i++) assert.strictEqual(p.r.x.fwd_add(i, p.pub, 1, FWD_ANY), 0);
    assert.strictEqual(p.r.x.fwd_add(4, p.pub, 1, FWD_ANY), Err.FULL, "4 per stream");
    assert.strictEqual(p.r.x.fwd_remove(0), 0);
    assert.strictEqual(p.r.x.fwd_remove(0), Err.NOROUTE);
    assert.strictEqual(p.r.x.fwd_stats(0), 0);
    p.r.x.session_hangup(p.pub);
    for (let i = 1; i < 4; i++) assert.strictEqual(p.r.x.fwd_stats(i), 0, `forwarder ${i} gone with the hangup`);
    assert.strictEqual(p.r.x.fwd_add(1, p.pub, 1, FWD_ANY), 0, "its id is free again");
  });

  it("hangup and close clear simulcast and talk state; targets survive a hangup; set_simulcast checks its blob", async () => {
    const { p, subs: [s] } = await Path.create(1);
    const src = new SimulcastSource();
    assert.strictEqual(p.r.simulcast(p.pub, 1, { codec: "vp8", rids: ["a"], ridExtId: 0 }), Err.ARG, "rids need an extension id");
    assert.strictEqual(p.r.simulcast(p.pub, 1, { codec: "vp8", rids: ["0123456789abcdef"], ridExtId: 3 }), Err.ARG, "16-byte rid");
    assert.strictEqual(p.r.simulcast(p.pub, 16, { codec: "vp8" }), Err.ARG);
    p.r.simulcast(p.pub, 1, { codec: "vp8", ssrcs: src.streams.map((x) => x.ssrc) });
    p.r.x.set_layers(s, 1, Layer.SUBSTREAM, 0);
    p.run(src, 5, [0, 1, 2], [0, 1, 2]);
    assert.strictEqual((p.r.x.layers_state(s, 1) >>> 24) & 3, 0, "target 0");
    p.r.x.session_hangup(s);
    const st = p.r.x.layers_state(s, 1);
    assert.deepStrictEqual([st & 0xff, (st >>> 24) & 3], [0xff, 0], "nothing relayed any more, the target kept");
    p.r.x.session_hangup(p.pub);
    p.r.x.session_start(p.pub);
    for (const m of [0, 1, 2]) p.r.x.set_valve(p.pub, m, 1, 1);
    const before = p.codes.length;
    p.run(src, 2);
    assert.ok(p.codes.slice(before).every((c) => c >= 0), "after hangup the stream is plain again: no simulcast drops");
    p.r.x.session_close(s);
    const again = p.r.live();
    assert.strictEqual(again, s, "the slot is reused");
    assert.strictEqual((p.r.x.layers_state(again, 1) >>> 24) & 3, 2, "a new session aims at the top");
  });
});
