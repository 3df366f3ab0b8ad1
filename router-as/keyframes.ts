// Keyframe requests (SEND_PLI decisions): forwarded ones are throttled per sender stream
// (pli_min_interval, default 1000 ms), from any thread, with a compare-and-swap on the
// stream's timer; periodic ones follow the sender's pli_freq and only the sender's own
// thread touches their timer. Timers: 0 = never, else (ms << 1) | 1.

import { K_SEND_PLI } from "./abi";
import {
  outCap, pliMinInterval, sessionAt, streamAt, T_PLI_FWD, T_PLI_PERIODIC, SC_PLIS_SENT, bumpShared,
} from "./layout";
import { emit } from "./decisions";

/** True if the timer holds a time less than `interval` ms before `now`. */
@inline function recent(timer: i64, interval: i64, now: i64): bool {
  if ((timer & 1) == 0) return false;
  const d = now - (timer >> 1);
  return d >= 0 && d < interval; // a clock going back does not block forever
}

/** Throttled keyframe request to stream (slot, mindex); returns the new decision count. */
export function requestKeyframe(n: u32, slot: u32, mindex: u32, now: i64): u32 {
  if (n >= outCap) return n;
  const p = streamAt(slot, mindex) + T_PLI_FWD;
  const timer = atomic.load<i64>(p);
  if (recent(timer, pliMinInterval(), now)) return n;
  if (atomic.cmpxchg<i64>(p, timer, (now << 1) | 1) != timer) return n; // another thread asked just now
  bumpShared(sessionAt(slot) + SC_PLIS_SENT);
  return emit(n, K_SEND_PLI, mindex, 0, slot, 0, 0);
}

/** Periodic keyframe request to the sender of a video packet, if pli_freq ms passed. */
export function periodicKeyframe(n: u32, slot: u32, mindex: u32, freq: u32, now: i64): u32 {
  const t = streamAt(slot, mindex);
  if (recent(load<i64>(t, T_PLI_PERIODIC), <i64>freq, now)) return n;
  store<i64>(t, (now << 1) | 1, T_PLI_PERIODIC);
  bumpShared(sessionAt(slot) + SC_PLIS_SENT);
  return emit(n, K_SEND_PLI, mindex, 0, slot, 0, 0);
}
