// Talk detection of sender audio streams (media/talking.ts is the state machine): the host
// passes each RTP packet's audio level (Janus parses the ssrc-audio-level extension when it
// was negotiated), the sending thread feeds it to the stream's talk record, and a change
// between two windows is an EVENT to the sender's own session (talking / stopped talking).
// Control calls configure the record while it is unpublished (M_TALK clear, a grace period
// since) and read the last window's average for the loudest speaker.

import { E_SLOT, E_ARG, MAX_STREAMS, EVERY_STREAM, K_EVENT, EV_TALKING, EV_STOPPED_TALKING } from "./abi";
import { isOpen, streamAt, mediaAt, setMediaBit, T_MEDIA, M_TALK, MEDIA_TALK } from "./layout";
import { talkConfigure, talkReset, talkUpdate, talkAverage, talkScore, TALK_NONE, TALK_STARTED } from "./media/talking";
import { emit } from "./decisions";
import { syncNow } from "./routes";

/**
 * Talk detection of stream `mindex` of `slot` (EVERY_STREAM: all of its streams): the
 * levels of `window` packets (1..65535) averaged, talking below `threshold` (1..127);
 * window 0 turns it off. E_SLOT, E_ARG.
 */
export function setTalk(slot: u32, mindex: u32, window: u32, threshold: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (mindex >= MAX_STREAMS && mindex != EVERY_STREAM) return E_ARG;
  if (window > 0xFFFF || (window != 0 && (threshold == 0 || threshold > 127))) return E_ARG;
  const lo: u32 = mindex == EVERY_STREAM ? 0 : mindex;
  const hi: u32 = mindex == EVERY_STREAM ? MAX_STREAMS - 1 : mindex;
  let was = false;
  for (let m = lo; m <= hi; m++) if (setMediaBit(streamAt(slot, m), M_TALK, false)) was = true;
  if (was) syncNow(); // no packet call still updates the records
  for (let m = lo; m <= hi; m++) {
    const r = mediaAt(slot, m) + MEDIA_TALK;
    if (window == 0) {
      talkReset(r);
    } else {
      talkConfigure(r, window, threshold);
      setMediaBit(streamAt(slot, m), M_TALK, true);
    }
  }
  return 0;
}

/**
 * The loudest recent window of `slot`'s stream `mindex` (EVERY_STREAM: of any of its
 * streams): its average level × 100 (lower is louder) if it ended at most `maxAge` ms before
 * `now` and the stream was talking then, else -1. E_SLOT, E_ARG.
 */
export function talkScoreOf(slot: u32, mindex: u32, now: i64, maxAge: i64): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (mindex >= MAX_STREAMS && mindex != EVERY_STREAM) return E_ARG;
  const lo: u32 = mindex == EVERY_STREAM ? 0 : mindex;
  const hi: u32 = mindex == EVERY_STREAM ? MAX_STREAMS - 1 : mindex;
  let best: i32 = -1;
  for (let m = lo; m <= hi; m++) {
    if ((<u32>atomic.load<u8>(streamAt(slot, m), T_MEDIA) & M_TALK) == 0) continue;
    const s = talkScore(mediaAt(slot, m) + MEDIA_TALK, now, maxAge);
    if (s >= 0 && (best < 0 || s < best)) best = s;
  }
  return best;
}

/** The sending thread's part: one audio level (`level | vad << 7`); an EVENT when the
 *  stream started or stopped talking with this packet's window. */
export function talkPacket(n: u32, slot: u32, mindex: u32, level: u32, now: i64): u32 {
  const r = mediaAt(slot, mindex) + MEDIA_TALK;
  const res = talkUpdate(r, level, now);
  if (res == TALK_NONE) return n;
  return emit(n, K_EVENT, mindex, res == TALK_STARTED ? EV_TALKING : EV_STOPPED_TALKING, slot, talkAverage(r), 0);
}
