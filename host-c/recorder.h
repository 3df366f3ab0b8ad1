/* recorder.h — Janus .mjr recorders of a session's incoming media (record.h). The router
 * decides which packets are saved (RECORD decisions); this file owns the recorders. */
#ifndef JANUS_TS_RECORDER_H
#define JANUS_TS_RECORDER_H

#include "ts_api.h"

struct ts_session;

/* Creates the recorder (file I/O outside ts_lock), installs it and turns the router's
 * recording on for the medium. A running recorder of that medium is closed first. */
ts_err ts_recorder_start(struct ts_session *s, ts_medium m, const char *codec, const char *folder,
	const char *filename, const char *fmtp, char **reason);
/* medium -1: all. Turns the router's recording off, closes the files. */
ts_err ts_recorder_stop(struct ts_session *s, int medium);
/* ts_lock held (or the session unreachable): closes and frees every recorder. */
void ts_recorders_close_all(struct ts_session *s);
/* ts_lock held: saves one packet (a RECORD decision). */
void ts_recorder_save_locked(struct ts_session *s, int medium, char *buf, unsigned len);
/* ts_lock held: JSON {audio, video, data} of the recording file names (or null). */
json_t *ts_recorder_info_locked(struct ts_session *s);
#endif
