// Closing the sequence-number gap a dropped packet would leave: when a recipient stream
// drops a packet of the very source it relays (a temporal or spatial layer above its cap),
// its seq offset moves back by one, so the next relayed packet takes the dropped packet's
// number and the decoder sees no loss (and sends no NACK for it). Only a packet newer than
// the last relayed one moves the offset: a late one has no number reserved any more.
// Works on the switching context of switching.ts (record layout in layout.ts).

import { T_SRC_KEY, T_SEQ_OFF, T_LAST_SEQ } from "../layout";

/** Drops packet `seq` of source `key` for recipient stream record `t`; true if the offset moved. */
export function closeSeqGap(t: usize, key: u64, seq: u32): bool {
  if (load<u64>(t, T_SRC_KEY) != key) return false;
  const off = <u32>load<u16>(t, T_SEQ_OFF);
  const s = (seq + off) & 0xFFFF;
  if (<i16>(s - <u32>load<u16>(t, T_LAST_SEQ)) <= 0) return false;
  store<u16>(t, <u16>(off - 1), T_SEQ_OFF);
  return true;
}
