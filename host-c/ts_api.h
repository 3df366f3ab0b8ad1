/* ts_api.h — what the control plane (control_*.c) may ask of the plugin core.
 * Implemented by the core (plugin_*.c, session_*.c, media_*.c). Every function is
 * thread-safe, never blocks on the control plane, and returns TS_OK or a ts_err;
 * on error *reason (when not NULL) receives a static or g_strdup'ed text — see
 * ts_reason_free(). Session ids are the plugin's random non-zero uint32 ids. */
#ifndef JANUS_TS_API_H
#define JANUS_TS_API_H

#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

typedef enum ts_err {
	TS_OK = 0,
	TS_E_UNKNOWN_SESSION,	/* "UnknownSession" */
	TS_E_CLOSED_SESSION,	/* "ClosedSession": exists, but e.g. no PeerConnection */
	TS_E_BAD_ARGS,		/* "BadArguments" */
	TS_E_FULL,		/* "Full" */
	TS_E_DUPLICATE,		/* "Duplicate" */
	TS_E_NOT_FOUND,		/* "NotFound" */
	TS_E_NOT_SUPPORTED,	/* "NotSupported" */
	TS_E_CORE,		/* "CoreError": Janus refused */
	TS_E_INTERNAL		/* "Internal" */
} ts_err;

/* The schema's error kind for a ts_err ("UnknownSession", ...). */
const char *ts_err_kind(ts_err e);

typedef enum ts_medium { TS_AUDIO = 0, TS_VIDEO = 1, TS_DATA = 2 } ts_medium;
typedef enum ts_dir { TS_IN = 0, TS_OUT = 1 } ts_dir;

/* Signalling */
ts_err ts_api_push_event(uint32_t id, const char *transaction, json_t *event, json_t *jsep, char **reason); /* borrows event/jsep */
ts_err ts_api_notify_event(uint32_t id /* 0 = none */, json_t *event); /* borrows */
bool   ts_api_events_is_enabled(void);
ts_err ts_api_close_pc(uint32_t id);
ts_err ts_api_end_session(uint32_t id);

/* Routing (the router's tables) */
ts_err ts_api_configure_medium(uint32_t id, ts_medium m, ts_dir d, bool on);
ts_err ts_api_add_route(uint32_t id, int mindex /* 255 = all */, uint32_t recipient, int rmindex /* 255 = by kind */);
ts_err ts_api_remove_route(uint32_t id, int mindex, uint32_t recipient, int rmindex);
/* Lua addRecipient: the every-stream route id → recipient, idempotent. On TS_OK *result (new
 * reference) is {"added": false when it existed, "pending", "streams": where each stream of
 * id goes (streams.h)}. TS_E_DUPLICATE: a stream route between them already does a part. */
ts_err ts_api_add_recipient(uint32_t id, uint32_t recipient, json_t **result);
ts_err ts_api_set_bitrate(uint32_t id, uint32_t bps);
/* Label of the datachannel messages the router relays from id (NULL: the sender's own). */
ts_err ts_api_set_relay_label(uint32_t id, const char *label);
ts_err ts_api_set_pli_freq(uint32_t id, uint32_t seconds);
ts_err ts_api_send_pli(uint32_t id, int mindex /* -1 = all video */);

/* Media (api_media.c): layers, talk detection, RTP forwarders. mindex -1 = every stream. */
typedef enum ts_layer { TS_SUBSTREAM = 0, TS_TEMPORAL = 1, TS_SPATIAL = 2 } ts_layer;
ts_err ts_api_set_layer(uint32_t id, int mindex, ts_layer which, int value /* 0..2 */);
/* The simulcast of the session's stream `mindex` (codec "vp8" | "vp9" | "h264", NULL = off):
 * up to 3 SSRCs and rids, lowest quality first, the rid extension id (0 without rids). */
ts_err ts_api_configure_simulcast(uint32_t id, int mindex, const char *codec, const uint32_t *ssrcs, int nssrc,
	const char *const *rids, int nrid, int rid_ext, char **reason);
/* Talk detection of the session's audio stream `mindex`: window packets (0 = off), threshold 1..127. */
ts_err ts_api_configure_talk(uint32_t id, int mindex, int window, int threshold);
/* Of the sessions `ids`, the one with the loudest window ended at most max_age_ms ago while
 * talking: *loudest its id (0 if none) and *level its average level (dBov, 0 loudest). */
ts_err ts_api_loudest(const uint32_t *ids, size_t n, int max_age_ms, uint32_t *loudest, double *level);
/* A plain-RTP forwarder of the session's stream `mindex` to host:port (ssrc 0 / pt -1: the
 * packet's; substream -1: every packet); *forwarder its id. */
ts_err ts_api_rtp_forward(uint32_t id, int mindex, const char *host, int port, uint32_t ssrc, int pt, int substream,
	uint32_t *forwarder, char **reason);
ts_err ts_api_stop_rtp_forward(uint32_t forwarder);
/* [ForwarderInfo] of session id (0: of every session); NULL if id is not a session. */
json_t *ts_api_list_forwarders(uint32_t id);

/* Injection */
ts_err ts_api_relay_rtp(uint32_t id, bool video, int mindex, const uint8_t *buf, size_t len);
ts_err ts_api_relay_rtcp(uint32_t id, bool video, int mindex, const uint8_t *buf, size_t len);
ts_err ts_api_relay_data(uint32_t id, bool binary, const uint8_t *buf, size_t len, const char *label, const char *protocol);

/* Recording (Janus .mjr recorders of the session's incoming media) */
ts_err ts_api_start_recording(uint32_t id, ts_medium m, const char *codec, const char *folder, const char *filename, const char *fmtp, char **reason);
ts_err ts_api_stop_recording(uint32_t id, int medium /* -1 = all */);

/* Introspection: new references, caller owns. */
bool ts_api_session_exists(uint32_t id);	/* live (attached, not destroyed) */
json_t *ts_api_session_info(uint32_t id);	/* NULL if unknown; SessionInfo of the protocol doc */
json_t *ts_api_snapshot(void);			/* array of SessionInfo */
json_t *ts_api_stats(void);			/* global counters: router, traps, control drops */
json_t *ts_api_plugin_info(void);		/* {package, name, version} */
json_t *ts_api_limits(void);			/* {maxSessions, maxRoutes} */

void ts_api_log(int janus_level, const char *message);

void ts_reason_free(char *reason);

#endif
