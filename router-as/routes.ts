// Stream routes: for each sender slot, a list of (src_mindex, dst_mindex, dst_slot) records
// (layout.ts). src_mindex 255 = every stream of the sender to the recipient's stream of the
// same kind (Lua addRecipient; streams.ts). Removal swaps the last record into the hole: order is not
// kept, lists stay dense so the packet path walks `count` records and nothing else.

import { E_SLOT, E_FULL, E_DUP, E_NOROUTE, E_ARG, MAX_STREAMS, EVERY_STREAM } from "./abi";
import {
  maxSessions, maxRoutes, isOpen, sessionAt, routesOf, ROUTE_SIZE, S_ROUTE_COUNT,
} from "./layout";
import { streamResolve } from "./streams";

@inline export function routeCount(slot: u32): u32 {
  return load<u32>(sessionAt(slot), S_ROUTE_COUNT);
}
@inline function setRouteCount(slot: u32, n: u32): void {
  store<u32>(sessionAt(slot), n, S_ROUTE_COUNT);
}
@inline function pack(srcM: u32, dstM: u32, dst: u32): u32 {
  return srcM | (dstM << 8) | (dst << 16);
}

/** E_ARG unless both indexes are streams, or both are 255. */
@inline function validPair(srcM: u32, dstM: u32): bool {
  if (srcM == EVERY_STREAM) return dstM == EVERY_STREAM;
  return srcM < MAX_STREAMS && dstM < MAX_STREAMS;
}

/** Whether the every-stream route src→dst takes src's stream m to dst's stream dm now. */
@inline function everyStreamTakes(src: u32, m: u32, dst: u32, dm: u32): bool {
  return streamResolve(src, m, dst) == <i32>dm;
}

export function routeAdd(src: u32, srcM: u32, dst: u32, dstM: u32): i32 {
  if (!isOpen(src) || !isOpen(dst)) return E_SLOT;
  if (!validPair(srcM, dstM)) return E_ARG;
  const list = routesOf(src);
  const n = routeCount(src);
  const want = pack(srcM, dstM, dst);
  // A stream route m→dm next to an every-stream route that takes m to dm now (or the
  // reverse) would relay the same packets twice to the same recipient stream: refused like
  // an exact duplicate.
  const every = pack(EVERY_STREAM, EVERY_STREAM, dst);
  for (let i: u32 = 0; i < n; i++) {
    const r = load<u32>(list + <usize>i * ROUTE_SIZE);
    if (r == want) return E_DUP;
    if (r == every && srcM != EVERY_STREAM && everyStreamTakes(src, srcM, dst, dstM)) return E_DUP;
    if (want == every && (r >>> 16) == dst && (r & 0xFF) != EVERY_STREAM &&
        everyStreamTakes(src, r & 0xFF, dst, (r >>> 8) & 0xFF)) return E_DUP;
  }
  if (n >= maxRoutes) return E_FULL;
  store<u32>(list + <usize>n * ROUTE_SIZE, want);
  setRouteCount(src, n + 1);
  return 0;
}

export function routeRemove(src: u32, srcM: u32, dst: u32, dstM: u32): i32 {
  if (!isOpen(src)) return E_SLOT;
  if (srcM > 0xFF || dstM > 0xFF || dst > 0xFFFF) return E_NOROUTE;
  const list = routesOf(src);
  const n = routeCount(src);
  const want = pack(srcM, dstM, dst);
  for (let i: u32 = 0; i < n; i++) {
    const p = list + <usize>i * ROUTE_SIZE;
    if (load<u32>(p) == want) {
      store<u32>(p, load<u32>(list + <usize>(n - 1) * ROUTE_SIZE));
      setRouteCount(src, n - 1);
      return 0;
    }
  }
  return E_NOROUTE;
}

export function removeRoutesFrom(slot: u32): void {
  setRouteCount(slot, 0);
}

/** Removes every route whose recipient is `dst`, from every open sender. */
export function removeRoutesTo(dst: u32): void {
  for (let s: u32 = 0; s < maxSessions; s++) {
    let n = routeCount(s); // 0 for closed slots
    if (n == 0) continue;
    const list = routesOf(s);
    let i: u32 = 0;
    while (i < n) {
      const p = list + <usize>i * ROUTE_SIZE;
      if ((load<u32>(p) >>> 16) == dst) {
        n--;
        store<u32>(p, load<u32>(list + <usize>n * ROUTE_SIZE));
      } else {
        i++;
      }
    }
    setRouteCount(s, n);
  }
}

export function routeCountOf(slot: u32): i32 {
  if (slot >= maxSessions) return E_SLOT;
  return <i32>routeCount(slot);
}

export function routesPtrOf(slot: u32): usize {
  if (slot >= maxSessions) return 0;
  return routesOf(slot);
}
