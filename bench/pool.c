/* pool.c — see pool.h. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <glib.h>
#include "pool.h"

typedef struct member {
	bench_pool *pool;
	void *arg;
	int cpu;		/* pinned to, -1 none */
	GThread *thread;
} member;

struct bench_pool {
	GMutex lock;
	GCond go, done;
	guint64 round;		/* bumped to start a pass */
	int finished;		/* threads done with the current pass */
	gboolean quit;
	void (*fn)(void *);
	int n;
	member *m;
	int ncpus, cpus[CPU_SETSIZE];	/* where the process may run, read once */
};

/* The CPUs this process may run on, in order; how many. */
static int allowed_cpus(int *cpus) {
	cpu_set_t set;
	int n = 0;
	if(sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
	for(int c = 0; c < CPU_SETSIZE; c++)
		if(CPU_ISSET(c, &set)) cpus[n++] = c;
	return n;
}

static void pin(int cpu) {
	if(cpu < 0) return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
}

static gpointer member_main(gpointer data) {
	member *m = data;
	bench_pool *p = m->pool;
	pin(m->cpu);
	guint64 seen = 0;
	g_mutex_lock(&p->lock);
	for(;;) {
		while(p->round == seen && !p->quit) g_cond_wait(&p->go, &p->lock);
		if(p->quit) break;
		seen = p->round;
		g_mutex_unlock(&p->lock);
		if(p->n == 1 && p->ncpus > 0) pin(p->cpus[seen % (guint64)p->ncpus]);	/* each pass on the next core */
		p->fn(m->arg);
		g_mutex_lock(&p->lock);
		p->finished++;
		g_cond_signal(&p->done);
	}
	g_mutex_unlock(&p->lock);
	return NULL;
}

bench_pool *bench_pool_new(int n, void (*fn)(void *), void *const *args) {
	bench_pool *p = g_new0(bench_pool, 1);
	g_mutex_init(&p->lock);
	g_cond_init(&p->go);
	g_cond_init(&p->done);
	p->fn = fn;
	p->n = n;
	p->m = g_new0(member, n);
	p->ncpus = allowed_cpus(p->cpus);
	for(int i = 0; i < n; i++) {
		p->m[i] = (member){p, args[i], i < p->ncpus ? p->cpus[i] : -1, NULL};
		p->m[i].thread = g_thread_new("bench-drive", member_main, &p->m[i]);
	}
	return p;
}

void bench_pool_run(bench_pool *p) {
	g_mutex_lock(&p->lock);
	p->finished = 0;
	p->round++;
	g_cond_broadcast(&p->go);
	while(p->finished < p->n) g_cond_wait(&p->done, &p->lock);
	g_mutex_unlock(&p->lock);
}

void bench_pool_free(bench_pool *p) {
	g_mutex_lock(&p->lock);
	p->quit = TRUE;
	g_cond_broadcast(&p->go);
	g_mutex_unlock(&p->lock);
	for(int i = 0; i < p->n; i++) g_thread_join(p->m[i].thread);
	g_cond_clear(&p->go);
	g_cond_clear(&p->done);
	g_mutex_clear(&p->lock);
	g_free(p->m);
	g_free(p);
}
