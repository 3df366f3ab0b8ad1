// Linear-memory layout: the regions laid out once by `configure`, and the records in them.
//
//   __heap_base (aligned 64)
//   +-----------------+  in_ptr    IN_CAP bytes, the packet being routed (network order)
//   | packet in       |
//   +-----------------+  out_ptr   out_cap × 16-byte decision records
//   | decisions out   |
//   +-----------------+  sessions  max_sessions × SESSION_SIZE
//   | sessions        |
//   +-----------------+  streams   max_sessions × MAX_STREAMS × STREAM_SIZE
//   | streams         |
//   +-----------------+  kinds     max_sessions × KINDS_SIZE (stream kinds, streams.ts)
//   | kinds           |
//   +-----------------+  routes    max_sessions × max_routes × ROUTE_SIZE (one list per sender)
//   | routes          |
//   +-----------------+  gens      max_sessions × u8 (slot generation, survives close)
//   | gens, free      |  free      max_sessions × u16 (stack of free slots)
//   +-----------------+
//
// Nothing is allocated after `configure`; every table is addressed by slot index.

import {
  IN_CAP, MAX_STREAMS, OUT_EXTRA, MAX_SESSIONS_LIMIT, MAX_ROUTES_LIMIT, MAX_TABLE_BYTES,
  E_CONFIG, PLI_MIN_INTERVAL_DEFAULT,
} from "./abi";

// Session record (SESSION_SIZE bytes, one per slot)
//  0            4            8            12           16           20            24         32
//  +------------+------------+------------+------------+------------+-------------+----------+
//  | state u32  | gen u32    | bitrate    | pli_freq   | route_count| stream_count| reserved |
//  +------------+------------+------------+------------+------------+-------------+----------+
//  32                                                                                      128
//  | counters: rtp_in rtp_bytes_in rtp_out rtp_bytes_out rtcp_in data_in data_out plis_sent  |
//  |           drops_valve drops_malformed drops_closed drops_nostream          (12 × u64)    |
// stream_count: m-lines given to set_streams (0 = not known: every-stream routes use the
// same index).
export const SESSION_SIZE: u32 = 128;
export const S_STATE: u32 = 0;
export const S_GEN: u32 = 4;
export const S_BITRATE: u32 = 8;
export const S_PLI_FREQ: u32 = 12;
export const S_ROUTE_COUNT: u32 = 16;
export const S_STREAM_COUNT: u32 = 20;
export const S_STATS: u32 = 32;
// Session counters, byte offsets from the record start.
export const SC_RTP_IN: u32 = S_STATS + 0 * 8;
export const SC_RTP_BYTES_IN: u32 = S_STATS + 1 * 8;
export const SC_RTP_OUT: u32 = S_STATS + 2 * 8;
export const SC_RTP_BYTES_OUT: u32 = S_STATS + 3 * 8;
export const SC_RTCP_IN: u32 = S_STATS + 4 * 8;
export const SC_DATA_IN: u32 = S_STATS + 5 * 8;
export const SC_DATA_OUT: u32 = S_STATS + 6 * 8;
export const SC_PLIS_SENT: u32 = S_STATS + 7 * 8;
export const SC_DROPS_VALVE: u32 = S_STATS + 8 * 8;
export const SC_DROPS_MALFORMED: u32 = S_STATS + 9 * 8;
export const SC_DROPS_CLOSED: u32 = S_STATS + 10 * 8;
export const SC_DROPS_NOSTREAM: u32 = S_STATS + 11 * 8;

// Session state bits: the value `session_state` returns (bits 0..13 per docs/router-abi.md,
// bits 16..18 recording audio/video/data).
export const ST_OPEN: u32 = 1 << 0;
export const ST_STARTED: u32 = 1 << 1;
export const ST_DATA_READY: u32 = 1 << 2;
export const ST_VALVE_SHIFT: u32 = 8; // + dir * 3 + medium
export const ST_RECORD_SHIFT: u32 = 16; // + medium

// Stream record (STREAM_SIZE bytes, one per (slot, mindex)). The same stream is a sender
// stream (counters *_in, keyframe-request timers) and a recipient stream (counters *_out,
// the switching context: which source was relayed last and the seq/ts offsets applied).
//  0                                                                           48
//  | counters: packets_in bytes_in packets_out bytes_out drops_valve switches (6 × u64) |
//  48                  56                  64        68        72     74     76      80
//  | src_key u64       | last_ms i64       | ts_off  | last_ts | s_off| l_seq| flags  |
//  80                  88                  96     97                              128
//  | pli_fwd_ms i64    | pli_periodic_ms   | desc | reserved for simulcast (targets, SSRC map) |
// desc: the set_streams descriptor of this m-line (0 when not given).
//
// src_key = ssrc | src_slot << 32 | src_mindex << 48 | src_gen << 56; 0 = no source yet.
export const STREAM_SIZE: u32 = 128;
export const T_PACKETS_IN: u32 = 0;
export const T_BYTES_IN: u32 = 8;
export const T_PACKETS_OUT: u32 = 16;
export const T_BYTES_OUT: u32 = 24;
export const T_DROPS_VALVE: u32 = 32;
export const T_SWITCHES: u32 = 40;
export const T_SRC_KEY: u32 = 48;
export const T_LAST_MS: u32 = 56;
export const T_TS_OFF: u32 = 64;
export const T_LAST_TS: u32 = 68;
export const T_SEQ_OFF: u32 = 72;
export const T_LAST_SEQ: u32 = 74;
export const T_FLAGS: u32 = 76;
export const T_PLI_FWD_MS: u32 = 80;
export const T_PLI_PERIODIC_MS: u32 = 88;
export const T_DESC: u32 = 96;
// Stream flags (zero after a clear means "never").
export const TF_PLI_FWD_SET: u32 = 1 << 0;
export const TF_PLI_PERIODIC_SET: u32 = 1 << 1;

// Kinds record (KINDS_SIZE bytes, one per slot): what an every-stream route needs to send a
// sender's k-th audio (video) stream to the recipient's k-th audio (video) stream. Bytes
// are stored + 1 so that the zeroed record of a fresh slot reads "unknown" (0).
//  0              16                32                48     49     50            64
//  | ord[16]      | audio_at[16]    | video_at[16]    | 0    | 0xFF | reserved    |
// ord[m]: 1 + ordinal of m among the active streams of its kind (audio/video), KR_NONE if m
// is not an active audio/video stream; audio_at[k]/video_at[k]: 1 + mindex of the k-th
// active audio/video stream, KR_NONE if there is none. Bytes 48 and 49 never change: a
// packet reads "unknown" or "none" there for every recipient (streams.ts).
export const KINDS_SIZE: u32 = 64;
export const KR_ORD: u32 = 0;
export const KR_AT: u32 = 16; // + kind × 16 (audio 0, video 1)
export const KR_ZERO: u32 = 48;
export const KR_NONE_AT: u32 = 49;
export const KR_NONE: u32 = 0xFF;

// Route record (ROUTE_SIZE bytes): | src_mindex u8 | dst_mindex u8 | dst_slot u16 |
export const ROUTE_SIZE: u32 = 4;

// Decision record (DECISION_SIZE bytes):
//  0      1        2           4            8                12          16
//  | kind | mindex | seq u16   | slot u32   | ts/bitrate u32 | flags u32 |
export const DECISION_SIZE: u32 = 16;

// Global counters, a static block (5 × u64).
export const GLOBAL_STATS: usize = memory.data(48, 16);
export const G_CALLS: u32 = 0;
export const G_DROPS_MALFORMED: u32 = 8;
export const G_DROPS_BAD_SLOT: u32 = 16;
export const G_DROPS_OVERSIZE: u32 = 24;
export const G_DECISIONS: u32 = 32;

// Regions, fixed by configure (all 0 before: every slot check fails).
export let maxSessions: u32 = 0;
export let maxRoutes: u32 = 0;
export let inPtr: usize = 0;
export let outPtr: usize = 0;
export let outCap: u32 = 0;
export let sessionsPtr: usize = 0;
export let streamsPtr: usize = 0;
export let kindsPtr: usize = 0;
export let routesPtr: usize = 0;
export let gensPtr: usize = 0;
export let freePtr: usize = 0;
export let freeTop: u32 = 0; // number of slots on the free stack
export let pliMinInterval: i64 = PLI_MIN_INTERVAL_DEFAULT;

export function setPliMinInterval(ms: i64): void { pliMinInterval = ms; }
export function setFreeTop(n: u32): void { freeTop = n; }

@inline export function sessionAt(slot: u32): usize {
  return sessionsPtr + <usize>slot * SESSION_SIZE;
}
@inline export function streamAt(slot: u32, mindex: u32): usize {
  return streamsPtr + (<usize>slot * MAX_STREAMS + mindex) * STREAM_SIZE;
}
@inline export function kindsAt(slot: u32): usize {
  return kindsPtr + <usize>slot * KINDS_SIZE;
}
@inline export function routesOf(slot: u32): usize {
  return routesPtr + <usize>slot * maxRoutes * ROUTE_SIZE;
}
/** True if `slot` is in range and open. One unsigned compare covers negative arguments. */
@inline export function isOpen(slot: u32): bool {
  return slot < maxSessions && (load<u32>(sessionAt(slot), S_STATE) & ST_OPEN) != 0;
}
@inline export function stateOf(slot: u32): u32 {
  return load<u32>(sessionAt(slot), S_STATE);
}
@inline export function bump(p: usize, by: u64 = 1): void {
  store<u64>(p, load<u64>(p) + by);
}
@inline export function bumpGlobal(off: u32): void {
  bump(GLOBAL_STATS + off);
}

@inline function align64(p: u64): u64 { return (p + 63) & ~<u64>63; }

/** Lays the tables out and grows memory for them. Once; 0 or E_CONFIG. */
export function configure(max_sessions: u32, max_routes: u32): i32 {
  if (maxSessions != 0) return E_CONFIG;
  if (max_sessions - 1 >= MAX_SESSIONS_LIMIT) return E_CONFIG; // 0 wraps: refused too
  if (max_routes - 1 >= MAX_ROUTES_LIMIT) return E_CONFIG;
  const ns = <u64>max_sessions;
  const cap = max_routes + OUT_EXTRA;
  let p = align64(<u64>__heap_base);
  const pIn = p; p = align64(p + IN_CAP);
  const pOut = p; p = align64(p + <u64>cap * DECISION_SIZE);
  const pSessions = p; p = align64(p + ns * SESSION_SIZE);
  const pStreams = p; p = align64(p + ns * MAX_STREAMS * STREAM_SIZE);
  const pKinds = p; p = align64(p + ns * KINDS_SIZE);
  const pRoutes = p; p = align64(p + ns * <u64>max_routes * ROUTE_SIZE);
  const pGens = p; p = align64(p + ns);
  const pFree = p; p = align64(p + ns * 2);
  if (p - pIn > MAX_TABLE_BYTES) return E_CONFIG;
  const pages = <i32>((p + 0xFFFF) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return E_CONFIG;
  inPtr = <usize>pIn;
  outPtr = <usize>pOut;
  outCap = cap;
  sessionsPtr = <usize>pSessions;
  streamsPtr = <usize>pStreams;
  kindsPtr = <usize>pKinds;
  routesPtr = <usize>pRoutes;
  gensPtr = <usize>pGens;
  freePtr = <usize>pFree;
  maxRoutes = max_routes;
  maxSessions = max_sessions;
  // Free stack, popped from the top: slot 0 first.
  for (let i: u32 = 0; i < max_sessions; i++) {
    store<u16>(freePtr + (<usize>i << 1), <u16>(max_sessions - 1 - i));
  }
  freeTop = max_sessions;
  for (let i: u32 = 0; i < max_sessions; i++) clearKinds(i);
  return 0;
}

/** A kinds record as a fresh slot has it: every byte 0 (unknown) but the constant KR_NONE. */
export function clearKinds(slot: u32): void {
  const k = kindsAt(slot);
  memory.fill(k, 0, KINDS_SIZE);
  store<u8>(k + KR_NONE_AT, <u8>KR_NONE);
}
