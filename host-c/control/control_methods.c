/* control_methods.c — the app → plugin method table: every `appToPlugin` method of
 * control-ts/src/protocol/schema.json, validated here and carried out by the core
 * through ts_api.h. `describe` lists this table (test/protocol/schema.test.ts checks
 * it against the schema). */
#include <string.h>
#include "../ts_api.h"
#include "../router_abi.h"
#include "control_internal.h"

static const char *const media[] = { "audio", "video", "data", NULL };	/* = ts_medium */
static const char *const dirs[] = { "in", "out", NULL };		/* = ts_dir */
static const char *const levels[] = { "fatal", "error", "warn", "info", "verb", "huge", "dbg", NULL };

#define PARAMS json_t *p, const char **kind, char **reason
#define ID(var) uint32_t var = 0; if (!ctl_param_u32id(p, "id", false, &var, kind, reason)) return NULL

#define DONE(e) ctl_done((e), NULL, p, kind, reason)

#define GONE_OK(e) ctl_done_or_gone((e), NULL, p, kind, reason)

static json_t *m_push_event(PARAMS)
{
	ID(id);
	const char *tr = NULL;
	json_t *event = NULL, *jsep = NULL;
	if (!ctl_param_str(p, "transaction", true, &tr, kind, reason) ||
			!ctl_param_obj(p, "event", false, &event, kind, reason) ||
			!ctl_param_obj(p, "jsep", true, &jsep, kind, reason))
		return NULL;
	char *r = NULL;
	ts_err e = ts_api_push_event(id, tr, event, jsep, &r);
	return ctl_done_or_gone(e, r, p, kind, reason);
}

static json_t *m_notify_event(PARAMS)
{
	uint32_t id = 0;
	json_t *event = NULL;
	if (!ctl_param_u32id(p, "id", true, &id, kind, reason) ||
			!ctl_param_obj(p, "event", false, &event, kind, reason))
		return NULL;
	return GONE_OK(ts_api_notify_event(id, event));
}

static json_t *m_events_is_enabled(PARAMS) { return json_boolean(ts_api_events_is_enabled()); }
static json_t *m_close_pc(PARAMS) { ID(id); return GONE_OK(ts_api_close_pc(id)); }
static json_t *m_end_session(PARAMS) { ID(id); return GONE_OK(ts_api_end_session(id)); }

static json_t *m_configure_medium(PARAMS)
{
	ID(id);
	int m = 0, d = 0;
	bool on = false;
	if (!ctl_param_enum(p, "medium", false, media, &m, kind, reason) ||
			!ctl_param_enum(p, "direction", false, dirs, &d, kind, reason) ||
			!ctl_param_bool(p, "enabled", false, &on, kind, reason))
		return NULL;
	return GONE_OK(ts_api_configure_medium(id, (ts_medium)m, (ts_dir)d, on));
}

static json_t *m_add_recipient(PARAMS)
{
	ID(id);
	uint32_t to = 0;
	if (!ctl_param_u32id(p, "recipient", false, &to, kind, reason))
		return NULL;
	json_t *result = NULL;
	ts_err e = ts_api_add_recipient(id, to, &result);
	if (e == TS_OK) return result;
	return DONE(e);
}

static json_t *m_remove_recipient(PARAMS)
{
	ID(id);
	uint32_t to = 0;
	if (!ctl_param_u32id(p, "recipient", false, &to, kind, reason))
		return NULL;
	return GONE_OK(ts_api_remove_route(id, 255, to, 255));
}

static json_t *route(PARAMS, bool add)
{
	ID(id);
	uint32_t to = 0;
	long long mi = 0, rmi = 0;
	if (!ctl_param_int(p, "mindex", false, 0, 255, &mi, kind, reason) ||
			!ctl_param_u32id(p, "recipient", false, &to, kind, reason) ||
			!ctl_param_int(p, "recipientMindex", false, 0, 255, &rmi, kind, reason))
		return NULL;
	if (add) return DONE(ts_api_add_route(id, (int)mi, to, (int)rmi));
	return GONE_OK(ts_api_remove_route(id, (int)mi, to, (int)rmi));
}
static json_t *m_add_route(PARAMS) { return route(p, kind, reason, true); }
static json_t *m_remove_route(PARAMS) { return route(p, kind, reason, false); }

static json_t *m_set_bitrate(PARAMS)
{
	ID(id);
	long long bps = 0;
	if (!ctl_param_int(p, "bitrate", false, 0, G_MAXUINT32, &bps, kind, reason))
		return NULL;
	return GONE_OK(ts_api_set_bitrate(id, (uint32_t)bps));
}

static json_t *m_set_relay_label(PARAMS)
{
	ID(id);
	const char *label = NULL;
	if (!ctl_param_str(p, "label", true, &label, kind, reason))
		return NULL;
	return GONE_OK(ts_api_set_relay_label(id, label));
}

static json_t *m_set_pli_freq(PARAMS)
{
	ID(id);
	long long s = 0;
	if (!ctl_param_int(p, "seconds", false, 0, G_MAXUINT32, &s, kind, reason))
		return NULL;
	return GONE_OK(ts_api_set_pli_freq(id, (uint32_t)s));
}

static json_t *m_send_pli(PARAMS)
{
	ID(id);
	long long mi = -1;
	if (!ctl_param_int(p, "mindex", true, 0, 255, &mi, kind, reason))
		return NULL;
	return GONE_OK(ts_api_send_pli(id, (int)mi));
}

static json_t *relay_rtx(PARAMS, bool rtcp)
{
	ID(id);
	bool video = false;
	long long mi = -1;	/* absent: the session's first stream of that kind */
	uint8_t *buf = NULL;
	size_t len = 0;
	if (!ctl_param_bool(p, "video", false, &video, kind, reason) ||
			!ctl_param_int(p, "mindex", true, 0, TS_MAX_STREAMS - 1, &mi, kind, reason) ||
			!ctl_param_b64(p, "data", &buf, &len, kind, reason))
		return NULL;
	size_t min = rtcp ? 4 : 12;
	if (len < min || len > TS_MAX_PACKET_LEN) {
		g_free(buf);
		*kind = "BadArguments";
		*reason = g_strdup_printf("data: %zu bytes; an %s packet has %zu to %d", len, rtcp ? "RTCP" : "RTP", min, TS_MAX_PACKET_LEN);
		return NULL;
	}
	ts_err e = rtcp ? ts_api_relay_rtcp(id, video, (int)mi, buf, len) : ts_api_relay_rtp(id, video, (int)mi, buf, len);
	g_free(buf);
	return GONE_OK(e);
}
static json_t *m_relay_rtp(PARAMS) { return relay_rtx(p, kind, reason, false); }
static json_t *m_relay_rtcp(PARAMS) { return relay_rtx(p, kind, reason, true); }

static bool data_labels(PARAMS, const char **label, const char **proto)
{
	return ctl_param_str(p, "label", true, label, kind, reason) &&
		ctl_param_str(p, "protocol", true, proto, kind, reason);
}

static json_t *m_relay_text(PARAMS)
{
	ID(id);
	const char *text = NULL, *label = NULL, *proto = NULL;
	if (!ctl_param_str(p, "text", false, &text, kind, reason) || !data_labels(p, kind, reason, &label, &proto))
		return NULL;
	return GONE_OK(ts_api_relay_data(id, false, (const uint8_t *)text, strlen(text), label, proto));
}

static json_t *m_relay_binary(PARAMS)
{
	ID(id);
	const char *label = NULL, *proto = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	if (!data_labels(p, kind, reason, &label, &proto) || !ctl_param_b64(p, "data", &buf, &len, kind, reason))
		return NULL;
	ts_err e = ts_api_relay_data(id, true, buf, len, label, proto);
	g_free(buf);
	return GONE_OK(e);
}

static json_t *m_start_recording(PARAMS)
{
	ID(id);
	int m = 0;
	const char *codec = NULL, *folder = NULL, *file = NULL, *fmtp = NULL;
	if (!ctl_param_enum(p, "medium", false, media, &m, kind, reason) ||
			!ctl_param_str(p, "codec", false, &codec, kind, reason) ||
			!ctl_param_str(p, "folder", true, &folder, kind, reason) ||
			!ctl_param_str(p, "filename", false, &file, kind, reason) ||
			!ctl_param_str(p, "fmtp", true, &fmtp, kind, reason))
		return NULL;
	char *r = NULL;
	ts_err e = ts_api_start_recording(id, (ts_medium)m, codec, folder, file, fmtp, &r);
	return ctl_done(e, r, p, kind, reason);
}

static json_t *m_stop_recording(PARAMS)
{
	ID(id);
	int m = -1;
	if (!ctl_param_enum(p, "medium", true, media, &m, kind, reason))
		return NULL;
	return GONE_OK(ts_api_stop_recording(id, m));
}

static json_t *m_log(PARAMS)
{
	int level = 0;
	const char *msg = NULL;
	if (!ctl_param_enum(p, "level", false, levels, &level, kind, reason) ||
			!ctl_param_str(p, "message", false, &msg, kind, reason))
		return NULL;
	/* fatal..dbg are Janus's LOG_FATAL (1) .. LOG_DBG (7) */
	int janus_level = level + 1;
	JANUS_LOG(janus_level, "[app] %s\n", msg);
	return json_true();
}

static json_t *m_session_info(PARAMS)
{
	ID(id);
	json_t *info = ts_api_session_info(id);
	if (info == NULL) {
		*kind = "UnknownSession";
		*reason = g_strdup_printf("no session %u (never attached, or detached)", id);
	}
	return info;
}

static json_t *m_stats(PARAMS)
{
	json_t *s = ts_api_stats();
	if (!json_is_object(s)) {
		json_decref(s);
		s = json_object();
	}
	if (json_object_get(s, "control") == NULL)
		json_object_set_new(s, "control", ts_control_stats());
	return s;
}

static json_t *m_describe(PARAMS);

static const struct method {
	const char *name;
	ctl_method_fn fn;	/* NULL: handled by control_rpc.c (hello) */
} methods[] = {
	{ "hello", NULL },
	{ "pushEvent", m_push_event },
	{ "notifyEvent", m_notify_event },
	{ "eventsIsEnabled", m_events_is_enabled },
	{ "closePc", m_close_pc },
	{ "endSession", m_end_session },
	{ "configureMedium", m_configure_medium },
	{ "addRecipient", m_add_recipient },
	{ "removeRecipient", m_remove_recipient },
	{ "addRoute", m_add_route },
	{ "removeRoute", m_remove_route },
	{ "setBitrate", m_set_bitrate },
	{ "setRelayLabel", m_set_relay_label },
	{ "setPliFreq", m_set_pli_freq },
	{ "sendPli", m_send_pli },
	{ "setSubstream", ctl_m_set_substream },
	{ "setTemporalLayer", ctl_m_set_temporal },
	{ "setSpatialLayer", ctl_m_set_spatial },
	{ "configureSimulcast", ctl_m_configure_simulcast },
	{ "configureTalkDetection", ctl_m_configure_talk },
	{ "loudestSpeaker", ctl_m_loudest },
	{ "rtpForward", ctl_m_rtp_forward },
	{ "stopRtpForward", ctl_m_stop_rtp_forward },
	{ "listForwarders", ctl_m_list_forwarders },
	{ "relayRtp", m_relay_rtp },
	{ "relayRtcp", m_relay_rtcp },
	{ "relayTextData", m_relay_text },
	{ "relayBinaryData", m_relay_binary },
	{ "startRecording", m_start_recording },
	{ "stopRecording", m_stop_recording },
	{ "log", m_log },
	{ "sessionInfo", m_session_info },
	{ "stats", m_stats },
	{ "describe", m_describe },
};

ctl_method_fn ctl_method_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++)
		if (strcmp(methods[i].name, name) == 0)
			return methods[i].fn;
	return NULL;
}

json_t *ctl_method_names(void)
{
	json_t *a = json_array();
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++)
		json_array_append_new(a, json_string(methods[i].name));
	return a;
}

static json_t *m_describe(PARAMS)
{
	json_t *limits = ts_api_limits();
	if (!json_is_object(limits)) {
		json_decref(limits);
		limits = json_object();
	}
	json_object_set_new(limits, "maxFrame", json_integer((json_int_t)ctl.max_frame));
	json_object_set_new(limits, "queueBytes", json_integer((json_int_t)ctl.queue_bytes));
	json_object_set_new(limits, "messageTimeoutMs", json_integer(ts_control_message_timeout_ms()));
	json_object_set_new(limits, "queryTimeoutMs", json_integer(ts_control_query_timeout_ms()));
	json_object_set_new(limits, "setupTimeoutMs", json_integer(ts_control_setup_timeout_ms()));
	return json_pack("{sisososo}", "protocol", CTL_PROTOCOL, "methods", ctl_method_names(),
		"plugin", ts_api_plugin_info() ?: json_object(), "limits", limits);
}
