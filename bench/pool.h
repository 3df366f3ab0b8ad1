/* pool.h — the driving threads of one scenario: started once, before the warm-up, and kept
 * for every pass, as Janus keeps a handle's loop thread for the whole call. (Threads made
 * per pass would charge a contender that keeps per-thread state — janus-ts's router
 * instance — with a thread start every few ms, which Janus never does.)
 *
 * Each thread is pinned to its own CPU while there are CPUs. Left to the scheduler, two of
 * them sometimes shared one core for milliseconds while the other idled (1.2-1.6 cores busy
 * in about one rep of three, every contender alike), and a single thread moved between
 * cores, which cost janus_lua (whose per-session state is large) more than the others:
 * noise that hid the plugins' own scaling. A single thread runs each pass on the next core
 * in turn: the cores of this VM are not equally fast (the VM's own services run on one),
 * and a 1-thread figure taken on the faster core alone would be a reference the 2-thread
 * figure, which waits for the slower core, cannot reach. */
#ifndef JANUS_TS_BENCH_POOL_H
#define JANUS_TS_BENCH_POOL_H

typedef struct bench_pool bench_pool;

/* Starts n threads; each pass runs fn(args[i]) on thread i. */
bench_pool *bench_pool_new(int n, void (*fn)(void *), void *const *args);
/* One pass: every thread runs its fn once; returns when all are done. */
void bench_pool_run(bench_pool *p);
/* Stops and joins the threads. */
void bench_pool_free(bench_pool *p);

#endif
