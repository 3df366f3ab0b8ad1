// RTP header validation on what the host copied (docs/router-abi.md): the first
// min(len, RTP_HEAD_CAP) bytes at `p` and the packet's last byte at p + RTP_TAIL_AT.
//
//  0                   1                   2                   3
//  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//  |                           timestamp                           |
//  |                             SSRC                              |
//  |                 CSRC list (CC × 4 bytes)                      |
//  |  profile (16)                 |  extension length (words)     |  if X
//  |                 extension (length × 4 bytes)                  |
//  |  payload ...                  | padding ... | padding count   |  if P

import { RTP_TAIL_AT } from "./abi";

export const RTP_HEADER: u32 = 12;

/** True if the header, CSRCs, extension and padding all fit in `len` bytes. Reads bytes
 *  0..76 at most (the extension header ends there) and the tail byte. */
@inline export function validRtp(p: usize, len: u32): bool {
  if (len < RTP_HEADER) return false;
  const b0 = <u32>load<u8>(p);
  if ((b0 >> 6) != 2) return false;
  let end = RTP_HEADER + ((b0 & 0x0F) << 2);
  if (b0 & 0x10) {
    if (end + 4 > len) return false;
    end += 4 + (be16(p + end + 2) << 2);
  }
  if (end > len) return false;
  if (b0 & 0x20) {
    const pad = <u32>load<u8>(p + RTP_TAIL_AT);
    if (pad == 0 || end + pad > len) return false;
  }
  return true;
}

// Network-order reads, spelled out: the release build (shrinkLevel 1) would otherwise call
// the std bswap polyfills instead of inlining them.
@inline export function be16(p: usize): u32 { return (<u32>load<u8>(p) << 8) | <u32>load<u8>(p, 1); }
@inline export function be32(p: usize): u32 {
  const v = load<u32>(p);
  return (v << 24) | ((v & 0xFF00) << 8) | ((v >>> 8) & 0xFF00) | (v >>> 24);
}
@inline export function rtpSeq(p: usize): u32 { return be16(p + 2); }
@inline export function rtpTs(p: usize): u32 { return be32(p + 4); }
/** The SSRC as it lies in memory (network order): only ever compared, never shown. */
@inline export function rtpSsrcRaw(p: usize): u32 { return load<u32>(p, 8); }
