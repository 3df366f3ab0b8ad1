// RTP forwarders: copies of a sender stream's packets that the host sends as plain RTP over
// UDP (RTP_FORWARD decisions). The host owns the sockets and numbers the forwarders; the
// router keeps, per forwarder, which sender stream (and which simulcast substream) it
// copies and a switching context, so each forwarder carries one continuous stream (its own
// seq/ts numbering). A sender stream publishes up to FWD_LANES forwarder ids in one u64 of
// its record (T_FWDS: 16 bits each, id + 1, 0 = none) that its sending thread reads per
// packet; only that thread writes the forwarder records it names.
//
// Control calls: fwd_add fills a free record, then publishes the lane with one atomic
// store; fwd_remove unpublishes it, waits a grace period, then clears the record.

import {
  E_SLOT, E_FULL, E_DUP, E_NOROUTE, E_ARG, MAX_STREAMS, FWD_LANES, FWD_ANY, CLOCK_AUDIO, CLOCK_VIDEO,
  K_RTP_FORWARD,
} from "./abi";
import {
  inPtr, isOpen, streamAt, fwdAt, maxForwarders, sessionAt, bump, setMediaBit, T_FWDS, M_FWDS, S_GEN, FWD_SIZE, FW_OWNER, FW_SUB,
  FW_PACKETS, FW_BYTES, FW_USED,
} from "./layout";
import { rtpSeq, rtpTs, rtpSsrcRaw } from "./rtp";
import { rewrite, sourceKey, outSeq, outTs } from "./switching";
import { emitB1 } from "./decisions";
import { syncNow } from "./routes";

/** A forwarder of (slot, mindex) copying substream `sub` (0..2, or FWD_ANY: every packet). */
export function fwdAdd(fwd: u32, slot: u32, mindex: u32, sub: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (mindex >= MAX_STREAMS || fwd >= maxForwarders || (sub > 2 && sub != FWD_ANY)) return E_ARG;
  const r = fwdAt(fwd);
  if (load<u32>(r, FW_OWNER) != 0) return E_DUP;
  const p = streamAt(slot, mindex) + T_FWDS;
  const lanes = load<u64>(p);
  let lane: u32 = 0;
  while (lane < FWD_LANES && ((lanes >> (<u64>lane << 4)) & 0xFFFF) != 0) lane++;
  if (lane == FWD_LANES) return E_FULL;
  memory.fill(r, 0, FWD_SIZE);
  store<u8>(r, <u8>sub, FW_SUB);
  store<u32>(r, slot | (mindex << 16) | FW_USED, FW_OWNER);
  atomic.store<u64>(p, lanes | (<u64>(fwd + 1) << (<u64>lane << 4))); // publish
  setMediaBit(streamAt(slot, mindex), M_FWDS, true);
  return 0;
}

/** Stops forwarder `fwd`: unpublished, a grace period, cleared. E_NOROUTE if it is not in use. */
export function fwdRemove(fwd: u32): i32 {
  if (fwd >= maxForwarders) return E_ARG;
  const r = fwdAt(fwd);
  const owner = load<u32>(r, FW_OWNER);
  if (owner == 0) return E_NOROUTE;
  const p = streamAt(owner & 0xFFFF, (owner >>> 16) & 0xFF) + T_FWDS;
  let lanes = load<u64>(p);
  for (let lane: u32 = 0; lane < FWD_LANES; lane++) {
    const sh = <u64>lane << 4;
    if (((lanes >> sh) & 0xFFFF) == <u64>(fwd + 1)) lanes &= ~(<u64>0xFFFF << sh);
  }
  atomic.store<u64>(p, lanes);
  if (lanes == 0) setMediaBit(p - T_FWDS, M_FWDS, false);
  syncNow();
  memory.fill(r, 0, FWD_SIZE);
  return 0;
}

/** Control calls, after every stream of `slot` was unpublished (T_FWDS 0) and a grace
 *  period: frees the forwarder records the slot owned. */
export function releaseForwarders(slot: u32): void {
  for (let f: u32 = 0; f < maxForwarders; f++) {
    const r = fwdAt(f);
    const owner = load<u32>(r, FW_OWNER);
    if (owner != 0 && (owner & 0xFFFF) == slot) memory.fill(r, 0, FWD_SIZE);
  }
}

/** Counters of forwarder `fwd` (packets, bytes) copied to `out`; false if it is not in use. */
export function fwdCounters(fwd: u32, out: usize): bool {
  if (fwd >= maxForwarders) return false;
  const r = fwdAt(fwd);
  if (load<u32>(r, FW_OWNER) == 0) return false;
  store<u64>(out, atomic.load<u64>(r, FW_PACKETS));
  store<u64>(out, atomic.load<u64>(r, FW_BYTES), 8);
  return true;
}

/**
 * One RTP_FORWARD per forwarder in `lanes` (the sender stream's T_FWDS) that takes this
 * packet: every forwarder of a stream without substreams (`sub` < 0), else those of the
 * packet's substream or of FWD_ANY. Sending thread only. Out of line: streams with
 * forwarders are few.
 */
export function forwardPacket(n: u32, slot: u32, mindex: u32, isVideo: bool, sub: i32, len: u32, lanes: u64, now: i64): u32 {
  const p = inPtr;
  const key = sourceKey(rtpSsrcRaw(p), slot, mindex, load<u32>(sessionAt(slot), S_GEN));
  const seq = rtpSeq(p), ts = rtpTs(p), b1 = <u32>load<u8>(p, 1);
  for (let lane: u32 = 0; lane < FWD_LANES; lane++) {
    const id = <u32>(lanes >> (<u64>lane << 4)) & 0xFFFF;
    if (id == 0) continue;
    const r = fwdAt(id - 1);
    const want = <u32>load<u8>(r, FW_SUB);
    if (sub >= 0 && want != FWD_ANY && want != <u32>sub) continue;
    rewrite(r, key, seq, ts, now, isVideo ? CLOCK_VIDEO : CLOCK_AUDIO);
    bump(r + FW_PACKETS);
    bump(r + FW_BYTES, <u64>len);
    n = emitB1(n, K_RTP_FORWARD, mindex, outSeq, id - 1, b1, outTs, 0);
  }
  return n;
}
