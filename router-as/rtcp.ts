// The RTCP packet call: walks a compound packet from a recipient. PLI (PT 206 FMT 1) and FIR
// (PT 206 FMT 4) become a throttled SEND_PLI to the last source of (slot, mindex); REMB
// (PT 206 FMT 15 "REMB") is answered with the session's cap. The lengths are checked for the
// whole compound first, so a malformed packet has no side effect besides its counters.
// Runs on the recipient's thread: the switching context it reads is written by its senders'.
//
//  0                   1                   2                   3
//  |V=2|P|  FMT/RC |      PT       |          length (words - 1)   |
//  |                  SSRC of packet sender                        |
//  |                  SSRC of media source                         |
//  |  FCI ... ("REMB" | num/exp/mantissa | SSRCs for REMB)         |

import {
  MAX_PACKET_LEN, MAX_STREAMS, K_SEND_REMB, EVERY_STREAM, D_BAD_SLOT, D_OVERSIZE, D_MALFORMED,
  D_NOT_STARTED,
} from "./abi";
import {
  inPtr, isOpen, stateOf, sessionAt, streamAt, bump, bumpGlobal, S_GEN, S_BITRATE,
  ST_STARTED, SC_RTCP_IN, SC_DROPS_MALFORMED, SC_DROPS_CLOSED, G_CALLS,
  G_DROPS_BAD_SLOT, G_DROPS_OVERSIZE, G_DROPS_MALFORMED,
} from "./layout";
import { lastSource } from "./switching";
import { requestKeyframe } from "./keyframes";
import { emitChecked, finish } from "./decisions";

const PT_PSFB: u32 = 206;
const FMT_PLI: u32 = 1;
const FMT_FIR: u32 = 4;
const FMT_AFB: u32 = 15;
const REMB_MAGIC: u32 = 0x424D4552; // "REMB" read as a little-endian u32

/** True if every packet of the compound has version 2 and fits exactly in `len`. */
@inline function validCompound(p: usize, len: u32): bool {
  if (len < 4) return false;
  let off: u32 = 0;
  while (off + 4 <= len) {
    const h = load<u32>(p + off);
    if (((h >> 6) & 3) != 2) return false;
    off += ((<u32>bswap<u16>(<u16>(h >>> 16))) + 1) << 2;
  }
  return off == len;
}

@inline export function routeRtcp(slot: u32, mindex: u32, video: u32, len: u32, now: i64): i32 {
  bumpGlobal(G_CALLS);
  if (!isOpen(slot)) { bumpGlobal(G_DROPS_BAD_SLOT); return D_BAD_SLOT; }
  if (len > MAX_PACKET_LEN || mindex >= MAX_STREAMS) { bumpGlobal(G_DROPS_OVERSIZE); return D_OVERSIZE; }
  const s = sessionAt(slot);
  bump(s + SC_RTCP_IN);
  if ((stateOf(slot) & ST_STARTED) == 0) {
    bump(s + SC_DROPS_CLOSED);
    return D_NOT_STARTED;
  }
  const p = inPtr;
  if (!validCompound(p, len)) {
    bumpGlobal(G_DROPS_MALFORMED);
    bump(s + SC_DROPS_MALFORMED);
    return D_MALFORMED;
  }
  let n: u32 = 0;
  let keyframeAsked = false;
  let rembAnswered = false;
  let off: u32 = 0;
  while (off < len) {
    const q = p + off;
    const b0 = <u32>load<u8>(q);
    const size = (<u32>bswap<u16>(load<u16>(q, 2)) + 1) << 2;
    off += size;
    if (<u32>load<u8>(q, 1) != PT_PSFB) continue;
    const fmt = b0 & 0x1F;
    if ((fmt == FMT_PLI || fmt == FMT_FIR) && !keyframeAsked) {
      keyframeAsked = true;
      n = forwardKeyframe(n, slot, mindex, now);
    } else if (fmt == FMT_AFB && size >= 20 && load<u32>(q, 12) == REMB_MAGIC && !rembAnswered) {
      rembAnswered = true;
      const cap = atomic.load<u32>(s, S_BITRATE);
      if (cap != 0) n = emitChecked(n, K_SEND_REMB, EVERY_STREAM, 0, slot, cap, 0);
    }
  }
  return finish(n);
}

/** Keyframe request from recipient stream (slot, mindex) to the source relayed there last. */
function forwardKeyframe(n: u32, slot: u32, mindex: u32, now: i64): u32 {
  const key = lastSource(streamAt(slot, mindex));
  if (key == 0) return n; // nothing relayed there yet
  const src = <u32>(key >> 32) & 0xFFFF;
  const srcM = <u32>(key >> 48) & 0x0F; // bits 52..55: KEY_RESUME (resume.ts)
  const gen = <u32>(key >> 56);
  // The source slot may have been closed (and even reopened) since: generations differ.
  if (!isOpen(src) || atomic.load<u32>(sessionAt(src), S_GEN) != gen) return n;
  return requestKeyframe(n, src, srcM, now);
}
