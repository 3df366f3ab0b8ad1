/* api_session.h — the pattern every ts_api_* call on a session follows: look the id up
 * (a reference), run one step with ts_core_lock held or without it, drop the reference;
 * and the router's error codes as ts_err. Used by api.c and api_info.c only. */
#ifndef JANUS_TS_API_SESSION_H
#define JANUS_TS_API_SESSION_H

#include <stdbool.h>
#include "ts_api.h"
#include "sessions.h"
#include "router_instance.h"

typedef ts_err (*ts_session_fn)(ts_session *s, void *arg);

/* TS_E_UNKNOWN_SESSION if `id` is not a live session, else fn's result. With `locked`, fn
 * runs under ts_core_lock (router control calls); without, it may call into Janus
 * (push_event, close_pc, ...), which can call back into the plugin. */
ts_err ts_with_session(uint32_t id, bool locked, ts_session_fn fn, void *arg);

/* A router control call's result as a ts_err. */
ts_err ts_router_err(int32_t rc);

/* ts_core_lock held: one router control call on s's slot, args[0] replaced by the slot. */
ts_err ts_slot_call(ts_session *s, rh_fn fn, int nargs, int32_t *args);
#endif
