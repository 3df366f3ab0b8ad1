/* jcfg.h — janus.plugin.ts.jcfg (group `general`), with environment overrides for
 * harnesses: JANUS_TS_ROUTER (router path), JANUS_TS_CONFIG_DIR (folder of the jcfg). */
#ifndef JANUS_TS_JCFG_H
#define JANUS_TS_JCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TS_DEFAULT_PACKAGE	"janus.plugin.ts"
#define TS_DEFAULT_NAME		"JANUS TypeScript plugin"
#define TS_DEFAULT_ROUTER	"/usr/share/janus-ts/router.wasm"
#define TS_CONFIG_FILE		"janus.plugin.ts.jcfg"
#define TS_DEFAULT_RECORDINGS	"/tmp"
#define TS_MAX_ALLOWED_UIDS	16
#define TS_SETUP_TIMEOUT_DEFAULT	500	/* ms setup_media waits for the app's setupMedia */

typedef struct ts_config {
	char *router;			/* owned: path to router.wasm */
	char *package;			/* owned: e.g. "janus.plugin.echotest" to stand in for it */
	char *name;			/* owned */
	unsigned max_sessions;		/* default 1024 */
	unsigned max_routes;		/* per sender session, default 64 */
	unsigned max_threads;		/* router instances for packet threads, 0 = max_sessions + 8 */
	unsigned pli_min_interval_ms;	/* default 1000 */
	unsigned max_forwarders;	/* RTP forwarders at once, default 256 */
	char *control_socket;		/* owned, NULL = none */
	unsigned control_socket_mode;	/* default 0600 */
	char *control_token;		/* owned, NULL = none */
	uid_t control_allowed_uids[TS_MAX_ALLOWED_UIDS];	/* peers that may connect */
	unsigned n_control_allowed_uids;	/* 0 = the default: Janus's own uid and root */
	unsigned control_max_rate;	/* frames per second a connection may send, 0 = no limit; default 10000 */
	size_t control_max_frame;	/* default 1 MiB */
	size_t control_queue_bytes;	/* default 8 MiB */
	int message_timeout_ms;		/* default 5000 */
	int query_timeout_ms;		/* default 1000 */
	int setup_timeout_ms;		/* default 500; 0 = setupMedia is only notified */
	char *app_command;		/* owned, NULL = none */
	char *app_config;		/* owned, NULL = "" */
	char *recordings_folder;	/* owned: recordings are written only under it; default /tmp */
	bool events;			/* default true: notify_event to Janus event handlers */
	char *problem;			/* owned, NULL = all values usable; else each invalid value
					 * (kept at its default) and what to do, "; "-separated */
} ts_config;

/* Fills *c with defaults, then the jcfg in config_dir (or $JANUS_TS_CONFIG_DIR), then
 * the environment. A value that cannot work (bad number, non-octal mode, unreadable
 * app_config file, unparsable file) is logged, keeps its default and is described in
 * c->problem. Returns -1 only when there is no router path. A missing file is not an
 * error (defaults). */
int ts_config_load(ts_config *c, const char *config_dir);
void ts_config_clear(ts_config *c);

#endif
