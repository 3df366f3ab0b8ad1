/* api_media.c — the media half of ts_api.h: simulcast/SVC layer targets and simulcast
 * descriptions, talk detection and the loudest speaker, RTP forwarders. Router control calls
 * under ts_core_lock (ts_with_session); a forwarder's host is resolved before the lock. */
#include <netdb.h>
#include <string.h>
#include <glib.h>
#pragma GCC visibility push(default)
#include "ts_api.h"
#pragma GCC visibility pop
#include "api_session.h"
#include "forwarders.h"
#include "router_host.h"
#include "router_abi.h"
#include "globals.h"

/* A router call (slot, mindex or every stream, two values) on one session's streams. */
typedef struct stream_call { rh_fn fn; int mindex, a, b; } stream_call;

static ts_err call_on_streams(ts_session *s, void *arg)
{
	stream_call *x = arg;
	int32_t a[4] = {0, x->mindex < 0 ? TS_EVERY_STREAM : x->mindex, x->a, x->b};
	return ts_slot_call(s, x->fn, 4, a);
}

ts_err ts_api_set_layer(uint32_t id, int mindex, ts_layer which, int value)
{
	if (mindex < -1 || mindex >= TS_MAX_STREAMS || (unsigned)which > TS_SPATIAL || value < 0 || value > 2) return TS_E_BAD_ARGS;
	stream_call x = {RH_SET_LAYERS, mindex, which, value};
	return ts_with_session(id, true, call_on_streams, &x);
}

typedef struct simulcast_args { int mindex; uint8_t blob[TS_SIMULCAST_BLOB]; } simulcast_args;

static ts_err set_simulcast(ts_session *s, void *arg)
{
	simulcast_args *x = arg;
	size_t cap = 0;
	uint8_t *in = rh_blob(&cap);
	if (!in || cap < TS_SIMULCAST_BLOB) return TS_E_INTERNAL;
	memcpy(in, x->blob, TS_SIMULCAST_BLOB);
	int32_t a[2] = {0, x->mindex};
	return ts_slot_call(s, RH_SET_SIMULCAST, 2, a);
}

/* The set_simulcast blob (router_abi.h), or a reason why the values cannot be. */
static char *simulcast_blob(uint8_t *b, const char *codec, const uint32_t *ssrcs, int nssrc,
	const char *const *rids, int nrid, int rid_ext)
{
	memset(b, 0, TS_SIMULCAST_BLOB);
	if (!codec) return NULL;	/* off */
	b[0] = !g_ascii_strcasecmp(codec, "vp8") ? TS_CODEC_VP8 : !g_ascii_strcasecmp(codec, "vp9") ? TS_CODEC_VP9
		: !g_ascii_strcasecmp(codec, "h264") ? TS_CODEC_H264 : 0;
	if (!b[0]) return g_strdup_printf("codec: expected one of vp8|vp9|h264, got '%s'", codec);
	if (nssrc < 0 || nssrc > 3 || nrid < 0 || nrid > 3) return g_strdup("at most 3 ssrcs and 3 rids (one per substream)");
	if (nrid > 0 && (rid_ext < 1 || rid_ext > 255)) return g_strdup("ridExtId: rids need the rid extension's id (1..255)");
	b[1] = nrid > 0 ? (uint8_t)rid_ext : 0;
	b[2] = (uint8_t)nssrc;
	b[3] = (uint8_t)nrid;
	memcpy(b + 4, ssrcs, sizeof(uint32_t) * (size_t)nssrc);	/* little-endian host: as the router reads them */
	for (int i = 0; i < nrid; i++) {
		size_t n = strlen(rids[i]);
		if (n < 1 || n > 15) return g_strdup_printf("rids: '%s' is not 1 to 15 characters long", rids[i]);
		b[16 + 16 * i] = (uint8_t)n;
		memcpy(b + 17 + 16 * i, rids[i], n);
	}
	return NULL;
}

ts_err ts_api_configure_simulcast(uint32_t id, int mindex, const char *codec, const uint32_t *ssrcs, int nssrc,
	const char *const *rids, int nrid, int rid_ext, char **reason)
{
	if (mindex < 0 || mindex >= TS_MAX_STREAMS) return TS_E_BAD_ARGS;
	simulcast_args x = {.mindex = mindex};
	char *why = simulcast_blob(x.blob, codec, ssrcs, nssrc, rids, nrid, rid_ext);
	if (why) {
		if (reason) *reason = why;
		else g_free(why);
		return TS_E_BAD_ARGS;
	}
	return ts_with_session(id, true, set_simulcast, &x);
}

ts_err ts_api_configure_talk(uint32_t id, int mindex, int window, int threshold)
{
	if (mindex < -1 || mindex >= TS_MAX_STREAMS || window < 0 || window > 65535) return TS_E_BAD_ARGS;
	if (window > 0 && (threshold < 1 || threshold > 127)) return TS_E_BAD_ARGS;
	stream_call x = {RH_SET_TALK, mindex, window, threshold};
	return ts_with_session(id, true, call_on_streams, &x);
}

ts_err ts_api_loudest(const uint32_t *ids, size_t n, int max_age_ms, uint32_t *loudest, double *level)
{
	*loudest = 0;
	*level = 0;
	int32_t best = -1;
	int64_t now = ts_now_ms();
	ts_core_lock();
	for (size_t i = 0; i < n; i++) {
		ts_session *s = ts_session_lookup_locked(ids[i]);
		int32_t slot = s ? atomic_load(&s->slot) : -1;
		int32_t score = slot >= 0 ? rh_talk_score(slot, TS_EVERY_STREAM, now, max_age_ms) : -1;
		if (score >= 0 && (best < 0 || score < best)) {
			best = score;
			*loudest = ids[i];
		}
		ts_session_unref(s);
	}
	ts_core_unlock();
	if (best >= 0) *level = best / 100.0;
	return TS_OK;
}

typedef struct forward_args {
	int mindex;
	ts_fwd_target t;
	uint32_t forwarder;
	char *reason;
} forward_args;

static ts_err start_forward(ts_session *s, void *arg)
{
	forward_args *x = arg;
	const ts_mline *m = (unsigned)x->mindex < s->mlines.count ? &s->mlines.m[x->mindex] : NULL;
	if (s->mlines.count && (!m || !m->active || (m->kind != TS_SD_AUDIO && m->kind != TS_SD_VIDEO))) {
		x->reason = g_strdup_printf("session %u has no audio or video stream on m-line %d", s->id, x->mindex);
		return TS_E_BAD_ARGS;
	}
	bool video = m ? m->kind == TS_SD_VIDEO : true;
	return ts_fwd_start_locked(s->id, atomic_load(&s->slot), x->mindex, video, &x->t, &x->forwarder, &x->reason);
}

/* host → x->t.addr (a name is resolved here, before any lock); false with *reason. */
static bool resolve(const char *host, int port, ts_fwd_target *t, char **reason)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res = NULL;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res || res->ai_addrlen > sizeof(t->addr)) {
		*reason = g_strdup_printf("host: cannot resolve '%s' (%s)", host, rc ? gai_strerror(rc) : "no address");
		if (res) freeaddrinfo(res);
		return false;
	}
	memcpy(&t->addr, res->ai_addr, res->ai_addrlen);
	t->addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	if (t->addr.ss_family == AF_INET) ((struct sockaddr_in *)&t->addr)->sin_port = htons((uint16_t)port);
	else ((struct sockaddr_in6 *)&t->addr)->sin6_port = htons((uint16_t)port);
	return true;
}

ts_err ts_api_rtp_forward(uint32_t id, int mindex, const char *host, int port, uint32_t ssrc, int pt, int substream,
	uint32_t *forwarder, char **reason)
{
	if (mindex < 0 || mindex >= TS_MAX_STREAMS || !host || port < 1 || port > 65535 || pt < -1 || pt > 127
			|| substream < -1 || substream > 2)
		return TS_E_BAD_ARGS;
	forward_args x = {.mindex = mindex, .t = {.host = host, .port = (uint16_t)port, .ssrc = ssrc, .pt = pt, .substream = substream}};
	if (!resolve(host, port, &x.t, reason)) return TS_E_BAD_ARGS;
	ts_err e = ts_with_session(id, true, start_forward, &x);
	*forwarder = x.forwarder;
	if (reason) *reason = x.reason;
	else g_free(x.reason);
	return e;
}

ts_err ts_api_stop_rtp_forward(uint32_t forwarder)
{
	ts_core_lock();
	ts_err e = ts_fwd_stop_locked(forwarder);
	ts_core_unlock();
	return e;
}

static ts_err list(ts_session *s, void *out)
{
	*(json_t **)out = ts_fwd_list_locked(s->id);
	return TS_OK;
}

json_t *ts_api_list_forwarders(uint32_t id)
{
	json_t *out = NULL;
	if (id) {
		ts_with_session(id, true, list, &out);
		return out;
	}
	ts_core_lock();
	out = ts_fwd_list_locked(0);
	ts_core_unlock();
	return out;
}
