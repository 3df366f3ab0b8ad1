/* globals.c — see globals.h. */
#include <time.h>
#include "globals.h"

janus_callbacks *ts_gateway;
janus_plugin *ts_self;
ts_config ts_cfg;
_Atomic int ts_running;

int64_t ts_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
