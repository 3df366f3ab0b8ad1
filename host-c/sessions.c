/* sessions.c — the id ↔ slot ↔ handle tables and the paired refcount helpers (sessions.h). */
#include <stdlib.h>
#include "sessions.h"
#include "router_host.h"
#include "forwarders.h"
#include "rcu.h"
#include "log.h"

static pthread_mutex_t core_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *by_id;		/* id → ts_session*, one table reference each; core_lock */
janus_plugin_session *_Atomic *ts_slot_handles;
ts_session *_Atomic *ts_slot_sessions;
unsigned ts_n_slots;

void ts_core_lock(void) { pthread_mutex_lock(&core_lock); }
void ts_core_unlock(void) { pthread_mutex_unlock(&core_lock); }

static void session_free(const janus_refcount *ref)
{
	ts_session *s = janus_refcount_containerof(ref, ts_session, ref);
	if (s->handle) janus_refcount_decrease(&s->handle->ref);
	g_free(atomic_load(&s->relay_label));
	g_free(s);
}

void ts_session_ref(ts_session *s) { janus_refcount_increase(&s->ref); }
void ts_session_unref(ts_session *s) { if (s) janus_refcount_decrease(&s->ref); }

int ts_sessions_init(unsigned max_sessions)
{
	by_id = g_hash_table_new(NULL, NULL);
	ts_slot_handles = calloc(max_sessions, sizeof(*ts_slot_handles));
	ts_slot_sessions = calloc(max_sessions, sizeof(*ts_slot_sessions));
	ts_n_slots = max_sessions;
	return 0;
}

void ts_sessions_deinit(void)
{
	ts_core_lock();
	GList *left = by_id ? g_hash_table_get_values(by_id) : NULL;
	for (GList *l = left; l; l = l->next) ts_session_ref(l->data);
	ts_core_unlock();
	for (GList *l = left; l; l = l->next) {
		ts_session_destroy(l->data);
		ts_session_unref(l->data);
	}
	g_list_free(left);
	ts_core_lock();
	if (by_id) g_hash_table_destroy(by_id);
	by_id = NULL;
	ts_n_slots = 0;
	free(ts_slot_handles);
	free(ts_slot_sessions);
	ts_slot_handles = NULL;
	ts_slot_sessions = NULL;
	ts_core_unlock();
}

ts_session *ts_session_create(janus_plugin_session *handle)
{
	ts_session *s = g_new0(ts_session, 1);
	janus_refcount_init(&s->ref, session_free);	/* the tables' reference */
	atomic_init(&s->slot, -1);
	ts_core_lock();
	int32_t slot = rh_call(RH_SESSION_OPEN, 0, NULL);
	if (slot < 0 || (unsigned)slot >= ts_n_slots || atomic_load(&ts_slot_sessions[slot])) {
		ts_core_unlock();
		TS_LOG(LOG_ERR, "cannot create a session: router session_open() returned %d (max_sessions %u)\n", slot, ts_n_slots);
		g_free(s);
		return NULL;
	}
	do {
		s->id = g_random_int();
	} while (s->id == 0 || g_hash_table_contains(by_id, GUINT_TO_POINTER(s->id)));
	atomic_store(&s->slot, slot);
	s->handle = handle;
	janus_refcount_increase(&handle->ref);	/* dropped in session_free */
	g_hash_table_insert(by_id, GUINT_TO_POINTER(s->id), s);
	atomic_store(&ts_slot_sessions[slot], s);
	atomic_store(&ts_slot_handles[slot], handle);
	__atomic_store_n((ts_session **)&handle->plugin_handle, s, __ATOMIC_RELEASE);
	ts_session_ref(s);	/* the caller's */
	ts_core_unlock();
	return s;
}

/* ts_core_lock held: takes the session out of every table packet threads read, closes its
 * router slot, and waits until no packet thread can still be using any of it. */
static void unpublish_locked(ts_session *s)
{
	int slot = atomic_exchange(&s->slot, -1);
	__atomic_store_n((ts_session **)&s->handle->plugin_handle, NULL, __ATOMIC_RELEASE);
	if (slot >= 0 && (unsigned)slot < ts_n_slots) {
		atomic_store(&ts_slot_handles[slot], NULL);
		atomic_store(&ts_slot_sessions[slot], NULL);
	}
	uint64_t ticket = ts_rcu_ticket();
	if (slot >= 0 && (unsigned)slot < ts_n_slots) {
		int32_t a = slot;
		rh_call(RH_SESSION_CLOSE, 1, &a);	/* the router waits for a grace period in there */
	}
	/* The barrier: packets decided before are relayed, later ones see none of it. A sync
	 * that started after the stores above (the router's) is enough; else one more. */
	if (!ts_rcu_passed(ticket)) ts_rcu_sync();
	ts_fwd_drop_session_locked(s->id);	/* the router let go of them before its sync */
}

void ts_session_destroy(ts_session *s)
{
	ts_core_lock();
	if (atomic_exchange(&s->destroyed, 1)) {
		ts_core_unlock();
		return;
	}
	unpublish_locked(s);
	janus_recorder *closing[3];
	for (int m = 0; m < 3; m++) closing[m] = ts_recorders_swap(&s->rec, m, NULL);
	bool listed = by_id && g_hash_table_remove(by_id, GUINT_TO_POINTER(s->id));
	ts_core_unlock();
	ts_recorders_close(closing, 3);
	if (listed) ts_session_unref(s);	/* the tables' reference */
}

/* One router call on the session's slot: args[0] is replaced by the slot. */
static void slot_call(ts_session *s, rh_fn fn, int nargs, int32_t *args)
{
	args[0] = atomic_load(&s->slot);
	if (args[0] >= 0) rh_call(fn, nargs, args);
}

void ts_session_start(ts_session *s)
{
	int32_t a[1];
	ts_core_lock();
	slot_call(s, RH_SESSION_START, 1, a);
	ts_core_unlock();
}

void ts_session_data_ready(ts_session *s)
{
	int32_t a[2] = {0, 1};
	ts_core_lock();
	slot_call(s, RH_SET_DATA_READY, 2, a);
	ts_core_unlock();
}

void ts_session_hangup(ts_session *s)
{
	int32_t a[1];
	janus_recorder *closing[3];
	ts_core_lock();
	slot_call(s, RH_SESSION_HANGUP, 1, a);	/* also turns the router's recording off, and its forwarders */
	ts_fwd_drop_session_locked(s->id);
	atomic_store(&s->data_open, 0);
	s->bitrate = 0;
	s->pli_freq_s = 0;
	for (int m = 0; m < 3; m++) closing[m] = ts_recorders_swap(&s->rec, m, NULL);
	ts_core_unlock();
	ts_recorders_close(closing, 3);
}

ts_session *ts_session_lookup_locked(uint32_t id)
{
	ts_session *s = by_id ? g_hash_table_lookup(by_id, GUINT_TO_POINTER(id)) : NULL;
	if (!s || atomic_load(&s->destroyed)) return NULL;
	ts_session_ref(s);
	return s;
}

ts_session *ts_session_lookup(uint32_t id)
{
	ts_core_lock();
	ts_session *s = ts_session_lookup_locked(id);
	ts_core_unlock();
	return s;
}

ts_session *ts_session_from_handle(janus_plugin_session *handle)
{
	if (!handle) return NULL;	/* not checking handle->stopped: destroy_session may come after it */
	ts_core_lock();
	ts_session *s = __atomic_load_n((ts_session **)&handle->plugin_handle, __ATOMIC_ACQUIRE);
	if (s && !atomic_load(&s->destroyed)) ts_session_ref(s);
	else s = NULL;
	ts_core_unlock();
	return s;
}

uint32_t ts_session_id_at_slot_locked(uint32_t slot)
{
	ts_session *s = slot < ts_n_slots ? atomic_load(&ts_slot_sessions[slot]) : NULL;
	return s ? s->id : 0;
}

GArray *ts_session_ids_locked(void)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(guint32));
	if (!by_id) return ids;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, by_id);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		guint32 id = GPOINTER_TO_UINT(k);
		g_array_append_val(ids, id);
	}
	return ids;
}
