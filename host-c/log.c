/* log.c — rate-limited logging helper (see log.h). */
#include "log.h"

uint64_t ts_ratelimit_allow(ts_ratelimit *rl, int64_t now_ms, int64_t interval_ms)
{
	if (rl->last_ms != 0 && now_ms - rl->last_ms < interval_ms) {
		rl->suppressed++;
		return 0;
	}
	uint64_t n = rl->suppressed + 1;
	rl->last_ms = now_ms == 0 ? 1 : now_ms;
	rl->suppressed = 0;
	return n;
}
