// The router ABI constants (docs/router-abi.md). Keep in sync with host-c/router_abi.h:
// test/router/abi.test.ts compares ABI_VERSION with TS_ROUTER_ABI_VERSION.

/** Bumped on any incompatible change of imports, exports, argument orders, layouts or codes. */
export const ABI_VERSION: u32 = 4;

/** Streams (m-lines) per session; `mindex` arguments must be below this. */
export const MAX_STREAMS: u32 = 16;
/** `src_mindex`/`dst_mindex` 255: every stream of the sender, each to the recipient's stream
 *  of the same kind and ordinal (streams.ts); to the same index while either side's streams
 *  are unknown. */
export const EVERY_STREAM: u32 = 255;
/** Limits of `configure`. */
export const MAX_SESSIONS_LIMIT: u32 = 65535;
export const MAX_ROUTES_LIMIT: u32 = 65535;
export const MAX_THREADS_LIMIT: u32 = 65535;
export const MAX_FORWARDERS_LIMIT: u32 = 65535;
/** RTP forwarders per sender stream (forwarders.ts). */
export const FWD_LANES: u32 = 4;
/** Largest packet the router accepts (`len` above: D_OVERSIZE). */
export const MAX_PACKET_LEN: u32 = 65535;
/** Bytes of a thread's packet-in buffer: every accepted RTCP packet fits whole. */
export const IN_CAP: u32 = 65536;
/** RTP: the host copies the first min(len, RTP_HEAD_CAP) bytes (header, CSRCs, extension
 *  header and the start of the payload) and the packet's last byte at RTP_TAIL_AT. */
export const RTP_HEAD_CAP: u32 = 256;
export const RTP_TAIL_AT: u32 = 256;
/** Decision records besides two per route (a relay and a layer EVENT): RECORD, periodic PLI,
 *  keyframe request, PACKET_INFO, talk EVENT, FWD_LANES forwards, spare. out_cap =
 *  2 × max_routes + OUT_EXTRA. */
export const OUT_EXTRA: u32 = 16;
/** Tables may not take more than this many bytes of linear memory (1 GiB). */
export const MAX_TABLE_BYTES: u64 = 1 << 30;

// Decision kinds (byte 0 of a decision record).
export const K_RELAY_RTP: u32 = 1;
export const K_RELAY_RTCP: u32 = 2; // reserved, not emitted yet
export const K_RELAY_DATA: u32 = 3;
export const K_SEND_PLI: u32 = 4;
export const K_SEND_REMB: u32 = 5;
export const K_RECORD: u32 = 6;
export const K_EVENT: u32 = 7;
export const K_PACKET_INFO: u32 = 8;
export const K_RTP_FORWARD: u32 = 9;

// Decision flags.
export const F_VIDEO: u32 = 1 << 0; // RECORD: the medium is video
export const F_MARK_SWITCH: u32 = 1 << 1; // RELAY_RTP: the recipient stream changed source
export const F_HAS_PICID: u32 = 1 << 3; // RELAY_RTP: write the VP8 picture id in bits 16..30
export const F_HAS_TL0: u32 = 1 << 4;   // RELAY_RTP: write the VP8 TL0PICIDX in bits 8..15
// PACKET_INFO flags (seq = picture id offset, ts = TL0PICIDX offset, from the packet start).
export const PI_PICID_LONG: u32 = 1 << 0; // the picture id is 15 bits (2 bytes, M set)
export const PI_HAS_PICID: u32 = 1 << 1;
export const PI_HAS_TL0: u32 = 1 << 2;

// EVENT codes (the `seq` field) and their values (`ts`, `flags`).
export const EV_TALKING: u32 = 1;         // slot/mindex: the sender; ts: average level × 100
export const EV_STOPPED_TALKING: u32 = 2; // same
export const EV_LAYERS: u32 = 3;          // slot/mindex: the recipient; ts: sub | temporal << 8 | spatial << 16; flags: what changed
export const EVF_SUBSTREAM: u32 = 1 << 0;
export const EVF_TEMPORAL: u32 = 1 << 1;
export const EVF_SPATIAL: u32 = 1 << 2;

// set_layers `which`.
export const LAYER_SUBSTREAM: u32 = 0;
export const LAYER_TEMPORAL: u32 = 1;
export const LAYER_SPATIAL: u32 = 2;

/** A simulcast substream counts as gone this long after its last packet (ms). */
export const LAYER_TIMEOUT_MS: i64 = 250;
/** Forwarder substream "every packet of the stream". */
export const FWD_ANY: u32 = 0xFF;

// Media and valve directions (set_valve, set_recording).
export const MEDIUM_AUDIO: u32 = 0;
export const MEDIUM_VIDEO: u32 = 1;
export const MEDIUM_DATA: u32 = 2;
export const DIR_IN: u32 = 0;
export const DIR_OUT: u32 = 1;

// Stream descriptor byte of set_streams (one per m-line).
export const SD_KIND_MASK: u32 = 3; // bits 0..1: KIND_*
export const SD_ACTIVE: u32 = 1 << 2; // the m-line is not rejected (port ≠ 0)
export const SD_SEND: u32 = 1 << 3; // the client sends on it (informational)
export const SD_RECV: u32 = 1 << 4; // the client receives on it (informational)
export const KIND_AUDIO: u32 = 0;
export const KIND_VIDEO: u32 = 1;
export const KIND_DATA: u32 = 2;
export const KIND_OTHER: u32 = 3;

// Error codes of control calls.
export const E_SLOT: i32 = -1;
export const E_FULL: i32 = -2;
export const E_DUP: i32 = -3;
export const E_NOROUTE: i32 = -4;
export const E_ARG: i32 = -5;
export const E_CONFIG: i32 = -6;
export const E_NOSTREAM: i32 = -7;

// Drop codes of packet calls.
export const D_MALFORMED: i32 = -10;
export const D_BAD_SLOT: i32 = -11;
export const D_VALVE: i32 = -12;
export const D_OVERSIZE: i32 = -13;
export const D_NOT_STARTED: i32 = -14;
export const D_UNKNOWN_SUBSTREAM: i32 = -15; // layered stream: neither the SSRC nor the rid is one of its substreams

/** RTP clock rates used for the timestamp step when a recipient stream switches source. */
export const CLOCK_AUDIO: u64 = 48000;
export const CLOCK_VIDEO: u64 = 90000;

/** Default of set_pli_min_interval (ms). */
export const PLI_MIN_INTERVAL_DEFAULT: i64 = 1000;
