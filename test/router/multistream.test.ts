// Multistream: one recipient receiving several senders on different m-lines; 255 routes
// (every stream; to the same index here, as no m-lines are given: see kinds.test.ts) next to
// stream routes.

import * as assert from "node:assert";
import { Router, rtpPacket, Kind, EVERY } from "./router-harness";

describe("router multistream", () => {
  let r: Router;
  beforeEach(async () => { r = await Router.create(16, 16); });

  it("a recipient gets three senders on three m-lines, each with its own numbering", () => {
    const sub = r.live();
    const pubs = [r.live(), r.live(), r.live()];
    pubs.forEach((p, i) => assert.strictEqual(r.x.route_add(p, 1, sub, 2 + i), 0));
    pubs.forEach((p, i) => {
      const out = r.relay(p, 1, true, rtpPacket({ seq: 100 * i, ts: 9000 * i, ssrc: 0x100 + i }));
      const relays = out.filter((d) => d.kind === Kind.RELAY_RTP);
      assert.deepStrictEqual(relays.map((d) => [d.slot, d.mindex, d.seq, d.ts]), [[sub, 2 + i, 100 * i, 9000 * i]]);
      assert.ok(out.some((d) => d.kind === Kind.SEND_PLI && d.slot === p && d.mindex === 1), "keyframe asked from the new source");
    });
    // Packets on other m-lines of the senders are not routed.
    assert.deepStrictEqual(r.relay(pubs[0], 0, false, rtpPacket()), []);
    // Each recipient stream kept its own source: no switch marks on the next packets.
    pubs.forEach((p, i) => {
      const [d] = r.relay(p, 1, true, rtpPacket({ seq: 100 * i + 1, ts: 9000 * i + 3000, ssrc: 0x100 + i })).filter((x) => x.kind === Kind.RELAY_RTP);
      assert.deepStrictEqual([d.mindex, d.seq, d.ts, d.flags], [2 + i, 100 * i + 1, 9000 * i + 3000, 0]);
    });
    assert.deepStrictEqual([2, 3, 4].map((m) => r.streamStats(sub, m).packets_out), [2, 2, 2]);
  });

  it("a 255 route relays every m-line to the same index while the m-lines are unknown", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    for (const m of [0, 1, 5, 15]) {
      const relays = r.relay(a, m, m % 2 === 1, rtpPacket({ ssrc: m + 1 })).filter((d) => d.kind === Kind.RELAY_RTP);
      assert.deepStrictEqual(relays.map((d) => [d.slot, d.mindex]), [[b, m]]);
    }
  });

  it("a 255 route and a stream route from the same sender fan out together", () => {
    const a = r.live(), b = r.live(), c = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.route_add(a, 0, b, 7); // b also gets a's audio on its m-line 7
    r.x.route_add(a, 0, c, 0);
    const relays = r.relay(a, 0, false, rtpPacket()).filter((d) => d.kind === Kind.RELAY_RTP);
    assert.deepStrictEqual(relays.map((d) => [d.slot, d.mindex]).sort(), [[b, 0], [b, 7], [c, 0]].sort());
    assert.deepStrictEqual(r.relay(a, 3, false, rtpPacket()).map((d) => [d.slot, d.mindex]), [[b, 3]]);
  });

  it("echo: a session routed to itself", () => {
    const a = r.live();
    assert.strictEqual(r.x.route_add(a, EVERY, a, EVERY), 0);
    const [d] = r.relay(a, 0, false, rtpPacket({ seq: 42, ts: 4242 }));
    assert.deepStrictEqual([d.kind, d.slot, d.mindex, d.seq, d.ts], [Kind.RELAY_RTP, a, 0, 42, 4242]);
  });
});
