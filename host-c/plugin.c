/* plugin.c — the janus_plugin callbacks table (API 102), info, init/destroy, and the
 * session lifecycle callbacks. Packet callbacks are in media.c, requests that go to the
 * control app in messages.c. */
#define _GNU_SOURCE	/* PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP */
#include <time.h>
#include <glib.h>
#include "core.h"
#include "jcfg.h"
#include "sessions.h"
#include "recorder.h"
#include "router_host.h"
#include "media.h"
#include "messages.h"
#include "ts_control.h"
#include "log.h"

janus_callbacks *ts_gateway;
ts_config ts_cfg;
/* Adaptive: the critical section (one router call + relays) is short, so a contending
 * packet thread spins briefly instead of sleeping (measured ~2x packets/s per core in
 * the 2-thread room benchmark, no change on one thread). */
pthread_mutex_t ts_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
/* Writer-preferring, so a barrier is not starved by a steady flow of packets. */
pthread_rwlock_t ts_relay_rw = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

void ts_relays_barrier(void)
{
	pthread_rwlock_wrlock(&ts_relay_rw);
	pthread_rwlock_unlock(&ts_relay_rw);
}
volatile int ts_running;

int64_t ts_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int ts_init(janus_callbacks *callback, const char *config_path);
static void ts_destroy(void);
static int ts_get_api_compatibility(void) { return JANUS_PLUGIN_API_VERSION; }
static int ts_get_version(void) { return TS_VERSION; }
static const char *ts_get_version_string(void) { return TS_VERSION_STRING; }
static const char *ts_get_description(void) { return TS_DESCRIPTION; }
/* Before init() (or after a failed one) the defaults are answered. */
static const char *ts_get_name(void) { return ts_cfg.name ? ts_cfg.name : TS_DEFAULT_NAME; }
static const char *ts_get_author(void) { return TS_AUTHOR; }
static const char *ts_get_package(void) { return ts_cfg.package ? ts_cfg.package : TS_DEFAULT_PACKAGE; }
static void ts_create_session(janus_plugin_session *handle, int *error);
static void ts_setup_media(janus_plugin_session *handle);
static void ts_data_ready(janus_plugin_session *handle);
static void ts_slow_link(janus_plugin_session *handle, int mindex, gboolean video, gboolean uplink);
static void ts_hangup_media(janus_plugin_session *handle);
static void ts_destroy_session(janus_plugin_session *handle, int *error);

/* JANUS_PLUGIN_INIT fills defaults that the named fields then override. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
janus_plugin ts_plugin = JANUS_PLUGIN_INIT(
	.init = ts_init,
	.destroy = ts_destroy,
	.get_api_compatibility = ts_get_api_compatibility,
	.get_version = ts_get_version,
	.get_version_string = ts_get_version_string,
	.get_description = ts_get_description,
	.get_name = ts_get_name,
	.get_author = ts_get_author,
	.get_package = ts_get_package,
	.create_session = ts_create_session,
	.handle_message = ts_handle_message,
	.handle_admin_message = ts_handle_admin_message,
	.setup_media = ts_setup_media,
	.incoming_rtp = ts_media_rtp,
	.incoming_rtcp = ts_media_rtcp,
	.incoming_data = ts_media_data,
	.data_ready = ts_data_ready,
	.slow_link = ts_slow_link,
	.hangup_media = ts_hangup_media,
	.destroy_session = ts_destroy_session,
	.query_session = ts_query_session,
);
#pragma GCC diagnostic pop

__attribute__((visibility("default"))) janus_plugin *create(void)
{
	return &ts_plugin;
}

static int ts_init(janus_callbacks *callback, const char *config_path)
{
	if (!callback) return -1;
	if (ts_config_load(&ts_cfg, config_path) < 0) {
		TS_LOG(LOG_FATAL, "invalid configuration, plugin not started\n");
		return -1;
	}
	if (rh_load(ts_cfg.router, ts_cfg.max_sessions, ts_cfg.max_routes, ts_cfg.pli_min_interval_ms) < 0) {
		TS_LOG(LOG_FATAL, "could not load the router %s, plugin not started\n", ts_cfg.router);
		return -1;
	}
	ts_gateway = callback;
	ts_sessions_init(ts_cfg.max_sessions);
	ts_media_start_ticker();
	ts_control_config cc = {
		.socket_path = ts_cfg.control_socket, .socket_mode = ts_cfg.control_socket_mode,
		.token = ts_cfg.control_token, .app_config = ts_cfg.app_config ? ts_cfg.app_config : "",
		.app_command = ts_cfg.app_command, .max_frame = ts_cfg.control_max_frame,
		.queue_bytes = ts_cfg.control_queue_bytes, .message_timeout_ms = ts_cfg.message_timeout_ms,
		.query_timeout_ms = ts_cfg.query_timeout_ms, .config_error = ts_cfg.problem,
	};
	ts_running = 1;
	/* On failure it has logged why and what to do; requests are answered with the reason. */
	bool control = ts_control_start(&cc) == 0;
	int level = control ? LOG_INFO : LOG_WARN;
	TS_LOG(level, "%s %s initialized (package %s)%s\n", ts_cfg.name, TS_VERSION_STRING,
		ts_cfg.package, control ? "" : " without a control socket: requests are answered with the reason above");
	return 0;
}

static void ts_destroy(void)
{
	if (!ts_running) return;
	ts_control_stop();	/* first: the app may still be calling ts_api_* */
	ts_media_stop_ticker();
	ts_running = 0;
	ts_sessions_deinit();
	pthread_mutex_lock(&ts_lock);
	rh_unload();
	pthread_mutex_unlock(&ts_lock);
	TS_LOG(LOG_INFO, "%s destroyed\n", ts_cfg.name);
	ts_config_clear(&ts_cfg);
	ts_gateway = NULL;
}

static void notify_id(const char *event, uint32_t id)
{
	ts_control_notify(event, json_pack("{sI}", "id", (json_int_t)id));
}

static void ts_create_session(janus_plugin_session *handle, int *error)
{
	if (!ts_running) { *error = -1; return; }
	ts_session *s = ts_session_create(handle);
	if (!s) { *error = -1; return; }
	uint32_t id = s->id;
	ts_session_unref(s);
	notify_id("createSession", id);
}

/* PeerConnection up: the router may relay to it from now on. */
static void ts_setup_media(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	pthread_mutex_lock(&ts_lock);
	int32_t a = s->slot;
	if (a >= 0) rh_call(RH_SESSION_START, 1, &a);
	pthread_mutex_unlock(&ts_lock);
	notify_id("setupMedia", s->id);
	ts_session_unref(s);
}

static void ts_data_ready(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	pthread_mutex_lock(&ts_lock);
	int32_t a[2] = {s->slot, 1};
	if (a[0] >= 0) rh_call(RH_SET_DATA_READY, 2, a);
	pthread_mutex_unlock(&ts_lock);
	notify_id("dataReady", s->id);
	ts_session_unref(s);
}

static void ts_slow_link(janus_plugin_session *handle, int mindex, gboolean video, gboolean uplink)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	ts_control_notify("slowLink", json_pack("{sIsisbsb}", "id", (json_int_t)s->id, "mindex", mindex,
		"video", video, "uplink", uplink));
	ts_session_unref(s);
}

/* As the Lua plugin: valves closed, bitrate and PLI frequency reset, switching contexts
 * and the session's routes cleared, recordings stopped — then the app is told. */
static void ts_hangup_media(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	pthread_mutex_lock(&ts_lock);
	int32_t a = s->slot;
	if (a >= 0) rh_call(RH_SESSION_HANGUP, 1, &a);
	s->bitrate = 0;
	s->pli_freq_s = 0;
	pthread_mutex_unlock(&ts_lock);
	ts_recorder_stop(s, -1);
	notify_id("hangupMedia", s->id);
	ts_session_unref(s);
}

static void ts_destroy_session(janus_plugin_session *handle, int *error)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) { *error = -2; return; }
	uint32_t id = s->id;
	ts_session_destroy(s);
	ts_session_unref(s);
	notify_id("destroySession", id);
}
