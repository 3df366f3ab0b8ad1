/* commands.c — the fake core's script runner (see fake_core.c for the commands). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static janus_plugin *plugin;
janus_plugin *callbacks_plugin;
stress_api_table stress_api;
static void *lib;

/* ts_api functions, looked up in the plugin (they have default visibility). */
#define API(ret, name, args) static ret (*p_##name) args;
API(json_t *, ts_api_snapshot, (void))
API(json_t *, ts_api_session_info, (uint32_t))
API(json_t *, ts_api_stats, (void))
API(const char *, ts_err_kind, (ts_err))
API(ts_err, ts_api_configure_medium, (uint32_t, ts_medium, ts_dir, bool))
API(ts_err, ts_api_add_route, (uint32_t, int, uint32_t, int))
API(ts_err, ts_api_remove_route, (uint32_t, int, uint32_t, int))
API(ts_err, ts_api_set_bitrate, (uint32_t, uint32_t))
API(ts_err, ts_api_set_pli_freq, (uint32_t, uint32_t))
API(ts_err, ts_api_send_pli, (uint32_t, int))
API(ts_err, ts_api_start_recording, (uint32_t, ts_medium, const char *, const char *, const char *, const char *, char **))
API(ts_err, ts_api_stop_recording, (uint32_t, int))
API(ts_err, ts_api_push_event, (uint32_t, const char *, json_t *, json_t *, char **))
API(ts_err, ts_api_notify_event, (uint32_t, json_t *))
API(ts_err, ts_api_close_pc, (uint32_t))
API(ts_err, ts_api_end_session, (uint32_t))
API(ts_err, ts_api_relay_data, (uint32_t, bool, const uint8_t *, size_t, const char *, const char *))
API(ts_err, ts_api_relay_rtp, (uint32_t, bool, int, const uint8_t *, size_t))
API(ts_err, ts_api_add_recipient, (uint32_t, uint32_t, json_t **))
API(ts_err, ts_api_set_relay_label, (uint32_t, const char *))
#undef API

static int load(const char *path)
{
	lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!lib) {
		emit(json_pack("{ssss}", "ev", "load", "error", dlerror()));
		return -1;
	}
#define SYM(name) *(void **)&p_##name = dlsym(lib, #name); if (!p_##name) { emit(json_pack("{ssss}", "ev", "load", "missing", #name)); return -1; }
	SYM(ts_api_snapshot) SYM(ts_api_session_info) SYM(ts_api_stats) SYM(ts_err_kind)
	SYM(ts_api_configure_medium) SYM(ts_api_add_route) SYM(ts_api_remove_route)
	SYM(ts_api_set_bitrate) SYM(ts_api_set_pli_freq) SYM(ts_api_send_pli)
	SYM(ts_api_start_recording) SYM(ts_api_stop_recording)
	SYM(ts_api_push_event) SYM(ts_api_notify_event) SYM(ts_api_close_pc) SYM(ts_api_end_session)
	SYM(ts_api_relay_data) SYM(ts_api_relay_rtp) SYM(ts_api_add_recipient) SYM(ts_api_set_relay_label)
#undef SYM
	create_p *create = (create_p *)dlsym(lib, "create");
	if (!create) { emit(json_pack("{ssss}", "ev", "load", "missing", "create")); return -1; }
	plugin = callbacks_plugin = create();
	stress_api = (stress_api_table){p_ts_api_snapshot, p_ts_api_session_info, p_ts_api_configure_medium, p_ts_api_add_route,
		p_ts_api_remove_route};
	return 0;
}

void *harness_symbol(const char *name) { return lib ? dlsym(lib, name) : NULL; }

static fake_handle *H(const char *name)
{
	fake_handle *h = name ? g_hash_table_lookup(handles, name) : NULL;
	if (!h) emit(json_pack("{ssss}", "ev", "error", "unknown handle", name ? name : "(none)"));
	return h;
}

/* The session id of a handle: from the snapshot, matched on attach and remembered. */
static GHashTable *ids;	/* name → id */
static uint32_t ID(const char *name)
{
	return name ? GPOINTER_TO_UINT(g_hash_table_lookup(ids, name)) : 0;
}

uint32_t harness_id(const char *name) { return ID(name); }
fake_handle *harness_handle(const char *name) { return H(name); }

static int medium(const char *m)
{
	return !g_strcmp0(m, "audio") ? TS_AUDIO : !g_strcmp0(m, "video") ? TS_VIDEO : !g_strcmp0(m, "data") ? TS_DATA : -1;
}

static void api_result(const char *op, ts_err e)
{
	emit(json_pack("{ssss}", "ev", op, "result", p_ts_err_kind(e)));
}

static void cmd_attach(const char *name)
{
	json_t *before = p_ts_api_snapshot();
	fake_handle *h = g_new0(fake_handle, 1);
	g_strlcpy(h->name, name, sizeof(h->name));
	janus_refcount_init(&h->ps.ref, handle_free);	/* the core's reference */
	int err = 0;
	plugin->create_session(&h->ps, &err);
	json_t *after = p_ts_api_snapshot();
	uint32_t id = 0;
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(after, i, a) {
		json_int_t v = json_integer_value(json_object_get(a, "id"));
		bool known = false;
		json_array_foreach(before, j, b) known |= json_integer_value(json_object_get(b, "id")) == v;
		if (!known) id = (uint32_t)v;
	}
	json_decref(before);
	json_decref(after);
	if (err) {
		janus_refcount_decrease(&h->ps.ref);
	} else {
		g_hash_table_insert(handles, g_strdup(name), h);
		g_hash_table_insert(ids, g_strdup(name), GUINT_TO_POINTER(id));
	}
	emit(json_pack("{sssssisI}", "ev", "attach", "h", name, "error", err, "id", (json_int_t)id));
}

static void cmd_rtp(char **a, int n)
{
	fake_handle *h = H(a[1]);
	if (!h || n < 8) return;
	int len = atoi(a[7]);
	if (len < 12 || len > 1500) len = 12;
	char *buf = g_malloc0(len);
	uint16_t seq = atoi(a[4]);
	uint32_t ts = strtoul(a[5], NULL, 10), ssrc = strtoul(a[6], NULL, 10);
	int video = atoi(a[3]);
	buf[0] = (char)0x80;
	buf[1] = video ? 96 : 111;
	buf[2] = seq >> 8; buf[3] = seq;
	for (int i = 0; i < 4; i++) { buf[4 + i] = ts >> (24 - 8 * i); buf[8 + i] = ssrc >> (24 - 8 * i); }
	memset(buf + 12, n > 8 ? (int)strtol(a[8], NULL, 16) : 0xAB, len - 12);
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = atoi(a[2]);
	p.video = video;
	p.buffer = buf;
	p.length = len;
	p.extensions.audio_level = 37;
	p.extensions.video_rotation = 90;
	p.extensions.dd_len = 3;
	memcpy(p.extensions.dd_content, "\1\2\3", 3);
	plugin->incoming_rtp(&h->ps, &p);
	/* After the call the plugin must have restored the header it rewrote. */
	emit(json_pack("{sssIsIsi}", "ev", "rtp", "seq", (json_int_t)((uint8_t)buf[2] << 8 | (uint8_t)buf[3]),
		"ts", (json_int_t)(((uint32_t)(uint8_t)buf[4] << 24) | ((uint8_t)buf[5] << 16) | ((uint8_t)buf[6] << 8) | (uint8_t)buf[7]),
		"b0", len > 12 ? (uint8_t)buf[12] : -1));
	g_free(buf);
}

/* bench A mindex video N len: N packets from A, relays counted, wall time per packet. */
static void cmd_bench(char **a, int n)
{
	fake_handle *h = H(a[1]);
	if (!h || n < 6) return;
	int count = atoi(a[4]), len = atoi(a[5]);
	if (len < 13 || len > 1500) len = 1100;
	char *buf = g_malloc0(len);
	buf[0] = (char)0x80;
	buf[1] = 96;
	buf[11] = 9;
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = atoi(a[2]);
	p.video = atoi(a[3]);
	p.buffer = buf;
	p.length = len;
	quiet = 1;
	quiet_relays = 0;
	gint64 t0 = g_get_monotonic_time();
	for (int i = 0; i < count; i++) {
		uint16_t seq = i;
		uint32_t ts = i * 3000u;
		buf[2] = seq >> 8; buf[3] = seq;
		buf[4] = ts >> 24; buf[5] = ts >> 16; buf[6] = ts >> 8; buf[7] = ts;
		plugin->incoming_rtp(&h->ps, &p);
	}
	gint64 us = g_get_monotonic_time() - t0;
	quiet = 0;
	emit(json_pack("{sssisIsfsf}", "ev", "bench", "packets", count, "relays", (json_int_t)quiet_relays,
		"nsPerPacket", count ? us * 1000.0 / count : 0.0,
		"nsPerRelay", quiet_relays ? us * 1000.0 / quiet_relays : 0.0));
	g_free(buf);
}

static void cmd_rtcp(char **a, int n)
{
	fake_handle *h = H(a[1]);
	if (!h || n < 5) return;
	size_t len = strlen(a[4]) / 2;
	char *buf = g_malloc0(len + 1);
	for (size_t i = 0; i < len; i++) { unsigned v; sscanf(a[4] + 2 * i, "%2x", &v); buf[i] = v; }
	janus_plugin_rtcp p = {.mindex = atoi(a[2]), .video = atoi(a[3]), .buffer = buf, .length = len};
	plugin->incoming_rtcp(&h->ps, &p);
	emit(json_pack("{ss}", "ev", "rtcp"));
	g_free(buf);
}

static void cmd_data(char **a, int n, const char *line)
{
	fake_handle *h = H(a[1]);
	if (!h || n < 6) return;
	/* the text is the rest of the line after the 5th field */
	const char *text = line;
	for (int f = 0; f < 5; f++) { text = strchr(text, ' '); text = text ? text + 1 : ""; }
	janus_plugin_data p = {.label = strcmp(a[2], "-") ? a[2] : NULL, .protocol = strcmp(a[3], "-") ? a[3] : NULL,
		.binary = atoi(a[4]), .buffer = (char *)text, .length = strlen(text)};
	plugin->incoming_data(&h->ps, &p);
	emit(json_pack("{ss}", "ev", "data"));
}

static void cmd_msg(fake_handle *h, const char *jsontext)
{
	json_t *m = json_loads(jsontext, 0, NULL);
	janus_plugin_result *r = plugin->handle_message(&h->ps, g_strdup("tr1"), m ? m : json_object(), NULL);
	emit(json_pack("{sssiss?sO?}", "ev", "msg", "type", r->type, "text", r->text, "content", r->content));
	janus_plugin_result_destroy(r);
}

/* sdp A client|app offer|answer FILE: the client's SDP through handle_message (as Janus passes
 * a client's jsep), or the app's through push_event. */
static void cmd_sdp(char **a, int n)
{
	fake_handle *h = H(a[1]);
	if (!h || n < 5) return;
	gchar *text = NULL;
	if (!g_file_get_contents(a[4], &text, NULL, NULL)) {
		emit(json_pack("{ssss}", "ev", "sdp", "error", "cannot read the file"));
		return;
	}
	json_t *jsep = json_pack("{ssss}", "type", a[3], "sdp", text);
	g_free(text);
	if (!strcmp(a[2], "client")) {
		janus_plugin_result *r = plugin->handle_message(&h->ps, g_strdup("tr-sdp"), json_pack("{ss}", "request", "sdp"), jsep);
		emit(json_pack("{sssi}", "ev", "sdp", "type", r->type));
		janus_plugin_result_destroy(r);
		return;
	}
	json_t *ev = json_object();
	char *reason = NULL;
	ts_err e = p_ts_api_push_event(ID(a[1]), "tr-app", ev, jsep, &reason);
	emit(json_pack("{ssss}", "ev", "sdp", "result", p_ts_err_kind(e)));
	json_decref(ev);
	json_decref(jsep);
	g_free(reason);
}

/* addrecipient A B: ts_api_add_recipient, its result printed. */
static void cmd_add_recipient(char **a, int n)
{
	if (n < 3) return;
	json_t *result = NULL;
	ts_err e = p_ts_api_add_recipient(ID(a[1]), ID(a[2]), &result);
	emit(json_pack("{ssssso?}", "ev", "addrecipient", "result", p_ts_err_kind(e), "resolved", result));
}

static void run(char *line)
{
	char **a = g_strsplit(g_strstrip(line), " ", 12);
	int n = g_strv_length(a);
	const char *c = a[0];
	fake_handle *h = NULL;
	if (n == 0 || !*c || c[0] == '#') goto out;
	if (!strcmp(c, "init")) {
		int rc = plugin->init(&callbacks, getenv("HARNESS_CONFIG_DIR"));
		emit(json_pack("{sssisssssi}", "ev", "init", "rc", rc, "package", plugin->get_package(),
			"name", plugin->get_name(), "api", plugin->get_api_compatibility()));
	} else if (!strcmp(c, "attach") && n > 1) {
		cmd_attach(a[1]);
	} else if (!strcmp(c, "setup") && (h = H(a[1]))) {
		plugin->setup_media(&h->ps);
		emit(json_pack("{ssss}", "ev", c, "h", a[1]));
	} else if (!strcmp(c, "dataready") && (h = H(a[1]))) {
		plugin->data_ready(&h->ps);
		emit(json_pack("{ssss}", "ev", c, "h", a[1]));
	} else if (!strcmp(c, "slowlink") && n > 4 && (h = H(a[1]))) {
		plugin->slow_link(&h->ps, atoi(a[2]), atoi(a[3]), atoi(a[4]));
		emit(json_pack("{ssss}", "ev", c, "h", a[1]));
	} else if (!strcmp(c, "hangup") && (h = H(a[1]))) {
		plugin->hangup_media(&h->ps);
		emit(json_pack("{ssss}", "ev", c, "h", a[1]));
	} else if (!strcmp(c, "detach") && (h = H(a[1]))) {
		int err = 0;
		g_atomic_int_set(&h->ps.stopped, 1);
		plugin->destroy_session(&h->ps, &err);
		emit(json_pack("{sssssi}", "ev", c, "h", a[1], "error", err));
		g_hash_table_remove(handles, a[1]);	/* drops the core's reference */
	} else if (!strcmp(c, "valve") && n > 4) {
		api_result(c, p_ts_api_configure_medium(ID(a[1]), medium(a[2]), strcmp(a[3], "out") ? TS_IN : TS_OUT, atoi(a[4])));
	} else if ((!strcmp(c, "route") || !strcmp(c, "unroute")) && n > 4) {
		api_result(c, (c[0] == 'r' ? p_ts_api_add_route : p_ts_api_remove_route)(ID(a[1]), atoi(a[2]), ID(a[3]), atoi(a[4])));
	} else if (!strcmp(c, "bitrate") && n > 2) {
		api_result(c, p_ts_api_set_bitrate(ID(a[1]), strtoul(a[2], NULL, 10)));
	} else if (!strcmp(c, "plifreq") && n > 2) {
		api_result(c, p_ts_api_set_pli_freq(ID(a[1]), atoi(a[2])));
	} else if (!strcmp(c, "sendpli") && n > 2) {
		api_result(c, p_ts_api_send_pli(ID(a[1]), atoi(a[2])));
	} else if (!strcmp(c, "record") && n > 4) {
		char *reason = NULL;
		ts_err e = p_ts_api_start_recording(ID(a[1]), medium(a[2]), a[3], "/tmp", a[4], NULL, &reason);
		emit(json_pack("{ssssss?}", "ev", c, "result", p_ts_err_kind(e), "reason", reason));
		g_free(reason);
	} else if (!strcmp(c, "stoprecord") && n > 2) {
		api_result(c, p_ts_api_stop_recording(ID(a[1]), medium(a[2])));
	} else if (!strcmp(c, "rtp")) {
		cmd_rtp(a, n);
	} else if (!strcmp(c, "sdp")) {
		cmd_sdp(a, n);
	} else if (!strcmp(c, "addrecipient")) {
		cmd_add_recipient(a, n);
	} else if ((!strcmp(c, "push") || !strcmp(c, "notify")) && n > 2) {
		/* push A {event} [{jsep}] / notify A|- {event}: the JSON must not contain spaces */
		json_t *ev = json_loads(a[2], 0, NULL), *jsep = n > 3 ? json_loads(a[3], 0, NULL) : NULL;
		char *reason = NULL;
		ts_err e = c[0] == 'p' ? p_ts_api_push_event(ID(a[1]), "tr-app", ev, jsep, &reason)
			: p_ts_api_notify_event(strcmp(a[1], "-") ? ID(a[1]) : 0, ev);
		/* borrowed by the API: still ours, and still alive */
		emit(json_pack("{ssssss?sisi}", "ev", c, "result", p_ts_err_kind(e), "reason", reason,
			"evRefs", ev ? (int)ev->refcount : -1, "jsepRefs", jsep ? (int)jsep->refcount : -1));
		json_decref(ev);
		json_decref(jsep);
		g_free(reason);
	} else if (!strcmp(c, "closepc") && n > 1) {
		api_result(c, p_ts_api_close_pc(ID(a[1])));
	} else if (!strcmp(c, "endsession") && n > 1) {
		api_result(c, p_ts_api_end_session(ID(a[1])));
	} else if (!strcmp(c, "relaylabel") && n > 2) {
		/* relaylabel A label|-: the label of the data relayed from A (- = its own) */
		api_result(c, p_ts_api_set_relay_label(ID(a[1]), strcmp(a[2], "-") ? a[2] : NULL));
	} else if (!strcmp(c, "sendtext") && n > 2) {
		/* sendtext A text: ts_api_relay_data with label "app" */
		api_result(c, p_ts_api_relay_data(ID(a[1]), false, (const uint8_t *)a[2], strlen(a[2]), "app", NULL));
	} else if (!strcmp(c, "injectrtp") && n > 3) {
		/* injectrtp A mindex seq: a 20-byte RTP packet through ts_api_relay_rtp */
		uint8_t b[20] = {0x80, 111};
		b[2] = atoi(a[3]) >> 8; b[3] = atoi(a[3]);
		api_result(c, p_ts_api_relay_rtp(ID(a[1]), false, atoi(a[2]), b, sizeof(b)));
	} else if (!strcmp(c, "stress") && n > 2) {
		cmd_stress(atoi(a[1]), atoi(a[2]), n > 3 ? atoi(a[3]) : 0);
	} else if (!strcmp(c, "threadrtp")) {
		cmd_threadrtp(a, n);
	} else if (!strcmp(c, "race") && n > 1) {
		cmd_race(atoi(a[1]), n > 2 ? atoi(a[2]) : 0);
	} else if (media_command(a, n)) {
		/* handled */
	} else if (!strcmp(c, "bench")) {
		cmd_bench(a, n);
	} else if (!strcmp(c, "rtcp")) {
		cmd_rtcp(a, n);
	} else if (!strcmp(c, "data")) {
		cmd_data(a, n, line);
	} else if (!strcmp(c, "info") && n > 1) {
		json_t *i = p_ts_api_session_info(ID(a[1]));
		emit(json_pack("{ssso}", "ev", c, "info", i ? i : json_null()));
	} else if (!strcmp(c, "stats")) {
		emit(json_pack("{ssso}", "ev", c, "stats", p_ts_api_stats()));
	} else if (!strcmp(c, "query") && (h = H(a[1]))) {
		json_t *q = plugin->query_session(&h->ps);
		emit(json_pack("{ssso}", "ev", c, "query", q ? q : json_null()));
	} else if (!strcmp(c, "msg") && n > 2 && (h = H(a[1]))) {
		cmd_msg(h, strchr(strchr(line, ' ') + 1, ' ') + 1);
	} else if (!strcmp(c, "admin") && n > 1) {
		json_t *m = json_loads(strchr(line, ' ') + 1, 0, NULL);
		json_t *r = plugin->handle_admin_message(m);
		emit(json_pack("{ssso?}", "ev", c, "response", r));
		json_decref(m);
	} else if (!strcmp(c, "sleep") && n > 1) {
		g_usleep(atoi(a[1]) * 1000);
		emit(json_pack("{ss}", "ev", c));
	} else if (!strcmp(c, "destroy")) {
		plugin->destroy();
		emit(json_pack("{ss}", "ev", c));
	} else if (!h) {
		emit(json_pack("{ssss}", "ev", "error", "bad command", line));
	}
out:
	g_strfreev(a);
}

static void drop_handle(gpointer p)
{
	fake_handle *h = p;
	janus_refcount_decrease(&h->ps.ref);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s path/to/libjanus_ts.so < script\n", argv[0]);
		return 2;
	}
	extern int janus_log_level;
	if (getenv("HARNESS_LOG_LEVEL")) janus_log_level = atoi(getenv("HARNESS_LOG_LEVEL"));
	handles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, drop_handle);
	ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (load(argv[1]) < 0) return 1;
	char line[4096];
	while (fgets(line, sizeof(line), stdin)) run(line);
	emit(json_pack("{ss}", "ev", "end"));
	return 0;
}
