// Sender side of a layered video stream: which simulcast substream a packet belongs to
// (by SSRC, or by the rid header extension, RFC 8852, whose SSRC is then learnt), when
// each substream was last seen, and the codec facts of the packet the per-recipient
// layer selection (layers.ts) needs. One record per sender stream (slot, mindex).
//
// Sender record (SENDER_SIZE bytes)
//  0       1        2        3        4            8            12           16
//  +-------+--------+--------+--------+------------+------------+------------+
//  | codec | rid_ext| flags  | -      | ssrc0 u32  | ssrc1 u32  | ssrc2 u32  |
//  +-------+--------+--------+--------+------------+------------+------------+
//  16                 24                 32                 40
//  | seen0 i64        | seen1 i64        | seen2 i64        |   last packet time per substream
//  40                 56                 72                 88                96               104
//  | rid0: len u8 + 15 bytes | rid1     | rid2             | first_ms i64     | malformed u64  |
//
// Substream 0 is the lowest quality. Janus hands the plugin the rids highest first (the
// order of a=rid in the offer) and the SSRCs lowest first (a=ssrc-group:SIM): the control
// side stores both lowest first. flags: bit i (0..2) ssrc i known, bit 3 + i seen i set,
// bit 6 first_ms set (time of the stream's first packet: a substream never seen counts as
// alive until `timeout` ms after it, so a recipient joining a starting publisher waits for
// its target instead of taking whichever substream happens to come first).

import { RTP_HEAD_CAP, RTP_TAIL_AT } from "../abi";
import { rtpPayload, rtpPayloadTail, payloadLen, findExtension, extLen } from "../codecs/rtp-ext";
import { vp8Parse, vp8Key, vp8Start, vp8Tid, vp8Sync } from "../codecs/vp8";
import {
  vp9Parse, vp9Key, vp9Start, vp9End, vp9Inter, vp9HasLayers, vp9Tid, vp9Sid, vp9SwitchUp,
} from "../codecs/vp9";
import { h264Frame, H264_KEY, H264_MALFORMED } from "../codecs/h264";

export const SENDER_SIZE: u32 = 104;
const S_CODEC: u32 = 0;
const S_RID_EXT: u32 = 1;
const S_FLAGS: u32 = 2;
const S_SSRC: u32 = 4;   // + 4 × i
const S_SEEN: u32 = 16;  // + 8 × i
const S_RID: u32 = 40;   // + 16 × i
const S_FIRST_MS: u32 = 88;
const S_MALFORMED: u32 = 96;
const SF_STARTED: u32 = 1 << 6;
/** Longest rid stored (Janus keeps 15 characters too). */
export const RID_MAX: u32 = 15;
export const SUBSTREAMS: u32 = 3;

export const CODEC_NONE: u32 = 0;
export const CODEC_VP8: u32 = 1;
export const CODEC_VP9: u32 = 2;
export const CODEC_H264: u32 = 3;

// describePacket results.
export const PK_OK: i32 = 0;
export const PK_MALFORMED: i32 = -1; // RTP header or payload descriptor does not parse
export const PK_UNKNOWN: i32 = -2;   // simulcast stream, but neither SSRC nor rid is one of ours

// Facts of the packet given to the last describePacket (read by layers.ts).
export let pkSub: i32 = -1;          // substream 0..2, -1 for a stream without simulcast
export let pkAlive: u32 = 0;         // bit i: substream i seen within the timeout (incl. this one)
export let pkEffective: u32 = 0;     // byte t: the substream to aim at for target t (see effective)
export let pkKey: bool = false;      // first packet of a keyframe
export let pkLayerStart: bool = false; // first packet of a (layer) frame
export let pkPictureStart: bool = false; // first packet of a picture (all spatial layers)
export let pkEnd: bool = false;      // VP9: last packet of a layer frame
export let pkTid: i32 = -1;          // temporal layer, -1 unknown
export let pkSync: bool = false;     // a temporal up-switch point (VP8 Y, VP9 U)
export let pkSid: i32 = -1;          // VP9 spatial layer, -1 unknown
export let pkInter: bool = true;     // VP9 P: inter-picture predicted
export let pkCodec: u32 = CODEC_NONE;
export let pkPayload: u32 = 0;       // payload offset from the packet start (0: none)

/** Clears the record: no codec, no simulcast. */
export function senderReset(r: usize): void {
  memory.fill(r, 0, SENDER_SIZE);
}

export function senderSetCodec(r: usize, codec: u32): bool {
  if (codec > CODEC_H264) return false;
  store<u8>(r, <u8>codec, S_CODEC);
  return true;
}

/** SSRC of substream i (SSRC-based simulcast, a=ssrc-group:SIM). */
export function senderSetSsrc(r: usize, i: u32, ssrc: u32): bool {
  if (i >= SUBSTREAMS) return false;
  store<u32>(r + (i << 2), ssrc, S_SSRC);
  store<u8>(r, <u8>(<u32>load<u8>(r, S_FLAGS) | (1 << i)), S_FLAGS);
  return true;
}

/** rid of substream i, `n` bytes at `src` (rid-based simulcast), and the rid extension id. */
export function senderSetRid(r: usize, i: u32, src: usize, n: u32, extId: u32): bool {
  if (i >= SUBSTREAMS || n - 1 >= RID_MAX || extId - 1 >= 255) return false;
  const slot = r + S_RID + (i << 4);
  store<u8>(slot, <u8>n);
  memory.copy(slot + 1, src, n);
  store<u8>(r, <u8>extId, S_RID_EXT);
  return true;
}

/** True if the record describes a simulcast stream (some SSRC or rid set). */
@inline export function isSimulcast(r: usize): bool {
  return (load<u8>(r, S_FLAGS) & 0x07) != 0 || load<u8>(r, S_RID_EXT) != 0;
}

@inline export function malformedCount(r: usize): u64 { return load<u64>(r, S_MALFORMED); }

/**
 * Describes the RTP packet at `p` (`len` bytes) once for every recipient: substream,
 * liveness of the substreams (seen within `timeout` ms of `now`) and the codec facts.
 * PK_OK, or PK_MALFORMED / PK_UNKNOWN: the packet is to be dropped (malformed is counted).
 */
export function describePacket(r: usize, p: usize, len: u32, now: i64, timeout: i64): i32 {
  const off = rtpPayload(p, len);
  return describeAt(r, p, len, len, off, payloadLen, now, timeout);
}

/**
 * The same for the router's copy of a packet: its first min(len, RTP_HEAD_CAP) bytes at `p`
 * and its last byte at p + RTP_TAIL_AT. A payload descriptor that does not fit in the head
 * (fewer than DESCRIPTOR_ROOM payload bytes in the head: over 128 bytes of RTP headers
 * before it) leaves the packet's codec facts unknown instead of making it malformed.
 */
export function describeHead(r: usize, p: usize, len: u32, now: i64, timeout: i64): i32 {
  const head = len < RTP_HEAD_CAP ? len : RTP_HEAD_CAP;
  const off = rtpPayloadTail(p, len, p + RTP_TAIL_AT);
  return describeAt(r, p, len, head, off, payloadLen, now, timeout);
}

/** describePacket with the payload at `off` (0: malformed), `plen` bytes of which the
 *  first `head - off` are at hand. */
function describeAt(r: usize, p: usize, len: u32, head: u32, off: u32, plen: u32, now: i64, timeout: i64): i32 {
  pkSub = -1; pkAlive = 0; pkEffective = 0;
  pkPayload = off;
  const seen = off != 0 && off < head ? (plen < head - off ? plen : head - off) : 0;
  // A payload-less packet (padding only, as senders probe bandwidth) has no codec facts.
  const codec = plen == 0 ? CODEC_NONE : <u32>load<u8>(r, S_CODEC);
  if (off == 0 || !parseCodec(codec, p + off, seen, plen)) {
    if (off == 0 || seen == plen || seen >= DESCRIPTOR_ROOM) {
      store<u64>(r, load<u64>(r, S_MALFORMED) + 1, S_MALFORMED);
      return PK_MALFORMED;
    }
    parseCodec(CODEC_NONE, p, 0, 0); // not at hand: no facts
  }
  if (!isSimulcast(r)) return PK_OK;
  const s = substreamOf(r, p, head);
  if (s < 0) return PK_UNKNOWN;
  pkSub = s;
  let flags = <u32>load<u8>(r, S_FLAGS);
  if ((flags & SF_STARTED) == 0) {
    store<i64>(r, now, S_FIRST_MS);
    flags |= SF_STARTED;
  }
  store<i64>(r + (<usize>s << 3), now, S_SEEN);
  store<u8>(r, <u8>(flags | (8 << <u32>s)), S_FLAGS);
  pkAlive = aliveMask(r, now, timeout);
  pkEffective = effective(0, pkAlive) | (effective(1, pkAlive) << 8) | (effective(2, pkAlive) << 16);
  return PK_OK;
}

/** Payload bytes that hold any payload descriptor the parsers read (VP8 ≤ 16, VP9 with its
 *  scalability structure in practice < 64, H.264 aggregates are read as far as they are). */
const DESCRIPTOR_ROOM: u32 = 128;

// The configuration blob of `senderConfigure` (SENDER_BLOB bytes):
//  0       1        2       3       4               16
//  | codec | rid_ext| nssrc | nrid  | ssrc[3] u32   | rid[3]: len u8 + 15 bytes each |
export const SENDER_BLOB: u32 = 64;

/**
 * Configures a cleared record from a blob: codec (CODEC_VP8..CODEC_H264), up to three SSRCs
 * and rids (lowest first) and the rid extension id. False (record left cleared) if a value
 * is out of range: codec, counts above 3, rid lengths 1..15, rids without an extension id.
 */
export function senderConfigure(r: usize, b: usize): bool {
  senderReset(r);
  const codec = <u32>load<u8>(b);
  const ext = <u32>load<u8>(b, 1);
  const nssrc = <u32>load<u8>(b, 2);
  const nrid = <u32>load<u8>(b, 3);
  if (codec == CODEC_NONE || codec > CODEC_H264 || nssrc > SUBSTREAMS || nrid > SUBSTREAMS) return false;
  if (nrid > 0 && ext == 0) return false;
  for (let i: u32 = 0; i < nrid; i++) {
    const rid = b + 16 + (<usize>i << 4);
    if (!senderSetRid(r, i, rid + 1, <u32>load<u8>(rid), ext)) { senderReset(r); return false; }
  }
  for (let i: u32 = 0; i < nssrc; i++) senderSetSsrc(r, i, load<u32>(b + 4 + (<usize>i << 2)));
  senderSetCodec(r, codec);
  return true;
}

/** Substream at the target if alive, else the highest live one below, else the lowest above. */
function effective(target: u32, alive: u32): u32 {
  if (alive & (1 << target)) return target;
  for (let i = <i32>target - 1; i >= 0; i--) if (alive & (1 << i)) return <u32>i;
  for (let i = target + 1; i < SUBSTREAMS; i++) if (alive & (1 << i)) return i;
  return target;
}

/**
 * Bit i set when substream i was seen at most `timeout` ms ago, or was never seen and the
 * stream started at most `timeout` ms ago (a clock going back counts as now).
 */
function aliveMask(r: usize, now: i64, timeout: i64): u32 {
  const flags = <u32>load<u8>(r, S_FLAGS);
  const young = now - load<i64>(r, S_FIRST_MS) <= timeout;
  let mask: u32 = 0;
  for (let i: u32 = 0; i < SUBSTREAMS; i++) {
    const alive = (flags & (8 << i)) != 0 ? now - load<i64>(r + (<usize>i << 3), S_SEEN) <= timeout : young;
    if (alive) mask |= 1 << i;
  }
  return mask;
}

/** Substream of the packet: by SSRC, else by rid (learning its SSRC); -1 if neither matches. */
function substreamOf(r: usize, p: usize, len: u32): i32 {
  const ssrc = bswap<u32>(load<u32>(p, 8));
  const known = <u32>load<u8>(r, S_FLAGS);
  for (let i: u32 = 0; i < SUBSTREAMS; i++) {
    if ((known & (1 << i)) != 0 && load<u32>(r + (i << 2), S_SSRC) == ssrc) return <i32>i;
  }
  const ext = <u32>load<u8>(r, S_RID_EXT);
  if (ext == 0) return -1;
  const at = findExtension(p, len, ext);
  if (at == 0) return -1;
  for (let i: u32 = 0; i < SUBSTREAMS; i++) {
    if (ridEquals(r + S_RID + (i << 4), p + at, extLen)) {
      senderSetSsrc(r, i, ssrc);
      return <i32>i;
    }
  }
  return -1;
}

function ridEquals(slot: usize, s: usize, n: u32): bool {
  if (n == 0 || <u32>load<u8>(slot) != n) return false;
  for (let i: u32 = 0; i < n; i++) {
    if (load<u8>(slot + 1 + i) != load<u8>(s + i)) return false;
  }
  return true;
}

/** Fills the pk* codec facts from the `plen` bytes at `pl` of a payload of `real` bytes;
 *  false if the payload descriptor is malformed (or not all at hand). */
function parseCodec(codec: u32, pl: usize, plen: u32, real: u32): bool {
  pkCodec = codec;
  pkKey = false; pkLayerStart = false; pkPictureStart = false; pkEnd = false;
  pkTid = -1; pkSync = false; pkSid = -1; pkInter = true;
  if (codec == CODEC_VP8) {
    if (vp8Parse(pl, plen) < 0) return false;
    pkKey = vp8Key; pkLayerStart = vp8Start; pkPictureStart = vp8Start;
    pkTid = vp8Tid; pkSync = vp8Sync;
  } else if (codec == CODEC_VP9) {
    if (vp9Parse(pl, plen) < 0) return false;
    pkKey = vp9Key; pkLayerStart = vp9Start; pkEnd = vp9End; pkInter = vp9Inter;
    pkPictureStart = vp9Start && vp9Sid == 0;
    if (vp9HasLayers) { pkTid = <i32>vp9Tid; pkSid = <i32>vp9Sid; pkSync = vp9SwitchUp; }
  } else if (codec == CODEC_H264) {
    const f = h264Frame(pl, plen, real);
    if (f == H264_MALFORMED) return false;
    pkKey = f == H264_KEY;
  }
  return true;
}
