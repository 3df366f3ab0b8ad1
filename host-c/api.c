/* api.c — ts_api.h, what the control server may ask of the core: signalling, routing,
 * injection, recording. Thread-safe: router control calls and the session tables under
 * ts_core_lock (through ts_with_session); Janus calls that may re-enter the plugin
 * (push_event, close_pc, end_session, relays) are made without it, holding a session
 * reference instead. The functions get default visibility so a test harness can dlsym them. */
#include <string.h>
#include <glib.h>
#include <apierror.h>
#pragma GCC visibility push(default)
#include "ts_api.h"
#pragma GCC visibility pop
#include "api_session.h"
#include "streams.h"
#include "router_host.h"
#include "router_abi.h"
#include "globals.h"
#include "rcu.h"

const char *ts_err_kind(ts_err e)
{
	switch (e) {
	case TS_OK: return "OK";
	case TS_E_UNKNOWN_SESSION: return "UnknownSession";
	case TS_E_CLOSED_SESSION: return "ClosedSession";
	case TS_E_BAD_ARGS: return "BadArguments";
	case TS_E_FULL: return "Full";
	case TS_E_DUPLICATE: return "Duplicate";
	case TS_E_NOT_FOUND: return "NotFound";
	case TS_E_NOT_SUPPORTED: return "NotSupported";
	case TS_E_CORE: return "CoreError";
	default: return "Internal";
	}
}

void ts_reason_free(char *reason) { g_free(reason); }

typedef struct push_args { const char *transaction; json_t *event, *jsep; int rc; } push_args;

static ts_err push(ts_session *s, void *arg)
{
	push_args *a = arg;
	json_t *jsep = json_is_object(a->jsep) ? a->jsep : NULL;
	a->rc = ts_gateway->push_event(s->handle, ts_self, a->transaction, a->event, jsep);
	/* Janus took the app's SDP: the session's m-lines are the ones it negotiates now. */
	if (a->rc == 0 && json_is_string(json_object_get(jsep, "sdp")))
		ts_streams_update(s, json_string_value(json_object_get(jsep, "sdp")), false);
	if (a->rc == 0) return TS_OK;
	/* The handle (or its Janus session) is going away: gone, not a refusal. */
	bool gone = a->rc == -2 || a->rc == JANUS_ERROR_SESSION_NOT_FOUND || a->rc == JANUS_ERROR_HANDLE_NOT_FOUND
		|| g_atomic_int_get(&s->handle->stopped) || atomic_load(&s->destroyed);
	return gone ? TS_E_UNKNOWN_SESSION : TS_E_CORE;
}

ts_err ts_api_push_event(uint32_t id, const char *transaction, json_t *event, json_t *jsep, char **reason)
{
	if (!json_is_object(event) || (jsep && !json_is_object(jsep) && !json_is_null(jsep))) return TS_E_BAD_ARGS;
	push_args a = {transaction, event, jsep, 0};
	ts_err e = ts_with_session(id, false, push, &a);
	if (e == TS_E_CORE && reason)
		*reason = g_strdup_printf("Janus refused the event (error %d)%s", a.rc, jsep ? ": check the SDP" : "");
	return e;
}

bool ts_api_events_is_enabled(void)
{
	return ts_cfg.events && ts_gateway && ts_gateway->events_is_enabled();
}

static ts_err notify(ts_session *s, void *event)
{
	ts_gateway->notify_event(ts_self, s ? s->handle : NULL, json_incref(event));	/* Janus steals it */
	return TS_OK;
}

static ts_err nobody_listens(ts_session *s, void *arg) { return TS_OK; }

ts_err ts_api_notify_event(uint32_t id, json_t *event)
{
	if (!json_is_object(event)) return TS_E_BAD_ARGS;
	/* An unknown session is an error even when nobody listens. */
	ts_session_fn fn = ts_api_events_is_enabled() ? notify : nobody_listens;
	return id ? ts_with_session(id, false, fn, event) : fn(NULL, event);
}

static ts_err close_pc(ts_session *s, void *arg) { ts_gateway->close_pc(s->handle); return TS_OK; }
static ts_err end_session(ts_session *s, void *arg) { ts_gateway->end_session(s->handle); return TS_OK; }

ts_err ts_api_close_pc(uint32_t id) { return ts_with_session(id, false, close_pc, NULL); }
ts_err ts_api_end_session(uint32_t id) { return ts_with_session(id, false, end_session, NULL); }

typedef struct slot_args { rh_fn fn; int nargs; int32_t a[4]; } slot_args;

static ts_err slot_call(ts_session *s, void *arg)
{
	slot_args *x = arg;
	return ts_slot_call(s, x->fn, x->nargs, x->a);
}

ts_err ts_api_configure_medium(uint32_t id, ts_medium m, ts_dir d, bool on)
{
	if ((unsigned)m > TS_DATA || (unsigned)d > TS_OUT) return TS_E_BAD_ARGS;
	slot_args x = {RH_SET_VALVE, 4, {0, m, d, on ? 1 : 0}};
	return ts_with_session(id, true, slot_call, &x);
}

typedef struct route_args { rh_fn fn; int mindex; uint32_t recipient; int rmindex; } route_args;

static ts_err route(ts_session *s, void *arg)
{
	route_args *x = arg;
	ts_session *r = ts_session_lookup_locked(x->recipient);
	int src = atomic_load(&s->slot), dst = r ? atomic_load(&r->slot) : -1;
	ts_session_unref(r);
	if (src < 0 || dst < 0) return TS_E_UNKNOWN_SESSION;
	int32_t a[4] = {src, x->mindex, dst, x->rmindex};
	return ts_router_err(rh_call(x->fn, 4, a));
}

static ts_err route_call(rh_fn fn, uint32_t id, int mindex, uint32_t recipient, int rmindex)
{
	if (mindex < 0 || mindex > 255 || rmindex < 0 || rmindex > 255) return TS_E_BAD_ARGS;
	if ((mindex == TS_EVERY_STREAM) != (rmindex == TS_EVERY_STREAM)) return TS_E_BAD_ARGS;
	route_args x = {fn, mindex, recipient, rmindex};
	return ts_with_session(id, true, route, &x);
}

ts_err ts_api_add_route(uint32_t id, int mindex, uint32_t recipient, int rmindex)
{
	return route_call(RH_ROUTE_ADD, id, mindex, recipient, rmindex);
}

ts_err ts_api_remove_route(uint32_t id, int mindex, uint32_t recipient, int rmindex)
{
	return route_call(RH_ROUTE_REMOVE, id, mindex, recipient, rmindex);
}

/* Whether the route record (src_mindex, dst_mindex, dst slot) is in slot's list. */
static bool route_exists_locked(int32_t slot, int mindex, int32_t dst, int rmindex)
{
	int32_t n = 0;
	const uint8_t *rec = rh_routes(slot, &n);
	for (int32_t i = 0; i < n; i++) {
		const uint8_t *r = rec + i * TS_ROUTE_SIZE;
		if (r[0] == mindex && r[1] == rmindex && (r[2] | r[3] << 8) == dst) return true;
	}
	return false;
}

typedef struct recipient_args { uint32_t recipient; json_t *result; } recipient_args;

static ts_err add_recipient(ts_session *s, void *arg)
{
	recipient_args *x = arg;
	ts_session *r = ts_session_lookup_locked(x->recipient);
	int src = atomic_load(&s->slot), dst = r ? atomic_load(&r->slot) : -1;
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (src >= 0 && dst >= 0) {
		bool existed = route_exists_locked(src, TS_EVERY_STREAM, dst, TS_EVERY_STREAM);
		int32_t a[4] = {src, TS_EVERY_STREAM, dst, TS_EVERY_STREAM};
		e = existed ? TS_OK : ts_router_err(rh_call(RH_ROUTE_ADD, 4, a));
		if (e == TS_OK) {
			x->result = ts_streams_resolve_locked(s, r, "addRecipient");
			json_object_set_new(x->result, "added", json_boolean(!existed));
		}
	}
	ts_session_unref(r);
	return e;
}

ts_err ts_api_add_recipient(uint32_t id, uint32_t recipient, json_t **result)
{
	recipient_args x = {recipient, NULL};
	ts_err e = ts_with_session(id, true, add_recipient, &x);
	*result = x.result;
	return e;
}

static ts_err set_bitrate(ts_session *s, void *arg)
{
	uint32_t bps = *(uint32_t *)arg;
	int32_t a[2] = {0, (int32_t)bps};
	ts_err e = ts_slot_call(s, RH_SET_BITRATE, 2, a);
	if (e != TS_OK) return e;
	s->bitrate = bps;
	/* As the Lua plugin: the new cap is sent right away, then on each REMB. */
	if (bps > 0 && (rh_call(RH_SESSION_STATE, 1, a) & TS_ST_STARTED))
		ts_gateway->send_remb(s->handle, bps);
	return TS_OK;
}

ts_err ts_api_set_bitrate(uint32_t id, uint32_t bps)
{
	return ts_with_session(id, true, set_bitrate, &bps);
}

static ts_err swap_label(ts_session *s, void *arg)
{
	char **label = arg;	/* in: the new one (owned), out: the old one */
	*label = atomic_exchange_explicit(&s->relay_label, *label, memory_order_acq_rel);
	return TS_OK;
}

ts_err ts_api_set_relay_label(uint32_t id, const char *label)
{
	char *swap = label ? g_strdup(label) : NULL;
	ts_err e = ts_with_session(id, true, swap_label, &swap);
	if (e != TS_OK) {
		g_free(swap);
		return e;
	}
	if (swap) ts_rcu_sync();	/* a packet thread may still be relaying with the old label */
	g_free(swap);
	return TS_OK;
}

static ts_err set_pli_freq(ts_session *s, void *arg)
{
	uint32_t seconds = *(uint32_t *)arg;
	int32_t a[2] = {0, (int32_t)(seconds * 1000)};
	ts_err e = ts_slot_call(s, RH_SET_PLI_FREQ, 2, a);
	if (e == TS_OK) s->pli_freq_s = seconds;
	return e;
}

ts_err ts_api_set_pli_freq(uint32_t id, uint32_t seconds)
{
	if (seconds > 3600) return TS_E_BAD_ARGS;
	return ts_with_session(id, true, set_pli_freq, &seconds);
}

static ts_err send_pli(ts_session *s, void *arg)
{
	int mindex = *(int *)arg;
	if (mindex < 0) ts_gateway->send_pli(s->handle);
	else ts_gateway->send_pli_stream(s->handle, mindex);
	return TS_OK;
}

ts_err ts_api_send_pli(uint32_t id, int mindex)
{
	if (mindex < -1 || mindex >= TS_MAX_STREAMS) return TS_E_BAD_ARGS;
	return ts_with_session(id, false, send_pli, &mindex);
}
