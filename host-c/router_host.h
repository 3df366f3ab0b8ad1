/* router_host.h — router.wasm in wasmtime: the engine, the module, the shared memory every
 * instance imports, the `sync` import (a grace period, rcu.h), the epoch thread, and the
 * control instance. rh_call and the memory readers below are for control calls: the caller
 * holds ts_core_lock (sessions.h), which serializes them. Packet threads have their own
 * instances (router_threads.h). */
#ifndef JANUS_TS_ROUTER_HOST_H
#define JANUS_TS_ROUTER_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "router_instance.h"

/* Loads the module, creates the shared memory, instantiates the control instance, checks
 * abi_version(), calls configure(), attaches thread context 0, starts the thread instances
 * and the epoch thread. 0 on success; -1 with the reason logged. */
int rh_load(const char *path, uint32_t max_sessions, uint32_t max_routes, uint32_t max_threads,
	uint32_t max_forwarders, uint32_t pli_min_interval_ms);
/* Only once no packet can be in the router (ts_running is 0 and a ts_rcu_sync passed). */
void rh_unload(void);
bool rh_loaded(void);

/* A control call: up to 6 i32 arguments. Returns the i32 result or RH_TRAPPED. */
int32_t rh_call(rh_fn fn, int nargs, const int32_t *args);
/* The control instance's in buffer, where set_codecs and set_simulcast read their blob
 * (*cap bytes); NULL when not loaded. Write it, then make the call. */
uint8_t *rh_blob(size_t *cap);
/* talk_score(slot, mindex, now_ms, max_age_ms). */
int32_t rh_talk_score(int32_t slot, int32_t mindex, int64_t now_ms, int64_t max_age_ms);
/* set_streams(slot, count, lo, hi): the descriptor bytes of m-lines 0..7 in lo, 8..15 in hi. */
int32_t rh_set_streams(int32_t slot, uint32_t count, uint64_t lo, uint64_t hi);

/* The published route records (TS_ROUTE_SIZE bytes each) whose sender is `slot`,
 * bounds-checked: *n of them (0 when none or on error); valid until the next control call. */
const uint8_t *rh_routes(int32_t slot, int32_t *n);

/* The shared memory (base fixed for the plugin's life; size after configure). */
uint8_t *rh_mem(size_t *size);

/* Copies n u64 counters at ptr (bounds-checked) into a new JSON object with the given
 * names; NULL if out of bounds. */
json_t *rh_counters_json(uint32_t ptr, const char *const *names, int n);

/* {calls, traps, interrupts, lastTrap, threads, threadsPeak, threadInstancesMade,
 * threadInstancesReused} of the host's own counting. */
json_t *rh_host_stats(void);
#endif
