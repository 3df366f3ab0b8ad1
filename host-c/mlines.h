/* mlines.h — the m-lines of an SDP as far as routing needs them: kind, mid, rejected or
 * not, and who sends on each, from the client's point of view. The plugin learns every
 * session's m-lines from the SDPs it sees (the client's JSEP in handle_message, the app's in
 * push_event) and gives them to the router (set_streams) so that an every-stream route
 * (Lua addRecipient) sends audio to audio and video to video. */
#ifndef JANUS_TS_MLINES_H
#define JANUS_TS_MLINES_H

#include <stdbool.h>
#include <stdint.h>
#include "router_abi.h"

typedef struct ts_mline {
	uint8_t kind;		/* TS_SD_AUDIO, TS_SD_VIDEO, TS_SD_DATA or TS_SD_OTHER */
	bool active;		/* not rejected: port != 0 (or bundle-only) */
	bool send;		/* the client sends media on it (it can feed a route) */
	bool recv;		/* the client receives media on it (a route can deliver to it) */
	char mid[32];		/* a=mid, "" when absent (truncated if longer) */
} ts_mline;

typedef struct ts_mlines {
	unsigned count;		/* m-lines kept: at most TS_MAX_STREAMS; 0 = none known */
	unsigned total;		/* m-lines in the SDP (more than count when it had over 16) */
	ts_mline m[TS_MAX_STREAMS];
} ts_mlines;

/* Parses `sdp`; `from_client`: the SDP is the client's (else the app's, i.e. Janus's side,
 * whose sendonly means the client receives). Returns 0, or -1 when it has no m-line. */
int ts_mlines_parse(const char *sdp, bool from_client, ts_mlines *out);

/* The router's descriptor byte of an m-line (kind | TS_SD_ACTIVE | TS_SD_SEND | TS_SD_RECV). */
uint8_t ts_mline_descriptor(const ts_mline *m);

/* "audio", "video", "data" or "other". */
const char *ts_mline_kind_name(uint8_t kind);
#endif
