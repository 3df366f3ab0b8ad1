// VP8 RTP payload (RFC 7741): the payload descriptor, keyframe detection, and the picture
// id / TL0PICIDX rewrite a forwarder needs to splice substreams into one stream.
//
// Payload descriptor (§4.2), at the start of the RTP payload:
//        0 1 2 3 4 5 6 7
//       +-+-+-+-+-+-+-+-+
//       |X|R|N|S|R| PID |   S: start of a partition, PID: partition index
//  X:   |I|L|T|K| RSV   |
//  I:   |M| PictureID   |   M = 1: 15-bit picture id (this byte and the next)
//  M:   |   PictureID   |
//  L:   |   TL0PICIDX   |   index of the last temporal-layer-0 frame
//  T/K: |TID|Y| KEYIDX  |   TID temporal layer (when T), Y layer sync
//
// Payload header (§4.3), only at the start of partition 0 (S = 1, PID = 0):
//       |Size0|H| VER |P|   P = 0: key frame, which then goes on with the start code
//       |     Size1     |   9D 01 2A and 2 + 2 bytes of width and height (scale bits on top)
//       |     Size2     |
//
// `vp8Parse` reads only [pl, pl + plen); its results are the exported globals.

/** Returned by vp8Parse for a descriptor that does not fit or leaves no VP8 data. */
export const VP8_MALFORMED: i32 = -1;

// Bytes of a key frame's payload header: 3 frame tag + 3 start code + 4 size.
const KEY_HEADER: u32 = 10;

export let vp8Start: bool = false;   // S = 1 and PID = 0: first packet of a frame
export let vp8Key: bool = false;     // first packet of a key frame
export let vp8PicId: i32 = -1;       // -1: no picture id
export let vp8PicIdLong: bool = false; // 15-bit picture id (M = 1)
export let vp8PicIdOff: u32 = 0;     // offset of the picture id from pl
export let vp8Tl0: i32 = -1;         // -1: no TL0PICIDX
export let vp8Tl0Off: u32 = 0;
export let vp8Tid: i32 = -1;         // -1: no temporal layer index (T = 0)
export let vp8Sync: bool = false;    // Y: depends only on temporal layer 0

function clear(): void {
  vp8Start = false; vp8Key = false; vp8PicId = -1; vp8PicIdLong = false; vp8PicIdOff = 0;
  vp8Tl0 = -1; vp8Tl0Off = 0; vp8Tid = -1; vp8Sync = false;
}

/** Parses the descriptor of the payload at `pl` (`plen` bytes): its length, or VP8_MALFORMED. */
export function vp8Parse(pl: usize, plen: u32): i32 {
  clear();
  if (plen < 2) return VP8_MALFORMED;
  const b0 = <u32>load<u8>(pl);
  let off: u32 = 1;
  if (b0 & 0x80) {
    const x = <u32>load<u8>(pl + 1);
    off = 2;
    if (x & 0x80) { // I
      if (off >= plen) return VP8_MALFORMED;
      const m = <u32>load<u8>(pl + off);
      vp8PicIdOff = off;
      if (m & 0x80) {
        if (off + 1 >= plen) return VP8_MALFORMED;
        vp8PicId = <i32>(((m & 0x7F) << 8) | <u32>load<u8>(pl + off + 1));
        vp8PicIdLong = true;
        off += 2;
      } else {
        vp8PicId = <i32>m;
        off += 1;
      }
    }
    if (x & 0x40) { // L
      if (off >= plen) return VP8_MALFORMED;
      vp8Tl0 = <i32>load<u8>(pl + off);
      vp8Tl0Off = off;
      off += 1;
    }
    if (x & 0x30) { // T or K: one shared byte
      if (off >= plen) return VP8_MALFORMED;
      const t = <u32>load<u8>(pl + off);
      if (x & 0x20) {
        vp8Tid = <i32>(t >> 6);
        vp8Sync = (t & 0x20) != 0;
      }
      off += 1;
    }
  }
  if (off >= plen) return VP8_MALFORMED; // a descriptor with no VP8 data after it
  vp8Start = (b0 & 0x1F) == 0x10;
  vp8Key = vp8Start && isKeyHeader(pl + off, plen - off);
  return <i32>off;
}

/** A key frame's payload header: P = 0, start code 9D 01 2A, nonzero width and height. */
function isKeyHeader(h: usize, n: u32): bool {
  if (n < KEY_HEADER) return false;
  if (load<u8>(h) & 0x01) return false; // P = 1: inter frame
  if (load<u8>(h, 3) != 0x9D || load<u8>(h, 4) != 0x01 || load<u8>(h, 5) != 0x2A) return false;
  const w = <u32>load<u16>(h, 6) & 0x3FFF;
  const ht = <u32>load<u16>(h, 8) & 0x3FFF;
  return w != 0 && ht != 0;
}

/**
 * Writes picture id `id` and TL0PICIDX `tl0` over the fields the last vp8Parse found in
 * the payload at `pl` (each only if present; the picture id keeps its width: 7 or 15 bits).
 */
export function vp8Rewrite(pl: usize, id: u32, tl0: u32): void {
  if (vp8PicId >= 0) {
    if (vp8PicIdLong) store<u16>(pl + vp8PicIdOff, bswap<u16>(<u16>(0x8000 | (id & 0x7FFF))));
    else store<u8>(pl + vp8PicIdOff, <u8>(id & 0x7F));
  }
  if (vp8Tl0 >= 0) store<u8>(pl + vp8Tl0Off, <u8>tl0);
}
