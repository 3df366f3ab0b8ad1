// The client-to-mixer audio level header extension (RFC 6464,
// urn:ietf:params:rtp-hdrext:ssrc-audio-level): one data byte
//
//   0 1 2 3 4 5 6 7
//  |V|    level    |    V: voice activity (as the sender judged it)
//                       level: 0..127, the level in -dBov (0 loudest, 127 silence)
//
// in a one-byte (L = 0) or two-byte (length 1) element, found by the id the SDP gave it.

import { findExtension, extLen } from "./rtp-ext";

/** Level of the packet's audio-level element `id`: `level | vad << 7`, or -1 when absent. */
export function audioLevel(p: usize, len: u32, id: u32): i32 {
  const off = findExtension(p, len, id);
  if (off == 0 || extLen == 0) return -1;
  return <i32>load<u8>(p + off);
}
