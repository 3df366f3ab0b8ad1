/* ts_control.h — the control socket server (control_*.c), as seen by the core.
 * Implemented by control_*.c. None of these block on the app except
 * ts_control_request(), whose wait is bounded by timeout_ms. */
#ifndef JANUS_TS_CONTROL_H
#define JANUS_TS_CONTROL_H

#include <stdbool.h>
#include <sys/types.h>
#include <jansson.h>

typedef struct ts_control_config {
	const char *socket_path;	/* control_socket (NULL/"" = no control socket) */
	unsigned int socket_mode;	/* control_socket_mode, default 0600 */
	const char *token;		/* control_token, NULL = none */
	const uid_t *allowed_uids;	/* control_allowed_uids: peers (SO_PEERCRED) let in */
	unsigned n_allowed_uids;	/* 0 = Janus's own uid and root */
	unsigned max_rate;		/* control_max_rate: frames/s per connection, 0 = no limit */
	const char *app_config;		/* app_config string handed to the app in hello */
	const char *app_command;	/* app_command: spawned and supervised when set */
	size_t max_frame;		/* control_max_frame, default 1 MiB */
	size_t queue_bytes;		/* control_queue_bytes, default 8 MiB */
	int message_timeout_ms;		/* default 5000 */
	int query_timeout_ms;		/* default 1000 */
	int setup_timeout_ms;		/* 0: setupMedia is only notified (the harnesses' zeroed config) */
	const char *config_error;	/* non-NULL: the jcfg's invalid values; then no socket
					 * and no app, and requests fail with this reason */
} ts_control_config;

/* 0 ok; -1 with the reason logged (and kept: requests to the app fail with it).
 * Copies what it keeps. */
int  ts_control_start(const ts_control_config *cfg);
void ts_control_stop(void);				/* sends "destroy", closes, joins, stops the app */

/* Fire-and-forget notification (steals params). Dropped and counted when no app is
 * connected or the outbound queue is full. */
void ts_control_notify(const char *event, json_t *params);

/* Request to the app and wait for its answer (steals params). Returns the result
 * (new reference) or NULL with *error_kind (static string: "NotConnected",
 * "Timeout", or the app's kind) and *reason (g_free it) set. */
json_t *ts_control_request(const char *method, json_t *params, int timeout_ms,
	const char **error_kind, char **reason);

/* Whether the connected app asked for this callback in hello's "wants". */
bool ts_control_wants(const char *callback);

bool ts_control_connected(void);
int  ts_control_message_timeout_ms(void);
int  ts_control_query_timeout_ms(void);
int  ts_control_setup_timeout_ms(void);
/* One setupMedia request answered (or not) after waited_ms: counted in stats. */
void ts_control_count_setup(int waited_ms, bool timed_out);
json_t *ts_control_stats(void);	/* {connected, framesIn, framesOut, dropped, badFrames, ...} */

#endif
