/* contender_ref.c — the plain-C reference contender: the host half of libjanus_ts.so's
 * packet path (one serialized router call per packet, clock read once per packet,
 * rewrite seq/ts, relay, restore) around ref_router.c instead of router.wasm. It is a
 * janus_plugin built into the harness, so the same driver code measures it. */
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <refcount.h>
#include "bench.h"
#include "ref_router.h"

#define REF_SESSIONS 1024

typedef struct ref_sess { int slot; bench_handle *h; } ref_sess;

static ref_router *router;
static GMutex router_mutex;		/* router calls are serialized, as in host-c */
static ref_sess *by_slot[REF_SESSIONS];	/* borrowed */

static int ref_init(janus_callbacks *cb, const char *config) {
	router = ref_router_new(REF_SESSIONS, 1024, 4096);
	return 0;
}
static void ref_destroy(void) { ref_router_free(router); router = NULL; }
static int ref_api(void) { return JANUS_PLUGIN_API_VERSION; }

static void ref_create_session(janus_plugin_session *ps, int *error) {
	ref_sess *s = g_malloc0(sizeof(*s));
	g_mutex_lock(&router_mutex);
	s->slot = ref_session_open(router);
	g_mutex_unlock(&router_mutex);
	if(s->slot < 0) { g_free(s); *error = -1; return; }
	s->h = (bench_handle *)ps;
	by_slot[s->slot] = s;
	ps->plugin_handle = s;
}

static void ref_destroy_session(janus_plugin_session *ps, int *error) {
	ref_sess *s = ps->plugin_handle;
	if(!s) return;
	g_mutex_lock(&router_mutex);
	ref_session_close(router, s->slot);
	by_slot[s->slot] = NULL;
	g_mutex_unlock(&router_mutex);
	ps->plugin_handle = NULL;
	g_free(s);
}

static void ref_setup_media(janus_plugin_session *ps) {
	ref_sess *s = ps->plugin_handle;
	g_mutex_lock(&router_mutex);
	ref_session_start(router, s->slot);
	g_mutex_unlock(&router_mutex);
}

/* Relays the decisions to the handles (rewrite seq/ts, relay, restore at the end). */
static void relay_all(janus_plugin_rtp *p, const ref_decision *d, int n, bench_handle *const *dst) {
	uint8_t *b = (uint8_t *)p->buffer;
	uint16_t seq; uint32_t ts;
	memcpy(&seq, b + 2, 2); memcpy(&ts, b + 4, 4);
	int mindex = p->mindex;
	for(int i = 0; i < n; i++) {
		if(!dst[i]) continue;
		if(d[i].kind == REF_RELAY_RTP) {
			uint16_t nseq = htons(d[i].seq); uint32_t nts = htonl(d[i].ts);
			memcpy(b + 2, &nseq, 2); memcpy(b + 4, &nts, 4);
			p->mindex = d[i].mindex;
			bench_core.relay_rtp(&dst[i]->ps, p);
		} else if(d[i].kind == REF_SEND_PLI) {
			bench_core.send_pli_stream(&dst[i]->ps, d[i].mindex);
		}
	}
	memcpy(b + 2, &seq, 2); memcpy(b + 4, &ts, 4);
	p->mindex = mindex;
}

static bool relay_outside_lock;	/* "ref-outside": the variant that releases the lock before relaying */
static __thread ref_decision tl_dec[4096];
static __thread bench_handle *tl_dst[4096];

static void ref_incoming_rtp(janus_plugin_session *ps, janus_plugin_rtp *p) {
	ref_sess *s = ps->plugin_handle;
	if(!s || !p->buffer) return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	g_mutex_lock(&router_mutex);
	int n = ref_rtp(router, s->slot, p->mindex, p->video, (const uint8_t *)p->buffer, p->length, now_ms);
	if(n <= 0) { g_mutex_unlock(&router_mutex); return; }
	const ref_decision *d = ref_out(router);
	for(int i = 0; i < n; i++) {
		ref_sess *dst = d[i].slot < REF_SESSIONS ? by_slot[d[i].slot] : NULL;
		tl_dst[i] = dst ? dst->h : NULL;
		/* the outside variant must keep each recipient alive until it is relayed to */
		if(relay_outside_lock && dst) janus_refcount_increase(&dst->h->ps.ref);
	}
	if(!relay_outside_lock) {
		/* as host-c does today: relays under the router lock */
		relay_all(p, d, n, tl_dst);
		g_mutex_unlock(&router_mutex);
		return;
	}
	memcpy(tl_dec, d, sizeof(ref_decision) * (size_t)n);
	g_mutex_unlock(&router_mutex);
	relay_all(p, tl_dec, n, tl_dst);
	for(int i = 0; i < n; i++)
		if(tl_dst[i]) janus_refcount_decrease(&tl_dst[i]->ps.ref);
}

static janus_plugin ref_plugin = {
	.init = ref_init,
	.destroy = ref_destroy,
	.get_api_compatibility = ref_api,
	.create_session = ref_create_session,
	.setup_media = ref_setup_media,
	.incoming_rtp = ref_incoming_rtp,
	.destroy_session = ref_destroy_session,
};

static bool attach(contender *c, bench_handle *h) {
	int error = 0;
	ref_create_session(&h->ps, &error);
	if(error) return false;
	h->id = (uint64_t)((ref_sess *)h->ps.plugin_handle)->slot + 1;
	return true;
}
static int slot_of(bench_handle *h) { return ((ref_sess *)h->ps.plugin_handle)->slot; }
static bool publish(contender *c, bench_handle *h) {
	g_mutex_lock(&router_mutex);
	for(int m = 0; m < 3; m++) ref_set_valve(router, slot_of(h), m, 1, true);
	g_mutex_unlock(&router_mutex);
	ref_setup_media(&h->ps);
	return true;
}
static bool subscribe(contender *c, bench_handle *pub, bench_handle *sub) {
	g_mutex_lock(&router_mutex);
	for(int m = 0; m < 3; m++) ref_set_valve(router, slot_of(sub), m, 0, true);
	int rc = ref_route_add(router, slot_of(pub), REF_ALL, slot_of(sub), REF_ALL);
	g_mutex_unlock(&router_mutex);
	ref_setup_media(&sub->ps);
	return rc == 0;
}
static void detach(contender *c, bench_handle *h) {
	int error = 0;
	ref_destroy_session(&h->ps, &error);
}
static void shutdown_ref(contender *c) { ref_destroy(); }

contender *contender_ref_new(bool outside_lock) {
	ref_init(&bench_core, NULL);
	relay_outside_lock = outside_lock;
	contender *c = g_malloc0(sizeof(*c));
	c->name = outside_lock ? "ref-outside" : "ref";
	c->plugin = &ref_plugin;
	c->attach = attach;
	c->publish = publish;
	c->subscribe = subscribe;
	c->detach = detach;
	c->shutdown = shutdown_ref;
	return c;
}
