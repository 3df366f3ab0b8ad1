// Resumes. A control call that lets a source flow again to a recipient stream after a pause
// — the sender's `out` valve of the medium reopened, the recipient's `in` valve reopened, a
// route added back — marks the stream's switching context so that its next packet goes on
// at last_seq + 1 and last_ts + the elapsed time, as for a source change (switching.ts),
// instead of jumping by the packets not relayed meanwhile (which a receiver takes for
// losses). Janus's VideoRoom does the same (`seq_reset` of its switching context when a
// publisher unmutes, a subscriber resumes or starts again).
//
// The mark is KEY_RESUME in the stored source key: no real key has that bit (a source
// mindex < 16 fills bits 48..51 only), so the next packet of any source mismatches and
// takes the switch path. While the pause lasts no packet writes the context (a closed valve
// or a missing route stops the relay before it), so the mark is a compare-and-swap that can
// only lose to a packet of another source — a switch anyway. Control calls only.

import { MAX_STREAMS, EVERY_STREAM, SD_ACTIVE, SD_KIND_MASK } from "./abi";
import { isOpen, sessionAt, streamAt, ROUTE_SIZE, S_STREAM_COUNT, T_DESC, T_SRC_KEY } from "./layout";
import { published, countOf, listOf } from "./routes";

/** Bit of a stored source key that matches no packet: the next packet resumes (above). */
export const KEY_RESUME: u64 = 1 << 52;
/** `resumeStream` filters: any source slot, any medium. */
export const ANY: u32 = 0xFFFFFFFF;

/** Kind (KIND_* = MEDIUM_* for audio and video) of m-line `m` of `slot`, ANY when not known. */
function kindOf(slot: u32, m: u32): u32 {
  if (!isOpen(slot) || m >= load<u32>(sessionAt(slot), S_STREAM_COUNT)) return ANY;
  const d = <u32>load<u8>(streamAt(slot, m) + T_DESC);
  return (d & SD_ACTIVE) != 0 ? d & SD_KIND_MASK : ANY;
}

/**
 * Marks recipient stream (`dst`, `m`) to resume if its last source is session `src` (ANY:
 * whichever) and carries `medium` (ANY: whatever; a kind that is not known matches).
 */
export function resumeStream(dst: u32, m: u32, src: u32, medium: u32): void {
  const t = streamAt(dst, m);
  const key = atomic.load<u64>(t, T_SRC_KEY);
  if (key == 0 || (key & KEY_RESUME) != 0) return; // no source yet (it starts fresh), or marked
  const from = <u32>(key >> 32) & 0xFFFF;
  if (src != ANY && from != src) return;
  if (medium != ANY) {
    let kind = kindOf(dst, m);
    if (kind == ANY) kind = kindOf(from, <u32>(key >> 48) & 0x0F);
    if (kind != ANY && kind != medium) return;
  }
  atomic.cmpxchg<u64>(t + T_SRC_KEY, key, key | KEY_RESUME);
}

/** The streams of `dst` a route to `dstM` feeds (255: all of them) resume from `src`. */
export function resumeRoute(src: u32, dst: u32, dstM: u32, medium: u32): void {
  if (dstM != EVERY_STREAM) { resumeStream(dst, dstM, src, medium); return; }
  for (let m: u32 = 0; m < MAX_STREAMS; m++) resumeStream(dst, m, src, medium);
}

/** `slot`'s `out` valve of `medium` reopened: every stream its routes feed resumes from it. */
export function resumeSender(slot: u32, medium: u32): void {
  const w = published(slot);
  const list = listOf(slot, w);
  const n = countOf(w);
  for (let i: u32 = 0; i < n; i++) {
    const r = load<u32>(list + <usize>i * ROUTE_SIZE);
    resumeRoute(slot, r >>> 16, (r >>> 8) & 0xFF, medium);
  }
}

/** `slot`'s `in` valve of `medium` reopened: its streams of that medium resume. */
export function resumeRecipient(slot: u32, medium: u32): void {
  for (let m: u32 = 0; m < MAX_STREAMS; m++) resumeStream(slot, m, ANY, medium);
}
