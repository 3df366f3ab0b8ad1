// Switching context of a recipient stream (slot, mindex): the source relayed there last and
// the offsets that map that source's seq/ts onto the recipient's continuous numbering.
// When the source changes, the output goes on at last_seq + 1 and
// last_ts + max(1, elapsed_ms × clock / 1000); otherwise output = input + offsets
// (mod 2^16 / 2^32). last_seq/last_ts only move forward (serial-number order), so a late
// packet does not pull the next switch back onto numbers already sent.
// The caller holds the right to write the record (exclusive.ts).

import {
  T_SRC_KEY, T_LAST_MS, T_TS_OFF, T_LAST_TS, T_SEQ_OFF, T_LAST_SEQ,
} from "./layout";

export const SAME_SOURCE: u32 = 0;
export const FIRST_SOURCE: u32 = 1;
export const NEW_SOURCE: u32 = 2;

/** Rewritten seq/ts of the last `rewrite` call (per instance, so per thread). */
export let outSeq: u32 = 0;
export let outTs: u32 = 0;

/** Key of a source stream: ssrc | slot << 32 | mindex << 48 | gen << 56 (gen ≥ 1, so ≠ 0); the
 *  ssrc as it lies in the packet (keys are only compared). Bits 52..55 are 0 (mindex < 16):
 *  a stored key with KEY_RESUME (resume.ts) matches no packet. */
@inline export function sourceKey(ssrc: u32, slot: u32, mindex: u32, gen: u32): u64 {
  return <u64>ssrc | (<u64>slot << 32) | (<u64>mindex << 48) | (<u64>gen << 56);
}

/** The source last relayed to recipient stream record `t` (0: none); any thread may ask. */
@inline export function lastSource(t: usize): u64 {
  return atomic.load<u64>(t, T_SRC_KEY);
}

/** Maps (seq, ts) of source `key` for recipient stream record `t`; sets outSeq/outTs. */
@inline export function rewrite(t: usize, key: u64, seq: u32, ts: u32, now: i64, clock: u64): u32 {
  let res = SAME_SOURCE;
  if (load<u64>(t, T_SRC_KEY) != key) res = switchSource(t, key, seq, ts, now, clock);
  const s = (seq + <u32>load<u16>(t, T_SEQ_OFF)) & 0xFFFF;
  const v = ts + load<u32>(t, T_TS_OFF);
  if (<i16>(s - <u32>load<u16>(t, T_LAST_SEQ)) > 0) store<u16>(t, <u16>s, T_LAST_SEQ);
  if (<i32>(v - load<u32>(t, T_LAST_TS)) > 0) store<u32>(t, v, T_LAST_TS);
  store<i64>(t, now, T_LAST_MS);
  outSeq = s;
  outTs = v;
  return res;
}

// Cold path: a first or a different source. Sets offsets and last_* to this packet's output.
function switchSource(t: usize, key: u64, seq: u32, ts: u32, now: i64, clock: u64): u32 {
  let res = FIRST_SOURCE;
  let s = seq;
  let v = ts;
  if (load<u64>(t, T_SRC_KEY) != 0) {
    let elapsed = now - load<i64>(t, T_LAST_MS);
    if (elapsed < 0) elapsed = 0; // a clock going back counts as no time
    if (elapsed > 0xFFFFFFFF) elapsed = 0xFFFFFFFF; // keeps the product below 2^64
    let step = <u32>((<u64>elapsed * clock) / 1000);
    if (step == 0) step = 1;
    s = (<u32>load<u16>(t, T_LAST_SEQ) + 1) & 0xFFFF;
    v = load<u32>(t, T_LAST_TS) + step;
    res = NEW_SOURCE;
  }
  atomic.store<u64>(t, key, T_SRC_KEY); // read by the recipient's thread (rtcp.ts)
  store<u16>(t, <u16>(s - seq), T_SEQ_OFF);
  store<u32>(t, v - ts, T_TS_OFF);
  store<u16>(t, <u16>s, T_LAST_SEQ);
  store<u32>(t, v, T_LAST_TS);
  return res;
}
