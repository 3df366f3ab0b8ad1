// Simulcast layer selection (router-as/media: sender.ts, layers.ts, forward.ts) on generated
// VP8 and H.264 streams of three substreams: keyframe-only switching, fallback when a
// substream stops (driven by the time argument), keyframe requests, one continuous
// seq/ts/picture-id/TL0PICIDX sequence per recipient across switches and wraparounds, and
// temporal-layer dropping, on router-codecs.wasm.

import * as assert from "node:assert";
import { Codec, L, NONE, Pk } from "./codecs-harness";
import { LayerRig, SimulcastSource, Recipient, run, steps } from "./layers-rig";
import { vp8Payload, rtp } from "../helpers/rtp-media";

const subsOf = (r: Recipient) => r.relayed().map((o) => o.tag.sub);
/** Substream of each relayed packet, with consecutive repeats folded: [2, 1, 2] etc. */
const runsOf = (r: Recipient) => subsOf(r).filter((s, i, a) => i === 0 || a[i - 1] !== s);

describe("router media: simulcast layer selection", () => {
  let rig: LayerRig, src: SimulcastSource;
  beforeEach(async () => {
    rig = await LayerRig.create(Codec.VP8);
    src = new SimulcastSource();
    rig.ssrcs(src.streams.map((s) => s.ssrc));
  });

  it("relays nothing before a keyframe, then the target substream starting with its keyframe", () => {
    const r = rig.recipient({ sub: 1 });
    run(rig, src, 5);
    assert.strictEqual(r.relayed().length, 0);
    assert.strictEqual(r.flagged(L.ASK_KEYFRAME).length, 1, "one keyframe request while waiting (re-ask after 1 s)");
    run(rig, src, 10, [0, 1, 2], [0, 1, 2]);
    const first = r.relayed()[0];
    assert.deepStrictEqual([first.tag.sub, first.tag.key, first.tag.index], [1, true, 0]);
    assert.ok(first.flags & L.SWITCHED);
    assert.deepStrictEqual(runsOf(r), [1]);
    assert.deepStrictEqual(rig.state(r).slice(0, 2), [1, 2]);
  });

  it("waits for the target's keyframe; a target never seen counts as gone 250 ms after the stream started", () => {
    const r = rig.recipient({ sub: 2 });
    run(rig, src, 3, [0, 1], [0, 1]); // 2 has not sent anything yet, but the stream is young
    assert.strictEqual(r.relayed().length, 0, "keyframes below the target are not taken at first");
    const start = rig.now - 2 * 33;
    while (rig.now + 33 <= start + 250) run(rig, src, 1, [0, 1]);
    run(rig, src, 2, [0, 1]);
    assert.ok(rig.now > start + 250);
    assert.strictEqual(r.relayed().length, 0);
    run(rig, src, 2, [0, 1], [1]); // now substream 1 is the best one flowing
    assert.deepStrictEqual(runsOf(r), [1]);
    run(rig, src, 2, [0, 1, 2], [2]);
    assert.deepStrictEqual(runsOf(r), [1, 2]);
  });

  it("switches up and down only at keyframes of a substream on the way to the target", () => {
    const r = rig.recipient({ sub: 0 });
    run(rig, src, 2, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(r), [0]);
    rig.target(r, { sub: 2 });
    const asked = r.outs.length;
    run(rig, src, 10);
    assert.deepStrictEqual(runsOf(r), [0], "no keyframe on 1 or 2 yet: stays on 0");
    assert.ok(r.outs.slice(asked).some((o) => o.flags & L.ASK_KEYFRAME), "asks a keyframe");
    run(rig, src, 3, [0, 1, 2], [1]); // a keyframe on 1, which lies on the way up
    assert.deepStrictEqual(runsOf(r), [0, 1]);
    run(rig, src, 3, [0, 1, 2], [2]);
    assert.deepStrictEqual(runsOf(r), [0, 1, 2]);
    rig.target(r, { sub: 0 });
    run(rig, src, 5, [0, 1, 2], [1]); // 1 is on the way down but not the target: still a switch
    assert.deepStrictEqual(runsOf(r), [0, 1, 2, 1]);
    run(rig, src, 5);
    assert.deepStrictEqual(runsOf(r), [0, 1, 2, 1], "deltas of 0 do not switch");
    run(rig, src, 2, [0, 1, 2], [0]);
    assert.deepStrictEqual(runsOf(r), [0, 1, 2, 1, 0]);
    // Every switch happened on the first packet of a keyframe.
    for (const o of r.flagged(L.SWITCHED)) assert.deepStrictEqual([o.tag.key, o.tag.index], [true, 0]);
    assert.strictEqual(r.flagged(L.SWITCHED).length, 5);
  });

  it("keeps the current substream when a keyframe arrives beyond the target", () => {
    const r = rig.recipient({ sub: 1 });
    run(rig, src, 2, [0, 1, 2], [1]);
    run(rig, src, 3, [0, 1, 2], [2, 0]);
    assert.deepStrictEqual(runsOf(r), [1]);
  });

  it("falls back to a lower substream after 250 ms without packets of the current one, and back up", () => {
    const r = rig.recipient({ sub: 2 });
    run(rig, src, 2, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(r), [2]);
    const last2 = rig.now;
    const stopped = r.outs.length;
    // Substream 2 stops; 0 and 1 go on. Up to 250 ms is still alive: no request, no switch.
    while (rig.now + 33 <= last2 + 250) run(rig, src, 1, [0, 1]);
    assert.ok(r.outs.length > stopped);
    assert.ok(!r.outs.slice(stopped).some((o) => o.flags & (L.ASK_KEYFRAME | L.SWITCHED)));
    const at = r.outs.length;
    rig.now = last2 + 251 - 33;
    run(rig, src, 1, [0, 1]);
    assert.strictEqual(r.outs.slice(at).filter((o) => o.flags & L.ASK_KEYFRAME).length, 1, "keyframe asked at 251 ms");
    assert.deepStrictEqual(runsOf(r), [2], "no switch before a keyframe of 1");
    run(rig, src, 2, [0, 1], [1]);
    assert.deepStrictEqual(runsOf(r), [2, 1]);
    assert.ok(r.outs.slice(at).some((o) => o.flags & L.SWITCHED));
    // Substream 2 resumes: the target is alive again, asked and taken at its keyframe.
    run(rig, src, 2, [0, 1, 2]);
    assert.deepStrictEqual(runsOf(r), [2, 1]);
    run(rig, src, 2, [0, 1, 2], [2]);
    assert.deepStrictEqual(runsOf(r), [2, 1, 2]);
  });

  it("falls back past a dead middle substream to the highest live one", () => {
    const r = rig.recipient({ sub: 2 });
    run(rig, src, 2, [0, 1, 2], [2]);
    assert.deepStrictEqual(runsOf(r), [2]);
    rig.now += 300;
    run(rig, src, 3, [0], [0]);
    assert.deepStrictEqual(runsOf(r), [2, 0]);
  });

  it("asks a keyframe at once, then every `reask` ms while the switch waits", () => {
    const r = rig.recipient({ sub: 0 });
    run(rig, src, 2, [0, 1, 2], [0]);
    rig.target(r, { sub: 2 });
    const from = r.outs.length;
    const t0 = rig.now;
    run(rig, src, 100); // 3.3 s of deltas
    const asks = r.outs.slice(from).filter((o) => o.flags & L.ASK_KEYFRAME).length;
    const expected = Math.floor((rig.now - (t0 + 33)) / rig.reask) + 1;
    assert.strictEqual(asks, expected);
  });

  it("gives one continuous seq, timestamp, picture id and TL0PICIDX sequence across switches and wraparounds", async () => {
    src = new SimulcastSource({
      start: [
        { seq: 65530, ts: 0xfffff000, picId: 32760, tl0: 250 },
        { seq: 10, ts: 5, picId: 7, tl0: 0 },
        { seq: 65534, ts: 0xffffffff - 3000 * 4, picId: 32766, tl0: 254 },
      ],
    });
    rig = await LayerRig.create(Codec.VP8);
    rig.ssrcs(src.streams.map((s) => s.ssrc));
    const r = rig.recipient({ sub: 0 });
    run(rig, src, 8, [0, 1, 2], [0]);
    rig.target(r, { sub: 2 }); run(rig, src, 8, [0, 1, 2], [2]);
    rig.target(r, { sub: 1 }); run(rig, src, 8, [0, 1, 2], [1]);
    rig.target(r, { sub: 2 }); run(rig, src, 8, [0, 1, 2], [2]);
    assert.deepStrictEqual(runsOf(r), [0, 2, 1, 2]);
    const out = r.relayed().map((o) => o.pkt!);
    assert.ok(new Set(out.map((p) => p.ssrc)).size === 3, "the copies keep their SSRC (host-c rewrites it)");
    assert.ok(steps(out.map((p) => p.seq), 65536).every((d) => d === 1), "seq +1 per packet");
    const tsSteps = steps(out.map((p) => p.ts), 2 ** 32);
    assert.ok(tsSteps.every((d) => d === 0 || (d >= 1 && d <= 3000)), `ts goes forward: ${tsSteps}`);
    // Per frame (first packets): picture ids +1, TL0PICIDX +1 at each temporal-layer-0 frame.
    const firsts = r.relayed().filter((o) => o.tag.index === 0).map((o) => o.pkt!);
    assert.ok(steps(firsts.map((p) => p.picId), 32768).every((d) => d === 1), `picture ids: ${firsts.map((p) => p.picId)}`);
    const tl0Steps = steps(firsts.map((p) => p.tl0), 256);
    firsts.slice(1).forEach((p, i) => assert.strictEqual(tl0Steps[i], p.tid === 0 ? 1 : 0, `tl0 at frame ${i + 1}`));
    assert.ok(out.some((p, i) => i > 0 && p.seq < out[i - 1].seq), "the seq wrapped");
    assert.ok(firsts.some((p, i) => i > 0 && p.picId < firsts[i - 1].picId), "the picture id wrapped");
  });

  it("keeps 7-bit picture ids 7 bits wide and continuous modulo 128", async () => {
    src = new SimulcastSource({ longPicId: false, start: [{ picId: 120 }, { picId: 3 }, { picId: 60 }] });
    rig = await LayerRig.create(Codec.VP8);
    rig.ssrcs(src.streams.map((s) => s.ssrc));
    const r = rig.recipient({ sub: 0 });
    run(rig, src, 12, [0, 1, 2], [0]);
    rig.target(r, { sub: 1 }); run(rig, src, 12, [0, 1, 2], [1]);
    const firsts = r.relayed().filter((o) => o.tag.index === 0).map((o) => o.pkt!);
    assert.ok(firsts.every((p) => p.picId < 128 && (p.payload[2] & 0x80) === 0));
    assert.ok(steps(firsts.map((p) => p.picId), 128).every((d) => d === 1), `${firsts.map((p) => p.picId)}`);
  });

  it("drops temporal layers above the target, closing the seq gaps, and switches at the right pictures", () => {
    const r = rig.recipient({ sub: 0, temporal: 0 });
    run(rig, src, 12, [0], [0]);
    const relayed = r.relayed();
    assert.ok(relayed.every((o) => o.tag.tid === 0));
    assert.strictEqual(relayed.length, 3 * 2, "frames 0, 4, 8 of 12");
    assert.ok(r.outs.filter((o) => o.tag.tid > 0).every((o) => o.flags === L.SHIFT));
    assert.ok(steps(relayed.map((o) => o.pkt!.seq), 65536).every((d) => d === 1), "no seq gap where layers were dropped");
    // Up to 2: only at a layer-sync frame of layer 1 or 2 (pattern 0,2,1,2: frames 1 and 2 sync).
    rig.target(r, { sub: 0, temporal: 2 });
    const from = r.outs.length;
    run(rig, src, 1); // frame 12: TL0, no up-switch
    assert.deepStrictEqual(rig.state(r)[1], 0);
    run(rig, src, 1, [0]); // frame 13: TL2 with Y → up to 2
    assert.deepStrictEqual(rig.state(r)[1], 2);
    const changed = r.outs.slice(from).filter((o) => o.flags & L.TEMPORAL);
    assert.deepStrictEqual(changed.map((o) => [o.tag.tid, o.tag.index]), [[2, 0]]);
    // Down to 1: at the next frame start; layer-2 frames are dropped from then on.
    rig.target(r, { sub: 0, temporal: 1 });
    const before = r.outs.length;
    run(rig, src, 8, [0]);
    assert.deepStrictEqual(rig.state(r)[1], 1);
    assert.ok(r.outs.slice(before).every((o) => (o.tag.tid <= 1) === ((o.flags & L.RELAY) !== 0)));
    const all = r.relayed().map((o) => o.pkt!.seq);
    assert.ok(steps(all, 65536).every((d) => d === 1), "one continuous seq over everything relayed");
  });

  it("does not move the temporal layer up at a frame that is not a layer sync", () => {
    const r = rig.recipient({ sub: 0, temporal: 0 });
    run(rig, src, 4, [0], [0]); // frames 0..3
    rig.target(r, { sub: 0, temporal: 2 });
    run(rig, src, 1, [0]); // frame 4: TL0
    const st = src.streams[0]; // frame 5 would be a TL2 layer sync: send a TL2 without Y instead
    const pkt = rtp({ seq: st.seq, ts: st.ts, ssrc: st.ssrc }, vp8Payload({ picId: st.picId, tl0: st.tl0, tid: 2, sync: false }));
    rig.send(pkt, { sub: 0, frame: 99, index: 0, key: false, tid: 2, sid: -1 });
    assert.strictEqual(rig.state(r)[1], 0);
    assert.strictEqual(r.outs.at(-1)!.flags, L.SHIFT);
  });

  it("learns substreams by rid and drops packets of unknown SSRCs", async () => {
    rig = await LayerRig.create(Codec.VP8);
    rig.rids(["q", "h", "f"], 4);
    src = new SimulcastSource({ ssrcs: [0xa1, 0xb2, 0xc3], rid: { id: 4, rids: ["q", "h", "f"] } });
    const r = rig.recipient({ sub: 1 });
    run(rig, src, 3, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(r), [1]);
    // Once learnt, a packet without the rid is still recognised by its SSRC.
    const st = src.streams[1];
    rig.send(rtp({ seq: st.seq, ts: st.ts, ssrc: st.ssrc }, vp8Payload({ picId: st.picId, tl0: st.tl0, tid: 0 })), { sub: 1, frame: 0, index: 0, key: false, tid: 0, sid: -1 });
    assert.ok(r.outs.at(-1)!.flags & L.RELAY);
    // An SSRC without a known rid, and a rid we do not know: dropped before any recipient.
    assert.strictEqual(rig.send(rtp({ ssrc: 0xdead }, vp8Payload({})), { sub: -1, frame: 0, index: 0, key: false, tid: -1, sid: -1 }), Pk.UNKNOWN);
    const other = rtp({ ssrc: 0xbeef, ext: [{ id: 4, data: [0x78] }] }, vp8Payload({}));
    assert.strictEqual(rig.send(other, { sub: -1, frame: 0, index: 0, key: false, tid: -1, sid: -1 }), Pk.UNKNOWN);
  });

  it("switches H.264 substreams at SPS/IDR packets only", async () => {
    rig = await LayerRig.create(Codec.H264);
    src = new SimulcastSource({ codec: "h264", packets: 3 });
    rig.ssrcs(src.streams.map((s) => s.ssrc));
    const r = rig.recipient({ sub: 2 });
    run(rig, src, 3);
    assert.strictEqual(r.relayed().length, 0);
    run(rig, src, 3, [0, 1, 2], [2]);
    const first = r.relayed()[0];
    assert.deepStrictEqual([first.tag.sub, first.tag.key, first.tag.index], [2, true, 0]);
    rig.target(r, { sub: 0 });
    run(rig, src, 3);
    assert.deepStrictEqual(runsOf(r), [2]);
    run(rig, src, 2, [0, 1, 2], [0]);
    assert.deepStrictEqual(runsOf(r), [2, 0]);
    assert.ok(steps(r.relayed().map((o) => o.pkt!.seq), 65536).every((d) => d === 1));
    assert.strictEqual(rig.state(r)[1], NONE, "H.264 has no temporal layer index");
  });

  it("recipients on different targets each get their own substream and numbering", () => {
    const rs = [rig.recipient({ sub: 0 }), rig.recipient({ sub: 1 }), rig.recipient({ sub: 2, temporal: 1 })];
    run(rig, src, 12, [0, 1, 2], [0, 1, 2]);
    rs.forEach((r, i) => {
      assert.deepStrictEqual(runsOf(r), [i]);
      assert.ok(steps(r.relayed().map((o) => o.pkt!.seq), 65536).every((d) => d === 1));
    });
    assert.ok(rs[2].relayed().every((o) => o.tag.tid <= 1));
  });

  it("drops malformed payload descriptors for every recipient, counted, without trapping", () => {
    const r = rig.recipient({ sub: 0 });
    run(rig, src, 2, [0], [0]);
    const n = r.outs.length;
    const bad = [Uint8Array.of(0x90), Uint8Array.of(0x90, 0x80), Uint8Array.of(0x90, 0xc0, 0x81)];
    for (const payload of bad) {
      assert.strictEqual(rig.send(rtp({ ssrc: src.streams[0].ssrc }, payload), { sub: 0, frame: 0, index: 0, key: false, tid: -1, sid: -1 }), Pk.MALFORMED);
    }
    assert.strictEqual(rig.malformed(), bad.length);
    assert.strictEqual(r.outs.length, n, "no recipient saw them");
    // A padding-only packet (no payload) is not malformed: relayed on the current substream.
    assert.strictEqual(rig.send(rtp({ ssrc: src.streams[0].ssrc, seq: src.streams[0].seq, padding: 8 }, new Uint8Array(0)),
      { sub: 0, frame: 0, index: 0, key: false, tid: -1, sid: -1 }), Pk.OK);
    assert.ok(r.outs.at(-1)!.flags & L.RELAY);
  });

  it("refuses targets out of range and keeps the old ones", () => {
    const r = rig.recipient({ sub: 1, temporal: 1 });
    assert.throws(() => rig.target(r, { sub: 3 }));
    assert.throws(() => rig.target(r, { temporal: 3 }));
    run(rig, src, 2, [0, 1, 2], [0, 1, 2]);
    assert.deepStrictEqual(runsOf(r), [1]);
  });
});
