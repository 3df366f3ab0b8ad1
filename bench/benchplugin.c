/* benchplugin.c — libjanus_benchrunner.so, a bench-only Janus plugin. Loaded as the only
 * plugin of a Janus process, its init() starts a thread that dlopens ONE contender
 * (BENCH_CONTENDER), initializes it with the fake core, runs the scenarios, appends JSON
 * lines to BENCH_OUT and then asks Janus to exit (SIGTERM to itself). Every contender
 * thus runs Janus's real helper code (janus_rtp_header_update, ...).
 *
 * Environment (set by bench/run.sh):
 *   BENCH_CONTENDER  null | ref | ref-outside | lua | duktape | videoroom | ts
 *   BENCH_CONFDIR    folder with the contenders' jcfg files (not Janus's own)
 *   BENCH_OUT        results file (JSON lines, appended)
 *   BENCH_FANOUTS    e.g. "1,2,4,8,16,32,64,128,256"
 *   BENCH_DELIVERIES deliveries per rep (incoming packets = this / N, at least BENCH_MIN_IN)
 *   BENCH_MIN_IN     default 4000
 *   BENCH_REPS       reps per scenario, default 5
 *   BENCH_ROOM       "MxN" publishers x subscribers each, default "10x10"; "" or "none" = skip
 *   BENCH_THREADS    driving threads for the room, default 2
 *   BENCH_ROOM_COPY  1 (default): the room again with relays that copy the packet (core-like)
 *   BENCH_SCALE      1 (default): the room on 1 thread, then on BENCH_THREADS threads
 *                    (scenario "scale": delivered packets per second, side by side)
 *   BENCH_SCALE_DELIVERIES  deliveries per rep of "scale", default 1000000: long passes
 *                    (~10 ms for the fastest contender), so that waking the threads and
 *                    their finishing a few µs apart weigh the same for every contender
 *   BENCH_SWITCH     K for the switch scenario (fan-out BENCH_SWITCH_N), 0 = skip
 *   BENCH_SIMULCAST  fan-outs of the simulcast scenario, default "4,16,64"; "none" = skip
 *   BENCH_SIGNAL     signalling requests per kind, 0 = skip
 *   BENCH_SIGNAL_RATE  paced requests/s for the latency run (default 1000)
 *   BENCH_TS_LIB, BENCH_TS_SOCKET  our plugin and its control socket
 *   BENCH_TS_APP     command line of the Node app for ts signalling (bench/ts-app.ts); the
 *                    socket path is appended */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "driver.h"
#include "signalling.h"

#define LIBDIR "/usr/lib/x86_64-linux-gnu/janus/plugins/"

static GThread *runner;

static const char *env(const char *k, const char *dflt) {
	const char *v = getenv(k);
	return v && *v ? v : dflt;
}
static long envl(const char *k, long dflt) {
	const char *v = getenv(k);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

static contender *make_contender(const char *name, const char *confdir) {
	if(!strcmp(name, "ref")) return contender_ref_new(false);
	if(!strcmp(name, "ref-outside")) return contender_ref_new(true);
	if(!strcmp(name, "null")) return contender_null_new();
	if(!strcmp(name, "lua")) return contender_script_new("lua", LIBDIR "libjanus_lua.so", confdir);
	if(!strcmp(name, "duktape")) return contender_script_new("duktape", LIBDIR "libjanus_duktape.so", confdir);
	if(!strcmp(name, "videoroom")) return contender_videoroom_new(LIBDIR "libjanus_videoroom.so", confdir);
	if(!strcmp(name, "ts")) return contender_ts_new(env("BENCH_TS_LIB", ""), confdir, env("BENCH_TS_SOCKET", ""));
	JANUS_LOG(LOG_ERR, "bench: unknown contender %s\n", name);
	return NULL;
}

static void progress(const char *fmt, const char *c, int a, int b) {
	/* stderr, so run.sh shows a line per step even with Janus's log level low */
	fprintf(stderr, "bench: %-9s ", c);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

/* Simulcast: 1 publisher of three substreams -> N subscribers on targets i % 3, for the
 * contenders that can set targets (others get an error line). About a third of the
 * subscribers take each incoming packet. */
static void simulcast_runs(contender *c, const char *name, long deliveries, long min_in, long reps, FILE *out) {
	char **fan = g_strsplit(env("BENCH_SIMULCAST", "4,16,64"), ",", -1);
	for(int i = 0; fan[i]; i++) {
		int n = atoi(fan[i]);
		if(n <= 0) continue;
		if(!c->publish_simulcast || !c->subscribe_layer) {
			fprintf(out, "{\"contender\":\"%s\",\"scenario\":\"simulcast\",\"error\":\"no simulcast targets in this contender's bench driver\"}\n", name);
			break;
		}
		long per = n / 3 > 0 ? n / 3 : 1;
		long in = deliveries / per > min_in ? deliveries / per : min_in;
		scenario s = { "simulcast", 1, n, 1, 0, (uint64_t)in, (int)reps, true };
		progress("simulcast 1 -> %d, targets i %% 3 (%d incoming/rep)", name, n, (int)in);
		driver_run(c, &s, out);
	}
	g_strfreev(fan);
}

static gpointer run(gpointer data) {
	const char *name = env("BENCH_CONTENDER", "ref");
	const char *out_path = env("BENCH_OUT", "/tmp/bench.jsonl");
	FILE *out = fopen(out_path, "a");
	if(!out) {
		JANUS_LOG(LOG_FATAL, "bench: cannot open %s\n", out_path);
		kill(getpid(), SIGTERM);
		return NULL;
	}
	contender *c = make_contender(name, env("BENCH_CONFDIR", "."));
	if(!c) {
		fprintf(out, "{\"contender\":\"%s\",\"error\":\"unavailable (see the Janus log)\"}\n", name);
		fclose(out);
		kill(getpid(), SIGTERM);
		return NULL;
	}
	long reps = envl("BENCH_REPS", 5), deliveries = envl("BENCH_DELIVERIES", 200000), min_in = envl("BENCH_MIN_IN", 4000);
	char **fan = g_strsplit(env("BENCH_FANOUTS", "1,2,4,8,16,32,64,128,256"), ",", -1);
	for(int i = 0; fan[i]; i++) {
		int n = atoi(fan[i]);
		if(n <= 0) continue;
		long in = deliveries / n > min_in ? deliveries / n : min_in;
		scenario s = { "fanout", 1, n, 1, 0, (uint64_t)in, (int)reps, false };
		progress("fan-out 1 -> %d (%d incoming/rep)", name, n, (int)in);
		driver_run(c, &s, out);
	}
	g_strfreev(fan);
	int m = 0, n = 0;
	/* BENCH_ROOM set but empty (or "none") skips the room */
	const char *room = getenv("BENCH_ROOM") ? getenv("BENCH_ROOM") : "10x10";
	if(sscanf(room, "%dx%d", &m, &n) == 2 && m > 0 && n > 0) {
		long in = deliveries / n > min_in ? deliveries / n : min_in;
		scenario s = { "room", m, n, (int)envl("BENCH_THREADS", 2), 0, (uint64_t)in, (int)reps, false };
		progress("room %d x %d", name, m, n);
		driver_run(c, &s, out);
		if(envl("BENCH_SCALE", 1)) {
			scenario sc = s;
			sc.name = "scale";
			long sd = envl("BENCH_SCALE_DELIVERIES", 1000000);
			sc.packets = (uint64_t)(sd / n > min_in ? sd / n : min_in);
			sc.threads = 1;
			progress("room %d x %d on 1 thread (scaling)", name, m, n);
			driver_run(c, &sc, out);
			sc.threads = s.threads;
			progress("the same room on %d threads (scaling, %d subscribers each)", name, sc.threads, n);
			driver_run(c, &sc, out);
		}
		if(envl("BENCH_ROOM_COPY", 1)) {
			scenario sc = s;
			sc.name = "room-copy";
			progress("room %d x %d, relays copying the packet as the core does", name, m, n);
			bench_relay_copy = true;
			driver_run(c, &sc, out);
			bench_relay_copy = false;
		}
	}
	long k = envl("BENCH_SWITCH", 50);
	if(k > 0) {
		int sn = (int)envl("BENCH_SWITCH_N", 8);
		long in = deliveries / sn > min_in ? deliveries / sn : min_in;
		scenario s = { "switch", 1, sn, 1, (int)k, (uint64_t)in, (int)reps, false };
		progress("switch every %d packets, fan-out %d", name, (int)k, sn);
		driver_run(c, &s, out);
	}
	simulcast_runs(c, name, deliveries, min_in, reps, out);
	long sig = envl("BENCH_SIGNAL", 2000);
	if(sig > 0 && c->ping) {
		progress("signalling %d requests at %d/s", name, (int)sig, (int)envl("BENCH_SIGNAL_RATE", 1000));
		/* ts: first with the harness itself as the app (plugin + socket alone), then Node */
		char *first = c->signalling_app ? g_strdup_printf("%s-capp", name) : NULL;
		signalling_run(c, first, (int)sig, (int)envl("BENCH_SIGNAL_RATE", 1000), out);
		g_free(first);
		const char *label = c->signalling_app ? c->signalling_app(c) : NULL;
		if(label) {
			progress("signalling again with the Node app%.0d%.0d", name, 0, 0);
			signalling_run(c, label, (int)sig, (int)envl("BENCH_SIGNAL_RATE", 1000), out);
		}
	}
	fclose(out);
	if(c->shutdown) c->shutdown(c);
	progress("done%.0d%.0d", name, 0, 0);
	kill(getpid(), SIGTERM);
	return NULL;
}

static int init(janus_callbacks *callback, const char *config_path) {
	runner = g_thread_new("bench-runner", run, NULL);
	return 0;
}
static void destroy(void) {
	if(runner) g_thread_join(runner);
	runner = NULL;
}
static int get_api_compatibility(void) { return JANUS_PLUGIN_API_VERSION; }
static int get_version(void) { return 1; }
static const char *get_version_string(void) { return "0.0.1"; }
static const char *get_description(void) { return "janus-ts relay benchmark runner"; }
static const char *get_name(void) { return "janus-ts bench runner"; }
static const char *get_author(void) { return "janus-ts"; }
static const char *get_package(void) { return "janus.plugin.tsbench"; }
static void create_session(janus_plugin_session *h, int *error) { *error = -1; }
static struct janus_plugin_result *handle_message(janus_plugin_session *h, char *tr, json_t *m, json_t *j) {
	g_free(tr);
	if(m) json_decref(m);
	if(j) json_decref(j);
	return janus_plugin_result_new(JANUS_PLUGIN_ERROR, "benchmark runner only", NULL);
}
static void destroy_session(janus_plugin_session *h, int *error) {}
static json_t *query_session(janus_plugin_session *h) { return NULL; }
static void setup_media(janus_plugin_session *h) {}
static void hangup_media(janus_plugin_session *h) {}

static janus_plugin bench_runner = JANUS_PLUGIN_INIT(
	.init = init,
	.destroy = destroy,
	.get_api_compatibility = get_api_compatibility,
	.get_version = get_version,
	.get_version_string = get_version_string,
	.get_description = get_description,
	.get_name = get_name,
	.get_author = get_author,
	.get_package = get_package,
	.create_session = create_session,
	.handle_message = handle_message,
	.setup_media = setup_media,
	.hangup_media = hangup_media,
	.destroy_session = destroy_session,
	.query_session = query_session,
);

__attribute__((visibility("default"))) janus_plugin *create(void) {
	return &bench_runner;
}
