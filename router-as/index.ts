// router.wasm exports: the ABI of docs/router-abi.md (version ABI_VERSION), nothing else.
// Slots, indexes and lengths are u32 (any i32 the host passes is valid input: out-of-range
// values give an error or drop code, never a trap); times are i64 milliseconds.

import { ABI_VERSION, IN_CAP } from "./abi";
import { configure as layOut, inPtr, outPtr, outCap, setPliMinInterval, GLOBAL_STATS, G_CALLS, bump } from "./layout";
import {
  sessionOpen, sessionClose, sessionStart, sessionHangup, setValve, setBitrate, setPliFreq,
  setDataReady, setRecording, sessionState,
} from "./sessions";
import { routeAdd, routeRemove, routeCountOf, routesPtrOf } from "./routes";
import { setStreams, streamResolve } from "./streams";
import { routeRtp } from "./relay";
import { routeRtcp } from "./rtcp";
import { routeData } from "./data";
import { sessionStatsPtr, streamStatsPtr, globalStatsPtr } from "./stats";

export function abi_version(): u32 { return ABI_VERSION; }
export function configure(max_sessions: u32, max_routes: u32): i32 { return layOut(max_sessions, max_routes); }
export function in_ptr(): usize { return inPtr; }
export function in_cap(): u32 { return inPtr != 0 ? IN_CAP : 0; }
export function out_ptr(): usize { return outPtr; }
export function out_cap(): u32 { return outCap; }

// Packet calls: n ≥ 0 decisions at out_ptr, or a negative drop code.
export function rtp(slot: u32, mindex: u32, video: u32, len: u32, now_ms: i64): i32 {
  return routeRtp(slot, mindex, video, len, now_ms);
}
export function rtcp(slot: u32, mindex: u32, video: u32, len: u32, now_ms: i64): i32 {
  return routeRtcp(slot, mindex, video, len, now_ms);
}
export function data(slot: u32, len: u32, binary: u32, now_ms: i64): i32 {
  return routeData(slot, len, binary, now_ms);
}
/** Periodic work; v1 has none that emits decisions (periodic PLIs ride on video packets). */
export function tick(now_ms: i64): i32 {
  bump(GLOBAL_STATS + G_CALLS);
  return 0;
}

// Control calls: ≥ 0 on success, a negative error code otherwise.
export function session_open(): i32 { return sessionOpen(); }
export function session_close(slot: u32): i32 { return sessionClose(slot); }
export function session_start(slot: u32): i32 { return sessionStart(slot); }
export function session_hangup(slot: u32): i32 { return sessionHangup(slot); }
export function set_valve(slot: u32, medium: u32, dir: u32, on: u32): i32 { return setValve(slot, medium, dir, on); }
export function set_bitrate(slot: u32, bps: u32): i32 { return setBitrate(slot, bps); }
export function set_pli_freq(slot: u32, ms: u32): i32 { return setPliFreq(slot, ms); }
export function set_data_ready(slot: u32, on: u32): i32 { return setDataReady(slot, on); }
export function set_recording(slot: u32, medium: u32, on: u32): i32 { return setRecording(slot, medium, on); }
export function set_pli_min_interval(ms: u32): i32 { setPliMinInterval(<i64>ms); return 0; }
export function route_add(src: u32, src_mindex: u32, dst: u32, dst_mindex: u32): i32 {
  return routeAdd(src, src_mindex, dst, dst_mindex);
}
export function route_remove(src: u32, src_mindex: u32, dst: u32, dst_mindex: u32): i32 {
  return routeRemove(src, src_mindex, dst, dst_mindex);
}
export function set_streams(slot: u32, count: u32, lo: u64, hi: u64): i32 { return setStreams(slot, count, lo, hi); }
export function stream_resolve(src: u32, src_mindex: u32, dst: u32): i32 { return streamResolve(src, src_mindex, dst); }
export function route_count(slot: u32): i32 { return routeCountOf(slot); }
export function routes_ptr(slot: u32): usize { return routesPtrOf(slot); }
export function session_state(slot: u32): i32 { return sessionState(slot); }
export function session_stats_ptr(slot: u32): usize { return sessionStatsPtr(slot); }
export function stream_stats_ptr(slot: u32, mindex: u32): usize { return streamStatsPtr(slot, mindex); }
export function global_stats_ptr(): usize { return globalStatsPtr(); }
