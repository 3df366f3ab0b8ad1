// Counter snapshots (names and order in docs/router-abi.md). Counters are kept where their
// writer is (layout.ts): a session's own sending thread, the feeders of a recipient stream,
// atomic adds, each thread's global counters. A snapshot adds them up into this instance's
// scratch (valid until its next call) and returns its address. Control calls only.

import { MAX_STREAMS } from "./abi";
import {
  maxSessions, maxThreads, threadAt, sessionAt, streamAt, threadPtr, TH_SCRATCH, GLOBAL_STATS_N,
  SC_RTCP_IN, SC_DATA_IN, SC_DATA_OUT, SC_PLIS_SENT, SC_DROPS_VALVE_IN,
  SC_DROPS_VALVE_DATA, SC_DROPS_MALFORMED, SC_DROPS_CLOSED, SC_DROPS_NOSTREAM, T_PACKETS_IN, T_BYTES_IN, T_PACKETS_OUT,
  T_BYTES_OUT, T_DROPS_VALVE_IN, T_DROPS_VALVE_OUT, T_SWITCHES, T_DROPS_SUBSTREAM, TH_STATS,
} from "./layout";
import { fwdCounters } from "./forwarders";

@inline function get(p: usize): u64 { return atomic.load<u64>(p); }
@inline function put(i: u32, v: u64): void { store<u64>(threadPtr + TH_SCRATCH + (<usize>i << 3), v); }

/** Session counters of `slot` (12 × u64), 0 for a slot out of range. */
export function sessionStats(slot: u32): usize {
  if (slot >= maxSessions) return 0;
  const s = sessionAt(slot);
  let pin: u64 = 0, bytesIn: u64 = 0, out: u64 = 0, bytesOut: u64 = 0, dropsOut: u64 = 0;
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const t = streamAt(slot, m);
    pin += get(t + T_PACKETS_IN);
    bytesIn += get(t + T_BYTES_IN);
    out += get(t + T_PACKETS_OUT);
    bytesOut += get(t + T_BYTES_OUT);
    dropsOut += get(t + T_DROPS_VALVE_OUT);
  }
  put(0, pin);
  put(1, bytesIn);
  put(2, out);
  put(3, bytesOut);
  put(4, get(s + SC_RTCP_IN));
  put(5, get(s + SC_DATA_IN));
  put(6, get(s + SC_DATA_OUT));
  put(7, get(s + SC_PLIS_SENT));
  put(8, get(s + SC_DROPS_VALVE_IN) + get(s + SC_DROPS_VALVE_DATA) + dropsOut);
  put(9, get(s + SC_DROPS_MALFORMED));
  put(10, get(s + SC_DROPS_CLOSED));
  put(11, get(s + SC_DROPS_NOSTREAM));
  return threadPtr + TH_SCRATCH;
}

/** Stream counters of (slot, mindex) (7 × u64), 0 if out of range. */
export function streamStats(slot: u32, mindex: u32): usize {
  if (slot >= maxSessions || mindex >= MAX_STREAMS) return 0;
  const t = streamAt(slot, mindex);
  put(0, get(t + T_PACKETS_IN));
  put(1, get(t + T_BYTES_IN));
  put(2, get(t + T_PACKETS_OUT));
  put(3, get(t + T_BYTES_OUT));
  put(4, get(t + T_DROPS_VALVE_IN) + get(t + T_DROPS_VALVE_OUT));
  put(5, get(t + T_SWITCHES));
  put(6, get(t + T_DROPS_SUBSTREAM));
  return threadPtr + TH_SCRATCH;
}

/** Forwarder counters (packets, bytes: 2 × u64), 0 if `fwd` is not in use. */
export function forwarderStats(fwd: u32): usize {
  if (maxSessions == 0) return 0;
  return fwdCounters(fwd, threadPtr + TH_SCRATCH) ? threadPtr + TH_SCRATCH : 0;
}

/** Global counters (5 × u64), summed over every thread context: calls, drops_malformed,
 *  drops_bad_slot, drops_oversize, decisions. 0 before this instance attached. */
export function globalStats(): usize {
  if (maxSessions == 0) return 0;
  const threads = maxThreads();
  for (let i: u32 = 0; i < GLOBAL_STATS_N; i++) {
    let sum: u64 = 0;
    for (let t: u32 = 0; t < threads; t++) sum += get(threadAt(t) + TH_STATS + (<usize>i << 3));
    put(i, sum);
  }
  return threadPtr + TH_SCRATCH;
}
