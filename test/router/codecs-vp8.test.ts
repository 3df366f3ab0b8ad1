// VP8 payload descriptor parsing, keyframe detection (and frames that only look like
// keyframes), and the in-place picture id / TL0PICIDX rewrite, on router-codecs.wasm.

import * as assert from "node:assert";
import { Codecs } from "./codecs-harness";
import { vp8Payload, vp8Descriptor, vp8FrameHeader, filler, concatBytes } from "../helpers/rtp-media";

describe("router codecs: VP8", () => {
  let c: Codecs;
  before(async () => { c = await Codecs.create(); });

  it("parses a minimal descriptor (no X): start of partition 0, no ids", () => {
    const r = c.vp8(vp8Payload({}, false));
    assert.deepStrictEqual([r.rc, r.start, r.key, r.picId, r.tl0, r.tid], [1, true, false, -1, -1, -1]);
  });

  it("reads 15-bit and 7-bit picture ids, TL0PICIDX, TID and Y with their offsets", () => {
    let r = c.vp8(vp8Payload({ picId: 0x1234, tl0: 200, tid: 2, sync: true, keyIdx: 5 }));
    assert.deepStrictEqual([r.rc, r.picId, r.long, r.picIdOff, r.tl0, r.tl0Off, r.tid, r.sync], [6, 0x1234, true, 2, 200, 4, 2, true]);
    r = c.vp8(vp8Payload({ picId: 100, longPicId: false, tid: 1 }));
    assert.deepStrictEqual([r.rc, r.picId, r.long, r.picIdOff, r.tl0, r.tid, r.sync], [4, 100, false, 2, -1, 1, false]);
    // K without T: the shared byte is there but carries no temporal layer.
    r = c.vp8(vp8Payload({ keyIdx: 3 }));
    assert.deepStrictEqual([r.rc, r.tid], [3, -1]);
  });

  it("detects the first packet of a key frame", () => {
    assert.strictEqual(c.vp8(vp8Payload({ picId: 7, tl0: 1, tid: 0 }, true)).key, true);
    assert.strictEqual(c.vp8(vp8Payload({}, true)).key, true);
  });

  describe("frames that look like key frames but are not", () => {
    const keyHeader = Uint8Array.from(vp8FrameHeader(true));
    const cases: [string, Uint8Array][] = [
      ["an inter frame (P = 1)", vp8Payload({ picId: 1 }, false)],
      ["a continuation packet (S = 0) whose data starts like a key frame header",
        concatBytes(Uint8Array.from(vp8Descriptor({ start: false, picId: 1 })), keyHeader, filler(20))],
      ["a start of partition 1 (PID = 1) carrying key-frame-like bytes",
        concatBytes(Uint8Array.from(vp8Descriptor({ pid: 1, picId: 1 })), keyHeader, filler(20))],
      ["P = 0 without the start code",
        concatBytes(Uint8Array.from(vp8Descriptor({ picId: 1 })), Uint8Array.of(0x10, 0, 0, 0x9d, 0x01, 0x2b, 0x40, 1, 0xb4, 0), filler(10))],
      ["a key frame header cut before its size", concatBytes(Uint8Array.from(vp8Descriptor({ picId: 1 })), keyHeader.subarray(0, 8))],
      ["a zero width", concatBytes(Uint8Array.from(vp8Descriptor({})), Uint8Array.of(0x10, 0, 0, 0x9d, 0x01, 0x2a, 0, 0, 0xb4, 0))],
    ];
    for (const [name, payload] of cases) {
      it(name, () => {
        const r = c.vp8(payload);
        assert.ok(r.rc > 0, "parses");
        assert.strictEqual(r.key, false);
      });
    }
  });

  it("rewrites the picture id (keeping its width) and TL0PICIDX in place, nothing else", () => {
    for (const long of [true, false]) {
      const payload = vp8Payload({ picId: long ? 0x7ffe : 0x7e, longPicId: long, tl0: 255, tid: 1, sync: true });
      const p = c.place(payload);
      assert.ok(c.x.t_vp8(p, payload.length) > 0);
      c.x.t_vp8_rewrite(p, 0x4321, 17);
      const after = c.bytes(p, payload.length);
      const again = c.vp8(after);
      assert.deepStrictEqual([again.picId, again.long, again.tl0, again.tid, again.sync],
        [long ? 0x4321 : 0x21, long, 17, 1, true]);
      const changed = [...after].map((b, i) => (b !== payload[i] ? i : -1)).filter((i) => i >= 0);
      assert.ok(changed.every((i) => i >= 2 && i <= 4), `only descriptor id bytes change: ${changed}`);
    }
  });

  describe("malformed descriptors are refused without reading past the end", () => {
    const cases: [string, number[]][] = [
      ["empty", []],
      ["descriptor byte only", [0x10]],
      ["X without its byte", [0x90]],
      ["I without the picture id", [0x90, 0x80]],
      ["M without the second picture id byte", [0x90, 0x80, 0x81]],
      ["L without TL0PICIDX", [0x90, 0x40]],
      ["T without its byte", [0x90, 0x20]],
      ["everything announced, nothing after", [0x90, 0xf0, 0x81, 0x02, 0x03, 0x40]],
    ];
    for (const [name, bytes] of cases) {
      it(name, () => assert.strictEqual(c.vp8(Uint8Array.from(bytes)).rc, -1));
    }
  });
});
