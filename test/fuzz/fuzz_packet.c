/* fuzz_packet.c — libFuzzer target: the host side of the packet path into the real router
 * (host-c/media.c: the copy into the router's memory, the call, the decisions run back
 * into relays, keyframe requests, REMB, recordings; linked with wasmtime and router.wasm).
 * Three sessions with every-stream and stream routes, open valves, a data channel and a
 * video recording (fuzz_env.c). The input is a sequence of records:
 *   op (1 byte): bits 0..1 what (0 RTP, 1 RTCP, 2 data, 3 a control change),
 *                bits 2..3 which session (mod 3), bit 4 video, bit 5 binary data
 *   mindex (1 byte, as Janus passes it: a signed int, so 255 is -1... here the raw byte)
 *   length (2 bytes, big-endian, cut to what is left), then the packet bytes.
 * A control change takes one more byte: route add/remove, valve, hangup + setup of a session.
 * The callbacks read every byte they are handed (ASan: a relay reaching outside the packet).
 * Each input starts from the same state. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "../../host-c/ts_api.h"
#include "fuzz_env.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_plugin();
	fuzz_reset_media();
	return 0;
}

static void control_change(uint8_t b)
{
	uint32_t a = fuzz_id(b % 3), z = fuzz_id((b >> 2) % 3);
	int m = (b >> 4) & 3;
	switch (b >> 6) {
	case 0: ts_api_add_route(a, m == 3 ? 255 : m, z, m == 3 ? 255 : (b & 1)); break;
	case 1: ts_api_remove_route(a, 255, z, 255); break;
	case 2: ts_api_configure_medium(a, m % 3, b & 1, (b >> 1) & 1); break;
	default:
		fuzz_plugin()->hangup_media(fuzz_handle(b % 3));
		fuzz_plugin()->setup_media(fuzz_handle(b % 3));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	janus_plugin *p = fuzz_plugin();
	bool changed = false;
	size_t off = 0;
	while (off + 4 <= size) {
		uint8_t op = data[off], mindex = data[off + 1];
		size_t len = ((size_t)data[off + 2] << 8) | data[off + 3];
		off += 4;
		if ((op & 3) == 3) {
			control_change(mindex);
			changed = true;
			continue;
		}
		if (len > size - off) len = size - off;
		/* The packet in a buffer of its own size: ASan catches a read or write past its end. */
		char *buf = len ? g_memdup2(data + off, len) : NULL;
		off += len;
		janus_plugin_session *h = fuzz_handle(((op >> 2) & 3) % 3);
		bool video = (op >> 4) & 1;
		if ((op & 3) == 0 && buf) {
			janus_plugin_rtp pkt;
			janus_plugin_rtp_reset(&pkt);
			pkt.mindex = (int8_t)mindex;
			pkt.video = video;
			pkt.buffer = buf;
			pkt.length = (uint16_t)len;
			p->incoming_rtp(h, &pkt);
			if (memcmp(buf, data + off - len, len)) __builtin_trap();	/* the header is restored */
		} else if ((op & 3) == 1 && buf) {
			janus_plugin_rtcp pkt = { .mindex = (int8_t)mindex, .video = video, .buffer = buf, .length = (uint16_t)len };
			p->incoming_rtcp(h, &pkt);
		} else if ((op & 3) == 2) {
			janus_plugin_data pkt = { .label = "fuzz", .protocol = NULL, .binary = (op >> 5) & 1,
				.buffer = buf, .length = (uint16_t)len };
			p->incoming_data(h, &pkt);
		}
		g_free(buf);
	}
	if (changed) fuzz_reset_media();
	return 0;
}
