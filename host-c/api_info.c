/* api_info.c — the introspection half of ts_api.h: SessionInfo, snapshot, stats, plugin
 * info, limits, log. Built from the router's tables, read with control calls under
 * ts_core_lock (the counter snapshots land in the control instance's scratch). */
#include <string.h>
#include <glib.h>
#pragma GCC visibility push(default)
#include "ts_api.h"
#pragma GCC visibility pop
#include "api_session.h"
#include "recorder.h"
#include "streams.h"
#include "router_host.h"
#include "router_abi.h"
#include "media.h"
#include "forwarders.h"
#include "globals.h"
#include "log.h"

static const char *const session_stat_names[TS_SESSION_STATS_N] = {
	"rtpIn", "rtpBytesIn", "rtpOut", "rtpBytesOut", "rtcpIn", "dataIn", "dataOut",
	"plisSent", "dropsValve", "dropsMalformed", "dropsClosed", "dropsNoStream"};
static const char *const global_stat_names[TS_GLOBAL_STATS_N] = {
	"calls", "dropsMalformed", "dropsBadSlot", "dropsOversize", "decisions"};

static json_t *valve(int32_t state, int medium)
{
	return json_pack("{sbsb}", "in", (state >> (TS_ST_VALVE_SHIFT + medium)) & 1,
		"out", (state >> (TS_ST_VALVE_SHIFT + 3 + medium)) & 1);
}

/* ts_core_lock held: the routes of a slot as [{mindex, recipient, recipientMindex}]. */
static json_t *routes_locked(int32_t slot)
{
	json_t *routes = json_array();
	int32_t n = 0;
	const uint8_t *rec = rh_routes(slot, &n);
	for (int32_t i = 0; i < n; i++) {
		const uint8_t *r = rec + i * TS_ROUTE_SIZE;
		uint16_t dst;
		memcpy(&dst, r + 2, 2);
		json_array_append_new(routes, json_pack("{sisIsi}", "mindex", r[0],
			"recipient", (json_int_t)ts_session_id_at_slot_locked(GUINT16_FROM_LE(dst)), "recipientMindex", r[1]));
	}
	return routes;
}

/* ts_core_lock held: [{mindex, substream, temporal, spatial, targets}] of the session's
 * video m-lines as a recipient (null: none relayed yet). */
static json_t *layers_locked(ts_session *s, int32_t slot)
{
	json_t *a = json_array();
	for (unsigned m = 0; m < s->mlines.count; m++) {
		if (s->mlines.m[m].kind != TS_SD_VIDEO || !s->mlines.m[m].active) continue;
		int32_t args[2] = {slot, (int32_t)m};
		int32_t v = rh_call(RH_LAYERS_STATE, 2, args);
		if (v < 0) continue;
		json_t *now[3];
		for (int k = 0; k < 3; k++) now[k] = ((v >> (8 * k)) & 0xFF) == 0xFF ? json_null() : json_integer((v >> (8 * k)) & 0xFF);
		json_array_append_new(a, json_pack("{sisososos{sisisi}}", "mindex", (int)m, "substream", now[0], "temporal", now[1],
			"spatial", now[2], "targets", "substream", (v >> 24) & 3, "temporal", (v >> 26) & 3, "spatial", (v >> 28) & 3));
	}
	return a;
}

/* ts_core_lock held. */
static json_t *session_info_locked(ts_session *s)
{
	int32_t slot = atomic_load(&s->slot);
	int32_t state = rh_call(RH_SESSION_STATE, 1, &slot);
	if (state == RH_TRAPPED || state < 0) state = 0;
	json_t *routes = routes_locked(slot);
	json_t *stats = rh_counters_json((uint32_t)rh_call(RH_SESSION_STATS, 1, &slot), session_stat_names, TS_SESSION_STATS_N);
	char *label = atomic_load(&s->relay_label);
	json_t *info = json_pack("{sIsbsbs{soso so}sIsIsososososo}",
		"id", (json_int_t)s->id,
		"started", (state & TS_ST_STARTED) != 0,
		"dataReady", (state & TS_ST_DATA_READY) != 0,
		"valves", "audio", valve(state, 0), "video", valve(state, 1), "data", valve(state, 2),
		"bitrate", (json_int_t)s->bitrate,
		"pliFreq", (json_int_t)s->pli_freq_s,
		"routes", routes,
		"streams", ts_streams_json_locked(s),
		"recording", ts_recorders_info(&s->rec),
		"stats", stats ? stats : json_object(),
		"relayLabel", label ? json_string(label) : json_null());
	json_object_set_new(info, "layers", layers_locked(s, slot));
	json_object_set_new(info, "forwarders", ts_fwd_list_locked(s->id));
	return info;
}

static ts_err info(ts_session *s, void *out)
{
	*(json_t **)out = session_info_locked(s);
	return TS_OK;
}

json_t *ts_api_session_info(uint32_t id)
{
	json_t *out = NULL;
	ts_with_session(id, true, info, &out);
	return out;
}

bool ts_api_session_exists(uint32_t id)
{
	ts_session *s = ts_session_lookup(id);
	ts_session_unref(s);
	return s != NULL;
}

json_t *ts_api_snapshot(void)
{
	json_t *all = json_array();
	ts_core_lock();
	GArray *ids = ts_session_ids_locked();
	for (guint i = 0; i < ids->len; i++) {
		ts_session *s = ts_session_lookup_locked(g_array_index(ids, guint32, i));
		if (!s) continue;
		json_array_append_new(all, session_info_locked(s));
		ts_session_unref(s);	/* the tables still hold one: not the last */
	}
	g_array_free(ids, TRUE);
	ts_core_unlock();
	return all;
}

/* {router, host, media, sessions}; the control server adds its own "control". */
json_t *ts_api_stats(void)
{
	ts_core_lock();
	json_t *router = rh_loaded() ? rh_counters_json((uint32_t)rh_call(RH_GLOBAL_STATS, 0, NULL),
		global_stat_names, TS_GLOBAL_STATS_N) : NULL;
	GArray *ids = ts_session_ids_locked();
	guint sessions = ids->len;
	g_array_free(ids, TRUE);
	json_t *forwarders = ts_fwd_stats();
	ts_core_unlock();
	return json_pack("{sosososIso}", "router", router ? router : json_object(), "host", rh_host_stats(),
		"media", ts_media_stats(), "sessions", (json_int_t)sessions, "forwarders", forwarders);
}

json_t *ts_api_plugin_info(void)
{
	return json_pack("{ssssss}", "package", ts_cfg.package, "name", ts_cfg.name, "version", TS_VERSION_STRING);
}

json_t *ts_api_limits(void)
{
	return json_pack("{sisi}", "maxSessions", (int)ts_cfg.max_sessions, "maxRoutes", (int)ts_cfg.max_routes);
}

void ts_api_log(int janus_level, const char *message)
{
	if (janus_level < LOG_FATAL) janus_level = LOG_FATAL;
	if (janus_level > LOG_DBG) janus_level = LOG_DBG;
	JANUS_LOG(janus_level, "[janus-ts app] %s\n", message ? message : "");
}
