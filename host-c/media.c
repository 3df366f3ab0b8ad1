/* media.c — incoming RTP/RTCP/data on the Janus thread that received them: the clock is read
 * once, what the router reads is copied into this thread's buffer (an RTP packet's first
 * TS_RTP_HEAD_CAP bytes and its last byte, an RTCP packet whole, nothing of data), ONE
 * call is made on this thread's router instance, and its decisions are run in one pass:
 * relays, keyframe requests, REMB, recordings. No lock is taken: the whole packet is handled
 * inside a reader section (rcu.h), so control calls on other threads wait for it before
 * they free or reuse anything it may reach. RTP seq/ts (and mindex) are rewritten in place
 * per recipient and restored before returning; RTP extensions are passed through. */
#include <string.h>
#include <glib.h>
#include "media.h"
#include "sessions.h"
#include "recorder.h"
#include "forwarders.h"
#include "router_threads.h"
#include "router_abi.h"
#include "globals.h"
#include "log.h"

/* Host-side counters, per thread context (written by its thread only, read by stats). */
typedef struct media_counts {
	_Atomic uint64_t relay_rtp, relay_rtcp, relay_data, pli, remb, record;
	_Atomic uint64_t gone;		/* decisions naming a slot without a live session */
	_Atomic uint64_t bad;		/* unknown kinds, or RTP rewrites of a packet shorter than 12 */
	_Atomic uint64_t dropped;	/* packet calls that returned a drop code */
	_Atomic uint64_t trapped;	/* packet calls that trapped or were interrupted */
	_Atomic uint64_t events, forward;	/* EVENTs to the app, RTP_FORWARDs sent */
} __attribute__((aligned(TS_LINE_PAIR))) media_counts;
static media_counts counts[TS_RCU_MAX_READERS];
static _Atomic uint64_t app_data;	/* data messages handed to the app instead of the router */

static GThread *ticker;
static volatile gint ticker_stop;

static inline void add(_Atomic uint64_t *c, uint64_t n)
{
	if (n) atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}
static inline uint32_t le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return GUINT32_FROM_LE(v); }
static inline uint16_t le16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return GUINT16_FROM_LE(v); }

/* The incoming packet (one of the three) the decisions refer to; the RTP header bytes 1..8
 * and mindex saved before the first rewrite; the VP8 picture id / TL0PICIDX positions of
 * PACKET_INFO and their bytes, saved before the first write. */
typedef struct packet {
	janus_plugin_rtp *rtp;
	janus_plugin_rtcp *rtcp;
	janus_plugin_data *data;
	bool rewritten;
	int mindex;
	uint8_t saved[7];
	uint16_t pic_at, tl0_at;	/* offsets in the packet, 0 = none */
	bool pic_long;			/* 15-bit picture id: 2 bytes */
	bool ids_written;
	uint8_t saved_ids[3];		/* picture id (1 or 2 bytes), TL0PICIDX */
} packet;

static __attribute__((noinline)) void restore_ids(packet *in)
{
	if (in->pic_at) memcpy(in->rtp->buffer + in->pic_at, in->saved_ids, in->pic_long ? 2 : 1);
	if (in->tl0_at) in->rtp->buffer[in->tl0_at] = (char)in->saved_ids[2];
	in->ids_written = false;
}

static inline void restore(packet *in)
{
	if (!in->rewritten) return;
	memcpy(in->rtp->buffer + 1, in->saved, 7);
	in->rtp->mindex = in->mindex;
	if (__builtin_expect(in->ids_written, 0)) restore_ids(in);
	in->rewritten = false;
}

/* PACKET_INFO: where this packet's VP8 picture id and TL0PICIDX are (checked against it). */
static bool packet_info(packet *in, const uint8_t *rec)
{
	janus_plugin_rtp *p = in->rtp;
	if (!p) return false;
	uint32_t f = le32(rec + TS_REC_FLAGS), pic = le16(rec + TS_REC_SEQ), tl0 = le32(rec + TS_REC_TS);
	in->pic_long = (f & TS_PI_PICID_LONG) != 0;
	in->pic_at = (f & TS_PI_HAS_PICID) && pic >= 12 && pic + (in->pic_long ? 2u : 1u) <= p->length ? pic : 0;
	in->tl0_at = (f & TS_PI_HAS_TL0) && tl0 >= 12 && tl0 < p->length ? tl0 : 0;
	return true;
}

/* A RELAY_RTP's picture id / TL0PICIDX (flags) written where PACKET_INFO said. */
static void write_ids(packet *in, uint32_t flags)
{
	uint8_t *b = (uint8_t *)in->rtp->buffer;
	if (!in->ids_written) {
		if (in->pic_at) memcpy(in->saved_ids, b + in->pic_at, in->pic_long ? 2 : 1);
		if (in->tl0_at) in->saved_ids[2] = b[in->tl0_at];
		in->ids_written = true;
	}
	uint32_t pic = (flags >> 16) & 0x7FFF;
	if ((flags & TS_F_HAS_PICID) && in->pic_at) {
		if (in->pic_long) { b[in->pic_at] = (uint8_t)(0x80 | (pic >> 8)); b[in->pic_at + 1] = (uint8_t)pic; }
		else b[in->pic_at] = (uint8_t)(pic & 0x7F);
	}
	if ((flags & TS_F_HAS_TL0) && in->tl0_at) b[in->tl0_at] = (uint8_t)(flags >> 8);
}

/* RELAY_RTP: byte 1 (marker, payload type), seq/ts, mindex and the VP8 ids of this
 * recipient written into the incoming packet. */
static inline bool relay_rtp(janus_plugin_session *h, const uint8_t *rec, packet *in)
{
	janus_plugin_rtp *p = in->rtp;
	if (!p || p->length < 12 || rec[TS_REC_MINDEX] >= TS_MAX_STREAMS) return false;	/* a router bug: counted */
	if (!in->rewritten) {
		memcpy(in->saved, p->buffer + 1, 7);
		in->mindex = p->mindex;
		in->rewritten = true;
	}
	uint16_t seq = g_htons(le16(rec + TS_REC_SEQ));
	uint32_t ts = g_htonl(le32(rec + TS_REC_TS));
	char *b = p->buffer;	/* once: a char store could alias p->buffer itself */
	b[1] = (char)rec[TS_REC_B1];
	memcpy(b + 2, &seq, 2);
	memcpy(b + 4, &ts, 4);
	uint32_t flags = le32(rec + TS_REC_FLAGS);
	if (__builtin_expect(flags & (TS_F_HAS_PICID | TS_F_HAS_TL0), 0)) write_ids(in, flags);
	p->mindex = rec[TS_REC_MINDEX];
	ts_gateway->relay_rtp(h, p);
	return true;
}

ts_media_event_fn ts_media_event_hook;

/* EVENT: to the app, through the hook plugin.c set (a queued control notification). */
static void event(media_counts *c, uint32_t slot, const uint8_t *rec)
{
	ts_session *s = ts_session_at(slot);
	ts_media_event_fn hook = ts_media_event_hook;
	if (!s || !hook) { add(&c->gone, 1); return; }
	hook(s->id, rec[TS_REC_MINDEX], le16(rec + TS_REC_SEQ), le32(rec + TS_REC_TS), le32(rec + TS_REC_FLAGS));
	add(&c->events, 1);
}

/* The kinds that name no Janus handle: EVENT (a session), PACKET_INFO, RTP_FORWARD. */
static bool run_media(media_counts *c, uint32_t slot, const uint8_t *rec, packet *in)
{
	switch (rec[TS_REC_KIND]) {
	case TS_K_EVENT:
		event(c, slot, rec);
		return true;
	case TS_K_PACKET_INFO:
		return packet_info(in, rec);
	case TS_K_RTP_FORWARD:
		if (!in->rtp) return false;
		restore(in);
		ts_fwd_send(slot, in->rtp, rec);
		add(&c->forward, 1);
		return true;
	default:
		return false;
	}
}

/* Every kind but RELAY_RTP. Returns false for a decision that does not fit the packet. */
static bool run_other(media_counts *c, uint32_t slot, const uint8_t *rec, packet *in)
{
	if (rec[TS_REC_KIND] >= TS_K_EVENT) return run_media(c, slot, rec, in);
	janus_plugin_session *h = ts_handle_at(slot);
	if (!h) { add(&c->gone, 1); return true; }
	uint8_t kind = rec[TS_REC_KIND], mindex = rec[TS_REC_MINDEX];
	switch (kind) {
	case TS_K_RECORD: {
		ts_session *s = ts_session_at(slot);
		if (!s || !(in->rtp || in->data)) return false;
		restore(in);	/* the router puts RECORD first: this is a safety net */
		if (in->rtp)
			ts_recorders_save(&s->rec, (le32(rec + TS_REC_FLAGS) & TS_F_VIDEO) ? TS_VIDEO : TS_AUDIO, in->rtp->buffer, in->rtp->length);
		else
			ts_recorders_save(&s->rec, TS_DATA, in->data->buffer, in->data->length);
		add(&c->record, 1);
		return true;
	}
	case TS_K_RELAY_RTCP: {
		if (!in->rtcp || mindex >= TS_MAX_STREAMS) return false;
		janus_plugin_rtcp r = *in->rtcp;
		r.mindex = mindex;
		ts_gateway->relay_rtcp(h, &r);
		add(&c->relay_rtcp, 1);
		return true;
	}
	case TS_K_RELAY_DATA:
		if (!in->data) return false;
		ts_gateway->relay_data(h, in->data);	/* label (or the relay label), protocol, binary kept */
		add(&c->relay_data, 1);
		return true;
	case TS_K_SEND_PLI:
		if (mindex != TS_EVERY_STREAM && mindex >= TS_MAX_STREAMS) return false;
		if (mindex == TS_EVERY_STREAM) ts_gateway->send_pli(h);
		else ts_gateway->send_pli_stream(h, mindex);
		add(&c->pli, 1);
		return true;
	case TS_K_SEND_REMB:
		ts_gateway->send_remb(h, le32(rec + TS_REC_TS));
		add(&c->remb, 1);
		return true;
	default:
		return false;
	}
}

/* The n decision records of the call just made (RELAY_RTP first: it is nearly all of them). */
static void run(rh_thread *t, int32_t n, packet *in)
{
	media_counts *c = &counts[t->index];
	if (n <= 0) {
		add(n == RH_TRAPPED ? &c->trapped : &c->dropped, n < 0);
		return;
	}
	if ((uint32_t)n > t->inst.out_cap) n = t->inst.out_cap;
	const uint8_t *rec = t->inst.out;
	uint64_t relayed = 0, gone = 0, bad = 0;
	const ts_slot_table slots = ts_slots();
	for (int32_t i = 0; i < n; i++, rec += TS_REC_SIZE) {
		uint32_t slot = le16(rec + TS_REC_SLOT);
		if (rec[TS_REC_KIND] == TS_K_RELAY_RTP) {
			janus_plugin_session *h = ts_handle_in(slots, slot);
			if (!h) gone++;
			else if (relay_rtp(h, rec, in)) relayed++;
			else bad++;
		} else if (!run_other(c, slot, rec, in)) {
			bad++;
		}
	}
	restore(in);
	add(&c->relay_rtp, relayed);
	add(&c->gone, gone);
	add(&c->bad, bad);
}

static inline void enter(rh_thread *t)
{
	if (t->shared) pthread_mutex_lock(t->shared);
	ts_rcu_enter(t->reader);
}

static inline void leave(rh_thread *t)
{
	ts_rcu_exit(t->reader);
	if (t->shared) pthread_mutex_unlock(t->shared);
}

/* Inside the reader section: the sender's slot, -1 if it has none or the plugin stops. */
static inline int sender(janus_plugin_session *handle)
{
	if (!atomic_load_explicit(&ts_running, memory_order_relaxed) || g_atomic_int_get(&handle->stopped)) return -1;
	return ts_sender_slot(handle);
}

/* What the router reads of an RTP packet: the first TS_RTP_HEAD_CAP bytes (a fixed-size copy,
 * unrolled, in the common case) and the last byte. */
static inline void copy_head(uint8_t *in, const char *buf, uint16_t len)
{
	typedef uint8_t chunk __attribute__((vector_size(16), aligned(1), may_alias));
	if (__builtin_expect(len >= TS_RTP_HEAD_CAP, 1)) {
#pragma GCC unroll 16
		for (int i = 0; i < TS_RTP_HEAD_CAP; i += 16) *(chunk *)(in + i) = *(const chunk *)(buf + i);
	} else {
		memcpy(in, buf, len);
	}
	if (len) in[TS_RTP_TAIL_AT] = (uint8_t)buf[len - 1];
}

static inline void args(wasmtime_val_raw_t *v, int slot, int mindex, int video, uint32_t len, int64_t now)
{
	v[0].i32 = slot;
	v[1].i32 = mindex;
	v[2].i32 = video;
	v[3].i32 = (int32_t)len;
	v[4].i64 = now;
}

/* rtp()'s level: the audio level Janus parsed (level | vad << 7), -1 without one. */
static inline int32_t audio_level(const janus_plugin_rtp *p)
{
	if (p->video || p->extensions.audio_level < 0) return -1;
	return (p->extensions.audio_level & 0x7F) | (p->extensions.audio_level_vad ? 0x80 : 0);
}

/* RTP or RTCP: what the router reads copied in, one call, its decisions run. Inline with a
 * constant fn, so each caller gets its own copy step. */
static inline __attribute__((always_inline)) void media_call(janus_plugin_session *handle, rh_fn fn, janus_plugin_rtp *rtp,
	janus_plugin_rtcp *rtcp, const char *buf, uint16_t len, int mindex, bool video)
{
	rh_thread *t = buf ? rh_thread_self() : NULL;
	if (!t) return;
	int64_t now = ts_now_ms();
	enter(t);
	int slot = sender(handle);
	if (slot >= 0) {
		if (fn == RH_RTP) copy_head(t->inst.in, buf, len);
		else memcpy(t->inst.in, buf, len < t->inst.in_cap ? len : t->inst.in_cap);
		wasmtime_val_raw_t v[6];
		args(v, slot, mindex, video ? 1 : 0, len, now);
		if (fn == RH_RTP) v[5].i32 = audio_level(rtp);
		packet in = {.rtp = rtp, .rtcp = rtcp};
		run(t, rh_instance_call(&t->inst, fn, v, fn == RH_RTP ? 6 : 5), &in);
	}
	leave(t);
}

void ts_media_rtp(janus_plugin_session *handle, janus_plugin_rtp *pkt)
{
	if (pkt) media_call(handle, RH_RTP, pkt, NULL, pkt->buffer, pkt->length, pkt->mindex, pkt->video);
}

void ts_media_rtcp(janus_plugin_session *handle, janus_plugin_rtcp *pkt)
{
	if (pkt) media_call(handle, RH_RTCP, NULL, pkt, pkt->buffer, pkt->length, pkt->mindex, pkt->video);
}

void ts_media_data(janus_plugin_session *handle, janus_plugin_data *pkt)
{
	rh_thread *t = pkt && pkt->buffer ? rh_thread_self() : NULL;
	if (!t) return;
	int64_t now = ts_now_ms();
	enter(t);
	int slot = sender(handle);
	if (slot >= 0) {
		/* Inside the reader section: the session and its relay label are not freed. */
		ts_session *from = __atomic_load_n((ts_session **)&handle->plugin_handle, __ATOMIC_ACQUIRE);
		janus_plugin_data out = *pkt;
		if (from) {
			ts_session_saw_client_data(from);
			char *label = atomic_load_explicit(&from->relay_label, memory_order_acquire);
			if (label) out.label = label;	/* what recipients see (a VideoRoom: the publisher's id) */
		}
		wasmtime_val_raw_t v[5];
		v[0].i32 = slot;
		v[1].i32 = (int32_t)pkt->length;
		v[2].i32 = pkt->binary ? 1 : 0;
		v[3].i64 = now;
		packet in = {.data = &out};
		run(t, rh_instance_call(&t->inst, RH_DATA, v, 4), &in);
	}
	leave(t);
}

void ts_media_count_app_data(void)
{
	atomic_fetch_add_explicit(&app_data, 1, memory_order_relaxed);
}

static gpointer tick_loop(gpointer data)
{
	while (!g_atomic_int_get(&ticker_stop)) {
		g_usleep(100 * 1000);
		rh_thread *t = rh_thread_self();
		if (!t) continue;
		int64_t now = ts_now_ms();
		enter(t);
		if (atomic_load(&ts_running)) {
			wasmtime_val_raw_t v[1] = {{.i64 = now}};
			packet none = {0};
			run(t, rh_instance_call(&t->inst, RH_TICK, v, 1), &none);
		}
		leave(t);
	}
	return NULL;
}

void ts_media_start_ticker(void)
{
	g_atomic_int_set(&ticker_stop, 0);
	ticker = g_thread_new("janus-ts tick", tick_loop, NULL);
}

void ts_media_stop_ticker(void)
{
	if (!ticker) return;
	g_atomic_int_set(&ticker_stop, 1);
	g_thread_join(ticker);
	ticker = NULL;
}

json_t *ts_media_stats(void)
{
	uint64_t s[12] = {0};
	for (int i = 0; i < TS_RCU_MAX_READERS; i++) {
		const _Atomic uint64_t *f = &counts[i].relay_rtp;
		for (int k = 0; k < 12; k++) s[k] += atomic_load_explicit(&f[k], memory_order_relaxed);
	}
	return json_pack("{sIsIsIsIsIsIsIsIsIsIsIsIsI}",
		"relayRtp", (json_int_t)s[0], "relayRtcp", (json_int_t)s[1], "relayData", (json_int_t)s[2],
		"pli", (json_int_t)s[3], "remb", (json_int_t)s[4], "record", (json_int_t)s[5],
		"toGoneSessions", (json_int_t)s[6], "badDecisions", (json_int_t)s[7], "dropped", (json_int_t)s[8],
		"trapped", (json_int_t)s[9], "events", (json_int_t)s[10], "rtpForwarded", (json_int_t)s[11],
		"dataToApp", (json_int_t)atomic_load(&app_data));
}
