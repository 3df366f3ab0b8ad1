/* rcu.h — grace periods between the packet path and control calls (read-copy-update).
 *
 * Each packet thread has a reader slot: a counter it makes odd when it starts handling a
 * packet (before it reads any table) and even when it is done with it (after its last
 * relay). A writer changes what readers can reach (a route list, a slot's handle, a
 * recorder), then calls ts_rcu_sync(): when it returns, every packet that was being handled
 * at the time is done, and every later one sees the change. Readers take no lock and write
 * only their own 128-byte record; the writer pays (membarrier(2) once per sync where the kernel
 * has it, a fence per packet on the reader side otherwise). */
#ifndef JANUS_TS_RCU_H
#define JANUS_TS_RCU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Per-thread records that are written per packet are this far apart: two cache lines, as
 * Intel's spatial prefetcher pulls lines in 128-byte pairs, so 64-byte neighbours written
 * by two threads still slow each other. */
#define TS_LINE_PAIR 128

/* Reader slots: one per packet thread context (router_thread.c numbers them). */
#define TS_RCU_MAX_READERS 4096

typedef struct ts_reader {
	_Atomic uint32_t seq;		/* odd while a packet is being handled (a futex word) */
	_Atomic uint32_t waiting;	/* a ts_rcu_sync sleeps until seq moves */
	char pad[TS_LINE_PAIR - 2 * sizeof(uint32_t)];
} __attribute__((aligned(TS_LINE_PAIR))) ts_reader;

extern ts_reader ts_readers[TS_RCU_MAX_READERS];
/* Slots below this may be in use (raised by whoever hands slots out, never lowered). */
extern _Atomic int ts_rcu_high;
extern bool ts_rcu_fence;	/* readers need a full fence (no membarrier): set by ts_rcu_init */

/* Once, before any reader: registers membarrier(2) if the kernel has it. */
void ts_rcu_init(void);

static inline void ts_rcu_enter(ts_reader *r)
{
	if (ts_rcu_fence) {	/* a locked add: the seq is visible before any table is read */
		atomic_fetch_add_explicit(&r->seq, 1, memory_order_seq_cst);
		return;
	}
	atomic_store_explicit(&r->seq, atomic_load_explicit(&r->seq, memory_order_relaxed) + 1, memory_order_relaxed);
	atomic_signal_fence(memory_order_seq_cst);	/* ts_rcu_sync's membarrier is the fence */
}

void ts_rcu_wake(ts_reader *r);

static inline void ts_rcu_exit(ts_reader *r)
{
	atomic_store_explicit(&r->seq, atomic_load_explicit(&r->seq, memory_order_relaxed) + 1, memory_order_release);
	if (__builtin_expect(atomic_load_explicit(&r->waiting, memory_order_seq_cst) != 0, 0)) ts_rcu_wake(r);
}

/* Waits for every reader that is inside a packet (except the caller's own slot, if it has
 * one). Never call it from inside a packet. */
void ts_rcu_sync(void);

/* Tickets of grace periods: ts_rcu_ticket() after making a change, then
 * ts_rcu_passed(ticket) tells whether a sync that started after the change has completed
 * (someone else's sync can spare the caller its own). */
uint64_t ts_rcu_ticket(void);
bool ts_rcu_passed(uint64_t ticket);

/* The calling thread's reader slot (its index), for ts_rcu_sync to skip; -1 = none. */
void ts_rcu_set_self(int index);
/* Slot `index` is handed out: ts_rcu_sync looks at it from now on. */
void ts_rcu_use(int index);

#endif
