/* ref_router.h — a plain-C reference of the router's RTP decisions (docs/router-abi.md
 * v2 semantics: valves, stream routes, every-stream routes read by kind (m-lines never
 * given here: the same index), per-recipient-stream seq/ts switching), used by
 * the benchmark to isolate what the Wasm sandbox costs. Not thread-safe: the caller
 * serializes calls, as host-c does with router.wasm. */
#ifndef JANUS_TS_REF_ROUTER_H
#define JANUS_TS_REF_ROUTER_H

#include <stdint.h>
#include <stdbool.h>

#define REF_MAX_STREAMS 16
#define REF_ALL 255

enum { REF_RELAY_RTP = 1, REF_SEND_PLI = 4 };
enum { REF_D_MALFORMED = -10, REF_D_BAD_SLOT = -11, REF_D_VALVE = -12, REF_D_OVERSIZE = -13 };

/* The same 16-byte decision record as the ABI's. */
typedef struct ref_decision {
	uint8_t kind, mindex;
	uint16_t seq;
	uint32_t slot, ts, flags;
} ref_decision;

typedef struct ref_router ref_router;

ref_router *ref_router_new(uint32_t max_sessions, uint32_t max_routes, uint32_t out_cap);
void ref_router_free(ref_router *r);
int ref_session_open(ref_router *r);
int ref_session_close(ref_router *r, int slot);
int ref_session_start(ref_router *r, int slot);
int ref_set_valve(ref_router *r, int slot, int medium, int dir, bool on);
int ref_route_add(ref_router *r, int src, int src_mindex, int dst, int dst_mindex);
/* One RTP packet: returns the number of decisions written to ref_out(r), or a drop code. */
int ref_rtp(ref_router *r, int slot, int mindex, bool video, const uint8_t *buf, uint32_t len, int64_t now_ms);
const ref_decision *ref_out(ref_router *r);

#endif
