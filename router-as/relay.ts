// The RTP packet call: sender checks, RECORD, periodic PLI, then one RELAY_RTP per matching
// route whose recipient is started with its `in` valve open. Everything that does not depend
// on the recipient (header fields, source key, masks, clock) is computed before the loop.
// The sender's own records are written plainly (only its thread sends); a recipient stream is
// written plainly when this route is its only feeder, under its lock otherwise.
//
// The loop body is the fast path only: an exclusive recipient stream that keeps its source.
// Anything else (a locked stream, a source switch) goes to a function kept out of line
// (release builds use shrinkLevel 1, which stops binaryen from inlining it), and the
// packet's loop invariants live in this thread's scratch (PK_*): Cranelift would otherwise
// recompute them inside the loop body.
//
// Reads of words other threads write (state, routes, shared) are plain loads: aligned
// 32-bit words never tear, the route list is reached through the word that publishes it
// (an address dependency), and what must not be seen stale is ordered by the host's grace
// periods (exclusive.ts, routes.ts), not by acquire loads.

import {
  MAX_PACKET_LEN, MAX_STREAMS, EVERY_STREAM, MEDIUM_VIDEO, MEDIUM_AUDIO, CLOCK_AUDIO,
  CLOCK_VIDEO, K_RELAY_RTP, K_RECORD, F_VIDEO, F_MARK_SWITCH, D_BAD_SLOT, D_OVERSIZE,
  D_MALFORMED, D_VALVE,
} from "./abi";
import {
  inPtr, threadPtr, maxSessions, sessionAt, streamAt, routeList, bump, bumpShared, bumpGlobal, ROUTE_SIZE,
  TH_SCRATCH, PK_KEY, PK_NOW, PK_BYTES, PK_SEQ, PK_TS, PK_EVERY, PK_IN_MASK, PK_MINDEX,
  S_STATE, S_GEN, S_PLI_FREQ, S_ROUTES, ST_OPEN, ST_STARTED, ST_VALVE_SHIFT, ST_RECORD_SHIFT,
  SC_DROPS_VALVE_IN, SC_DROPS_MALFORMED, SC_DROPS_NOSTREAM, T_PACKETS_IN, T_BYTES_IN,
  T_PACKETS_OUT, T_BYTES_OUT, T_DROPS_VALVE_IN, T_DROPS_VALVE_OUT, T_SWITCHES, T_SHARED, T_SRC_KEY,
  T_SEQ_OFF, T_TS_OFF, T_LAST_SEQ, T_LAST_TS, T_LAST_MS, G_CALLS, G_DROPS_BAD_SLOT,
  G_DROPS_OVERSIZE, G_DROPS_MALFORMED,
} from "./layout";
import { validRtp, rtpSeq, rtpTs, rtpSsrcRaw } from "./rtp";
import { rewrite, sourceKey, outSeq, outTs, NEW_SOURCE, SAME_SOURCE } from "./switching";
import { lockStream, unlockStream } from "./exclusive";
import { requestKeyframe, periodicKeyframe } from "./keyframes";
import { emit, finish } from "./decisions";
import { everyStreamBase, everyStreamTarget, NO_TARGET } from "./streams";

@inline export function routeRtp(slot: u32, mindex: u32, video: u32, len: u32, now: i64): i32 {
  bumpGlobal(G_CALLS);
  if (slot >= maxSessions || (load<u32>(sessionAt(slot), S_STATE) & ST_OPEN) == 0) {
    bumpGlobal(G_DROPS_BAD_SLOT);
    return D_BAD_SLOT;
  }
  if (len > MAX_PACKET_LEN || mindex >= MAX_STREAMS) { bumpGlobal(G_DROPS_OVERSIZE); return D_OVERSIZE; }
  const s = sessionAt(slot);
  const st = streamAt(slot, mindex);
  bump(st + T_PACKETS_IN); // the session's rtp_in/rtp_bytes_in are their sums (stats.ts)
  bump(st + T_BYTES_IN, <u64>len);
  if (!validRtp(inPtr, len)) {
    bumpGlobal(G_DROPS_MALFORMED);
    bump(s + SC_DROPS_MALFORMED);
    return D_MALFORMED;
  }
  const isVideo = video != 0;
  const medium = isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO;
  const state = load<u32>(s, S_STATE);
  if ((state & (1 << (ST_VALVE_SHIFT + 3 + medium))) == 0) {
    bump(s + SC_DROPS_VALVE_IN);
    bump(st + T_DROPS_VALVE_IN);
    return D_VALVE;
  }
  let n: u32 = 0;
  if (state & (1 << (ST_RECORD_SHIFT + medium))) {
    n = emit(n, K_RECORD, mindex, 0, slot, 0, isVideo ? F_VIDEO : 0);
  }
  if (isVideo) {
    const freq = load<u32>(s, S_PLI_FREQ);
    if (freq != 0) n = periodicKeyframe(n, slot, mindex, freq, now);
  }
  const routes = load<u32>(s, S_ROUTES);
  if ((routes & 0xFFFF) != 0) n = fanOut(n, slot, mindex, isVideo, len, routes, now);
  return finish(n);
}

/** One RELAY_RTP per matching route of the published list `routes` (count | buffer << 16). */
@inline function fanOut(n: u32, slot: u32, mindex: u32, isVideo: bool, len: u32, routes: u32, now: i64): u32 {
  const p = inPtr;
  const c = threadPtr + TH_SCRATCH;
  const medium = isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO;
  store<u64>(c, sourceKey(rtpSsrcRaw(p), slot, mindex, load<u32>(sessionAt(slot), S_GEN)), PK_KEY);
  store<i64>(c, now, PK_NOW);
  store<u64>(c, <u64>len, PK_BYTES);
  store<u32>(c, rtpSeq(p), PK_SEQ);
  store<u32>(c, rtpTs(p), PK_TS);
  store<u32>(c, <u32>everyStreamBase(slot, mindex, medium), PK_EVERY);
  store<u32>(c, ST_STARTED | (1 << (ST_VALVE_SHIFT + medium)), PK_IN_MASK);
  store<u32>(c, mindex, PK_MINDEX);
  const list = routeList(slot, routes >>> 16);
  const end = list + <usize>(routes & 0xFFFF) * ROUTE_SIZE;
  let keyframeAsked = !isVideo; // one switch keyframe request per packet at most, video only
  for (let q = list; q < end; q += ROUTE_SIZE) {
    const r = load<u32>(q);
    const srcM = r & 0xFF;
    const m = load<u32>(c, PK_MINDEX);
    if (srcM != m && srcM != EVERY_STREAM) continue;
    const dst = r >>> 16;
    const state = load<u32>(sessionAt(dst), S_STATE);
    let dstM = (r >>> 8) & 0xFF;
    if (srcM == EVERY_STREAM) {
      dstM = everyStreamTarget(<usize>load<u32>(c, PK_EVERY), dst, state, m);
      if (dstM == NO_TARGET) { bumpShared(sessionAt(dst) + SC_DROPS_NOSTREAM); continue; }
    }
    const t = streamAt(dst, dstM);
    const inMask = load<u32>(c, PK_IN_MASK);
    if ((state & inMask) != inMask) {
      bumpShared(t + T_DROPS_VALVE_OUT);
      continue;
    }
    if ((load<u32>(t, T_SHARED) != 0) | (load<u64>(t, T_SRC_KEY) != load<u64>(c, PK_KEY))) {
      const res = relayOther(n, t, dst, dstM, slot, isVideo, keyframeAsked);
      n = res & ~SWITCHED;
      if (res & SWITCHED) keyframeAsked = true;
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
    n = emit(n, K_RELAY_RTP, dstM, s, dst, v, 0);
  }
  return n;
}

const SWITCHED: u32 = 1 << 31;

/** The relay of one route to a stream that is shared (lock) or that changes source (switch,
 *  keyframe request). Out of line: rare next to the fast path. Returns the new decision
 *  count, | SWITCHED if the stream took this source just now. */
function relayOther(n: u32, t: usize, dst: u32, dstM: u32, slot: u32, isVideo: bool, keyframeAsked: bool): u32 {
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
  if (res != SAME_SOURCE && !keyframeAsked) n = requestKeyframe(n, slot, mindex, now);
  n = emit(n, K_RELAY_RTP, dstM, s, dst, v, res == NEW_SOURCE ? F_MARK_SWITCH : 0);
  return res != SAME_SOURCE ? n | SWITCHED : n;
}
