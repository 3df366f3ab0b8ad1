// Talk detection of a sender's audio stream from its audio levels (codecs/audiolevel.ts),
// as the VideoRoom's audiolevel_event does it: the levels (0 loudest .. 127 silence) of
// `window` packets are averaged; an average below `threshold` means talking. A change
// between two windows is an event (started / stopped talking). The last window's average
// and its time tell who the loudest recent speaker is.
//
// Talk record (TALK_SIZE bytes, one per sender audio stream)
//  0            4            6            8        9        10       11       12
//  +------------+------------+------------+--------+--------+--------+--------+
//  | sum u32    | count u16  | window u16 | thresh | flags  | level  | -      |
//  +------------+------------+------------+--------+--------+--------+--------+
//  12           16                        24
//  | avg ×100   | at_ms i64 (end of the last window)
//
// flags: bit0 configured, bit1 talking, bit2 a window has ended (avg/at_ms valid).

export const TALK_SIZE: u32 = 24;
const T_SUM: u32 = 0;
const T_COUNT: u32 = 4;
const T_WINDOW: u32 = 6;
const T_THRESH: u32 = 8;
const T_FLAGS: u32 = 9;
const T_LEVEL: u32 = 10;
const T_AVG: u32 = 12;
const T_AT: u32 = 16;
const TF_ON: u32 = 1 << 0;
const TF_TALKING: u32 = 1 << 1;
const TF_WINDOW: u32 = 1 << 2;

export const TALK_NONE: u32 = 0;
export const TALK_STARTED: u32 = 1;
export const TALK_STOPPED: u32 = 2;

/** Turns detection on: `window` packets 1..65535, `threshold` 1..127 (VideoRoom: 100 and 25). */
export function talkConfigure(r: usize, window: u32, threshold: u32): bool {
  if (window - 1 >= 0xFFFF || threshold - 1 >= 127) return false;
  memory.fill(r, 0, TALK_SIZE);
  store<u16>(r, <u16>window, T_WINDOW);
  store<u8>(r, <u8>threshold, T_THRESH);
  store<u8>(r, <u8>TF_ON, T_FLAGS);
  return true;
}

/** Turns detection off and forgets everything. */
export function talkReset(r: usize): void { memory.fill(r, 0, TALK_SIZE); }

/**
 * Adds one packet's audio level (`level | vad << 7`, the V bit is ignored); at the end of
 * a window returns TALK_STARTED or TALK_STOPPED when the state changed, else TALK_NONE.
 */
export function talkUpdate(r: usize, level: u32, now: i64): u32 {
  let flags = <u32>load<u8>(r, T_FLAGS);
  if ((flags & TF_ON) == 0) return TALK_NONE;
  const l = level & 0x7F;
  store<u8>(r, <u8>l, T_LEVEL);
  const sum = load<u32>(r, T_SUM) + l;
  const count = <u32>load<u16>(r, T_COUNT) + 1;
  if (count < <u32>load<u16>(r, T_WINDOW)) {
    store<u32>(r, sum, T_SUM);
    store<u16>(r, <u16>count, T_COUNT);
    return TALK_NONE;
  }
  store<u32>(r, 0, T_SUM);
  store<u16>(r, 0, T_COUNT);
  store<u32>(r, <u32>(<u64>sum * 100 / count), T_AVG);
  store<i64>(r, now, T_AT);
  const was = (flags & TF_TALKING) != 0;
  const talking = sum < <u32>load<u8>(r, T_THRESH) * count; // average below the threshold
  flags = (flags & ~TF_TALKING) | TF_WINDOW | (talking ? TF_TALKING : 0);
  store<u8>(r, <u8>flags, T_FLAGS);
  if (talking == was) return TALK_NONE;
  return talking ? TALK_STARTED : TALK_STOPPED;
}

@inline export function talkIsTalking(r: usize): bool { return (load<u8>(r, T_FLAGS) & TF_TALKING) != 0; }
/** Average level ×100 of the last window (lower is louder). */
@inline export function talkAverage(r: usize): u32 { return load<u32>(r, T_AVG); }
/** Level of the last packet. */
@inline export function talkLevel(r: usize): u32 { return load<u8>(r, T_LEVEL); }

/**
 * Loudness score for choosing the active speaker: the last window's average ×100 (lower is
 * louder) if that window ended at most `maxAge` ms before `now` and the sender was talking
 * then, else -1.
 */
export function talkScore(r: usize, now: i64, maxAge: i64): i32 {
  const flags = <u32>load<u8>(r, T_FLAGS);
  if ((flags & (TF_WINDOW | TF_TALKING)) != (TF_WINDOW | TF_TALKING)) return -1;
  const age = now - load<i64>(r, T_AT);
  if (age > maxAge) return -1; // a clock going back counts as no time
  return <i32>load<u32>(r, T_AVG);
}
