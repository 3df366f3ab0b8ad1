// Session slots: open/close, PeerConnection start/hangup, the six valves and the per-session
// settings. A slot is pushed back on the free stack only after its records are cleared, so
// a reused slot never sees state of its previous owner.

import { E_SLOT, E_FULL, E_ARG, MAX_STREAMS, MEDIUM_DATA, DIR_OUT } from "./abi";
import {
  maxSessions, isOpen, stateOf, freePtr, freeTop, setFreeTop, gensPtr, sessionAt, streamAt, clearKinds, SESSION_SIZE,
  STREAM_SIZE, S_STATE, S_GEN, S_BITRATE, S_PLI_FREQ, ST_OPEN, ST_STARTED,
  ST_DATA_READY, ST_VALVE_SHIFT, ST_RECORD_SHIFT, T_SRC_KEY, T_FLAGS,
} from "./layout";
import { removeRoutesFrom, removeRoutesTo } from "./routes";

export function sessionOpen(): i32 {
  if (freeTop == 0) return E_FULL;
  const top = freeTop - 1;
  setFreeTop(top);
  const slot = <u32>load<u16>(freePtr + (<usize>top << 1));
  const s = sessionAt(slot);
  store<u32>(s, ST_OPEN, S_STATE);
  newGeneration(slot);
  return <i32>slot;
}

/** Generation 1..255, part of every switching-context key naming this slot as a source:
 *  bumped on open and hangup, so a context left by the slot's previous owner (or previous
 *  PeerConnection) never matches the new media, nor forwards keyframe requests to it. */
function newGeneration(slot: u32): void {
  let gen = <u32>load<u8>(gensPtr + slot) + 1;
  if (gen > 255) gen = 1;
  store<u8>(gensPtr + slot, <u8>gen);
  store<u32>(sessionAt(slot), gen, S_GEN);
}

export function sessionClose(slot: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  removeRoutesFrom(slot);
  removeRoutesTo(slot);
  memory.fill(sessionAt(slot), 0, SESSION_SIZE);
  memory.fill(streamAt(slot, 0), 0, <usize>MAX_STREAMS * STREAM_SIZE);
  clearKinds(slot);
  store<u16>(freePtr + (<usize>freeTop << 1), <u16>slot);
  setFreeTop(freeTop + 1);
  return 0;
}

export function sessionStart(slot: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  const s = sessionAt(slot);
  store<u32>(s, load<u32>(s, S_STATE) | ST_STARTED, S_STATE);
  return 0;
}

/** hangup_media: back to a freshly opened session, except its counters and its m-lines
 *  (the next SDP replaces them). */
export function sessionHangup(slot: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  removeRoutesFrom(slot);
  removeRoutesTo(slot);
  const s = sessionAt(slot);
  store<u32>(s, ST_OPEN, S_STATE);
  store<u32>(s, 0, S_BITRATE);
  store<u32>(s, 0, S_PLI_FREQ);
  newGeneration(slot);
  for (let m: u32 = 0; m < MAX_STREAMS; m++) {
    const t = streamAt(slot, m);
    store<u64>(t, 0, T_SRC_KEY); // switching context: next source starts fresh
    store<u32>(t, 0, T_FLAGS); // keyframe-request timers: never
  }
  return 0;
}

export function setValve(slot: u32, medium: u32, dir: u32, on: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  if (medium > MEDIUM_DATA || dir > DIR_OUT) return E_ARG;
  setStateBit(slot, 1 << (ST_VALVE_SHIFT + dir * 3 + medium), on != 0);
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
  store<u32>(sessionAt(slot), bps, S_BITRATE);
  return 0;
}

export function setPliFreq(slot: u32, ms: u32): i32 {
  if (!isOpen(slot)) return E_SLOT;
  store<u32>(sessionAt(slot), ms, S_PLI_FREQ);
  return 0;
}

/** Bits of docs/router-abi.md (0 for a closed slot), E_SLOT out of range. */
export function sessionState(slot: u32): i32 {
  if (slot >= maxSessions) return E_SLOT;
  return <i32>stateOf(slot);
}

function setStateBit(slot: u32, bit: u32, on: bool): void {
  const s = sessionAt(slot);
  const v = load<u32>(s, S_STATE);
  store<u32>(s, on ? v | bit : v & ~bit, S_STATE);
}
