// The datachannel call: nothing is copied, the router only decides. Relayed on every-stream
// routes (src_mindex 255) to recipients with the `in` data valve open and the channel ready.
// Recipient counters are shared by every sender thread: atomic adds.

import { K_RELAY_DATA, K_RECORD, EVERY_STREAM, MEDIUM_DATA, DIR_IN, DIR_OUT, D_BAD_SLOT, D_VALVE } from "./abi";
import {
  isOpen, stateOf, sessionAt, routeList, bump, bumpShared, bumpGlobal, ROUTE_SIZE, S_ROUTES,
  ST_DATA_READY, ST_VALVE_SHIFT, ST_RECORD_SHIFT, SC_DATA_IN, SC_DATA_OUT, SC_DROPS_VALVE_IN,
  SC_DROPS_VALVE_DATA, G_CALLS, G_DROPS_BAD_SLOT,
} from "./layout";
import { emit, finish } from "./decisions";

const OUT_VALVE: u32 = 1 << (ST_VALVE_SHIFT + DIR_OUT * 3 + MEDIUM_DATA);
const IN_MASK: u32 = ST_DATA_READY | (1 << (ST_VALVE_SHIFT + DIR_IN * 3 + MEDIUM_DATA));

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
    if ((r & 0xFF) != EVERY_STREAM) continue;
    const dst = r >>> 16;
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
