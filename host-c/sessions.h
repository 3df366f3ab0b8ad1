/* sessions.h — plugin sessions: random non-zero uint32 ids ↔ router slots ↔ Janus handles.
 *
 * ts_core_lock serializes control calls (the router's control instance, rh_call) and guards
 * the id table; packet threads never take it. They read the slot → handle and
 * slot → session arrays and handle->plugin_handle inside a reader section (rcu.h), without
 * a lock: those are written under ts_core_lock with atomic stores, and a session leaves them
 * before a grace period that ts_session_destroy waits for, so no relay reaches a destroyed
 * handle and no packet thread touches a freed session.
 *
 * A session is reference counted: the tables hold one reference from create_session to
 * destroy_session, every lookup returns a new one that the caller drops with
 * ts_session_unref(). */
#ifndef JANUS_TS_SESSIONS_H
#define JANUS_TS_SESSIONS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <plugins/plugin.h>
#include <refcount.h>
#include "recorder.h"
#include "mlines.h"

typedef struct ts_session {
	uint32_t id;				/* random, non-zero, unique among live sessions */
	_Atomic int slot;			/* router slot; -1 once closed */
	janus_plugin_session *handle;		/* owned reference (janus_refcount on handle->ref) until freed */
	_Atomic int destroyed;			/* set by destroy_session: no more relays to it */
	ts_recorders rec;			/* audio/video/data recorders */
	uint32_t bitrate;			/* REMB cap (setBitrate), ts_core_lock */
	uint32_t pli_freq_s;			/* setPliFreq seconds, ts_core_lock */
	ts_mlines mlines;			/* m-lines of the last SDP seen (streams.c), ts_core_lock */
	char *_Atomic relay_label;		/* owned, NULL = none: the label of the datachannel
						 * messages the router relays from this session
						 * (setRelayLabel); swapped under ts_core_lock, the old
						 * one freed after a grace period (packet threads read it) */
	_Atomic int data_open;			/* the client sent data on this PeerConnection, so its
						 * datachannel is open (Janus's data_ready may come later);
						 * set by its handle's thread, cleared by hangup */
	janus_refcount ref;
} ts_session;

void ts_core_lock(void);
void ts_core_unlock(void);

int  ts_sessions_init(unsigned max_sessions);
void ts_sessions_deinit(void);	/* drops every remaining session (no packet may be running) */

/* Opens a router slot and registers a session for the handle (new reference for the
 * caller). NULL when full (logged). Takes ts_core_lock. */
ts_session *ts_session_create(janus_plugin_session *handle);
/* Unregisters it and closes its slot: the router forgets its routes; when it returns, no
 * relay to its handle is under way or will be made. Takes ts_core_lock. Drops the tables'
 * reference (the caller keeps its own). */
void ts_session_destroy(ts_session *s);

/* Janus's setup_media / data_ready / hangup_media on the router (ts_core_lock taken).
 * Hangup, as the Lua plugin: valves closed, routes from and to it removed, switching
 * contexts cleared, bitrate and PLI frequency reset, recordings stopped; and its RTP
 * forwarders, simulcast descriptions and talk detection gone. */
void ts_session_start(ts_session *s);
void ts_session_data_ready(ts_session *s);
void ts_session_hangup(ts_session *s);

/* New references (NULL if unknown or destroyed). Without _locked, they take ts_core_lock. */
ts_session *ts_session_lookup(uint32_t id);
ts_session *ts_session_lookup_locked(uint32_t id);
ts_session *ts_session_from_handle(janus_plugin_session *handle);

void ts_session_ref(ts_session *s);
void ts_session_unref(ts_session *s);

/* ts_core_lock held: id of the live session in a slot, 0 if none. */
uint32_t ts_session_id_at_slot_locked(uint32_t slot);
/* ts_core_lock held: ids of every live session; returns a new GArray of guint32. */
GArray *ts_session_ids_locked(void);

/* ---- packet path: inside a reader section (rcu.h), no lock ---- */
extern janus_plugin_session *_Atomic *ts_slot_handles;	/* slot → handle (borrowed), NULL = none */
extern ts_session *_Atomic *ts_slot_sessions;		/* slot → session (borrowed), NULL = none */
extern unsigned ts_n_slots;

/* The slot → handle table, read once per packet call: set by ts_sessions_init, freed only
 * when no packet can be running. A loop over decisions keeps it in registers (the relay
 * callback between two look-ups could, for all the compiler knows, change the globals). */
typedef struct ts_slot_table {
	janus_plugin_session *_Atomic *handles;
	unsigned n;
} ts_slot_table;

static inline ts_slot_table ts_slots(void)
{
	return (ts_slot_table){ts_slot_handles, ts_n_slots};
}

/* Handle of the live session in a slot, NULL if none or stopped: one load per recipient. */
static inline janus_plugin_session *ts_handle_in(ts_slot_table t, uint32_t slot)
{
	janus_plugin_session *h = slot < t.n ? atomic_load_explicit(&t.handles[slot], memory_order_acquire) : NULL;
	return h && !g_atomic_int_get(&h->stopped) ? h : NULL;
}

static inline janus_plugin_session *ts_handle_at(uint32_t slot)
{
	return ts_handle_in(ts_slots(), slot);
}

static inline ts_session *ts_session_at(uint32_t slot)
{
	return slot < ts_n_slots ? atomic_load_explicit(&ts_slot_sessions[slot], memory_order_acquire) : NULL;
}

/* Its handle's thread got data from the client: the datachannel is open. */
static inline void ts_session_saw_client_data(ts_session *s)
{
	if (!atomic_load_explicit(&s->data_open, memory_order_relaxed))
		atomic_store_explicit(&s->data_open, 1, memory_order_relaxed);
}

/* The router slot of the session of a handle that sends a packet, -1 if none. */
static inline int ts_sender_slot(janus_plugin_session *handle)
{
	ts_session *s = __atomic_load_n((ts_session **)&handle->plugin_handle, __ATOMIC_ACQUIRE);
	return s ? atomic_load_explicit(&s->slot, memory_order_relaxed) : -1;
}
#endif
