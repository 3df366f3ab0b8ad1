// The fan-out of an RTP packet that needs no per-packet media state: one RELAY_RTP per
// matching route whose recipient is started with its `in` valve open, seq/ts rewritten
// through the recipient stream's switching context, the payload type through its codec
// table (payload-types.ts). Everything that does not depend on the recipient (header fields,
// source key, masks, clock) is computed before the loop and kept in this thread's scratch
// (PK_*): Cranelift would recompute locals in the loop body. layered.ts walks the routes
// the same way through routeTarget; this loop has its body written out, which Cranelift
// compiles to 18 instructions fewer per packet (callgrind, one recipient).
//
// The loop body is the fast path only: an exclusive recipient stream that keeps its source.
// Anything else (a locked stream, a source switch) goes to a function kept out of line
// (release builds use shrinkLevel 1, which stops binaryen from inlining it).
//
// Reads of words other threads write (state, routes, shared) are plain loads: aligned
// 32-bit words never tear, the route list is reached through the word that publishes it
// (an address dependency), and what must not be seen stale is ordered by the host's grace
// periods (exclusive.ts, routes.ts), not by acquire loads.

import { EVERY_STREAM, MEDIUM_VIDEO, MEDIUM_AUDIO, CLOCK_AUDIO, CLOCK_VIDEO, K_RELAY_RTP, F_MARK_SWITCH } from "./abi";
import {
  inPtr, threadPtr, sessionAt, streamAt, routeList, bump, bumpShared, ROUTE_SIZE,
  TH_SCRATCH, PK_KEY, PK_NOW, PK_BYTES, PK_SEQ, PK_TS, PK_EVERY, PK_IN_MASK, PK_MINDEX, PK_B1, PK_CID_AT, PK_MARKER, PK_KF_ASKED,
  outPtr, DECISION_SIZE, PK_SESSIONS, PK_STREAMS, sessionsPtr, streamsPtr, sessionFrom, streamFrom,
  S_STATE, S_GEN, ST_STARTED, ST_VALVE_SHIFT, SC_DROPS_NOSTREAM, codecsDelta, T_PACKETS_OUT, T_BYTES_OUT,
  T_DROPS_VALVE_OUT, T_SWITCHES, T_SHARED, T_SRC_KEY, T_SEQ_OFF, T_TS_OFF, T_LAST_SEQ, T_LAST_TS, T_LAST_MS,
} from "./layout";
import { rtpSeq, rtpTs, rtpSsrcRaw } from "./rtp";
import { rewrite, sourceKey, outSeq, outTs, NEW_SOURCE, SAME_SOURCE } from "./switching";
import { lockStream, unlockStream } from "./exclusive";
import { requestKeyframe } from "./keyframes";
import { emitB1, writeB1 } from "./decisions";
import { everyStreamBase, everyStreamTarget, NO_TARGET } from "./streams";
import { cidDistance, byte1At } from "./payload-types";

/** routeTarget: this route takes nothing to its recipient (counted). */
export const SKIP: u32 = 0xFFFFFFFF;

/** Fills this thread's scratch with the packet's loop invariants (PK_*); returns its address. */
@inline export function packetScratch(slot: u32, mindex: u32, medium: u32, len: u32, now: i64): usize {
  const p = inPtr;
  const c = threadPtr + TH_SCRATCH;
  const b1 = <u32>load<u8>(p, 1);
  store<u64>(c, sourceKey(rtpSsrcRaw(p), slot, mindex, load<u32>(sessionAt(slot), S_GEN)), PK_KEY);
  store<i64>(c, now, PK_NOW);
  store<u64>(c, <u64>len, PK_BYTES);
  store<u32>(c, rtpSeq(p), PK_SEQ);
  store<u32>(c, rtpTs(p), PK_TS);
  store<u32>(c, <u32>everyStreamBase(slot, mindex, medium), PK_EVERY);
  store<u32>(c, ST_STARTED | (1 << (ST_VALVE_SHIFT + medium)), PK_IN_MASK);
  store<u32>(c, mindex, PK_MINDEX);
  store<u32>(c, b1, PK_B1);
  store<u32>(c, b1 & 0x80, PK_MARKER);
  store<u32>(c, cidDistance(<u32>load<u8>(streamAt(slot, mindex) + codecsDelta + (b1 & 0x7F))), PK_CID_AT);
  store<u32>(c, <u32>sessionsPtr, PK_SESSIONS);
  store<u32>(c, <u32>streamsPtr, PK_STREAMS);
  return c;
}

/**
 * The recipient stream route record `r` (whose src_mindex `srcM` matched) takes the packet in
 * scratch `c` to: dst << 8 | dst_mindex, or SKIP after counting why (the recipient has no
 * stream of that kind, or is not started, or its `in` valve is closed).
 */
@inline export function routeTarget(r: u32, srcM: u32, c: usize): u32 {
  const dst = r >>> 16;
  const state = load<u32>(sessionAt(dst), S_STATE);
  let dstM = (r >>> 8) & 0xFF;
  if (srcM == EVERY_STREAM) {
    dstM = everyStreamTarget(<usize>load<u32>(c, PK_EVERY), dst, state, load<u32>(c, PK_MINDEX));
    if (dstM == NO_TARGET) { bumpShared(sessionAt(dst) + SC_DROPS_NOSTREAM); return SKIP; }
  }
  const inMask = load<u32>(c, PK_IN_MASK);
  if ((state & inMask) != inMask) {
    bumpShared(streamAt(dst, dstM) + T_DROPS_VALVE_OUT);
    return SKIP;
  }
  return (dst << 8) | dstM;
}

/** One RELAY_RTP per matching route of the published list `routes` (count | buffer << 16).
 *  The loop carries only the route and decision pointers: everything else is in the
 *  scratch, so Cranelift keeps them in registers instead of spilling them every turn. */
@inline export function fanOut(n: u32, slot: u32, mindex: u32, isVideo: bool, len: u32, routes: u32, now: i64): u32 {
  const c = packetScratch(slot, mindex, isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO, len, now);
  store<u32>(c, isVideo ? 0 : 1, PK_KF_ASKED); // one switch keyframe request per packet at most, video only
  const list = routeList(slot, routes >>> 16);
  const end = list + <usize>(routes & 0xFFFF) * ROUTE_SIZE;
  let o = outPtr + <usize>n * DECISION_SIZE;
  for (let q = list; q < end; q += ROUTE_SIZE) {
    const r = load<u32>(q);
    const srcM = r & 0xFF;
    const m = load<u32>(c, PK_MINDEX);
    if (srcM != m && srcM != EVERY_STREAM) continue;
    const dst = r >>> 16;
    const session = sessionFrom(<usize>load<u32>(c, PK_SESSIONS), dst);
    const state = load<u32>(session, S_STATE);
    let dstM = (r >>> 8) & 0xFF;
    if (srcM == EVERY_STREAM) {
      dstM = everyStreamTarget(<usize>load<u32>(c, PK_EVERY), dst, state, m);
      if (dstM == NO_TARGET) { bumpShared(session + SC_DROPS_NOSTREAM); continue; }
    }
    const t = streamFrom(<usize>load<u32>(c, PK_STREAMS), dst, dstM);
    const inMask = load<u32>(c, PK_IN_MASK);
    if ((state & inMask) != inMask) {
      bumpShared(t + T_DROPS_VALVE_OUT);
      continue;
    }
    if ((load<u32>(t, T_SHARED) != 0) | (load<u64>(t, T_SRC_KEY) != load<u64>(c, PK_KEY))) {
      o = outPtr + <usize>relayOther(<u32>((o - outPtr) / DECISION_SIZE), t, dst, dstM, slot, isVideo) * DECISION_SIZE;
      continue;
    }
    // Same source, this route alone writes the stream: output = input + offsets.
    const s = (load<u32>(c, PK_SEQ) + <u32>load<u16>(t, T_SEQ_OFF)) & 0xFFFF;
    const v = load<u32>(c, PK_TS) + load<u32>(t, T_TS_OFF);
    if (<i16>(s - <u32>load<u16>(t, T_LAST_SEQ)) > 0) store<u16>(t, <u16>s, T_LAST_SEQ);
    if (<i32>(v - load<u32>(t, T_LAST_TS)) > 0) store<u32>(t, v, T_LAST_TS);
    store<i64>(t, load<i64>(c, PK_NOW), T_LAST_MS);
    bump(t + T_PACKETS_OUT);
    bump(t + T_BYTES_OUT, load<u64>(c, PK_BYTES));
    const b1 = byte1At(t, load<u32>(c, PK_CID_AT), load<u32>(c, PK_B1), load<u32>(c, PK_MARKER));
    writeB1(o, K_RELAY_RTP, dstM, s, dst, b1, v, 0);
    o += DECISION_SIZE;
  }
  return <u32>((o - outPtr) / DECISION_SIZE);
}

/** The relay of one route to a stream that is shared (lock) or that changes source (switch,
 *  keyframe request). Out of line: rare next to the fast path. Returns the new decision
 *  count. */
function relayOther(n: u32, t: usize, dst: u32, dstM: u32, slot: u32, isVideo: bool): u32 {
  const c = threadPtr + TH_SCRATCH;
  const mindex = load<u32>(c, PK_MINDEX), now = load<i64>(c, PK_NOW);
  const shared = load<u32>(t, T_SHARED) != 0;
  if (shared) lockStream(t);
  const res = rewrite(t, load<u64>(c, PK_KEY), load<u32>(c, PK_SEQ), load<u32>(c, PK_TS), now, isVideo ? CLOCK_VIDEO : CLOCK_AUDIO);
  if (res == NEW_SOURCE) bump(t + T_SWITCHES);
  bump(t + T_PACKETS_OUT);
  bump(t + T_BYTES_OUT, load<u64>(c, PK_BYTES));
  const s = outSeq, v = outTs;
  if (shared) unlockStream(t);
  // A recipient stream that starts on this source needs a keyframe from it: one request
  // per packet at most, throttled per sender stream.
  if (res != SAME_SOURCE && load<u32>(c, PK_KF_ASKED) == 0) {
    n = requestKeyframe(n, slot, mindex, now);
    store<u32>(c, 1, PK_KF_ASKED);
  }
  const b1 = byte1At(t, load<u32>(c, PK_CID_AT), load<u32>(c, PK_B1), load<u32>(c, PK_MARKER));
  return emitB1(n, K_RELAY_RTP, dstM, s, dst, b1, v, res == NEW_SOURCE ? F_MARK_SWITCH : 0);
}
