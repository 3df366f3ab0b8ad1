/* control_api.c — the ts_control.h calls made by Janus threads: notifications,
 * requests to the app, and introspection. None of them touches a socket: they queue a
 * frame under ctl.lock and wake the control thread. */
#include <stdarg.h>
#include <string.h>
#include <time.h>
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
	ctl_lock();
	g_free(ctl.down_reason);
	ctl.down_reason = text;
	ctl_unlock();
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
	ctl_lock();
	ctl_conn *c = ctl.active;
	if (f == NULL || c == NULL || c->out_bytes + f->len > ctl.queue_bytes) {
		ctl_count_drop();
		g_free(f);
		ctl_unlock();
		return;
	}
	ctl_conn_push_locked(c, f, -1);
	ctl_wake();	/* under the lock: ts_control_stop() closes wake_fd under it too */
	ctl_unlock();
}

/* ctl.lock held: queues request `method` for the active app and registers p under a new
 * id; false (kind and reason set, params consumed) when it cannot be sent. */
static bool send_request_locked(ctl_pending *p, const char *method, json_t *params,
	const char **error_kind, char **reason)
{
	ctl_conn *c = ctl.active;
	if (c == NULL) {
		json_decref(params);
		*error_kind = "NotConnected";
		*reason = g_strdup(ctl.down_reason ? ctl.down_reason : "janus-ts: no control app connected");
		return false;
	}
	do {	/* 1, 2, ... wrapping at 2^31 back to 1, skipping ids still waiting */
		ctl.next_id = ctl.next_id >= 0x7fffffffu ? 1 : ctl.next_id + 1;
	} while (g_hash_table_contains(ctl.pending, GUINT_TO_POINTER(ctl.next_id)));
	p->id = ctl.next_id;
	json_t *msg = json_pack("{sIssso}", "id", (json_int_t)p->id, "method", method,
		"params", params ? params : json_object());
	ctl_frame *f = msg ? ctl_frame_encode(msg) : NULL;
	json_decref(msg);
	if (f == NULL || c->out_bytes + f->len > ctl.queue_bytes) {
		ctl_count_drop();
		*error_kind = f == NULL ? "BadArguments" : "Full";
		*reason = g_strdup(f == NULL ? "janus-ts: request larger than control_max_frame"
			: "janus-ts: control app is not reading (outbound queue full)");
		g_free(f);
		return false;
	}
	g_hash_table_insert(ctl.pending, GUINT_TO_POINTER(p->id), p);
	ctl_conn_push_locked(c, f, -1);
	ctl_wake();
	return true;
}

/* ctl.lock held: waits for p's answer until timeout_ms passed; returns the result (or NULL
 * with kind and reason set). */
static json_t *wait_answer_locked(ctl_pending *p, int timeout_ms, const char **error_kind, char **reason)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += MAX(timeout_ms, 0) / 1000;
	deadline.tv_nsec += (long)(MAX(timeout_ms, 0) % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000; }
	while (!p->done)
		if (pthread_cond_timedwait(&p->cond, &ctl.lock, &deadline) != 0)
			break;
	json_t *result = NULL;
	if (!p->done) {
		g_hash_table_remove(ctl.pending, GUINT_TO_POINTER(p->id));
		ctl.n.timeouts++;
		if (ctl.silent_since == 0)
			ctl.silent_since = g_get_monotonic_time();
		*error_kind = "Timeout";
		*reason = g_strdup_printf("janus-ts: control app did not answer within %d ms", timeout_ms);
	} else if (p->kind != NULL) {
		*error_kind = p->kind;
		*reason = p->reason;
		p->reason = NULL;
	} else {
		result = p->result;
		p->result = NULL;
	}
	return result;
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
	/* The control thread cannot wait for itself: it is the one that reads answers. */
	if (g_private_get(&on_control_thread_key) != NULL) {
		json_decref(params);
		*error_kind = "Internal";
		*reason = g_strdup("janus-ts: request to the app from the control thread");
		g_free(reason_dummy);
		return NULL;
	}
	json_t *result = NULL;
	ctl_pending p = { 0 };
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p.cond, &ca);
	pthread_condattr_destroy(&ca);
	ctl_lock();
	/* An app that let a request time out and has been silent since is not waited for again
	 * (the request is still sent: its answer, or any frame, shows it is back). So a hung app
	 * costs one timeout, not one per request, to the Janus threads that ask it. */
	gint64 silent = ctl.silent_since;
	if (send_request_locked(&p, method, params, error_kind, reason))
		result = wait_answer_locked(&p, silent ? 0 : timeout_ms, error_kind, reason);
	if (silent && *error_kind != NULL && !strcmp(*error_kind, "Timeout")) {
		g_free(*reason);
		*reason = g_strdup_printf("janus-ts: control app did not answer within %d ms: it has sent nothing since a "
			"request timed out %.1f s ago, so it is not waited for until it does", timeout_ms,
			(g_get_monotonic_time() - silent) / 1e6);
	}
	ctl_unlock();
	json_decref(p.result);
	g_free(p.reason);
	g_free(reason_dummy);
	pthread_cond_destroy(&p.cond);
	return result;
}

bool ts_control_wants(const char *callback)
{
	if (callback == NULL || !g_atomic_int_get(&ctl.connected))
		return false;
	ctl_lock();
	bool r = ctl.wants != NULL && g_strv_contains((const char *const *)ctl.wants, callback);
	ctl_unlock();
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

int ts_control_setup_timeout_ms(void)
{
	return ctl.setup_timeout_ms;
}

void ts_control_count_setup(int waited_ms, bool timed_out)
{
	ctl_lock();
	ctl.n.setup_waits++;
	if (timed_out) ctl.n.setup_timeouts++;
	if (waited_ms > 0 && (guint64)waited_ms > ctl.n.setup_wait_max_ms) ctl.n.setup_wait_max_ms = (guint64)waited_ms;
	ctl_unlock();
}

json_t *ts_control_stats(void)
{
	ctl_lock();
	ctl_counters n = ctl.n;
	bool connected = ctl.active != NULL;
	size_t queued = ctl.active ? ctl.active->out_bytes : 0;
	guint pending = ctl.pending ? g_hash_table_size(ctl.pending) : 0;
	ctl_unlock();
	json_t *stats = json_pack("{sbsIsIsIsIsIsIsIsIsIsIsIsIsIsI}",
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
		"pendingRequests", (json_int_t)pending,
		"refusedPeers", (json_int_t)n.refused_peers,
		"throttled", (json_int_t)n.throttled);
	json_object_set_new(stats, "setupWaits", json_integer((json_int_t)n.setup_waits));
	json_object_set_new(stats, "setupTimeouts", json_integer((json_int_t)n.setup_timeouts));
	json_object_set_new(stats, "setupWaitMaxMs", json_integer((json_int_t)n.setup_wait_max_ms));
	return stats;
}
