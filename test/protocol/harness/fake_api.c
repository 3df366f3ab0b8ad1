/* fake_api.c — a stand-in for the plugin core (ts_api.h) so the control server can be
 * exercised without Janus: sessions 1..3 exist, 3 is "closed"; routes are kept so the
 * hello snapshot reflects them. Development aid only; the real tests use the plugin. */
#include <string.h>
#include "../../../host-c/ts_api.h"
#include <glib.h>

int janus_log_level = 4;
gboolean janus_log_timestamps = FALSE, janus_log_colors = FALSE;
char *janus_log_global_prefix = NULL;
void janus_vprintf(const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
}

static GMutex lock;
static json_t *routes[4];
static bool valves[4][3][2];

static const char *kinds[] = { "OK", "UnknownSession", "ClosedSession", "BadArguments", "Full",
	"Duplicate", "NotFound", "NotSupported", "CoreError", "Internal" };
const char *ts_err_kind(ts_err e) { return kinds[e]; }
static ts_err known(uint32_t id) { return id >= 1 && id <= 3 ? (id == 3 ? TS_E_CLOSED_SESSION : TS_OK) : TS_E_UNKNOWN_SESSION; }

ts_err ts_api_push_event(uint32_t id, const char *tr, json_t *ev, json_t *jsep, char **reason)
{
	if (known(id)) return known(id);
	if (jsep && !json_object_get(jsep, "sdp")) { *reason = g_strdup("jsep without sdp"); return TS_E_CORE; }
	return TS_OK;
}
ts_err ts_api_notify_event(uint32_t id, json_t *event) { return TS_OK; }
bool ts_api_events_is_enabled(void) { return false; }
ts_err ts_api_close_pc(uint32_t id) { return known(id); }
ts_err ts_api_end_session(uint32_t id) { return known(id); }
ts_err ts_api_configure_medium(uint32_t id, ts_medium m, ts_dir d, bool on)
{
	if (known(id)) return known(id);
	g_mutex_lock(&lock); valves[id][m][d] = on; g_mutex_unlock(&lock);
	return TS_OK;
}
ts_err ts_api_add_route(uint32_t id, int mi, uint32_t to, int rmi)
{
	if (known(id) || known(to)) return TS_E_UNKNOWN_SESSION;
	g_mutex_lock(&lock);
	if (!routes[id]) routes[id] = json_array();
	json_array_append_new(routes[id], json_pack("{sisisi}", "mindex", mi, "recipient", to, "recipientMindex", rmi));
	g_mutex_unlock(&lock);
	return TS_OK;
}
ts_err ts_api_remove_route(uint32_t id, int mi, uint32_t to, int rmi) { return known(id) ?: TS_E_NOT_FOUND; }
ts_err ts_api_set_bitrate(uint32_t id, uint32_t bps) { return known(id); }
ts_err ts_api_set_pli_freq(uint32_t id, uint32_t s) { return known(id); }
ts_err ts_api_send_pli(uint32_t id, int mi) { return known(id); }
ts_err ts_api_set_substream(uint32_t id, int s) { return known(id); }
ts_err ts_api_set_temporal(uint32_t id, int t) { return known(id); }
ts_err ts_api_relay_rtp(uint32_t id, bool v, int mi, const uint8_t *b, size_t n) { return known(id) ?: (n < 12 ? TS_E_BAD_ARGS : TS_OK); }
ts_err ts_api_relay_rtcp(uint32_t id, bool v, int mi, const uint8_t *b, size_t n) { return known(id); }
ts_err ts_api_relay_data(uint32_t id, bool bin, const uint8_t *b, size_t n, const char *l, const char *p) { return known(id); }
ts_err ts_api_start_recording(uint32_t id, ts_medium m, const char *c, const char *f, const char *fn, const char *fmtp, char **reason) { return TS_E_NOT_SUPPORTED; }
ts_err ts_api_stop_recording(uint32_t id, int m) { return known(id); }

static json_t *info(uint32_t id)
{
	static const char *mn[] = { "audio", "video", "data" };
	json_t *v = json_object();
	for (int m = 0; m < 3; m++)
		json_object_set_new(v, mn[m], json_pack("{sbsb}", "in", valves[id][m][0], "out", valves[id][m][1]));
	return json_pack("{sisbsbsosisos{}}", "id", id, "started", 0, "dataReady", 0, "valves", v,
		"bitrate", 0, "routes", routes[id] ? json_incref(routes[id]) : json_array(), "stats");
}
json_t *ts_api_session_info(uint32_t id)
{
	if (id < 1 || id > 3) return NULL;
	g_mutex_lock(&lock); json_t *r = info(id); g_mutex_unlock(&lock);
	return r;
}
json_t *ts_api_snapshot(void)
{
	json_t *a = json_array();
	g_mutex_lock(&lock);
	for (uint32_t id = 1; id <= 3; id++) json_array_append_new(a, info(id));
	g_mutex_unlock(&lock);
	return a;
}
json_t *ts_api_stats(void) { return json_pack("{si}", "packets", 0); }
json_t *ts_api_plugin_info(void) { return json_pack("{ssssss}", "package", "janus.plugin.ts", "name", "fake", "version", "0"); }
json_t *ts_api_limits(void) { return json_pack("{sisi}", "maxSessions", 3, "maxRoutes", 16); }
void ts_api_log(int level, const char *message) { fprintf(stderr, "[%d] %s\n", level, message); }
void ts_reason_free(char *reason) { g_free(reason); }
