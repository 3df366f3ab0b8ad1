// Stream kinds per session, for the every-stream route (Lua's addRecipient): janus_lua relays
// a sender's audio to the recipient's audio and video to video, whatever their m-line
// indexes. Here the sender's k-th active audio (video) stream goes to the recipient's k-th
// active audio (video) stream. The host tells the router each session's m-lines
// (`set_streams`, from every SDP the plugin sees). The packet path reads one byte per packet
// (`everyStreamBase`) and one per recipient (`everyStreamTarget`), no search and no branch
// on whether the m-lines are known: a session whose m-lines were never given is routed as
// in ABI v1, to the same index.

import {
  E_SLOT, E_ARG, E_NOSTREAM, MAX_STREAMS, SD_KIND_MASK, SD_ACTIVE, KIND_AUDIO, KIND_VIDEO, KIND_DATA,
} from "./abi";
import {
  isOpen, sessionAt, streamAt, kindsAt, kindsPtr, S_STREAM_COUNT, KR_ORD, KR_AT, KR_ZERO, KR_NONE_AT, KR_NONE,
  KINDS_SIZE, T_DESC,
} from "./layout";

/** `everyStreamTarget` result: the recipient has no stream for this one. */
export const NO_TARGET: u32 = 0xFFFF;

@inline function descriptor(lo: u64, hi: u64, m: u32): u32 {
  return <u32>((m < 8 ? lo >> (<u64>m << 3) : hi >> (<u64>(m - 8) << 3)) & 0xFF);
}

/**
 * The m-lines of `slot`: `count` descriptor bytes, m-line m in byte m of lo (m < 8) or of
 * hi (m ≥ 8); `count` 0 forgets them (same-index routing again). E_SLOT, E_ARG (count > 16).
 */
export function setStreams(slot: u32, count: u32, lo: u64, hi: u64): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (count > MAX_STREAMS) return E_ARG;
  const k = kindsAt(slot);
  store<u32>(sessionAt(slot), count, S_STREAM_COUNT);
  // ord and both *_at tables: unknown when forgotten, else none until filled below.
  memory.fill(k, count == 0 ? 0 : <u8>KR_NONE, KR_ZERO);
  let audio: u32 = 0;
  let video: u32 = 0;
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const d = m < count ? descriptor(lo, hi, m) : 0;
    store<u8>(streamAt(slot, m) + T_DESC, <u8>d);
    if ((d & SD_ACTIVE) == 0) continue;
    const kind = d & SD_KIND_MASK;
    if (kind == KIND_AUDIO) {
      store<u8>(k + KR_ORD + m, <u8>(audio + 1));
      store<u8>(k + KR_AT + audio, <u8>(m + 1));
      audio++;
    } else if (kind == KIND_VIDEO) {
      store<u8>(k + KR_ORD + m, <u8>(video + 1));
      store<u8>(k + KR_AT + MAX_STREAMS + video, <u8>(m + 1));
      video++;
    }
  }
  return 0;
}

/**
 * Per RTP packet, once: where each recipient's stream for the sender's stream `mindex`
 * (of `medium`) is read — the byte at `base + dst * KINDS_SIZE`. When the sender's m-lines
 * are unknown that is every recipient's constant 0 (same index); when `mindex` is not an
 * active audio/video stream of the sender, the constant KR_NONE.
 */
@inline export function everyStreamBase(slot: u32, mindex: u32, medium: u32): usize {
  const ord = <u32>load<u8>(kindsAt(slot) + KR_ORD + mindex);
  if (ord == 0) return kindsPtr + KR_ZERO;
  if (ord == KR_NONE) return kindsPtr + KR_NONE_AT;
  return kindsPtr + KR_AT + medium * MAX_STREAMS + ord - 1;
}

/** Per recipient: its mindex for the packet (`mindex` the sender's), or NO_TARGET. */
@inline export function everyStreamTarget(base: usize, dst: u32, mindex: u32): u32 {
  const v = <u32>load<u8>(base + <usize>dst * KINDS_SIZE);
  if (v == KR_NONE) return NO_TARGET;
  return v == 0 ? mindex : v - 1; // 0: the recipient's (or sender's) m-lines are unknown
}

/** First active datachannel m-line of a session whose streams are known, or NO_TARGET. */
function dataStreamOf(slot: u32): u32 {
  const n = load<u32>(sessionAt(slot), S_STREAM_COUNT);
  for (let m: u32 = 0; m < n; m++) {
    const d = <u32>load<u8>(streamAt(slot, m) + T_DESC);
    if ((d & SD_ACTIVE) != 0 && (d & SD_KIND_MASK) == KIND_DATA) return m;
  }
  return NO_TARGET;
}

/**
 * Where an every-stream route from `src` to `dst` takes `src`'s stream `mindex` now: the
 * recipient's mindex, or E_NOSTREAM (no stream of that kind and ordinal, or `mindex` is not
 * an active stream of `src`). A datachannel maps to the recipient's datachannel m-line.
 * Either side unknown: the same index. E_SLOT, E_ARG (mindex ≥ 16).
 */
export function streamResolve(src: u32, mindex: u32, dst: u32): i32 {
  if (!isOpen(src) || !isOpen(dst)) return E_SLOT;
  if (mindex >= MAX_STREAMS) return E_ARG;
  const n = load<u32>(sessionAt(src), S_STREAM_COUNT);
  if (n == 0) return <i32>mindex;
  const d = <u32>load<u8>(streamAt(src, mindex) + T_DESC);
  const kind = d & SD_KIND_MASK;
  let target = NO_TARGET;
  if ((d & SD_ACTIVE) == 0) {
    target = NO_TARGET;
  } else if (kind == KIND_DATA) {
    target = load<u32>(sessionAt(dst), S_STREAM_COUNT) == 0 ? mindex : dataStreamOf(dst);
  } else if (kind == KIND_AUDIO || kind == KIND_VIDEO) {
    target = everyStreamTarget(everyStreamBase(src, mindex, kind), dst, mindex);
  }
  return target == NO_TARGET ? E_NOSTREAM : <i32>target;
}
