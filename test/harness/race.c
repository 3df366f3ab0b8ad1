/* race.c — `race MS [MIN_CYCLES]`: every delivered packet checked while the tables change
 * under the senders. Four sender threads (P0..P3) send video as fast as they can, each
 * packet carrying (sender, number, epoch, checksum) in its payload. Recipients:
 *   X1  fed by P0 for the whole run, and by P3 in every cycle (added, then removed): its
 *       stream goes from lock-free to locked and back while P0 sends
 *   X2  fed by P1 and P2 for the whole run (locked all along)
 *   C   one per cycle: attached, routed from every sender, hung up (every other cycle),
 *       destroyed while they send
 * for MS milliseconds and at least MIN_CYCLES cycles. Every delivery to X1 and X2 is checked
 * (payload and SSRC intact) and its output seq counted; afterwards those seqs must form
 * one gapless run (each of the 65536 values seen as often as a run of that length from
 * some start passes it: relays made in parallel may reach the core in any order), and
 * every packet of their permanent feeders must have arrived exactly once. C's deliveries
 * must not repeat a seq, and none may follow its destroy_session(). P3 takes a new SSRC (epoch) before each
 * re-add, so its re-added route is a new source that continues X1's numbering. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define SENDERS 4
#define MAX_SENT 2000000		/* per sender */
#define PKT_LEN 100

struct race_stream {
	pthread_mutex_t lock;
	uint32_t *count;		/* deliveries per output seq (65536) */
	long relays, bad, from[SENDERS];
};

volatile int race_mode;

typedef struct sender {
	fake_handle *h;
	GThread *thread;
	int idx;
	_Atomic uint32_t epoch;		/* set by the main thread */
	_Atomic uint32_t done_epoch;	/* the epoch of the last packet handed to the plugin */
	_Atomic int finished;
	long sent;			/* read after the join */
} sender;

static sender senders[SENDERS];
static _Atomic int stop;

static uint32_t be32(const uint8_t *b) { return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]; }
static void put32(uint8_t *b, uint32_t v) { b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v; }
static uint32_t check_of(uint32_t idx, uint32_t k, uint32_t epoch) { return (idx * 2654435761u) ^ (k * 40503u) ^ (epoch * 97u) ^ 0x5a5a5a5au; }
static uint32_t ssrc_of(uint32_t idx, uint32_t epoch) { return 0x10000000u + idx * 0x10000u + epoch; }

static gpointer feed(gpointer data)
{
	sender *s = data;
	uint8_t buf[PKT_LEN];
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = 1;
	p.video = TRUE;
	p.buffer = (char *)buf;
	p.length = PKT_LEN;
	for (uint32_t k = 0; k < MAX_SENT && !atomic_load(&stop); k++) {
		uint32_t e = atomic_load(&s->epoch);
		buf[0] = 0x80; buf[1] = 96;
		buf[2] = k >> 8; buf[3] = k;
		put32(buf + 4, k * 3000);
		put32(buf + 8, ssrc_of(s->idx, e));
		buf[12] = s->idx;
		put32(buf + 13, k);
		put32(buf + 17, e);
		put32(buf + 21, check_of(s->idx, k, e));
		for (int i = 25; i < PKT_LEN; i++) buf[i] = (uint8_t)(k + i);
		callbacks_plugin->incoming_rtp(&s->h->ps, &p);
		s->sent++;
		atomic_store(&s->done_epoch, e);
	}
	atomic_store(&s->finished, 1);
	return NULL;
}

/* Payload and SSRC as the sender wrote them; returns the sender index or -1. */
static int intact(const uint8_t *b, int len)
{
	if (len != PKT_LEN || b[12] >= SENDERS) return -1;
	uint32_t idx = b[12], k = be32(b + 13), e = be32(b + 17);
	if (be32(b + 21) != check_of(idx, k, e) || be32(b + 8) != ssrc_of(idx, e)) return -1;
	for (int i = 25; i < PKT_LEN; i++) if (b[i] != (uint8_t)(k + i)) return -1;
	return (int)idx;
}

void race_relay(fake_handle *h, janus_plugin_rtp *p)
{
	static _Atomic unsigned n;
	/* Now and then a slow relay (as Janus's can be): destroy_session must still wait for it. */
	if ((atomic_fetch_add(&n, 1) & 1023) == 0) g_usleep(50);
	if (__atomic_load_n(&h->gone, __ATOMIC_ACQUIRE)) __atomic_fetch_add(&relays_after_destroy, 1, __ATOMIC_RELAXED);
	race_stream *r = __atomic_load_n(&h->race, __ATOMIC_ACQUIRE);
	if (!r) return;
	const uint8_t *b = (const uint8_t *)p->buffer;
	int idx = intact(b, p->length);
	uint16_t seq = (uint16_t)(b[2] << 8 | b[3]);
	pthread_mutex_lock(&r->lock);
	r->relays++;
	if (idx < 0 || p->mindex != 1) r->bad++;
	else r->from[idx]++;
	r->count[seq]++;
	pthread_mutex_unlock(&r->lock);
}

static race_stream *stream_new(void)
{
	race_stream *r = g_new0(race_stream, 1);
	pthread_mutex_init(&r->lock, NULL);
	r->count = g_new0(uint32_t, 65536);
	return r;
}

/* After the senders stopped: a detached handle's checks and the core's reference go. */
static void handle_drop(fake_handle *h)
{
	if (!h) return;
	race_stream *r = h->race;
	janus_refcount_decrease(&h->ps.ref);
	if (!r) return;
	pthread_mutex_destroy(&r->lock);
	g_free(r->count);
	g_free(r);
}

/* Whether the seqs counted are those of one gapless run of r->relays numbers (mod 2^16):
 * every value seen q or q + 1 times (q = relays / 65536), the q + 1 ones forming one
 * circular interval of relays % 65536 values. A repeated or skipped number breaks it. */
static bool gapless(const race_stream *r, long *off)
{
	uint32_t q = r->relays / 65536, rem = r->relays % 65536, more = 0, starts = 0;
	*off = 0;
	for (uint32_t v = 0; v < 65536; v++) {
		uint32_t c = r->count[v];
		if (c != q && c != q + 1) (*off)++;
		if (c == q + 1) {
			more++;
			if (r->count[(v + 65535) & 0xffff] != q + 1) starts++;
		}
	}
	return r->relays > 0 && *off == 0 && more == rem && (rem == 0 || starts == 1);
}

static json_t *stream_json(race_stream *r)
{
	long off = 0;
	bool ok = gapless(r, &off);
	json_t *from = json_array();
	for (int i = 0; i < SENDERS; i++) json_array_append_new(from, json_integer(r->from[i]));
	return json_pack("{sIsIsIsbso}", "relays", (json_int_t)r->relays, "bad", (json_int_t)r->bad,
		"offValues", (json_int_t)off, "gapless", ok, "from", from);
}

/* Churn recipients live shorter than 65536 packets: a repeated seq is a repeated seq. */
static long dups_of(const race_stream *r)
{
	long d = 0;
	for (uint32_t v = 0; v < 65536; v++) if (r->count[v] > 1) d += r->count[v] - 1;
	return r->relays < 65536 ? d : 0;
}

/* A recipient with its video `in` valve open; its id in *id. */
static fake_handle *recipient(const char *name, GHashTable *known, uint32_t *id, race_stream *r)
{
	fake_handle *h = harness_new_handle(name);
	if (!h) return NULL;
	/* Atomic: the routes that make the plugin relay to it are published inside Wasm, out of
	 * ThreadSanitizer's sight. */
	__atomic_store_n(&h->race, r, __ATOMIC_RELEASE);
	*id = harness_newest_id(known);
	stress_api.configure_medium(*id, TS_VIDEO, TS_IN, true);
	return h;
}

/* P3 takes a new SSRC, and every packet with the old one is through the plugin. */
static void next_epoch(sender *s)
{
	uint32_t e = atomic_fetch_add(&s->epoch, 1) + 1;
	while (atomic_load(&s->done_epoch) != e && !atomic_load(&s->finished)) g_usleep(20);
}

/* One cycle of the control plane: P3 joins X1 and leaves it, a churn recipient comes and
 * goes. Returns the API calls that failed. */
static long cycle(GHashTable *known, const uint32_t *ids, uint32_t x1, long n, GPtrArray *gone)
{
	long errors = 0;
	next_epoch(&senders[3]);
	errors += stress_api.add_route(ids[3], 255, x1, 255) != TS_OK;
	uint32_t cid = 0;
	fake_handle *c = recipient("C", known, &cid, stream_new());
	if (!c) return errors + 1;
	for (int i = 0; i < SENDERS; i++) errors += stress_api.add_route(ids[i], 255, cid, 255) != TS_OK;
	g_usleep(100);
	errors += stress_api.remove_route(ids[3], 255, x1, 255) != TS_OK;
	if (n % 2) callbacks_plugin->hangup_media(&c->ps);
	harness_detach(c);
	g_ptr_array_add(gone, c);
	return errors;
}

static json_t *report(race_stream *x1, race_stream *x2, GPtrArray *gone, long cycles, long errors)
{
	json_t *sent = json_array();
	for (int i = 0; i < SENDERS; i++) json_array_append_new(sent, json_integer(senders[i].sent));
	long relays = 0, dups = 0, bad = 0;
	for (guint i = 0; i < gone->len; i++) {
		race_stream *r = ((fake_handle *)gone->pdata[i])->race;
		relays += r->relays;
		dups += dups_of(r);
		bad += r->bad;
	}
	return json_pack("{sssIsIsosososIsIsIsI}", "ev", "race", "cycles", (json_int_t)cycles,
		"apiErrors", (json_int_t)errors, "sent", sent, "x1", stream_json(x1), "x2", stream_json(x2),
		"churnRelays", (json_int_t)relays, "churnDups", (json_int_t)dups, "churnBad", (json_int_t)bad,
		"relaysAfterDestroy", (json_int_t)relays_after_destroy);
}

void cmd_race(int ms, int min_cycles)
{
	GHashTable *known = g_hash_table_new(NULL, NULL);
	GPtrArray *gone = g_ptr_array_new();
	uint32_t ids[SENDERS], x1id = 0, x2id = 0;
	race_stream *x1 = stream_new(), *x2 = stream_new();
	fake_handle *hx1 = recipient("X1", known, &x1id, x1), *hx2 = recipient("X2", known, &x2id, x2);
	memset(senders, 0, sizeof(senders));
	for (int i = 0; i < SENDERS; i++) {
		char name[8];
		g_snprintf(name, sizeof(name), "P%d", i);
		senders[i].idx = i;
		senders[i].h = harness_new_handle(name);
		ids[i] = harness_newest_id(known);
		stress_api.configure_medium(ids[i], TS_VIDEO, TS_OUT, true);
	}
	long errors = (stress_api.add_route(ids[0], 255, x1id, 255) != TS_OK) + (stress_api.add_route(ids[1], 255, x2id, 255) != TS_OK)
		+ (stress_api.add_route(ids[2], 1, x2id, 1) != TS_OK);
	relays_after_destroy = 0;
	atomic_store(&stop, 0);
	race_mode = 1;
	for (int i = 0; i < SENDERS; i++) senders[i].thread = g_thread_new("race-sender", feed, &senders[i]);
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	long cycles = 0;
	while ((g_get_monotonic_time() < end || cycles < min_cycles) && !atomic_load(&senders[0].finished))
		errors += cycle(known, ids, x1id, cycles++, gone);
	atomic_store(&stop, 1);
	for (int i = 0; i < SENDERS; i++) g_thread_join(senders[i].thread);
	race_mode = 0;
	emit(report(x1, x2, gone, cycles, errors));
	for (int i = 0; i < SENDERS; i++) harness_detach(senders[i].h);
	harness_detach(hx1);
	harness_detach(hx2);
	g_hash_table_destroy(known);
	/* Freed only now that no sender runs (the AddressSanitizer run checks for leaks). */
	for (guint i = 0; i < gone->len; i++) handle_drop(gone->pdata[i]);
	handle_drop(hx1);
	handle_drop(hx2);
	for (int i = 0; i < SENDERS; i++) handle_drop(senders[i].h);
	g_ptr_array_free(gone, TRUE);
}
