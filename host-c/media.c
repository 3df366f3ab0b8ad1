/* media.c — incoming RTP/RTCP/data: the clock is read once, the packet copied into the
 * router's buffer, ONE router call made under ts_lock, its decisions copied out with their
 * recipients' handles (RECORD done there), then ts_lock is released and the relays run
 * with ts_relay_rw read-held, so packet threads relay in parallel while
 * ts_session_destroy() can still wait until no relay to a destroyed handle is under way.
 * RTP seq/ts are rewritten in place per recipient and the original header bytes restored
 * before returning; RTP extensions are passed through. */
#include <string.h>
#include <glib.h>
#include "media.h"
#include "sessions.h"
#include "recorder.h"
#include "router_host.h"
#include "router_abi.h"
#include "ts_control.h"
#include "core.h"
#include "log.h"

static struct {
	uint64_t relay_rtp, relay_rtcp, relay_data, pli, remb, record;
	uint64_t gone;		/* decisions naming a slot without a live session */
	uint64_t bad_records;	/* unknown kinds, or RTP rewrites of a packet shorter than 12 */
	uint64_t dropped;	/* packet calls that returned a drop code */
	uint64_t trapped;	/* packet calls that trapped or were interrupted */
	uint64_t app_data;	/* data messages handed to the app instead of the router */
} st;

static GThread *ticker;
static volatile gint ticker_stop;

static inline uint32_t le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return GUINT32_FROM_LE(v); }
static inline uint16_t le16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return GUINT16_FROM_LE(v); }

/* What the decisions may refer to: the incoming packet (one of the three) and its sender. */
typedef struct incoming {
	janus_plugin_rtp *rtp;
	janus_plugin_rtcp *rtcp;
	janus_plugin_data *data;
} incoming;

/* One decision copied out of the router's buffer under ts_lock, run after it. */
typedef struct ts_action {
	janus_plugin_session *h;	/* borrowed: alive while ts_relay_rw is read-held */
	uint32_t arg;			/* ts (RELAY_RTP) or bitrate (SEND_REMB) */
	uint16_t seq;
	uint8_t kind, mindex;
} ts_action;

/* Per packet thread: room for the router's out_cap actions (no allocation per packet). */
typedef struct ts_actions { uint32_t cap; ts_action a[]; } ts_actions;
static GPrivate tl_actions = G_PRIVATE_INIT(g_free);

static ts_action *actions_buffer(uint32_t n)
{
	ts_actions *b = g_private_get(&tl_actions);
	if (!b || b->cap < n) {
		b = g_malloc(sizeof(ts_actions) + sizeof(ts_action) * n);
		b->cap = n;
		g_private_replace(&tl_actions, b);
	}
	return b->a;
}

/* ts_lock held: the recorders are guarded by it, and the packet is not rewritten yet. */
static void record_locked(uint32_t slot, const uint8_t *rec, incoming *in)
{
	ts_session *dst = ts_session_at_slot_locked(slot);
	if (!dst) { st.gone++; return; }
	if (in->rtp)
		ts_recorder_save_locked(dst, (le32(rec + TS_REC_FLAGS) & TS_F_VIDEO) ? TS_VIDEO : TS_AUDIO,
			in->rtp->buffer, in->rtp->length);
	else if (in->data)
		ts_recorder_save_locked(dst, TS_DATA, in->data->buffer, in->data->length);
	else { st.bad_records++; return; }
	st.record++;
}

/* ts_lock held. Executes RECORD now and copies every other decision (with its recipient's
 * handle) into act; returns how many. Counts them: the counters are guarded by ts_lock. */
static uint32_t collect_locked(int32_t n, incoming *in, ts_action *act)
{
	const uint8_t *rec = rh_mem_base() + rh_out_ptr();
	uint32_t k = 0;
	for (int32_t i = 0; i < n; i++, rec += TS_REC_SIZE) {
		uint8_t kind = rec[TS_REC_KIND];
		uint32_t slot = le32(rec + TS_REC_SLOT);
		janus_plugin_session *h = ts_handle_at_slot_locked(slot);
		if (!h) { st.gone++; continue; }
		switch (kind) {
		case TS_K_RECORD: record_locked(slot, rec, in); continue;
		case TS_K_RELAY_RTP:
			if (!in->rtp || in->rtp->length < 12) { st.bad_records++; continue; }
			st.relay_rtp++;
			break;
		case TS_K_RELAY_RTCP:
			if (!in->rtcp) { st.bad_records++; continue; }
			st.relay_rtcp++;
			break;
		case TS_K_RELAY_DATA:
			if (!in->data) { st.bad_records++; continue; }
			st.relay_data++;
			break;
		case TS_K_SEND_PLI: st.pli++; break;
		case TS_K_SEND_REMB: st.remb++; break;
		default: st.bad_records++; continue;
		}
		act[k++] = (ts_action){ .h = h, .arg = le32(rec + TS_REC_TS), .seq = le16(rec + TS_REC_SEQ),
			.kind = kind, .mindex = rec[TS_REC_MINDEX] };
	}
	return k;
}

/* ts_relay_rw read-held, ts_lock NOT held: the relays of several packet threads run in
 * parallel. RTP seq/ts are rewritten in place per recipient and restored at the end. */
static void run_actions(const ts_action *act, uint32_t k, incoming *in)
{
	janus_plugin_rtp out;
	uint8_t saved[6];
	bool rewritten = false;
	if (in->rtp) {
		out = *in->rtp;	/* same buffer and extensions; mindex and header per recipient */
		memcpy(saved, out.buffer + 2, 6);	/* length >= 12: checked by collect_locked */
	}
	for (uint32_t i = 0; i < k; i++) {
		const ts_action *x = &act[i];
		switch (x->kind) {
		case TS_K_RELAY_RTP: {
			uint16_t nseq = g_htons(x->seq);
			uint32_t nts = g_htonl(x->arg);
			memcpy(out.buffer + 2, &nseq, 2);
			memcpy(out.buffer + 4, &nts, 4);
			rewritten = true;
			out.mindex = x->mindex;
			ts_gateway->relay_rtp(x->h, &out);
			break;
		}
		case TS_K_RELAY_RTCP: {
			janus_plugin_rtcp r = *in->rtcp;
			r.mindex = x->mindex;
			ts_gateway->relay_rtcp(x->h, &r);
			break;
		}
		case TS_K_RELAY_DATA:
			ts_gateway->relay_data(x->h, in->data);	/* label, protocol, binary kept */
			break;
		case TS_K_SEND_PLI:
			if (x->mindex == TS_EVERY_STREAM) ts_gateway->send_pli(x->h);
			else ts_gateway->send_pli_stream(x->h, x->mindex);
			break;
		case TS_K_SEND_REMB:
			ts_gateway->send_remb(x->h, x->arg);
			break;
		}
	}
	if (rewritten) memcpy(out.buffer + 2, saved, 6);
}

/* ts_lock held on entry, released on return. n decision records are at out_ptr: they
 * are copied out, then run without ts_lock but with ts_relay_rw read-held, taken before
 * ts_lock is released, so ts_session_destroy()'s barrier (write side) cannot return while
 * a relay to the destroyed handle is still under way. */
static void execute_and_unlock(int32_t n, incoming *in)
{
	uint32_t k = 0;
	ts_action *act = NULL;
	if (n > 0) {
		if ((uint32_t)n > rh_out_cap()) n = rh_out_cap();
		act = actions_buffer(rh_out_cap());
		k = collect_locked(n, in, act);
	}
	if (k) pthread_rwlock_rdlock(&ts_relay_rw);
	pthread_mutex_unlock(&ts_lock);
	if (k) {
		run_actions(act, k, in);
		pthread_rwlock_unlock(&ts_relay_rw);
	}
}

static inline ts_session *sender_locked(janus_plugin_session *handle)
{
	ts_session *s = handle->plugin_handle;
	return s && s->slot >= 0 && !g_atomic_int_get(&s->destroyed) ? s : NULL;
}

static void route_packet(janus_plugin_session *handle, rh_fn fn, int mindex, bool video,
	const char *buf, uint16_t len, incoming *in)
{
	int64_t now = ts_now_ms();
	pthread_mutex_lock(&ts_lock);
	ts_session *s = sender_locked(handle);
	if (s && rh_loaded()) {
		uint32_t n = len < rh_in_cap() ? len : rh_in_cap();
		memcpy(rh_mem_base() + rh_in_ptr(), buf, n);
		int32_t a[4] = {s->slot, mindex, video, len};
		int32_t r = rh_call_now(fn, 4, a, now);
		if (r > 0) { execute_and_unlock(r, in); return; }
		if (r == RH_TRAPPED) st.trapped++;
		else if (r < 0) st.dropped++;
	}
	pthread_mutex_unlock(&ts_lock);
}

void ts_media_rtp(janus_plugin_session *handle, janus_plugin_rtp *pkt)
{
	if (!ts_running || !pkt || !pkt->buffer || g_atomic_int_get(&handle->stopped)) return;
	incoming in = {.rtp = pkt};
	route_packet(handle, RH_RTP, pkt->mindex, pkt->video, pkt->buffer, pkt->length, &in);
}

void ts_media_rtcp(janus_plugin_session *handle, janus_plugin_rtcp *pkt)
{
	if (!ts_running || !pkt || !pkt->buffer || g_atomic_int_get(&handle->stopped)) return;
	incoming in = {.rtcp = pkt};
	route_packet(handle, RH_RTCP, pkt->mindex, pkt->video, pkt->buffer, pkt->length, &in);
}

/* Lua semantics: when the app implements incomingTextData/incomingBinaryData, data goes
 * to it and the router does not relay it. */
static bool data_to_app(janus_plugin_session *handle, janus_plugin_data *pkt)
{
	const char *cb = pkt->binary ? "incomingBinaryData" : "incomingTextData";
	if (!ts_control_wants(cb)) return false;
	ts_session *s = ts_session_from_handle(handle);
	if (!s) return true;
	json_t *p = json_pack("{sIss?ss?}", "id", (json_int_t)s->id, "label", pkt->label, "protocol", pkt->protocol);
	if (pkt->binary) {
		gchar *b64 = g_base64_encode((const guchar *)pkt->buffer, pkt->length);
		json_object_set_new(p, "data", json_string(b64));
		g_free(b64);
	} else {
		json_object_set_new(p, "text", json_stringn(pkt->buffer, pkt->length));
	}
	ts_session_unref(s);
	ts_control_notify(cb, p);
	pthread_mutex_lock(&ts_lock);
	st.app_data++;
	pthread_mutex_unlock(&ts_lock);
	return true;
}

void ts_media_data(janus_plugin_session *handle, janus_plugin_data *pkt)
{
	if (!ts_running || !pkt || !pkt->buffer || g_atomic_int_get(&handle->stopped)) return;
	if (data_to_app(handle, pkt)) return;
	incoming in = {.data = pkt};
	int64_t now = ts_now_ms();
	pthread_mutex_lock(&ts_lock);
	ts_session *s = sender_locked(handle);
	if (s && rh_loaded()) {
		int32_t a[3] = {s->slot, pkt->length, pkt->binary ? 1 : 0};
		int32_t r = rh_call_now(RH_DATA, 3, a, now);
		if (r > 0) { execute_and_unlock(r, &in); return; }
		if (r == RH_TRAPPED) st.trapped++;
		else if (r < 0) st.dropped++;
	}
	pthread_mutex_unlock(&ts_lock);
}

static gpointer tick_loop(gpointer data)
{
	while (!g_atomic_int_get(&ticker_stop)) {
		g_usleep(100 * 1000);
		incoming none = {0};
		int64_t now = ts_now_ms();
		pthread_mutex_lock(&ts_lock);
		execute_and_unlock(rh_loaded() ? rh_call_now(RH_TICK, 0, NULL, now) : 0, &none);
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
	pthread_mutex_lock(&ts_lock);
	json_t *o = json_pack("{sIsIsIsIsIsIsIsIsIsIsI}",
		"relayRtp", (json_int_t)st.relay_rtp, "relayRtcp", (json_int_t)st.relay_rtcp,
		"relayData", (json_int_t)st.relay_data, "pli", (json_int_t)st.pli, "remb", (json_int_t)st.remb,
		"record", (json_int_t)st.record, "toGoneSessions", (json_int_t)st.gone,
		"badDecisions", (json_int_t)st.bad_records, "dropped", (json_int_t)st.dropped,
		"trapped", (json_int_t)st.trapped, "dataToApp", (json_int_t)st.app_data);
	pthread_mutex_unlock(&ts_lock);
	return o;
}
