// The datachannel call: nothing is copied, the router only decides. Relayed on every-stream
// routes (src_mindex 255) to recipients with the `in` data valve open and the channel ready.

import { K_RELAY_DATA, K_RECORD, EVERY_STREAM, MEDIUM_DATA, DIR_IN, DIR_OUT, D_BAD_SLOT, D_VALVE } from "./abi";
import {
  isOpen, sessionAt, routesOf, bump, bumpGlobal, ROUTE_SIZE, S_STATE, S_ROUTE_COUNT,
  ST_DATA_READY, ST_VALVE_SHIFT, ST_RECORD_SHIFT, SC_DATA_IN, SC_DATA_OUT, SC_DROPS_VALVE,
  G_CALLS, G_DROPS_BAD_SLOT,
} from "./layout";
import { emit, finish } from "./decisions";

const OUT_VALVE: u32 = 1 << (ST_VALVE_SHIFT + DIR_OUT * 3 + MEDIUM_DATA);
const IN_MASK: u32 = ST_DATA_READY | (1 << (ST_VALVE_SHIFT + DIR_IN * 3 + MEDIUM_DATA));

export function routeData(slot: u32, len: u32, binary: u32, now: i64): i32 {
  bumpGlobal(G_CALLS);
  if (!isOpen(slot)) { bumpGlobal(G_DROPS_BAD_SLOT); return D_BAD_SLOT; }
  const s = sessionAt(slot);
  bump(s + SC_DATA_IN);
  const state = load<u32>(s, S_STATE);
  if ((state & OUT_VALVE) == 0) {
    bump(s + SC_DROPS_VALVE);
    return D_VALVE;
  }
  let n: u32 = 0;
  if (state & (1 << (ST_RECORD_SHIFT + MEDIUM_DATA))) {
    n = emit(n, K_RECORD, EVERY_STREAM, 0, slot, 0, 0);
  }
  const count = load<u32>(s, S_ROUTE_COUNT);
  const list = routesOf(slot);
  for (let i: u32 = 0; i < count; i++) {
    const r = load<u32>(list + <usize>i * ROUTE_SIZE);
    if ((r & 0xFF) != EVERY_STREAM) continue;
    const dst = r >>> 16;
    const ds = sessionAt(dst);
    if ((load<u32>(ds, S_STATE) & IN_MASK) != IN_MASK) {
      bump(ds + SC_DROPS_VALVE);
      continue;
    }
    n = emit(n, K_RELAY_DATA, EVERY_STREAM, 0, dst, 0, 0);
    bump(ds + SC_DATA_OUT);
  }
  return finish(n);
}
