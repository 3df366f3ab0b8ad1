/* threads_cmd.c — the fake core's `threadrtp A mindex video K PER` command: K threads, one
 * after the other (as Janus's per-handle loop threads come and go with calls), each sending
 * PER RTP packets from A and exiting. Relays are counted, not printed. Prints
 * {"ev":"threadrtp", threads, relays, firstUsMax, firstUsMedian}: how long each thread's
 * first packet took (the call that gives the thread its router instance). */
#include <stdlib.h>
#include <string.h>
#include "harness.h"

typedef struct sender {
	fake_handle *h;
	int mindex, video, per;
	gint64 first_us;
} sender;

static gpointer send_main(gpointer data)
{
	sender *s = data;
	char buf[200] = {(char)0x80, 96};
	buf[11] = 7;
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = s->mindex;
	p.video = s->video;
	p.buffer = buf;
	p.length = sizeof(buf);
	for (int i = 0; i < s->per; i++) {
		static volatile gint seq;
		uint16_t q = (uint16_t)g_atomic_int_add(&seq, 1);
		buf[2] = (char)(q >> 8);
		buf[3] = (char)q;
		gint64 t0 = g_get_monotonic_time();
		callbacks_plugin->incoming_rtp(&s->h->ps, &p);
		if (i == 0) s->first_us = g_get_monotonic_time() - t0;
	}
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

void cmd_threadrtp(char **a, int n)
{
	fake_handle *h = n > 5 ? harness_handle(a[1]) : NULL;
	int k = h ? atoi(a[4]) : 0;
	if (k <= 0) return;
	gint64 *first = g_new0(gint64, k);
	quiet = 1;
	quiet_relays = 0;
	for (int i = 0; i < k; i++) {
		sender s = {h, atoi(a[2]), atoi(a[3]), atoi(a[5]), 0};
		g_thread_join(g_thread_new("threadrtp", send_main, &s));
		first[i] = s.first_us;
	}
	quiet = 0;
	qsort(first, k, sizeof(*first), by_value);
	emit(json_pack("{sssisIsIsI}", "ev", "threadrtp", "threads", k, "relays", (json_int_t)quiet_relays,
		"firstUsMax", (json_int_t)first[k - 1], "firstUsMedian", (json_int_t)first[k / 2]));
	g_free(first);
}
