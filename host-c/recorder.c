/* recorder.c — start/stop/save of the Janus recorders of a session. */
#include <glib.h>
#include <record.h>
#include "recorder.h"
#include "sessions.h"
#include "router_host.h"
#include "core.h"
#include "log.h"

static void recorder_free(janus_recorder *r)
{
	if (!r) return;
	janus_recorder_close(r);
	janus_recorder_destroy(r);
}

ts_err ts_recorder_start(ts_session *s, ts_medium m, const char *codec, const char *folder,
	const char *filename, const char *fmtp, char **reason)
{
	if ((unsigned)m > TS_DATA || !codec || !*codec || !filename || !*filename) {
		if (reason) *reason = g_strdup("startRecording needs a medium (audio|video|data), a codec and a filename");
		return TS_E_BAD_ARGS;
	}
	janus_recorder *r = janus_recorder_create_full(folder && *folder ? folder : NULL, codec, fmtp && *fmtp ? fmtp : NULL, filename);
	if (!r) {
		if (reason) *reason = g_strdup_printf("could not create recorder %s/%s (codec %s)", folder ? folder : ".", filename, codec);
		return TS_E_CORE;
	}
	pthread_mutex_lock(&ts_lock);
	if (g_atomic_int_get(&s->destroyed) || s->slot < 0) {
		pthread_mutex_unlock(&ts_lock);
		recorder_free(r);
		return TS_E_UNKNOWN_SESSION;
	}
	janus_recorder *old = s->recorders[m];
	s->recorders[m] = r;
	int32_t a[3] = {s->slot, (int32_t)m, 1};
	int32_t rc = rh_call(RH_SET_RECORDING, 3, a);
	pthread_mutex_unlock(&ts_lock);
	recorder_free(old);
	if (rc < 0) {
		if (reason) *reason = g_strdup_printf("router set_recording failed (%d)", rc);
		ts_recorder_stop(s, m);
		return TS_E_INTERNAL;
	}
	return TS_OK;
}

ts_err ts_recorder_stop(ts_session *s, int medium)
{
	if (medium < -1 || medium > TS_DATA) return TS_E_BAD_ARGS;
	janus_recorder *closing[3] = {NULL, NULL, NULL};
	pthread_mutex_lock(&ts_lock);
	for (int m = 0; m < 3; m++) {
		if (medium != -1 && medium != m) continue;
		closing[m] = s->recorders[m];
		s->recorders[m] = NULL;
		if (s->slot >= 0) {
			int32_t a[3] = {s->slot, m, 0};
			rh_call(RH_SET_RECORDING, 3, a);
		}
	}
	pthread_mutex_unlock(&ts_lock);
	for (int m = 0; m < 3; m++) recorder_free(closing[m]);
	return TS_OK;
}

void ts_recorders_close_all(ts_session *s)
{
	for (int m = 0; m < 3; m++) {
		recorder_free(s->recorders[m]);
		s->recorders[m] = NULL;
	}
}

void ts_recorder_save_locked(ts_session *s, int medium, char *buf, unsigned len)
{
	if (medium < 0 || medium > 2 || !s->recorders[medium]) return;
	janus_recorder_save_frame(s->recorders[medium], buf, len);
}

json_t *ts_recorder_info_locked(ts_session *s)
{
	static const char *names[3] = {"audio", "video", "data"};
	json_t *o = json_object();
	for (int m = 0; m < 3; m++) {
		janus_recorder *r = s->recorders[m];
		json_object_set_new(o, names[m], r && r->filename ? json_string(r->filename) : json_null());
	}
	return o;
}
