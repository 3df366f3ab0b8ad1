// Keyframe requests: PLI/FIR from a recipient go to the last source of that recipient stream,
// throttled per source stream (default 1000 ms, set_pli_min_interval); a new video source
// on a recipient stream asks one; set_pli_freq asks the sender periodically.

import * as assert from "node:assert";
import { Router, rtpPacket, rtcpPli, rtcpFir, rtcpRr, concat, Kind, Drop, Decision } from "./router-harness";

const plis = (ds: Decision[]) => ds.filter((d) => d.kind === Kind.SEND_PLI).map((d) => [d.slot, d.mindex]);

describe("router keyframe requests", () => {
  let r: Router, pub: number, pub2: number, sub: number;
  beforeEach(async () => {
    r = await Router.create(8, 8);
    [pub, pub2, sub] = [r.live(), r.live(), r.live()];
    r.x.route_add(pub, 1, sub, 3);
  });
  const at = (ms: number) => { r.now = BigInt(ms); };
  const feedback = (pkt: Uint8Array, mindex = 3, from = sub): Decision[] => {
    const n = r.rtcp(from, mindex, true, pkt);
    assert.ok(n >= 0, `rtcp dropped: ${n}`);
    return r.decisions(n);
  };

  it("a new video source on a recipient stream asks it for a keyframe", () => {
    at(0);
    assert.deepStrictEqual(plis(r.relay(pub, 1, true, rtpPacket({ seq: 1 }))), [[pub, 1]]);
    assert.deepStrictEqual(plis(r.relay(pub, 1, true, rtpPacket({ seq: 2 }))), [], "same source: none");
  });

  it("no keyframe request for a new audio source", () => {
    r.x.route_add(pub, 0, sub, 0);
    assert.deepStrictEqual(plis(r.relay(pub, 0, false, rtpPacket())), []);
  });

  it("PLI and FIR from the recipient go to the last source, throttled to 1 per second", () => {
    at(0);
    r.relay(pub, 1, true, rtpPacket({ seq: 1 })); // the switch PLI starts the throttle
    at(500);
    assert.deepStrictEqual(plis(feedback(rtcpPli())), [], "within 1000 ms of the last request");
    at(1000);
    assert.deepStrictEqual(plis(feedback(rtcpPli())), [[pub, 1]]);
    at(1999);
    assert.deepStrictEqual(plis(feedback(rtcpFir())), []);
    at(2000);
    assert.deepStrictEqual(plis(feedback(rtcpFir())), [[pub, 1]]);
    assert.strictEqual(r.sessionStats(pub).plis_sent, 3);
  });

  it("follows the recipient stream's source when it switches", () => {
    r.x.route_add(pub2, 1, sub, 3);
    at(0);
    r.relay(pub, 1, true, rtpPacket({ ssrc: 1 }));
    at(10);
    assert.deepStrictEqual(plis(r.relay(pub2, 1, true, rtpPacket({ ssrc: 2 }))), [[pub2, 1]]);
    at(5000);
    assert.deepStrictEqual(plis(feedback(rtcpPli())), [[pub2, 1]]);
  });

  it("the throttle is per source stream, not global", () => {
    const sub2 = r.live();
    r.x.route_add(pub2, 1, sub2, 1);
    at(0);
    r.relay(pub, 1, true, rtpPacket());
    assert.deepStrictEqual(plis(r.relay(pub2, 1, true, rtpPacket())), [[pub2, 1]]);
  });

  it("one request per packet when many recipients start on the same source", () => {
    const subs = [r.live(), r.live(), r.live()];
    subs.forEach((s) => r.x.route_add(pub, 1, s, 1));
    r.x.set_pli_min_interval(0);
    assert.deepStrictEqual(plis(r.relay(pub, 1, true, rtpPacket())), [[pub, 1]]);
  });

  it("set_pli_min_interval changes the throttle", () => {
    r.x.set_pli_min_interval(100);
    at(0);
    r.relay(pub, 1, true, rtpPacket());
    at(99);
    assert.deepStrictEqual(plis(feedback(rtcpPli())), []);
    at(100);
    assert.deepStrictEqual(plis(feedback(rtcpPli())), [[pub, 1]]);
  });

  it("one forward per compound packet, found after other reports", () => {
    r.x.set_pli_min_interval(0);
    r.relay(pub, 1, true, rtpPacket());
    assert.deepStrictEqual(plis(feedback(concat(rtcpRr(), rtcpPli(), rtcpFir(), rtcpPli()))), [[pub, 1]]);
  });

  it("nothing to forward before anything was relayed there, or after the source closed", () => {
    at(0);
    assert.deepStrictEqual(feedback(rtcpPli()), []);
    assert.deepStrictEqual(feedback(rtcpPli(), 1), [], "another m-line of the recipient");
    r.relay(pub, 1, true, rtpPacket());
    r.x.session_close(pub);
    at(5000);
    assert.deepStrictEqual(feedback(rtcpPli()), []);
    const reopened = r.live();
    assert.strictEqual(reopened, pub, "same slot, new owner: the old context must not reach it");
    assert.deepStrictEqual(feedback(rtcpPli()), []);
  });

  it("feedback from a session that is not started is dropped", () => {
    const idle = r.open();
    assert.strictEqual(r.rtcp(idle, 0, true, rtcpPli()), Drop.NOT_STARTED);
    assert.strictEqual(r.sessionStats(idle).drops_closed, 1);
  });

  it("set_pli_freq asks the sender periodically, on its video packets only", () => {
    const solo = r.live();
    assert.strictEqual(r.x.set_pli_freq(solo, 3000), 0);
    at(10000);
    assert.deepStrictEqual(plis(r.relay(solo, 2, true, rtpPacket())), [[solo, 2]], "first video packet");
    at(11000);
    assert.deepStrictEqual(plis(r.relay(solo, 2, true, rtpPacket())), []);
    assert.deepStrictEqual(plis(r.relay(solo, 0, false, rtpPacket())), [], "audio never");
    at(12999);
    assert.deepStrictEqual(plis(r.relay(solo, 2, true, rtpPacket())), []);
    at(13000);
    assert.deepStrictEqual(plis(r.relay(solo, 2, true, rtpPacket())), [[solo, 2]]);
    r.x.set_pli_freq(solo, 0);
    at(20000);
    assert.deepStrictEqual(plis(r.relay(solo, 2, true, rtpPacket())), [], "0 = off");
    r.x.set_pli_freq(solo, 1000);
    r.x.session_hangup(solo);
    for (const m of [0, 1, 2]) r.x.set_valve(solo, m, 1, 1);
    at(30000);
    assert.deepStrictEqual(plis(r.relay(solo, 2, true, rtpPacket())), [], "hangup resets pli_freq");
  });
});
