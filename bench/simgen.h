/* simgen.h — the simulcast workload: one publisher's VP8 video as three substreams (own
 * SSRCs, lowest first) at 30 fps: 1, 2 and 3 packets per frame of 300, 700 and 1100 bytes,
 * real RFC 7741 payload descriptors (15-bit picture id, TL0PICIDX, temporal layers 0,2,1,2
 * with layer-sync bits) and a key frame (valid frame header) every 2 s on every substream. */
#ifndef JANUS_TS_BENCH_SIMGEN_H
#define JANUS_TS_BENCH_SIMGEN_H

#include "bench.h"

#define SIM_LAYERS 3

typedef struct simgen {
	bench_handle *h;
	uint8_t buf[SIM_LAYERS][1100];
	uint32_t ssrc[SIM_LAYERS];
	uint16_t seq[SIM_LAYERS], picid[SIM_LAYERS];
	uint8_t tl0[SIM_LAYERS];
	uint32_t ts, frame;
	int sub, k;		/* position: substream being sent, packet of its frame */
	uint64_t sent;
} simgen;

/* The SSRCs publisher n sends, lowest substream first. */
void simgen_ssrcs(int n, uint32_t ssrcs[SIM_LAYERS]);
void simgen_init(simgen *g, bench_handle *h, int n);
/* Next packet into p (mindex 1, video); *substream receives which one it belongs to. */
void simgen_next(simgen *g, janus_plugin_rtp *p, int *substream);

#endif
