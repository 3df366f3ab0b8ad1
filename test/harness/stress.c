/* stress.c — `stress MS THREADS [MIN_CYCLES]`: THREADS sender threads feed RTP without
 * pause while the main thread keeps attaching a recipient, routing every sender to it, and
 * detaching it again, plus API calls, for MS milliseconds and at least MIN_CYCLES cycles.
 * Counts relays made to a handle after its destroy_session() returned (must be 0: the
 * plugin waits for a grace period before it returns). Handles stay allocated until the
 * end so a late relay is counted, not a crash. */
#include <stdlib.h>
#include <string.h>
#include "../../host-c/ts_api.h"
#include "harness.h"

typedef struct sender {
	fake_handle *h;
	GThread *thread;
	long sent;
} sender;

static volatile int stop;

static gpointer feed(gpointer data)
{
	sender *s = data;
	char buf[200] = {0};
	buf[0] = (char)0x80;
	buf[1] = 96;
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = 1;
	p.video = TRUE;
	p.buffer = buf;
	p.length = sizeof(buf);
	for (uint16_t seq = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); seq++) {
		buf[2] = seq >> 8; buf[3] = seq;
		callbacks_plugin->incoming_rtp(&s->h->ps, &p);
		s->sent++;
	}
	return NULL;
}

fake_handle *harness_new_handle(const char *name)
{
	fake_handle *h = g_new0(fake_handle, 1);
	g_strlcpy(h->name, name, sizeof(h->name));
	janus_refcount_init(&h->ps.ref, handle_free);
	int err = 0;
	callbacks_plugin->create_session(&h->ps, &err);
	if (err) { janus_refcount_decrease(&h->ps.ref); return NULL; }
	callbacks_plugin->setup_media(&h->ps);
	return h;
}

/* The id of the newest session: the snapshot entry not in `known`. */
uint32_t harness_newest_id(GHashTable *known)
{
	json_t *all = stress_api.snapshot();
	uint32_t id = 0;
	size_t i;
	json_t *e;
	json_array_foreach(all, i, e) {
		uint32_t v = json_integer_value(json_object_get(e, "id"));
		if (!g_hash_table_contains(known, GUINT_TO_POINTER(v))) id = v;
	}
	json_decref(all);
	g_hash_table_add(known, GUINT_TO_POINTER(id));
	return id;
}

void harness_detach(fake_handle *h)
{
	int err = 0;
	g_atomic_int_set(&h->ps.stopped, 1);
	callbacks_plugin->destroy_session(&h->ps, &err);
	__atomic_store_n(&h->gone, 1, __ATOMIC_RELEASE);
}

void cmd_stress(int ms, int nthreads, int min_cycles)
{
	if (nthreads < 1 || nthreads > 16) nthreads = 2;
	GHashTable *known = g_hash_table_new(NULL, NULL);
	sender *senders = g_new0(sender, nthreads);
	uint32_t *ids = g_new0(uint32_t, nthreads);
	GPtrArray *gone = g_ptr_array_new();
	quiet = 1;
	quiet_relays = relays_after_destroy = 0;
	stop = 0;
	for (int i = 0; i < nthreads; i++) {
		char name[16];
		g_snprintf(name, sizeof(name), "P%d", i);
		senders[i].h = harness_new_handle(name);
		ids[i] = harness_newest_id(known);
		stress_api.configure_medium(ids[i], TS_VIDEO, TS_OUT, true);
	}
	for (int i = 0; i < nthreads; i++) senders[i].thread = g_thread_new("sender", feed, &senders[i]);
	gint64 end = g_get_monotonic_time() + ms * 1000;
	long cycles = 0, api_errors = 0;
	while (g_get_monotonic_time() < end || cycles < min_cycles) {
		fake_handle *r = harness_new_handle("R");
		if (!r) { api_errors++; continue; }
		uint32_t rid = harness_newest_id(known);
		api_errors += stress_api.configure_medium(rid, TS_VIDEO, TS_IN, true) != TS_OK;
		for (int i = 0; i < nthreads; i++) api_errors += stress_api.add_route(ids[i], 255, rid, 255) != TS_OK;
		g_usleep(200);
		json_decref(stress_api.session_info(rid));
		if (cycles % 2) callbacks_plugin->hangup_media(&r->ps);
		harness_detach(r);
		g_ptr_array_add(gone, r);
		cycles++;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	long sent = 0;
	for (int i = 0; i < nthreads; i++) {
		g_thread_join(senders[i].thread);
		sent += senders[i].sent;
		int err = 0;
		callbacks_plugin->destroy_session(&senders[i].h->ps, &err);
		janus_refcount_decrease(&senders[i].h->ps.ref);
	}
	long freed_before = handles_freed;
	for (guint i = 0; i < gone->len; i++) janus_refcount_decrease(&((fake_handle *)gone->pdata[i])->ps.ref);
	quiet = 0;
	emit(json_pack("{sssIsIsIsIsIsIsI}", "ev", "stress", "cycles", (json_int_t)cycles, "sent", (json_int_t)sent,
		"relays", (json_int_t)quiet_relays, "relaysAfterDestroy", (json_int_t)relays_after_destroy,
		"apiErrors", (json_int_t)api_errors, "recipientsFreed", (json_int_t)(handles_freed - freed_before),
		"recipients", (json_int_t)gone->len));
	g_ptr_array_free(gone, TRUE);
	g_hash_table_destroy(known);
	g_free(senders);
	g_free(ids);
}
