// Who may write a recipient stream's line 0 (switching context, out counters). A stream fed
// by one route is written by that route's sender thread alone, without atomics. When a
// second route can feed it, control calls set `shared` first and wait (host sync) until no
// packet call that read `shared == 0` is still running; from then on every feeder takes the
// stream's lock. The lock is cleared back only after the extra routes are gone (routes.ts).
//
// A packet call reads `shared` once and uses that value for both lock and unlock. A trap
// while a lock is held leaves `heldLock` set: the host calls `recover` (index.ts) on that
// instance, which releases it.
//
// The lock word: 0 free, 1 held, 2 held with a waiter. A contender spins (the holder is
// most likely running on another core, for tens of ns), then sleeps in memory.atomic.wait32
// so that a holder preempted by the OS gets the CPU back; the unlock that finds 2 wakes one
// waiter (a futex mutex, as in Drepper's "Futexes Are Tricky"). The spin is long
// (SPINS probes of the lock word): a sleep costs tens of µs to wake from, and with a short spin
// (64) two threads feeding the same streams fell into a convoy — each waking the other, one
// core busy of two — in 38 of 150 measured room reps, against 8 of 150 with 1024.

import { T_LOCK, T_SHARED } from "./layout";

/** Address of the lock this instance holds, 0 if none. */
export let heldLock: usize = 0;

/** Whether feeders of recipient stream `t` must lock it (read once per relay). */
@inline export function isShared(t: usize): bool {
  return atomic.load<u32>(t, T_SHARED) != 0;
}

@inline export function lockStream(t: usize): void {
  const p = t + T_LOCK;
  if (atomic.cmpxchg<u32>(p, 0, 1) != 0) lockContended(p);
  heldLock = p;
}

const SPINS = 1024;

function lockContended(p: usize): void {
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<u32>(p) == 0 && atomic.cmpxchg<u32>(p, 0, 1) == 0) return;
  }
  while (atomic.xchg<u32>(p, 2) != 0) atomic.wait<u32>(p, 2, 1000000); // ≤ 1 ms, then look again
}

@inline function release(p: usize): void {
  if (atomic.xchg<u32>(p, 0) == 2) atomic.notify(p, 1);
}

@inline export function unlockStream(t: usize): void {
  release(t + T_LOCK);
  heldLock = 0;
}

/** Releases a lock left held by a trap of this instance; 1 if there was one. */
export function releaseHeld(): i32 {
  const p = heldLock;
  if (p == 0) return 0;
  heldLock = 0;
  release(p);
  return 1;
}

/** Control calls only: the stream is fed by more than one route (or no longer). */
export function setShared(t: usize, on: bool): void {
  atomic.store<u32>(t, on ? 1 : 0, T_SHARED);
}
