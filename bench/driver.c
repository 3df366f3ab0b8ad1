/* driver.c — see driver.h. */
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "driver.h"
#include "simgen.h"
#include "pool.h"

#define AUDIO_LEN 100
#define VIDEO_LEN 1100
#define TICK_VIDEO 3		/* video packets per 20 ms tick (one frame) */
#define KEY_PACKETS 15		/* packets of a keyframe, every KEY_TICKS */
#define KEY_TICKS 100		/* a keyframe every 2 s */

typedef struct pubgen {
	bench_handle *h;
	uint8_t abuf[AUDIO_LEN], vbuf[VIDEO_LEN];
	uint16_t seq_a, seq_v;
	uint32_t ts_a, ts_v, ssrc_a, ssrc_v;
	uint32_t tick, in_tick;	/* position in the call pattern */
	uint64_t sent;
} pubgen;

static void put16(uint8_t *p, uint16_t v) { v = htons(v); memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { v = htonl(v); memcpy(p, &v, 4); }

static void pubgen_init(pubgen *g, bench_handle *h, int n) {
	memset(g, 0, sizeof(*g));
	g->h = h;
	g->ssrc_a = 0x10000000u + (uint32_t)n * 2;
	g->ssrc_v = 0x10000001u + (uint32_t)n * 2;
	g->seq_a = (uint16_t)(1000 * n + 7);
	g->seq_v = (uint16_t)(3000 * n + 11);
	g->ts_a = 48000u * n; g->ts_v = 90000u * n;
	for(int i = 12; i < AUDIO_LEN; i++) g->abuf[i] = (uint8_t)(i * 7);
	for(int i = 12; i < VIDEO_LEN; i++) g->vbuf[i] = (uint8_t)(i * 13);
	g->abuf[0] = g->vbuf[0] = 0x80;	/* V=2, no padding/extension/CSRC */
}

/* Next packet of this publisher's call into its buffer; fills the janus_plugin_rtp. */
static void pubgen_next(pubgen *g, int switch_every, janus_plugin_rtp *p) {
	if(switch_every > 0 && g->sent > 0 && g->sent % (uint64_t)switch_every == 0) {
		/* another source: new SSRCs, sequence and timestamp spaces */
		g->ssrc_a ^= 0x5a5a0000u; g->ssrc_v ^= 0x5a5a0000u;
		g->seq_a += 5000; g->seq_v += 5000;
		g->ts_a += 777777; g->ts_v += 777777;
	}
	bool key = (g->tick % KEY_TICKS) == 0;
	uint32_t nvideo = key ? KEY_PACKETS : TICK_VIDEO;
	uint8_t *b;
	if(g->in_tick == 0) {
		b = g->abuf;
		b[1] = 111;
		put16(b + 2, g->seq_a++); put32(b + 4, g->ts_a); put32(b + 8, g->ssrc_a);
		p->video = FALSE; p->mindex = 0; p->length = AUDIO_LEN;
	} else {
		uint32_t k = g->in_tick - 1;
		bool last = (k + 1 == nvideo);
		b = g->vbuf;
		b[1] = (uint8_t)(96 | (last ? 0x80 : 0));
		put16(b + 2, g->seq_v++); put32(b + 4, g->ts_v); put32(b + 8, g->ssrc_v);
		b[12] = k == 0 ? 0x10 : 0x00;			/* VP8 descriptor: S bit on a frame's first packet */
		b[13] = (k == 0 && key) ? 0x00 : 0x01;		/* VP8 header: P=0 on keyframes */
		p->video = TRUE; p->mindex = 1; p->length = VIDEO_LEN;
	}
	/* payload tail: which packet this is, so misrouted packets change the checksum */
	put32(b + p->length - 4, (uint32_t)g->sent);
	p->buffer = (char *)b;
	g->sent++;
	if(++g->in_tick > nvideo) {
		g->in_tick = 0; g->tick++;
		g->ts_a += 960; g->ts_v += 1800;
	}
}

typedef struct worker {
	contender *c;
	const scenario *s;
	pubgen *gens; int ngens;	/* this thread's publishers (borrowed) */
	simgen *sims;			/* simulcast: this thread's publishers instead of gens */
	uint64_t packets;		/* this thread's share */
	uint64_t expected;		/* deliveries the workload asks for */
	bench_counters got;
	int64_t span_ns, cpu_ns;	/* its last pass: wall time from its start to its end, its CPU time */
} worker;

/* Subscribers of a publisher that aim at substream k (subscriber i aims at i % 3). */
static uint64_t aiming_at(const scenario *s, int k) { return (uint64_t)(s->subs / 3 + (k < s->subs % 3)); }

static void drive(worker *w) {
	janus_plugin_rtp p;
	memset(&bench_tls, 0, sizeof(bench_tls));
	w->expected = 0;
	for(uint64_t i = 0; i < w->packets; i++) {
		bench_handle *h;
		if(w->sims) {
			simgen *g = &w->sims[i % (uint64_t)w->ngens];
			int sub = 0;
			simgen_next(g, &p, &sub);
			w->expected += aiming_at(w->s, sub);
			h = g->h;
		} else {
			pubgen *g = &w->gens[i % (uint64_t)w->ngens];
			pubgen_next(g, w->s->switch_every, &p);
			w->expected += (uint64_t)w->s->subs;
			h = g->h;
		}
		janus_plugin_rtp_extensions_reset(&p.extensions);
		w->c->plugin->incoming_rtp(&h->ps, &p);
	}
	w->got = bench_tls;
}

static int64_t clock_ns(clockid_t id) {
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static int64_t cpu_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

/* One pass of one thread, with its own times (how much of the pass each thread worked). */
static void drive_fn(void *data) {
	worker *w = data;
	int64_t w0 = bench_now_ns(), c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	drive(w);
	w->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	w->span_ns = bench_now_ns() - w0;
}

/* The threads' own times of the last pass, as a JSON array. */
static void print_threads(FILE *out, const worker *ws, int nw) {
	fputs(",\"threads\":[", out);
	for(int t = 0; t < nw; t++)
		fprintf(out, "%s{\"spanNs\":%" G_GINT64_FORMAT ",\"cpuNs\":%" G_GINT64_FORMAT "}", t ? "," : "", ws[t].span_ns, ws[t].cpu_ns);
	fputc(']', out);
}

/* One timed pass over all workers; sums their counters into *sum. */
static void pass(bench_pool *pool, worker *ws, int nw, uint64_t packets, bench_counters *sum, uint64_t *expected, int64_t *wall, int64_t *cpu) {
	uint64_t left = packets;
	for(int t = 0; t < nw; t++) {
		ws[t].packets = t == nw - 1 ? left : packets / (uint64_t)nw;
		left -= ws[t].packets;
	}
	int64_t c0 = cpu_ns(), w0 = bench_now_ns();
	bench_pool_run(pool);
	*wall = bench_now_ns() - w0;
	*cpu = cpu_ns() - c0;
	memset(sum, 0, sizeof(*sum));
	*expected = 0;
	for(int t = 0; t < nw; t++) {
		*expected += ws[t].expected;
		sum->rtp += ws[t].got.rtp; sum->bytes += ws[t].got.bytes;
		sum->checksum += ws[t].got.checksum; sum->pli += ws[t].got.pli;
	}
}

bool driver_run(contender *c, const scenario *s, FILE *out) {
	int nh = s->pubs * (1 + s->subs);
	bench_handle **hs = g_malloc0(sizeof(*hs) * nh);
	pubgen *gens = g_malloc0(sizeof(*gens) * s->pubs);
	simgen *sims = s->simulcast ? g_malloc0(sizeof(*sims) * s->pubs) : NULL;
	bool ok = true;
	int made = 0;
	int64_t t_setup = bench_now_ns();
	for(int p = 0; p < s->pubs && ok; p++) {
		bench_handle *pub = hs[made] = bench_handle_new(made); made++;
		pubgen_init(&gens[p], pub, p);
		if(sims) {
			simgen_init(&sims[p], pub, p);
			ok = c->attach(c, pub) && c->publish_simulcast(c, pub, sims[p].ssrc);
		} else {
			ok = c->attach(c, pub) && c->publish(c, pub);
		}
		for(int k = 0; k < s->subs && ok; k++) {
			bench_handle *sub = hs[made] = bench_handle_new(made); made++;
			ok = c->attach(c, sub) && (sims ? c->subscribe_layer(c, pub, sub, k % SIM_LAYERS) : c->subscribe(c, pub, sub));
		}
	}
	t_setup = bench_now_ns() - t_setup;
	if(ok) {
		int nw = s->threads < s->pubs ? s->threads : s->pubs;
		worker *ws = g_malloc0(sizeof(*ws) * nw);
		for(int t = 0; t < nw; t++) {
			ws[t].c = c; ws[t].s = s;
			/* publishers t, t+nw, ... go to thread t: copy them contiguously */
			ws[t].ngens = 0;
			ws[t].gens = g_malloc0(sizeof(pubgen) * s->pubs);
			if(sims) ws[t].sims = g_malloc0(sizeof(simgen) * s->pubs);
			for(int p = t; p < s->pubs; p += nw) {
				if(sims) ws[t].sims[ws[t].ngens] = sims[p];
				ws[t].gens[ws[t].ngens++] = gens[p];
			}
		}
		bench_counters sum;
		uint64_t expected;
		int64_t wall, cpu;
		void **args = g_new(void *, nw);
		for(int t = 0; t < nw; t++) args[t] = &ws[t];
		bench_pool *pool = bench_pool_new(nw, drive_fn, args);
		g_free(args);
		pass(pool, ws, nw, s->packets / 5 + 1, &sum, &expected, &wall, &cpu);	/* warm-up: caches, lazy allocations */
		fprintf(out, "{\"contender\":\"%s\",\"scenario\":\"%s\",\"pubs\":%d,\"subs\":%d,\"threads\":%d,"
			"\"switchEvery\":%d,\"packetsIn\":%" G_GUINT64_FORMAT ",\"setupNs\":%" G_GINT64_FORMAT ",\"reps\":[",
			c->name, s->name, s->pubs, s->subs, nw, s->switch_every, s->packets, t_setup);
		for(int r = 0; r < s->reps; r++) {
			pass(pool, ws, nw, s->packets, &sum, &expected, &wall, &cpu);
			fprintf(out, "%s{\"wallNs\":%" G_GINT64_FORMAT ",\"cpuNs\":%" G_GINT64_FORMAT ",\"delivered\":%" G_GUINT64_FORMAT
				",\"expected\":%" G_GUINT64_FORMAT
				",\"bytes\":%" G_GUINT64_FORMAT ",\"checksum\":\"%016" G_GINT64_MODIFIER "x\",\"pli\":%" G_GUINT64_FORMAT,
				r ? "," : "", wall, cpu, sum.rtp, expected, sum.bytes, sum.checksum, sum.pli);
			print_threads(out, ws, nw);
			fputc('}', out);
		}
		fprintf(out, "]}\n");
		fflush(out);
		bench_pool_free(pool);
		for(int t = 0; t < nw; t++) { g_free(ws[t].gens); g_free(ws[t].sims); }
		g_free(ws);
	} else {
		fprintf(out, "{\"contender\":\"%s\",\"scenario\":\"%s\",\"pubs\":%d,\"subs\":%d,\"error\":\"setup failed after %d handles\"}\n",
			c->name, s->name, s->pubs, s->subs, made);
		fflush(out);
	}
	/* subscribers first, then publishers */
	for(int i = made - 1; i >= 0; i--) c->detach(c, hs[i]);
	/* Handles are not freed: a contender may drop its last reference on them later
	 * (janus_lua frees sessions lazily), and the process is short-lived. */
	g_free(hs);
	g_free(gens);
	g_free(sims);
	return ok;
}
