/* control_media.c — the media methods of the app → plugin table (control_methods.c lists
 * them): layer targets, simulcast descriptions, talk detection and the loudest speaker, RTP
 * forwarders. Validated here, carried out by the core through ts_api.h. */
#include <string.h>
#include "control_internal.h"

#define PARAMS json_t *p, const char **kind, char **reason
#define ID(var) uint32_t var = 0; if (!ctl_param_u32id(p, "id", false, &var, kind, reason)) return NULL

static const char *const codecs[] = { "vp8", "vp9", "h264", NULL };

/* An m-line index: 0..255 as every mindex parameter, and a stream the router has (0..15). */
static bool stream_index(json_t *p, bool optional, long long *mi, const char **kind, char **reason)
{
	if (!ctl_param_int(p, "mindex", optional, 0, 255, mi, kind, reason))
		return false;
	if (*mi >= 16) {
		*kind = "BadArguments";
		*reason = g_strdup_printf("mindex: %lld is not a stream (the router keeps m-lines 0..15)", *mi);
		return false;
	}
	return true;
}

static json_t *layer(PARAMS, const char *name, ts_layer which)
{
	ID(id);
	long long v = 0, mi = -1;	/* no mindex: every stream of the session */
	if (!ctl_param_int(p, name, false, 0, 2, &v, kind, reason) || !stream_index(p, true, &mi, kind, reason))
		return NULL;
	return ctl_done_or_gone(ts_api_set_layer(id, (int)mi, which, (int)v), NULL, p, kind, reason);
}

json_t *ctl_m_set_substream(PARAMS) { return layer(p, kind, reason, "substream", TS_SUBSTREAM); }
json_t *ctl_m_set_temporal(PARAMS) { return layer(p, kind, reason, "temporal", TS_TEMPORAL); }
json_t *ctl_m_set_spatial(PARAMS) { return layer(p, kind, reason, "spatial", TS_SPATIAL); }

/* The ssrcs and rids arrays of configureSimulcast. */
static bool substreams(json_t *p, uint32_t *ssrcs, int *nssrc, const char **rids, int *nrid, const char **kind, char **reason)
{
	json_t *a = NULL, *b = NULL, *v;
	size_t i;
	if (!ctl_param_array(p, "ssrcs", true, 3, &a, kind, reason) || !ctl_param_array(p, "rids", true, 3, &b, kind, reason))
		return false;
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > G_MAXUINT32) {
			*kind = "BadArguments";
			*reason = g_strdup_printf("ssrcs: element %zu is not an integer in [0, 4294967295]", i);
			return false;
		}
		ssrcs[i] = (uint32_t)json_integer_value(v);
	}
	json_array_foreach(b, i, v) {
		if (!json_is_string(v)) {
			*kind = "BadArguments";
			*reason = g_strdup_printf("rids: element %zu is not a string", i);
			return false;
		}
		rids[i] = json_string_value(v);
	}
	*nssrc = a ? (int)json_array_size(a) : 0;
	*nrid = b ? (int)json_array_size(b) : 0;
	return true;
}

json_t *ctl_m_configure_simulcast(PARAMS)
{
	ID(id);
	long long mi = 0, ext = 0;
	int c = -1;
	uint32_t ssrcs[3];
	const char *rids[3];
	int nssrc = 0, nrid = 0;
	if (!stream_index(p, false, &mi, kind, reason) ||
			!ctl_param_enum(p, "codec", true, codecs, &c, kind, reason) ||
			!ctl_param_int(p, "ridExtId", true, 1, 255, &ext, kind, reason) ||
			!substreams(p, ssrcs, &nssrc, rids, &nrid, kind, reason))
		return NULL;
	char *r = NULL;
	ts_err e = ts_api_configure_simulcast(id, (int)mi, c < 0 ? NULL : codecs[c], ssrcs, nssrc, rids, nrid, (int)ext, &r);
	return ctl_done_or_gone(e, r, p, kind, reason);
}

json_t *ctl_m_configure_talk(PARAMS)
{
	ID(id);
	long long mi = -1, window = 0, threshold = 0;
	if (!stream_index(p, true, &mi, kind, reason) ||
			!ctl_param_int(p, "window", false, 0, 65535, &window, kind, reason) ||
			!ctl_param_int(p, "threshold", window == 0, 1, 127, &threshold, kind, reason))
		return NULL;
	return ctl_done_or_gone(ts_api_configure_talk(id, (int)mi, (int)window, (int)threshold), NULL, p, kind, reason);
}

json_t *ctl_m_loudest(PARAMS)
{
	json_t *ids = NULL, *v;
	long long age = 1000;
	size_t i;
	if (!ctl_param_array(p, "ids", false, 4096, &ids, kind, reason) ||
			!ctl_param_int(p, "maxAgeMs", true, 0, 3600000, &age, kind, reason))
		return NULL;
	json_array_foreach(ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > G_MAXUINT32) {
			*kind = "BadArguments";
			*reason = g_strdup_printf("ids: element %zu is not a session id", i);
			return NULL;
		}
	}
	uint32_t *list = g_new0(uint32_t, json_array_size(ids) + 1);
	json_array_foreach(ids, i, v) list[i] = (uint32_t)json_integer_value(v);
	uint32_t loudest = 0;
	double level = 0;
	ts_api_loudest(list, json_array_size(ids), (int)age, &loudest, &level);
	g_free(list);
	return json_pack("{soso}", "id", loudest ? json_integer(loudest) : json_null(),
		"level", loudest ? json_real(level) : json_null());
}

json_t *ctl_m_rtp_forward(PARAMS)
{
	ID(id);
	long long mi = 0, port = 0, ssrc = 0, pt = -1, sub = -1;
	const char *host = NULL;
	if (!stream_index(p, false, &mi, kind, reason) ||
			!ctl_param_str(p, "host", false, &host, kind, reason) ||
			!ctl_param_int(p, "port", false, 1, 65535, &port, kind, reason) ||
			!ctl_param_int(p, "ssrc", true, 0, G_MAXUINT32, &ssrc, kind, reason) ||
			!ctl_param_int(p, "pt", true, 0, 127, &pt, kind, reason) ||
			!ctl_param_int(p, "substream", true, 0, 2, &sub, kind, reason))
		return NULL;
	uint32_t fwd = 0;
	char *r = NULL;
	ts_err e = ts_api_rtp_forward(id, (int)mi, host, (int)port, (uint32_t)ssrc, (int)pt, (int)sub, &fwd, &r);
	if (e != TS_OK) return ctl_done(e, r, p, kind, reason);
	return json_pack("{sI}", "forwarder", (json_int_t)fwd);
}

json_t *ctl_m_stop_rtp_forward(PARAMS)
{
	uint32_t fwd = 0;
	if (!ctl_param_u32id(p, "forwarder", false, &fwd, kind, reason))
		return NULL;
	return ctl_done_or_gone(ts_api_stop_rtp_forward(fwd), NULL, p, kind, reason);
}

json_t *ctl_m_list_forwarders(PARAMS)
{
	uint32_t id = 0;
	if (!ctl_param_u32id(p, "id", true, &id, kind, reason))
		return NULL;
	json_t *a = ts_api_list_forwarders(id);
	if (!a) {
		*kind = "UnknownSession";
		*reason = g_strdup_printf("no session %u (never attached, or detached)", id);
	}
	return a;
}
