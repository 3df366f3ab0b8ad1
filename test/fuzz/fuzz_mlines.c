/* fuzz_mlines.c — libFuzzer target: host-c/mlines.c, the SDP reader that takes each
 * session's m-lines from every SDP the plugin sees (a client's offer or answer, the app's).
 * Input: first byte bit 0 = whose SDP (client or app), the rest the SDP text. */
#include <string.h>
#include <glib.h>
#include "../../host-c/mlines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	char *sdp = g_strndup((const char *)data + 1, size - 1);	/* text stops at a NUL, as a JSON string does */
	ts_mlines out;
	int rc = ts_mlines_parse(sdp, data[0] & 1, &out);
	if ((rc == 0) != (out.total > 0) || out.count > TS_MAX_STREAMS || out.count > out.total) __builtin_trap();
	for (unsigned i = 0; i < out.count; i++) {
		const ts_mline *m = &out.m[i];
		if (strnlen(m->mid, sizeof(m->mid)) == sizeof(m->mid)) __builtin_trap();	/* always terminated */
		uint8_t d = ts_mline_descriptor(m);
		if ((d & TS_SD_KIND_MASK) != m->kind || (!m->active && (m->send || m->recv))) __builtin_trap();
		(void)ts_mline_kind_name(m->kind);
	}
	g_free(sdp);
	return 0;
}
