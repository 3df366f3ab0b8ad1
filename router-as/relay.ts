// The RTP packet call: sender checks, RECORD, periodic PLI, then one RELAY_RTP per matching
// route whose recipient is started with its `in` valve open. Everything that does not depend
// on the recipient (header fields, source key, masks, clock) is computed before the loop.
// The sender's own records are written plainly (only its thread sends); a recipient stream is
// written plainly when this route is its only feeder, under its lock otherwise.
//
// The loop body is the fast path only: an exclusive recipient stream that keeps its source.
// Anything else (a skipped recipient, a locked stream, a source switch) goes to functions
// kept out of line (release builds use shrinkLevel 1, which stops binaryen from inlining
// them), so the loop's few live values stay in registers.
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
  inPtr, maxSessions, sessionAt, streamAt, routeList, bump, bumpShared, bumpGlobal, ROUTE_SIZE,
  S_STATE, S_GEN, S_PLI_FREQ, S_ROUTES, ST_OPEN, ST_STARTED, ST_VALVE_SHIFT, ST_RECORD_SHIFT,
  SC_RTP_IN, SC_RTP_BYTES_IN, SC_DROPS_VALVE_IN, SC_DROPS_MALFORMED, SC_DROPS_NOSTREAM, T_PACKETS_IN, T_BYTES_IN,
  T_PACKETS_OUT, T_BYTES_OUT, T_DROPS_VALVE_IN, T_DROPS_VALVE_OUT, T_SWITCHES, T_SHARED, T_SRC_KEY,
  T_SEQ_OFF, T_TS_OFF, T_LAST_SEQ, T_LAST_TS, T_LAST_MS, G_CALLS, G_DROPS_BAD_SLOT,
  G_DROPS_OVERSIZE, G_DROPS_MALFORMED,
} from "./layout";
import { validRtp, rtpSeq, rtpTs, rtpSsrc } from "./rtp";
import { rewrite, sourceKey, outSeq, outTs, NEW_SOURCE, SAME_SOURCE } from "./switching";
import { lockStream, unlockStream } from "./exclusive";
import { requestKeyframe, periodicKeyframe } from "./keyframes";
import { emit, finish } from "./decisions";
import { everyStreamBase, everyStreamTarget, NO_TARGET } from "./streams";

export function routeRtp(slot: u32, mindex: u32, video: u32, len: u32, now: i64): i32 {
  bumpGlobal(G_CALLS);
  if (slot >= maxSessions || (load<u32>(sessionAt(slot), S_STATE) & ST_OPEN) == 0) {
    bumpGlobal(G_DROPS_BAD_SLOT);
    return D_BAD_SLOT;
  }
  if (len > MAX_PACKET_LEN || mindex >= MAX_STREAMS) { bumpGlobal(G_DROPS_OVERSIZE); return D_OVERSIZE; }
  const s = sessionAt(slot);
  const st = streamAt(slot, mindex);
  bump(s + SC_RTP_IN);
  bump(s + SC_RTP_BYTES_IN, <u64>len);
  bump(st + T_PACKETS_IN);
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
  const seq = rtpSeq(p);
  const ts = rtpTs(p);
  const key = sourceKey(rtpSsrc(p), slot, mindex, load<u32>(sessionAt(slot), S_GEN));
  const medium = isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO;
  const inMask = ST_STARTED | (1 << (ST_VALVE_SHIFT + medium));
  const every = everyStreamBase(slot, mindex, medium);
  const bytes = <u64>len;
  const end = routeList(slot, routes >>> 16) + <usize>(routes & 0xFFFF) * ROUTE_SIZE;
  let keyframeAsked = !isVideo; // one switch keyframe request per packet at most, video only
  for (let q = routeList(slot, routes >>> 16); q < end; q += ROUTE_SIZE) {
    const r = load<u32>(q);
    const srcM = r & 0xFF;
    if (srcM != mindex && srcM != EVERY_STREAM) continue;
    const dst = r >>> 16;
    const state = load<u32>(sessionAt(dst), S_STATE);
    let dstM = (r >>> 8) & 0xFF;
    if (srcM == EVERY_STREAM) {
      dstM = everyStreamTarget(every, dst, state, mindex);
      if (dstM == NO_TARGET) { bumpShared(sessionAt(dst) + SC_DROPS_NOSTREAM); continue; }
    }
    const t = streamAt(dst, dstM);
    if ((state & inMask) != inMask) {
      bumpShared(t + T_DROPS_VALVE_OUT);
      continue;
    }
    if ((load<u32>(t, T_SHARED) != 0) | (load<u64>(t, T_SRC_KEY) != key)) {
      const m = relayOther(n, t, dst, dstM, slot, mindex, key, seq, ts, now, isVideo, bytes, keyframeAsked);
      n = m & ~SWITCHED;
      if (m & SWITCHED) keyframeAsked = true;
      continue;
    }
    // Same source, this route alone writes the stream: output = input + offsets.
    const s = (seq + <u32>load<u16>(t, T_SEQ_OFF)) & 0xFFFF;
    const v = ts + load<u32>(t, T_TS_OFF);
    if (<i16>(s - <u32>load<u16>(t, T_LAST_SEQ)) > 0) store<u16>(t, <u16>s, T_LAST_SEQ);
    if (<i32>(v - load<u32>(t, T_LAST_TS)) > 0) store<u32>(t, v, T_LAST_TS);
    store<i64>(t, now, T_LAST_MS);
    bump(t + T_PACKETS_OUT);
    bump(t + T_BYTES_OUT, bytes);
    n = emit(n, K_RELAY_RTP, dstM, s, dst, v, 0);
  }
  return n;
}

const SWITCHED: u32 = 1 << 31;

/** The relay of one route to a stream that is shared (lock) or that changes source (switch,
 *  keyframe request). Out of line: rare next to the fast path. Returns the new decision
 *  count, | SWITCHED if the stream took this source just now. */
function relayOther(n: u32, t: usize, dst: u32, dstM: u32, slot: u32, mindex: u32, key: u64, seq: u32,
  ts: u32, now: i64, isVideo: bool, bytes: u64, keyframeAsked: bool): u32 {
  const shared = load<u32>(t, T_SHARED) != 0;
  if (shared) lockStream(t);
  const res = rewrite(t, key, seq, ts, now, isVideo ? CLOCK_VIDEO : CLOCK_AUDIO);
  if (res == NEW_SOURCE) bump(t + T_SWITCHES);
  bump(t + T_PACKETS_OUT);
  bump(t + T_BYTES_OUT, bytes);
  const s = outSeq, v = outTs;
  if (shared) unlockStream(t);
  // A recipient stream that starts on this source needs a keyframe from it: one request
  // per packet at most, throttled per sender stream.
  if (res != SAME_SOURCE && !keyframeAsked) n = requestKeyframe(n, slot, mindex, now);
  n = emit(n, K_RELAY_RTP, dstM, s, dst, v, res == NEW_SOURCE ? F_MARK_SWITCH : 0);
  return res != SAME_SOURCE ? n | SWITCHED : n;
}
