/* harness.h — shared by the fake Janus core files (fake_core.c callbacks, commands.c
 * script runner, fake_janus.c janus_* helpers). */
#ifndef TS_HARNESS_H
#define TS_HARNESS_H
#include <glib.h>
#include <jansson.h>
#include <plugins/plugin.h>
#include "../../host-c/ts_api.h"

typedef struct race_stream race_stream;
typedef struct fake_handle {
	janus_plugin_session ps;	/* first: callbacks get &ps */
	char name[32];
	volatile int gone;		/* stress: destroy_session returned, no relay may follow */
	race_stream *race;		/* race: where its deliveries are checked (race.c) */
} fake_handle;

extern GHashTable *handles;		/* name → fake_handle* (holds the core's reference) */
extern janus_callbacks callbacks;	/* printing callbacks */
void handle_free(const janus_refcount *ref);
extern volatile int quiet;		/* relay_rtp counts instead of printing */
extern volatile long quiet_relays;
extern volatile long relays_after_destroy;	/* relays to a handle whose destroy_session returned */

extern volatile long handles_freed;	/* handle_free calls (printed unless quiet) */

/* The plugin under test and the ts_api functions the stress command uses (commands.c). */
extern janus_plugin *callbacks_plugin;
typedef struct stress_api_table {
	json_t *(*snapshot)(void);
	json_t *(*session_info)(uint32_t);
	ts_err (*configure_medium)(uint32_t, ts_medium, ts_dir, bool);
	ts_err (*add_route)(uint32_t, int, uint32_t, int);
	ts_err (*remove_route)(uint32_t, int, uint32_t, int);
} stress_api_table;
extern stress_api_table stress_api;
void cmd_stress(int ms, int nthreads, int min_cycles);	/* stress.c */
void cmd_race(int ms, int min_cycles);			/* race.c */
void cmd_threadrtp(char **a, int n);			/* threads_cmd.c */
/* race.c: relay_rtp while a race runs (checks and records the delivery) */
extern volatile int race_mode;
void race_relay(fake_handle *h, janus_plugin_rtp *p);

/* stress.c: a handle attached and set up (NULL if create_session failed), and the id of
 * the newest session (the snapshot entry not in `known`, which it joins). */
fake_handle *harness_new_handle(const char *name);
uint32_t harness_newest_id(GHashTable *known);
void harness_detach(fake_handle *h);	/* stopped, destroy_session, then marked gone */

/* Prints one JSON line on stdout (thread-safe) and frees o. */
void emit(json_t *o);

/* commands.c, for media_cmds.c: a symbol of the plugin, a handle and a session id by name. */
void *harness_symbol(const char *name);
fake_handle *harness_handle(const char *name);
uint32_t harness_id(const char *name);
/* media_cmds.c: runs a media command (rtphex, simulcast, layer, talk, fwd, unfwd, fwds,
 * loudest, hex); 0 if `a` is not one. */
int media_command(char **a, int n);
extern volatile int print_hex;	/* relay_rtp prints the whole packet as "hex" */
#endif
