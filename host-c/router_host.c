/* router_host.c — see router_host.h.
 *
 * One engine (wasm threads and shared memories on, epoch interruption), one module, one
 * shared memory of up to 4 GiB reserved once (it never moves, so its base is read once),
 * one linker that supplies env.memory and env.sync, pre-instantiated so that a thread's
 * instance takes a few µs. A timer thread bumps the engine's epoch every RH_EPOCH_TICK_MS,
 * so a runaway call is interrupted after RH_DEADLINE_TICKS ticks instead of hanging a Janus
 * thread; configure() at load gets RH_LOAD_DEADLINE_TICKS. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "router_host.h"
#include "router_threads.h"
#include "router_abi.h"
#include "rcu.h"
#include "log.h"

#define RH_LOAD_DEADLINE_TICKS	3000
#define RH_MAX_PAGES		65536	/* 4 GiB: the memory's maximum, reserved up front */

static struct {
	wasm_engine_t *engine;		/* owned */
	wasmtime_module_t *module;	/* owned */
	wasmtime_sharedmemory_t *memory;	/* owned */
	wasmtime_linker_t *linker;	/* owned */
	wasmtime_instance_pre_t *pre;	/* owned */
	rh_instance control;		/* owned: thread context 0, under ts_core_lock */
	rh_counts control_counts;
	GThread *epoch_thread;		/* owned, joined by rh_unload */
	volatile gint epoch_stop;
	uint8_t *base;
	bool loaded;
} rh;

static gpointer epoch_loop(gpointer data)
{
	while (!g_atomic_int_get(&rh.epoch_stop)) {
		g_usleep(RH_EPOCH_TICK_MS * 1000);
		wasmtime_engine_increment_epoch(rh.engine);
	}
	return NULL;
}

/* env.sync: a grace period. Only control calls may ask (a packet call waiting on other
 * packet threads could wait on one that waits on it). The wait does not count against the
 * call's deadline. */
static wasm_trap_t *sync_import(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *args, size_t n)
{
	wasmtime_context_t *ctx = wasmtime_caller_context(caller);
	if (ctx != rh.control.ctx) return wasmtime_trap_new("sync from a packet call", 23);
	ts_rcu_sync();
	wasmtime_context_set_epoch_deadline(ctx, rh.control.deadline);
	return NULL;
}

static void log_error(const char *what, wasmtime_error_t *err)
{
	wasm_byte_vec_t msg = {0};
	wasmtime_error_message(err, &msg);
	TS_LOG(LOG_ERR, "%s: %.*s\n", what, (int)msg.size, msg.data ? msg.data : "");
	wasm_byte_vec_delete(&msg);
	wasmtime_error_delete(err);
}

static wasm_engine_t *new_engine(void)
{
	wasm_config_t *cfg = wasm_config_new();
	wasmtime_config_epoch_interruption_set(cfg, true);
	wasmtime_config_wasm_threads_set(cfg, true);
	wasmtime_config_shared_memory_set(cfg, true);
	if (getenv("JANUS_TS_PERFMAP")) wasmtime_config_profiler_set(cfg, WASMTIME_PROFILING_STRATEGY_PERFMAP);
	return wasm_engine_new_with_config(cfg);	/* takes cfg */
}

/* Module, shared memory, linker (env.memory, env.sync), pre-instantiation. */
static int link(const char *path, const uint8_t *bytes, size_t len)
{
	wasmtime_error_t *err = wasmtime_module_new(rh.engine, bytes, len, &rh.module);
	if (err) { log_error(path, err); return -1; }
	wasm_memorytype_t *mt = NULL;
	err = wasmtime_memorytype_new(1, true, RH_MAX_PAGES, false, true, 16, &mt);
	if (!err) err = wasmtime_sharedmemory_new(rh.engine, mt, &rh.memory);
	if (mt) wasm_memorytype_delete(mt);
	if (err) { log_error("cannot create the router's shared memory", err); return -1; }
	rh.base = wasmtime_sharedmemory_data(rh.memory);
	rh.linker = wasmtime_linker_new(rh.engine);
	wasmtime_store_t *scratch = wasmtime_store_new(rh.engine, NULL, NULL);	/* define() wants a store */
	wasmtime_extern_t mem = {.kind = WASMTIME_EXTERN_SHAREDMEMORY, .of.sharedmemory = rh.memory};
	err = wasmtime_linker_define(rh.linker, wasmtime_store_context(scratch), "env", 3, "memory", 6, &mem);
	wasmtime_store_delete(scratch);
	wasm_functype_t *ft = wasm_functype_new_0_0();
	if (!err) err = wasmtime_linker_define_func_unchecked(rh.linker, "env", 3, "sync", 4, ft, sync_import, NULL, NULL);
	wasm_functype_delete(ft);
	if (!err) err = wasmtime_linker_instantiate_pre(rh.linker, rh.module, &rh.pre);
	if (err) { log_error("cannot link the router (imports: env.memory, env.sync)", err); return -1; }
	return 0;
}

/* abi_version, configure, pli_min_interval, attach(0) on the control instance. */
static int configure(const char *path, uint32_t max_sessions, uint32_t max_routes, uint32_t max_threads,
	uint32_t max_forwarders, uint32_t pli_ms)
{
	rh.control.deadline = RH_LOAD_DEADLINE_TICKS;
	int32_t v = rh_call(RH_ABI_VERSION, 0, NULL);
	if (v != TS_ROUTER_ABI_VERSION) {
		TS_LOG(LOG_ERR, "router.wasm has ABI version %d, this plugin needs %d (%s)\n", v, TS_ROUTER_ABI_VERSION, path);
		return -1;
	}
	int32_t a[4] = {(int32_t)max_sessions, (int32_t)max_routes, (int32_t)max_threads, (int32_t)max_forwarders};
	int32_t rc = rh_call(RH_CONFIGURE, 4, a);
	if (rc < 0) {
		TS_LOG(LOG_ERR, "router configure(max_sessions %u, max_routes %u, max_threads %u, max_forwarders %u) failed: %d\n",
			max_sessions, max_routes, max_threads, max_forwarders, rc);
		return -1;
	}
	int32_t pli = (int32_t)pli_ms;
	rh_call(RH_SET_PLI_MIN_INTERVAL, 1, &pli);
	rh.control.deadline = RH_DEADLINE_TICKS;
	size_t size = 0;
	if (rh_mem(&size) != rh.base) {
		TS_LOG(LOG_ERR, "router memory moved while growing; refusing (%s)\n", path);
		return -1;
	}
	return rh_instance_attach(&rh.control, 0, rh.base, size);
}

int rh_load(const char *path, uint32_t max_sessions, uint32_t max_routes, uint32_t max_threads,
	uint32_t max_forwarders, uint32_t pli_min_interval_ms)
{
	memset(&rh, 0, sizeof(rh));
	gchar *bytes = NULL;
	gsize len = 0;
	GError *gerr = NULL;
	if (!g_file_get_contents(path, &bytes, &len, &gerr)) {
		TS_LOG(LOG_ERR, "cannot read router %s: %s\n", path, gerr ? gerr->message : "?");
		if (gerr) g_error_free(gerr);
		return -1;
	}
	rh.engine = new_engine();
	int rc = link(path, (const uint8_t *)bytes, len);
	g_free(bytes);
	if (rc < 0 || rh_instance_new(&rh.control, rh.engine, rh.pre, &rh.control_counts, true, path) < 0) goto fail;
	rh.control.arm_each_call = true;	/* rare calls, some long (configure, sync) */
	rh.loaded = true;	/* rh_call works from here */
	rh.epoch_thread = g_thread_new("janus-ts epoch", epoch_loop, NULL);
	if (configure(path, max_sessions, max_routes, max_threads, max_forwarders, pli_min_interval_ms) < 0) goto fail;
	size_t size = 0;
	rh_mem(&size);
	if (rh_threads_start(rh.engine, rh.pre, rh.base, size, max_threads, path) < 0) goto fail;
	TS_LOG(LOG_INFO, "router %s loaded (ABI %d, %u sessions, %u routes each, %u thread contexts, %u forwarders)\n",
		path, TS_ROUTER_ABI_VERSION, max_sessions, max_routes, max_threads, max_forwarders);
	return 0;
fail:
	rh_unload();
	return -1;
}

void rh_unload(void)
{
	rh_threads_stop();
	if (rh.epoch_thread) {
		g_atomic_int_set(&rh.epoch_stop, 1);
		g_thread_join(rh.epoch_thread);
	}
	rh_instance_free(&rh.control);
	if (rh.pre) wasmtime_instance_pre_delete(rh.pre);
	if (rh.linker) wasmtime_linker_delete(rh.linker);
	if (rh.memory) wasmtime_sharedmemory_delete(rh.memory);
	if (rh.module) wasmtime_module_delete(rh.module);
	if (rh.engine) wasm_engine_delete(rh.engine);
	memset(&rh, 0, sizeof(rh));
}

bool rh_loaded(void) { return rh.loaded; }

int32_t rh_call(rh_fn fn, int nargs, const int32_t *args)
{
	if (!rh.loaded) return RH_TRAPPED;
	return rh_instance_call_i32(&rh.control, fn, nargs, args);
}

int32_t rh_set_streams(int32_t slot, uint32_t count, uint64_t lo, uint64_t hi)
{
	if (!rh.loaded) return RH_TRAPPED;
	wasmtime_val_raw_t vals[4];
	vals[0].i32 = slot;
	vals[1].i32 = (int32_t)count;
	vals[2].i64 = (int64_t)lo;
	vals[3].i64 = (int64_t)hi;
	return rh_instance_call(&rh.control, RH_SET_STREAMS, vals, 4);
}

uint8_t *rh_blob(size_t *cap)
{
	*cap = rh.loaded ? rh.control.in_cap : 0;
	return rh.loaded ? rh.control.in : NULL;
}

int32_t rh_talk_score(int32_t slot, int32_t mindex, int64_t now_ms, int64_t max_age_ms)
{
	if (!rh.loaded) return RH_TRAPPED;
	wasmtime_val_raw_t vals[4];
	vals[0].i32 = slot;
	vals[1].i32 = mindex;
	vals[2].i64 = now_ms;
	vals[3].i64 = max_age_ms;
	return rh_instance_call(&rh.control, RH_TALK_SCORE, vals, 4);
}

const uint8_t *rh_routes(int32_t slot, int32_t *n)
{
	*n = 0;
	int32_t count = rh_call(RH_ROUTE_COUNT, 1, &slot);
	int32_t ptr = count > 0 ? rh_call(RH_ROUTES_PTR, 1, &slot) : 0;
	size_t size = 0;
	const uint8_t *mem = rh_mem(&size);
	if (count <= 0 || ptr <= 0 || (uint64_t)(uint32_t)ptr + (uint64_t)count * TS_ROUTE_SIZE > size) return NULL;
	*n = count;
	return mem + (uint32_t)ptr;
}

uint8_t *rh_mem(size_t *size)
{
	*size = rh.memory ? wasmtime_sharedmemory_data_size(rh.memory) : 0;
	return rh.base;
}

json_t *rh_counters_json(uint32_t ptr, const char *const *names, int n)
{
	size_t size = 0;
	uint8_t *mem = rh_mem(&size);
	if (!mem || ptr == 0 || (uint64_t)ptr + 8u * n > size) return NULL;
	json_t *o = json_object();
	for (int i = 0; i < n; i++) {
		uint64_t v;
		memcpy(&v, mem + ptr + 8u * i, 8);	/* little-endian host, as Wasm */
		json_object_set_new(o, names[i], json_integer((json_int_t)v));
	}
	return o;
}

json_t *rh_host_stats(void)
{
	uint64_t calls, traps, interrupts;
	uint32_t live = 0, peak = 0;
	uint64_t made = 0, reused = 0;
	rh_threads_counts(&calls, &traps, &interrupts);
	rh_threads_live(&live, &peak, &made, &reused);
	calls += atomic_load(&rh.control_counts.calls);
	traps += atomic_load(&rh.control_counts.traps);
	interrupts += atomic_load(&rh.control_counts.interrupts);
	char last[160];
	rh_trap_text(last, sizeof(last));
	return json_pack("{sIsIsIsssisisIsI}", "calls", (json_int_t)calls, "traps", (json_int_t)traps,
		"interrupts", (json_int_t)interrupts, "lastTrap", last, "threads", (int)live, "threadsPeak", (int)peak,
		"threadInstancesMade", (json_int_t)made, "threadInstancesReused", (json_int_t)reused);
}
