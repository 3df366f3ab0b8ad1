/* router_instance.h — one instance of router.wasm in its own wasmtime store, bound to one
 * thread context of the shared memory (attach). A store is used by one thread at a time:
 * the control instance under ts_core_lock, a packet thread's instance by that thread only.
 * Calls get an epoch deadline; traps and interrupts are contained and counted. */
#ifndef JANUS_TS_ROUTER_INSTANCE_H
#define JANUS_TS_ROUTER_INSTANCE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <wasm.h>
#include <wasmtime.h>
#include "rcu.h"

typedef enum rh_fn {
	RH_ABI_VERSION, RH_CONFIGURE, RH_ATTACH, RH_RECOVER, RH_IN_PTR, RH_IN_CAP, RH_OUT_PTR, RH_OUT_CAP,
	RH_RTP, RH_RTCP, RH_DATA, RH_TICK,
	RH_SESSION_OPEN, RH_SESSION_CLOSE, RH_SESSION_START, RH_SESSION_HANGUP,
	RH_SET_VALVE, RH_SET_BITRATE, RH_SET_PLI_FREQ, RH_SET_DATA_READY, RH_SET_RECORDING,
	RH_SET_PLI_MIN_INTERVAL, RH_ROUTE_ADD, RH_ROUTE_REMOVE, RH_SET_STREAMS, RH_STREAM_RESOLVE,
	RH_ROUTE_COUNT, RH_ROUTES_PTR,
	RH_SESSION_STATE, RH_SET_CODECS, RH_SET_SIMULCAST, RH_SET_LAYERS, RH_LAYERS_STATE,
	RH_SET_TALK, RH_TALK_SCORE, RH_FWD_ADD, RH_FWD_REMOVE,
	RH_SESSION_STATS, RH_STREAM_STATS, RH_GLOBAL_STATS, RH_FWD_STATS,
	RH_FN_COUNT
} rh_fn;

/* Returned by a call that trapped or was interrupted: the caller drops the packet (or fails
 * the control call); the instance stays in use (see router_instance.c). */
#define RH_TRAPPED INT32_MIN

/* The engine's epoch advances every RH_EPOCH_TICK_MS. An instance's deadline is
 * RH_DEADLINE_TICKS ahead; when a call meets it, the callback looks at the thread's CPU time
 * and arms the next one: a call is interrupted once it burnt RH_CPU_BUDGET_MS of CPU after
 * the first deadline it met. Wall time alone would kill calls of threads the OS merely
 * preempted. A packet instance's deadline is armed once and then only by that callback (an
 * idle thread's first call meets it at once, which costs one look at the CPU clock); the
 * control instance arms it before each call (`arm_each_call`). */
#define RH_EPOCH_TICK_MS	10
#define RH_DEADLINE_TICKS	5
#define RH_CPU_BUDGET_MS	40

/* Counted by the instance's thread, read by anyone (relaxed atomics). */
typedef struct rh_counts {
	_Atomic uint64_t calls, traps, interrupts;
} __attribute__((aligned(TS_LINE_PAIR))) rh_counts;	/* one line pair per thread (rcu.h): no false sharing */

typedef struct rh_instance {
	wasmtime_store_t *store;	/* owned */
	wasmtime_context_t *ctx;	/* borrowed from store */
	wasmtime_func_t funcs[RH_FN_COUNT];
	uint8_t *in, *out;		/* this thread context's buffers in the shared memory */
	uint32_t in_cap, out_cap;
	uint64_t deadline;		/* epoch ticks from one deadline to the next */
	bool arm_each_call;		/* set the deadline before each call, not only in the callback */
	rh_counts *counts;		/* borrowed: outlives the instance */
	uint64_t late_call;		/* the call that reached its deadline, by its calls count */
	int64_t late_cpu_ns;		/* the thread's CPU time when it did */
	bool interrupted;		/* the deadline callback cut the call short */
} rh_instance;

/* Instantiates from `pre` in a new store and looks the exports up; with `check`, also
 * checks their signatures (once, at load: every instance has the same module). Does not
 * attach. 0, or -1 with the reason logged (and nothing left to free). */
int rh_instance_new(rh_instance *in, wasm_engine_t *engine, wasmtime_instance_pre_t *pre,
	rh_counts *counts, bool check, const char *path);
/* Binds it to thread context `index` and reads its buffers; base = the memory's base. */
int rh_instance_attach(rh_instance *in, uint32_t index, const uint8_t *base, size_t size);
void rh_instance_free(rh_instance *in);

/* Counts, logs and recovers from a call that trapped or was interrupted; frees err/trap. */
void rh_instance_contain(rh_instance *in, rh_fn fn, wasmtime_error_t *err, wasm_trap_t *trap);

static inline void rh_count(_Atomic uint64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1, memory_order_relaxed);
}

/* One call into Wasm. vals holds the arguments (i32, and i64 for now_ms) and receives the
 * result. Returns the i32 result or RH_TRAPPED. Inline: it is on the packet path. */
static inline int32_t rh_instance_call(rh_instance *in, rh_fn fn, wasmtime_val_raw_t *vals, size_t nvals)
{
	wasm_trap_t *trap = NULL;
	rh_count(&in->counts->calls);
	if (in->arm_each_call) wasmtime_context_set_epoch_deadline(in->ctx, in->deadline);
	wasmtime_error_t *err = wasmtime_func_call_unchecked(in->ctx, &in->funcs[fn], vals, nvals, &trap);
	if (__builtin_expect(err || trap, 0)) {
		rh_instance_contain(in, fn, err, trap);
		return RH_TRAPPED;
	}
	return vals[0].i32;
}

/* Same with up to 5 i32 arguments. */
int32_t rh_instance_call_i32(rh_instance *in, rh_fn fn, int nargs, const int32_t *args);

/* The last trap's text and the log line limiter are process-wide. */
void rh_trap_text(char *buf, size_t len);

#endif
