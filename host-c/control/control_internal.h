/* control_internal.h — state shared by the control_*.c files (not part of any contract).
 *
 * Threads: one control thread owns the listening socket, every connection's fd and
 * the supervised app; Janus threads only touch the state below under ctl.lock
 * (enqueue a frame, register a pending request) and wake the control thread through
 * ctl.wake_fd. ctl.lock is never held while calling into the core (ts_api_*), because
 * the core may call ts_control_notify() while holding its own locks. */
#ifndef JANUS_TS_CONTROL_INTERNAL_H
#define JANUS_TS_CONTROL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <poll.h>
#include <pthread.h>
#include <glib.h>
#include <jansson.h>
#include "../ts_control.h"
#include "../ts_api.h"
#include "debug.h"	/* JANUS_LOG */

#define CTL_PROTOCOL		1
#define CTL_MAX_CONNS		8		/* active + connections still saying hello */
#define CTL_HELLO_TIMEOUT_US	(10 * G_USEC_PER_SEC)	/* no hello by then: closed */
#define CTL_CLOSING_GRACE_US	(2 * G_USEC_PER_SEC)	/* flush before closing, at most */
#define CTL_STOP_FLUSH_US	G_USEC_PER_SEC	/* on shutdown: "destroy" flushed, and the app's
						 * hangup after its destroy callback, at most */

/* One outbound frame: 4-byte big-endian length + JSON, written from off onwards. */
typedef struct ctl_frame {
	size_t len;		/* header + payload */
	size_t off;		/* bytes already written */
	uint8_t data[];
} ctl_frame;

typedef struct ctl_conn {
	int fd;			/* owned, closed by ctl_conn_free() */
	guint64 serial;		/* connection number, for logs */
	GByteArray *in;		/* owned: bytes read, not yet a complete frame */
	GQueue out;		/* owned ctl_frame*; under ctl.lock */
	size_t out_bytes;	/* under ctl.lock */
	bool authed;		/* a hello succeeded on it (it is then ctl.active) */
	bool closing;		/* flush what is queued, then close (after a refused hello or a
				 * protocol error) */
	bool dead;		/* to be freed by the control thread's sweep */
	gint64 since;		/* accept time, or when closing started */
	uid_t uid;		/* the peer (SO_PEERCRED) */
	pid_t pid;
	/* control_max_rate: a token bucket of frames, refilled with time (control thread) */
	double tokens;
	gint64 refilled;	/* when tokens were last refilled */
	bool throttled;		/* out of tokens: not read until refilled */
	guint64 ignored;	/* frames the plugin could not use (counted, noticed, logged once) */
} ctl_conn;

/* A plugin → app request waiting for its answer. Lives on the waiting thread's stack;
 * ctl.pending only borrows it, and whoever removes it from the map completes it. */
typedef struct ctl_pending {
	guint32 id;
	pthread_cond_t cond;	/* CLOCK_MONOTONIC (ctl_pending_init) */
	bool done;
	json_t *result;		/* owned until handed to the caller */
	const char *kind;	/* static error kind, NULL on success */
	char *reason;		/* g_malloc'ed */
} ctl_pending;

typedef struct ctl_counters {	/* under ctl.lock, except dropped (atomic) */
	guint64 frames_in, frames_out, bad_frames, dropped, timeouts, unknown_responses;
	guint64 connections, refused, app_starts, app_exits;
	guint64 refused_peers, throttled;
	guint64 setup_waits, setup_timeouts, setup_wait_max_ms;
} ctl_counters;

typedef struct ctl_state {
	pthread_mutex_t lock;	/* pthread, not GMutex: ThreadSanitizer sees it */
	/* configuration: copied at start, immutable until stop */
	char *socket_path, *token, *app_config, *app_command;
	unsigned int socket_mode;
	uid_t allowed_uids[16];		/* SO_PEERCRED uids let in */
	unsigned n_allowed_uids;
	unsigned max_rate;		/* frames/s per connection, 0 = no limit */
	size_t max_frame, queue_bytes;
	int message_timeout_ms, query_timeout_ms, setup_timeout_ms;
	/* control thread */
	GThread *thread;
	int listen_fd, wake_fd;
	GPtrArray *conns;	/* ctl_conn*, touched only by the control thread */
	gint stopping;		/* atomic: ts_control_stop() asked the thread to finish */
	gint64 stop_deadline;
	/* under lock */
	ctl_conn *active;	/* the connection that said hello, or NULL */
	gint connected;		/* atomic mirror of active != NULL, read without the lock */
	char **wants;		/* callbacks the active app asked for */
	GHashTable *pending;	/* id → ctl_pending* (borrowed) */
	char *down_reason;	/* owned: why no app is connected, for clients; NULL = unknown */
	gint64 silent_since;	/* a request to the app timed out then, and the app has sent no
				 * frame since: requests are sent but not waited for; 0 = none */
	guint32 next_id;
	ctl_counters n;
} ctl_state;

extern ctl_state ctl;

static inline void ctl_lock(void) { pthread_mutex_lock(&ctl.lock); }
static inline void ctl_unlock(void) { pthread_mutex_unlock(&ctl.lock); }

static inline void ctl_count_drop(void)
{
	__atomic_add_fetch(&ctl.n.dropped, 1, __ATOMIC_RELAXED);
}

/* control_state.c (the bottom: calls nothing else here): `ctl`, waking the control thread,
 * failing pending requests */
void ctl_wake(void);
void ctl_fail_pending_locked(const char *kind, const char *reason);

/* control_conn.c: connections, framing, outbound queues */
typedef void (*ctl_message_fn)(struct ctl_conn *c, json_t *msg);	/* one decoded frame (an object) */
ctl_conn *ctl_conn_new(int fd);
void ctl_conn_free(ctl_conn *c);		/* fd closed; must be detached already */
void ctl_conn_read(ctl_conn *c, ctl_message_fn on_message);	/* reads; hands complete frames over */
void ctl_conn_flush(ctl_conn *c);		/* writes what the socket takes */
ctl_frame *ctl_frame_encode(json_t *msg);	/* NULL if over max_frame or unencodable */
bool ctl_conn_has_output(ctl_conn *c);
gint64 ctl_conn_throttle_until(ctl_conn *c, gint64 now);	/* 0 = may be read now */
/* A protocolError notification to c (dropped and counted when its queue is full); the
 * first one of a connection is logged at `level`, later ones counted (ctl_conn_free logs
 * how many). */
void ctl_conn_notice(ctl_conn *c, int level, const char *reason);
/* Locked variants: the caller holds ctl.lock. */
void ctl_conn_push_locked(ctl_conn *c, ctl_frame *f, int position /* -1 = tail */);
void ctl_conn_kill_locked(ctl_conn *c, int level, const char *why);	/* marks dead, detaches; why may be NULL */

/* control_rpc.c: messages, hello, pending requests */
void ctl_handle_message(ctl_conn *c, json_t *msg);	/* one decoded frame (an object) */
void ctl_send_response(ctl_conn *c, json_t *id, json_t *result, const char *kind, const char *reason);
json_t *ctl_hello(ctl_conn *c, json_t *params, const char **kind, char **reason);

void ctl_mark_control_thread(void);		/* control_api.c: refuse requests from it */
/* control_api.c: sets ctl.down_reason (takes ctl.lock; fmt NULL clears it). */
void ctl_set_down_reason(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* control_methods.c: the app → plugin method table */
typedef json_t *(*ctl_method_fn)(json_t *params, const char **kind, char **reason);
ctl_method_fn ctl_method_find(const char *name);
json_t *ctl_method_names(void);
/* control_results.c: a ts_err as the method's result: true, or NULL with kind and reason (api_reason, freed, or
 * one made from the parameters); _or_gone: false for a session or route that is gone. */
json_t *ctl_done(ts_err e, char *api_reason, json_t *p, const char **kind, char **reason);
json_t *ctl_done_or_gone(ts_err e, char *api_reason, json_t *p, const char **kind, char **reason);

/* control_media.c: the media methods (layers, simulcast, talk detection, forwarders) */
json_t *ctl_m_set_substream(json_t *p, const char **kind, char **reason);
json_t *ctl_m_set_temporal(json_t *p, const char **kind, char **reason);
json_t *ctl_m_set_spatial(json_t *p, const char **kind, char **reason);
json_t *ctl_m_configure_simulcast(json_t *p, const char **kind, char **reason);
json_t *ctl_m_configure_talk(json_t *p, const char **kind, char **reason);
json_t *ctl_m_loudest(json_t *p, const char **kind, char **reason);
json_t *ctl_m_rtp_forward(json_t *p, const char **kind, char **reason);
json_t *ctl_m_stop_rtp_forward(json_t *p, const char **kind, char **reason);
json_t *ctl_m_list_forwarders(json_t *p, const char **kind, char **reason);

/* control_params.c: parameter validation; false with kind BadArguments + reason */
bool ctl_param_u32id(json_t *p, const char *name, bool optional, uint32_t *out, const char **kind, char **reason);
bool ctl_param_int(json_t *p, const char *name, bool optional, long long lo, long long hi, long long *out, const char **kind, char **reason);
bool ctl_param_bool(json_t *p, const char *name, bool optional, bool *out, const char **kind, char **reason);
bool ctl_param_str(json_t *p, const char *name, bool optional, const char **out, const char **kind, char **reason);
bool ctl_param_obj(json_t *p, const char *name, bool optional, json_t **out, const char **kind, char **reason);
bool ctl_param_enum(json_t *p, const char *name, bool optional, const char *const *values, int *out, const char **kind, char **reason);
bool ctl_param_b64(json_t *p, const char *name, uint8_t **out, size_t *len, const char **kind, char **reason);
/* An array of at most `max` elements (absent or null: *out untouched when optional). */
bool ctl_param_array(json_t *p, const char *name, bool optional, size_t max, json_t **out, const char **kind, char **reason);
const char *ctl_static_kind(const char *kind);	/* schema kind → static string, else "AppError" */

/* control_supervisor.c: the app process (app_command) */
void ctl_app_init(void);
int  ctl_app_pollfds(struct pollfd *fds, int max);	/* adds its pipes, returns count */
void ctl_app_handle(struct pollfd *fds, int n);
void ctl_app_tick(gint64 now);				/* reaps, restarts with backoff */
gint64 ctl_app_next_deadline(void);			/* 0 = none */
void ctl_app_stop(void);				/* SIGTERM, SIGKILL after 2 s */

#endif
