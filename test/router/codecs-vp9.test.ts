// VP9 payload descriptor parsing (flexible and non-flexible mode, reference indices, the
// scalability structure) and keyframe detection, on router-codecs.wasm.

import * as assert from "node:assert";
import { Codecs } from "./codecs-harness";
import { vp9Payload, vp9Descriptor, vp9FrameHeader, filler, concatBytes } from "../helpers/rtp-media";

describe("router codecs: VP9", () => {
  let c: Codecs;
  before(async () => { c = await Codecs.create(); });

  it("parses non-flexible mode: picture id, layer indices, TL0PICIDX", () => {
    const r = c.vp9(vp9Payload({ picId: 0x2345, tid: 2, switchUp: true, sid: 1, interLayer: true, tl0: 9 }));
    assert.deepStrictEqual(
      [r.rc, r.start, r.end, r.inter, r.flexible, r.hasLayers, r.tid, r.sid, r.switchUp, r.interLayer, r.picId],
      [5, true, true, true, false, true, 2, 1, true, true, 0x2345]);
  });

  it("parses flexible mode with reference indices, and 7-bit picture ids", () => {
    const r = c.vp9(vp9Payload({ flexible: true, picId: 5, longPicId: false, tid: 1, sid: 0, pdiffs: [1, 2, 4] }));
    assert.deepStrictEqual([r.rc, r.flexible, r.picId, r.tid, r.sid], [1 + 1 + 1 + 3, true, 5, 1, 0]);
  });

  it("skips the scalability structure (sizes and picture group)", () => {
    const d = { inter: false, tid: 0, sid: 0, ss: { spatialLayers: 3, sizes: true, group: [{ tid: 0, pdiffs: [] }, { tid: 1, switchUp: true, pdiffs: [1, 2] }] } };
    const head = vp9Descriptor(d);
    const r = c.vp9(vp9Payload(d, "key"));
    assert.strictEqual(r.rc, head.length);
    assert.strictEqual(r.key, true);
  });

  it("without L: layer 0, no layer information", () => {
    const r = c.vp9(vp9Payload({ inter: false }, "key"));
    assert.deepStrictEqual([r.hasLayers, r.tid, r.sid, r.key], [false, 0, 0, true]);
  });

  it("detects key frames of profiles 0 to 3", () => {
    for (const profile of [0, 1, 2, 3]) {
      const payload = concatBytes(Uint8Array.from(vp9Descriptor({ inter: false, sid: 0, tid: 0 })),
        Uint8Array.from(vp9FrameHeader("key", profile)), filler(20));
      assert.strictEqual(c.vp9(payload).key, true, `profile ${profile}`);
    }
  });

  describe("frames that look like key frames but are not", () => {
    const cases: [string, Uint8Array][] = [
      ["an inter frame header without inter-picture prediction (P = 0, frame_type 1)",
        vp9Payload({ inter: false, tid: 0, sid: 0 }, "inter")],
      ["the spatial layer 1 frame of a key picture (P = 0, SID 1, D = 1)",
        vp9Payload({ inter: false, tid: 0, sid: 1, interLayer: true }, "key")],
      ["a key frame header in a continuation packet (B = 0)",
        concatBytes(Uint8Array.from(vp9Descriptor({ start: false, inter: false, sid: 0 })), Uint8Array.from(vp9FrameHeader("key")), filler(10))],
      ["a key frame header with P = 1", vp9Payload({ inter: true, sid: 0 }, "key")],
      ["show_existing_frame", concatBytes(Uint8Array.from(vp9Descriptor({ inter: false })), Uint8Array.from(vp9FrameHeader("show-existing")), filler(10))],
      ["a wrong sync code", concatBytes(Uint8Array.from(vp9Descriptor({ inter: false })), Uint8Array.of(0x82, 0x49, 0x83, 0x43), filler(10))],
      ["a wrong frame marker", concatBytes(Uint8Array.from(vp9Descriptor({ inter: false })), Uint8Array.of(0x42, 0x49, 0x83, 0x42), filler(10))],
      ["a key frame header cut short", concatBytes(Uint8Array.from(vp9Descriptor({ inter: false })), Uint8Array.of(0x82, 0x49, 0x83, 0x42))],
    ];
    for (const [name, payload] of cases) {
      it(name, () => {
        const r = c.vp9(payload);
        assert.ok(r.rc > 0, "parses");
        assert.strictEqual(r.key, false);
      });
    }
  });

  describe("malformed descriptors are refused without reading past the end", () => {
    const cases: [string, number[]][] = [
      ["empty", []],
      ["descriptor byte only", [0x0c]],
      ["M without the second picture id byte", [0x8c, 0x81]],
      ["L without its byte", [0x2c]],
      ["non-flexible L without TL0PICIDX", [0x2c, 0x00]],
      ["flexible P: a reference index announcing another that is missing", [0x5c, 0x03]],
      ["more than three reference indices", [0x5c, 0x03, 0x05, 0x07, 0x09, 0x00, 0x00]],
      ["V without its byte", [0x2e, 0x00, 0x00]],
      ["V with sizes cut short", [0x0e, 0x30, 0x01, 0x40, 0x00]],
      ["V with a picture group cut short", [0x0e, 0x08, 0x02, 0x04]],
      ["everything, then no data", [0x2c, 0x00, 0x00]],
    ];
    for (const [name, bytes] of cases) {
      it(name, () => assert.strictEqual(c.vp9(Uint8Array.from(bytes)).rc, -1));
    }
  });
});
