/* forwarders.h — RTP forwarders: copies of one stream of a session sent as plain RTP over
 * UDP to a host:port (VideoRoom's rtp_forward). The router decides which packets each
 * forwarder gets and numbers them (RTP_FORWARD decisions, one switching context per
 * forwarder); this file owns the sockets: one non-blocking UDP socket per forwarder,
 * connect()ed to its destination, sent to without a lock from the packet threads.
 *
 * Forwarder i of the router is table entry i here; the public id (what the app sees) is
 * gen << 16 | (i + 1), so a stopped forwarder's id is not reused at once. The table is
 * written under ts_core_lock (the *_locked calls) and read by packet threads inside their
 * reader section: an entry is taken out only after the router unpublished it and waited for
 * a grace period, so no packet thread still holds it when it is freed. */
#ifndef JANUS_TS_FORWARDERS_H
#define JANUS_TS_FORWARDERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <jansson.h>
#include <plugins/plugin.h>
#include "ts_api.h"

/* What one forwarder sends. */
typedef struct ts_fwd_target {
	struct sockaddr_storage addr;	/* resolved destination */
	socklen_t addr_len;
	const char *host;		/* as the app gave it (kept for listing) */
	uint16_t port;
	uint32_t ssrc;			/* 0: the packet's */
	int pt;				/* -1: the packet's */
	int substream;			/* -1: every packet of the stream; 0..2: that simulcast substream */
} ts_fwd_target;

int  ts_fwd_init(unsigned max_forwarders);
void ts_fwd_deinit(void);	/* closes what is left (no packet may be running) */

/* ts_core_lock held: a forwarder of (slot, mindex) of session `session`. TS_OK and *id,
 * TS_E_FULL (table, or the stream's TS_FWD_LANES), TS_E_CORE (socket) with *reason. */
ts_err ts_fwd_start_locked(uint32_t session, int slot, int mindex, bool video, const ts_fwd_target *t,
	uint32_t *id, char **reason);
/* ts_core_lock held: stops forwarder `id` (TS_E_NOT_FOUND if there is none). */
ts_err ts_fwd_stop_locked(uint32_t id);
/* ts_core_lock held, after the router let go of the session's forwarders (session_hangup,
 * session_close): frees them. */
void ts_fwd_drop_session_locked(uint32_t session);
/* ts_core_lock held: [ForwarderInfo] of one session (0: every session). */
json_t *ts_fwd_list_locked(uint32_t session);
/* ts_core_lock held: the owner of forwarder `id`, 0 if none. */
uint32_t ts_fwd_owner_locked(uint32_t id);

/* Packet path (reader section): sends the packet to router forwarder `index` with the seq,
 * ts and byte 1 of decision record `rec`, the forwarder's SSRC and payload type. */
void ts_fwd_send(uint32_t index, const janus_plugin_rtp *pkt, const uint8_t *rec);

/* ts_core_lock held: {live, started, packets, sendErrors} over every forwarder so far. */
json_t *ts_fwd_stats(void);
#endif
