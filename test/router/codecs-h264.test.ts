// H.264 keyframe detection (RFC 6184 single NAL units, STAP-A, FU-A/FU-B), including
// packets that belong to a keyframe but cannot start one, on router-codecs.wasm.

import * as assert from "node:assert";
import { Codecs, H264 } from "./codecs-harness";
import { NAL, nalUnit, stapA, fuA } from "../helpers/rtp-media";

describe("router codecs: H.264", () => {
  let c: Codecs;
  before(async () => { c = await Codecs.create(); });

  const idr = nalUnit(NAL.IDR, 300);
  const keys: [string, Uint8Array][] = [
    ["an SPS alone", nalUnit(NAL.SPS, 10)],
    ["the first slice of an IDR picture", nalUnit(NAL.IDR, 50)],
    ["STAP-A with SPS, PPS", stapA([nalUnit(NAL.SPS, 10), nalUnit(NAL.PPS, 4)])],
    ["STAP-A with AUD, SPS, PPS, IDR", stapA([nalUnit(NAL.AUD, 1), nalUnit(NAL.SPS, 10), nalUnit(NAL.PPS, 4), nalUnit(NAL.IDR, 30)])],
    ["the first FU-A fragment of an IDR slice", fuA(idr, 0, 100)],
    ["the first FU-B fragment of an IDR slice", fuA(idr, 0, 100, { b: true })],
  ];
  for (const [name, payload] of keys) it(`key: ${name}`, () => assert.strictEqual(c.h264(payload), H264.KEY));

  const deltas: [string, Uint8Array][] = [
    ["a non-IDR slice", nalUnit(NAL.SLICE, 50)],
    ["a PPS alone", nalUnit(NAL.PPS, 4)],
    ["an SEI", nalUnit(NAL.SEI, 8)],
    ["a second slice of an IDR picture (first_mb_in_slice ≠ 0)", nalUnit(NAL.IDR, 50, 1)],
    ["a middle FU-A fragment of an IDR slice", fuA(idr, 100, 200)],
    ["the last FU-A fragment of an IDR slice", fuA(idr, 200, 300)],
    ["the first FU-A fragment of a non-IDR slice", fuA(nalUnit(NAL.SLICE, 300), 0, 100)],
    ["STAP-A of PPS and SEI", stapA([nalUnit(NAL.PPS, 4), nalUnit(NAL.SEI, 6)])],
  ];
  for (const [name, payload] of deltas) it(`not key: ${name}`, () => assert.strictEqual(c.h264(payload), H264.DELTA));

  const malformed: [string, number[]][] = [
    ["empty", []],
    ["a NAL header only", [0x65]],
    ["forbidden bit set", [0xe5, 0x88, 0x00]],
    ["STAP-A with a size past the end", [0x78, 0x00, 0x10, 0x67, 0x00]],
    ["STAP-A with a zero size", [0x78, 0x00, 0x00, 0x67]],
    ["STAP-A with a dangling size byte", [0x78, 0x00, 0x02, 0x67, 0x00, 0x00]],
    ["STAP-A with a forbidden bit inside", [0x78, 0x00, 0x02, 0xe7, 0x00]],
    ["FU-A without data", [0x7c, 0x85]],
    ["FU-A with start and end set", [0x7c, 0xc5, 0x88]],
    ["FU-B without data after the DON", [0x7d, 0x85, 0x00, 0x01]],
  ];
  for (const [name, bytes] of malformed) it(`malformed: ${name}`, () => assert.strictEqual(c.h264(Uint8Array.from(bytes)), H264.MALFORMED));
});
