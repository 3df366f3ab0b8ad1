/* ref_router.c — plain-C reference of the router's RTP path (see ref_router.h).
 * Same decisions as router.wasm is specified to make; nothing Janus-specific here. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "ref_router.h"

typedef struct ref_route { uint8_t src_mindex, dst_mindex; uint16_t dst; } ref_route;

/* Switching context of one recipient stream: where its output stands. */
typedef struct ref_ctx {
	bool valid;
	uint16_t src_slot; uint8_t src_mindex;
	uint32_t ssrc;
	uint16_t last_seq, seq_off;
	uint32_t last_ts, ts_off;
	int64_t last_ms;
} ref_ctx;

/* Counters the ABI asks the router to keep (so the reference does the same work). */
typedef struct ref_stream_stats { uint64_t packets_in, bytes_in, packets_out, bytes_out, drops_valve, switches; } ref_stream_stats;
typedef struct ref_session_stats { uint64_t rtp_in, rtp_bytes_in, rtp_out, rtp_bytes_out, drops_valve; } ref_session_stats;

typedef struct ref_session {
	ref_session_stats stats;
	ref_stream_stats streams[REF_MAX_STREAMS];
	bool open, started;
	uint8_t valves;		/* bit (dir*3 + medium) */
	uint32_t nroutes;
	ref_route *routes;	/* max_routes, owned */
	ref_ctx ctx[REF_MAX_STREAMS];
	int64_t last_pli_ms[REF_MAX_STREAMS];	/* as a sender: forwarded keyframe requests, throttled */
	/* Every-stream routes by kind (router-as/streams.ts), + 1 encoded, 0 = unknown: ord[m] of
	 * m among its kind, at[kind][k] the mindex of the k-th stream of a kind; zero/none: the
	 * constant bytes a packet reads when the sender's m-lines are unknown / not a stream. */
	struct { uint8_t ord[REF_MAX_STREAMS], at[2][REF_MAX_STREAMS], zero, none; } kinds;
} ref_session;

struct ref_router {
	uint64_t calls, decisions;	/* global counters */
	uint32_t max_sessions, max_routes, out_cap;
	ref_session *s;
	ref_decision *out;
};

ref_router *ref_router_new(uint32_t max_sessions, uint32_t max_routes, uint32_t out_cap) {
	ref_router *r = calloc(1, sizeof(*r));
	r->max_sessions = max_sessions; r->max_routes = max_routes; r->out_cap = out_cap;
	r->s = calloc(max_sessions, sizeof(ref_session));
	for(uint32_t i = 0; i < max_sessions; i++)
		r->s[i].routes = calloc(max_routes, sizeof(ref_route));
	r->out = calloc(out_cap, sizeof(ref_decision));
	return r;
}

void ref_router_free(ref_router *r) {
	for(uint32_t i = 0; i < r->max_sessions; i++) free(r->s[i].routes);
	free(r->s); free(r->out); free(r);
}

static ref_session *get(ref_router *r, int slot) {
	if((uint32_t)slot >= r->max_sessions || !r->s[slot].open) return NULL;
	return &r->s[slot];
}

int ref_session_open(ref_router *r) {
	for(uint32_t i = 0; i < r->max_sessions; i++) {
		if(!r->s[i].open) {
			ref_route *keep = r->s[i].routes;
			memset(&r->s[i], 0, sizeof(ref_session));
			r->s[i].routes = keep;
			r->s[i].kinds.none = 0xFF;
			r->s[i].open = true;
			return (int)i;
		}
	}
	return -2;
}

int ref_session_close(ref_router *r, int slot) {
	ref_session *s = get(r, slot);
	if(!s) return -1;
	s->open = false; s->nroutes = 0;
	/* drop every route towards the slot */
	for(uint32_t i = 0; i < r->max_sessions; i++) {
		ref_session *o = &r->s[i];
		for(uint32_t k = 0; k < o->nroutes; ) {
			if(o->routes[k].dst == slot) o->routes[k] = o->routes[--o->nroutes];
			else k++;
		}
	}
	return 0;
}

int ref_session_start(ref_router *r, int slot) {
	ref_session *s = get(r, slot);
	if(!s) return -1;
	s->started = true;
	return 0;
}

int ref_set_valve(ref_router *r, int slot, int medium, int dir, bool on) {
	ref_session *s = get(r, slot);
	if(!s) return -1;
	if(medium < 0 || medium > 2 || dir < 0 || dir > 1) return -5;
	uint8_t bit = 1u << (dir * 3 + medium);
	s->valves = on ? (s->valves | bit) : (s->valves & ~bit);
	return 0;
}

int ref_route_add(ref_router *r, int src, int src_mindex, int dst, int dst_mindex) {
	ref_session *s = get(r, src);
	if(!s || !get(r, dst)) return -1;
	if(s->nroutes >= r->max_routes) return -2;
	s->routes[s->nroutes++] = (ref_route){ (uint8_t)src_mindex, (uint8_t)dst_mindex, (uint16_t)dst };
	return 0;
}

const ref_decision *ref_out(ref_router *r) { return r->out; }

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Header checks of the ABI's D_MALFORMED: version 2, CSRCs, extension, padding in bounds. */
static bool rtp_valid(const uint8_t *b, uint32_t len) {
	if(len < 12 || (b[0] >> 6) != 2) return false;
	uint32_t off = 12 + 4u * (b[0] & 0x0f);
	if(off > len) return false;
	if(b[0] & 0x10) {
		if(off + 4 > len) return false;
		off += 4 + 4u * be16(b + off + 2);
		if(off > len) return false;
	}
	if(b[0] & 0x20) {
		uint8_t pad = b[len - 1];
		if(pad == 0 || off + pad > len) return false;
	}
	return true;
}

int ref_rtp(ref_router *r, int slot, int mindex, bool video, const uint8_t *buf, uint32_t len, int64_t now_ms) {
	if(len > 65535 || (uint32_t)mindex >= REF_MAX_STREAMS) return REF_D_OVERSIZE;
	ref_session *s = get(r, slot);
	if(!s) return REF_D_BAD_SLOT;
	if(!rtp_valid(buf, len)) return REF_D_MALFORMED;
	r->calls++;
	int medium = video ? 1 : 0;
	if(!(s->valves & (1u << (3 + medium)))) { s->stats.drops_valve++; s->streams[mindex].drops_valve++; return REF_D_VALVE; }
	s->stats.rtp_in++; s->stats.rtp_bytes_in += len;
	s->streams[mindex].packets_in++; s->streams[mindex].bytes_in += len;
	uint16_t seq = be16(buf + 2);
	uint32_t ts = be32(buf + 4), ssrc = be32(buf + 8);
	uint32_t clock = video ? 90000 : 48000;
	/* Where each recipient's stream for this one is read, as the router does per packet. */
	uint8_t ord = s->kinds.ord[mindex];
	size_t every = ord == 0 ? offsetof(ref_session, kinds.zero) : ord == 0xFF ? offsetof(ref_session, kinds.none)
		: offsetof(ref_session, kinds.at) + (size_t)medium * REF_MAX_STREAMS + ord - 1;
	int n = 0;
	for(uint32_t i = 0; i < s->nroutes && (uint32_t)n < r->out_cap; i++) {
		ref_route *rt = &s->routes[i];
		if(rt->src_mindex != REF_ALL && rt->src_mindex != mindex) continue;
		ref_session *d = &r->s[rt->dst];
		int dm = rt->dst_mindex;
		if(rt->src_mindex == REF_ALL) {
			uint8_t v = ((const uint8_t *)d)[every];
			if(v == 0xFF) continue;
			dm = v == 0 ? mindex : v - 1;
		}
		if(!d->open || !d->started || !(d->valves & (1u << medium))) continue;
		ref_ctx *c = &d->ctx[dm];
		uint32_t flags = 0;
		d->stats.rtp_out++; d->stats.rtp_bytes_out += len;
		d->streams[dm].packets_out++; d->streams[dm].bytes_out += len;
		if(!c->valid || c->src_slot != slot || c->src_mindex != mindex || c->ssrc != ssrc) {
			if(c->valid) d->streams[dm].switches++;
			/* new source on this recipient stream: continue where the output stood */
			uint16_t oseq = c->valid ? (uint16_t)(c->last_seq + 1) : seq;
			uint32_t ots = ts;
			if(c->valid) {
				int64_t el = now_ms - c->last_ms;
				uint64_t step = el > 0 ? (uint64_t)el * clock / 1000 : 1;
				ots = c->last_ts + (uint32_t)(step ? step : 1);
			}
			c->seq_off = (uint16_t)(oseq - seq);
			c->ts_off = ots - ts;
			c->src_slot = (uint16_t)slot; c->src_mindex = (uint8_t)mindex; c->ssrc = ssrc;
			if(c->valid) flags = 2;
			c->valid = true;
			if(video && (uint32_t)n + 1 < r->out_cap && (s->last_pli_ms[mindex] == 0 || now_ms - s->last_pli_ms[mindex] >= 1000)) {
				s->last_pli_ms[mindex] = now_ms ? now_ms : 1;
				r->out[n++] = (ref_decision){ REF_SEND_PLI, (uint8_t)mindex, 0, (uint32_t)slot, 0, 0 };
			}
		}
		c->last_seq = (uint16_t)(seq + c->seq_off);
		c->last_ts = ts + c->ts_off;
		c->last_ms = now_ms;
		r->out[n++] = (ref_decision){ REF_RELAY_RTP, (uint8_t)dm, c->last_seq, rt->dst, c->last_ts, flags };
	}
	r->decisions += (uint64_t)n;
	return n;
}
