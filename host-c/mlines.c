/* mlines.c — a small SDP reader for the m-lines (see mlines.h): "m=" lines, and inside each
 * section a=mid, a=bundle-only and the direction attributes (a session-level direction
 * applies to sections without their own). Nothing else of the SDP is looked at. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "mlines.h"

typedef enum dir { DIR_SENDRECV, DIR_SENDONLY, DIR_RECVONLY, DIR_INACTIVE } dir;

/* One section being read. */
typedef struct section {
	ts_mline *m;		/* NULL: the session level, or an m-line past TS_MAX_STREAMS */
	dir direction;
	bool has_direction;
	bool bundle_only;
	long port;
} section;

const char *ts_mline_kind_name(uint8_t kind)
{
	switch (kind) {
	case TS_SD_AUDIO: return "audio";
	case TS_SD_VIDEO: return "video";
	case TS_SD_DATA: return "data";
	default: return "other";
	}
}

uint8_t ts_mline_descriptor(const ts_mline *m)
{
	return (uint8_t)((m->kind & TS_SD_KIND_MASK) | (m->active ? TS_SD_ACTIVE : 0) |
		(m->send ? TS_SD_SEND : 0) | (m->recv ? TS_SD_RECV : 0));
}

/* "m=<media> <port>[/<n>] <proto> ...": kind and port. */
static void read_m_line(const char *v, ts_mline *m, long *port)
{
	const char *sp = strchr(v, ' ');
	size_t n = sp ? (size_t)(sp - v) : strlen(v);
	if (n == 5 && !strncmp(v, "audio", 5)) m->kind = TS_SD_AUDIO;
	else if (n == 5 && !strncmp(v, "video", 5)) m->kind = TS_SD_VIDEO;
	else if (n == 11 && !strncmp(v, "application", 11)) m->kind = strstr(v, "SCTP") ? TS_SD_DATA : TS_SD_OTHER;
	else m->kind = TS_SD_OTHER;
	*port = sp ? strtol(sp + 1, NULL, 10) : 0;
}

static bool read_direction(const char *a, dir *d)
{
	if (!strcmp(a, "sendrecv")) *d = DIR_SENDRECV;
	else if (!strcmp(a, "sendonly")) *d = DIR_SENDONLY;
	else if (!strcmp(a, "recvonly")) *d = DIR_RECVONLY;
	else if (!strcmp(a, "inactive")) *d = DIR_INACTIVE;
	else return false;
	return true;
}

/* Ends a section: activity and who sends, from the client's point of view. */
static void finish(section *s, dir session_dir, bool from_client)
{
	ts_mline *m = s->m;
	if (!m) return;
	m->active = s->port != 0 || s->bundle_only;
	dir d = s->has_direction ? s->direction : session_dir;
	bool sends_first = d == DIR_SENDRECV || d == DIR_SENDONLY;	/* whoever wrote the SDP */
	bool recvs_first = d == DIR_SENDRECV || d == DIR_RECVONLY;
	if (m->kind == TS_SD_DATA) sends_first = recvs_first = true;	/* no direction for SCTP */
	m->send = m->active && (from_client ? sends_first : recvs_first);
	m->recv = m->active && (from_client ? recvs_first : sends_first);
}

static void read_line(char *line, section *s, ts_mlines *out, dir *session_dir, bool from_client)
{
	size_t len = strlen(line);
	if (len && line[len - 1] == '\r') line[--len] = '\0';
	if (len < 2 || line[1] != '=') return;
	if (line[0] == 'm') {
		finish(s, *session_dir, from_client);
		memset(s, 0, sizeof(*s));
		ts_mline scratch = {0};
		s->m = out->total < TS_MAX_STREAMS ? &out->m[out->total] : NULL;
		read_m_line(line + 2, s->m ? s->m : &scratch, &s->port);
		out->total++;
		return;
	}
	if (line[0] != 'a') return;
	const char *a = line + 2;
	dir d;
	if (read_direction(a, &d)) {
		if (out->total == 0) *session_dir = d;
		s->direction = d;
		s->has_direction = true;
	} else if (s->m && !strncmp(a, "mid:", 4)) {
		g_strlcpy(s->m->mid, a + 4, sizeof(s->m->mid));
	} else if (!strcmp(a, "bundle-only")) {
		s->bundle_only = true;
	}
}

int ts_mlines_parse(const char *sdp, bool from_client, ts_mlines *out)
{
	memset(out, 0, sizeof(*out));
	if (!sdp) return -1;
	char *copy = g_strdup(sdp);
	section s = {0};
	dir session_dir = DIR_SENDRECV;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		read_line(line, &s, out, &session_dir, from_client);
	finish(&s, session_dir, from_client);
	g_free(copy);
	out->count = out->total < TS_MAX_STREAMS ? out->total : TS_MAX_STREAMS;
	return out->total ? 0 : -1;
}
