/* messages.c — handle_message, handle_admin_message, query_session and setup_media forwarded
 * to the control app through ts_control_request(). The Janus thread waits at most
 * message_timeout_ms / query_timeout_ms / setup_timeout_ms; no lock is held while waiting. */
#include <inttypes.h>
#include <pthread.h>
#include <glib.h>
#include "messages.h"
#include "sessions.h"
#include "streams.h"
#include "ts_control.h"
#pragma GCC visibility push(default)
#include "ts_api.h"
#pragma GCC visibility pop
#include "globals.h"
#include "log.h"

static char *error_text(const char *kind, char *reason, int timeout_ms)
{
	char *t;
	if (kind && !g_strcmp0(kind, "Timeout"))
		t = reason && *reason ? g_strdup(reason) : g_strdup_printf("janus-ts: control app did not answer within %d ms", timeout_ms);
	else if (kind && !g_strcmp0(kind, "NotConnected"))
		t = g_strdup(reason && *reason ? reason : "janus-ts: no control app connected");
	else
		t = g_strdup(reason && *reason ? reason : (kind ? kind : "janus-ts: request failed"));
	g_free(reason);
	return t;
}

/* janus_plugin_result keeps `text` as a borrowed pointer that Janus reads before
 * destroying the result: keep the last few texts alive per thread. */
static const char *result_text(char *text)
{
	static GPrivate slot = G_PRIVATE_INIT(g_free);
	g_private_replace(&slot, text);
	return text;
}

struct janus_plugin_result *ts_handle_message(janus_plugin_session *handle, char *transaction, json_t *message, json_t *jsep)
{
	struct janus_plugin_result *res = NULL;
	ts_session *s = ts_session_from_handle(handle);
	if (!s) {
		res = janus_plugin_result_new(JANUS_PLUGIN_ERROR, "janus-ts: no session for this handle", NULL);
		goto out;
	}
	/* Janus processed the client's SDP before calling us: its m-lines are the session's now,
	 * whatever the app answers (and before the app routes anything). */
	if (json_is_string(json_object_get(jsep, "sdp")))
		ts_streams_update(s, json_string_value(json_object_get(jsep, "sdp")), true);
	int timeout = ts_control_message_timeout_ms();
	json_t *params = json_pack("{sIsssOsO}", "id", (json_int_t)s->id, "transaction", transaction ? transaction : "",
		"message", message ? message : json_null(), "jsep", jsep ? jsep : json_null());
	const char *kind = NULL;
	char *reason = NULL;
	json_t *r = ts_control_request("handleMessage", params, timeout, &kind, &reason);
	if (!r) {
		res = janus_plugin_result_new(JANUS_PLUGIN_ERROR, result_text(error_text(kind, reason, timeout)), NULL);
	} else if (json_is_object(json_object_get(r, "reply"))) {
		res = janus_plugin_result_new(JANUS_PLUGIN_OK, NULL, json_incref(json_object_get(r, "reply")));
	} else if (json_is_true(json_object_get(r, "async"))) {
		res = janus_plugin_result_new(JANUS_PLUGIN_OK_WAIT, NULL, NULL);
	} else {
		res = janus_plugin_result_new(JANUS_PLUGIN_ERROR,
			"janus-ts: handleMessage answered neither {reply: {...}} nor {async: true}", NULL);
	}
	json_decref(r);
out:
	ts_session_unref(s);
	/* Janus gave us the message, the jsep and the transaction. */
	if (message) json_decref(message);
	if (jsep) json_decref(jsep);
	g_free(transaction);
	return res;
}

json_t *ts_handle_admin_message(json_t *message)
{
	int timeout = ts_control_query_timeout_ms();
	const char *kind = NULL;
	char *reason = NULL;
	json_t *r = ts_control_request("handleAdminMessage", json_pack("{sO}", "message", message ? message : json_null()),
		timeout, &kind, &reason);
	if (r && json_is_object(r)) return r;
	json_decref(r);
	char *text = r ? g_strdup("janus-ts: handleAdminMessage did not answer an object") : error_text(kind, reason, timeout);
	json_t *err = json_pack("{ss}", "error", text);
	g_free(text);
	return err;
}

/* Admin API handle_info: the router's view of the session and the app's answer. */
json_t *ts_query_session(janus_plugin_session *handle)
{
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return NULL;
	uint32_t id = s->id;
	ts_session_unref(s);
	json_t *info = json_object();
	json_t *router = ts_api_session_info(id);
	json_object_set_new(info, "router", router ? router : json_null());
	int timeout = ts_control_query_timeout_ms();
	const char *kind = NULL;
	char *reason = NULL;
	json_t *r = ts_control_request("querySession", json_pack("{sI}", "id", (json_int_t)id), timeout, &kind, &reason);
	if (r) {
		json_object_set_new(info, "app", r);
	} else {
		char *text = error_text(kind, reason, timeout);
		json_object_set_new(info, "app", json_pack("{ss}", "error", text));
		g_free(text);
	}
	return info;
}

/* setup_media (the PeerConnection is up; the router may relay to the session already): the
 * app's setupMedia opens valves and adds routes while this handle's Janus thread waits, at
 * most setup_timeout_ms, so the client's first packets (queued meanwhile, not lost) and
 * Janus's `webrtcup` come after them, as with janus_lua, which runs the script's setupMedia
 * inside setup_media. An app that did not ask for it (hello `wants`), or setup_timeout_ms 0,
 * gets a notification instead. */
void ts_setup_media_ask(uint32_t id)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static ts_ratelimit slow;
	json_t *params = json_pack("{sI}", "id", (json_int_t)id);
	int timeout = ts_control_setup_timeout_ms();
	if (timeout <= 0 || !ts_control_wants("setupMedia")) {
		ts_control_notify("setupMedia", params);
		return;
	}
	gint64 start = g_get_monotonic_time();
	const char *kind = NULL;
	char *reason = NULL;
	json_t *r = ts_control_request("setupMedia", params, timeout, &kind, &reason);
	int waited = (int)((g_get_monotonic_time() - start) / 1000);
	bool done = r != NULL;
	json_decref(r);
	if (!done && !g_strcmp0(kind, "NotConnected")) {	/* the app is gone: it resyncs on reconnect */
		g_free(reason);
		return;
	}
	ts_control_count_setup(waited, !done && !g_strcmp0(kind, "Timeout"));
	if (done) {
		TS_LOG(LOG_VERB, "setupMedia of session %" PRIu32 ": the app was ready after %d ms\n", id, waited);
	} else {
		pthread_mutex_lock(&lock);
		uint64_t n = ts_ratelimit_allow(&slow, g_get_monotonic_time() / 1000, 1000);
		pthread_mutex_unlock(&lock);
		if (n > 0)
			TS_LOG(LOG_WARN, "setupMedia of session %" PRIu32 " not done after %d ms (%s): the PeerConnection goes on and "
				"packets that come before the app's valves and routes are dropped (setup_timeout_ms; %" PRIu64
				" time(s) since the last such line)\n", id, waited, reason ? reason : kind, n);
	}
	g_free(reason);
}
