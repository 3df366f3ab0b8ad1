/* plugin.c — the top of the plugin: the janus_plugin callbacks table (API 102), info,
 * init/destroy, and the session lifecycle callbacks, each telling the control app. Packet
 * callbacks go to media.c (data to the app first, when it asked for it), requests for the
 * app to messages.c. */
#include <string.h>
#include <glib.h>
#include "globals.h"
#include "jcfg.h"
#include "rcu.h"
#include "sessions.h"
#include "router_host.h"
#include "media.h"
#include "forwarders.h"
#include "sdp_codecs.h"
#include "router_abi.h"
#include "messages.h"
#include "ts_control.h"
#include "log.h"

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
static void ts_incoming_data(janus_plugin_session *handle, janus_plugin_data *pkt);
static void ts_data_ready(janus_plugin_session *handle);
static void ts_slow_link(janus_plugin_session *handle, int mindex, gboolean video, gboolean uplink);
static void ts_hangup_media(janus_plugin_session *handle);
static void ts_destroy_session(janus_plugin_session *handle, int *error);

/* JANUS_PLUGIN_INIT fills defaults that the named fields then override. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static janus_plugin ts_plugin = JANUS_PLUGIN_INIT(
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
	.incoming_data = ts_incoming_data,
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

/* max_threads 0 (the default): one router instance per session's thread, and a few more. */
static uint32_t thread_contexts(void)
{
	uint32_t n = ts_cfg.max_threads ? ts_cfg.max_threads : ts_cfg.max_sessions + 8;
	return n < 4 ? 4 : n > TS_RCU_MAX_READERS ? TS_RCU_MAX_READERS : n;
}

static void notify_layer(const char *event, const char *key, uint32_t session, int mindex, uint32_t v)
{
	if (v != 0xFF) ts_control_notify(event, json_pack("{sIsisi}", "id", (json_int_t)session, "mindex", mindex, key, (int)v));
}

/* EVENT decisions of the router, on the packet thread: notifications to the app (queued,
 * never blocking: control_api.c). */
static void media_event(uint32_t session, int mindex, int code, uint32_t value, uint32_t flags)
{
	if (code == TS_EV_TALKING || code == TS_EV_STOPPED_TALKING) {
		ts_control_notify(code == TS_EV_TALKING ? "talking" : "stoppedTalking",
			json_pack("{sIsisf}", "id", (json_int_t)session, "mindex", mindex, "level", value / 100.0));
	} else if (code == TS_EV_LAYERS) {
		if (flags & TS_EVF_SUBSTREAM) notify_layer("substreamChanged", "substream", session, mindex, value & 0xFF);
		if (flags & TS_EVF_TEMPORAL) notify_layer("temporalLayerChanged", "temporal", session, mindex, (value >> 8) & 0xFF);
		if (flags & TS_EVF_SPATIAL) notify_layer("spatialLayerChanged", "spatial", session, mindex, (value >> 16) & 0xFF);
	}
}

static bool start_control(void)
{
	ts_control_config cc = {
		.socket_path = ts_cfg.control_socket, .socket_mode = ts_cfg.control_socket_mode,
		.token = ts_cfg.control_token, .app_config = ts_cfg.app_config ? ts_cfg.app_config : "",
		.allowed_uids = ts_cfg.control_allowed_uids, .n_allowed_uids = ts_cfg.n_control_allowed_uids,
		.max_rate = ts_cfg.control_max_rate,
		.app_command = ts_cfg.app_command, .max_frame = ts_cfg.control_max_frame,
		.queue_bytes = ts_cfg.control_queue_bytes, .message_timeout_ms = ts_cfg.message_timeout_ms,
		.query_timeout_ms = ts_cfg.query_timeout_ms, .setup_timeout_ms = ts_cfg.setup_timeout_ms,
		.config_error = ts_cfg.problem,
	};
	/* On failure it has logged why and what to do; requests are answered with the reason. */
	return ts_control_start(&cc) == 0;
}

#ifdef TS_SANITIZE_SELFTEST
/* Sanitizer builds only (host-c `make asan`): JANUS_TS_SANITIZE_SELFTEST=asan reads one byte
 * past a heap block, =leak loses 64 bytes, =ubsan overflows a signed int, so a test can see
 * that each sanitizer is really active in the process that loaded the plugin
 * (scripts/sanitize.sh). */
#include <stdlib.h>
static void sanitize_selftest(void)
{
	const char *what = getenv("JANUS_TS_SANITIZE_SELFTEST");
	if (!what) return;
	TS_LOG(LOG_WARN, "sanitizer self-test: %s\n", what);
	if (!strcmp(what, "asan")) {
		volatile size_t past = 8;	/* volatile: no compile-time bounds warning */
		volatile char *p = g_malloc(past);
		TS_LOG(LOG_WARN, "read past the block: %d\n", p[past]);
		g_free((char *)p);
	} else if (!strcmp(what, "leak")) {
		volatile char *lost = g_malloc(64);	/* reported by LeakSanitizer when Janus exits */
		lost[0] = 1;
		lost = NULL;
	} else if (!strcmp(what, "ubsan")) {
		volatile int big = G_MAXINT;
		TS_LOG(LOG_WARN, "signed overflow: %d\n", big + 1);
	}
}

/* Janus runs with the sanitizer runtime in LD_PRELOAD (scripts/sanitize.sh); the app that
 * app_command starts must not inherit it: it is loaded, so take it out of the environment. */
__attribute__((constructor)) static void sanitize_unpreload(void)
{
	unsetenv("LD_PRELOAD");
}
#else
static void sanitize_selftest(void) {}
#endif

static int ts_init(janus_callbacks *callback, const char *config_path)
{
	if (!callback) return -1;
	sanitize_selftest();
	if (ts_config_load(&ts_cfg, config_path) < 0) {
		TS_LOG(LOG_FATAL, "invalid configuration, plugin not started\n");
		return -1;
	}
	ts_rcu_init();
	if (ts_fwd_init(ts_cfg.max_forwarders) < 0) {
		TS_LOG(LOG_FATAL, "out of memory for %u forwarders, plugin not started\n", ts_cfg.max_forwarders);
		return -1;
	}
	ts_media_event_hook = media_event;
	if (rh_load(ts_cfg.router, ts_cfg.max_sessions, ts_cfg.max_routes, thread_contexts(), ts_cfg.max_forwarders,
			ts_cfg.pli_min_interval_ms) < 0) {
		TS_LOG(LOG_FATAL, "could not load the router %s, plugin not started\n", ts_cfg.router);
		ts_fwd_deinit();
		return -1;
	}
	ts_gateway = callback;
	ts_self = &ts_plugin;
	ts_sessions_init(ts_cfg.max_sessions);
	atomic_store(&ts_running, 1);
	ts_media_start_ticker();
	bool control = start_control();
	int level = control ? LOG_INFO : LOG_WARN;
	TS_LOG(level, "%s %s initialized (package %s)%s\n", ts_cfg.name, TS_VERSION_STRING,
		ts_cfg.package, control ? "" : " without a control socket: requests are answered with the reason above");
	return 0;
}

static void ts_destroy(void)
{
	if (!atomic_load(&ts_running)) return;
	ts_control_stop();	/* first: the app may still be calling ts_api_* */
	ts_media_stop_ticker();
	atomic_store(&ts_running, 0);
	ts_rcu_sync();		/* packets from here on stop before the router: none is in it */
	ts_sessions_deinit();
	ts_fwd_deinit();
	ts_codec_ids_clear();
	rh_unload();
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
	if (!atomic_load(&ts_running)) { *error = -1; return; }
	ts_session *s = ts_session_create(handle);
	if (!s) { *error = -1; return; }
	uint32_t id = s->id;
	ts_session_unref(s);
	notify_id("createSession", id);
}

/* PeerConnection up: the router may relay to it from now on; the app sets it up before
 * Janus goes on (bounded, messages.c). */
static void ts_setup_media(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	ts_session_start(s);
	ts_setup_media_ask(s->id);
	ts_session_unref(s);
}

/* Lua semantics: when the app implements incomingTextData/incomingBinaryData, data goes
 * to it and the router does not relay it. */
static void ts_incoming_data(janus_plugin_session *handle, janus_plugin_data *pkt)
{
	const char *cb = pkt && pkt->binary ? "incomingBinaryData" : "incomingTextData";
	if (!pkt || !pkt->buffer || !atomic_load(&ts_running) || !ts_control_wants(cb)) {
		ts_media_data(handle, pkt);
		return;
	}
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	ts_session_saw_client_data(s);	/* before the app hears it: a reply may go out at once */
	json_t *p = json_pack("{sIss?ss?}", "id", (json_int_t)s->id, "label", pkt->label, "protocol", pkt->protocol);
	if (pkt->binary) {
		gchar *b64 = g_base64_encode((const guchar *)pkt->buffer, pkt->length);
		json_object_set_new(p, "data", json_string(b64));
		g_free(b64);
	} else {
		json_object_set_new(p, "text", json_stringn(pkt->buffer, pkt->length));
	}
	ts_session_unref(s);
	ts_control_notify(cb, p);
	ts_media_count_app_data();
}

static void ts_data_ready(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	ts_session_data_ready(s);
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

static void ts_hangup_media(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return;
	ts_session_hangup(s);
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
