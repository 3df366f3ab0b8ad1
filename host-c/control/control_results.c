/* control_results.c — a ts_err as a method's result (true / false / an error kind and a
 * reason), and the reasons made from a call's parameters when the core gave none. Used by
 * control_methods.c and control_media.c. */
#include "control_internal.h"

/* Why a call failed, in words, from its parameters: the session id and what is wrong. */
static char *explain(ts_err e, json_t *p)
{
	uint32_t id = (uint32_t)json_integer_value(json_object_get(p, "id"));
	json_t *rj = json_object_get(p, "recipient");
	uint32_t rid = (uint32_t)json_integer_value(rj);
	json_t *mi = json_object_get(p, "mindex"), *rmi = json_object_get(p, "recipientMindex");
	char route[96];
	if (mi || rmi)
		g_snprintf(route, sizeof(route), "route %u:%d -> %u:%d", id, (int)json_integer_value(mi), rid, (int)json_integer_value(rmi));
	else
		g_snprintf(route, sizeof(route), "route %u -> %u (every stream)", id, rid);
	switch (e) {
	case TS_E_UNKNOWN_SESSION:
		if (rj && ts_api_session_exists(id))
			return g_strdup_printf("no recipient session %u (never attached, or detached)", rid);
		return g_strdup_printf("no session %u (never attached, or detached)", id);
	case TS_E_CLOSED_SESSION: return g_strdup_printf("session %u has no datachannel ready (no dataReady yet, and no data from the client)", id);
	case TS_E_DUPLICATE: return g_strdup_printf("%s: that route, or one that relays the same stream, exists", route);
	case TS_E_NOT_FOUND: return g_strdup_printf("%s does not exist", route);
	case TS_E_FULL: return g_strdup_printf("session %u has max_routes routes already", id);
	case TS_E_NOT_SUPPORTED: return g_strdup("not supported by this plugin version");
	default: return g_strdup_printf("session %u: %s", id, ts_err_kind(e));
	}
}

/* ts_err → the schema's result: true, or NULL with the error kind and reason (the API's, or
 * one made from the parameters). */
json_t *ctl_done(ts_err e, char *api_reason, json_t *p, const char **kind, char **reason)
{
	if (e == TS_OK) {
		ts_reason_free(api_reason);
		return json_true();
	}
	*kind = ctl_static_kind(ts_err_kind(e));
	*reason = api_reason ? g_strdup(api_reason) : explain(e, p);
	ts_reason_free(api_reason);
	return NULL;
}
/* Calls about a session (or route) that is already gone, where Lua's went on quietly (it
 * returned -1, which scripts ignored): `false` = nothing to do. Other errors as ctl_done(). */
json_t *ctl_done_or_gone(ts_err e, char *api_reason, json_t *p, const char **kind, char **reason)
{
	if (e == TS_E_UNKNOWN_SESSION || e == TS_E_NOT_FOUND || e == TS_E_CLOSED_SESSION) {
		ts_reason_free(api_reason);
		return json_false();
	}
	return ctl_done(e, api_reason, p, kind, reason);
}
