/* recorder.h — the Janus .mjr recorders of one session's incoming media (record.h). The
 * router decides which packets are saved (RECORD decisions); this file owns the recorders.
 * Packet threads save through the pointers without a lock; a recorder taken out is closed
 * only after a grace period (rcu.h), when no packet thread can still be saving to it.
 * Installing and removing are control calls (ts_core_lock held by the caller). */
#ifndef JANUS_TS_RECORDER_H
#define JANUS_TS_RECORDER_H

#include <stdatomic.h>
#include <jansson.h>
#include <record.h>
#include "ts_api.h"

typedef struct ts_recorders {
	janus_recorder *_Atomic of[3];	/* owned, audio/video/data, NULL = not recording */
} ts_recorders;

/* Creates a recorder (file I/O: call it without ts_core_lock) inside recordings_folder
 * (confine.h); NULL with *err (BadArguments: arguments, or a path outside the folder;
 * CoreError: Janus could not create it) and *reason set. */
janus_recorder *ts_recorder_create(ts_medium m, const char *codec, const char *folder,
	const char *filename, const char *fmtp, ts_err *err, char **reason);
/* ts_core_lock held: installs r (or NULL) for medium m, returns the one it replaces. */
janus_recorder *ts_recorders_swap(ts_recorders *rs, int m, janus_recorder *r);
/* Closes and frees recorders that were swapped out: waits for a grace period first. */
void ts_recorders_close(janus_recorder **list, int n);
/* Packet path (inside a reader section): saves one packet if medium m is recorded. */
void ts_recorders_save(ts_recorders *rs, int m, char *buf, unsigned len);
/* ts_core_lock held: JSON {audio, video, data} of the recording file names (or null). */
json_t *ts_recorders_info(ts_recorders *rs);
#endif
