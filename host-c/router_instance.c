/* router_instance.c — see router_instance.h.
 *
 * After a trap or an interrupt the instance stays in use. The router keeps its state in
 * flat tables written field by field, allocates nothing after configure(), and a trap is a
 * router bug (the ABI promises none for any input): the worst a trap can leave is one
 * half-updated record, which later control calls overwrite, or a recipient-stream lock the
 * instance held, which `recover` releases right away. Re-instantiating would not undo the
 * record either (the memory is shared), and resyncing every session from the control app
 * would put the control plane on the media path. Traps and interrupts are counted and
 * logged at most once a second. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "router_instance.h"
#include "globals.h"
#include "log.h"

/* Export name and signature: parameters, '/', results (i = i32, I = i64). */
static const struct { const char *name; const char *sig; } exports[RH_FN_COUNT] = {
	[RH_ABI_VERSION] = {"abi_version", "/i"},
	[RH_CONFIGURE] = {"configure", "iiii/i"}, [RH_ATTACH] = {"attach", "i/i"}, [RH_RECOVER] = {"recover", "/i"},
	[RH_IN_PTR] = {"in_ptr", "/i"}, [RH_IN_CAP] = {"in_cap", "/i"},
	[RH_OUT_PTR] = {"out_ptr", "/i"}, [RH_OUT_CAP] = {"out_cap", "/i"},
	[RH_RTP] = {"rtp", "iiiiIi/i"}, [RH_RTCP] = {"rtcp", "iiiiI/i"},
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
	[RH_SET_CODECS] = {"set_codecs", "ii/i"}, [RH_SET_SIMULCAST] = {"set_simulcast", "ii/i"},
	[RH_SET_LAYERS] = {"set_layers", "iiii/i"}, [RH_LAYERS_STATE] = {"layers_state", "ii/i"},
	[RH_SET_TALK] = {"set_talk", "iiii/i"}, [RH_TALK_SCORE] = {"talk_score", "iiII/i"},
	[RH_FWD_ADD] = {"fwd_add", "iiii/i"}, [RH_FWD_REMOVE] = {"fwd_remove", "i/i"},
	[RH_FWD_STATS] = {"fwd_stats", "i/i"},
	[RH_SESSION_STATS] = {"session_stats", "i/i"},
	[RH_STREAM_STATS] = {"stream_stats", "ii/i"},
	[RH_GLOBAL_STATS] = {"global_stats", "/i"},
};

static struct {
	pthread_mutex_t lock;		/* guards the two below */
	char last_trap[160];
	ts_ratelimit log;
} traps = {.lock = PTHREAD_MUTEX_INITIALIZER};

static bool sig_matches(wasmtime_context_t *ctx, wasmtime_func_t *f, const char *sig)
{
	wasm_functype_t *ft = wasmtime_func_type(ctx, f);
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

static int lookup(rh_instance *in, wasmtime_instance_t *inst, bool check, const char *path)
{
	wasmtime_extern_t ext;
	for (int i = 0; i < RH_FN_COUNT; i++) {
		const char *name = exports[i].name;
		if (!wasmtime_instance_export_get(in->ctx, inst, name, strlen(name), &ext) || ext.kind != WASMTIME_EXTERN_FUNC) {
			TS_LOG(LOG_ERR, "%s does not export function %s\n", path, name);
			return -1;
		}
		in->funcs[i] = ext.of.func;
		if (check && !sig_matches(in->ctx, &in->funcs[i], exports[i].sig)) {
			TS_LOG(LOG_ERR, "%s: export %s has the wrong signature (want %s, i = i32, I = i64)\n", path, name, exports[i].sig);
			return -1;
		}
	}
	return 0;
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

static int64_t thread_cpu_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A call ran past its epoch deadline (wall time): interrupt it if its thread burnt
 * RH_CPU_BUDGET_MS of CPU since it first got here, else give it another deadline. */
static wasmtime_error_t *on_deadline(wasmtime_context_t *ctx, void *data, uint64_t *delta,
	wasmtime_update_deadline_kind_t *kind)
{
	rh_instance *in = data;
	uint64_t call = atomic_load_explicit(&in->counts->calls, memory_order_relaxed);
	int64_t cpu = thread_cpu_ns();
	if (in->late_call != call) {
		in->late_call = call;
		in->late_cpu_ns = cpu;
	} else if (cpu - in->late_cpu_ns >= (int64_t)RH_CPU_BUDGET_MS * 1000000) {
		in->interrupted = true;
		return wasmtime_error_new("interrupted: the call ran past its deadline and burnt its CPU budget");
	}
	*delta = in->deadline;
	*kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
	return NULL;
}

int rh_instance_new(rh_instance *in, wasm_engine_t *engine, wasmtime_instance_pre_t *pre,
	rh_counts *counts, bool check, const char *path)
{
	memset(in, 0, sizeof(*in));
	in->store = wasmtime_store_new(engine, NULL, NULL);
	in->ctx = wasmtime_store_context(in->store);
	in->counts = counts;
	in->deadline = RH_DEADLINE_TICKS;
	wasmtime_store_epoch_deadline_callback(in->store, on_deadline, in, NULL);
	wasmtime_context_set_epoch_deadline(in->ctx, 1000);	/* start function */
	wasmtime_instance_t inst;
	wasm_trap_t *trap = NULL;
	wasmtime_error_t *err = wasmtime_instance_pre_instantiate(pre, in->ctx, &inst, &trap);
	if (err || trap) {
		log_error("cannot instantiate the router", err, trap);
		rh_instance_free(in);
		return -1;
	}
	if (lookup(in, &inst, check, path) < 0) {
		rh_instance_free(in);
		return -1;
	}
	wasmtime_context_set_epoch_deadline(in->ctx, in->deadline);
	return 0;
}

int rh_instance_attach(rh_instance *in, uint32_t index, const uint8_t *base, size_t size)
{
	int32_t a = (int32_t)index;
	int32_t rc = rh_instance_call_i32(in, RH_ATTACH, 1, &a);
	if (rc != 0) {
		TS_LOG(LOG_ERR, "router attach(%u) failed: %d\n", index, rc);
		return -1;
	}
	uint32_t ip = rh_instance_call_i32(in, RH_IN_PTR, 0, NULL), ic = rh_instance_call_i32(in, RH_IN_CAP, 0, NULL);
	uint32_t op = rh_instance_call_i32(in, RH_OUT_PTR, 0, NULL), oc = rh_instance_call_i32(in, RH_OUT_CAP, 0, NULL);
	if ((uint64_t)ip + ic > size || (uint64_t)op + (uint64_t)oc * 16 > size || ic < 1024 || op == 0) {
		TS_LOG(LOG_ERR, "router buffers of thread %u out of memory bounds (in %u+%u, out %u+%u×16, memory %zu)\n",
			index, ip, ic, op, oc, size);
		return -1;
	}
	in->in = (uint8_t *)base + ip;
	in->out = (uint8_t *)base + op;
	in->in_cap = ic;
	in->out_cap = oc;
	return 0;
}

void rh_instance_free(rh_instance *in)
{
	if (in->store) wasmtime_store_delete(in->store);
	memset(in, 0, sizeof(*in));
}

void rh_instance_contain(rh_instance *in, rh_fn fn, wasmtime_error_t *err, wasm_trap_t *trap)
{
	wasmtime_trap_code_t code = 0;
	bool interrupted = in->interrupted || (trap && wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_INTERRUPT);
	in->interrupted = false;
	rh_count(interrupted ? &in->counts->interrupts : &in->counts->traps);
	wasm_byte_vec_t msg = {0};
	if (err) wasmtime_error_message(err, &msg);
	else wasm_trap_message(trap, &msg);
	pthread_mutex_lock(&traps.lock);
	snprintf(traps.last_trap, sizeof(traps.last_trap), "%s: %.*s", exports[fn].name, (int)msg.size, msg.data ? msg.data : "");
	for (char *c = traps.last_trap; *c; c++)	/* one line for logs and JSON */
		if (*c == '\n') *c = ' ';
	uint64_t n = ts_ratelimit_allow(&traps.log, ts_now_ms(), 1000);
	if (n)
		TS_LOG(LOG_ERR, "router %s in %s (%" PRIu64 " since last line), packet dropped: %s\n",
			interrupted ? "interrupted (ran past its deadline)" : "trapped", exports[fn].name, n, traps.last_trap);
	pthread_mutex_unlock(&traps.lock);
	wasm_byte_vec_delete(&msg);
	if (err) wasmtime_error_delete(err);
	if (trap) wasm_trap_delete(trap);
	if (fn != RH_RECOVER) {	/* a lock this instance held must not stay held */
		wasmtime_val_raw_t v[1] = {{0}};
		rh_instance_call(in, RH_RECOVER, v, 1);
	}
}

int32_t rh_instance_call_i32(rh_instance *in, rh_fn fn, int nargs, const int32_t *args)
{
	wasmtime_val_raw_t vals[6];
	memset(vals, 0, sizeof(vals));
	for (int i = 0; i < nargs && i < 6; i++) vals[i].i32 = args[i];
	return rh_instance_call(in, fn, vals, nargs > 1 ? nargs : 1);
}

void rh_trap_text(char *buf, size_t len)
{
	pthread_mutex_lock(&traps.lock);
	snprintf(buf, len, "%s", traps.last_trap);
	pthread_mutex_unlock(&traps.lock);
}
