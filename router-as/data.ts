// The datachannel call: nothing is copied, the router only decides. Janus gives a
// PeerConnection one datachannel m-line, so a message belongs to it: it is relayed on
// every-stream routes (src_mindex 255) and on stream routes whose sender m-line is the
// sender's active datachannel m-line (as set_streams gave it), to recipients with the `in`
// data valve open and the channel ready. A stream route into a recipient m-line known not to
// be an active datachannel carries nothing (drops_nostream). Recipient counters are shared
// by every sender thread: atomic adds.

import {
  K_RELAY_DATA, K_RECORD, EVERY_STREAM, MEDIUM_DATA, DIR_IN, DIR_OUT, D_BAD_SLOT, D_VALVE, SD_ACTIVE,
  SD_KIND_MASK, KIND_DATA,
} from "./abi";
import {
  isOpen, stateOf, sessionAt, streamAt, routeList, bump, bumpShared, bumpGlobal, ROUTE_SIZE, S_ROUTES,
  S_STREAM_COUNT, T_DESC, ST_DATA_READY, ST_VALVE_SHIFT, ST_RECORD_SHIFT, SC_DATA_IN, SC_DATA_OUT,
  SC_DROPS_VALVE_IN, SC_DROPS_VALVE_DATA, SC_DROPS_NOSTREAM, G_CALLS, G_DROPS_BAD_SLOT,
} from "./layout";
import { emit, finish } from "./decisions";

const OUT_VALVE: u32 = 1 << (ST_VALVE_SHIFT + DIR_OUT * 3 + MEDIUM_DATA);
const IN_MASK: u32 = ST_DATA_READY | (1 << (ST_VALVE_SHIFT + DIR_IN * 3 + MEDIUM_DATA));
const DATA_LINE: u32 = SD_ACTIVE | KIND_DATA;

/** Whether m-line `m` of `slot` is an active datachannel m-line (as set_streams gave it). */
@inline function isDataLine(slot: u32, m: u32): bool {
  return (<u32>load<u8>(streamAt(slot, m) + T_DESC) & (SD_ACTIVE | SD_KIND_MASK)) == DATA_LINE;
}

/** Whether a stream route (m → dm of `dst`) carries datachannel messages: m is the sender's
 *  datachannel m-line and dm is the recipient's, or the recipient's m-lines are not known. */
@inline function carriesData(slot: u32, m: u32, dst: u32, dm: u32): bool {
  if (!isDataLine(slot, m)) return false;
  if (load<u32>(sessionAt(dst), S_STREAM_COUNT) == 0 || isDataLine(dst, dm)) return true;
  bumpShared(sessionAt(dst) + SC_DROPS_NOSTREAM);
  return false;
}

@inline export function routeData(slot: u32, len: u32, binary: u32, now: i64): i32 {
  bumpGlobal(G_CALLS);
  if (!isOpen(slot)) { bumpGlobal(G_DROPS_BAD_SLOT); return D_BAD_SLOT; }
  const s = sessionAt(slot);
  bump(s + SC_DATA_IN);
  const state = stateOf(slot);
  if ((state & OUT_VALVE) == 0) {
    bump(s + SC_DROPS_VALVE_IN);
    return D_VALVE;
  }
  let n: u32 = 0;
  if (state & (1 << (ST_RECORD_SHIFT + MEDIUM_DATA))) {
    n = emit(n, K_RECORD, EVERY_STREAM, 0, slot, 0, 0);
  }
  const routes = atomic.load<u32>(s, S_ROUTES);
  const count = routes & 0xFFFF;
  const list = routeList(slot, routes >>> 16);
  for (let i: u32 = 0; i < count; i++) {
    const r = load<u32>(list + <usize>i * ROUTE_SIZE);
    const dst = r >>> 16;
    const m = r & 0xFF;
    if (m != EVERY_STREAM && !carriesData(slot, m, dst, (r >>> 8) & 0xFF)) continue;
    const ds = sessionAt(dst);
    if ((stateOf(dst) & IN_MASK) != IN_MASK) {
      bumpShared(ds + SC_DROPS_VALVE_DATA);
      continue;
    }
    n = emit(n, K_RELAY_DATA, EVERY_STREAM, 0, dst, 0, 0);
    bumpShared(ds + SC_DATA_OUT);
  }
  return finish(n);
}
