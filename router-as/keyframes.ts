// Keyframe requests (SEND_PLI decisions): forwarded ones are throttled per sender stream
// (pliMinInterval, default 1000 ms); periodic ones follow the sender's pli_freq.

import { K_SEND_PLI } from "./abi";
import {
  outCap, pliMinInterval, sessionAt, streamAt, T_FLAGS, T_PLI_FWD_MS, T_PLI_PERIODIC_MS,
  TF_PLI_FWD_SET, TF_PLI_PERIODIC_SET, SC_PLIS_SENT, bump,
} from "./layout";
import { emit } from "./decisions";

/** True (and the timer restarted) if `interval` ms passed since the timer at `off`. */
@inline function due(t: usize, flag: u32, off: u32, interval: i64, now: i64): bool {
  const f = load<u32>(t, T_FLAGS);
  if (f & flag) {
    const d = now - load<i64>(t + off);
    if (d >= 0 && d < interval) return false; // a clock going back does not block forever
  }
  store<u32>(t, f | flag, T_FLAGS);
  store<i64>(t + off, now);
  return true;
}

/** Throttled keyframe request to stream (slot, mindex); returns the new decision count. */
export function requestKeyframe(n: u32, slot: u32, mindex: u32, now: i64): u32 {
  if (n >= outCap) return n;
  if (!due(streamAt(slot, mindex), TF_PLI_FWD_SET, T_PLI_FWD_MS, pliMinInterval, now)) return n;
  bump(sessionAt(slot) + SC_PLIS_SENT);
  return emit(n, K_SEND_PLI, mindex, 0, slot, 0, 0);
}

/** Periodic keyframe request to the sender of a video packet, if pli_freq ms passed. */
export function periodicKeyframe(n: u32, slot: u32, mindex: u32, freq: u32, now: i64): u32 {
  if (!due(streamAt(slot, mindex), TF_PLI_PERIODIC_SET, T_PLI_PERIODIC_MS, <i64>freq, now)) return n;
  bump(sessionAt(slot) + SC_PLIS_SENT);
  return emit(n, K_SEND_PLI, mindex, 0, slot, 0, 0);
}
