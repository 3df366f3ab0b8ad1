// Linear-memory layout. The memory is imported and shared: one instance per host thread, all
// on the same tables. Everything every instance must see lives in memory (module globals are
// per instance): the header written by `configure`, then the regions it lays out.
//
//   align64(__heap_base) + 64
//   +-----------------+  header    HEADER_SIZE bytes: limits, region pointers, free_top, ...
//   | header          |
//   +-----------------+  threads   max_threads × thread_size: per-thread counters, stats
//   | thread contexts |            scratch, decisions out, packet in (one per instance)
//   +-----------------+  sessions  max_sessions × SESSION_SIZE
//   | sessions        |
//   +-----------------+  streams   max_sessions × MAX_STREAMS × STREAM_SIZE
//   | streams         |
//   +-----------------+  kinds     max_sessions × 2 × KINDS_SIZE (stream kinds, streams.ts;
//   | kinds           |            two records per slot: the published one and the next)
//   +-----------------+  routes    max_sessions × 2 × max_routes × ROUTE_SIZE (two lists per
//   | routes          |            sender: the published one and the next one)
//   +-----------------+  feeders   max_sessions × MAX_STREAMS × u16 (control calls only)
//   | feeders, gens,  |  gens      max_sessions × u8 (slot generation, survives close)
//   | free            |  free      max_sessions × u16 (stack of free slots)
//   +-----------------+  media     max_sessions × MAX_STREAMS × MEDIA_SIZE: per sender stream,
//   | media           |            simulcast (media/sender.ts) and talk (media/talking.ts) state
//   +-----------------+  codecs    max_sessions × MAX_STREAMS × CODECS_SIZE: payload type ↔
//   | codecs          |            codec id tables (payload-types.ts)
//   +-----------------+  fwds      max_forwarders × FWD_SIZE: RTP forwarders (forwarders.ts)
//   | fwds            |
//   +-----------------+
//
// Records are split in 64-byte lines by who writes them (see docs/router-abi.md "Threads"):
// control calls, the session's own sending thread, or the thread feeding a recipient stream.
// Nothing is allocated after `configure`; every table is addressed by slot index.

import {
  IN_CAP, MAX_STREAMS, OUT_EXTRA, MAX_SESSIONS_LIMIT, MAX_ROUTES_LIMIT, MAX_THREADS_LIMIT,
  MAX_FORWARDERS_LIMIT, MAX_TABLE_BYTES, E_CONFIG, E_ARG, PLI_MIN_INTERVAL_DEFAULT,
} from "./abi";

// Header (HEADER_SIZE bytes at HEADER).
//  0       4         8          12          16       20        24                 32
//  | magic | max_ses | max_rout | max_thrds | out_cap| free_top| pli_min_interval |
//  32         36          40        44        48       52        56      60      64
//  | threads  | thread_sz | sessions| streams | routes | feeders | gens  | free  |
//  64 .. 112: counters of an instance that has not attached (never read)
//  112: sync_epoch u32 (control calls only): how many grace periods the router asked for
//  116: kinds (region pointer)
//  128: media, 132: fwds, 136: codecs (region pointers), 140: max_forwarders
export const HEADER_SIZE: u32 = 192;
const H_MAGIC: u32 = 0;
const H_MAX_SESSIONS: u32 = 4;
const H_MAX_ROUTES: u32 = 8;
const H_MAX_THREADS: u32 = 12;
const H_OUT_CAP: u32 = 16;
const H_FREE_TOP: u32 = 20;
const H_PLI_MIN_INTERVAL: u32 = 24;
const H_THREADS: u32 = 32;
const H_THREAD_SIZE: u32 = 36;
const H_SESSIONS: u32 = 40;
const H_STREAMS: u32 = 44;
const H_ROUTES: u32 = 48;
const H_FEEDERS: u32 = 52;
const H_GENS: u32 = 56;
const H_FREE: u32 = 60;
const H_SPARE: u32 = 64;
const H_SYNC_EPOCH: u32 = 112;
const H_KINDS: u32 = 116;
const H_MEDIA: u32 = 128;
const H_FWDS: u32 = 132;
const H_CODECS: u32 = 136;
const H_MAX_FWDS: u32 = 140;
const MAGIC: u32 = 0x34525354; // "TSR4"

// Thread context (thread_size bytes each, one per attached instance).
//  0                                                      64                        192
//  | counters: calls drops_malformed drops_bad_slot       | stats scratch 16 × u64   |
//  |           drops_oversize decisions (5 × u64)         |                          |
//  192                                   align64
//  | decisions out: out_cap × 16 bytes   | packet in: IN_CAP bytes                   |
export const TH_STATS: u32 = 0;
export const TH_SCRATCH: u32 = 64;
export const TH_OUT: u32 = 192;
// While an RTP packet fans out, the scratch holds the packet's loop invariants (relay.ts):
// kept in memory rather than in locals, which Cranelift would recompute in the loop body.
export const PK_KEY: u32 = 0;	// u64 source key
export const PK_NOW: u32 = 8;	// i64 now_ms
export const PK_BYTES: u32 = 16;	// u64 len
export const PK_SEQ: u32 = 24;	// u32 seq
export const PK_TS: u32 = 28;	// u32 ts
export const PK_EVERY: u32 = 32;	// u32 every-stream kinds offset (streams.ts)
export const PK_IN_MASK: u32 = 36;	// u32 state bits a recipient needs
export const PK_MINDEX: u32 = 40;	// u32 the sender's mindex
export const PK_B1: u32 = 44;	// u32 the packet's byte 1 (marker | payload type)
export const PK_CID_AT: u32 = 48;	// u32 from a recipient stream record to its payload type for the packet's codec (payload-types.ts)
export const PK_SRC: u32 = 52;	// u32 sender stream id (layered.ts: slot | mindex << 16 | gen << 24)
export const PK_MARKER: u32 = 56;	// u32 the packet's marker bit (b1 & 0x80)
export const PK_KF_ASKED: u32 = 60;	// u32 1 once this packet asked its sender for a keyframe (fanout.ts)
export const PK_SESSIONS: u32 = 64;	// u32 sessionsPtr, PK_STREAMS u32 streamsPtr: region bases for the fan-out loop
export const PK_STREAMS: u32 = 68;
export const G_CALLS: u32 = 0;
export const G_DROPS_MALFORMED: u32 = 8;
export const G_DROPS_BAD_SLOT: u32 = 16;
export const G_DROPS_OVERSIZE: u32 = 24;
export const G_DECISIONS: u32 = 32;
export const GLOBAL_STATS_N: u32 = 5;

// Session record (SESSION_SIZE bytes, one per slot).
//  line 0 — control calls write, every thread reads
//  0        4        8          12         16                  20               24
//  | state  | gen    | bitrate  | pli_freq | routes (published)| published_at    |
//  24             28          32   64
//  | stream_count | kinds_at  | -  |
//  line 1 — the session's own sending thread writes
//  64                                                                               128
//  | -  -  rtcp_in data_in drops_valve drops_malformed drops_closed  -                 |
//  (its rtp_in and rtp_bytes_in are the sums of its streams' packets_in and bytes_in)
//  line 2 — any thread, atomic adds (rare events)
//  128                                                                              192
//  | data_out plis_sent drops_valve_data (as a data recipient) drops_nostream  -      |
// routes = count | buffer << 16: the route list senders read; published_at = sync_epoch when
// it was published (routes.ts; control calls only). stream_count: m-lines given to
// set_streams (0 = not known: every-stream routes use the same index); kinds_at: sync_epoch
// when the kinds record was last published (streams.ts). Both control calls only.
export const SESSION_SIZE: u32 = 192;
export const S_STATE: u32 = 0;
export const S_GEN: u32 = 4;
export const S_BITRATE: u32 = 8;
export const S_PLI_FREQ: u32 = 12;
export const S_ROUTES: u32 = 16;
export const S_PUBLISHED_AT: u32 = 20;
export const S_STREAM_COUNT: u32 = 24;
export const S_KINDS_AT: u32 = 28;
export const SC_RTCP_IN: u32 = 80;
export const SC_DATA_IN: u32 = 88;
export const SC_DROPS_VALVE_IN: u32 = 96;
export const SC_DROPS_MALFORMED: u32 = 104;
export const SC_DROPS_CLOSED: u32 = 112;
export const SC_DATA_OUT: u32 = 128;
export const SC_PLIS_SENT: u32 = 136;
export const SC_DROPS_VALVE_DATA: u32 = 144;
export const SC_DROPS_NOSTREAM: u32 = 152;

// Session state bits: the value `session_state` returns (bits 0..13 per docs/router-abi.md,
// bits 16..18 recording audio/video/data). Bit 24 (internal, not returned): which of the
// slot's two kinds records is published.
export const ST_OPEN: u32 = 1 << 0;
export const ST_STARTED: u32 = 1 << 1;
export const ST_DATA_READY: u32 = 1 << 2;
export const ST_VALVE_SHIFT: u32 = 8; // + dir * 3 + medium
export const ST_RECORD_SHIFT: u32 = 16; // + medium
export const ST_KINDS_SHIFT: u32 = 24;
export const ST_KINDS: u32 = 1 << ST_KINDS_SHIFT;

// Stream record (STREAM_SIZE bytes, one per (slot, mindex)). The same stream is a sender
// stream (line 1) and a recipient stream (lines 0, 2, 3).
//  line 0 — recipient side: the thread of the sender feeding it writes (under `lock` when
//  `shared`, i.e. when more than one route can feed it)
//  0      4        8             16            24       28        32    34     36   40
//  | lock | shared | src_key u64 | last_ms i64 | ts_off | last_ts | s_off| l_seq| -  |
//  40                                                                              64
//  | packets_out u64  | bytes_out u64  | switches u64                                 |
//  line 1 — sender side: the session's own sending thread writes (pli_fwd: CAS, any thread)
//  64         72         80                 88             96            104    105     106
//  | pkts_in  | bytes_in | drops_valve (in) | pli_periodic | pli_fwd      | desc | media | -
//  112                                120                         128
//  | fwds u64 (4 × u16 forwarder + 1) | drops_substream u64         |
//  (desc: the set_streams descriptor of this m-line, 0 when not given; media: M_* bits of
//  what is published in its media record; fwds: its RTP forwarders. Those three: control
//  calls only, read by the sending thread.)
//  line 2 — any thread, atomic adds: 128 drops_valve (as a recipient), reserved
//  line 3 — recipient side, written as line 0: 192 layers record (media/layers.ts, 32 bytes;
//  its target bytes by control calls), 224 layers_src u32 (the sender stream it describes:
//  slot | mindex << 16 | gen << 24, 0 none)
//
// src_key = ssrc | src_slot << 32 | src_mindex << 48 | src_gen << 56; 0 = no source yet;
// bit 52 set (KEY_RESUME, never in a packet's key): the next packet resumes (resume.ts).
// Timers (pli_*): 0 = never, else (ms << 1) | 1.
export const STREAM_SIZE: u32 = 256;
export const T_LOCK: u32 = 0;
export const T_SHARED: u32 = 4;
export const T_SRC_KEY: u32 = 8;
export const T_LAST_MS: u32 = 16;
export const T_TS_OFF: u32 = 24;
export const T_LAST_TS: u32 = 28;
export const T_SEQ_OFF: u32 = 32;
export const T_LAST_SEQ: u32 = 34;
export const T_PACKETS_OUT: u32 = 40;
export const T_BYTES_OUT: u32 = 48;
export const T_SWITCHES: u32 = 56;
export const T_PACKETS_IN: u32 = 64;
export const T_BYTES_IN: u32 = 72;
export const T_DROPS_VALVE_IN: u32 = 80;
export const T_PLI_PERIODIC: u32 = 88;
export const T_PLI_FWD: u32 = 96;
export const T_DESC: u32 = 104;
export const T_MEDIA: u32 = 105;
export const T_FWDS: u32 = 112;
export const T_DROPS_SUBSTREAM: u32 = 120;
export const T_DROPS_VALVE_OUT: u32 = 128;
export const T_LAYERS: u32 = 192;
export const T_LAYERS_SRC: u32 = 224;
// T_MEDIA bits.
export const M_LAYERED: u32 = 1 << 0; // the media record's sender part describes the stream (simulcast / SVC)
export const M_TALK: u32 = 1 << 1;    // its talk part detects talking
export const M_FWDS: u32 = 1 << 2;    // T_FWDS names forwarders

// Media record (MEDIA_SIZE bytes, one per sender stream): media/sender.ts's record at 0,
// media/talking.ts's at MEDIA_TALK. Written by the sending thread, configured by control
// calls while unpublished (T_MEDIA bit clear and a sync since).
export const MEDIA_SIZE: u32 = 128;
export const MEDIA_TALK: u32 = 104;

// Codecs record (CODECS_SIZE bytes, one per stream; payload-types.ts): byte pt = the codec
// id of payload type pt when the stream sends it, byte 128 + id = the payload type this
// stream receives codec id on (0: unknown). Control calls write single bytes.
export const CODECS_SIZE: u32 = 256;
export const CD_CID_PT: u32 = 128;

// Forwarder record (FWD_SIZE bytes, forwarders.ts). The switching fields have the offsets of
// the stream record's (T_SRC_KEY ... T_LAST_SEQ), so switching.ts rewrites on either.
//  0          4     8             16            24       28        32     34      40
//  | owner    | sub | src_key u64 | last_ms i64 | ts_off | last_ts | s_off | l_seq | -
//  40              48             56   64
//  | packets u64   | bytes u64    | -  |
// owner: slot | mindex << 16 | FW_USED (0 = free); sub: the substream it forwards (FWD_ANY).
export const FWD_SIZE: u32 = 64;
export const FW_OWNER: u32 = 0;
export const FW_SUB: u32 = 4;
export const FW_PACKETS: u32 = 40;
export const FW_BYTES: u32 = 48;
export const FW_USED: u32 = 1 << 31;

// Kinds record (KINDS_SIZE bytes, two per slot, ST_KINDS says which one is published): what
// an every-stream route needs to send a sender's k-th audio (video) stream to the
// recipient's k-th audio (video) stream. Bytes are stored + 1 so that the zeroed record of a
// fresh slot reads "unknown" (0).
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
//  0      1        2           4            6       7       8                12          16
//  | kind | mindex | seq u16   | slot u16   | b1 u8 | 0     | ts/value u32   | flags u32 |
// b1: RELAY_RTP / RTP_FORWARD, the RTP header's byte 1 to send (marker | payload type).
export const DECISION_SIZE: u32 = 16;

@inline function align64(p: u64): u64 { return (p + 63) & ~<u64>63; }

/** Where the header is: fixed, the same in every instance (no data segments). */
export const HEADER: usize = <usize>align64(<u64>__heap_base) + 64;

// This instance's view, set by `attach` (all 0 before: every slot check fails).
export let maxSessions: u32 = 0;
export let maxRoutes: u32 = 0;
export let outCap: u32 = 0;
export let sessionsPtr: usize = 0;
export let streamsPtr: usize = 0;
export let kindsPtr: usize = 0;
export let routesPtr: usize = 0;
export let feedersPtr: usize = 0;
export let gensPtr: usize = 0;
export let freePtr: usize = 0;
export let mediaPtr: usize = 0;
export let codecsPtr: usize = 0;
/** codecsPtr - streamsPtr: a stream's codecs record is this far from its stream record. */
export let codecsDelta: usize = 0;
export let fwdsPtr: usize = 0;
export let maxForwarders: u32 = 0;
/** This instance's thread context: counters, scratch, out and in buffers. */
export let threadPtr: usize = HEADER + H_SPARE;
export let inPtr: usize = 0;
export let outPtr: usize = 0;

@inline export function configured(): bool { return load<u32>(HEADER, H_MAGIC) == MAGIC; }
@inline export function maxThreads(): u32 { return load<u32>(HEADER, H_MAX_THREADS); }
@inline export function threadAt(t: u32): usize {
  return <usize>load<u32>(HEADER, H_THREADS) + <usize>t * load<u32>(HEADER, H_THREAD_SIZE);
}
@inline export function syncEpoch(): u32 { return load<u32>(HEADER, H_SYNC_EPOCH); }
@inline export function setSyncEpoch(n: u32): void { store<u32>(HEADER, n, H_SYNC_EPOCH); }
@inline export function freeTop(): u32 { return load<u32>(HEADER, H_FREE_TOP); }
@inline export function setFreeTop(n: u32): void { store<u32>(HEADER, n, H_FREE_TOP); }
@inline export function pliMinInterval(): i64 { return atomic.load<i64>(HEADER, H_PLI_MIN_INTERVAL); }
@inline export function setPliMinInterval(ms: i64): void { atomic.store<i64>(HEADER, ms, H_PLI_MIN_INTERVAL); }

@inline export function sessionAt(slot: u32): usize {
  return sessionFrom(sessionsPtr, slot);
}
@inline export function streamAt(slot: u32, mindex: u32): usize {
  return streamFrom(streamsPtr, slot, mindex);
}
/** sessionAt / streamAt from a region base the caller holds (the fan-out loop keeps the
 *  bases in its scratch: PK_SESSIONS, PK_STREAMS). */
@inline export function sessionFrom(sessions: usize, slot: u32): usize {
  return sessions + <usize>slot * SESSION_SIZE;
}
@inline export function streamFrom(streams: usize, slot: u32, mindex: u32): usize {
  return streams + (<usize>slot * MAX_STREAMS + mindex) * STREAM_SIZE;
}
/** Kinds record `buffer` of `slot`; the published one is kindsAt(slot, state >> ST_KINDS_SHIFT & 1). */
@inline export function kindsAt(slot: u32, buffer: u32): usize {
  return kindsPtr + ((<usize>slot << 1) + buffer) * KINDS_SIZE;
}
@inline export function kindsOf(slot: u32): usize {
  return kindsAt(slot, (load<u32>(sessionAt(slot), S_STATE) >> ST_KINDS_SHIFT) & 1);
}
@inline export function routeList(slot: u32, buffer: u32): usize {
  return routesPtr + ((<usize>slot << 1) + buffer) * maxRoutes * ROUTE_SIZE;
}
@inline export function mediaAt(slot: u32, mindex: u32): usize {
  return mediaPtr + (<usize>slot * MAX_STREAMS + mindex) * MEDIA_SIZE;
}
@inline export function codecsAt(slot: u32, mindex: u32): usize {
  return codecsPtr + (<usize>slot * MAX_STREAMS + mindex) * CODECS_SIZE;
}
@inline export function fwdAt(fwd: u32): usize {
  return fwdsPtr + <usize>fwd * FWD_SIZE;
}
@inline export function feedersAt(slot: u32, mindex: u32): usize {
  return feedersPtr + ((<usize>slot * MAX_STREAMS + mindex) << 1);
}
/** Session state, as written by the last control call (any thread may read it). */
@inline export function stateOf(slot: u32): u32 {
  return atomic.load<u32>(sessionAt(slot), S_STATE);
}
/** True if `slot` is in range and open. One unsigned compare covers negative arguments. */
@inline export function isOpen(slot: u32): bool {
  return slot < maxSessions && (stateOf(slot) & ST_OPEN) != 0;
}
/** Counter written by one thread only (plain add). */
@inline export function bump(p: usize, by: u64 = 1): void {
  store<u64>(p, load<u64>(p) + by);
}
/** Counter any thread may write. */
@inline export function bumpShared(p: usize, by: u64 = 1): void {
  atomic.add<u64>(p, by);
}
/** This thread's own global counters. */
@inline export function bumpGlobal(off: u32, by: u64 = 1): void {
  bump(threadPtr + off, by);
}

/** Control calls: sets (clears) bit `bit` of stream record `st`'s T_MEDIA byte, which its
 *  sending thread reads per packet; true if it was set. */
export function setMediaBit(st: usize, bit: u32, on: bool): bool {
  const v = <u32>atomic.load<u8>(st, T_MEDIA);
  atomic.store<u8>(st, <u8>(on ? v | bit : v & ~bit), T_MEDIA);
  return (v & bit) != 0;
}

/** Lays the tables out and grows memory for them. Once; 0 or E_CONFIG. */
export function configure(max_sessions: u32, max_routes: u32, max_threads: u32, max_forwarders: u32): i32 {
  if (configured()) return E_CONFIG;
  if (max_sessions - 1 >= MAX_SESSIONS_LIMIT) return E_CONFIG; // 0 wraps: refused too
  if (max_routes - 1 >= MAX_ROUTES_LIMIT) return E_CONFIG;
  if (max_threads - 1 >= MAX_THREADS_LIMIT) return E_CONFIG;
  if (max_forwarders > MAX_FORWARDERS_LIMIT) return E_CONFIG;
  const ns = <u64>max_sessions;
  const cap = 2 * max_routes + OUT_EXTRA;
  const threadSize = align64(align64(<u64>TH_OUT + <u64>cap * DECISION_SIZE) + IN_CAP);
  let p = align64(<u64>HEADER + HEADER_SIZE);
  const pThreads = p; p = align64(p + <u64>max_threads * threadSize);
  const pSessions = p; p = align64(p + ns * SESSION_SIZE);
  const pStreams = p; p = align64(p + ns * MAX_STREAMS * STREAM_SIZE);
  const pKinds = p; p = align64(p + ns * 2 * KINDS_SIZE);
  const pRoutes = p; p = align64(p + ns * 2 * <u64>max_routes * ROUTE_SIZE);
  const pFeeders = p; p = align64(p + ns * MAX_STREAMS * 2);
  const pGens = p; p = align64(p + ns);
  const pFree = p; p = align64(p + ns * 2);
  const pMedia = p; p = align64(p + ns * MAX_STREAMS * MEDIA_SIZE);
  const pCodecs = p; p = align64(p + ns * MAX_STREAMS * CODECS_SIZE);
  const pFwds = p; p = align64(p + <u64>max_forwarders * FWD_SIZE);
  if (p - pThreads > MAX_TABLE_BYTES) return E_CONFIG;
  const pages = <i32>((p + 0xFFFF) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return E_CONFIG;
  const h = HEADER;
  store<u32>(h, max_sessions, H_MAX_SESSIONS);
  store<u32>(h, max_routes, H_MAX_ROUTES);
  store<u32>(h, max_threads, H_MAX_THREADS);
  store<u32>(h, cap, H_OUT_CAP);
  store<u32>(h, <u32>pThreads, H_THREADS);
  store<u32>(h, <u32>threadSize, H_THREAD_SIZE);
  store<u32>(h, <u32>pSessions, H_SESSIONS);
  store<u32>(h, <u32>pStreams, H_STREAMS);
  store<u32>(h, <u32>pKinds, H_KINDS);
  store<u32>(h, <u32>pRoutes, H_ROUTES);
  store<u32>(h, <u32>pFeeders, H_FEEDERS);
  store<u32>(h, <u32>pGens, H_GENS);
  store<u32>(h, <u32>pFree, H_FREE);
  store<u32>(h, <u32>pMedia, H_MEDIA);
  store<u32>(h, <u32>pCodecs, H_CODECS);
  store<u32>(h, <u32>pFwds, H_FWDS);
  store<u32>(h, max_forwarders, H_MAX_FWDS);
  setPliMinInterval(PLI_MIN_INTERVAL_DEFAULT);
  // Free stack, popped from the top: slot 0 first.
  for (let i: u32 = 0; i < max_sessions; i++) {
    store<u16>(<usize>pFree + (<usize>i << 1), <u16>(max_sessions - 1 - i));
  }
  setFreeTop(max_sessions);
  setSyncEpoch(1); // published_at 0 (a cleared slot) is never the current epoch
  for (let i: u32 = 0; i < max_sessions * 2; i++) clearKinds(<usize>pKinds + <usize>i * KINDS_SIZE);
  atomic.store<u32>(h, MAGIC, H_MAGIC); // last: attach checks it
  return 0;
}

/** Binds this instance to thread context `t` (the host gives each thread its own). */
export function attach(t: u32): i32 {
  if (!configured()) return E_CONFIG;
  if (t >= maxThreads()) return E_ARG;
  const h = HEADER;
  maxRoutes = load<u32>(h, H_MAX_ROUTES);
  outCap = load<u32>(h, H_OUT_CAP);
  sessionsPtr = <usize>load<u32>(h, H_SESSIONS);
  streamsPtr = <usize>load<u32>(h, H_STREAMS);
  kindsPtr = <usize>load<u32>(h, H_KINDS);
  routesPtr = <usize>load<u32>(h, H_ROUTES);
  feedersPtr = <usize>load<u32>(h, H_FEEDERS);
  gensPtr = <usize>load<u32>(h, H_GENS);
  freePtr = <usize>load<u32>(h, H_FREE);
  mediaPtr = <usize>load<u32>(h, H_MEDIA);
  codecsPtr = <usize>load<u32>(h, H_CODECS);
  codecsDelta = codecsPtr - streamsPtr;
  fwdsPtr = <usize>load<u32>(h, H_FWDS);
  maxForwarders = load<u32>(h, H_MAX_FWDS);
  threadPtr = threadAt(t);
  outPtr = threadPtr + TH_OUT;
  inPtr = <usize>align64(<u64>outPtr + <u64>outCap * DECISION_SIZE);
  maxSessions = load<u32>(h, H_MAX_SESSIONS); // last: isOpen() works from here
  return 0;
}

/** A kinds record as a fresh slot has it: every byte 0 (unknown) but the constant KR_NONE. */
export function clearKinds(k: usize): void {
  memory.fill(k, 0, KINDS_SIZE);
  store<u8>(k + KR_NONE_AT, <u8>KR_NONE);
}
