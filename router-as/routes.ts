// Stream routes: for each sender slot, a list of (src_mindex, dst_mindex, dst_slot) records
// (layout.ts). src_mindex 255 = every stream of the sender to the recipient's stream of the
// same kind (Lua addRecipient; streams.ts). Removal swaps the last record into the hole:
// order is not kept, lists stay dense so the packet path walks `count` records and nothing
// else.
//
// Publication: each sender has two list buffers. A change writes the buffer that is not
// published, then publishes it with one atomic store of `count | buffer << 16` (S_ROUTES);
// a packet call reads that word once and walks a list nobody writes. Before a later change
// writes the old buffer again, a host sync must have passed since the publication (packet
// calls may still walk it until then): published_at records the sync epoch of the last
// publication, and a change syncs first only if no sync came since. Control calls are
// serialized by the host, so only one change is under way at a time.
//
// Feeders: how many routes can feed each recipient stream (an every-stream route counts for
// all of its recipient's streams). Above 1 the stream is `shared` and written under its lock
// (exclusive.ts).

import { E_SLOT, E_FULL, E_DUP, E_NOROUTE, E_ARG, MAX_STREAMS, EVERY_STREAM } from "./abi";
import {
  maxSessions, maxRoutes, isOpen, sessionAt, streamAt, routeList, feedersAt, syncEpoch, setSyncEpoch,
  ROUTE_SIZE, S_ROUTES, S_PUBLISHED_AT,
} from "./layout";
import { isShared, setShared } from "./exclusive";
import { streamResolve } from "./streams";
import { hostSync } from "./host";
import { resumeRoute, ANY } from "./resume";

/** The published word of `slot`: count | buffer << 16. */
@inline export function published(slot: u32): u32 {
  return atomic.load<u32>(sessionAt(slot), S_ROUTES);
}
@inline export function countOf(word: u32): u32 { return word & 0xFFFF; }
@inline export function listOf(slot: u32, word: u32): usize { return routeList(slot, word >>> 16); }
@inline function nextBuffer(word: u32): u32 { return (word >>> 16) ^ 1; }
@inline function publish(slot: u32, count: u32, buffer: u32): void {
  atomic.store<u32>(sessionAt(slot), count | (buffer << 16), S_ROUTES);
  store<u32>(sessionAt(slot), syncEpoch(), S_PUBLISHED_AT);
}

/** A grace period: no packet call still reads what was unpublished before it. */
export function syncNow(): void {
  hostSync();
  setSyncEpoch(syncEpoch() + 1);
}

/** Before writing the unpublished list of `src`: waits out readers of it if needed. */
@inline function freeNext(src: u32): void {
  if (load<u32>(sessionAt(src), S_PUBLISHED_AT) == syncEpoch()) syncNow();
}
@inline function pack(srcM: u32, dstM: u32, dst: u32): u32 {
  return srcM | (dstM << 8) | (dst << 16);
}
@inline function at(list: usize, i: u32): usize { return list + <usize>i * ROUTE_SIZE; }

/** Whether the every-stream route src→dst takes src's stream m to dst's stream dm now. */
@inline function everyStreamTakes(src: u32, m: u32, dst: u32, dm: u32): bool {
  return streamResolve(src, m, dst) == <i32>dm;
}

/** E_ARG unless both indexes are streams, or both are 255. */
@inline function validPair(srcM: u32, dstM: u32): bool {
  if (srcM == EVERY_STREAM) return dstM == EVERY_STREAM;
  return srcM < MAX_STREAMS && dstM < MAX_STREAMS;
}

export function routeAdd(src: u32, srcM: u32, dst: u32, dstM: u32): i32 {
  if (!isOpen(src) || !isOpen(dst)) return E_SLOT;
  if (!validPair(srcM, dstM)) return E_ARG;
  const w = published(src);
  const list = listOf(src, w);
  const n = countOf(w);
  const want = pack(srcM, dstM, dst);
  // A stream route m→dm next to an every-stream route that takes m to dm now (or the
  // reverse) would relay the same packets twice to the same recipient stream: refused like
  // an exact duplicate.
  const every = pack(EVERY_STREAM, EVERY_STREAM, dst);
  for (let i: u32 = 0; i < n; i++) {
    const r = load<u32>(at(list, i));
    if (r == want) return E_DUP;
    if (r == every && srcM != EVERY_STREAM && everyStreamTakes(src, srcM, dst, dstM)) return E_DUP;
    if (want == every && (r >>> 16) == dst && (r & 0xFF) != EVERY_STREAM &&
        everyStreamTakes(src, r & 0xFF, dst, (r >>> 8) & 0xFF)) return E_DUP;
  }
  if (n >= maxRoutes) return E_FULL;
  if (addFeeders(dst, srcM, dstM)) syncNow(); // no lock-free writer of those streams is left
  resumeRoute(src, dst, dstM, ANY); // a source back on a stream after a pause continues its numbering
  freeNext(src);
  const next = nextBuffer(w);
  const to = routeList(src, next);
  memory.copy(to, list, <usize>n * ROUTE_SIZE);
  store<u32>(at(to, n), want);
  publish(src, n + 1, next);
  return 0;
}

export function routeRemove(src: u32, srcM: u32, dst: u32, dstM: u32): i32 {
  if (!isOpen(src)) return E_SLOT;
  if (srcM > 0xFF || dstM > 0xFF || dst > 0xFFFF) return E_NOROUTE;
  const w = published(src);
  const list = listOf(src, w);
  const n = countOf(w);
  const want = pack(srcM, dstM, dst);
  for (let i: u32 = 0; i < n; i++) {
    if (load<u32>(at(list, i)) != want) continue;
    freeNext(src);
    const next = nextBuffer(w);
    const to = routeList(src, next);
    memory.copy(to, list, <usize>n * ROUTE_SIZE);
    store<u32>(at(to, i), load<u32>(at(to, n - 1)));
    publish(src, n - 1, next);
    // A stream left with one feeder goes back to lock-free, once the removed route can no
    // longer be walked.
    if (unshares(dst, srcM, dstM)) syncNow();
    removeFeeders(dst, srcM, dstM);
    return 0;
  }
  return E_NOROUTE;
}

/** Unpublishes every route from `slot` and every route of other senders to it, waits for
 *  the packet calls that may still use them, and updates the feeders of the recipients
 *  `slot` sent to. The feeders of `slot`'s own streams are the caller's to clear. */
export function detachRoutes(slot: u32): void {
  const w = published(slot);
  const n = countOf(w);
  if (n > 0) { // the old buffer keeps the records until the next change
    freeNext(slot);
    publish(slot, 0, nextBuffer(w));
  }
  for (let s: u32 = 0; s < maxSessions; s++) {
    if (s != slot) removeRoutesTo(s, slot);
  }
  syncNow();
  const old = listOf(slot, w);
  for (let i: u32 = 0; i < n; i++) {
    const r = load<u32>(at(old, i));
    const dst = r >>> 16;
    if (dst != slot) removeFeeders(dst, r & 0xFF, (r >>> 8) & 0xFF);
  }
}

/** Publishes `src`'s list without its routes to `dst` (if it had any). No sync. */
function removeRoutesTo(src: u32, dst: u32): void {
  const w = published(src);
  let n = countOf(w);
  if (n == 0) return;
  const list = listOf(src, w);
  let found = false;
  for (let i: u32 = 0; i < n && !found; i++) found = (load<u32>(at(list, i)) >>> 16) == dst;
  if (!found) return;
  freeNext(src);
  const next = nextBuffer(w);
  const to = routeList(src, next);
  memory.copy(to, list, <usize>n * ROUTE_SIZE);
  let i: u32 = 0;
  while (i < n) {
    if ((load<u32>(at(to, i)) >>> 16) == dst) {
      n--;
      store<u32>(at(to, i), load<u32>(at(to, n)));
    } else {
      i++;
    }
  }
  publish(src, n, next);
}

/** Counts a new route into the feeders of its recipient streams; true if one became shared. */
function addFeeders(dst: u32, srcM: u32, dstM: u32): bool {
  const lo: u32 = srcM == EVERY_STREAM ? 0 : dstM;
  const hi: u32 = srcM == EVERY_STREAM ? MAX_STREAMS - 1 : dstM;
  let became = false;
  for (let m = lo; m <= hi; m++) {
    const p = feedersAt(dst, m);
    const f = <u32>load<u16>(p) + 1;
    store<u16>(p, <u16>f);
    if (f == 2) {
      setShared(streamAt(dst, m), true);
      became = true;
    }
  }
  return became;
}

/** Whether removing the route leaves a shared stream with at most one feeder. */
function unshares(dst: u32, srcM: u32, dstM: u32): bool {
  const lo: u32 = srcM == EVERY_STREAM ? 0 : dstM;
  const hi: u32 = srcM == EVERY_STREAM ? MAX_STREAMS - 1 : dstM;
  for (let m = lo; m <= hi; m++) {
    if (<u32>load<u16>(feedersAt(dst, m)) <= 2 && isShared(streamAt(dst, m))) return true;
  }
  return false;
}

/** The reverse, once the route can no longer be walked (after a sync if `unshares`). */
function removeFeeders(dst: u32, srcM: u32, dstM: u32): void {
  const lo: u32 = srcM == EVERY_STREAM ? 0 : dstM;
  const hi: u32 = srcM == EVERY_STREAM ? MAX_STREAMS - 1 : dstM;
  for (let m = lo; m <= hi; m++) {
    const p = feedersAt(dst, m);
    const f = <u32>load<u16>(p);
    if (f == 0) continue;
    store<u16>(p, <u16>(f - 1));
    if (f <= 2) setShared(streamAt(dst, m), false);
  }
}

export function routeCountOf(slot: u32): i32 {
  if (slot >= maxSessions) return E_SLOT;
  return <i32>countOf(published(slot));
}

export function routesPtrOf(slot: u32): usize {
  if (slot >= maxSessions) return 0;
  return listOf(slot, published(slot));
}
