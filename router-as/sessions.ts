// Session slots: open/close, PeerConnection start/hangup, the six valves and the per-session
// settings. Control calls only (serialized by the host); they store the state word
// atomically because packet calls on other threads read it. A slot is cleared only after a
// sync, when no packet call can still write it, and pushed back on the free stack after
// that, so a reused slot never sees state of its previous owner.

import { E_SLOT, E_FULL, E_ARG, MAX_STREAMS, MEDIUM_VIDEO, MEDIUM_DATA, DIR_OUT } from "./abi";
import {
  maxSessions, isOpen, stateOf, freePtr, freeTop, setFreeTop, gensPtr, sessionAt, streamAt, feedersAt,
  kindsAt, clearKinds, SESSION_SIZE, STREAM_SIZE, S_STATE, S_GEN, S_BITRATE, S_PLI_FREQ, ST_OPEN, ST_STARTED,
  ST_DATA_READY, ST_VALVE_SHIFT, ST_RECORD_SHIFT, ST_KINDS, T_LOCK, T_SHARED, T_SRC_KEY, T_PLI_FWD, T_PLI_PERIODIC,
} from "./layout";
import { detachRoutes } from "./routes";
import { mediaOpen, mediaUnpublish, mediaClear } from "./media-slots";
import { resumeSender, resumeRecipient } from "./resume";

export function sessionOpen(): i32 {
  const top = freeTop();
  if (maxSessions == 0 || top == 0) return E_FULL;
  setFreeTop(top - 1);
  const slot = <u32>load<u16>(freePtr + (<usize>(top - 1) << 1));
  newGeneration(slot);
  mediaOpen(slot);
  atomic.store<u32>(sessionAt(slot), ST_OPEN, S_STATE);
  return <i32>slot;
}

/** Generation 1..255, part of every switching-context key naming this slot as a source:
 *  bumped on open and hangup, so a context left by the slot's previous owner (or previous
 *  PeerConnection) never matches the new media, nor forwards keyframe requests to it. */
function newGeneration(slot: u32): void {
  let gen = <u32>load<u8>(gensPtr + slot) + 1;
  if (gen > 255) gen = 1;
  store<u8>(gensPtr + slot, <u8>gen);
  atomic.store<u32>(sessionAt(slot), gen, S_GEN);
}

export function sessionClose(slot: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  atomic.store<u32>(sessionAt(slot), 0, S_STATE); // its packets are dropped from here on
  mediaUnpublish(slot);
  detachRoutes(slot); // and after this sync no packet call touches its records
  mediaClear(slot, true);
  memory.fill(sessionAt(slot), 0, SESSION_SIZE);
  memory.fill(streamAt(slot, 0), 0, <usize>MAX_STREAMS * STREAM_SIZE);
  memory.fill(feedersAt(slot, 0), 0, <usize>MAX_STREAMS * 2);
  clearKinds(kindsAt(slot, 0));
  clearKinds(kindsAt(slot, 1));
  const top = freeTop();
  store<u16>(freePtr + (<usize>top << 1), <u16>slot);
  setFreeTop(top + 1);
  return 0;
}

export function sessionStart(slot: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  setStateBit(slot, ST_STARTED, true);
  return 0;
}

/** hangup_media: back to a freshly opened session, except its counters and its m-lines
 *  (the next SDP replaces them). */
export function sessionHangup(slot: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  const s = sessionAt(slot);
  atomic.store<u32>(s, ST_OPEN | (stateOf(slot) & ST_KINDS), S_STATE);
  atomic.store<u32>(s, 0, S_BITRATE);
  atomic.store<u32>(s, 0, S_PLI_FREQ);
  newGeneration(slot);
  mediaUnpublish(slot);
  detachRoutes(slot);
  mediaClear(slot, false);
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const t = streamAt(slot, m);
    store<u64>(t, 0, T_SRC_KEY); // switching context: next source starts fresh
    store<u32>(t, 0, T_LOCK);
    store<u32>(t, 0, T_SHARED);
    store<i64>(t, 0, T_PLI_FWD); // keyframe-request timers: never
    store<i64>(t, 0, T_PLI_PERIODIC);
    store<u16>(feedersAt(slot, m), 0);
  }
  return 0;
}

/** A valve. Reopening an audio/video valve first marks the recipient streams it paused
 *  to resume with continuous numbering (resume.ts), then opens it. */
export function setValve(slot: u32, medium: u32, dir: u32, on: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (medium > MEDIUM_DATA || dir > DIR_OUT) return E_ARG;
  const bit: u32 = 1 << (ST_VALVE_SHIFT + dir * 3 + medium);
  if (on != 0 && (stateOf(slot) & bit) == 0 && medium <= MEDIUM_VIDEO) {
    if (dir == DIR_OUT) resumeSender(slot, medium); else resumeRecipient(slot, medium);
  }
  setStateBit(slot, bit, on != 0);
  return 0;
}

export function setRecording(slot: u32, medium: u32, on: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (medium > MEDIUM_DATA) return E_ARG;
  setStateBit(slot, 1 << (ST_RECORD_SHIFT + medium), on != 0);
  return 0;
}

export function setDataReady(slot: u32, on: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  setStateBit(slot, ST_DATA_READY, on != 0);
  return 0;
}

export function setBitrate(slot: u32, bps: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  atomic.store<u32>(sessionAt(slot), bps, S_BITRATE);
  return 0;
}

export function setPliFreq(slot: u32, ms: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  atomic.store<u32>(sessionAt(slot), ms, S_PLI_FREQ);
  return 0;
}

/** Bits of docs/router-abi.md (0 for a closed slot), E_SLOT out of range. */
export function sessionState(slot: u32): i32 {
  if (slot >= maxSessions) return E_SLOT;
  return <i32>(stateOf(slot) & ~ST_KINDS);
}

function setStateBit(slot: u32, bit: u32, on: bool): void {
  const v = stateOf(slot);
  atomic.store<u32>(sessionAt(slot), on ? v | bit : v & ~bit, S_STATE);
}
