// Payload location and header-extension lookup (RFC 8285 one-byte and two-byte forms) and
// the audio level (RFC 6464), on router-codecs.wasm.

import * as assert from "node:assert";
import { Codecs } from "./codecs-harness";
import { rtp, filler, audioLevelData, sdesData } from "../helpers/rtp-media";

describe("router codecs: RTP payload and header extensions", () => {
  let c: Codecs;
  before(async () => { c = await Codecs.create(); });

  function payload(pkt: Uint8Array): [number, number] {
    const o = c.x.t_payload(c.place(pkt), pkt.length);
    return [o, c.res(1)[0]];
  }
  function ext(pkt: Uint8Array, id: number): number[] | null {
    const p = c.place(pkt);
    const o = c.x.t_find_ext(p, pkt.length, id);
    return o === 0 ? null : Array.from(c.bytes(p + o, c.res(1)[0]));
  }

  it("finds the payload after CSRCs and the extension, before the padding", () => {
    assert.deepStrictEqual(payload(rtp({}, filler(20))), [12, 20]);
    assert.deepStrictEqual(payload(rtp({ csrcs: 2, ext: [{ id: 1, data: [5] }], padding: 3 }, filler(20))), [12 + 8 + 8, 20]);
    assert.deepStrictEqual(payload(rtp({ padding: 4 }, new Uint8Array(0))), [12, 0]);
  });

  it("refuses headers that do not fit", () => {
    const good = rtp({ ext: [{ id: 1, data: [5] }] }, filler(4));
    for (const bad of [good.subarray(0, 11), good.subarray(0, 15), good.subarray(0, 19)]) assert.strictEqual(payload(bad)[0], 0);
    const v1 = good.slice(); v1[0] = 0x50; assert.strictEqual(payload(v1)[0], 0);
    const pad0 = rtp({ padding: 1 }, filler(4)); pad0[pad0.length - 1] = 0; assert.strictEqual(payload(pad0)[0], 0);
    const padBig = rtp({ padding: 1 }, filler(4)); padBig[padBig.length - 1] = 6; assert.strictEqual(payload(padBig)[0], 0);
  });

  it("finds one-byte elements by id, skipping padding bytes", () => {
    const pkt = rtp({ ext: [{ id: 1, data: audioLevelData(30, true) }, { id: 4, data: sdesData("h") }, { id: 9, data: [1, 2, 3] }] }, filler(10));
    assert.deepStrictEqual(ext(pkt, 1), [0x80 | 30]);
    assert.deepStrictEqual(ext(pkt, 4), [0x68]);
    assert.deepStrictEqual(ext(pkt, 9), [1, 2, 3]);
    assert.strictEqual(ext(pkt, 2), null);
    assert.strictEqual(ext(pkt, 15), null, "15 is not an id in the one-byte form");
    // A padding byte between elements.
    const padded = Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 2, 0x10, 0x2a, 0x00, 0x20, 7, 0, 0, 0, 9, 9]);
    assert.deepStrictEqual(ext(padded, 2), [7]);
  });

  it("stops at id 15 and at elements running past the block", () => {
    const stop = Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 0xf0, 0x20, 7, 0, 9]);
    assert.strictEqual(ext(stop, 2), null);
    const over = Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 0x25, 1, 2, 3, 9, 9, 9, 9]);
    assert.strictEqual(ext(over, 2), null);
  });

  it("finds two-byte elements, ids above 14 and empty ones", () => {
    const pkt = rtp({ extForm: "two-byte", ext: [{ id: 1, data: audioLevelData(90) }, { id: 200, data: sdesData("high-quality") }, { id: 3, data: [] }] }, filler(10));
    assert.deepStrictEqual(ext(pkt, 1), [90]);
    assert.deepStrictEqual(ext(pkt, 200), sdesData("high-quality"));
    assert.deepStrictEqual(ext(pkt, 3), []);
    assert.strictEqual(ext(pkt, 0), null);
    assert.strictEqual(ext(pkt, 256), null);
    const cut = Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 0x00, 0, 1, 0x05, 0x09, 1, 2, 9]);
    assert.strictEqual(ext(cut, 5), null);
  });

  it("reads the audio level and voice activity, -1 when absent or empty", () => {
    const level = (pkt: Uint8Array, id: number) => c.x.t_audio_level(c.place(pkt), pkt.length, id);
    assert.strictEqual(level(rtp({ ext: [{ id: 1, data: audioLevelData(25, true) }] }, filler(10)), 1), 0x80 | 25);
    assert.strictEqual(level(rtp({ extForm: "two-byte", ext: [{ id: 3, data: audioLevelData(127) }] }, filler(10)), 3), 127);
    assert.strictEqual(level(rtp({ ext: [{ id: 1, data: [0] }] }, filler(10)), 2), -1);
    assert.strictEqual(level(rtp({}, filler(10)), 1), -1);
    assert.strictEqual(level(rtp({ extForm: "two-byte", ext: [{ id: 1, data: [] }] }, filler(10)), 1), -1);
  });
});
