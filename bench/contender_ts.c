/* contender_ts.c — our libjanus_ts.so, dlopened like the others, with its routes set
 * through its real control API: the harness connects to the plugin's control socket as
 * the app (ctl_client.c), learns each session id from the createSession notification
 * that create_session triggers, and sends configureMedium / addRecipient (and, for the
 * simulcast scenario, configureSimulcast / setSubstream). */
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "bench.h"
#include "ctl_client.h"

static ctl_client *ctl_of(contender *c) { return c->priv; }

static bool call(contender *c, const char *method, json_t *params) {
	json_t *r = ctl_request(ctl_of(c), method, params);
	if(!r) return false;
	json_decref(r);
	return true;
}

static bool valves(contender *c, bench_handle *h, const char *dir) {
	static const char *media[] = { "audio", "video", "data" };
	for(int i = 0; i < 3; i++) {
		if(!call(c, "configureMedium", json_pack("{sIsssssb}", "id", (json_int_t)h->id,
				"medium", media[i], "direction", dir, "enabled", 1)))
			return false;
	}
	return true;
}

static bool attach(contender *c, bench_handle *h) {
	int error = 0;
	c->plugin->create_session(&h->ps, &error);
	if(error) {
		JANUS_LOG(LOG_ERR, "bench[ts]: create_session failed (%d)\n", error);
		return false;
	}
	if(!ctl_of(c)) {	/* the Node app owns the socket now: it learns the id itself */
		h->id = 1;
		return true;
	}
	h->id = ctl_next_created(ctl_of(c), 5000);
	if(!h->id) JANUS_LOG(LOG_ERR, "bench[ts]: no createSession notification\n");
	return h->id != 0;
}

static bool publish(contender *c, bench_handle *h) {
	if(!valves(c, h, "out")) return false;
	c->plugin->setup_media(&h->ps);
	return true;
}

static bool subscribe(contender *c, bench_handle *pub, bench_handle *sub) {
	if(!valves(c, sub, "in")) return false;
	if(!call(c, "addRecipient", json_pack("{sIsI}", "id", (json_int_t)pub->id, "recipient", (json_int_t)sub->id)))
		return false;
	c->plugin->setup_media(&sub->ps);
	return true;
}

/* The publisher's video (mindex 1) described as VP8 simulcast by its SSRCs, as an app does
 * with session.configureSimulcast. */
static bool publish_simulcast(contender *c, bench_handle *h, const uint32_t ssrcs[3]) {
	if(!call(c, "configureSimulcast", json_pack("{sIsisss[III]}", "id", (json_int_t)h->id, "mindex", 1, "codec", "vp8",
			"ssrcs", (json_int_t)ssrcs[0], (json_int_t)ssrcs[1], (json_int_t)ssrcs[2])))
		return false;
	return publish(c, h);
}

static bool subscribe_layer(contender *c, bench_handle *pub, bench_handle *sub, int target) {
	if(!call(c, "setSubstream", json_pack("{sIsisi}", "id", (json_int_t)sub->id, "substream", target, "mindex", 1)))
		return false;
	return subscribe(c, pub, sub);
}

static bool ping(contender *c, bench_handle *h) {
	int type = 0;
	json_t *r = bench_message(c, h, json_pack("{ss}", "request", "ping"), NULL, &type);
	bool ok = type == JANUS_PLUGIN_OK && r && json_is_true(json_object_get(r, "pong"));
	if(r) json_decref(r);
	return ok;
}

static bool async_req(contender *c, bench_handle *h) {
	g_mutex_lock(&h->mutex);
	int seen = h->events;
	g_mutex_unlock(&h->mutex);
	int type = 0;
	json_t *r = bench_message(c, h, json_pack("{ss}", "request", "async"), NULL, &type);
	if(r) json_decref(r);
	if(type != JANUS_PLUGIN_OK_WAIT) return false;
	return bench_wait_event(h, seen, 2000, NULL, NULL);
}

static GPid app_pid;
static const char *socket_of;

/* Hands the control socket over to the Node app (bench/ts-app.ts): closes the harness's
 * own connection and spawns BENCH_TS_APP with the socket path appended. */
static const char *signalling_app(contender *c) {
	const char *cmd = getenv("BENCH_TS_APP");
	if(!cmd || !*cmd) return NULL;
	ctl_close(ctl_of(c));
	c->priv = NULL;
	gchar **argv = NULL;
	GError *err = NULL;
	char *full = g_strdup_printf("%s %s", cmd, socket_of);
	bool ok = g_shell_parse_argv(full, NULL, &argv, &err) &&
		g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &app_pid, &err);
	if(!ok) JANUS_LOG(LOG_ERR, "bench[ts]: cannot start %s: %s\n", full, err ? err->message : "?");
	if(err) g_error_free(err);
	g_strfreev(argv);
	g_free(full);
	return ok ? "ts" : NULL;
}

static void shutdown_ts(contender *c) {
	if(c->priv) ctl_close(ctl_of(c));
	if(app_pid > 0) {
		kill(app_pid, SIGTERM);
		waitpid(app_pid, NULL, 0);
		app_pid = 0;
	}
	c->plugin->destroy();
}

contender *contender_ts_new(const char *lib, const char *confdir, const char *socket_path) {
	void *dl = NULL;
	janus_plugin *p = bench_dlopen_plugin(lib, confdir, &dl);
	if(!p) return NULL;
	ctl_client *ctl = ctl_connect(socket_path, 5000);
	if(!ctl) {
		p->destroy();
		return NULL;
	}
	static const contender ops = {
		.attach = attach, .publish = publish, .subscribe = subscribe, .publish_simulcast = publish_simulcast,
		.subscribe_layer = subscribe_layer, .detach = bench_plugin_detach, .ping = ping, .async_req = async_req,
		.signalling_app = signalling_app, .shutdown = shutdown_ts,
	};
	contender *c = bench_contender_new(&ops, "ts", p, dl);
	c->priv = ctl;
	socket_of = g_strdup(socket_path);
	return c;
}
