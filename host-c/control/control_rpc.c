/* control_rpc.c — what arrives on a connection: requests from the app (hello first,
 * then the method table), responses to the plugin's own requests. */
#include <string.h>
#include "../ts_api.h"
#include "control_internal.h"

/* Queues a response; responses ignore control_queue_bytes (the app gets an answer to
 * every request it sends) unless the app sends requests without ever reading, then
 * the connection is closed rather than growing without bound. */
void ctl_send_response(ctl_conn *c, json_t *id, json_t *result, const char *kind, const char *reason)
{
	json_t *msg = json_object();
	json_object_set(msg, "id", id ? id : json_null());
	if (kind == NULL) {
		json_object_set(msg, "result", result ? result : json_true());
	} else {
		json_object_set_new(msg, "error", json_string(kind));
		json_object_set_new(msg, "reason", json_string(reason ? reason : kind));
	}
	ctl_frame *f = ctl_frame_encode(msg);
	json_decref(msg);
	if (f == NULL) {	/* a result over max_frame: say so instead */
		msg = json_pack("{sO?ssss}", "id", id, "error", "Internal", "reason",
			"janus-ts: result larger than control_max_frame");
		f = ctl_frame_encode(msg);
		json_decref(msg);
		if (f == NULL)
			return;
	}
	ctl_lock();
	if (c->out_bytes > 2 * ctl.queue_bytes + ctl.max_frame) {
		g_free(f);
		ctl_count_drop();
		ctl_conn_kill_locked(c, LOG_WARN, "the app does not read its responses, closed");
	} else {
		ctl_conn_push_locked(c, f, -1);
	}
	ctl_unlock();
}

/* A response the plugin is not waiting for (late after its timeout, answered twice, never
 * asked, or before hello): counted, ignored, and the app is told. */
static void unknown_response(ctl_conn *c, json_t *jid)
{
	ctl_lock();
	ctl.n.unknown_responses++;
	ctl_unlock();
	char *id = json_dumps(jid, JSON_ENCODE_ANY | JSON_COMPACT);
	char *why = g_strdup_printf("response to id %s ignored: %s", id ? id : "?", c->authed
		? "no request of the plugin waits for it (it timed out, was answered already, or was never sent)"
		: "send hello first");
	ctl_conn_notice(c, LOG_WARN, why);
	g_free(why);
	free(id);
}

static void handle_response(ctl_conn *c, json_t *msg)
{
	json_t *jid = json_object_get(msg, "id");
	guint32 id = json_is_integer(jid) ? (guint32)json_integer_value(jid) : 0;
	ctl_lock();
	ctl_pending *p = id && c->authed ? g_hash_table_lookup(ctl.pending, GUINT_TO_POINTER(id)) : NULL;
	if (p == NULL) {
		ctl_unlock();
		unknown_response(c, jid);
		return;
	}
	g_hash_table_remove(ctl.pending, GUINT_TO_POINTER(id));
	json_t *err = json_object_get(msg, "error");
	if (err != NULL && !json_is_null(err)) {
		p->kind = ctl_static_kind(json_is_string(err) ? json_string_value(err) : "AppError");
		json_t *r = json_object_get(msg, "reason");
		p->reason = g_strdup(json_is_string(r) ? json_string_value(r) : p->kind);
	} else {
		json_t *res = json_object_get(msg, "result");
		p->result = res ? json_incref(res) : json_null();
		/* Detached before the waiter can see it: freeing msg (on this thread) then never
		 * touches what the waiter reads, and the hand-over is ordered by ctl.lock alone
		 * (jansson's reference counts are atomics that ThreadSanitizer cannot see). */
		json_object_del(msg, "result");
	}
	p->done = true;
	pthread_cond_signal(&p->cond);
	ctl_unlock();
}

/* Token check that takes the same time wherever the first difference is. */
static bool token_eq(const char *given, const char *expected)
{
	if (given == NULL)
		return false;
	size_t n = strlen(given), m = strlen(expected);
	unsigned char diff = n != m;
	for (size_t i = 0; i < m; i++)
		diff |= (unsigned char)expected[i] ^ (unsigned char)(i < n ? given[i] : 0);
	return diff == 0;
}

/* hello: version, token, one connection at a time (Busy, or replace), then the
 * snapshot. The result is placed in the queue before any notification that was
 * queued once this connection became the active one, so the app sees its hello
 * result first; a session created meanwhile may appear both in the snapshot and in a
 * createSession notification (the app treats that as idempotent). */
/* The hello's own checks: arguments, protocol version, token. */
static bool hello_ok(json_t *params, const char **app, bool *replace, const char **kind, char **reason)
{
	long long protocol = 0;
	const char *token = NULL;
	json_t *wants = json_object_get(params, "wants");
	if (!ctl_param_int(params, "protocol", false, 0, G_MAXINT32, &protocol, kind, reason) ||
			!ctl_param_str(params, "token", true, &token, kind, reason) ||
			!ctl_param_str(params, "app", true, app, kind, reason) ||
			!ctl_param_bool(params, "replace", true, replace, kind, reason))
		return false;
	if (wants != NULL && !json_is_null(wants) && !json_is_array(wants)) {
		*kind = "BadArguments";
		*reason = g_strdup("wants: expected an array of strings");
		return false;
	}
	if (protocol != CTL_PROTOCOL) {
		*kind = "ProtocolVersion";
		*reason = g_strdup_printf("janus-ts: protocol %lld not supported, the plugin speaks %d", protocol, CTL_PROTOCOL);
		return false;
	}
	if (ctl.token != NULL && ctl.token[0] != '\0' && !token_eq(token, ctl.token)) {
		*kind = "Unauthorized";
		*reason = g_strdup("janus-ts: wrong or missing token");
		return false;
	}
	return true;
}

/* Makes c the active connection with these wants (replacing another one only with
 * `replace`); false with kind Busy otherwise. */
static bool activate(ctl_conn *c, json_t *wants, bool replace, const char **kind, char **reason)
{
	GPtrArray *w = g_ptr_array_new();
	size_t i;
	json_t *v;
	json_array_foreach(wants, i, v)
		if (json_is_string(v))
			g_ptr_array_add(w, g_strdup(json_string_value(v)));
	g_ptr_array_add(w, NULL);
	ctl_lock();
	if (ctl.active != NULL && ctl.active != c) {
		if (!replace) {
			ctl_unlock();
			g_strfreev((char **)g_ptr_array_free(w, FALSE));
			*kind = "Busy";
			*reason = g_strdup("janus-ts: another control app is connected (hello with replace: true to take over)");
			return false;
		}
		ctl_conn_kill_locked(ctl.active, LOG_WARN, "replaced by a new control connection");
	}
	ctl.active = c;
	ctl.silent_since = 0;
	c->authed = true;
	g_atomic_int_set(&ctl.connected, 1);
	g_strfreev(ctl.wants);
	ctl.wants = (char **)g_ptr_array_free(w, FALSE);
	ctl_unlock();
	return true;
}

json_t *ctl_hello(ctl_conn *c, json_t *params, const char **kind, char **reason)
{
	const char *app = NULL;
	bool replace = false;
	if (!hello_ok(params, &app, &replace, kind, reason) ||
			!activate(c, json_object_get(params, "wants"), replace, kind, reason))
		return NULL;
	JANUS_LOG(LOG_INFO, "janus-ts control: app '%s' connected (connection %" G_GUINT64_FORMAT ")\n",
		app ? app : "?", c->serial);
	json_t *limits = ts_api_limits();
	if (!json_is_object(limits)) {
		json_decref(limits);
		limits = json_object();
	}
	json_object_set_new(limits, "maxFrame", json_integer((json_int_t)ctl.max_frame));
	json_object_set_new(limits, "messageTimeoutMs", json_integer(ctl.message_timeout_ms));
	json_object_set_new(limits, "setupTimeoutMs", json_integer(ctl.setup_timeout_ms));
	json_t *sessions = ts_api_snapshot();
	return json_pack("{sisoss?soso}", "protocol", CTL_PROTOCOL,
		"plugin", ts_api_plugin_info() ?: json_object(),
		"config", ctl.app_config,
		"limits", limits,
		"sessions", sessions ?: json_array());
}

/* The hello response; if the snapshot makes it larger than control_max_frame, the
 * per-session stats are left out, and if it is still too large the app gets an error
 * that says which setting to raise. */
static ctl_frame *encode_hello(json_t *jid, json_t *result, bool *refused)
{
	*refused = false;
	json_t *resp = json_pack("{sOsO}", "id", jid, "result", result);
	ctl_frame *f = ctl_frame_encode(resp);
	json_decref(resp);
	if (f != NULL)
		return f;
	json_t *sessions = json_object_get(result, "sessions");
	size_t i;
	json_t *s;
	json_array_foreach(sessions, i, s)
		json_object_del(s, "stats");
	resp = json_pack("{sOsO}", "id", jid, "result", result);
	f = ctl_frame_encode(resp);
	json_decref(resp);
	if (f != NULL) {
		JANUS_LOG(LOG_WARN, "janus-ts control: hello snapshot sent without session stats (control_max_frame %zu)\n",
			ctl.max_frame);
		return f;
	}
	char *reason = g_strdup_printf("janus-ts: the snapshot of %zu sessions is larger than control_max_frame (%zu): raise it",
		json_array_size(sessions), ctl.max_frame);
	JANUS_LOG(LOG_ERR, "janus-ts control: %s\n", reason);
	*refused = true;
	resp = json_pack("{sOssss}", "id", jid, "error", "Full", "reason", reason);
	f = ctl_frame_encode(resp);
	json_decref(resp);
	g_free(reason);
	return f;
}

/* A hello: answered ahead of the notifications queued since the connection became active
 * (ctl_hello activates it); a refused one closes the connection once answered. Returns
 * false if the response is still to be sent (the refusal, in kind and reason). */
static bool handle_hello(ctl_conn *c, json_t *params, json_t *jid, const char **kind, char **reason)
{
	ctl_lock();
	size_t queued = c->out.length;
	ctl_unlock();
	json_t *result = ctl_hello(c, params, kind, reason);
	if (result != NULL) {
		bool refused;
		ctl_frame *f = encode_hello(jid, result, &refused);
		json_decref(result);
		ctl_lock();
		if (f != NULL)
			ctl_conn_push_locked(c, f, (int)queued);
		if (f == NULL || refused) {	/* the app cannot resync without it: close */
			c->closing = true;
			c->since = g_get_monotonic_time();
		}
		ctl_unlock();
		return true;
	}
	ctl_lock();
	ctl.n.refused++;
	if (!c->authed) {	/* a refused hello closes the connection once answered */
		c->closing = true;
		c->since = g_get_monotonic_time();
	}
	ctl_unlock();
	JANUS_LOG(LOG_WARN, "janus-ts control: hello refused on connection %" G_GUINT64_FORMAT ": %s\n",
		c->serial, *reason ? *reason : *kind);
	return false;
}

static json_t *call_method(const char *method, json_t *params, const char **kind, char **reason)
{
	ctl_method_fn fn = ctl_method_find(method);
	if (fn == NULL) {
		*kind = "UnknownMethod";
		*reason = g_strdup_printf("janus-ts: unknown method '%s'", method);
		return NULL;
	}
	json_t *result = fn(params, kind, reason);
	if (result == NULL && *kind == NULL)
		*kind = "Internal";
	return result;
}

static void handle_request(ctl_conn *c, json_t *msg, json_t *jid, const char *method)
{
	json_t *params = json_object_get(msg, "params");
	json_t *empty = NULL;
	if (params == NULL || json_is_null(params))
		params = empty = json_object();
	const char *kind = NULL;
	char *reason = NULL;
	json_t *result = NULL;
	if (!json_is_object(params)) {
		kind = "BadArguments";
		reason = g_strdup("params: expected an object");
	} else if (strcmp(method, "hello") == 0) {
		if (handle_hello(c, params, jid, &kind, &reason)) {
			json_decref(empty);
			return;
		}
	} else if (!c->authed) {
		kind = "Unauthorized";
		reason = g_strdup("janus-ts: send hello first");
	} else {
		result = call_method(method, params, &kind, &reason);
	}
	ctl_send_response(c, jid, result, kind, reason);
	json_decref(result);
	g_free(reason);
	json_decref(empty);
}

void ctl_handle_message(ctl_conn *c, json_t *msg)
{
	ctl_lock();
	if (c == ctl.active)
		ctl.silent_since = 0;	/* the app is there: wait for its answers again */
	ctl_unlock();
	json_t *jid = json_object_get(msg, "id");
	json_t *method = json_object_get(msg, "method");
	if (method != NULL) {
		if (!json_is_string(method) || !json_is_integer(jid) || json_integer_value(jid) < 0 ||
				json_integer_value(jid) > G_MAXUINT32) {
			ctl_lock();
			ctl.n.bad_frames++;
			ctl_unlock();
			if (++c->ignored == 1)	/* logged once per connection, answered every time */
				JANUS_LOG(LOG_WARN, "janus-ts control: connection %" G_GUINT64_FORMAT ": a request without an "
					"integer id or a string method, answered BadArguments\n", c->serial);
			ctl_send_response(c, jid && json_is_integer(jid) ? jid : NULL, NULL, "BadArguments",
				"janus-ts: a request needs an integer id and a string method");
			return;
		}
		handle_request(c, msg, jid, json_string_value(method));
	} else if (jid != NULL && (json_object_get(msg, "result") || json_object_get(msg, "error"))) {
		handle_response(c, msg);
	} else {
		/* the app sends no notifications in protocol 1: ignored, counted, told */
		ctl_lock();
		ctl.n.bad_frames++;
		ctl_unlock();
		ctl_conn_notice(c, LOG_WARN, "a frame that is neither a request nor a response was ignored");
	}
}
