// VP9 RTP payload (RFC 9628, was draft-ietf-payload-vp9): the payload descriptor with its
// SVC layer indices, and keyframe detection.
//
//        0 1 2 3 4 5 6 7
//       +-+-+-+-+-+-+-+-+
//       |I|P|L|F|B|E|V|Z|   P inter-picture predicted, F flexible mode,
//       +-+-+-+-+-+-+-+-+   B/E start/end of a layer frame, V scalability structure follows
//  I:   |M| PICTURE ID  |   M = 1: 15-bit picture id
//  M:   | EXTENDED PID  |
//  L:   | TID |U| SID |D|   temporal/spatial layer, U switching-up point, D inter-layer dep.
//       |   TL0PICIDX   |   only when L and F = 0 (non-flexible mode)
//  P,F: | P_DIFF      |N|   reference indices, up to 3 (N: another follows)
//  V:   | N_S |Y|G|-|-|-|   scalability structure: Y → (N_S + 1) × 4 bytes of sizes,
//       | ...           |   G → N_G, then per frame |TID|U| R |-|-| and R P_DIFF bytes
//
// A key frame starts (B = 1) a picture that is not inter-picture predicted (P = 0) at the
// lowest spatial layer, and its VP9 uncompressed header (VP9 bitstream spec §6.2) says
// frame_type = KEY_FRAME and carries the sync code 49 83 42.
// `vp9Parse` reads only [pl, pl + plen); its results are the exported globals.

/** Returned by vp9Parse for a descriptor that does not fit or leaves no VP9 data. */
export const VP9_MALFORMED: i32 = -1;

export let vp9Start: bool = false;      // B: first packet of a layer frame
export let vp9End: bool = false;        // E: last packet of a layer frame
export let vp9Inter: bool = false;      // P: inter-picture predicted
export let vp9Flexible: bool = false;   // F
export let vp9HasLayers: bool = false;  // L: the layer indices below are from the packet
export let vp9Tid: u32 = 0;             // temporal layer (0 without L)
export let vp9Sid: u32 = 0;             // spatial layer (0 without L)
export let vp9SwitchUp: bool = false;   // U
export let vp9InterLayer: bool = false; // D
export let vp9PicId: i32 = -1;          // -1: no picture id
export let vp9Key: bool = false;        // first packet of a key frame

function clear(): void {
  vp9Start = false; vp9End = false; vp9Inter = false; vp9Flexible = false; vp9HasLayers = false;
  vp9Tid = 0; vp9Sid = 0; vp9SwitchUp = false; vp9InterLayer = false; vp9PicId = -1; vp9Key = false;
}

/** Parses the descriptor of the payload at `pl` (`plen` bytes): its length, or VP9_MALFORMED. */
export function vp9Parse(pl: usize, plen: u32): i32 {
  clear();
  if (plen < 2) return VP9_MALFORMED;
  const b0 = <u32>load<u8>(pl);
  vp9Inter = (b0 & 0x40) != 0;
  vp9Flexible = (b0 & 0x10) != 0;
  vp9Start = (b0 & 0x08) != 0;
  vp9End = (b0 & 0x04) != 0;
  let off: u32 = 1;
  if (b0 & 0x80) { // I
    const m = <u32>load<u8>(pl + 1);
    if (m & 0x80) {
      if (plen < 3) return VP9_MALFORMED;
      vp9PicId = <i32>(((m & 0x7F) << 8) | <u32>load<u8>(pl + 2));
      off = 3;
    } else {
      vp9PicId = <i32>m;
      off = 2;
    }
  }
  if (b0 & 0x20) { // L
    if (off >= plen) return VP9_MALFORMED;
    const l = <u32>load<u8>(pl + off);
    vp9HasLayers = true;
    vp9Tid = l >> 5;
    vp9SwitchUp = (l & 0x10) != 0;
    vp9Sid = (l >> 1) & 0x07;
    vp9InterLayer = (l & 0x01) != 0;
    off += vp9Flexible ? 1 : 2; // non-flexible: TL0PICIDX follows
  }
  if (vp9Flexible && vp9Inter) {
    off = skipRefs(pl, plen, off);
    if (off == 0) return VP9_MALFORMED;
  }
  if (b0 & 0x02) { // V
    off = skipScalability(pl, plen, off);
    if (off == 0) return VP9_MALFORMED;
  }
  if (off >= plen) return VP9_MALFORMED;
  vp9Key = vp9Start && !vp9Inter && vp9Sid == 0 && isKeyHeader(pl + off, plen - off);
  return <i32>off;
}

/** Skips up to three P_DIFF bytes; the offset after them, or 0 if they do not fit. */
function skipRefs(pl: usize, plen: u32, off: u32): u32 {
  for (let i = 0; i < 3; i++) {
    if (off >= plen) return 0;
    const more = load<u8>(pl + off) & 0x01;
    off++;
    if (!more) return off;
  }
  return 0; // a fourth reference: not allowed
}

/** Skips the scalability structure; the offset after it, or 0 if it does not fit. */
function skipScalability(pl: usize, plen: u32, off: u32): u32 {
  if (off >= plen) return 0;
  const v = <u32>load<u8>(pl + off);
  off++;
  if (v & 0x10) off += ((v >> 5) + 1) * 4; // Y: width and height per spatial layer
  if (v & 0x08) { // G: picture group description
    if (off >= plen) return 0;
    const frames = <u32>load<u8>(pl + off);
    off++;
    for (let i: u32 = 0; i < frames; i++) {
      if (off >= plen) return 0;
      off += 1 + ((<u32>load<u8>(pl + off) >> 2) & 0x03);
    }
  }
  return off <= plen ? off : 0;
}

/** VP9 uncompressed header of a key frame: marker, no show_existing_frame, type 0, sync code. */
function isKeyHeader(h: usize, n: u32): bool {
  if (n < 5) return false;
  // The first 40 bits, most significant first.
  const bits = (<u64>bswap<u32>(load<u32>(h)) << 8) | <u64>load<u8>(h, 4);
  if ((bits >> 38) != 2) return false; // frame_marker
  const profile = ((bits >> 36) & 1) << 1 | ((bits >> 37) & 1);
  let pos: u32 = 36; // bits left after the profile bits
  if (profile == 3) pos--; // reserved_zero
  if ((bits >> (pos - 1)) & 1) return false; // show_existing_frame
  if ((bits >> (pos - 2)) & 1) return false; // frame_type 1: not a key frame
  // show_frame and error_resilient_mode, then the 24-bit sync code.
  return ((bits >> (pos - 28)) & 0xFFFFFF) == 0x498342;
}
