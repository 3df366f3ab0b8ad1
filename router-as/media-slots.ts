// The media parts of a slot's life (sessions.ts calls these): layer targets at open; at
// hangup and close, media records and forwarders unpublished before the grace period that
// detaching the routes waits for, and cleared after it.

import { MAX_STREAMS } from "./abi";
import { streamAt, mediaAt, codecsAt, T_MEDIA, T_FWDS, T_LAYERS, T_LAYERS_SRC, MEDIA_SIZE, CODECS_SIZE } from "./layout";
import { layersReset, layersRestart } from "./media/layers";
import { releaseForwarders } from "./forwarders";

/** A newly opened slot: every recipient stream aims at the top layers. */
export function mediaOpen(slot: u32): void {
  for (let m: u32 = 0; m < MAX_STREAMS; m++) layersReset(streamAt(slot, m) + T_LAYERS);
}

/** Before the grace period of a hangup or close: the sending thread stops reading the
 *  slot's media records and forwarders. */
export function mediaUnpublish(slot: u32): void {
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const st = streamAt(slot, m);
    atomic.store<u8>(st, 0, T_MEDIA);
    atomic.store<u64>(st, 0, T_FWDS);
  }
}

/** After it: media records and forwarders cleared, recipient layer state restarted (targets
 *  kept); on close the codec tables too (a hangup keeps them with the m-lines). */
export function mediaClear(slot: u32, closing: bool): void {
  releaseForwarders(slot);
  memory.fill(mediaAt(slot, 0), 0, <usize>MAX_STREAMS * MEDIA_SIZE);
  if (closing) memory.fill(codecsAt(slot, 0), 0, <usize>MAX_STREAMS * CODECS_SIZE);
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const st = streamAt(slot, m);
    layersRestart(st + T_LAYERS);
    store<u32>(st, 0, T_LAYERS_SRC);
  }
}
