// Seq/ts continuity of a recipient stream when its source changes (a different sender, m-line
// or SSRC): the output continues at last_seq + 1 and last_ts + max(1, elapsed × clock / 1000),
// and keeps the new offsets afterwards, across 16-bit and 32-bit wraparound.

import * as assert from "node:assert";
import { Router, rtpPacket, Kind, Flag, Decision } from "./router-harness";

describe("router seq/ts switching", () => {
  let r: Router, a1: number, a2: number, b: number;
  beforeEach(async () => {
    r = await Router.create(8, 8);
    [a1, a2, b] = [r.live(), r.live(), r.live()];
    r.x.route_add(a1, 0, b, 0);
    r.x.route_add(a2, 0, b, 0);
    r.x.route_add(a1, 1, b, 1);
    r.x.route_add(a2, 1, b, 1);
  });

  /** The one RELAY_RTP to b of a packet (seq, ts, ssrc) from `from` at time `at`. */
  function send(from: number, seq: number, ts: number, at: number, video = false, ssrc = 0x1000 + from): Decision {
    r.now = BigInt(at);
    const relays = r.relay(from, video ? 1 : 0, video, rtpPacket({ seq, ts, ssrc })).filter((d) => d.kind === Kind.RELAY_RTP);
    assert.strictEqual(relays.length, 1);
    assert.strictEqual(relays[0].slot, b);
    return relays[0];
  }
  const st = (d: Decision) => [d.seq, d.ts, d.flags];

  it("the first source is relayed unchanged, then a switch continues the numbering", () => {
    assert.deepStrictEqual(st(send(a1, 5000, 160000, 0)), [5000, 160000, 0]);
    assert.deepStrictEqual(st(send(a1, 5001, 160960, 20)), [5001, 160960, 0]);
    // a2 starts 20 ms later with unrelated numbers: 20 ms of 48 kHz audio = 960 ticks.
    assert.deepStrictEqual(st(send(a2, 31, 777, 40)), [5002, 161920, Flag.MARK_SWITCH]);
    assert.deepStrictEqual(st(send(a2, 32, 1737, 60)), [5003, 162880, 0]);
    // Back to a1, whose own numbering went on meanwhile: continuity again.
    assert.deepStrictEqual(st(send(a1, 5004, 163840, 80)), [5004, 163840, Flag.MARK_SWITCH]);
    assert.strictEqual(r.streamStats(b, 0).switches, 2);
  });

  it("uses the 90 kHz clock for video and the elapsed time since the last relay", () => {
    send(a1, 10, 1000, 1000, true);
    assert.deepStrictEqual(st(send(a2, 500, 4242, 1100, true)), [11, 1000 + 9000, Flag.MARK_SWITCH]);
  });

  it("steps the timestamp by at least 1, also when the clock stands still or goes back", () => {
    send(a1, 10, 1000, 50);
    assert.deepStrictEqual(st(send(a2, 99, 99, 50)), [11, 1001, Flag.MARK_SWITCH]);
    assert.deepStrictEqual(st(send(a1, 11, 1960, 10)), [12, 1002, Flag.MARK_SWITCH]);
  });

  it("an SSRC change of the same sender is a switch too", () => {
    send(a1, 100, 100, 0, false, 0xaaaa);
    assert.deepStrictEqual(st(send(a1, 0, 0, 20, false, 0xbbbb)), [101, 100 + 960, Flag.MARK_SWITCH]);
  });

  for (const last of [0, 32767, 32768, 65535]) {
    it(`continues across seq ${last} → ${(last + 1) & 0xffff} at a switch, and wraps after it`, () => {
      send(a1, last, 0, 0);
      assert.strictEqual(send(a2, 40000, 0, 20).seq, (last + 1) & 0xffff);
      // The new source wraps on its own (65535 → 0): the output keeps its offset.
      for (const seq of [40001, 65534, 65535, 0, 1]) {
        const expect = (last + 1 + ((seq - 40000 + 65536) & 0xffff)) & 0xffff;
        assert.strictEqual(send(a2, seq, 0, 40).seq, expect, `input ${seq}`);
      }
    });
  }

  it("offsets wrap modulo 2^16 when the new source is numbered above the old one", () => {
    send(a1, 3, 0, 0);
    assert.strictEqual(send(a2, 65000, 0, 20).seq, 4);
    assert.strictEqual(send(a2, 65535, 0, 20).seq, 4 + 535);
    assert.strictEqual(send(a2, 0, 0, 20).seq, 4 + 536);
  });

  it("continues across ts 2^32-1 at a switch, and wraps the ts after it", () => {
    const last = 0xffffffff;
    send(a1, 1, last, 100, true);
    const d = send(a2, 7, 123456, 100, true);
    assert.strictEqual(d.ts, 0, "2^32-1 + 1 wraps to 0");
    assert.strictEqual(send(a2, 8, 123456 + 3000, 133, true).ts, 3000);
    // The source's own ts wrapping keeps the output continuous.
    send(a1, 2, 0xfffff000, 200, true);
    const base = send(a2, 9, 0xffffff00, 400, true).ts; // switch back to a2: new offset
    assert.strictEqual(send(a2, 10, 0x00000100, 433, true).ts, (base + 0x200) >>> 0);
  });

  it("a late packet does not pull the next switch back onto numbers already sent", () => {
    send(a1, 10, 1000, 0);
    send(a1, 11, 1960, 20);
    assert.deepStrictEqual(st(send(a1, 9, 40, 25)), [9, 40, 0], "the late packet itself is relayed as is");
    // ts: the highest sent (1960) + 15 ms since the last relay (the late one) × 48 kHz.
    assert.deepStrictEqual(st(send(a2, 1, 1, 40)), [12, 1960 + 720, Flag.MARK_SWITCH]);
  });

  it("each recipient stream keeps its own context", async () => {
    send(a1, 100, 100, 0); // b:0 has a1
    send(a2, 7, 7, 0, true); // b:1 has a2
    assert.deepStrictEqual(st(send(a2, 8, 8, 20, true)), [8, 8, 0], "no switch on b:1");
    assert.deepStrictEqual(st(send(a1, 101, 1060, 20)), [101, 1060, 0], "no switch on b:0");
  });

  it("hangup of the recipient clears its contexts: the next source starts fresh", () => {
    send(a1, 100, 100, 0);
    r.x.session_hangup(b);
    r.x.session_start(b);
    for (const m of [0, 1]) r.x.set_valve(b, m, 0, 1);
    r.x.route_add(a2, 0, b, 0);
    assert.deepStrictEqual(st(send(a2, 5, 5, 20)), [5, 5, 0]);
  });

  it("a reopened sender slot is a new source even with the same SSRC", () => {
    send(a1, 100, 100, 0, false, 0x77);
    r.x.session_close(a1);
    const again = r.live();
    assert.strictEqual(again, a1);
    r.x.route_add(again, 0, b, 0);
    assert.deepStrictEqual(st(send(again, 100, 100, 20, false, 0x77)), [101, 100 + 960, Flag.MARK_SWITCH]);
  });

  it("a sender back after hangup is a new source even with the same SSRC", () => {
    send(a1, 100, 100, 0, false, 0x77);
    r.x.session_hangup(a1);
    r.x.session_start(a1);
    for (const m of [0, 1, 2]) r.x.set_valve(a1, m, 1, 1);
    r.x.route_add(a1, 0, b, 0);
    assert.deepStrictEqual(st(send(a1, 9, 9, 20, false, 0x77)), [101, 100 + 960, Flag.MARK_SWITCH]);
  });
});
