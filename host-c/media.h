/* media.h — the per-packet paths: one router call per incoming packet on the receiving
 * thread's own router instance, then the relays it decided; no lock. Also the tick. */
#ifndef JANUS_TS_MEDIA_H
#define JANUS_TS_MEDIA_H

#include <plugins/plugin.h>
#include <stdint.h>
#include <jansson.h>

void ts_media_rtp(janus_plugin_session *handle, janus_plugin_rtp *pkt);
void ts_media_rtcp(janus_plugin_session *handle, janus_plugin_rtcp *pkt);
void ts_media_data(janus_plugin_session *handle, janus_plugin_data *pkt);

/* Called on the packet thread for each EVENT decision (router-abi.md): `session` is the
 * session it is about, `code` TS_EV_*, `value`/`flags` as in the record. plugin.c sets it
 * (a control notification, queued without blocking). */
typedef void (*ts_media_event_fn)(uint32_t session, int mindex, int code, uint32_t value, uint32_t flags);
extern ts_media_event_fn ts_media_event_hook;

/* A data message went to the app instead of the router (counted as dataToApp). */
void ts_media_count_app_data(void);

/* The tick thread: calls the router's tick() every ~100 ms. */
void ts_media_start_ticker(void);
void ts_media_stop_ticker(void);

/* Host-side counters of the decisions executed, summed over the threads. */
json_t *ts_media_stats(void);
#endif
