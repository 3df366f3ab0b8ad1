// The RTP packet call: sender checks, then RECORD, periodic PLI and the fan-out to the
// routes (fanout.ts). A stream with media state (T_MEDIA: simulcast/SVC layers, talk
// detection, RTP forwarders) takes routeMedia instead, out of line, so the common path pays
// one byte load for all of them.
// The sender's own records are written plainly (only its thread sends).

import { MAX_PACKET_LEN, MAX_STREAMS, MEDIUM_VIDEO, MEDIUM_AUDIO, K_RECORD, F_VIDEO, D_BAD_SLOT, D_OVERSIZE, D_MALFORMED, D_VALVE } from "./abi";
import {
  inPtr, maxSessions, sessionAt, streamAt, bump, bumpGlobal, S_STATE, S_PLI_FREQ, S_ROUTES, ST_OPEN,
  ST_VALVE_SHIFT, ST_RECORD_SHIFT, SC_DROPS_VALVE_IN, SC_DROPS_MALFORMED, T_PACKETS_IN, T_BYTES_IN,
  T_DROPS_VALVE_IN, T_MEDIA, T_FWDS, M_LAYERED, M_TALK, M_FWDS, G_CALLS, G_DROPS_BAD_SLOT, G_DROPS_OVERSIZE,
  G_DROPS_MALFORMED,
} from "./layout";
import { validRtp } from "./rtp";
import { periodicKeyframe } from "./keyframes";
import { emit, finish } from "./decisions";
import { fanOut } from "./fanout";
import { forwardPacket } from "./forwarders";
import { describeLayered, fanOutLayered } from "./layered";
import { talkPacket } from "./talk";
import { pkSub } from "./media/sender";

/** `level`: the packet's audio level as Janus parsed it (level | vad << 7), -1 without one. */
@inline export function routeRtp(slot: u32, mindex: u32, video: u32, len: u32, now: i64, level: i32): i32 {
  bumpGlobal(G_CALLS);
  if (slot >= maxSessions || (load<u32>(sessionAt(slot), S_STATE) & ST_OPEN) == 0) {
    bumpGlobal(G_DROPS_BAD_SLOT);
    return D_BAD_SLOT;
  }
  if (len > MAX_PACKET_LEN || mindex >= MAX_STREAMS) { bumpGlobal(G_DROPS_OVERSIZE); return D_OVERSIZE; }
  const s = sessionAt(slot);
  const st = streamAt(slot, mindex);
  bump(st + T_PACKETS_IN); // the session's rtp_in/rtp_bytes_in are their sums (stats.ts)
  bump(st + T_BYTES_IN, <u64>len);
  if (!validRtp(inPtr, len)) {
    bumpGlobal(G_DROPS_MALFORMED);
    bump(s + SC_DROPS_MALFORMED);
    return D_MALFORMED;
  }
  const isVideo = video != 0;
  const medium = isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO;
  const state = load<u32>(s, S_STATE);
  if ((state & (1 << (ST_VALVE_SHIFT + 3 + medium))) == 0) {
    bump(s + SC_DROPS_VALVE_IN);
    bump(st + T_DROPS_VALVE_IN);
    return D_VALVE;
  }
  const media = <u32>load<u8>(st, T_MEDIA);
  if (media != 0) return routeMedia(slot, mindex, isVideo, len, now, level, media);
  let n = prologue(slot, mindex, isVideo, state, now);
  const routes = load<u32>(s, S_ROUTES);
  if ((routes & 0xFFFF) != 0) n = fanOut(n, slot, mindex, isVideo, len, routes, now);
  return finish(n);
}

/** RECORD (if recording) and the periodic keyframe request (video, if pli_freq elapsed). */
@inline function prologue(slot: u32, mindex: u32, isVideo: bool, state: u32, now: i64): u32 {
  let n: u32 = 0;
  if (state & (1 << (ST_RECORD_SHIFT + (isVideo ? MEDIUM_VIDEO : MEDIUM_AUDIO)))) {
    n = emit(n, K_RECORD, mindex, 0, slot, 0, isVideo ? F_VIDEO : 0);
  }
  if (isVideo) {
    const freq = load<u32>(sessionAt(slot), S_PLI_FREQ);
    if (freq != 0) n = periodicKeyframe(n, slot, mindex, freq, now);
  }
  return n;
}

/** A packet of a stream with media state: described first (a packet the layers cannot
 *  place is dropped, counted), its audio level fed to talk detection, then fanned out. */
function routeMedia(slot: u32, mindex: u32, isVideo: bool, len: u32, now: i64, level: i32, media: u32): i32 {
  const layered = isVideo && (media & M_LAYERED) != 0;
  if (layered) {
    const rc = describeLayered(slot, mindex, len, now);
    if (rc < 0) return rc;
  }
  const s = sessionAt(slot);
  let n = prologue(slot, mindex, isVideo, load<u32>(s, S_STATE), now);
  if (!isVideo && (media & M_TALK) != 0 && level >= 0) n = talkPacket(n, slot, mindex, <u32>level, now);
  const routes = load<u32>(s, S_ROUTES);
  if ((routes & 0xFFFF) != 0) {
    n = layered ? fanOutLayered(n, slot, mindex, len, routes, now) : fanOut(n, slot, mindex, isVideo, len, routes, now);
  }
  if (media & M_FWDS) {
    const fwds = load<u64>(streamAt(slot, mindex), T_FWDS);
    n = forwardPacket(n, slot, mindex, isVideo, layered ? pkSub : -1, len, fwds, now);
  }
  return finish(n);
}
