/* control_api.c — the ts_control.h calls made by Janus threads: notifications,
 * requests to the app, and introspection. None of them touches a socket: they queue a
 * frame under ctl.lock and wake the control thread. */
#include <stdarg.h>
#include <string.h>
#include "control_internal.h"

static GPrivate on_control_thread_key;

void ctl_mark_control_thread(void)
{
	g_private_set(&on_control_thread_key, GINT_TO_POINTER(1));
}

void ctl_set_down_reason(const char *fmt, ...)
{
	char *text = NULL;
	if (fmt != NULL) {
		va_list ap;
		va_start(ap, fmt);
		text = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	g_mutex_lock(&ctl.lock);
	g_free(ctl.down_reason);
	ctl.down_reason = text;
	g_mutex_unlock(&ctl.lock);
}

void ts_control_notify(const char *event, json_t *params)
{
	if (!g_atomic_int_get(&ctl.connected) || event == NULL) {
		ctl_count_drop();	/* no lock: the common case while no app is connected */
		json_decref(params);
		return;
	}
	json_t *msg = json_pack("{ssso}", "event", event, "params", params ? params : json_object());
	ctl_frame *f = msg ? ctl_frame_encode(msg) : NULL;
	json_decref(msg);
	g_mutex_lock(&ctl.lock);
	ctl_conn *c = ctl.active;
	if (f == NULL || c == NULL || c->out_bytes + f->len > ctl.queue_bytes) {
		ctl_count_drop();
		g_free(f);
		g_mutex_unlock(&ctl.lock);
		return;
	}
	ctl_conn_push_locked(c, f, -1);
	ctl_wake();	/* under the lock: ts_control_stop() closes wake_fd under it too */
	g_mutex_unlock(&ctl.lock);
}

json_t *ts_control_request(const char *method, json_t *params, int timeout_ms,
	const char **error_kind, char **reason)
{
	const char *kind_dummy;
	char *reason_dummy = NULL;
	if (error_kind == NULL)
		error_kind = &kind_dummy;
	if (reason == NULL)
		reason = &reason_dummy;
	*error_kind = NULL;
	*reason = NULL;
	json_t *result = NULL;
	ctl_pending p = { 0 };
	g_cond_init(&p.cond);

	/* The control thread cannot wait for itself: it is the one that reads answers. */
	if (g_private_get(&on_control_thread_key) != NULL) {
		*error_kind = "Internal";
		*reason = g_strdup("janus-ts: request to the app from the control thread");
		goto out;
	}
	g_mutex_lock(&ctl.lock);
	ctl_conn *c = ctl.active;
	if (c == NULL) {
		g_mutex_unlock(&ctl.lock);
		*error_kind = "NotConnected";
		*reason = g_strdup(ctl.down_reason ? ctl.down_reason : "janus-ts: no control app connected");
		goto out;
	}
	do {	/* 1, 2, ... wrapping at 2^31 back to 1, skipping ids still waiting */
		ctl.next_id = ctl.next_id >= 0x7fffffffu ? 1 : ctl.next_id + 1;
	} while (g_hash_table_contains(ctl.pending, GUINT_TO_POINTER(ctl.next_id)));
	p.id = ctl.next_id;
	json_t *msg = json_pack("{sIssso}", "id", (json_int_t)p.id, "method", method,
		"params", params ? params : json_object());
	params = NULL;
	ctl_frame *f = msg ? ctl_frame_encode(msg) : NULL;
	json_decref(msg);
	if (f == NULL || c->out_bytes + f->len > ctl.queue_bytes) {
		ctl_count_drop();
		g_mutex_unlock(&ctl.lock);
		*error_kind = f == NULL ? "BadArguments" : "Full";
		*reason = g_strdup(f == NULL ? "janus-ts: request larger than control_max_frame"
			: "janus-ts: control app is not reading (outbound queue full)");
		g_free(f);
		goto out;
	}
	g_hash_table_insert(ctl.pending, GUINT_TO_POINTER(p.id), &p);
	ctl_conn_push_locked(c, f, -1);
	ctl_wake();
	gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_ms, 0) * 1000;
	while (!p.done)
		if (!g_cond_wait_until(&p.cond, &ctl.lock, deadline))
			break;
	if (!p.done) {
		g_hash_table_remove(ctl.pending, GUINT_TO_POINTER(p.id));
		ctl.n.timeouts++;
		*error_kind = "Timeout";
		*reason = g_strdup_printf("janus-ts: control app did not answer within %d ms", timeout_ms);
	} else if (p.kind != NULL) {
		*error_kind = p.kind;
		*reason = p.reason;
		p.reason = NULL;
	} else {
		result = p.result;
		p.result = NULL;
	}
	g_mutex_unlock(&ctl.lock);
out:
	json_decref(params);
	json_decref(p.result);
	g_free(p.reason);
	g_free(reason_dummy);
	g_cond_clear(&p.cond);
	return result;
}

bool ts_control_wants(const char *callback)
{
	if (callback == NULL || !g_atomic_int_get(&ctl.connected))
		return false;
	g_mutex_lock(&ctl.lock);
	bool r = ctl.wants != NULL && g_strv_contains((const char *const *)ctl.wants, callback);
	g_mutex_unlock(&ctl.lock);
	return r;
}

bool ts_control_connected(void)
{
	return g_atomic_int_get(&ctl.connected) != 0;
}

int ts_control_message_timeout_ms(void)
{
	return ctl.message_timeout_ms > 0 ? ctl.message_timeout_ms : 5000;
}

int ts_control_query_timeout_ms(void)
{
	return ctl.query_timeout_ms > 0 ? ctl.query_timeout_ms : 1000;
}

json_t *ts_control_stats(void)
{
	g_mutex_lock(&ctl.lock);
	ctl_counters n = ctl.n;
	bool connected = ctl.active != NULL;
	size_t queued = ctl.active ? ctl.active->out_bytes : 0;
	guint pending = ctl.pending ? g_hash_table_size(ctl.pending) : 0;
	g_mutex_unlock(&ctl.lock);
	return json_pack("{sbsIsIsIsIsIsIsIsIsIsIsIsI}",
		"connected", connected,
		"framesIn", (json_int_t)n.frames_in,
		"framesOut", (json_int_t)n.frames_out,
		"badFrames", (json_int_t)n.bad_frames,
		"dropped", (json_int_t)__atomic_load_n(&ctl.n.dropped, __ATOMIC_RELAXED),
		"timeouts", (json_int_t)n.timeouts,
		"unknownResponses", (json_int_t)n.unknown_responses,
		"connections", (json_int_t)n.connections,
		"refusedHellos", (json_int_t)n.refused,
		"appStarts", (json_int_t)n.app_starts,
		"appExits", (json_int_t)n.app_exits,
		"queuedBytes", (json_int_t)queued,
		"pendingRequests", (json_int_t)pending);
}
