/* sessions.c — the id ↔ slot ↔ handle tables and the paired refcount helpers. */
#include <glib.h>
#include "sessions.h"
#include "router_host.h"
#include "recorder.h"
#include "core.h"
#include "log.h"

static GHashTable *by_id;		/* id → ts_session*, one table reference each; ts_lock */
static ts_session **by_slot;		/* slot → ts_session* (borrowed from by_id); ts_lock */
static janus_plugin_session **handle_by_slot;	/* slot → its handle (borrowed), NULL when free:
						 * one load per recipient on the packet path; ts_lock */
static unsigned n_slots;

static void session_free(const janus_refcount *ref)
{
	ts_session *s = janus_refcount_containerof(ref, ts_session, ref);
	ts_recorders_close_all(s);	/* normally already closed by hangup/destroy */
	if (s->handle) janus_refcount_decrease(&s->handle->ref);
	g_free(s);
}

void ts_session_ref(ts_session *s) { janus_refcount_increase(&s->ref); }
void ts_session_unref(ts_session *s) { if (s) janus_refcount_decrease(&s->ref); }

int ts_sessions_init(unsigned max_sessions)
{
	by_id = g_hash_table_new(NULL, NULL);
	by_slot = g_new0(ts_session *, max_sessions);
	handle_by_slot = g_new0(janus_plugin_session *, max_sessions);
	n_slots = max_sessions;
	return 0;
}

void ts_sessions_deinit(void)
{
	pthread_mutex_lock(&ts_lock);
	GHashTableIter it;
	gpointer k, v;
	GList *left = NULL;
	if (by_id) {
		g_hash_table_iter_init(&it, by_id);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			ts_session *s = v;
			g_atomic_int_set(&s->destroyed, 1);
			s->handle->plugin_handle = NULL;	/* packet paths read it under ts_lock */
			left = g_list_prepend(left, s);
		}
		g_hash_table_destroy(by_id);
	}
	by_id = NULL;
	g_free(by_slot);
	by_slot = NULL;
	g_free(handle_by_slot);
	handle_by_slot = NULL;
	n_slots = 0;
	pthread_mutex_unlock(&ts_lock);
	ts_relays_barrier();
	for (GList *l = left; l; l = l->next) ts_session_unref(l->data);	/* the tables' references */
	g_list_free(left);
}

ts_session *ts_session_create(janus_plugin_session *handle)
{
	ts_session *s = g_new0(ts_session, 1);
	janus_refcount_init(&s->ref, session_free);	/* the tables' reference */
	s->slot = -1;
	pthread_mutex_lock(&ts_lock);
	int32_t slot = rh_call(RH_SESSION_OPEN, 0, NULL);
	if (slot < 0 || (unsigned)slot >= n_slots || by_slot[slot]) {
		pthread_mutex_unlock(&ts_lock);
		TS_LOG(LOG_ERR, "cannot create a session: router session_open() returned %d (max_sessions %u)\n", slot, n_slots);
		g_free(s);
		return NULL;
	}
	do {
		s->id = g_random_int();
	} while (s->id == 0 || g_hash_table_contains(by_id, GUINT_TO_POINTER(s->id)));
	s->slot = slot;
	s->handle = handle;
	janus_refcount_increase(&handle->ref);	/* dropped in session_free */
	g_hash_table_insert(by_id, GUINT_TO_POINTER(s->id), s);
	by_slot[slot] = s;
	handle_by_slot[slot] = handle;
	handle->plugin_handle = s;
	ts_session_ref(s);	/* the caller's */
	pthread_mutex_unlock(&ts_lock);
	return s;
}

void ts_session_destroy(ts_session *s)
{
	pthread_mutex_lock(&ts_lock);
	if (g_atomic_int_compare_and_exchange(&s->destroyed, 0, 1)) {
		if (s->slot >= 0) {
			int32_t a = s->slot;
			rh_call(RH_SESSION_CLOSE, 1, &a);
			if (by_slot && (unsigned)s->slot < n_slots && by_slot[s->slot] == s) {
				by_slot[s->slot] = NULL;
				handle_by_slot[s->slot] = NULL;
			}
			s->slot = -1;
		}
		ts_recorders_close_all(s);
		s->handle->plugin_handle = NULL;	/* packet paths read it under ts_lock */
		bool listed = by_id && g_hash_table_remove(by_id, GUINT_TO_POINTER(s->id));
		pthread_mutex_unlock(&ts_lock);
		ts_relays_barrier();	/* relays decided before the slot was closed are done */
		if (listed) ts_session_unref(s);	/* the tables' reference */
		return;
	}
	pthread_mutex_unlock(&ts_lock);
}

ts_session *ts_session_lookup_locked(uint32_t id)
{
	ts_session *s = by_id ? g_hash_table_lookup(by_id, GUINT_TO_POINTER(id)) : NULL;
	if (!s || g_atomic_int_get(&s->destroyed)) return NULL;
	ts_session_ref(s);
	return s;
}

ts_session *ts_session_lookup(uint32_t id)
{
	pthread_mutex_lock(&ts_lock);
	ts_session *s = ts_session_lookup_locked(id);
	pthread_mutex_unlock(&ts_lock);
	return s;
}

ts_session *ts_session_from_handle(janus_plugin_session *handle)
{
	if (!handle) return NULL;	/* not checking handle->stopped: destroy_session may come after it */
	pthread_mutex_lock(&ts_lock);
	ts_session *s = handle->plugin_handle;
	if (s && !g_atomic_int_get(&s->destroyed)) ts_session_ref(s);
	else s = NULL;
	pthread_mutex_unlock(&ts_lock);
	return s;
}

ts_session *ts_session_at_slot_locked(uint32_t slot)
{
	if (slot >= n_slots) return NULL;
	ts_session *s = by_slot[slot];
	if (!s || g_atomic_int_get(&s->destroyed) || g_atomic_int_get(&s->handle->stopped)) return NULL;
	return s;
}

janus_plugin_session *ts_handle_at_slot_locked(uint32_t slot)
{
	if (slot >= n_slots) return NULL;
	janus_plugin_session *h = handle_by_slot[slot];
	return h && !g_atomic_int_get(&h->stopped) ? h : NULL;
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
