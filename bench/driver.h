/* driver.h — workloads: publishers generating a real call's RTP (audio ~100 B at 50 pps,
 * video ~1100 B with periodic keyframes; or simulcast video, simgen.h) pushed through
 * incoming_rtp, on one or more threads as Janus's per-handle loops do. */
#ifndef JANUS_TS_BENCH_DRIVER_H
#define JANUS_TS_BENCH_DRIVER_H

#include <stdio.h>
#include "bench.h"

typedef struct scenario {
	const char *name;	/* "fanout" | "room" | "switch" | "simulcast" */
	int pubs, subs;		/* subs per publisher (each pair its own subscriber handle) */
	int threads;		/* driving threads; publishers are split among them */
	int switch_every;	/* 0 = never; else every K packets of a publisher its SSRCs and
				 * seq/ts jump (a sender/layer switch: the rewriting path) */
	uint64_t packets;	/* incoming packets per rep, over all publishers */
	int reps;
	bool simulcast;		/* publishers send three VP8 substreams (simgen.h); subscriber
				 * k aims at substream k % 3 (contenders with publish_simulcast) */
} scenario;

/* Sets the scenario up on contender c, runs warm-up + reps, tears it down, and prints
 * one JSON line of results to out. Returns false if setup failed. */
bool driver_run(contender *c, const scenario *s, FILE *out);

#endif
