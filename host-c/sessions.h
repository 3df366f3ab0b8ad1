/* sessions.h — plugin sessions: random non-zero uint32 ids ↔ router slots ↔ Janus
 * handles. The tables are guarded by ts_lock. A session is reference counted: the
 * tables hold one reference from create_session to destroy_session, every lookup
 * returns a new one that the caller drops with ts_session_unref(). */
#ifndef JANUS_TS_SESSIONS_H
#define JANUS_TS_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <plugins/plugin.h>
#include <refcount.h>
#include <record.h>
#include "mlines.h"

typedef struct ts_session {
	uint32_t id;				/* random, non-zero, unique among live sessions */
	int slot;				/* router slot; -1 once closed (guarded by ts_lock) */
	janus_plugin_session *handle;		/* owned reference (janus_refcount on handle->ref) until freed */
	volatile gint destroyed;		/* set by destroy_session: no more relays to it */
	janus_recorder *recorders[3];		/* owned, audio/video/data, guarded by ts_lock */
	uint32_t bitrate;			/* REMB cap (setBitrate), guarded by ts_lock */
	uint32_t pli_freq_s;			/* setPliFreq seconds, guarded by ts_lock */
	ts_mlines mlines;			/* m-lines of the last SDP seen (streams.c), guarded by ts_lock */
	janus_refcount ref;
} ts_session;

int  ts_sessions_init(unsigned max_sessions);
void ts_sessions_deinit(void);	/* drops every remaining session */

/* Opens a router slot and registers a session for the handle (new reference for the
 * caller). NULL when full (logged). Takes ts_lock. */
ts_session *ts_session_create(janus_plugin_session *handle);
/* Unregisters it and closes its slot: the router forgets its routes, relays to it stop.
 * Takes ts_lock. Drops the tables' reference (the caller keeps its own). */
void ts_session_destroy(ts_session *s);

/* New references (NULL if unknown or destroyed). ts_session_lookup takes ts_lock. */
ts_session *ts_session_lookup(uint32_t id);
ts_session *ts_session_lookup_locked(uint32_t id);
ts_session *ts_session_from_handle(janus_plugin_session *handle);

void ts_session_ref(ts_session *s);
void ts_session_unref(ts_session *s);

/* Borrowed pointer of the session in a slot (ts_lock held), NULL if none or destroyed. */
ts_session *ts_session_at_slot_locked(uint32_t slot);

/* Borrowed handle of the live session in a slot (ts_lock held), NULL if none, destroyed
 * or stopped: the per-recipient lookup of the packet path. */
janus_plugin_session *ts_handle_at_slot_locked(uint32_t slot);

/* Ids of every live session (ts_lock held); returns a new GArray of guint32. */
GArray *ts_session_ids_locked(void);
#endif
