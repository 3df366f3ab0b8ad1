// Layered video on the packet path: simulcast substreams (by SSRC or rid) and VP9 SVC
// layers, with VP8 temporal layers. The sender stream's media record (media/sender.ts)
// describes each packet once; then each recipient stream's layers record (media/layers.ts,
// line 3 of its stream record, written like its switching context: by the feeding thread,
// under the stream lock when shared) decides whether it gets the packet, and the switching
// context, the seq-gap closing and the VP8 picture ids keep its numbering continuous
// (media/forward.ts). A layers record restarts (targets kept) whenever another sender stream
// feeds it. What changes reaches the recipient as an EVENT; the VP8 picture id / TL0PICIDX
// to write ride in the RELAY_RTP's flags, their offsets in one PACKET_INFO per packet.
//
// Control calls: set_simulcast configures the media record while unpublished (M_LAYERED
// clear, a grace period since); set_layers writes the three target bytes of recipient
// streams, which packets only read.

import {
  E_SLOT, E_ARG, MAX_STREAMS, EVERY_STREAM, MEDIUM_VIDEO, CLOCK_VIDEO, LAYER_TIMEOUT_MS, K_RELAY_RTP, K_EVENT,
  K_PACKET_INFO, F_MARK_SWITCH, F_HAS_PICID, F_HAS_TL0, PI_PICID_LONG, PI_HAS_PICID, PI_HAS_TL0, EV_LAYERS,
  EVF_SUBSTREAM, EVF_TEMPORAL, EVF_SPATIAL, D_MALFORMED, D_UNKNOWN_SUBSTREAM,
} from "./abi";
import {
  inPtr, threadPtr, isOpen, setMediaBit, sessionAt, streamAt, mediaAt, routeList, bump, bumpGlobal, pliMinInterval, ROUTE_SIZE,
  TH_SCRATCH, PK_KEY, PK_NOW, PK_BYTES, PK_SEQ, PK_TS, PK_MINDEX, PK_B1, PK_CID_AT, PK_MARKER, PK_SRC, S_GEN, SC_DROPS_MALFORMED,
  T_SHARED, T_PACKETS_OUT, T_BYTES_OUT, T_SWITCHES, T_DROPS_SUBSTREAM, T_LAYERS, T_LAYERS_SRC, M_LAYERED,
  G_DROPS_MALFORMED,
} from "./layout";
import {
  describeHead, senderConfigure, senderReset, pkCodec, pkPayload, PK_MALFORMED, PK_OK, CODEC_VP8,
} from "./media/sender";
import { layersRestart, layersSetTarget, layersNow, layersTargets, L_RELAY, L_ASK_KEYFRAME, L_MARKER } from "./media/layers";
import { forwardLayered, fwdSeq, fwdTs, fwdNewSource, outPicId, outTl0 } from "./media/forward";
import { vp8PicId, vp8PicIdLong, vp8PicIdOff, vp8Tl0, vp8Tl0Off } from "./codecs/vp8";
import { lockStream, unlockStream } from "./exclusive";
import { requestKeyframe } from "./keyframes";
import { emit, emitB1 } from "./decisions";
import { packetScratch, routeTarget, SKIP } from "./fanout";
import { byte1At } from "./payload-types";
import { syncNow } from "./routes";

/**
 * Simulcast / SVC of stream (slot, mindex) from the blob at in_ptr (media/sender.ts
 * SENDER_BLOB: codec, rid extension id, SSRCs and rids lowest first); codec 0 turns it off.
 * E_SLOT, E_ARG (mindex, or a blob value out of range: then the stream is left without).
 */
export function setSimulcast(slot: u32, mindex: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (mindex >= MAX_STREAMS) return E_ARG;
  const st = streamAt(slot, mindex);
  if (setMediaBit(st, M_LAYERED, false)) syncNow(); // no packet call still reads the record
  const r = mediaAt(slot, mindex);
  if (load<u8>(inPtr) == 0) { senderReset(r); return 0; }
  if (!senderConfigure(r, inPtr)) return E_ARG;
  setMediaBit(st, M_LAYERED, true);
  return 0;
}

/** Target `which` (0 substream, 1 temporal, 2 spatial) of recipient stream (slot, mindex),
 *  EVERY_STREAM: all of its streams. E_SLOT, E_ARG. */
export function setLayers(slot: u32, mindex: u32, which: u32, value: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if ((mindex >= MAX_STREAMS && mindex != EVERY_STREAM) || which > 2 || value > 2) return E_ARG;
  const lo: u32 = mindex == EVERY_STREAM ? 0 : mindex;
  const hi: u32 = mindex == EVERY_STREAM ? MAX_STREAMS - 1 : mindex;
  for (let m = lo; m <= hi; m++) layersSetTarget(streamAt(slot, m) + T_LAYERS, which, value);
  return 0;
}

/** Recipient stream (slot, mindex): current substream | temporal << 8 | spatial << 16
 *  (0xFF: none yet) | targets (2 bits each: substream, temporal, spatial) << 24. E_SLOT, E_ARG. */
export function layersState(slot: u32, mindex: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (mindex >= MAX_STREAMS) return E_ARG;
  const r = streamAt(slot, mindex) + T_LAYERS;
  const t = layersTargets(r);
  return <i32>(layersNow(r) | (((t & 3) | ((t >> 6) & 12) | ((t >> 12) & 48)) << 24));
}

/** Describes a video packet of a layered stream; PK_OK, or the drop code (counted). */
export function describeLayered(slot: u32, mindex: u32, len: u32, now: i64): i32 {
  const rc = describeHead(mediaAt(slot, mindex), inPtr, len, now, LAYER_TIMEOUT_MS);
  if (rc == PK_OK) return 0;
  if (rc == PK_MALFORMED) {
    bumpGlobal(G_DROPS_MALFORMED);
    bump(sessionAt(slot) + SC_DROPS_MALFORMED);
    return D_MALFORMED;
  }
  bump(streamAt(slot, mindex) + T_DROPS_SUBSTREAM);
  return D_UNKNOWN_SUBSTREAM;
}

/** The layered fan-out of the packet just described: PACKET_INFO, then per matching route an
 *  EVENT when the recipient's layers changed and a RELAY_RTP when it takes the packet. */
export function fanOutLayered(n: u32, slot: u32, mindex: u32, len: u32, routes: u32, now: i64): u32 {
  const c = packetScratch(slot, mindex, MEDIUM_VIDEO, len, now);
  store<u32>(c, slot | (mindex << 16) | (load<u32>(sessionAt(slot), S_GEN) << 24), PK_SRC);
  if (pkCodec == CODEC_VP8 && pkPayload != 0 && (vp8PicId >= 0 || vp8Tl0 >= 0)) {
    const f = (vp8PicIdLong ? PI_PICID_LONG : 0) | (vp8PicId >= 0 ? PI_HAS_PICID : 0) | (vp8Tl0 >= 0 ? PI_HAS_TL0 : 0);
    n = emit(n, K_PACKET_INFO, mindex, pkPayload + vp8PicIdOff, slot, pkPayload + vp8Tl0Off, f);
  }
  const list = routeList(slot, routes >>> 16);
  const end = list + <usize>(routes & 0xFFFF) * ROUTE_SIZE;
  let asked = false;
  for (let q = list; q < end; q += ROUTE_SIZE) {
    const r = load<u32>(q);
    const srcM = r & 0xFF;
    if (srcM != mindex && srcM != EVERY_STREAM) continue;
    const target = routeTarget(r, srcM, c);
    if (target == SKIP) continue;
    const res = relayLayered(n, target >>> 8, target & 0xFF, slot, asked);
    n = res & ~ASKED;
    if (res & ASKED) asked = true;
  }
  return n;
}

const ASKED: u32 = 1 << 31;

/** EVF_* bits of what differs between two layersNow values. */
@inline function changes(before: u32, after: u32): u32 {
  const d = before ^ after;
  return ((d & 0xFF) != 0 ? EVF_SUBSTREAM : 0) | ((d & 0xFF00) != 0 ? EVF_TEMPORAL : 0) | ((d & 0xFF0000) != 0 ? EVF_SPATIAL : 0);
}

/** One recipient stream of a layered packet. Returns the new decision count, | ASKED once a
 *  keyframe was requested for this packet (at most one per packet). */
function relayLayered(n: u32, dst: u32, dstM: u32, slot: u32, asked: bool): u32 {
  const c = threadPtr + TH_SCRATCH;
  const t = streamAt(dst, dstM);
  const shared = load<u32>(t, T_SHARED) != 0;
  if (shared) lockStream(t);
  const L = t + T_LAYERS;
  const src = load<u32>(c, PK_SRC);
  if (load<u32>(t, T_LAYERS_SRC) != src) { // another sender stream feeds it now
    layersRestart(L);
    store<u32>(t, src, T_LAYERS_SRC);
  }
  const before = layersNow(L);
  const now = load<i64>(c, PK_NOW);
  const f = forwardLayered(L, t, load<u64>(c, PK_KEY), load<u32>(c, PK_SEQ), load<u32>(c, PK_TS), now, CLOCK_VIDEO, pliMinInterval());
  const after = layersNow(L);
  if (f & L_RELAY) {
    bump(t + T_PACKETS_OUT);
    bump(t + T_BYTES_OUT, load<u64>(c, PK_BYTES));
    if (fwdNewSource) bump(t + T_SWITCHES);
  }
  const s = fwdSeq, v = fwdTs, pic = outPicId, tl0 = outTl0, switched = fwdNewSource;
  if (shared) unlockStream(t);
  if ((f & L_ASK_KEYFRAME) && !asked) {
    n = requestKeyframe(n, slot, load<u32>(c, PK_MINDEX), now);
    asked = true;
  }
  if (after != before) n = emit(n, K_EVENT, dstM, EV_LAYERS, dst, after, changes(before, after));
  if (f & L_RELAY) {
    let b1 = byte1At(t, load<u32>(c, PK_CID_AT), load<u32>(c, PK_B1), load<u32>(c, PK_MARKER));
    if (f & L_MARKER) b1 |= 0x80;
    let flags: u32 = switched ? F_MARK_SWITCH : 0;
    if (pic >= 0) flags |= F_HAS_PICID | (<u32>pic << 16);
    if (tl0 >= 0) flags |= F_HAS_TL0 | (<u32>tl0 << 8);
    n = emitB1(n, K_RELAY_RTP, dstM, s, dst, b1, v, flags);
  }
  return asked ? n | ASKED : n;
}
