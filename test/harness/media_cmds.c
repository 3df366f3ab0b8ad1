/* media_cmds.c — the fake core's media commands (see fake_core.c):
 *
 *   hex 0|1                              relay_rtp lines carry the whole packet as "hex"
 *   rtphex A mindex video level HEX      a raw RTP packet from A (audio level -1 = none);
 *                                        prints the packet as it is after the call
 *   simulcast A mindex vp8|vp9|h264|off [ssrc ...]   ts_api_configure_simulcast (SSRCs)
 *   layer A mindex|- 0|1|2 value         ts_api_set_layer (- = every stream)
 *   talk A mindex|- window threshold     ts_api_configure_talk
 *   fwd A mindex host port ssrc pt substream   ts_api_rtp_forward (pt/substream -1 = none)
 *   unfwd ID | fwds A|-                  ts_api_stop_rtp_forward, ts_api_list_forwarders
 *   loudest A B ...                      ts_api_loudest (max age 1000 ms)
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"

volatile int print_hex;

typedef ts_err (*simulcast_fn)(uint32_t, int, const char *, const uint32_t *, int, const char *const *, int, int, char **);
typedef ts_err (*layer_fn)(uint32_t, int, ts_layer, int);
typedef ts_err (*talk_fn)(uint32_t, int, int, int);
typedef ts_err (*forward_fn)(uint32_t, int, const char *, int, uint32_t, int, int, uint32_t *, char **);
typedef ts_err (*stop_fn)(uint32_t);
typedef json_t *(*list_fn)(uint32_t);
typedef ts_err (*loudest_fn)(const uint32_t *, size_t, int, uint32_t *, double *);
typedef const char *(*kind_fn)(ts_err);

static const char *kind(ts_err e) { return ((kind_fn)harness_symbol("ts_err_kind"))(e); }
static int stream_arg(const char *s) { return strcmp(s, "-") ? atoi(s) : -1; }

static void rtphex(char **a, int n)
{
	fake_handle *h = harness_handle(a[1]);
	if (!h || n < 6) return;
	size_t len = strlen(a[5]) / 2;
	char *buf = g_malloc0(len + 1);
	for (size_t i = 0; i < len; i++) { unsigned v; sscanf(a[5] + 2 * i, "%2x", &v); buf[i] = (char)v; }
	janus_plugin_rtp p;
	janus_plugin_rtp_reset(&p);
	p.mindex = atoi(a[2]);
	p.video = atoi(a[3]);
	p.buffer = buf;
	p.length = (uint16_t)len;
	p.extensions.audio_level = (int8_t)atoi(a[4]);
	callbacks_plugin->incoming_rtp(&h->ps, &p);
	gchar *after = g_malloc(2 * len + 1);
	for (size_t i = 0; i < len; i++) g_snprintf(after + 2 * i, 3, "%02x", (uint8_t)buf[i]);
	emit(json_pack("{ssss}", "ev", "rtphex", "after", after));
	g_free(after);
	g_free(buf);
}

static void simulcast(char **a, int n)
{
	if (n < 5) return;
	uint32_t ssrcs[3];
	int nssrc = 0;
	for (int i = 4; i < n && nssrc < 3; i++) ssrcs[nssrc++] = (uint32_t)strtoul(a[i], NULL, 10);
	char *reason = NULL;
	ts_err e = ((simulcast_fn)harness_symbol("ts_api_configure_simulcast"))(harness_id(a[1]), atoi(a[2]),
		strcmp(a[3], "off") ? a[3] : NULL, ssrcs, nssrc, NULL, 0, 0, &reason);
	emit(json_pack("{ssssss?}", "ev", "simulcast", "result", kind(e), "reason", reason));
	g_free(reason);
}

static void forward(char **a, int n)
{
	if (n < 8) return;
	uint32_t id = 0;
	char *reason = NULL;
	ts_err e = ((forward_fn)harness_symbol("ts_api_rtp_forward"))(harness_id(a[1]), atoi(a[2]), a[3], atoi(a[4]),
		(uint32_t)strtoul(a[5], NULL, 10), atoi(a[6]), atoi(a[7]), &id, &reason);
	emit(json_pack("{sssssIss?}", "ev", "fwd", "result", kind(e), "forwarder", (json_int_t)id, "reason", reason));
	g_free(reason);
}

static void loudest(char **a, int n)
{
	uint32_t ids[10], who = 0;
	int k = 0;
	for (int i = 1; i < n && k < 10; i++) ids[k++] = harness_id(a[i]);
	double level = 0;
	((loudest_fn)harness_symbol("ts_api_loudest"))(ids, (size_t)k, 1000, &who, &level);
	const char *name = "-";
	for (int i = 1; i < n; i++) if (harness_id(a[i]) == who && who) name = a[i];
	emit(json_pack("{sssssf}", "ev", "loudest", "h", name, "level", level));
}

int media_command(char **a, int n)
{
	const char *c = a[0];
	if (!strcmp(c, "hex") && n > 1) {
		print_hex = atoi(a[1]);
	} else if (!strcmp(c, "rtphex")) {
		rtphex(a, n);
	} else if (!strcmp(c, "simulcast")) {
		simulcast(a, n);
	} else if (!strcmp(c, "layer") && n > 4) {
		ts_err e = ((layer_fn)harness_symbol("ts_api_set_layer"))(harness_id(a[1]), stream_arg(a[2]), atoi(a[3]), atoi(a[4]));
		emit(json_pack("{ssss}", "ev", "layer", "result", kind(e)));
	} else if (!strcmp(c, "talk") && n > 4) {
		ts_err e = ((talk_fn)harness_symbol("ts_api_configure_talk"))(harness_id(a[1]), stream_arg(a[2]), atoi(a[3]), atoi(a[4]));
		emit(json_pack("{ssss}", "ev", "talk", "result", kind(e)));
	} else if (!strcmp(c, "fwd")) {
		forward(a, n);
	} else if (!strcmp(c, "unfwd") && n > 1) {
		ts_err e = ((stop_fn)harness_symbol("ts_api_stop_rtp_forward"))((uint32_t)strtoul(a[1], NULL, 10));
		emit(json_pack("{ssss}", "ev", "unfwd", "result", kind(e)));
	} else if (!strcmp(c, "fwds") && n > 1) {
		json_t *l = ((list_fn)harness_symbol("ts_api_list_forwarders"))(strcmp(a[1], "-") ? harness_id(a[1]) : 0);
		emit(json_pack("{ssso}", "ev", "fwds", "list", l ? l : json_null()));
	} else if (!strcmp(c, "loudest")) {
		loudest(a, n);
	} else {
		return 0;
	}
	return 1;
}
