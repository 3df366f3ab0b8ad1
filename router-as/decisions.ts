// Writing 16-byte decision records at this instance's out_ptr (layout in layout.ts, meaning in
// docs/router-abi.md).

import { outPtr, outCap, DECISION_SIZE, G_DECISIONS, bumpGlobal } from "./layout";

/** Writes record `n` (the caller checked n < outCap); returns n + 1. Slots are < 2^16, so
 *  the slot word's upper half (b1 and the reserved byte) is 0. */
@inline export function emit(n: u32, kind: u32, mindex: u32, seq: u32, slot: u32, ts: u32, flags: u32): u32 {
  return emitB1(n, kind, mindex, seq, slot, 0, ts, flags);
}

/** Same with the RTP byte 1 (marker | payload type) of a RELAY_RTP or RTP_FORWARD. */
@inline export function emitB1(n: u32, kind: u32, mindex: u32, seq: u32, slot: u32, b1: u32, ts: u32, flags: u32): u32 {
  writeB1(outPtr + <usize>n * DECISION_SIZE, kind, mindex, seq, slot, b1, ts, flags);
  return n + 1;
}

/** The record itself, at address `o` (a loop that walks the out buffer by pointer). */
@inline export function writeB1(o: usize, kind: u32, mindex: u32, seq: u32, slot: u32, b1: u32, ts: u32, flags: u32): void {
  store<u32>(o, kind | (mindex << 8) | (seq << 16));
  store<u32>(o, slot | (b1 << 16), 4);
  store<u32>(o, ts, 8);
  store<u32>(o, flags, 12);
}

/** Same as emit, but silently drops the record when the out buffer is full. */
@inline export function emitChecked(n: u32, kind: u32, mindex: u32, seq: u32, slot: u32, ts: u32, flags: u32): u32 {
  if (n >= outCap) return n;
  return emit(n, kind, mindex, seq, slot, ts, flags);
}

/** Ends a packet call that produced n decisions. */
@inline export function finish(n: u32): i32 {
  bumpGlobal(G_DECISIONS, <u64>n);
  return <i32>n;
}
