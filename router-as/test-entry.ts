// Test-only entry: exports the codec parsers and the layer/talk state machines of
// codecs/ and media/ one by one, for test/router/codecs-*.test.ts. Built to
// router-as/build/router-codecs.wasm (router-as/codecs.asconfig.json, same options as the
// release router); router.wasm and its ABI do not change.
//
// Memory for the tests: `scratch()` is a static area for records and copies; packets go at
// the very end of linear memory (`mem_end() - len`), so a read past a packet's end traps
// and fails the test. Results of a parse are written as i32s at `res()`.

import { STREAM_SIZE } from "./layout";
import { sourceKey } from "./switching";
import { rtpPayload, payloadLen, findExtension, extLen } from "./codecs/rtp-ext";
import { audioLevel } from "./codecs/audiolevel";
import {
  vp8Parse, vp8Rewrite, vp8Start, vp8Key, vp8PicId, vp8PicIdLong, vp8PicIdOff, vp8Tl0, vp8Tl0Off,
  vp8Tid, vp8Sync,
} from "./codecs/vp8";
import {
  vp9Parse, vp9Start, vp9End, vp9Inter, vp9Flexible, vp9HasLayers, vp9Tid, vp9Sid, vp9SwitchUp,
  vp9InterLayer, vp9PicId, vp9Key,
} from "./codecs/vp9";
import { h264Frame } from "./codecs/h264";
import {
  senderReset, senderSetCodec, senderSetSsrc, senderSetRid, describePacket, malformedCount,
  pkSub, pkAlive, pkKey, pkLayerStart, pkPictureStart, pkEnd, pkTid, pkSync, pkSid, pkInter,
  pkPayload,
} from "./media/sender";
import { layersReset, layersSetTargets, layerSub, layerTemporal, layerSpatial, L_RELAY, L_MARKER, LAYERS_SIZE } from "./media/layers";
import { forwardLayered, fwdSeq, fwdTs, outPicId, outTl0 } from "./media/forward";
import { talkConfigure, talkReset, talkUpdate, talkIsTalking, talkAverage, talkScore } from "./media/talking";

const SCRATCH_SIZE: i32 = 65536;
const SCRATCH: usize = memory.data(SCRATCH_SIZE, 64);
const RES: usize = memory.data(64, 8);

export function scratch(): usize { return SCRATCH; }
export function scratch_size(): i32 { return SCRATCH_SIZE; }
export function res(): usize { return RES; }
export function mem_end(): usize { return <usize>memory.size() << 16; }

@inline function put(i: u32, v: i32): void { store<i32>(RES + (<usize>i << 2), v); }

// ---- codecs ----
export function t_payload(p: usize, len: u32): u32 { const o = rtpPayload(p, len); put(0, <i32>payloadLen); return o; }
export function t_find_ext(p: usize, len: u32, id: u32): u32 { const o = findExtension(p, len, id); put(0, <i32>extLen); return o; }
export function t_audio_level(p: usize, len: u32, id: u32): i32 { return audioLevel(p, len, id); }
export function t_h264(pl: usize, plen: u32): i32 { return h264Frame(pl, plen); }

/** vp8Parse; RES: start, key, picId, long, picIdOff, tl0, tl0Off, tid, sync. */
export function t_vp8(pl: usize, plen: u32): i32 {
  const n = vp8Parse(pl, plen);
  put(0, <i32>vp8Start); put(1, <i32>vp8Key); put(2, vp8PicId); put(3, <i32>vp8PicIdLong);
  put(4, <i32>vp8PicIdOff); put(5, vp8Tl0); put(6, <i32>vp8Tl0Off); put(7, vp8Tid); put(8, <i32>vp8Sync);
  return n;
}
export function t_vp8_rewrite(pl: usize, id: u32, tl0: u32): void { vp8Rewrite(pl, id, tl0); }

/** vp9Parse; RES: start, end, inter, flexible, hasLayers, tid, sid, switchUp, interLayer, picId, key. */
export function t_vp9(pl: usize, plen: u32): i32 {
  const n = vp9Parse(pl, plen);
  put(0, <i32>vp9Start); put(1, <i32>vp9End); put(2, <i32>vp9Inter); put(3, <i32>vp9Flexible);
  put(4, <i32>vp9HasLayers); put(5, <i32>vp9Tid); put(6, <i32>vp9Sid); put(7, <i32>vp9SwitchUp);
  put(8, <i32>vp9InterLayer); put(9, vp9PicId); put(10, <i32>vp9Key);
  return n;
}

// ---- sender records ----
export function t_sender_reset(r: usize): void { senderReset(r); }
export function t_sender_codec(r: usize, codec: u32): bool { return senderSetCodec(r, codec); }
export function t_sender_ssrc(r: usize, i: u32, ssrc: u32): bool { return senderSetSsrc(r, i, ssrc); }
export function t_sender_rid(r: usize, i: u32, src: usize, n: u32, ext: u32): bool { return senderSetRid(r, i, src, n, ext); }
export function t_sender_malformed(r: usize): u64 { return malformedCount(r); }

// The described packet's source: its SSRC as from sender slot 0, mindex 0, generation 1.
let pkKeyValue: u64 = 0;
let pkSeq: u32 = 0;
let pkTs: u32 = 0;

/** describePacket; RES: sub, alive, key, layerStart, pictureStart, end, tid, sync, sid, inter. */
export function t_describe(r: usize, p: usize, len: u32, now: i64, timeout: i64): i32 {
  const rc = describePacket(r, p, len, now, timeout);
  if (rc == 0) {
    pkKeyValue = sourceKey(bswap<u32>(load<u32>(p, 8)), 0, 0, 1);
    pkSeq = <u32>bswap<u16>(load<u16>(p, 2));
    pkTs = bswap<u32>(load<u32>(p, 4));
  }
  put(0, pkSub); put(1, <i32>pkAlive); put(2, <i32>pkKey); put(3, <i32>pkLayerStart);
  put(4, <i32>pkPictureStart); put(5, <i32>pkEnd); put(6, pkTid); put(7, <i32>pkSync);
  put(8, pkSid); put(9, <i32>pkInter);
  return rc;
}

// ---- recipient records ----
export function t_layers_reset(r: usize): void { layersReset(r); }
export function t_layers_targets(r: usize, sub: u32, temporal: u32, spatial: u32): bool {
  return layersSetTargets(r, sub, temporal, spatial);
}
/** RES: current substream, temporal layer, spatial layer (255 = none). */
export function t_layers_state(r: usize): void { put(0, <i32>layerSub(r)); put(1, <i32>layerTemporal(r)); put(2, <i32>layerSpatial(r)); }
export function t_switch_reset(t: usize): void { memory.fill(t, 0, STREAM_SIZE); }
export function t_switch_size(): u32 { return STREAM_SIZE; }

/**
 * A model host for one recipient of the packet last described at `src` (`len` bytes):
 * forwardLayered, then, for a relay, a copy at `dst` with the recipient's seq, ts, marker
 * and VP8 picture id / TL0PICIDX written in (what host-c does per relay). Returns the L_* bits.
 */
export function t_forward(r: usize, t: usize, src: usize, len: u32, dst: usize, now: i64, reask: i64): u32 {
  const f = forwardLayered(r, t, pkKeyValue, pkSeq, pkTs, now, 90000, reask);
  if ((f & L_RELAY) == 0) return f;
  memory.copy(dst, src, len);
  store<u16>(dst, bswap<u16>(<u16>fwdSeq), 2);
  store<u32>(dst, bswap<u32>(fwdTs), 4);
  if (f & L_MARKER) store<u8>(dst, load<u8>(dst, 1) | 0x80, 1);
  if (outPicId >= 0 || outTl0 >= 0) vp8Rewrite(dst + pkPayload, <u32>outPicId, <u32>outTl0);
  return f;
}

/**
 * For measurements: describes the packet at `src` once and forwards it to `n` recipients
 * whose layers records start at `layers` (LAYERS_SIZE apart) and switching contexts at
 * `sws` (STREAM_SIZE apart), as the router's loop will; returns how many relayed.
 */
export function t_fanout(sender: usize, layers: usize, sws: usize, n: u32, src: usize, len: u32, now: i64, reask: i64): u32 {
  if (describePacket(sender, src, len, now, 250) != 0) return 0;
  const key = sourceKey(bswap<u32>(load<u32>(src, 8)), 0, 0, 1);
  const seq = <u32>bswap<u16>(load<u16>(src, 2));
  const ts = bswap<u32>(load<u32>(src, 4));
  let relayed: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const f = forwardLayered(layers + <usize>i * LAYERS_SIZE, sws + <usize>i * STREAM_SIZE, key, seq, ts, now, 90000, reask);
    if (f & L_RELAY) relayed++;
  }
  return relayed;
}

// ---- talk detection ----
export function t_talk_config(r: usize, window: u32, threshold: u32): bool { return talkConfigure(r, window, threshold); }
export function t_talk_reset(r: usize): void { talkReset(r); }
export function t_talk_update(r: usize, level: u32, now: i64): u32 { return talkUpdate(r, level, now); }
export function t_talk_talking(r: usize): bool { return talkIsTalking(r); }
export function t_talk_average(r: usize): u32 { return talkAverage(r); }
export function t_talk_score(r: usize, now: i64, maxAge: i64): i32 { return talkScore(r, now, maxAge); }
