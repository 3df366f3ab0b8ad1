/* api_session.c — see api_session.h. */
#include "api_session.h"
#include "router_host.h"
#include "router_abi.h"

ts_err ts_with_session(uint32_t id, bool locked, ts_session_fn fn, void *arg)
{
	if (locked) ts_core_lock();
	ts_session *s = locked ? ts_session_lookup_locked(id) : ts_session_lookup(id);
	ts_err e = s ? fn(s, arg) : TS_E_UNKNOWN_SESSION;
	if (locked) ts_core_unlock();
	ts_session_unref(s);
	return e;
}

ts_err ts_router_err(int32_t rc)
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

ts_err ts_slot_call(ts_session *s, rh_fn fn, int nargs, int32_t *args)
{
	int slot = atomic_load(&s->slot);
	if (slot < 0) return TS_E_UNKNOWN_SESSION;
	args[0] = slot;
	return ts_router_err(rh_call(fn, nargs, args));
}
