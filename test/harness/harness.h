/* harness.h — shared by the fake Janus core files (fake_core.c callbacks, commands.c
 * script runner, fake_janus.c janus_* helpers). */
#ifndef TS_HARNESS_H
#define TS_HARNESS_H
#include <glib.h>
#include <jansson.h>
#include <plugins/plugin.h>

typedef struct fake_handle {
	janus_plugin_session ps;	/* first: callbacks get &ps */
	char name[32];
} fake_handle;

extern GHashTable *handles;		/* name → fake_handle* (holds the core's reference) */
extern janus_callbacks callbacks;	/* printing callbacks */
void handle_free(const janus_refcount *ref);
extern volatile int quiet;		/* relay_rtp counts instead of printing */
extern volatile long quiet_relays;

/* Prints one JSON line on stdout (thread-safe) and frees o. */
void emit(json_t *o);
#endif
