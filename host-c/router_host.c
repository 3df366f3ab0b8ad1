/* router_host.c — router.wasm run by wasmtime (C API, linked statically).
 *
 * One engine, one store, one instance: the store is single-threaded, so callers hold
 * ts_lock (core.h) around every rh_* call. Each call gets an epoch deadline; a timer
 * thread bumps the engine's epoch every RH_EPOCH_TICK_MS, so a runaway call is
 * interrupted after RH_DEADLINE_TICKS ticks instead of hanging a Janus thread.
 *
 * After a trap or an interrupt we keep using the instance. The router keeps its state in
 * flat tables written field by field, allocates nothing after configure(), and a trap
 * is a router bug (the ABI promises none for any input): the worst a trap can leave is
 * one half-updated record, which later control calls overwrite. Re-instantiating would
 * lose every route and valve of every live session for a single bad packet, and
 * resyncing them from the control app would put the control plane on the media path.
 * Traps and interrupts are counted (rh_host_stats) and logged at most once a second. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <wasm.h>
#include <wasmtime.h>
#include "router_host.h"
#include "router_abi.h"
#include "core.h"
#include "log.h"

#define RH_EPOCH_TICK_MS	10
/* 40–50 ms: far above any real call (~0.1–2 µs) so a Janus thread descheduled in the
 * middle of one on a loaded machine is not cut by mistake, short enough that a runaway
 * loop stalls one media thread only briefly. configure() may zero large tables: it gets
 * RH_LOAD_DEADLINE_TICKS. */
#define RH_DEADLINE_TICKS	5
#define RH_LOAD_DEADLINE_TICKS	3000

/* Export name and signature: parameters, '/', results (i = i32, I = i64). */
static const struct { const char *name; const char *sig; } rh_exports[RH_FN_COUNT] = {
	[RH_ABI_VERSION] = {"abi_version", "/i"},
	[RH_CONFIGURE] = {"configure", "ii/i"},
	[RH_IN_PTR] = {"in_ptr", "/i"}, [RH_IN_CAP] = {"in_cap", "/i"},
	[RH_OUT_PTR] = {"out_ptr", "/i"}, [RH_OUT_CAP] = {"out_cap", "/i"},
	[RH_RTP] = {"rtp", "iiiiI/i"}, [RH_RTCP] = {"rtcp", "iiiiI/i"},
	[RH_DATA] = {"data", "iiiI/i"}, [RH_TICK] = {"tick", "I/i"},
	[RH_SESSION_OPEN] = {"session_open", "/i"}, [RH_SESSION_CLOSE] = {"session_close", "i/i"},
	[RH_SESSION_START] = {"session_start", "i/i"}, [RH_SESSION_HANGUP] = {"session_hangup", "i/i"},
	[RH_SET_VALVE] = {"set_valve", "iiii/i"}, [RH_SET_BITRATE] = {"set_bitrate", "ii/i"},
	[RH_SET_PLI_FREQ] = {"set_pli_freq", "ii/i"}, [RH_SET_DATA_READY] = {"set_data_ready", "ii/i"},
	[RH_SET_RECORDING] = {"set_recording", "iii/i"},
	[RH_SET_PLI_MIN_INTERVAL] = {"set_pli_min_interval", "i/i"},
	[RH_ROUTE_ADD] = {"route_add", "iiii/i"}, [RH_ROUTE_REMOVE] = {"route_remove", "iiii/i"},
	[RH_SET_STREAMS] = {"set_streams", "iiII/i"}, [RH_STREAM_RESOLVE] = {"stream_resolve", "iii/i"},
	[RH_ROUTE_COUNT] = {"route_count", "i/i"}, [RH_ROUTES_PTR] = {"routes_ptr", "i/i"},
	[RH_SESSION_STATE] = {"session_state", "i/i"},
	[RH_SESSION_STATS_PTR] = {"session_stats_ptr", "i/i"},
	[RH_STREAM_STATS_PTR] = {"stream_stats_ptr", "ii/i"},
	[RH_GLOBAL_STATS_PTR] = {"global_stats_ptr", "/i"},
};

static struct {
	wasm_engine_t *engine;		/* owned */
	wasmtime_module_t *module;	/* owned */
	wasmtime_store_t *store;	/* owned */
	wasmtime_context_t *ctx;	/* borrowed from store */
	wasmtime_func_t funcs[RH_FN_COUNT];
	wasmtime_memory_t memory;
	uint32_t in_ptr, in_cap, out_ptr, out_cap;
	wasmtime_instance_t instance;
	GThread *epoch_thread;		/* owned, joined by rh_unload */
	volatile gint epoch_stop;
	uint64_t deadline;		/* epoch ticks per call */
	uint64_t calls, traps, interrupts;
	char last_trap[160];
	ts_ratelimit trap_log;
	uint8_t *base;			/* linear memory base: fixed (memory_may_move = false) */
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

static void log_error(const char *what, wasmtime_error_t *err, wasm_trap_t *trap)
{
	wasm_byte_vec_t msg = {0};
	if (err) wasmtime_error_message(err, &msg);
	else if (trap) wasm_trap_message(trap, &msg);
	TS_LOG(LOG_ERR, "%s: %.*s\n", what, (int)msg.size, msg.data ? msg.data : "");
	wasm_byte_vec_delete(&msg);
	if (err) wasmtime_error_delete(err);
	if (trap) wasm_trap_delete(trap);
}

static bool sig_matches(wasmtime_func_t *f, const char *sig)
{
	wasm_functype_t *ft = wasmtime_func_type(rh.ctx, f);
	const wasm_valtype_vec_t *p = wasm_functype_params(ft), *r = wasm_functype_results(ft);
	const char *slash = strchr(sig, '/');
	size_t np = slash - sig, nr = strlen(slash + 1);
	bool ok = p->size == np && r->size == nr;
	for (size_t i = 0; ok && i < np; i++)
		ok = wasm_valtype_kind(p->data[i]) == (sig[i] == 'I' ? WASM_I64 : WASM_I32);
	for (size_t i = 0; ok && i < nr; i++)
		ok = wasm_valtype_kind(r->data[i]) == (slash[1 + i] == 'I' ? WASM_I64 : WASM_I32);
	wasm_functype_delete(ft);
	return ok;
}

static int lookup_exports(const char *path)
{
	wasmtime_extern_t ext;
	if (!wasmtime_instance_export_get(rh.ctx, &rh.instance, "memory", 6, &ext) || ext.kind != WASMTIME_EXTERN_MEMORY) {
		TS_LOG(LOG_ERR, "%s does not export its memory as \"memory\"\n", path);
		return -1;
	}
	rh.memory = ext.of.memory;
	for (int i = 0; i < RH_FN_COUNT; i++) {
		const char *name = rh_exports[i].name;
		if (!wasmtime_instance_export_get(rh.ctx, &rh.instance, name, strlen(name), &ext) || ext.kind != WASMTIME_EXTERN_FUNC) {
			TS_LOG(LOG_ERR, "%s does not export function %s (router ABI %d)\n", path, name, TS_ROUTER_ABI_VERSION);
			return -1;
		}
		rh.funcs[i] = ext.of.func;
		if (!sig_matches(&rh.funcs[i], rh_exports[i].sig)) {
			TS_LOG(LOG_ERR, "%s: export %s has the wrong signature (want %s, i = i32, I = i64)\n", path, name, rh_exports[i].sig);
			return -1;
		}
	}
	return 0;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	gchar *data = NULL;
	gsize n = 0;
	GError *gerr = NULL;
	if (!g_file_get_contents(path, &data, &n, &gerr)) {
		TS_LOG(LOG_ERR, "cannot read router %s: %s\n", path, gerr ? gerr->message : "?");
		if (gerr) g_error_free(gerr);
		return NULL;
	}
	*len = n;
	return (uint8_t *)data;
}

int rh_load(const char *path, uint32_t max_sessions, uint32_t max_routes, uint32_t pli_min_interval_ms)
{
	memset(&rh, 0, sizeof(rh));
	size_t len = 0;
	uint8_t *bytes = read_file(path, &len);
	if (!bytes) return -1;
	wasm_config_t *cfg = wasm_config_new();
	wasmtime_config_epoch_interruption_set(cfg, true);
	/* The linear memory lives in one fixed reservation and never moves when it grows,
	 * so its base address is read once after instantiation instead of per packet. */
	wasmtime_config_memory_may_move_set(cfg, false);
	rh.engine = wasm_engine_new_with_config(cfg);	/* takes cfg */
	wasmtime_error_t *err = wasmtime_module_new(rh.engine, bytes, len, &rh.module);
	g_free(bytes);
	if (err) {
		log_error(path, err, NULL);
		goto fail;
	}
	rh.store = wasmtime_store_new(rh.engine, NULL, NULL);
	rh.ctx = wasmtime_store_context(rh.store);
	wasmtime_context_set_epoch_deadline(rh.ctx, 1000);	/* start function, if any */
	wasm_trap_t *trap = NULL;
	err = wasmtime_instance_new(rh.ctx, rh.module, NULL, 0, &rh.instance, &trap);
	if (err || trap) {
		log_error("cannot instantiate the router (it must have no imports)", err, trap);
		goto fail;
	}
	if (lookup_exports(path) < 0) goto fail;
	rh.base = wasmtime_memory_data(rh.ctx, &rh.memory);
	rh.loaded = true;	/* rh_call works from here */
	rh.deadline = RH_LOAD_DEADLINE_TICKS;
	rh.epoch_thread = g_thread_new("janus-ts epoch", epoch_loop, NULL);
	int32_t v = rh_call(RH_ABI_VERSION, 0, NULL);
	if (v != TS_ROUTER_ABI_VERSION) {
		TS_LOG(LOG_ERR, "router.wasm has ABI version %d, this plugin needs %d (%s)\n", v, TS_ROUTER_ABI_VERSION, path);
		goto fail;
	}
	int32_t a[2] = {(int32_t)max_sessions, (int32_t)max_routes};
	int32_t rc = rh_call(RH_CONFIGURE, 2, a);
	if (rc < 0) {
		TS_LOG(LOG_ERR, "router configure(max_sessions %u, max_routes %u) failed: %d\n", max_sessions, max_routes, rc);
		goto fail;
	}
	int32_t pli = (int32_t)pli_min_interval_ms;
	rh_call(RH_SET_PLI_MIN_INTERVAL, 1, &pli);
	rh.in_ptr = rh_call(RH_IN_PTR, 0, NULL);
	rh.in_cap = rh_call(RH_IN_CAP, 0, NULL);
	rh.out_ptr = rh_call(RH_OUT_PTR, 0, NULL);
	rh.out_cap = rh_call(RH_OUT_CAP, 0, NULL);
	rh.deadline = RH_DEADLINE_TICKS;
	size_t size = 0;
	if (rh_mem(&size) != rh.base) {
		TS_LOG(LOG_ERR, "router memory moved while growing; refusing (%s)\n", path);
		goto fail;
	}
	if ((uint64_t)rh.in_ptr + rh.in_cap > size || (uint64_t)rh.out_ptr + (uint64_t)rh.out_cap * TS_REC_SIZE > size || rh.in_cap < 256) {
		TS_LOG(LOG_ERR, "router buffers out of memory bounds (in %u+%u, out %u+%u×16, memory %zu)\n",
			rh.in_ptr, rh.in_cap, rh.out_ptr, rh.out_cap, size);
		goto fail;
	}
	TS_LOG(LOG_INFO, "router %s loaded (ABI %d, %u sessions, %u routes each)\n", path, v, max_sessions, max_routes);
	return 0;
fail:
	rh_unload();
	return -1;
}

void rh_unload(void)
{
	if (rh.epoch_thread) {
		g_atomic_int_set(&rh.epoch_stop, 1);
		g_thread_join(rh.epoch_thread);
	}
	if (rh.store) wasmtime_store_delete(rh.store);
	if (rh.module) wasmtime_module_delete(rh.module);
	if (rh.engine) wasm_engine_delete(rh.engine);
	memset(&rh, 0, sizeof(rh));
}

bool rh_loaded(void) { return rh.loaded; }

static void contain(rh_fn fn, wasmtime_error_t *err, wasm_trap_t *trap)
{
	wasmtime_trap_code_t code = 0;
	bool interrupted = trap && wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_INTERRUPT;
	if (interrupted) rh.interrupts++;
	else rh.traps++;
	wasm_byte_vec_t msg = {0};
	if (err) wasmtime_error_message(err, &msg);
	else wasm_trap_message(trap, &msg);
	snprintf(rh.last_trap, sizeof(rh.last_trap), "%s: %.*s", rh_exports[fn].name, (int)msg.size, msg.data ? msg.data : "");
	for (char *c = rh.last_trap; *c; c++)	/* one line for logs and JSON */
		if (*c == '\n') *c = ' ';
	uint64_t n = ts_ratelimit_allow(&rh.trap_log, ts_now_ms(), 1000);
	if (n)
		TS_LOG(LOG_ERR, "router %s in %s (%" PRIu64 " since last line; %" PRIu64 " traps, %" PRIu64 " interrupts in all), packet dropped: %s\n",
			interrupted ? "interrupted (ran past its deadline)" : "trapped", rh_exports[fn].name, n,
			rh.traps, rh.interrupts, rh.last_trap);
	wasm_byte_vec_delete(&msg);
	if (err) wasmtime_error_delete(err);
	if (trap) wasm_trap_delete(trap);
}

static int32_t call(rh_fn fn, wasmtime_val_raw_t *vals, size_t n)
{
	if (!rh.loaded) return RH_TRAPPED;
	wasm_trap_t *trap = NULL;
	rh.calls++;
	wasmtime_context_set_epoch_deadline(rh.ctx, rh.deadline);
	wasmtime_error_t *err = wasmtime_func_call_unchecked(rh.ctx, &rh.funcs[fn], vals, n, &trap);
	if (G_UNLIKELY(err || trap)) {
		contain(fn, err, trap);
		return RH_TRAPPED;
	}
	return vals[0].i32;
}

int32_t rh_call(rh_fn fn, int nargs, const int32_t *args)
{
	wasmtime_val_raw_t vals[6];
	memset(vals, 0, sizeof(vals));
	for (int i = 0; i < nargs && i < 6; i++) vals[i].i32 = args[i];
	return call(fn, vals, nargs > 1 ? nargs : 1);
}

int32_t rh_call_now(rh_fn fn, int nargs, const int32_t *args, int64_t now_ms)
{
	wasmtime_val_raw_t vals[6];
	for (int i = 0; i < nargs && i < 5; i++) vals[i].i32 = args[i];
	vals[nargs].i64 = now_ms;
	return call(fn, vals, nargs + 1);
}

int32_t rh_set_streams(int32_t slot, uint32_t count, uint64_t lo, uint64_t hi)
{
	wasmtime_val_raw_t vals[4];
	vals[0].i32 = slot;
	vals[1].i32 = (int32_t)count;
	vals[2].i64 = (int64_t)lo;
	vals[3].i64 = (int64_t)hi;
	return call(RH_SET_STREAMS, vals, 4);
}

uint8_t *rh_mem(size_t *size)
{
	*size = wasmtime_memory_data_size(rh.ctx, &rh.memory);
	return wasmtime_memory_data(rh.ctx, &rh.memory);
}

uint8_t *rh_mem_base(void)
{
	return rh.base;
}

uint32_t rh_in_ptr(void) { return rh.in_ptr; }
uint32_t rh_in_cap(void) { return rh.in_cap; }
uint32_t rh_out_ptr(void) { return rh.out_ptr; }
uint32_t rh_out_cap(void) { return rh.out_cap; }

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

json_t *rh_counters_json(uint32_t ptr, const char *const *names, int n)
{
	size_t size = 0;
	uint8_t *mem = rh_mem(&size);
	if (ptr == 0 || (uint64_t)ptr + 8u * n > size) return NULL;
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
	return json_pack("{sIsIsIss}", "calls", (json_int_t)rh.calls, "traps", (json_int_t)rh.traps,
		"interrupts", (json_int_t)rh.interrupts, "lastTrap", rh.last_trap);
}
