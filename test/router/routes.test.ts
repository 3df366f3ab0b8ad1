// Stream routes: add/remove, duplicates, swap-remove order, limits, removal both ways on
// close/hangup, and a reused slot that starts fully cleared.

import * as assert from "node:assert";
import { Router, rtpPacket, Kind, Err, State, EVERY } from "./router-harness";

describe("router routes", () => {
  let r: Router;
  beforeEach(async () => { r = await Router.create(8, 4); });

  it("adds and lists routes as (src_mindex, dst_mindex, dst_slot) records", () => {
    const a = r.live(), b = r.live(), c = r.live();
    assert.strictEqual(r.x.route_add(a, EVERY, b, EVERY), 0);
    assert.strictEqual(r.x.route_add(a, 1, c, 3), 0);
    assert.strictEqual(r.x.route_count(a), 2);
    assert.deepStrictEqual(r.routes(a), [{ srcMindex: 255, dstMindex: 255, dstSlot: b }, { srcMindex: 1, dstMindex: 3, dstSlot: c }]);
    assert.strictEqual(r.x.route_count(b), 0);
  });

  it("refuses bad slots and index pairs", () => {
    const a = r.live(), b = r.live();
    assert.strictEqual(r.x.route_add(a, EVERY, 7, EVERY), Err.SLOT, "closed recipient");
    assert.strictEqual(r.x.route_add(9, EVERY, b, EVERY), Err.SLOT, "sender out of range");
    assert.strictEqual(r.x.route_add(-1, EVERY, b, EVERY), Err.SLOT);
    assert.strictEqual(r.x.route_add(a, EVERY, b, 0), Err.ARG, "255 needs 255");
    assert.strictEqual(r.x.route_add(a, 0, b, EVERY), Err.ARG);
    assert.strictEqual(r.x.route_add(a, 16, b, 0), Err.ARG);
    assert.strictEqual(r.x.route_add(a, 0, b, 16), Err.ARG);
    assert.strictEqual(r.x.route_add(a, 0x100 + 255, b, 255), Err.ARG, "no truncation to u8");
    assert.strictEqual(r.x.route_count(a), 0);
  });

  it("refuses duplicates, including a stream route overlapping the every-stream route", () => {
    const a = r.live(), b = r.live();
    assert.strictEqual(r.x.route_add(a, EVERY, b, EVERY), 0);
    assert.strictEqual(r.x.route_add(a, EVERY, b, EVERY), Err.DUP);
    assert.strictEqual(r.x.route_add(a, 2, b, 2), Err.DUP, "2→2 is already relayed by 255");
    assert.strictEqual(r.x.route_add(a, 2, b, 3), 0, "2→3 is a different recipient stream");
    assert.strictEqual(r.x.route_add(a, 2, b, 3), Err.DUP);
    const c = r.live();
    assert.strictEqual(r.x.route_add(a, 1, c, 1), 0);
    assert.strictEqual(r.x.route_add(a, EVERY, c, EVERY), Err.DUP, "255 would relay 1→1 twice");
    assert.strictEqual(r.x.route_count(a), 3);
  });

  it("enforces max_routes per sender with E_FULL", () => {
    const a = r.live(), dst = [r.live(), r.live(), r.live(), r.live(), r.live()];
    for (let i = 0; i < 4; i++) assert.strictEqual(r.x.route_add(a, EVERY, dst[i], EVERY), 0);
    assert.strictEqual(r.x.route_add(a, EVERY, dst[4], EVERY), Err.FULL);
    assert.strictEqual(r.x.route_add(dst[4], EVERY, a, EVERY), 0, "the limit is per sender");
  });

  it("removes by exact match, swapping the last record into the hole", () => {
    const a = r.live(), b = r.live(), c = r.live(), d = r.live();
    for (const x of [b, c, d]) r.x.route_add(a, EVERY, x, EVERY);
    r.x.route_add(a, 0, b, 5);
    assert.strictEqual(r.x.route_remove(a, EVERY, b, 0), Err.NOROUTE);
    assert.strictEqual(r.x.route_remove(a, 0, b, 4), Err.NOROUTE);
    assert.strictEqual(r.x.route_remove(a, EVERY, c, EVERY), 0);
    assert.deepStrictEqual(r.routes(a).map((x) => [x.srcMindex, x.dstMindex, x.dstSlot]),
      [[255, 255, b], [0, 5, b], [255, 255, d]], "the last (0→5 to b) moved into c's place");
    assert.strictEqual(r.x.route_remove(a, EVERY, c, EVERY), Err.NOROUTE);
    assert.strictEqual(r.x.route_remove(a, EVERY, d, EVERY), 0, "removing the last");
    assert.deepStrictEqual(r.routes(a).map((x) => x.dstSlot), [b, b]);
    assert.strictEqual(r.x.route_remove(a, EVERY, 0x10000 + b, EVERY), Err.NOROUTE, "no truncation to u16");
    assert.strictEqual(r.x.route_remove(7, EVERY, b, EVERY), Err.SLOT);
  });

  it("close removes the routes from and to the slot, at every sender", () => {
    const a = r.live(), b = r.live(), c = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.route_add(a, EVERY, c, EVERY);
    r.x.route_add(a, 0, b, 1);
    r.x.route_add(c, EVERY, b, EVERY);
    r.x.route_add(b, EVERY, a, EVERY);
    r.x.route_add(b, EVERY, c, EVERY);
    assert.strictEqual(r.x.session_close(b), 0);
    assert.deepStrictEqual(r.routes(a).map((x) => x.dstSlot), [c]);
    assert.deepStrictEqual(r.routes(c), []);
    assert.strictEqual(r.x.route_count(b), 0);
    assert.strictEqual(r.x.session_state(b), 0);
    assert.strictEqual(r.x.session_close(b), Err.SLOT, "already closed");
    const out = r.relay(a, 0, false, rtpPacket());
    assert.deepStrictEqual(out.map((d) => [d.kind, d.slot]), [[Kind.RELAY_RTP, c]]);
  });

  it("hangup removes the routes from and to the slot too", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.route_add(b, EVERY, a, EVERY);
    r.x.session_hangup(b);
    assert.strictEqual(r.x.route_count(a), 0);
    assert.strictEqual(r.x.route_count(b), 0);
  });

  it("a reused slot is fully cleared: state, settings, routes, counters, switching context", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.route_add(b, EVERY, a, EVERY);
    r.x.set_bitrate(b, 500000);
    r.x.set_pli_freq(b, 100);
    for (const m of [0, 1, 2]) r.x.set_recording(b, m, 1);
    r.relay(a, 0, false, rtpPacket({ seq: 1000, ts: 5000 }));
    r.relay(b, 0, false, rtpPacket({ seq: 7 }));
    r.x.session_close(b);
    const b2 = r.x.session_open();
    assert.strictEqual(b2, b, "the free slot is reused");
    assert.strictEqual(r.x.session_state(b2), State.OPEN);
    assert.strictEqual(r.x.route_count(b2), 0);
    assert.ok(Object.values(r.sessionStats(b2)).every((v) => v === 0), JSON.stringify(r.sessionStats(b2)));
    for (let m = 0; m < 16; m++) assert.ok(Object.values(r.streamStats(b2, m)).every((v) => v === 0));
    // Receiving again: a first source, no offsets left over, no switch mark.
    r.x.session_start(b2);
    r.x.set_valve(b2, 0, 0, 1);
    r.x.route_add(a, EVERY, b2, EVERY);
    const [d] = r.relay(a, 0, false, rtpPacket({ seq: 1001, ts: 5960 }));
    assert.deepStrictEqual([d.seq, d.ts, d.flags], [1001, 5960, 0]);
    // Sending again: no RECORD, no periodic PLI, no REMB cap (nothing inherited).
    for (const m of [0, 1, 2]) r.x.set_valve(b2, m, 1, 1);
    assert.deepStrictEqual(r.relay(b2, 1, true, rtpPacket()), []);
  });
});
