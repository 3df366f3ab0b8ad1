/* signalling.c — see signalling.h. */
#include <stdlib.h>
#include <time.h>
#include "signalling.h"

static int cmp64(const void *a, const void *b) {
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void sleep_until(int64_t t) {
	struct timespec ts = { t / 1000000000LL, t % 1000000000LL };
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* Latency of one request: sync = the handle_message call; async = until push_event. */
static bool one(contender *c, bench_handle *h, bool async, int64_t *lat) {
	int64_t t0 = bench_now_ns();
	bool ok = async ? c->async_req(c, h) : c->ping(c, h);
	if(!ok) return false;
	int64_t t1 = async ? h->last_event_ns : bench_now_ns();
	*lat = t1 - t0;
	return true;
}

static void kind(contender *c, bench_handle *h, bool async, int count, int rate, FILE *out) {
	int64_t *lat = g_malloc0(sizeof(int64_t) * count);
	int fails = 0;
	/* back to back: requests/s */
	int64_t t0 = bench_now_ns();
	for(int i = 0; i < count; i++) {
		int64_t l;
		if(!one(c, h, async, &l)) fails++;
	}
	double rps = count / ((bench_now_ns() - t0) / 1e9);
	/* paced at `rate`: latency percentiles */
	int n = 0;
	int64_t start = bench_now_ns();
	for(int i = 0; i < count; i++) {
		sleep_until(start + (int64_t)i * 1000000000LL / rate);
		if(one(c, h, async, &lat[n])) n++; else fails++;
	}
	qsort(lat, n, sizeof(int64_t), cmp64);
	double p50 = n ? lat[n / 2] / 1e3 : -1, p99 = n ? lat[(n * 99) / 100] / 1e3 : -1, max = n ? lat[n - 1] / 1e3 : -1;
	fprintf(out, "\"%s\":{\"backToBackRps\":%.0f,\"rate\":%d,\"p50Us\":%.1f,\"p99Us\":%.1f,\"maxUs\":%.1f,\"failures\":%d}",
		async ? "async" : "sync", rps, rate, p50, p99, max, fails);
	g_free(lat);
}

void signalling_run(contender *c, const char *label, int count, int rate, FILE *out) {
	if(!label) label = c->name;
	bench_handle *h = bench_handle_new(0);
	if(!c->attach(c, h)) {
		fprintf(out, "{\"contender\":\"%s\",\"scenario\":\"signalling\",\"error\":\"attach failed\"}\n", label);
		return;
	}
	int64_t until = bench_now_ns() + 15000000000LL, l;
	while(!one(c, h, false, &l)) {
		if(bench_now_ns() > until) {
			fprintf(out, "{\"contender\":\"%s\",\"scenario\":\"signalling\",\"error\":\"no answer to a trivial request within 15 s\"}\n", label);
			c->detach(c, h);
			return;
		}
		g_usleep(100000);
	}
	for(int i = 0; i < 100; i++) one(c, h, false, &l);	/* warm-up */
	fprintf(out, "{\"contender\":\"%s\",\"scenario\":\"signalling\",\"count\":%d,", label, count);
	kind(c, h, false, count, rate, out);
	fputc(',', out);
	if(c->async_req) kind(c, h, true, count, rate, out);
	else fprintf(out, "\"async\":null");
	fprintf(out, "}\n");
	fflush(out);
	c->detach(c, h);
}
