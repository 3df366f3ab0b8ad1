// Per-recipient layer selection of a layered video stream: which simulcast substream,
// which VP9 spatial layer and which temporal layer a recipient stream gets, switching only
// where its decoder can follow. Pure: the packet's facts come from sender.ts
// (describePacket, once per packet), time is an argument, state is one LAYERS_SIZE record
// per recipient stream wherever its owner keeps it.
//
// Layers record (LAYERS_SIZE bytes)
//  0      1      2      3      4      5      6      7      8
//  +------+------+------+------+------+------+------+------+
//  | sub  | tsub | eff  | tl   | ttl  | sl   | tsl  | flags|   current / target; 0xFF = none
//  +------+------+------+------+------+------+------+------+
//  8                    16            18       19     20           22       23    24
//  | ask_ms i64         | pic_off u16 | tl0_off| -    | last_pic u16| last_tl0 | -   |
//  24                                                                             32
//  | reserved                                                                       |
//
// sub: substream relayed now; eff: the substream aimed at (the target, or the closest one
// still flowing when the target stopped). flags: bit0 a keyframe was asked for the current
// wait (at ask_ms), bit1 last_pic/last_tl0 hold the last relayed picture id / TL0PICIDX.
//
// Rules (RFC 7741 §4.2 and RFC 9628 §4.2 for what a decoder can follow):
// - Substream: nothing until a keyframe of `eff`; then only the current substream is
//   relayed; a switch towards `eff` happens on a keyframe of a substream between the current
//   one and `eff`. A substream not seen for `timeout` ms (sender.ts: never seen counts as
//   seen at the stream's start) stops counting: `eff` falls back to the highest live one
//   below the target (else the lowest above). While the current substream is not `eff`, a
//   keyframe is asked at once and again every `reask` ms.
// - Temporal (VP8 TID, VP9 TID): a keyframe or substream switch jumps to the target; else,
//   at the first packet of a picture, down at once, up to a layer t ≤ target at a picture
//   of layer t that is an up-switch point (VP8 Y, VP9 U). Packets above the cap are dropped.
// - Spatial (VP9 SID): up to the target at a keyframe, or one layer up at the first packet
//   of a layer frame without inter-picture prediction (P = 0) of the next layer; down at the
//   first packet of the next picture. Packets above the cap are dropped; the last packet of
//   the top relayed layer frame gets the RTP marker bit (the end of the picture for the
//   decoder). A VP9 stream with layer indices relays nothing until a keyframe.

import {
  pkSub, pkEffective, pkKey, pkLayerStart, pkPictureStart, pkEnd, pkTid, pkSync, pkSid, pkInter,
  SUBSTREAMS,
} from "./sender";

export const LAYERS_SIZE: u32 = 32;
export const NONE: u32 = 0xFF;
const L_SUB: u32 = 0;
const L_TSUB: u32 = 1;
const L_EFF: u32 = 2;
const L_TL: u32 = 3;
const L_TTL: u32 = 4;
const L_SL: u32 = 5;
const L_TSL: u32 = 6;
const L_FLAGS: u32 = 7;
const L_ASK_MS: u32 = 8;
export const L_PIC_OFF: u32 = 16;
export const L_TL0_OFF: u32 = 18;
export const L_LAST_PIC: u32 = 20;
export const L_LAST_TL0: u32 = 22;
const LF_ASKED: u32 = 1 << 0;
export const LF_PIC_SET: u32 = 1 << 1;

// selectLayers result bits.
export const L_RELAY: u32 = 1 << 0;      // relay the packet
export const L_SHIFT: u32 = 1 << 1;      // dropped, but it is of the relayed source: close the seq gap
export const L_SWITCHED: u32 = 1 << 2;   // the relayed substream changed with this packet
export const L_TEMPORAL: u32 = 1 << 3;   // the temporal layer changed
export const L_SPATIAL: u32 = 1 << 4;    // the spatial layer changed
export const L_ASK_KEYFRAME: u32 = 1 << 5; // ask the sender for a keyframe
export const L_MARKER: u32 = 1 << 6;     // set the RTP marker bit on this relay

/** A fresh record: nothing relayed yet, targets at the top (2, 2, 2). */
export function layersReset(r: usize): void {
  memory.fill(r, 0, LAYERS_SIZE);
  layersRestart(r);
  store<u8>(r, 2, L_TSUB); store<u8>(r, 2, L_TTL); store<u8>(r, 2, L_TSL);
}

/** Nothing relayed yet, the targets kept: for a new source, or a new PeerConnection. Writes
 *  every byte but the three targets (which control calls write). */
export function layersRestart(r: usize): void {
  store<u8>(r, <u8>NONE, L_SUB); store<u8>(r, <u8>NONE, L_EFF);
  store<u8>(r, <u8>NONE, L_TL); store<u8>(r, <u8>NONE, L_SL);
  store<u8>(r, 0, L_FLAGS);
  memory.fill(r + L_ASK_MS, 0, LAYERS_SIZE - L_ASK_MS);
}

/** One target (0 substream, 1 temporal, 2 spatial) to `v` 0..2; false if out of range. */
export function layersSetTarget(r: usize, which: u32, v: u32): bool {
  if (which > 2 || v > 2) return false;
  store<u8>(r + (which == 0 ? L_TSUB : which == 1 ? L_TTL : L_TSL), <u8>v);
  return true;
}

/** Current substream | temporal << 8 | spatial << 16 (0xFF each: none yet). */
@inline export function layersNow(r: usize): u32 {
  return <u32>load<u8>(r, L_SUB) | (<u32>load<u8>(r, L_TL) << 8) | (<u32>load<u8>(r, L_SL) << 16);
}

/** Targets: substream | temporal << 8 | spatial << 16. */
@inline export function layersTargets(r: usize): u32 {
  return <u32>load<u8>(r, L_TSUB) | (<u32>load<u8>(r, L_TTL) << 8) | (<u32>load<u8>(r, L_TSL) << 16);
}

/** Sets the targets (substream 0..2, temporal 0..2, spatial 0..2); false if one is out of range. */
export function layersSetTargets(r: usize, sub: u32, temporal: u32, spatial: u32): bool {
  if (sub >= SUBSTREAMS || temporal > 2 || spatial > 2) return false;
  store<u8>(r, <u8>sub, L_TSUB);
  store<u8>(r, <u8>temporal, L_TTL);
  store<u8>(r, <u8>spatial, L_TSL);
  return true;
}

@inline export function layerSub(r: usize): u32 { return load<u8>(r, L_SUB); }
@inline export function layerTemporal(r: usize): u32 { return load<u8>(r, L_TL); }
@inline export function layerSpatial(r: usize): u32 { return load<u8>(r, L_SL); }
@inline export function layerFlags(r: usize): u32 { return load<u8>(r, L_FLAGS); }
@inline export function setLayerFlags(r: usize, f: u32): void { store<u8>(r, <u8>f, L_FLAGS); }

/** Decides for the packet last described (sender.ts) and recipient record `r`: L_* bits. */
export function selectLayers(r: usize, now: i64, reask: i64): u32 {
  let out: u32 = 0;
  if (pkSub >= 0) {
    out = selectSubstream(r, now, reask);
    if ((out & L_RELAY) == 0) return out;
  } else {
    out = L_RELAY;
  }
  if (pkSid >= 0) {
    out = selectSpatial(r, out, now, reask);
    if ((out & L_RELAY) == 0) return out;
  }
  return selectTemporal(r, out);
}

function selectSubstream(r: usize, now: i64, reask: i64): u32 {
  const s = <u32>pkSub;
  const cur = <u32>load<u8>(r, L_SUB);
  const eff = (pkEffective >> (<u32>load<u8>(r, L_TSUB) << 3)) & 0xFF;
  // Steady state (on the aim, which did not move): relay its packets, drop the others.
  if (cur == eff && eff == <u32>load<u8>(r, L_EFF)) return s == cur ? L_RELAY : 0;
  return switchSubstream(r, s, cur, eff, now, reask);
}

function switchSubstream(r: usize, s: u32, cur: u32, eff: u32, now: i64, reask: i64): u32 {
  let flags = <u32>load<u8>(r, L_FLAGS);
  if (eff != <u32>load<u8>(r, L_EFF)) {
    store<u8>(r, <u8>eff, L_EFF);
    flags &= ~LF_ASKED; // a new aim: ask again at once
  }
  let out: u32 = 0;
  if (pkKey && s != cur && (cur == NONE ? s == eff : between(cur, s, eff))) {
    cur = s;
    store<u8>(r, <u8>s, L_SUB);
    flags &= ~LF_ASKED;
    out = L_SWITCHED;
  }
  if (cur != eff && asking(r, flags, now, reask)) {
    flags |= LF_ASKED;
    out |= L_ASK_KEYFRAME;
  }
  store<u8>(r, <u8>flags, L_FLAGS);
  return s == cur ? out | L_RELAY : out;
}

/** s lies on the way from cur to eff (eff included, cur excluded). */
@inline function between(cur: u32, s: u32, eff: u32): bool {
  return cur < eff ? s > cur && s <= eff : s < cur && s >= eff;
}

/** True when a keyframe request is due (first of this wait, or `reask` ms after the last); stamps ask_ms. */
function asking(r: usize, flags: u32, now: i64, reask: i64): bool {
  if (flags & LF_ASKED) {
    const d = now - load<i64>(r, L_ASK_MS);
    if (d >= 0 && d < reask) return false;
  }
  store<i64>(r, now, L_ASK_MS);
  return true;
}

function selectSpatial(r: usize, out: u32, now: i64, reask: i64): u32 {
  const sid = <u32>pkSid;
  const target = <u32>load<u8>(r, L_TSL);
  let sl = <u32>load<u8>(r, L_SL);
  const before = sl;
  if (pkKey) sl = target;
  else if (sl == NONE) return waitKeyframe(r, out, now, reask);
  else if (target > sl && pkLayerStart && !pkInter && sid == sl + 1) sl = sid;
  else if (target < sl && pkPictureStart) sl = target;
  if (sl != before) {
    store<u8>(r, <u8>sl, L_SL);
    out |= L_SPATIAL;
  }
  if (sid > sl) return (out & ~L_RELAY) | L_SHIFT;
  if (pkEnd && sid == sl) out |= L_MARKER;
  return out;
}

/** No spatial layer yet: drop, and ask a keyframe (at once, then every `reask` ms). */
function waitKeyframe(r: usize, out: u32, now: i64, reask: i64): u32 {
  const flags = <u32>load<u8>(r, L_FLAGS);
  if (asking(r, flags, now, reask)) {
    store<u8>(r, <u8>(flags | LF_ASKED), L_FLAGS);
    out |= L_ASK_KEYFRAME;
  }
  return (out & ~L_RELAY) | L_SHIFT;
}

function selectTemporal(r: usize, out: u32): u32 {
  if (pkTid < 0) return out;
  const tid = <u32>pkTid;
  const target = <u32>load<u8>(r, L_TTL);
  let tl = <u32>load<u8>(r, L_TL);
  const before = tl;
  if (pkKey || tl == NONE || (out & L_SWITCHED) != 0) tl = target;
  else if (pkPictureStart && target < tl) tl = target;
  else if (pkPictureStart && target > tl && pkSync && tid > tl && tid <= target) tl = tid;
  if (tl != before) {
    store<u8>(r, <u8>tl, L_TL);
    out |= L_TEMPORAL;
  }
  if (tid > tl) return (out & ~L_RELAY) | L_SHIFT;
  return out;
}
