// One recipient stream of a layered video packet: layer selection (layers.ts), then the
// seq/ts switching context (switching.ts) for a relayed packet or the seq-gap closing for
// a dropped one of the same source, then the VP8 picture-id continuity. The packet must
// have been described first (sender.ts: describePacket); nothing here depends on where the
// two records live. Results: the L_* bits, and for a relay fwdSeq/fwdTs (from
// switching.ts), outPicId/outTl0 (picture-ids.ts; -1 when absent) and fwdNewSource.

import { rewrite, outSeq, outTs, SAME_SOURCE, NEW_SOURCE } from "../switching";
import { pkCodec, pkPayload, CODEC_VP8 } from "./sender";
import { selectLayers, L_RELAY, L_SHIFT } from "./layers";
import { vp8Continue, clearPictureIds, outPicId, outTl0 } from "./picture-ids";
import { closeSeqGap } from "./seq-gap";

export let fwdSeq: u32 = 0;
export let fwdTs: u32 = 0;
/** The recipient stream had another source before this relay (MARK_SWITCH in router ABI v1). */
export let fwdNewSource: bool = false;

/**
 * Decides for layers record `r` and switching context `t` of one recipient stream, for the
 * described packet of source `key` with header fields seq/ts; `clock` 90000 for video,
 * `reask` ms between keyframe requests while waiting for a switch.
 */
export function forwardLayered(r: usize, t: usize, key: u64, seq: u32, ts: u32, now: i64, clock: u64, reask: i64): u32 {
  const f = selectLayers(r, now, reask);
  fwdNewSource = false;
  clearPictureIds();
  if (f & L_RELAY) {
    const res = rewrite(t, key, seq, ts, now, clock);
    fwdSeq = outSeq;
    fwdTs = outTs;
    fwdNewSource = res == NEW_SOURCE;
    if (pkCodec == CODEC_VP8 && pkPayload != 0) vp8Continue(r, res != SAME_SOURCE);
  } else if (f & L_SHIFT) {
    closeSeqGap(t, key, seq);
  }
  return f;
}

export { outPicId, outTl0 };
