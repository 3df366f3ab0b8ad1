/* streams.h — each session's m-lines (learnt from the SDPs the plugin sees) and where an
 * every-stream route (Lua addRecipient) takes each of them: the sender's k-th audio (video)
 * stream to the recipient's k-th audio (video) stream, the datachannel to the datachannel.
 * The router does the per-packet mapping (set_streams, stream_resolve); this file keeps the
 * plugin's copy of the m-lines (mids, directions) and says when a route carries nothing. */
#ifndef JANUS_TS_STREAMS_H
#define JANUS_TS_STREAMS_H

#include <stdbool.h>
#include <jansson.h>
#include "sessions.h"

/* A session negotiated `sdp` (the client's from handle_message when from_client, else the
 * app's from push_event): its m-lines replace the previous ones, in the plugin and in the
 * router, and every every-stream route from or to it is resolved again (a stream that can
 * carry nothing is logged at LOG_VERB). An SDP without m-lines is ignored. Takes ts_lock. */
void ts_streams_update(ts_session *s, const char *sdp, bool from_client);

/* SessionInfo.streams: [{mindex, type, mid, active, send, recv}] (ts_lock held). */
json_t *ts_streams_json_locked(const ts_session *s);

/* Where the every-stream route s → r takes each active stream of s now (ts_lock held):
 * {"pending": bool, "streams": [{mindex, type, recipientMindex, carries, reason?}]}.
 * `pending`: the m-lines of s or r are not known yet (no SDP seen). Streams that carry
 * nothing are logged at LOG_VERB with `context` (e.g. "addRecipient"). */
json_t *ts_streams_resolve_locked(ts_session *s, ts_session *r, const char *context);
#endif
