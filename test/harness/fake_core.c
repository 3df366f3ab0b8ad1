/* fake_core.c — a fake Janus core for plugin tests. dlopens libjanus_ts.so, hands it a
 * janus_callbacks whose relay_* / send_* / push_event print what they receive as JSON
 * lines on stdout, and runs a script of commands read from stdin, one per line:
 *
 *   init                       create() + init(callbacks, $HARNESS_CONFIG_DIR)
 *   attach A | setup A | dataready A | hangup A | detach A   (A: a handle name)
 *   slowlink A mindex video uplink
 *   valve A audio|video|data in|out 0|1     route A m B rm     unroute A m B rm
 *   bitrate A bps | plifreq A s | sendpli A m
 *   rtp A mindex video seq ts ssrc len [byte]   RTP with extensions set (level 37, rotation 90, dd 1,2,3)
 *   rtcp A mindex video HEX    data A label|- protocol|- 0|1 text
 *   record A audio|video|data codec file       stoprecord A medium|all
 *   bench A mindex video N len   N packets, relays counted (not printed), ns per packet
 *   stress MS THREADS [MIN]      concurrent senders vs attach/route/detach (stress.c)
 *   race MS [MIN]                every delivery checked while routes and sessions change (race.c)
 *   threadrtp A mindex video K PER   K short-lived threads in turn, PER packets each (threads_cmd.c)
 *   push A EVENT [JSEP] | notify A|- EVENT | closepc A | endsession A | sendtext A TEXT | injectrtp A m seq
 *   sdp A client|app offer|answer FILE   the client's SDP via handle_message, or the app's via push_event
 *   addrecipient A B              ts_api_add_recipient, its result printed
 *   info A | stats | query A | msg A JSON | admin JSON | sleep ms | destroy
 *   hex, rtphex, simulcast, layer, talk, fwd, unfwd, fwds, loudest (media_cmds.c)
 *
 * (commands.c). Each command answers one line {"ev": "<command>", ...}; relays print as they happen.
 * Logs go to stderr. Build: test/harness/Makefile (links with -rdynamic so the plugin
 * binds to the janus_* helpers of fake_janus.c). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>
#include <plugins/plugin.h>
#include "../../host-c/ts_api.h"
#include "harness.h"

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;	/* pthread: ThreadSanitizer sees it */

void emit(json_t *o)
{
	if (!o) o = json_pack("{ss}", "ev", "harness_bug", "what", "json_pack format");
	char *s = json_dumps(o, JSON_COMPACT);
	pthread_mutex_lock(&out_lock);
	fprintf(stdout, "%s\n", s);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	free(s);
	json_decref(o);
}

volatile int quiet;	/* bench/stress: count relays instead of printing them */
volatile long quiet_relays;
volatile long relays_after_destroy;
GHashTable *handles;	/* name → fake_handle* (the core's reference) */

static const char *hname(janus_plugin_session *h) { return ((fake_handle *)h)->name; }

volatile long handles_freed;

void handle_free(const janus_refcount *ref)
{
	fake_handle *h = janus_refcount_containerof(ref, fake_handle, ps.ref);
	__atomic_fetch_add(&handles_freed, 1, __ATOMIC_RELAXED);
	if (!quiet) emit(json_pack("{ssss}", "ev", "handle_freed", "h", h->name));
	g_free(h);
}

static uint16_t be16(const char *b) { return ((uint8_t)b[0] << 8) | (uint8_t)b[1]; }
static uint32_t be32(const char *b) { return ((uint32_t)be16(b) << 16) | be16(b + 2); }

/* ---- janus_callbacks ---- */
static int cb_push_event(janus_plugin_session *h, janus_plugin *p, const char *tr, json_t *msg, json_t *jsep)
{
	emit(json_pack("{ssssss?sOsO}", "ev", "push_event", "h", hname(h), "transaction", tr,
		"event", msg, "jsep", jsep ? jsep : json_null()));
	return 0;
}

static void cb_relay_rtp(janus_plugin_session *h, janus_plugin_rtp *p)
{
	if (race_mode) {
		race_relay((fake_handle *)h, p);
		return;
	}
	if (quiet) {
		__atomic_fetch_add(&quiet_relays, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&((fake_handle *)h)->gone, __ATOMIC_ACQUIRE))
			__atomic_fetch_add(&relays_after_destroy, 1, __ATOMIC_RELAXED);
		return;
	}
	json_t *o = json_pack("{sssssisbsisIsIsisisisi}", "ev", "relay_rtp", "h", hname(h), "mindex", p->mindex,
		"video", p->video, "seq", be16(p->buffer + 2), "ts", (json_int_t)be32(p->buffer + 4),
		"ssrc", (json_int_t)be32(p->buffer + 8), "len", p->length,
		"audio_level", p->extensions.audio_level, "video_rotation", p->extensions.video_rotation,
		"dd_len", p->extensions.dd_len);
	if (p->length > 12) json_object_set_new(o, "b0", json_integer((uint8_t)p->buffer[12]));
	json_object_set_new(o, "b1", json_integer((uint8_t)p->buffer[1]));
	if (print_hex) {
		gchar *hex = g_malloc(2 * p->length + 1);
		for (uint16_t i = 0; i < p->length; i++) g_snprintf(hex + 2 * i, 3, "%02x", (uint8_t)p->buffer[i]);
		json_object_set_new(o, "hex", json_string(hex));
		g_free(hex);
	}
	emit(o);
}
static void cb_relay_rtcp(janus_plugin_session *h, janus_plugin_rtcp *p)
{
	emit(json_pack("{sssssisbsisi}", "ev", "relay_rtcp", "h", hname(h), "mindex", p->mindex, "video", p->video,
		"len", p->length, "pt", p->length > 1 ? (uint8_t)p->buffer[1] : -1));
}
static void cb_relay_data(janus_plugin_session *h, janus_plugin_data *p)
{
	emit(json_pack("{ssssss?ss?sbsiss%}", "ev", "relay_data", "h", hname(h), "label", p->label,
		"protocol", p->protocol, "binary", p->binary, "len", p->length, "text", p->buffer, (size_t)p->length));
}
static void cb_send_pli(janus_plugin_session *h)
{
	emit(json_pack("{sssssi}", "ev", "pli", "h", hname(h), "mindex", -1));
}
static void cb_send_pli_stream(janus_plugin_session *h, int mindex)
{
	emit(json_pack("{sssssi}", "ev", "pli", "h", hname(h), "mindex", mindex));
}
static void cb_send_remb(janus_plugin_session *h, guint32 bitrate)
{
	emit(json_pack("{sssssI}", "ev", "remb", "h", hname(h), "bitrate", (json_int_t)bitrate));
}
static void cb_close_pc(janus_plugin_session *h) { emit(json_pack("{ssss}", "ev", "close_pc", "h", hname(h))); }
static void cb_end_session(janus_plugin_session *h) { emit(json_pack("{ssss}", "ev", "end_session", "h", hname(h))); }
static gboolean cb_events_is_enabled(void) { return TRUE; }
static void cb_notify_event(janus_plugin *p, janus_plugin_session *h, json_t *event)
{
	emit(json_pack("{ssss?so}", "ev", "notify_event", "h", h ? hname(h) : NULL, "event", event));
}
static gboolean cb_auth_is_signed(void) { return FALSE; }
static gboolean cb_auth_valid(janus_plugin *p, const char *t) { return TRUE; }
static gboolean cb_auth_contains(janus_plugin *p, const char *t, const char *d) { return TRUE; }

janus_callbacks callbacks = {
	.push_event = cb_push_event, .relay_rtp = cb_relay_rtp, .relay_rtcp = cb_relay_rtcp,
	.relay_data = cb_relay_data, .send_pli = cb_send_pli, .send_pli_stream = cb_send_pli_stream,
	.send_remb = cb_send_remb, .close_pc = cb_close_pc, .end_session = cb_end_session,
	.events_is_enabled = cb_events_is_enabled, .notify_event = cb_notify_event,
	.auth_is_signed = cb_auth_is_signed, .auth_is_signature_valid = cb_auth_valid,
	.auth_signature_contains = cb_auth_contains,
};
