/* sdp_codecs.h — the payload types of each m-line of an SDP and the codec each one is, as a
 * key that two clients' SDPs share for the same codec: name/clock[/channels], and for the
 * codecs whose fmtp makes them incompatible variants, H.264's packetization-mode and
 * profile_idc (the first byte of profile-level-id), VP9's profile-id and AV1's profile.
 * "vp8/90000", "opus/48000/2", "h264/90000;pm=1;p=42", "vp9/90000;p=0". RTX is left out
 * (Janus terminates it); static payload types without an rtpmap get their RFC 3551 names.
 * The router rewrites payload types between sessions with these (payload-types.ts); the
 * codec ids are process-wide (ts_codec_id). */
#ifndef JANUS_TS_SDP_CODECS_H
#define JANUS_TS_SDP_CODECS_H

#include <stdint.h>
#include "router_abi.h"

#define TS_MLINE_CODECS	32	/* codecs kept per m-line */
#define TS_CODEC_KEY	48

typedef struct ts_codec { uint8_t pt; char key[TS_CODEC_KEY]; } ts_codec;
typedef struct ts_mline_codecs { unsigned n; ts_codec c[TS_MLINE_CODECS]; } ts_mline_codecs;

/* The codecs of the first TS_MAX_STREAMS m-lines of `sdp` into out[0..]; returns the number
 * of m-lines filled. */
unsigned ts_sdp_codecs(const char *sdp, ts_mline_codecs out[TS_MAX_STREAMS]);

/* The process-wide id of a codec key, 1..TS_MAX_CODEC_IDS-1; 0 when the table is full
 * (logged once). Thread-safe. */
uint8_t ts_codec_id(const char *key);
/* Forgets every id (plugin destroy). */
void ts_codec_ids_clear(void);
#endif
