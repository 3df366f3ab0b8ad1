/* router_host.h — router.wasm inside wasmtime: load, ABI check, one unchecked call per
 * packet, trap and epoch-interrupt containment.
 * Every rh_* function except rh_load/rh_unload must be called with ts_lock held. */
#ifndef JANUS_TS_ROUTER_HOST_H
#define JANUS_TS_ROUTER_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

typedef enum rh_fn {
	RH_ABI_VERSION, RH_CONFIGURE, RH_IN_PTR, RH_IN_CAP, RH_OUT_PTR, RH_OUT_CAP,
	RH_RTP, RH_RTCP, RH_DATA, RH_TICK,
	RH_SESSION_OPEN, RH_SESSION_CLOSE, RH_SESSION_START, RH_SESSION_HANGUP,
	RH_SET_VALVE, RH_SET_BITRATE, RH_SET_PLI_FREQ, RH_SET_DATA_READY, RH_SET_RECORDING,
	RH_SET_PLI_MIN_INTERVAL, RH_ROUTE_ADD, RH_ROUTE_REMOVE, RH_SET_STREAMS, RH_STREAM_RESOLVE,
	RH_ROUTE_COUNT, RH_ROUTES_PTR,
	RH_SESSION_STATE, RH_SESSION_STATS_PTR, RH_STREAM_STATS_PTR, RH_GLOBAL_STATS_PTR,
	RH_FN_COUNT
} rh_fn;

/* Returned by rh_call when the call trapped or was interrupted: the caller drops the
 * packet (or fails the control call); the instance stays in use (see router_host.c). */
#define RH_TRAPPED INT32_MIN

/* Loads and instantiates the module, checks abi_version(), calls configure() and reads
 * the buffers. Starts the epoch thread. 0 on success; -1 with the reason logged. */
int rh_load(const char *path, uint32_t max_sessions, uint32_t max_routes, uint32_t pli_min_interval_ms);
void rh_unload(void);
bool rh_loaded(void);

/* One call into Wasm: args are i32 except where the export takes now_ms (i64, passed as
 * the last argument by rh_call_now). Returns the i32 result or RH_TRAPPED. */
int32_t rh_call(rh_fn fn, int nargs, const int32_t *args);
int32_t rh_call_now(rh_fn fn, int nargs, const int32_t *args, int64_t now_ms);
/* set_streams(slot, count, lo, hi): the descriptor bytes of m-lines 0..7 in lo, 8..15 in hi. */
int32_t rh_set_streams(int32_t slot, uint32_t count, uint64_t lo, uint64_t hi);

/* Linear memory, valid until the next call (memory may grow). */
uint8_t *rh_mem(size_t *size);
/* Same without the size, for the packet path: the in/out buffers were bounds-checked
 * at load and memory never shrinks. */
uint8_t *rh_mem_base(void);
uint32_t rh_in_ptr(void);
uint32_t rh_in_cap(void);
uint32_t rh_out_ptr(void);
uint32_t rh_out_cap(void);

/* The route records (TS_ROUTE_SIZE bytes each) whose sender is `slot`, bounds-checked:
 * *n of them (0 when none or on error); valid until the next call. */
const uint8_t *rh_routes(int32_t slot, int32_t *n);

/* Copies n u64 counters at ptr (bounds-checked) into a new JSON object with the given
 * names; NULL if out of bounds. */
json_t *rh_counters_json(uint32_t ptr, const char *const *names, int n);

/* {calls, traps, interrupts, lastTrap} of the host's own counting. */
json_t *rh_host_stats(void);
#endif
