/* globals.h — process-wide state of the plugin, set by init() and cleared by destroy()
 * (plugin.c), read by every layer, and the clock. */
#ifndef JANUS_TS_GLOBALS_H
#define JANUS_TS_GLOBALS_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <plugins/plugin.h>
#include "jcfg.h"

#define TS_VERSION		1
#define TS_VERSION_STRING	"0.1.0"
#define TS_DESCRIPTION		"janus-ts: plugins in TypeScript, packets routed by a WebAssembly router"
#define TS_AUTHOR		"janus-ts"

extern janus_callbacks *ts_gateway;	/* borrowed from Janus, set by init() */
extern janus_plugin *ts_self;		/* the callbacks table handed to Janus (plugin.c) */
extern ts_config ts_cfg;		/* loaded by init() */
extern _Atomic int ts_running;		/* 1 between init() and destroy() */

/* Milliseconds of CLOCK_MONOTONIC_COARSE (a few ns to read, ticks every 1–10 ms): read
 * once per packet. The router only needs ms for PLI throttles and the timestamp step of a
 * source switch. */
static inline int64_t ts_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

#endif
