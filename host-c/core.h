/* core.h — state shared by the plugin core files (plugin.c, sessions.c, media.c, api.c,
 * recorder.c). One mutex, ts_lock, serializes every router call (a wasmtime store is
 * single-threaded) and guards the session tables; packet paths hold it through their
 * relays so a destroyed handle is never relayed to. Nothing holds it across a
 * control-plane round trip or a Janus call that may call back into the plugin. */
#ifndef JANUS_TS_CORE_H
#define JANUS_TS_CORE_H

#include <pthread.h>
#include <stdint.h>
#include <plugins/plugin.h>
#include "jcfg.h"

#define TS_VERSION		1
#define TS_VERSION_STRING	"0.1.0"
#define TS_DESCRIPTION		"janus-ts: plugins in TypeScript, packets routed by a WebAssembly router"
#define TS_AUTHOR		"janus-ts"

extern janus_callbacks *ts_gateway;	/* borrowed from Janus, set by init() */
extern janus_plugin ts_plugin;		/* the callbacks table handed to Janus */
extern ts_config ts_cfg;		/* loaded by init() */
extern pthread_mutex_t ts_lock;		/* router + session tables */
/* Read-held by packet threads while they relay (after ts_lock, taken before releasing it);
 * write-taken and released by ts_relays_barrier() to wait for relays under way. */
extern pthread_rwlock_t ts_relay_rw;
void ts_relays_barrier(void);
extern volatile int ts_running;	/* 1 between init() and destroy() */

/* Monotonic milliseconds: read once per packet. */
int64_t ts_now_ms(void);

#endif
