/* api.c — ts_api.h, what the control server may ask of the core. Thread-safe: tables and
 * router under ts_lock; Janus calls that may re-enter the plugin (push_event, close_pc,
 * end_session) are made without it, holding a session reference instead.
 * The functions get default visibility so a test harness can dlsym them. */
#include <string.h>
#include <glib.h>
#include <apierror.h>
#pragma GCC visibility push(default)
#include "ts_api.h"
#pragma GCC visibility pop
#include "sessions.h"
#include "recorder.h"
#include "streams.h"
#include "router_host.h"
#include "router_abi.h"
#include "media.h"
#include "ts_control.h"
#include "core.h"
#include "log.h"


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

static ts_err router_err(int32_t rc)
{
	if (rc >= 0) return TS_OK;
	switch (rc) {
	case TS_R_E_SLOT: return TS_E_UNKNOWN_SESSION;
	case TS_R_E_FULL: return TS_E_FULL;
	case TS_R_E_DUP: return TS_E_DUPLICATE;
	case TS_R_E_NOROUTE: return TS_E_NOT_FOUND;
	case TS_R_E_ARG: return TS_E_BAD_ARGS;
	default: return TS_E_INTERNAL;	/* E_CONFIG, a trap */
	}
}

/* One router control call on a session's slot: args[0] is replaced by the slot. */
static ts_err slot_call(uint32_t id, rh_fn fn, int nargs, int32_t *args)
{
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (s) {
		args[0] = s->slot;
		e = router_err(rh_call(fn, nargs, args));
	}
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	return e;
}

ts_err ts_api_push_event(uint32_t id, const char *transaction, json_t *event, json_t *jsep, char **reason)
{
	if (!json_is_object(event) || (jsep && !json_is_object(jsep) && !json_is_null(jsep))) return TS_E_BAD_ARGS;
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	int rc = ts_gateway->push_event(s->handle, &ts_plugin, transaction, event, json_is_object(jsep) ? jsep : NULL);
	/* Janus took the app's SDP: the session's m-lines are the ones it negotiates now. */
	if (rc == 0 && json_is_object(jsep) && json_is_string(json_object_get(jsep, "sdp")))
		ts_streams_update(s, json_string_value(json_object_get(jsep, "sdp")), false);
	/* The handle (or its Janus session) is going away: gone, not a refusal. */
	bool gone = rc == -2 || rc == JANUS_ERROR_SESSION_NOT_FOUND || rc == JANUS_ERROR_HANDLE_NOT_FOUND
		|| g_atomic_int_get(&s->handle->stopped) || g_atomic_int_get(&s->destroyed);
	ts_session_unref(s);
	if (rc != 0 && gone) return TS_E_UNKNOWN_SESSION;
	if (rc != 0) {
		if (reason) *reason = g_strdup_printf("Janus refused the event (error %d)%s", rc, jsep ? ": check the SDP" : "");
		return TS_E_CORE;
	}
	return TS_OK;
}

bool ts_api_events_is_enabled(void)
{
	return ts_cfg.events && ts_gateway && ts_gateway->events_is_enabled();
}

ts_err ts_api_notify_event(uint32_t id, json_t *event)
{
	if (!json_is_object(event)) return TS_E_BAD_ARGS;
	ts_session *s = NULL;
	if (id) {
		s = ts_session_lookup(id);
		if (!s) return TS_E_UNKNOWN_SESSION;
	}
	if (!ts_api_events_is_enabled()) {	/* nobody listens: nothing to do */
		ts_session_unref(s);
		return TS_OK;
	}
	ts_gateway->notify_event(&ts_plugin, s ? s->handle : NULL, json_incref(event));	/* Janus steals it */
	ts_session_unref(s);
	return TS_OK;
}

ts_err ts_api_close_pc(uint32_t id)
{
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_gateway->close_pc(s->handle);
	ts_session_unref(s);
	return TS_OK;
}

ts_err ts_api_end_session(uint32_t id)
{
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_gateway->end_session(s->handle);
	ts_session_unref(s);
	return TS_OK;
}

ts_err ts_api_configure_medium(uint32_t id, ts_medium m, ts_dir d, bool on)
{
	if ((unsigned)m > TS_DATA || (unsigned)d > TS_OUT) return TS_E_BAD_ARGS;
	int32_t a[4] = {0, m, d, on ? 1 : 0};
	return slot_call(id, RH_SET_VALVE, 4, a);
}

static ts_err route_call(rh_fn fn, uint32_t id, int mindex, uint32_t recipient, int rmindex)
{
	if (mindex < 0 || mindex > 255 || rmindex < 0 || rmindex > 255) return TS_E_BAD_ARGS;
	if ((mindex == TS_EVERY_STREAM) != (rmindex == TS_EVERY_STREAM)) return TS_E_BAD_ARGS;
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id), *r = ts_session_lookup_locked(recipient);
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (s && r) {
		int32_t a[4] = {s->slot, mindex, r->slot, rmindex};
		e = router_err(rh_call(fn, 4, a));
	}
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	ts_session_unref(r);
	return e;
}

ts_err ts_api_add_route(uint32_t id, int mindex, uint32_t recipient, int rmindex)
{
	return route_call(RH_ROUTE_ADD, id, mindex, recipient, rmindex);
}

ts_err ts_api_remove_route(uint32_t id, int mindex, uint32_t recipient, int rmindex)
{
	return route_call(RH_ROUTE_REMOVE, id, mindex, recipient, rmindex);
}

/* Whether the route record (src_mindex, dst_mindex, dst slot) is in slot's list (ts_lock held). */
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

ts_err ts_api_add_recipient(uint32_t id, uint32_t recipient, json_t **result)
{
	*result = NULL;
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id), *r = ts_session_lookup_locked(recipient);
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (s && r) {
		bool existed = route_exists_locked(s->slot, TS_EVERY_STREAM, r->slot, TS_EVERY_STREAM);
		int32_t a[4] = {s->slot, TS_EVERY_STREAM, r->slot, TS_EVERY_STREAM};
		e = existed ? TS_OK : router_err(rh_call(RH_ROUTE_ADD, 4, a));
		if (e == TS_OK) {
			*result = ts_streams_resolve_locked(s, r, "addRecipient");
			json_object_set_new(*result, "added", json_boolean(!existed));
		}
	}
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	ts_session_unref(r);
	return e;
}

ts_err ts_api_set_bitrate(uint32_t id, uint32_t bps)
{
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (s) {
		int32_t a[2] = {s->slot, (int32_t)bps};
		e = router_err(rh_call(RH_SET_BITRATE, 2, a));
		if (e == TS_OK) {
			s->bitrate = bps;
			/* As the Lua plugin: the new cap is sent right away, then on each REMB. */
			if (bps > 0 && (rh_call(RH_SESSION_STATE, 1, a) & TS_ST_STARTED))
				ts_gateway->send_remb(s->handle, bps);
		}
	}
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	return e;
}

ts_err ts_api_set_pli_freq(uint32_t id, uint32_t seconds)
{
	if (seconds > 3600) return TS_E_BAD_ARGS;
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (s) {
		int32_t a[2] = {s->slot, (int32_t)(seconds * 1000)};
		e = router_err(rh_call(RH_SET_PLI_FREQ, 2, a));
		if (e == TS_OK) s->pli_freq_s = seconds;
	}
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	return e;
}

ts_err ts_api_send_pli(uint32_t id, int mindex)
{
	if (mindex < -1 || mindex >= TS_MAX_STREAMS) return TS_E_BAD_ARGS;
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	if (mindex < 0) ts_gateway->send_pli(s->handle);
	else ts_gateway->send_pli_stream(s->handle, mindex);
	ts_session_unref(s);
	return TS_OK;
}

/* Simulcast layer selection is not in router ABI v1. */
ts_err ts_api_set_substream(uint32_t id, int substream)
{
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_session_unref(s);
	return substream < 0 || substream > 2 ? TS_E_BAD_ARGS : TS_E_NOT_SUPPORTED;
}

ts_err ts_api_set_temporal(uint32_t id, int temporal)
{
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_session_unref(s);
	return temporal < 0 || temporal > 2 ? TS_E_BAD_ARGS : TS_E_NOT_SUPPORTED;
}

ts_err ts_api_relay_rtp(uint32_t id, bool video, int mindex, const uint8_t *buf, size_t len)
{
	if (!buf || len < 12 || len > TS_MAX_PACKET_LEN || mindex < -1 || mindex >= TS_MAX_STREAMS) return TS_E_BAD_ARGS;
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = mindex;
	p.video = video;
	p.buffer = (char *)buf;
	p.length = len;
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	if (s) ts_gateway->relay_rtp(s->handle, &p);
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	return s ? TS_OK : TS_E_UNKNOWN_SESSION;
}

ts_err ts_api_relay_rtcp(uint32_t id, bool video, int mindex, const uint8_t *buf, size_t len)
{
	if (!buf || len < 4 || len > TS_MAX_PACKET_LEN || mindex < -1 || mindex >= TS_MAX_STREAMS) return TS_E_BAD_ARGS;
	janus_plugin_rtcp p = {.mindex = mindex, .video = video, .buffer = (char *)buf, .length = len};
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	if (s) ts_gateway->relay_rtcp(s->handle, &p);
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	return s ? TS_OK : TS_E_UNKNOWN_SESSION;
}

ts_err ts_api_relay_data(uint32_t id, bool binary, const uint8_t *buf, size_t len, const char *label, const char *protocol)
{
	if (!buf || len > TS_MAX_PACKET_LEN) return TS_E_BAD_ARGS;
	janus_plugin_data p = {.label = (char *)label, .protocol = (char *)protocol, .binary = binary,
		.buffer = (char *)buf, .length = len};
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	ts_err e = TS_E_UNKNOWN_SESSION;
	if (s) {
		int32_t a = s->slot;
		if (!(rh_call(RH_SESSION_STATE, 1, &a) & TS_ST_DATA_READY)) {
			e = TS_E_CLOSED_SESSION;	/* no datachannel yet (dataReady not seen) */
		} else {
			ts_gateway->relay_data(s->handle, &p);
			e = TS_OK;
		}
	}
	pthread_mutex_unlock(&ts_lock);
	ts_session_unref(s);
	return e;
}

ts_err ts_api_start_recording(uint32_t id, ts_medium m, const char *codec, const char *folder,
	const char *filename, const char *fmtp, char **reason)
{
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_err e = ts_recorder_start(s, m, codec, folder, filename, fmtp, reason);
	ts_session_unref(s);
	return e;
}

ts_err ts_api_stop_recording(uint32_t id, int medium)
{
	ts_session *s = ts_session_lookup(id);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_err e = ts_recorder_stop(s, medium);
	ts_session_unref(s);
	return e;
}
