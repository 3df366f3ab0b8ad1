// VP8 picture id and TL0PICIDX continuity of a recipient stream across source switches
// (simulcast substreams number their pictures independently): when the source changes,
// the new source's numbers are offset so the recipient's decoder sees the next picture id
// and the next TL0PICIDX after the last ones relayed. The offsets and last values live in
// the layers record (layers.ts: pic_off, tl0_off, last_pic, last_tl0, flag PIC_SET).
// Picture ids keep their width on the wire (7 or 15 bits), so continuity is modulo 2^7 for
// senders that use 7-bit ids; the last values only move forward (serial-number order).

import { vp8PicId, vp8PicIdLong, vp8Tl0 } from "../codecs/vp8";
import {
  L_PIC_OFF, L_TL0_OFF, L_LAST_PIC, L_LAST_TL0, LF_PIC_SET, layerFlags, setLayerFlags,
} from "./layers";

/** Rewritten values of the last vp8Continue call (-1: the packet has no such field). */
export let outPicId: i32 = -1;
export let outTl0: i32 = -1;

/** Forgets the values of the last call (for a packet that is not VP8). */
export function clearPictureIds(): void { outPicId = -1; outTl0 = -1; }

/** a is after b in serial order modulo mask + 1. */
@inline function newer(a: u32, b: u32, mask: u32): bool {
  const d = (a - b) & mask;
  return d != 0 && d <= (mask >> 1);
}

/**
 * For the VP8 packet last parsed (vp8Parse), relayed to the recipient stream of layers
 * record `r`: recomputes the offsets if `switched` (a new source), then sets and remembers
 * the recipient's picture id and TL0PICIDX (outPicId, outTl0; vp8Rewrite writes them).
 */
export function vp8Continue(r: usize, switched: bool): void {
  outPicId = -1; outTl0 = -1;
  if (vp8PicId < 0 && vp8Tl0 < 0) return;
  const flags = layerFlags(r);
  const have = (flags & LF_PIC_SET) != 0;
  if (switched) {
    const pic = have ? <u32>load<u16>(r, L_LAST_PIC) + 1 - <u32>vp8PicId : 0;
    const tl0 = have ? <u32>load<u8>(r, L_LAST_TL0) + 1 - <u32>vp8Tl0 : 0;
    store<u16>(r, vp8PicId >= 0 ? <u16>(pic & 0x7FFF) : 0, L_PIC_OFF);
    store<u8>(r, vp8Tl0 >= 0 ? <u8>tl0 : 0, L_TL0_OFF);
  }
  if (vp8PicId >= 0) {
    const id = (<u32>vp8PicId + <u32>load<u16>(r, L_PIC_OFF)) & 0x7FFF;
    const mask: u32 = vp8PicIdLong ? 0x7FFF : 0x7F;
    if (!have || newer(id, load<u16>(r, L_LAST_PIC), mask)) store<u16>(r, <u16>id, L_LAST_PIC);
    outPicId = <i32>(id & mask);
  }
  if (vp8Tl0 >= 0) {
    const t = (<u32>vp8Tl0 + <u32>load<u8>(r, L_TL0_OFF)) & 0xFF;
    if (!have || newer(t, load<u8>(r, L_LAST_TL0), 0xFF)) store<u8>(r, <u8>t, L_LAST_TL0);
    outTl0 = <i32>t;
  }
  setLayerFlags(r, flags | LF_PIC_SET);
}
