// H.264 RTP payload (RFC 6184): keyframe detection in single NAL unit packets, STAP-A
// aggregates and FU-A/FU-B fragments.
//
//  NAL unit header:  |F|NRI|  Type   |   F: forbidden (must be 0)
//  Type 1..23: one NAL unit (5 IDR slice, 7 SPS, 8 PPS)
//  Type 24 STAP-A:   | header | size u16 | NAL unit | size u16 | NAL unit | ...
//  Type 28 FU-A:     | indicator | S|E|R| Type | fragment ...   (FU-B, 29: + DON u16)
//
// A packet starts a keyframe when it carries an SPS or the first slice of an IDR picture
// (first_mb_in_slice = 0, whose ue(v) code is the single bit 1 at the start of the slice
// header). Later slices and continuation fragments of an IDR picture are not switch points.

export const H264_DELTA: i32 = 0;
export const H264_KEY: i32 = 1;
export const H264_MALFORMED: i32 = -1;

const NAL_IDR: u32 = 5;
const NAL_SPS: u32 = 7;
const STAP_A: u32 = 24;
const FU_A: u32 = 28;
const FU_B: u32 = 29;

/**
 * Whether the payload at `pl` starts a keyframe: H264_KEY, H264_DELTA or H264_MALFORMED.
 * Reads `plen` bytes; `real` (≥ plen) is the payload's length when only its first `plen`
 * bytes are at hand: an aggregate's units are then checked against `real`, and looked into
 * only as far as `plen` goes.
 */
export function h264Frame(pl: usize, plen: u32, real: u32 = 0): i32 {
  if (real < plen) real = plen;
  if (plen < 2) return H264_MALFORMED;
  const h = <u32>load<u8>(pl);
  if (h & 0x80) return H264_MALFORMED;
  const type = h & 0x1F;
  if (type == STAP_A) return stapA(pl, plen, real);
  if (type == FU_A || type == FU_B) return fragment(pl, plen, type == FU_B ? 4 : 2);
  return startsKeyframe(type, pl + 1, plen - 1) ? H264_KEY : H264_DELTA;
}

/** An SPS, or an IDR slice whose header (at `s`, `n` ≥ 1 bytes) starts with first_mb_in_slice 0. */
@inline function startsKeyframe(type: u32, s: usize, n: u32): bool {
  if (type == NAL_SPS) return true;
  return type == NAL_IDR && n > 0 && (load<u8>(s) & 0x80) != 0;
}

function stapA(pl: usize, plen: u32, real: u32): i32 {
  let off: u32 = 1;
  let key = false;
  while (off < real) {
    if (real - off < 3) return H264_MALFORMED; // size + at least a NAL header
    if (plen < off + 3) break; // the rest is not at hand
    const size = <u32>bswap<u16>(load<u16>(pl + off));
    off += 2;
    if (size == 0 || size > real - off) return H264_MALFORMED;
    const nal = <u32>load<u8>(pl + off);
    if (nal & 0x80) return H264_MALFORMED;
    const seen = size < plen - off ? size : plen - off; // bytes of this unit at hand (≥ 1)
    if (startsKeyframe(nal & 0x1F, pl + off + 1, seen - 1)) key = true;
    off += size;
  }
  return key ? H264_KEY : H264_DELTA;
}

/** FU-A/FU-B: `data` is the offset of the fragment (2, or 4 after FU-B's DON). */
function fragment(pl: usize, plen: u32, data: u32): i32 {
  if (plen <= data) return H264_MALFORMED;
  const fu = <u32>load<u8>(pl + 1);
  if ((fu & 0xC0) == 0xC0) return H264_MALFORMED; // start and end in one fragment
  if ((fu & 0x80) == 0) return H264_DELTA; // not the first fragment
  return startsKeyframe(fu & 0x1F, pl + data, plen - data) ? H264_KEY : H264_DELTA;
}
