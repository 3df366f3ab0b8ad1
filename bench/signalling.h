/* signalling.h — handle_message round trips through a contender: a trivial synchronous
 * request and an async request answered by push_event; back-to-back throughput and
 * latency percentiles at a paced rate. */
#ifndef JANUS_TS_BENCH_SIGNALLING_H
#define JANUS_TS_BENCH_SIGNALLING_H
#include <stdio.h>
#include "bench.h"
void signalling_run(contender *c, int count, int rate, FILE *out);
#endif
