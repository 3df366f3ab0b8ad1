// router.wasm exports: the ABI of docs/router-abi.md (version ABI_VERSION), nothing else.
// Slots, indexes and lengths are u32 (any i32 the host passes is valid input: out-of-range
// values give an error or drop code, never a trap); times are i64 milliseconds.
// Imports: the shared memory (env.memory) and the host's grace period (env.sync, host.ts).

import { ABI_VERSION, IN_CAP } from "./abi";
import { configure as layOut, attach as bind, inPtr, outPtr, outCap, setPliMinInterval, G_CALLS, bumpGlobal } from "./layout";
import { releaseHeld } from "./exclusive";
import {
  sessionOpen, sessionClose, sessionStart, sessionHangup, setValve, setBitrate, setPliFreq,
  setDataReady, setRecording, sessionState,
} from "./sessions";
import { routeAdd, routeRemove, routeCountOf, routesPtrOf } from "./routes";
import { setStreams, streamResolve } from "./streams";
import { routeRtp } from "./relay";
import { routeRtcp } from "./rtcp";
import { routeData } from "./data";
import { sessionStats, streamStats, globalStats, forwarderStats } from "./stats";
import { setCodecs } from "./payload-types";
import { setSimulcast, setLayers, layersState } from "./layered";
import { setTalk, talkScoreOf } from "./talk";
import { fwdAdd, fwdRemove } from "./forwarders";

export function abi_version(): u32 { return ABI_VERSION; }
export function configure(max_sessions: u32, max_routes: u32, max_threads: u32, max_forwarders: u32): i32 {
  return layOut(max_sessions, max_routes, max_threads, max_forwarders);
}
/** Binds this instance to thread context `thread`; every instance, once, after configure. */
export function attach(thread: u32): i32 { return bind(thread); }
/** After a trap: releases the stream lock this instance may have held. */
export function recover(): i32 { return releaseHeld(); }
export function in_ptr(): usize { return inPtr; }
export function in_cap(): u32 { return inPtr != 0 ? IN_CAP : 0; }
export function out_ptr(): usize { return outPtr; }
export function out_cap(): u32 { return outCap; }

// Packet calls: n ≥ 0 decisions at out_ptr, or a negative drop code.
export function rtp(slot: u32, mindex: u32, video: u32, len: u32, now_ms: i64, level: i32): i32 {
  return routeRtp(slot, mindex, video, len, now_ms, level);
}
export function rtcp(slot: u32, mindex: u32, video: u32, len: u32, now_ms: i64): i32 {
  return routeRtcp(slot, mindex, video, len, now_ms);
}
export function data(slot: u32, len: u32, binary: u32, now_ms: i64): i32 {
  return routeData(slot, len, binary, now_ms);
}
/** Periodic work; none emits decisions yet (periodic PLIs ride on video packets). */
export function tick(now_ms: i64): i32 {
  bumpGlobal(G_CALLS);
  return 0;
}

// Control calls: ≥ 0 on success, a negative error code otherwise. The host serializes them.
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
// Media: payload types, layers, talk detection, forwarders. set_codecs and set_simulcast read
// a blob the host wrote at in_ptr (docs/router-abi.md).
export function set_codecs(slot: u32, count: u32): i32 { return setCodecs(slot, count); }
export function set_simulcast(slot: u32, mindex: u32): i32 { return setSimulcast(slot, mindex); }
export function set_layers(slot: u32, mindex: u32, which: u32, value: u32): i32 { return setLayers(slot, mindex, which, value); }
export function layers_state(slot: u32, mindex: u32): i32 { return layersState(slot, mindex); }
export function set_talk(slot: u32, mindex: u32, window: u32, threshold: u32): i32 { return setTalk(slot, mindex, window, threshold); }
export function talk_score(slot: u32, mindex: u32, now_ms: i64, max_age_ms: i64): i32 { return talkScoreOf(slot, mindex, now_ms, max_age_ms); }
export function fwd_add(fwd: u32, slot: u32, mindex: u32, substream: u32): i32 { return fwdAdd(fwd, slot, mindex, substream); }
export function fwd_remove(fwd: u32): i32 { return fwdRemove(fwd); }
// Counter snapshots in this instance's scratch (valid until its next call); 0 out of range.
export function session_stats(slot: u32): usize { return sessionStats(slot); }
export function stream_stats(slot: u32, mindex: u32): usize { return streamStats(slot, mindex); }
export function global_stats(): usize { return globalStats(); }
export function fwd_stats(fwd: u32): usize { return forwarderStats(fwd); }
