/* signalling.h — handle_message round trips through a contender: a trivial synchronous
 * request and an async request answered by push_event; back-to-back throughput and
 * latency percentiles at a paced rate. */
#ifndef JANUS_TS_BENCH_SIGNALLING_H
#define JANUS_TS_BENCH_SIGNALLING_H
#include <stdio.h>
#include "bench.h"
/* label: the name to report under (NULL = c->name). The first request is retried for
 * up to 15 s (an app that is still connecting answers NotConnected). */
void signalling_run(contender *c, const char *label, int count, int rate, FILE *out);
#endif
