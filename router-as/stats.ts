// Where the counters are (layouts in layout.ts; names and order in docs/router-abi.md).

import { MAX_STREAMS } from "./abi";
import { maxSessions, sessionAt, streamAt, S_STATS, GLOBAL_STATS } from "./layout";

/** Session counters of `slot` (12 × u64), 0 for a slot out of range. */
export function sessionStatsPtr(slot: u32): usize {
  if (slot >= maxSessions) return 0;
  return sessionAt(slot) + S_STATS;
}

/** Stream counters of (slot, mindex) (6 × u64, first in the stream record), 0 if out of range. */
export function streamStatsPtr(slot: u32, mindex: u32): usize {
  if (slot >= maxSessions || mindex >= MAX_STREAMS) return 0;
  return streamAt(slot, mindex);
}

/** Global counters (5 × u64): calls, drops_malformed, drops_bad_slot, drops_oversize, decisions. */
export function globalStatsPtr(): usize {
  return GLOBAL_STATS;
}
