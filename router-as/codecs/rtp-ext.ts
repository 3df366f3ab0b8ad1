// Where things are in an RTP packet: the payload (after CSRCs and the header extension,
// before the padding) and one header-extension element by id (RFC 8285).
//
//  0                   1                   2                   3
//  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//  |                    timestamp, SSRC, CSRCs                     |
//  |  0xBEDE (one-byte) or 0x100x  |  length (32-bit words)        |  if X
//  |  elements ...                                                 |
//  |  payload ...                  | padding ... | padding count   |  if P
//
// One-byte elements:  | ID (4) | L (4) | L+1 data bytes |   ID 0: one padding byte, ID 15: stop
// Two-byte elements:  | ID (8) | length (8) | data ... |     ID 0: one padding byte
//
// Every function reads only bytes [p, p + len) and returns 0 (no such thing) instead of
// trapping or reading past the end. Results of the last call are in the exported globals.

const HEADER: u32 = 12;
const PROFILE_ONE_BYTE: u32 = 0xBEDE;
const PROFILE_TWO_BYTE_MASK: u32 = 0xFFF0; // 0x1000..0x100F (the low 4 bits are app bits)
const PROFILE_TWO_BYTE: u32 = 0x1000;

/** Payload length of the last `rtpPayload` call. */
export let payloadLen: u32 = 0;
/** Data length of the element found by the last `findExtension` call. */
export let extLen: u32 = 0;

/**
 * Offset of the payload from `p`, or 0 if the header, CSRCs, extension or padding do not
 * fit in `len` bytes (the payload may be empty: then payloadLen is 0).
 */
export function rtpPayload(p: usize, len: u32): u32 {
  return rtpPayloadTail(p, len, p + len - 1);
}

/** rtpPayload when the padding count is not at the packet's end but at `tail` (the router's
 *  head copy keeps the last byte apart: docs/router-abi.md). Reads bytes 0..76 and `tail`. */
export function rtpPayloadTail(p: usize, len: u32, tail: usize): u32 {
  payloadLen = 0;
  if (len < HEADER) return 0;
  const b0 = <u32>load<u8>(p);
  if ((b0 >> 6) != 2) return 0;
  let off = HEADER + ((b0 & 0x0F) << 2);
  if (b0 & 0x10) {
    if (off + 4 > len) return 0;
    off += 4 + (<u32>bswap<u16>(load<u16>(p + off, 2)) << 2);
  }
  if (off > len) return 0;
  let end = len;
  if (b0 & 0x20) {
    const pad = <u32>load<u8>(tail);
    if (pad == 0 || pad > end - off) return 0;
    end -= pad;
  }
  payloadLen = end - off;
  return off;
}

/**
 * Offset from `p` of the data of header-extension element `id` (1..14 one-byte, 1..255
 * two-byte), or 0 when the packet has no such element or its extension block is malformed.
 * Sets extLen (≥ 1 for one-byte elements, may be 0 for two-byte ones).
 */
export function findExtension(p: usize, len: u32, id: u32): u32 {
  extLen = 0;
  if (id - 1 >= 255 || len < HEADER) return 0; // id 0 wraps: refused too
  const b0 = <u32>load<u8>(p);
  if ((b0 & 0x10) == 0 || (b0 >> 6) != 2) return 0;
  const start = HEADER + ((b0 & 0x0F) << 2);
  if (start + 4 > len) return 0;
  const profile = <u32>bswap<u16>(load<u16>(p + start));
  const end = start + 4 + (<u32>bswap<u16>(load<u16>(p + start, 2)) << 2);
  if (end > len) return 0;
  if (profile == PROFILE_ONE_BYTE) return findOneByte(p, start + 4, end, id);
  if ((profile & PROFILE_TWO_BYTE_MASK) == PROFILE_TWO_BYTE) return findTwoByte(p, start + 4, end, id);
  return 0;
}

function findOneByte(p: usize, off: u32, end: u32, id: u32): u32 {
  if (id > 14) return 0;
  while (off < end) {
    const b = <u32>load<u8>(p + off);
    const eid = b >> 4;
    if (eid == 0) { off++; continue; } // padding (the whole byte is 0 by the RFC)
    if (eid == 15) return 0; // stop: the rest is not to be parsed
    const n = (b & 0x0F) + 1;
    if (n > end - off - 1) return 0;
    if (eid == id) { extLen = n; return off + 1; }
    off += 1 + n;
  }
  return 0;
}

function findTwoByte(p: usize, off: u32, end: u32, id: u32): u32 {
  while (off < end) {
    const eid = <u32>load<u8>(p + off);
    if (eid == 0) { off++; continue; } // padding
    if (end - off < 2) return 0;
    const n = <u32>load<u8>(p + off + 1);
    if (n > end - off - 2) return 0;
    if (eid == id) { extLen = n; return off + 2; }
    off += 2 + n;
  }
  return 0;
}
