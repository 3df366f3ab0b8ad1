/* fuzz_env.c — see fuzz_env.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <refcount.h>
#include "../../host-c/ts_api.h"
#include "../harness/harness.h"
#include "fuzz_env.h"

extern int janus_log_level;	/* fake_janus.c */
janus_plugin *create(void);	/* host-c/plugin.c */

volatile uint64_t fuzz_relayed_bytes;

/* fake_janus.c's recorders print through emit(): nothing to print here. */
void emit(json_t *o) { json_decref(o); }

static void touch(const char *buf, size_t len)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < len; i++) sum += (uint8_t)buf[i];	/* every byte: ASan checks each */
	fuzz_relayed_bytes += len + (sum & 1);
}

static int cb_push_event(janus_plugin_session *h, janus_plugin *p, const char *tr, json_t *msg, json_t *jsep)
{
	char *text = json_dumps(msg, 0);
	free(text);
	return 0;
}
static void cb_relay_rtp(janus_plugin_session *h, janus_plugin_rtp *p) { touch(p->buffer, p->length); }
static void cb_relay_rtcp(janus_plugin_session *h, janus_plugin_rtcp *p) { touch(p->buffer, p->length); }
static void cb_relay_data(janus_plugin_session *h, janus_plugin_data *p)
{
	touch(p->buffer, p->length);
	if (p->label) touch(p->label, strlen(p->label));
	if (p->protocol) touch(p->protocol, strlen(p->protocol));
}
static void cb_send_pli(janus_plugin_session *h) {}
static void cb_send_pli_stream(janus_plugin_session *h, int mindex) {}
static void cb_send_remb(janus_plugin_session *h, guint32 bitrate) {}
static void cb_close_pc(janus_plugin_session *h) {}
static void cb_end_session(janus_plugin_session *h) {}
static gboolean cb_events_is_enabled(void) { return TRUE; }
static void cb_notify_event(janus_plugin *p, janus_plugin_session *h, json_t *event) { json_decref(event); }
static gboolean cb_auth_is_signed(void) { return FALSE; }
static gboolean cb_auth_valid(janus_plugin *p, const char *t) { return TRUE; }
static gboolean cb_auth_contains(janus_plugin *p, const char *t, const char *d) { return TRUE; }

static janus_callbacks fuzz_callbacks = {
	.push_event = cb_push_event, .relay_rtp = cb_relay_rtp, .relay_rtcp = cb_relay_rtcp,
	.relay_data = cb_relay_data, .send_pli = cb_send_pli, .send_pli_stream = cb_send_pli_stream,
	.send_remb = cb_send_remb, .close_pc = cb_close_pc, .end_session = cb_end_session,
	.events_is_enabled = cb_events_is_enabled, .notify_event = cb_notify_event,
	.auth_is_signed = cb_auth_is_signed, .auth_is_signature_valid = cb_auth_valid,
	.auth_signature_contains = cb_auth_contains,
};

/* fake_core.c's handle_free, for harness.h users; the fuzz handles live as long as the process. */
void handle_free(const janus_refcount *ref) {}

static janus_plugin *plugin;
static fake_handle fhandles[FUZZ_HANDLES];
static uint32_t ids[FUZZ_HANDLES];

/* An offer of what a browser sends: audio, video, a data channel. */
static const char *const offer_sdp =
	"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n"
	"m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\na=rtpmap:96 VP8/90000\r\n"
	"m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n";

janus_plugin *fuzz_plugin(void)
{
	if (plugin) return plugin;
	janus_log_level = getenv("FUZZ_LOG") ? atoi(getenv("FUZZ_LOG")) : 0;
	g_random_set_seed(20261202);	/* session ids, so a saved input replays the same */
	char *dir = g_dir_make_tmp("janus-ts-fuzz-XXXXXX", NULL);
	char *jcfg = g_build_filename(dir, "janus.plugin.ts.jcfg", NULL);
	const char *router = getenv("FUZZ_ROUTER") ? getenv("FUZZ_ROUTER") : FUZZ_DEFAULT_ROUTER;
	char *text = g_strdup_printf("router = \"%s\"\nmax_sessions = 16\nmax_routes = 8\n", router);
	g_file_set_contents(jcfg, text, -1, NULL);
	plugin = create();
	if (plugin->init(&fuzz_callbacks, dir) < 0) {
		fprintf(stderr, "fuzz: the plugin did not initialize (router %s)\n", router);
		abort();
	}
	g_unlink(jcfg);
	g_rmdir(dir);
	g_free(text);
	g_free(jcfg);
	g_free(dir);
	return plugin;
}

static void attach(int i)
{
	fake_handle *h = &fhandles[i];
	g_snprintf(h->name, sizeof(h->name), "H%d", i);
	janus_refcount_init(&h->ps.ref, handle_free);
	json_t *before = ts_api_snapshot();
	int err = 0;
	fuzz_plugin()->create_session(&h->ps, &err);
	if (err) abort();
	json_t *after = ts_api_snapshot(), *a, *b;
	size_t k, j;
	json_array_foreach(after, k, a) {
		bool known = false;
		json_array_foreach(before, j, b) known |= json_equal(json_object_get(a, "id"), json_object_get(b, "id"));
		if (!known) ids[i] = (uint32_t)json_integer_value(json_object_get(a, "id"));
	}
	json_decref(before);
	json_decref(after);
	/* The client's offer: Janus hands it over with handle_message (no app: answered at once). */
	json_t *jsep = json_pack("{ssss}", "type", "offer", "sdp", offer_sdp);
	janus_plugin_result *r = fuzz_plugin()->handle_message(&h->ps, g_strdup("t"), json_object(), jsep);
	janus_plugin_result_destroy(r);
}

janus_plugin_session *fuzz_handle(int i)
{
	if (!ids[i]) {
		attach(i);
		fuzz_plugin()->setup_media(&fhandles[i].ps);
		fuzz_plugin()->data_ready(&fhandles[i].ps);
	}
	return &fhandles[i].ps;
}

uint32_t fuzz_id(int i)
{
	fuzz_handle(i);
	return ids[i];
}

void fuzz_reset_media(void)
{
	for (int i = 0; i < FUZZ_HANDLES; i++) {
		janus_plugin_session *h = fuzz_handle(i);
		fuzz_plugin()->hangup_media(h);
		fuzz_plugin()->setup_media(h);
		fuzz_plugin()->data_ready(h);
		for (int m = 0; m < 3; m++)
			for (int d = 0; d < 2; d++) ts_api_configure_medium(ids[i], m, d, true);
	}
	/* 0 → 1 (every stream), 0 → 0 (echo), 1 audio → 2 audio, 2 video → 0 video, 1 → 2 */
	ts_api_add_route(ids[0], 255, ids[1], 255);
	ts_api_add_route(ids[0], 255, ids[0], 255);
	ts_api_add_route(ids[1], 0, ids[2], 0);
	ts_api_add_route(ids[2], 1, ids[0], 1);
	ts_api_set_bitrate(ids[1], 300000);
	ts_api_start_recording(ids[0], TS_VIDEO, "vp8", NULL, "fuzz-video", NULL, NULL);
}
