/* router_threads.h — one router instance per packet thread, taken on the thread's first
 * packet, kept in thread-local storage; when the thread exits, the instance waits for the
 * next new thread (one is made only when none waits: 7-90 µs, under a mutex). Each has its
 * own thread context in the shared memory (buffers, counters) and its own reader slot
 * (rcu.h), both numbered by `index`. Threads beyond max_threads share one last context
 * under a mutex (`shared`): correct, only not parallel. */
#ifndef JANUS_TS_ROUTER_THREADS_H
#define JANUS_TS_ROUTER_THREADS_H

#include <pthread.h>
#include "router_instance.h"
#include "rcu.h"

typedef struct rh_thread {
	rh_instance inst;		/* owned: store, exports, buffers */
	ts_reader *reader;		/* borrowed: ts_readers[index] */
	pthread_mutex_t *shared;	/* borrowed, NULL unless this is the shared last context */
	uint32_t index;			/* thread context and reader slot */
	uint64_t gen;			/* rh_threads_start generation it belongs to */
} rh_thread;

/* Called by rh_load (index 0 is the control instance's; threads get 1..max_threads-1). */
int  rh_threads_start(wasm_engine_t *engine, wasmtime_instance_pre_t *pre, const uint8_t *base, size_t size,
	uint32_t max_threads, const char *path);
/* Deletes every thread's store. Only once no packet can be using one (ts_running is 0 and a
 * ts_rcu_sync passed). */
void rh_threads_stop(void);

/* The calling thread's instance, created on first use; NULL if the router is not loaded or
 * the instance could not be made (logged). Inline: it runs once per packet. */
extern __thread rh_thread *rh_tl_self __attribute__((tls_model("initial-exec")));
extern _Atomic uint64_t rh_threads_gen;	/* bumped by start and stop: older instances are void */
rh_thread *rh_thread_attach(void);	/* the slow path: first packet of a thread, or a new gen */
static inline rh_thread *rh_thread_self(void)
{
	rh_thread *t = rh_tl_self;
	if (__builtin_expect(t && t->gen == atomic_load_explicit(&rh_threads_gen, memory_order_relaxed), 1)) return t;
	return rh_thread_attach();
}

/* Sums of the threads' rh_counts. */
void rh_threads_counts(uint64_t *calls, uint64_t *traps, uint64_t *interrupts);
/* Threads with an instance now, the peak, instances created, instances a thread took over
 * from one that had exited. */
void rh_threads_live(uint32_t *live, uint32_t *peak, uint64_t *made, uint64_t *reused);

#endif
