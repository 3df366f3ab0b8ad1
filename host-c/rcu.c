/* rcu.c — see rcu.h. */
#define _GNU_SOURCE
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include "rcu.h"
#include "log.h"

ts_reader ts_readers[TS_RCU_MAX_READERS];
_Atomic int ts_rcu_high;
bool ts_rcu_fence = true;
static __thread int self = -1;
static _Atomic uint64_t started;	/* tickets handed out */
static _Atomic uint64_t newest_done;	/* highest ticket of a completed sync */

void ts_rcu_init(void)
{
#if defined(__SANITIZE_THREAD__)
	ts_rcu_fence = true;	/* ThreadSanitizer does not know membarrier: use locked adds */
#else
	ts_rcu_fence = syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0;
	if (ts_rcu_fence)
		TS_LOG(LOG_WARN, "membarrier(2) unavailable: packet threads use a fence per packet\n");
#endif
}

void ts_rcu_set_self(int index)
{
	self = index;
}

void ts_rcu_use(int index)
{
	int high = atomic_load(&ts_rcu_high);
	while (index >= high && !atomic_compare_exchange_weak(&ts_rcu_high, &high, index + 1)) {}
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

void ts_rcu_wake(ts_reader *r)
{
	syscall(SYS_futex, &r->seq, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

/* Spins briefly (the packet is likely running on another core), then sleeps on the
 * reader's futex: the CPU goes idle, which lets a descheduled reader run there, and its
 * ts_rcu_exit wakes us. The timeout covers a wake-up that raced with going to sleep. */
static void wait_reader(ts_reader *r, uint32_t seen)
{
	for (int spins = 0; spins < 100; spins++) {
		if (atomic_load_explicit(&r->seq, memory_order_acquire) != seen) return;
		cpu_relax();
	}
	atomic_fetch_add(&r->waiting, 1);
	while (atomic_load_explicit(&r->seq, memory_order_seq_cst) == seen) {
		struct timespec t = {0, 1000000};
		syscall(SYS_futex, &r->seq, FUTEX_WAIT_PRIVATE, seen, &t, NULL, 0);
	}
	atomic_fetch_sub(&r->waiting, 1);
}

void ts_rcu_sync(void)
{
	uint64_t ticket = atomic_fetch_add(&started, 1) + 1;	/* seq_cst: also the fence of fence mode */
	if (!ts_rcu_fence) syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	int high = atomic_load(&ts_rcu_high);
	for (int i = 0; i < high; i++) {
		if (i == self) continue;
		uint32_t s = atomic_load_explicit(&ts_readers[i].seq, memory_order_acquire);
		if (s & 1) wait_reader(&ts_readers[i], s);
	}
	uint64_t newest = atomic_load(&newest_done);
	while (newest < ticket && !atomic_compare_exchange_weak(&newest_done, &newest, ticket)) {}
}

uint64_t ts_rcu_ticket(void)
{
	return atomic_load(&started);
}

bool ts_rcu_passed(uint64_t ticket)
{
	return atomic_load(&newest_done) > ticket;
}
