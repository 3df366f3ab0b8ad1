/* fakecore.c — the janus_callbacks a contender sees. Relays only count and checksum
 * (per driving thread); push_event keeps the last event/JSEP of the handle so JSEP
 * exchanges and the signalling benchmark can wait for it. Everything else is a no-op. */
#include <string.h>
#include <time.h>
#include <dlfcn.h>
#include <refcount.h>
#include "bench.h"

__thread bench_counters bench_tls;
bool bench_relay_copy;

int64_t bench_now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline bench_handle *bh(janus_plugin_session *ps) {
	return (bench_handle *)ps;
}

/* Per delivery: count, bytes, and a checksum of (recipient, length, payload tail) —
 * bytes no contender rewrites, so equal workloads give equal checksums. */
static void relay_rtp(janus_plugin_session *ps, janus_plugin_rtp *p) {
	uint32_t tail = 0;
	if(p->length >= 16)
		memcpy(&tail, p->buffer + p->length - 4, 4);
	bench_tls.rtp++;
	bench_tls.bytes += p->length;
	bench_tls.checksum += (uint64_t)bh(ps)->idx * 1000003u + p->length * 31u + tail;
	if(bench_relay_copy) {
		/* what Janus's relay_rtp does per recipient before queueing: allocate, copy */
		char *copy = g_malloc(p->length);
		memcpy(copy, p->buffer, p->length);
		bench_tls.checksum += (uint8_t)copy[p->length / 2] * 0u;	/* keep the copy observable */
		g_free(copy);
	}
}
static void relay_rtcp(janus_plugin_session *ps, janus_plugin_rtcp *p) {
	bench_tls.rtcp++;
}
static void relay_data(janus_plugin_session *ps, janus_plugin_data *p) {
	bench_tls.data++;
}
static void send_pli(janus_plugin_session *ps) { bench_tls.pli++; }
static void send_pli_stream(janus_plugin_session *ps, int mindex) { bench_tls.pli++; }
static void send_remb(janus_plugin_session *ps, guint32 bitrate) { bench_tls.remb++; }
static void close_pc(janus_plugin_session *ps) {}
static void end_session(janus_plugin_session *ps) {}
static gboolean events_is_enabled(void) { return FALSE; }
static void notify_event(janus_plugin *plugin, janus_plugin_session *ps, json_t *event) {
	json_decref(event);	/* the core owns what it is given */
}
static gboolean auth_is_signed(void) { return FALSE; }
static gboolean auth_is_signature_valid(janus_plugin *plugin, const char *token) { return FALSE; }
static gboolean auth_signature_contains(janus_plugin *plugin, const char *token, const char *d) { return FALSE; }

/* The real core does not take ownership of message/jsep (plugins decref after). */
static int push_event(janus_plugin_session *ps, janus_plugin *plugin, const char *transaction,
		json_t *message, json_t *jsep) {
	bench_handle *h = bh(ps);
	int64_t now = bench_now_ns();
	g_mutex_lock(&h->mutex);
	if(h->last_event) json_decref(h->last_event);
	if(h->last_jsep) json_decref(h->last_jsep);
	h->last_event = message ? json_incref(message) : NULL;
	h->last_jsep = jsep ? json_deep_copy(jsep) : NULL;
	h->last_event_ns = now;
	h->events++;
	g_cond_broadcast(&h->cond);
	g_mutex_unlock(&h->mutex);
	return 0;
}

janus_callbacks bench_core = {
	.push_event = push_event,
	.relay_rtp = relay_rtp,
	.relay_rtcp = relay_rtcp,
	.relay_data = relay_data,
	.send_pli = send_pli,
	.send_pli_stream = send_pli_stream,
	.send_remb = send_remb,
	.close_pc = close_pc,
	.end_session = end_session,
	.events_is_enabled = events_is_enabled,
	.notify_event = notify_event,
	.auth_is_signed = auth_is_signed,
	.auth_is_signature_valid = auth_is_signature_valid,
	.auth_signature_contains = auth_signature_contains,
};

static void handle_ref_free(const janus_refcount *ref) {
	/* The harness frees handles itself once contenders are done with them. */
}

bench_handle *bench_handle_new(int idx) {
	bench_handle *h = g_malloc0(sizeof(*h));
	h->idx = idx;
	h->ps.gateway_handle = h;
	janus_refcount_init(&h->ps.ref, handle_ref_free);
	g_mutex_init(&h->mutex);
	g_cond_init(&h->cond);
	return h;
}

void bench_handle_free(bench_handle *h) {
	if(!h) return;
	if(h->last_event) json_decref(h->last_event);
	if(h->last_jsep) json_decref(h->last_jsep);
	g_mutex_clear(&h->mutex);
	g_cond_clear(&h->cond);
	g_free(h);
}

bool bench_wait_event(bench_handle *h, int seen, int timeout_ms, json_t **event, json_t **jsep) {
	gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	bool ok = true;
	g_mutex_lock(&h->mutex);
	while(h->events <= seen) {
		if(!g_cond_wait_until(&h->cond, &h->mutex, end)) { ok = false; break; }
	}
	if(ok) {
		if(event) *event = h->last_event ? json_incref(h->last_event) : NULL;
		if(jsep) *jsep = h->last_jsep ? json_incref(h->last_jsep) : NULL;
	}
	g_mutex_unlock(&h->mutex);
	return ok;
}

contender *bench_contender_new(const contender *ops, const char *name, janus_plugin *plugin, void *dl) {
	contender *c = g_malloc(sizeof(*c));
	*c = *ops;
	c->name = name;
	c->plugin = plugin;
	c->dl = dl;
	return c;
}

janus_plugin *bench_dlopen_plugin(const char *lib, const char *confdir, void **dl) {
	/* RTLD_LOCAL: the contender's own symbols stay private; the janus_* helpers it needs
	 * resolve against the running janus executable. */
	void *d = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if(!d) {
		JANUS_LOG(LOG_ERR, "bench: cannot dlopen %s: %s\n", lib, dlerror());
		return NULL;
	}
	janus_plugin *(*create)(void) = (janus_plugin *(*)(void))dlsym(d, "create");
	if(!create) {
		JANUS_LOG(LOG_ERR, "bench: %s has no create()\n", lib);
		dlclose(d);
		return NULL;
	}
	janus_plugin *p = create();
	if(!p || p->get_api_compatibility() != JANUS_PLUGIN_API_VERSION) {
		JANUS_LOG(LOG_ERR, "bench: %s is not a plugin of API %d\n", lib, JANUS_PLUGIN_API_VERSION);
		dlclose(d);
		return NULL;
	}
	if(p->init(&bench_core, confdir) < 0) {
		JANUS_LOG(LOG_ERR, "bench: %s init(%s) failed\n", lib, confdir);
		return NULL;
	}
	*dl = d;
	return p;
}

json_t *bench_message(contender *c, bench_handle *h, json_t *msg, json_t *jsep, int *type) {
	static volatile gint tr_counter = 0;
	char *tr = g_strdup_printf("b%d", g_atomic_int_add(&tr_counter, 1));
	/* handle_message takes ownership of transaction, message and jsep */
	janus_plugin_result *r = c->plugin->handle_message(&h->ps, tr, msg, jsep);
	json_t *content = NULL;
	if(type) *type = r ? (int)r->type : JANUS_PLUGIN_ERROR;
	if(r) {
		if(r->content) content = json_incref(r->content);
		janus_plugin_result_destroy(r);
	}
	return content;
}

void bench_plugin_detach(contender *c, bench_handle *h) {
	int error = 0;
	c->plugin->hangup_media(&h->ps);
	c->plugin->destroy_session(&h->ps, &error);
}
