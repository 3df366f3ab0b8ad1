/* log.h — logging through Janus's log (JANUS_LOG) with the plugin's prefix, and a
 * rate limiter for lines that may repeat per packet (traps, drops). */
#ifndef JANUS_TS_LOG_H
#define JANUS_TS_LOG_H

#include <stdint.h>
#include <debug.h>

#define TS_LOG(level, fmt, ...) JANUS_LOG(level, "[janus-ts] " fmt, ##__VA_ARGS__)

/* At most one line per interval: returns how many calls were suppressed since the last
 * line + 1 when a line may be printed now, 0 otherwise. Not thread-safe: use it under
 * the lock that guards the event it counts. */
typedef struct ts_ratelimit {
	int64_t last_ms;
	uint64_t suppressed;
} ts_ratelimit;

uint64_t ts_ratelimit_allow(ts_ratelimit *rl, int64_t now_ms, int64_t interval_ms);

#endif
