// Payload-type rewriting: each client numbers its codecs in its own SDP (Chromium's VP8 is
// 96, werift's 97, Firefox's 120), so a packet relayed as it came would be undecodable for a
// recipient that negotiated another number. The host gives every stream two tables
// (`set_codecs`, from the m-lines of each SDP it sees): the codec id of each payload type the
// stream sends, and the payload type it receives each codec id on. Codec ids are the host's
// (one per codec name / clock / channels / distinguishing fmtp, the same for every session).
// Per packet: one byte load for the sender (once), one per recipient; 0 in either table
// means unknown, and the payload type goes out as it came.
//
// Control calls write the tables byte by byte while packets read them: a packet sees, for its
// one payload type, the old number or the new one.

import { E_SLOT, E_ARG, MAX_STREAMS } from "./abi";
import { inPtr, isOpen, codecsAt, codecsDelta, CODECS_SIZE, CD_CID_PT, STREAM_SIZE } from "./layout";

// byte1At relies on it.
assert(CODECS_SIZE == STREAM_SIZE);

/** Table bytes per stream in the `set_codecs` blob: the stream's codecs record as it is stored. */
export const CODECS_BLOB: u32 = CODECS_SIZE;

/**
 * The codec tables of `slot`'s m-lines 0..count-1, `count` × 256 bytes at in_ptr: per m-line,
 * 128 bytes pt → codec id, then 128 bytes codec id → pt (values above 127 are masked, the
 * entry of codec id 0 is kept 0). The tables of m-lines from `count` on are cleared.
 */
export function setCodecs(slot: u32, count: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (count > MAX_STREAMS) return E_ARG;
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const t = codecsAt(slot, m);
    const src = inPtr + <usize>m * CODECS_BLOB;
    for (let i: u32 = 0; i < CODECS_SIZE; i++) {
      const v = m < count && i != CD_CID_PT ? <u32>load<u8>(src + i) & 0x7F : 0;
      store<u8>(t + i, <u8>v);
    }
  }
  return 0;
}

/** The codec id of the payload type in RTP byte 1 `b1` as stream (slot, mindex) sends it. */
@inline export function codecOf(slot: u32, mindex: u32, b1: u32): u32 {
  return <u32>load<u8>(codecsAt(slot, mindex) + (b1 & 0x7F));
}

/**
 * Codecs records are addressed like stream records (one per (slot, mindex), 256 bytes), so a
 * recipient's payload type for codec `cid` is at a fixed distance from its stream record:
 * computed once per packet, one load per recipient (byte1At).
 */
@inline export function cidDistance(cid: u32): u32 {
  return <u32>codecsDelta + CD_CID_PT + cid;
}

/** Byte 1 for the recipient stream at `t`: the payload type it receives the packet's codec
 *  on (at t + distance), with the packet's marker; or b1 as it is when either side does not
 *  know the codec. */
@inline export function byte1At(t: usize, distance: u32, b1: u32, marker: u32): u32 {
  const pt = <u32>load<u8>(t + <usize>distance);
  return pt != 0 ? marker | pt : b1;
}
