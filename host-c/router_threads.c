/* router_threads.c — see router_threads.h. */
#include <stdlib.h>
#include <string.h>
#include "router_threads.h"
#include "log.h"

static struct {
	pthread_mutex_t lock;		/* guards everything below, and changes of rh_threads_gen */
	bool running;
	wasm_engine_t *engine;		/* borrowed from router_host.c */
	wasmtime_instance_pre_t *pre;	/* borrowed */
	const uint8_t *base;
	size_t size;
	char *path;			/* owned, for logs */
	uint32_t max, next;		/* contexts 1..max-2 per thread, max-1 shared */
	uint32_t *free;			/* owned: indexes whose instance could not be made */
	uint32_t nfree, live, peak;
	rh_thread **all;		/* owned array of borrowed threads, by index */
	rh_thread **idle;		/* owned: instances of exited threads, for the next ones */
	uint32_t nidle;
	uint64_t made, reused;		/* instances created, instances handed to a later thread */
	pthread_key_t key;		/* its destructor frees a thread's instance */
	pthread_mutex_t shared_lock;
} th = {.lock = PTHREAD_MUTEX_INITIALIZER, .shared_lock = PTHREAD_MUTEX_INITIALIZER};

static rh_counts counts[TS_RCU_MAX_READERS];	/* by index: they outlive the threads */
__thread rh_thread *rh_tl_self __attribute__((tls_model("initial-exec")));
_Atomic uint64_t rh_threads_gen;

/* A thread ends: its instance (with its context and reader slot) waits for the next thread
 * that sends, which then starts at once instead of instantiating (7-90 µs measured, and one
 * at a time). Nothing of a packet survives a call, so the instance is as good as new. */
static void thread_exit(void *p)
{
	rh_thread *t = p;
	if (t->shared) return;
	pthread_mutex_lock(&th.lock);
	bool keep = t->gen == atomic_load(&rh_threads_gen) && th.running;
	if (keep) {
		th.all[t->index] = NULL;
		th.idle[th.nidle++] = t;
		th.live--;
	}
	pthread_mutex_unlock(&th.lock);
	if (!keep) {
		rh_instance_free(&t->inst);
		free(t);
	}
}

int rh_threads_start(wasm_engine_t *engine, wasmtime_instance_pre_t *pre, const uint8_t *base, size_t size,
	uint32_t max_threads, const char *path)
{
	pthread_mutex_lock(&th.lock);
	th.engine = engine;
	th.pre = pre;
	th.base = base;
	th.size = size;
	th.path = strdup(path);
	th.max = max_threads;
	th.next = 1;
	th.free = calloc(max_threads, sizeof(uint32_t));
	th.all = calloc(max_threads, sizeof(rh_thread *));
	th.idle = calloc(max_threads, sizeof(rh_thread *));
	th.nfree = th.live = th.peak = th.nidle = 0;
	th.made = th.reused = 0;
	int rc = pthread_key_create(&th.key, thread_exit);
	th.running = rc == 0;
	atomic_fetch_add(&rh_threads_gen, 1);
	pthread_mutex_unlock(&th.lock);
	return rc == 0 ? 0 : -1;
}

void rh_threads_stop(void)
{
	pthread_mutex_lock(&th.lock);
	if (!th.running) {
		pthread_mutex_unlock(&th.lock);
		return;
	}
	th.running = false;
	atomic_fetch_add(&rh_threads_gen, 1);
	pthread_key_delete(th.key);	/* no destructor runs from now on: what is left is freed here */
	for (uint32_t i = 0; i < th.max; i++) {
		if (!th.all[i]) continue;
		rh_instance_free(&th.all[i]->inst);	/* the struct stays: its thread may still hold it */
	}
	for (uint32_t i = 0; i < th.nidle; i++) {	/* no thread holds these */
		rh_instance_free(&th.idle[i]->inst);
		free(th.idle[i]);
	}
	free(th.idle);
	th.idle = NULL;
	th.nidle = 0;
	free(th.all);
	free(th.free);
	free(th.path);
	th.all = NULL;
	th.free = NULL;
	th.path = NULL;
	pthread_mutex_unlock(&th.lock);
}

/* th.lock held. A new instance on context `index`, or NULL. */
static rh_thread *make(uint32_t index)
{
	rh_thread *t = calloc(1, sizeof(*t));
	if (rh_instance_new(&t->inst, th.engine, th.pre, &counts[index], false, th.path) < 0 ||
	    rh_instance_attach(&t->inst, index, th.base, th.size) < 0) {
		rh_instance_free(&t->inst);
		free(t);
		return NULL;
	}
	t->index = index;
	t->reader = &ts_readers[index];
	t->gen = atomic_load(&rh_threads_gen);
	ts_rcu_use(index);
	th.all[index] = t;
	th.made++;
	return t;
}

/* th.lock held: one more thread holds its own instance. */
static void one_more_live(void)
{
	if (++th.live > th.peak) th.peak = th.live;
}

/* th.lock held: an idle instance, else a new one on the next free context, else the
 * shared last one. */
static rh_thread *take(void)
{
	if (th.nidle > 0) {
		rh_thread *t = th.idle[--th.nidle];
		th.all[t->index] = t;
		th.reused++;
		one_more_live();
		return t;
	}
	if (th.nfree > 0 || th.next < th.max - 1) {
		uint32_t index = th.nfree > 0 ? th.free[--th.nfree] : th.next++;
		rh_thread *t = make(index);
		if (t) one_more_live();
		else th.free[th.nfree++] = index;
		return t;
	}
	uint32_t last = th.max - 1;
	if (!th.all[last]) {
		TS_LOG(LOG_WARN, "more than %u packet threads: the extra ones share one router instance (raise max_threads)\n", th.max - 2);
		rh_thread *t = make(last);
		if (t) t->shared = &th.shared_lock;
	}
	return th.all[last];
}

rh_thread *rh_thread_attach(void)
{
	rh_thread *t;
	pthread_mutex_lock(&th.lock);
	t = th.running ? take() : NULL;
	if (t && !t->shared) {
		pthread_setspecific(th.key, t);
		ts_rcu_set_self((int)t->index);
	}
	pthread_mutex_unlock(&th.lock);
	rh_tl_self = t;
	return t;
}

void rh_threads_counts(uint64_t *calls, uint64_t *traps, uint64_t *interrupts)
{
	*calls = *traps = *interrupts = 0;
	for (int i = 0; i < TS_RCU_MAX_READERS; i++) {
		*calls += atomic_load_explicit(&counts[i].calls, memory_order_relaxed);
		*traps += atomic_load_explicit(&counts[i].traps, memory_order_relaxed);
		*interrupts += atomic_load_explicit(&counts[i].interrupts, memory_order_relaxed);
	}
}

void rh_threads_live(uint32_t *live, uint32_t *peak, uint64_t *made, uint64_t *reused)
{
	pthread_mutex_lock(&th.lock);
	*live = th.live;
	*peak = th.peak;
	*made = th.made;
	*reused = th.reused;
	pthread_mutex_unlock(&th.lock);
}
