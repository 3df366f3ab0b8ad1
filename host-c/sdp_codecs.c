/* sdp_codecs.c — see sdp_codecs.h. Reads "m=", "a=rtpmap:" and "a=fmtp:" lines only. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "sdp_codecs.h"
#include "log.h"

/* One m-line being read: its formats and what the rtpmap/fmtp lines said of them. */
typedef struct section {
	ts_mline_codecs *out;		/* NULL: past TS_MAX_STREAMS */
	unsigned nfmt;
	uint8_t fmt[TS_MLINE_CODECS];	/* payload types of the m= line */
	char *map[128];			/* owned: "name/clock[/channels]", lowercased */
	char *fmtp[128];		/* owned: the parameters */
} section;

/* RFC 3551 static payload types a client may list without an rtpmap. */
static const char *static_name(unsigned pt)
{
	switch (pt) {
	case 0: return "pcmu/8000";
	case 8: return "pcma/8000";
	case 9: return "g722/8000";
	case 13: return "cn/8000";
	default: return NULL;
	}
}

/* The value of parameter `name` in an fmtp's "a=b;c=d" list, or `dflt`. */
static void fmtp_param(const char *fmtp, const char *name, const char *dflt, char *buf, size_t size)
{
	g_strlcpy(buf, dflt, size);
	size_t n = strlen(name);
	for (const char *p = fmtp; p && *p; p = strchr(p, ';'), p = p ? p + 1 : NULL) {
		while (*p == ' ') p++;
		if (g_ascii_strncasecmp(p, name, n) || p[n] != '=') continue;
		size_t len = strcspn(p + n + 1, "; ");
		if (len >= size) len = size - 1;
		memcpy(buf, p + n + 1, len);
		buf[len] = '\0';
		return;
	}
}

/* The key of payload type pt (sdp_codecs.h), false for RTX and unknown ones. */
static bool codec_key(const section *s, unsigned pt, char *key)
{
	const char *map = s->map[pt] ? s->map[pt] : static_name(pt);
	if (!map || g_str_has_prefix(map, "rtx/")) return false;
	const char *f = s->fmtp[pt] ? s->fmtp[pt] : "";
	char a[16], b[16];
	if (g_str_has_prefix(map, "h264/")) {
		fmtp_param(f, "packetization-mode", "0", a, sizeof(a));
		fmtp_param(f, "profile-level-id", "42001f", b, sizeof(b));
		b[2] = '\0';	/* profile_idc */
		for (char *x = b; *x; x++) *x = g_ascii_tolower(*x);
		g_snprintf(key, TS_CODEC_KEY, "%s;pm=%s;p=%s", map, a, b);
	} else if (g_str_has_prefix(map, "vp9/") || g_str_has_prefix(map, "av1/")) {
		fmtp_param(f, g_str_has_prefix(map, "vp9/") ? "profile-id" : "profile", "0", a, sizeof(a));
		g_snprintf(key, TS_CODEC_KEY, "%s;p=%s", map, a);
	} else {
		g_strlcpy(key, map, TS_CODEC_KEY);
	}
	return true;
}

static void finish(section *s)
{
	for (unsigned i = 0; s->out && i < s->nfmt && s->out->n < TS_MLINE_CODECS; i++) {
		ts_codec *c = &s->out->c[s->out->n];
		c->pt = s->fmt[i];
		if (codec_key(s, s->fmt[i], c->key)) s->out->n++;
	}
	for (unsigned pt = 0; pt < 128; pt++) {
		g_free(s->map[pt]);
		g_free(s->fmtp[pt]);
	}
	memset(s, 0, sizeof(*s));
}

/* "m=<media> <port> <proto> <fmt> <fmt> ...": the payload types. */
static void read_formats(section *s, const char *v)
{
	const char *p = v;
	for (int field = 0; field < 3 && p; field++) p = strchr(p, ' '), p = p ? p + 1 : NULL;
	while (p && *p && s->nfmt < TS_MLINE_CODECS) {
		char *end = NULL;
		long pt = strtol(p, &end, 10);
		if (end == p) break;
		if (pt >= 0 && pt < 128) s->fmt[s->nfmt++] = (uint8_t)pt;
		p = *end == ' ' ? end + 1 : NULL;
	}
}

/* "a=rtpmap:<pt> <name>/<clock>[/<ch>]" or "a=fmtp:<pt> <params>" into s. */
static void read_attribute(section *s, const char *a)
{
	bool map = g_str_has_prefix(a, "rtpmap:");
	if (!map && !g_str_has_prefix(a, "fmtp:")) return;
	char *end = NULL;
	long pt = strtol(a + (map ? 7 : 5), &end, 10);
	if (pt < 0 || pt > 127 || *end != ' ') return;
	char **slot = map ? &s->map[pt] : &s->fmtp[pt];
	g_free(*slot);
	*slot = map ? g_ascii_strdown(end + 1, -1) : g_strdup(end + 1);
}

unsigned ts_sdp_codecs(const char *sdp, ts_mline_codecs out[TS_MAX_STREAMS])
{
	unsigned count = 0;
	section s = {0};
	gchar **lines = g_strsplit(sdp ? sdp : "", "\n", -1);
	for (gchar **l = lines; *l; l++) {
		g_strchomp(*l);
		const char *line = *l;
		if (line[0] == 'm' && line[1] == '=') {
			finish(&s);
			s.out = count < TS_MAX_STREAMS ? &out[count] : NULL;
			if (s.out) { s.out->n = 0; count++; }
			read_formats(&s, line + 2);
		} else if (line[0] == 'a' && line[1] == '=' && s.out) {
			read_attribute(&s, line + 2);
		}
	}
	finish(&s);
	g_strfreev(lines);
	return count;
}

static GMutex ids_lock;
static GHashTable *ids;		/* key (owned) → id */
static bool full_logged;

uint8_t ts_codec_id(const char *key)
{
	g_mutex_lock(&ids_lock);
	if (!ids) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint id = GPOINTER_TO_UINT(g_hash_table_lookup(ids, key));
	if (!id && g_hash_table_size(ids) + 1 < TS_MAX_CODEC_IDS) {
		id = g_hash_table_size(ids) + 1;
		g_hash_table_insert(ids, g_strdup(key), GUINT_TO_POINTER(id));
	} else if (!id && !full_logged) {
		full_logged = true;
		TS_LOG(LOG_WARN, "more than %d codecs seen: payload types of codec %s are relayed as they are\n", TS_MAX_CODEC_IDS - 1, key);
	}
	g_mutex_unlock(&ids_lock);
	return (uint8_t)id;
}

void ts_codec_ids_clear(void)
{
	g_mutex_lock(&ids_lock);
	if (ids) g_hash_table_destroy(ids);
	ids = NULL;
	full_logged = false;
	g_mutex_unlock(&ids_lock);
}
