/* simgen.c — see simgen.h. */
#include <string.h>
#include <arpa/inet.h>
#include "simgen.h"

static const int PACKETS[SIM_LAYERS] = {1, 2, 3};
static const int LENGTH[SIM_LAYERS] = {300, 700, 1100};
static const int TID[4] = {0, 2, 1, 2};
static const bool SYNC[4] = {false, true, true, false};
#define KEY_FRAMES 60		/* a key frame every 2 s at 30 fps */

static void put16(uint8_t *p, uint16_t v) { v = htons(v); memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { v = htonl(v); memcpy(p, &v, 4); }

void simgen_ssrcs(int n, uint32_t ssrcs[SIM_LAYERS])
{
	for (int i = 0; i < SIM_LAYERS; i++) ssrcs[i] = 0x20000000u + (uint32_t)n * 4 + (uint32_t)i;
}

void simgen_init(simgen *g, bench_handle *h, int n)
{
	memset(g, 0, sizeof(*g));
	g->h = h;
	simgen_ssrcs(n, g->ssrc);
	for (int i = 0; i < SIM_LAYERS; i++) {
		g->seq[i] = (uint16_t)(1000 * (i + 1) + n);
		g->picid[i] = (uint16_t)(100 * (i + 1));
		g->tl0[i] = (uint8_t)(10 * i);
		for (int b = 12; b < LENGTH[i]; b++) g->buf[i][b] = (uint8_t)(b * 13 + i);
		g->buf[i][0] = 0x80;
	}
	g->ts = 90000u * (uint32_t)n;
}

/* Descriptor (and frame header on a frame's first packet) at byte 12. */
static void vp8_head(uint8_t *b, int k, bool key, uint16_t picid, uint8_t tl0, int pos)
{
	b[12] = 0x80 | (k == 0 ? 0x10 : 0);		/* X, S on the first packet */
	b[13] = 0xe0;					/* I, L, T */
	b[14] = (uint8_t)(0x80 | ((picid >> 8) & 0x7f));	/* 15-bit picture id */
	b[15] = (uint8_t)picid;
	b[16] = tl0;
	b[17] = (uint8_t)(TID[pos] << 6 | (SYNC[pos] ? 0x20 : 0));
	if (k != 0) return;
	uint32_t tag = (100u << 5) | 0x10 | (key ? 0 : 1);	/* partition size, show_frame, P */
	b[18] = (uint8_t)tag; b[19] = (uint8_t)(tag >> 8); b[20] = (uint8_t)(tag >> 16);
	static const uint8_t start[7] = {0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00};	/* 320x180 */
	if (key) memcpy(b + 21, start, sizeof(start));
	else memset(b + 21, 0x55, sizeof(start));
}

void simgen_next(simgen *g, janus_plugin_rtp *p, int *substream)
{
	int s = g->sub, k = g->k;
	bool key = g->frame % KEY_FRAMES == 0;
	int pos = key ? 0 : (int)(g->frame % KEY_FRAMES % 4);
	uint8_t *b = g->buf[s];
	if (k == 0 && pos == 0) g->tl0[s]++;
	b[1] = (uint8_t)(96 | (k + 1 == PACKETS[s] ? 0x80 : 0));
	put16(b + 2, g->seq[s]++); put32(b + 4, g->ts); put32(b + 8, g->ssrc[s]);
	vp8_head(b, k, key, g->picid[s], g->tl0[s], pos);
	/* payload tail: which packet this is, so misrouted packets change the checksum */
	put32(b + LENGTH[s] - 4, (uint32_t)g->sent);
	p->buffer = (char *)b;
	p->length = (uint16_t)LENGTH[s];
	p->video = TRUE;
	p->mindex = 1;
	*substream = s;
	g->sent++;
	if (++g->k < PACKETS[s]) return;
	g->k = 0;
	g->picid[s] = (uint16_t)((g->picid[s] + 1) & 0x7fff);
	if (++g->sub < SIM_LAYERS) return;
	g->sub = 0;
	g->frame++;
	g->ts += 3000;
}
