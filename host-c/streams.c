/* streams.c — see streams.h. */
#include <string.h>
#include <glib.h>
#include "streams.h"
#include "sdp_codecs.h"
#include "router_host.h"
#include "router_abi.h"
#include "globals.h"
#include "log.h"

/* The router's set_streams arguments for a session's m-lines (ts_core_lock held). */
static void give_router_locked(ts_session *s)
{
	uint64_t lo = 0, hi = 0;
	for (unsigned m = 0; m < s->mlines.count; m++) {
		uint64_t d = ts_mline_descriptor(&s->mlines.m[m]);
		if (m < 8) lo |= d << (8 * m);
		else hi |= d << (8 * (m - 8));
	}
	int slot = atomic_load(&s->slot);
	if (slot >= 0) rh_set_streams(slot, s->mlines.count, lo, hi);
}

/* "2nd video", "video": which stream of its kind m is, for messages. */
static void ordinal_name(const ts_session *s, unsigned m, char *buf, size_t size)
{
	const ts_mline *x = &s->mlines.m[m];
	unsigned k = 0;
	for (unsigned i = 0; i < m; i++)
		k += s->mlines.m[i].active && s->mlines.m[i].kind == x->kind;
	static const char *const nth[] = {"", "2nd ", "3rd "};
	if (k < 3) g_snprintf(buf, size, "%s%s", nth[k], ts_mline_kind_name(x->kind));
	else g_snprintf(buf, size, "%uth %s", k + 1, ts_mline_kind_name(x->kind));
}

/* Why the route s → r carries nothing on stream m that goes to target (or a negative
 * router code); NULL when media can flow. */
static char *problem_locked(const ts_session *s, unsigned m, const ts_session *r, int32_t target)
{
	const ts_mline *x = &s->mlines.m[m];
	char what[32];
	ordinal_name(s, m, what, sizeof(what));
	if (target == TS_R_E_NOSTREAM) return g_strdup_printf("recipient %u has no %s stream", r->id, what);
	if (target < 0) return g_strdup_printf("the router could not resolve it (error %d)", target);
	if (r->mlines.count == 0)
		return g_strdup_printf("recipient %u has not negotiated its streams yet (resolved when it does)", r->id);
	if (!x->send) return g_strdup_printf("session %u does not send on its m-line %u", s->id, m);
	if ((unsigned)target >= r->mlines.count || !r->mlines.m[target].recv)
		return g_strdup_printf("recipient %u does not receive on its m-line %d", r->id, target);
	return NULL;
}

json_t *ts_streams_resolve_locked(ts_session *s, ts_session *r, const char *context)
{
	json_t *streams = json_array();
	for (unsigned m = 0; m < s->mlines.count; m++) {
		const ts_mline *x = &s->mlines.m[m];
		if (!x->active || x->kind == TS_SD_OTHER) continue;
		int32_t a[3] = {atomic_load(&s->slot), (int32_t)m, atomic_load(&r->slot)};
		int32_t target = a[0] >= 0 && a[2] >= 0 ? rh_call(RH_STREAM_RESOLVE, 3, a) : TS_R_E_SLOT;
		char *problem = problem_locked(s, m, r, target);
		json_t *e = json_pack("{sisssosb}", "mindex", (int)m, "type", ts_mline_kind_name(x->kind),
			"recipientMindex", target >= 0 ? json_integer(target) : json_null(), "carries", problem == NULL);
		if (problem) {
			json_object_set_new(e, "reason", json_string(problem));
			TS_LOG(LOG_VERB, "%s: route %u -> %u carries nothing from m-line %u (%s): %s\n",
				context, s->id, r->id, m, ts_mline_kind_name(x->kind), problem);
			g_free(problem);
		}
		json_array_append_new(streams, e);
	}
	if (s->mlines.count == 0)
		TS_LOG(LOG_VERB, "%s: route %u -> %u: session %u has not negotiated its streams yet (resolved when it does)\n",
			context, s->id, r->id, s->id);
	return json_pack("{sbso}", "pending", s->mlines.count == 0 || r->mlines.count == 0, "streams", streams);
}

/* Resolves again (for the log) every every-stream route from or to s (ts_core_lock held). */
static void recheck_routes_locked(ts_session *s)
{
	GArray *ids = ts_session_ids_locked();
	for (guint i = 0; i < ids->len; i++) {
		ts_session *x = ts_session_lookup_locked(g_array_index(ids, guint32, i));
		if (!x) continue;
		int32_t n = 0, xslot = atomic_load(&x->slot), sslot = atomic_load(&s->slot);
		const uint8_t *rec = xslot >= 0 ? rh_routes(xslot, &n) : NULL;
		/* Collect first: resolving calls the router, which invalidates rec. */
		GArray *to = g_array_new(FALSE, FALSE, sizeof(uint16_t));
		for (int32_t j = 0; j < n; j++) {
			const uint8_t *r = rec + j * TS_ROUTE_SIZE;
			uint16_t dst;
			memcpy(&dst, r + 2, 2);
			dst = GUINT16_FROM_LE(dst);
			if (r[0] == TS_EVERY_STREAM && (x == s || dst == (uint16_t)sslot)) g_array_append_val(to, dst);
		}
		for (guint j = 0; j < to->len; j++) {
			ts_session *r = ts_session_at(g_array_index(to, uint16_t, j));	/* registered: alive under the lock */
			if (r) json_decref(ts_streams_resolve_locked(x, r, "new SDP"));
		}
		g_array_free(to, TRUE);
		ts_session_unref(x);	/* the tables still hold one */
	}
	g_array_free(ids, TRUE);
}

/* ts_core_lock held: the router's codec tables of the session's m-lines (set_codecs). */
static void give_codecs_locked(ts_session *s, const ts_mline_codecs *codecs, unsigned count)
{
	size_t cap = 0;
	uint8_t *b = rh_blob(&cap);
	int32_t a[2] = {atomic_load(&s->slot), (int32_t)count};
	if (!b || cap < (size_t)count * TS_CODECS_BLOB || a[0] < 0) return;
	memset(b, 0, (size_t)count * TS_CODECS_BLOB);
	for (unsigned m = 0; m < count; m++) {
		uint8_t *t = b + (size_t)m * TS_CODECS_BLOB;
		for (unsigned i = 0; i < codecs[m].n; i++) {
			uint8_t pt = codecs[m].c[i].pt, id = ts_codec_id(codecs[m].c[i].key);
			if (!id) continue;
			t[pt] = id;
			if (!t[128 + id]) t[128 + id] = pt;	/* the first payload type of a codec */
		}
	}
	rh_call(RH_SET_CODECS, 2, a);
}

void ts_streams_update(ts_session *s, const char *sdp, bool from_client)
{
	ts_mlines parsed;
	if (ts_mlines_parse(sdp, from_client, &parsed) < 0) return;
	ts_mline_codecs *codecs = g_new0(ts_mline_codecs, TS_MAX_STREAMS);
	unsigned ncodecs = ts_sdp_codecs(sdp, codecs);
	if (parsed.total > parsed.count)
		TS_LOG(LOG_WARN, "session %u: SDP with %u m-lines, the router follows the first %u\n",
			s->id, parsed.total, parsed.count);
	ts_core_lock();
	if (!atomic_load(&s->destroyed)) {
		s->mlines = parsed;
		give_router_locked(s);
		give_codecs_locked(s, codecs, ncodecs);
		recheck_routes_locked(s);
	}
	ts_core_unlock();
	g_free(codecs);
}

json_t *ts_streams_json_locked(const ts_session *s)
{
	json_t *a = json_array();
	for (unsigned m = 0; m < s->mlines.count; m++) {
		const ts_mline *x = &s->mlines.m[m];
		json_array_append_new(a, json_pack("{sisssosbsbsb}", "mindex", (int)m, "type", ts_mline_kind_name(x->kind),
			"mid", x->mid[0] ? json_string(x->mid) : json_null(), "active", x->active, "send", x->send, "recv", x->recv));
	}
	return a;
}
