/* api_inject.c — ts_api.h, packets the app injects and recordings it starts/stops. An
 * injected packet is relayed under ts_core_lock, so it cannot reach a handle that
 * destroy_session is taking away. */
#include <glib.h>
#pragma GCC visibility push(default)
#include "ts_api.h"
#pragma GCC visibility pop
#include "api_session.h"
#include "recorder.h"
#include "router_host.h"
#include "router_abi.h"
#include "globals.h"

typedef struct inject_args { janus_plugin_rtp *rtp; janus_plugin_rtcp *rtcp; janus_plugin_data *data; } inject_args;

static ts_err inject(ts_session *s, void *arg)
{
	inject_args *x = arg;
	if (x->rtp) ts_gateway->relay_rtp(s->handle, x->rtp);
	else if (x->rtcp) ts_gateway->relay_rtcp(s->handle, x->rtcp);
	else {
		/* As the native plugins reply: once Janus said data_ready, or once the client sent
		 * data (its channel is open; Janus hands data over before its data_ready). */
		int32_t a = atomic_load(&s->slot);
		if (a < 0 || !(atomic_load(&s->data_open) || (rh_call(RH_SESSION_STATE, 1, &a) & TS_ST_DATA_READY)))
			return TS_E_CLOSED_SESSION;	/* no datachannel yet */
		ts_gateway->relay_data(s->handle, x->data);
	}
	return TS_OK;
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
	inject_args x = {.rtp = &p};
	return ts_with_session(id, true, inject, &x);
}

ts_err ts_api_relay_rtcp(uint32_t id, bool video, int mindex, const uint8_t *buf, size_t len)
{
	if (!buf || len < 4 || len > TS_MAX_PACKET_LEN || mindex < -1 || mindex >= TS_MAX_STREAMS) return TS_E_BAD_ARGS;
	janus_plugin_rtcp p = {.mindex = mindex, .video = video, .buffer = (char *)buf, .length = len};
	inject_args x = {.rtcp = &p};
	return ts_with_session(id, true, inject, &x);
}

ts_err ts_api_relay_data(uint32_t id, bool binary, const uint8_t *buf, size_t len, const char *label, const char *protocol)
{
	if (!buf || len > TS_MAX_PACKET_LEN) return TS_E_BAD_ARGS;
	janus_plugin_data p = {.label = (char *)label, .protocol = (char *)protocol, .binary = binary,
		.buffer = (char *)buf, .length = len};
	inject_args x = {.data = &p};
	return ts_with_session(id, true, inject, &x);
}

typedef struct record_args { int medium; janus_recorder *install; janus_recorder *old[3]; } record_args;

/* ts_core_lock held: installs x->install for x->medium (-1: all media, NULL each), turns the
 * router's recording on or off to match, keeps what it replaced in x->old. */
static ts_err swap(ts_session *s, void *arg)
{
	record_args *x = arg;
	int32_t slot = atomic_load(&s->slot);
	if (slot < 0) return TS_E_UNKNOWN_SESSION;
	ts_err e = TS_OK;
	for (int m = 0; m < 3; m++) {
		if (x->medium != -1 && x->medium != m) continue;
		x->old[m] = ts_recorders_swap(&s->rec, m, x->install);
		int32_t a[3] = {slot, m, x->install ? 1 : 0};
		if (rh_call(RH_SET_RECORDING, 3, a) < 0) e = TS_E_INTERNAL;
	}
	return e;
}

ts_err ts_api_start_recording(uint32_t id, ts_medium m, const char *codec, const char *folder,
	const char *filename, const char *fmtp, char **reason)
{
	ts_session *s = ts_session_lookup(id);	/* no file for an unknown session */
	ts_session_unref(s);
	if (!s) return TS_E_UNKNOWN_SESSION;
	ts_err err = TS_OK;
	janus_recorder *r = ts_recorder_create(m, codec, folder, filename, fmtp, &err, reason);
	if (!r) return err;
	record_args x = {.medium = m, .install = r};
	ts_err e = ts_with_session(id, true, swap, &x);
	if (e == TS_E_UNKNOWN_SESSION) x.old[m] = r;	/* never installed */
	ts_recorders_close(x.old, 3);
	if (e == TS_E_INTERNAL) {
		if (reason) *reason = g_strdup("router set_recording failed");
		ts_api_stop_recording(id, m);
	}
	return e;
}

ts_err ts_api_stop_recording(uint32_t id, int medium)
{
	if (medium < -1 || medium > TS_DATA) return TS_E_BAD_ARGS;
	record_args x = {.medium = medium};
	ts_err e = ts_with_session(id, true, swap, &x);
	ts_recorders_close(x.old, 3);
	return e == TS_E_INTERNAL ? TS_OK : e;
}
