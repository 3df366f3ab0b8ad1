/* router_abi.h — the C mirror of docs/router-abi.md (router-as ⇄ host-c).
 * Keep in sync with router-as/abi.ts; test/router/abi.test.ts compares the versions. */
#ifndef JANUS_TS_ROUTER_ABI_H
#define JANUS_TS_ROUTER_ABI_H

#define TS_ROUTER_ABI_VERSION 4

#define TS_MAX_STREAMS		16	/* mindex arguments must be below this */
#define TS_EVERY_STREAM		255	/* route mindex: every stream, to the recipient's stream of the same kind */
#define TS_MAX_SESSIONS_LIMIT	65535
#define TS_MAX_ROUTES_LIMIT	65535
#define TS_MAX_PACKET_LEN	65535
#define TS_MAX_THREADS_LIMIT	65535
#define TS_MAX_FORWARDERS_LIMIT	65535
#define TS_FWD_LANES		4	/* RTP forwarders per sender stream */
#define TS_FWD_ANY		255	/* fwd_add substream: every packet of the stream */

/* RTP: the host copies the first min(len, TS_RTP_HEAD_CAP) bytes to in_ptr and the
 * packet's last byte (padding count) to in_ptr + TS_RTP_TAIL_AT. */
#define TS_RTP_HEAD_CAP		256
#define TS_RTP_TAIL_AT		256

/* Decision record: 16 bytes, little-endian fields.
 *  0      1      2             4            6       7       8                12          16
 *  | kind |mindex| seq (u16)   | slot (u16) | b1 u8 | 0     | ts/value (u32) | flags(u32) |
 * b1 (RELAY_RTP, RTP_FORWARD): the RTP byte 1 (marker | payload type) to send. */
#define TS_REC_SIZE		16
#define TS_REC_KIND		0
#define TS_REC_MINDEX		1
#define TS_REC_SEQ		2
#define TS_REC_SLOT		4
#define TS_REC_B1		6
#define TS_REC_TS		8
#define TS_REC_FLAGS		12

enum ts_router_kind {
	TS_K_RELAY_RTP = 1,
	TS_K_RELAY_RTCP = 2,	/* reserved, not emitted */
	TS_K_RELAY_DATA = 3,
	TS_K_SEND_PLI = 4,	/* mindex 255: send_pli(handle) */
	TS_K_SEND_REMB = 5,	/* bitrate in the ts field */
	TS_K_RECORD = 6,	/* flags bit0: video (medium of an RTP packet) */
	TS_K_EVENT = 7,		/* seq: TS_EV_*, slot/mindex: whom it is about, ts: value, flags: TS_EVF_* */
	TS_K_PACKET_INFO = 8,	/* seq/ts: VP8 picture id / TL0PICIDX offsets in the packet, flags: TS_PI_* */
	TS_K_RTP_FORWARD = 9,	/* slot: forwarder, seq/ts rewritten, b1 as the packet's */
};

#define TS_F_VIDEO		(1u << 0)
#define TS_F_MARK_SWITCH	(1u << 1)
#define TS_F_HAS_PICID		(1u << 3)	/* RELAY_RTP: picture id in flags bits 16..30 */
#define TS_F_HAS_TL0		(1u << 4)	/* RELAY_RTP: TL0PICIDX in flags bits 8..15 */
#define TS_PI_PICID_LONG	(1u << 0)	/* 15-bit picture id (2 bytes, M set) */
#define TS_PI_HAS_PICID		(1u << 1)
#define TS_PI_HAS_TL0		(1u << 2)

/* EVENT codes and change bits */
#define TS_EV_TALKING		1	/* ts: the window's average level × 100 */
#define TS_EV_STOPPED_TALKING	2
#define TS_EV_LAYERS		3	/* ts: substream | temporal << 8 | spatial << 16 (0xFF none) */
#define TS_EVF_SUBSTREAM	(1u << 0)
#define TS_EVF_TEMPORAL		(1u << 1)
#define TS_EVF_SPATIAL		(1u << 2)

/* set_layers `which` */
#define TS_LAYER_SUBSTREAM	0
#define TS_LAYER_TEMPORAL	1
#define TS_LAYER_SPATIAL	2

/* set_simulcast blob at in_ptr (64 bytes): codec u8 (0 off, 1 VP8, 2 VP9, 3 H.264), rid
 * extension id u8, SSRC count u8, rid count u8, 3 × u32 SSRCs (lowest first), 3 × 16 bytes
 * rids (length u8 + up to 15 bytes, lowest first). */
#define TS_SIMULCAST_BLOB	64
#define TS_CODEC_VP8		1
#define TS_CODEC_VP9		2
#define TS_CODEC_H264		3
/* set_codecs blob: per m-line 128 bytes payload type → codec id, 128 bytes codec id → payload type */
#define TS_CODECS_BLOB		256
#define TS_MAX_CODEC_IDS	128	/* ids 1..127; 0 = unknown */

/* set_valve / set_recording arguments */
#define TS_R_MEDIUM_AUDIO	0
#define TS_R_MEDIUM_VIDEO	1
#define TS_R_MEDIUM_DATA	2
#define TS_R_DIR_IN		0
#define TS_R_DIR_OUT		1

/* Stream descriptor byte of set_streams (one per m-line) */
#define TS_SD_AUDIO		0	/* bits 0..1: kind */
#define TS_SD_VIDEO		1
#define TS_SD_DATA		2
#define TS_SD_OTHER		3
#define TS_SD_KIND_MASK		3
#define TS_SD_ACTIVE		(1u << 2)	/* port != 0 */
#define TS_SD_SEND		(1u << 3)	/* the client sends on it */
#define TS_SD_RECV		(1u << 4)	/* the client receives on it */

/* Error codes of control calls */
#define TS_R_E_SLOT		(-1)
#define TS_R_E_FULL		(-2)
#define TS_R_E_DUP		(-3)
#define TS_R_E_NOROUTE		(-4)
#define TS_R_E_ARG		(-5)
#define TS_R_E_CONFIG		(-6)
#define TS_R_E_NOSTREAM		(-7)	/* stream_resolve: no stream to go to */

/* Drop codes of packet calls */
#define TS_R_D_MALFORMED	(-10)
#define TS_R_D_BAD_SLOT		(-11)
#define TS_R_D_VALVE		(-12)
#define TS_R_D_OVERSIZE		(-13)
#define TS_R_D_NOT_STARTED	(-14)
#define TS_R_D_UNKNOWN_SUBSTREAM (-15)

/* session_state bits */
#define TS_ST_OPEN		(1u << 0)
#define TS_ST_STARTED		(1u << 1)
#define TS_ST_DATA_READY	(1u << 2)
#define TS_ST_VALVE_SHIFT	8	/* bits 8..13: in a/v/d, out a/v/d */

/* Route record of routes_ptr(slot): 4 bytes */
#define TS_ROUTE_SIZE		4	/* src_mindex u8, dst_mindex u8, dst_slot u16 */

/* Counter snapshots (u64 each) of session_stats, stream_stats, global_stats */
#define TS_SESSION_STATS_N	12	/* rtp_in, rtp_bytes_in, rtp_out, rtp_bytes_out, rtcp_in, data_in, data_out,
					   plis_sent, drops_valve, drops_malformed, drops_closed, drops_nostream */
#define TS_STREAM_STATS_N	7	/* packets_in, bytes_in, packets_out, bytes_out, drops_valve, switches, drops_substream */
#define TS_FWD_STATS_N		2	/* packets, bytes */
#define TS_GLOBAL_STATS_N	5	/* calls, drops_malformed, drops_bad_slot, drops_oversize, decisions */

#endif
