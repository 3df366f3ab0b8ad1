// The RTP packet call: sender checks, RECORD, periodic PLI, then one RELAY_RTP per matching
// route whose recipient is started with its `in` valve open. Everything that does not depend
// on the recipient (header fields, source key, masks, clock) is computed before the loop.

import {
  MAX_PACKET_LEN, MAX_STREAMS, EVERY_STREAM, MEDIUM_VIDEO, MEDIUM_AUDIO, CLOCK_AUDIO,
  CLOCK_VIDEO, K_RELAY_RTP, K_RECORD, F_VIDEO, F_MARK_SWITCH, D_BAD_SLOT, D_OVERSIZE,
  D_MALFORMED, D_VALVE,
} from "./abi";
import {
  inPtr, isOpen, sessionAt, streamAt, routesOf, bump, bumpGlobal, ROUTE_SIZE, S_STATE, S_GEN,
  S_PLI_FREQ, S_ROUTE_COUNT, ST_STARTED, ST_VALVE_SHIFT, ST_RECORD_SHIFT, SC_RTP_IN,
  SC_RTP_BYTES_IN, SC_RTP_OUT, SC_RTP_BYTES_OUT, SC_DROPS_VALVE, SC_DROPS_MALFORMED, SC_DROPS_NOSTREAM,
  T_PACKETS_IN, T_BYTES_IN, T_PACKETS_OUT, T_BYTES_OUT, T_DROPS_VALVE, T_SWITCHES,
  G_CALLS, G_DROPS_BAD_SLOT, G_DROPS_OVERSIZE, G_DROPS_MALFORMED,
} from "./layout";
import { validRtp, rtpSeq, rtpTs, rtpSsrc } from "./rtp";
import { rewrite, sourceKey, outSeq, outTs, NEW_SOURCE, SAME_SOURCE } from "./switching";
import { requestKeyframe, periodicKeyframe } from "./keyframes";
import { emit, finish } from "./decisions";
import { everyStreamBase, everyStreamTarget, NO_TARGET } from "./streams";

export function routeRtp(slot: u32, mindex: u32, video: u32, len: u32, now: i64): i32 {
  bumpGlobal(G_CALLS);
  if (!isOpen(slot)) { bumpGlobal(G_DROPS_BAD_SLOT); return D_BAD_SLOT; }
  if (len > MAX_PACKET_LEN || mindex >= MAX_STREAMS) { bumpGlobal(G_DROPS_OVERSIZE); return D_OVERSIZE; }
  const s = sessionAt(slot);
  const st = streamAt(slot, mindex);
  bump(s + SC_RTP_IN);
  bump(s + SC_RTP_BYTES_IN, <u64>len);
  bump(st + T_PACKETS_IN);
  bump(st + T_BYTES_IN, <u64>len);
  const p = inPtr;
  if (!validRtp(p, len)) {
    bumpGlobal(G_DROPS_MALFORMED);
    bump(s + SC_DROPS_MALFORMED);
    return D_MALFORMED;
  }
  const isVideo = video != 0;
  const medium = isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO;
  const state = load<u32>(s, S_STATE);
  if ((state & (1 << (ST_VALVE_SHIFT + 3 + medium))) == 0) {
    bump(s + SC_DROPS_VALVE);
    bump(st + T_DROPS_VALVE);
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
  const count = load<u32>(s, S_ROUTE_COUNT);
  if (count == 0) return finish(n);

  const seq = rtpSeq(p);
  const ts = rtpTs(p);
  const key = sourceKey(rtpSsrc(p), slot, mindex, load<u32>(s, S_GEN));
  const clock = isVideo ? CLOCK_VIDEO : CLOCK_AUDIO;
  const inMask = ST_STARTED | (1 << (ST_VALVE_SHIFT + medium));
  const bytes = <u64>len;
  const list = routesOf(slot);
  const every = everyStreamBase(slot, mindex, medium);
  let keyframeAsked = false;
  for (let i: u32 = 0; i < count; i++) {
    const r = load<u32>(list + <usize>i * ROUTE_SIZE);
    const srcM = r & 0xFF;
    if (srcM != mindex && srcM != EVERY_STREAM) continue;
    const dst = r >>> 16;
    const ds = sessionAt(dst);
    let dstM = (r >>> 8) & 0xFF;
    if (srcM == EVERY_STREAM) {
      dstM = everyStreamTarget(every, dst, mindex);
      if (dstM == NO_TARGET) { bump(ds + SC_DROPS_NOSTREAM); continue; }
    }
    const t = streamAt(dst, dstM);
    if ((load<u32>(ds, S_STATE) & inMask) != inMask) {
      bump(ds + SC_DROPS_VALVE);
      bump(t + T_DROPS_VALVE);
      continue;
    }
    let flags: u32 = 0;
    const res = rewrite(t, key, seq, ts, now, clock);
    if (res != SAME_SOURCE) {
      if (res == NEW_SOURCE) {
        flags = F_MARK_SWITCH;
        bump(t + T_SWITCHES);
      }
      // A recipient stream that starts on this source needs a keyframe from it: one
      // request per packet at most, throttled per sender stream.
      if (isVideo && !keyframeAsked) {
        keyframeAsked = true;
        n = requestKeyframe(n, slot, mindex, now);
      }
    }
    n = emit(n, K_RELAY_RTP, dstM, outSeq, dst, outTs, flags);
    bump(ds + SC_RTP_OUT);
    bump(ds + SC_RTP_BYTES_OUT, bytes);
    bump(t + T_PACKETS_OUT);
    bump(t + T_BYTES_OUT, bytes);
  }
  return finish(n);
}
