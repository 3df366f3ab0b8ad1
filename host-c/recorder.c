/* recorder.c — see recorder.h. */
#include <glib.h>
#include "recorder.h"
#include "confine.h"
#include "globals.h"
#include "rcu.h"

janus_recorder *ts_recorder_create(ts_medium m, const char *codec, const char *folder,
	const char *filename, const char *fmtp, ts_err *err, char **reason)
{
	*err = TS_E_BAD_ARGS;
	if ((unsigned)m > TS_DATA || !codec || !*codec || !filename || !*filename) {
		if (reason) *reason = g_strdup("startRecording needs a medium (audio|video|data), a codec and a filename");
		return NULL;
	}
	char *dir = NULL, *file = NULL, *why = NULL;
	if (ts_confine_recording(ts_cfg.recordings_folder, folder, filename, &dir, &file, &why) < 0) {
		if (reason) *reason = g_strdup_printf("recording refused: %s", why);
		g_free(why);
		return NULL;
	}
	janus_recorder *r = janus_recorder_create_full(dir, codec, fmtp && *fmtp ? fmtp : NULL, file);
	*err = r ? TS_OK : TS_E_CORE;
	if (!r && reason) *reason = g_strdup_printf("could not create recorder %s/%s.mjr (codec %s): see Janus's log", dir, file, codec);
	g_free(dir);
	g_free(file);
	return r;
}

janus_recorder *ts_recorders_swap(ts_recorders *rs, int m, janus_recorder *r)
{
	return atomic_exchange(&rs->of[m], r);
}

void ts_recorders_close(janus_recorder **list, int n)
{
	bool any = false;
	for (int i = 0; i < n; i++) any |= list[i] != NULL;
	if (!any) return;
	ts_rcu_sync();	/* no packet thread is saving to them any more */
	for (int i = 0; i < n; i++) {
		if (!list[i]) continue;
		janus_recorder_close(list[i]);
		janus_recorder_destroy(list[i]);
		list[i] = NULL;
	}
}

void ts_recorders_save(ts_recorders *rs, int m, char *buf, unsigned len)
{
	janus_recorder *r = (unsigned)m < 3 ? atomic_load_explicit(&rs->of[m], memory_order_acquire) : NULL;
	if (r) janus_recorder_save_frame(r, buf, len);
}

json_t *ts_recorders_info(ts_recorders *rs)
{
	static const char *names[3] = {"audio", "video", "data"};
	json_t *o = json_object();
	for (int m = 0; m < 3; m++) {
		janus_recorder *r = atomic_load(&rs->of[m]);
		json_object_set_new(o, names[m], r && r->filename ? json_string(r->filename) : json_null());
	}
	return o;
}
