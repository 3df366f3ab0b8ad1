// Resumes: a source that flows again to a recipient stream after a pause (the sender's `out`
// valve closed and reopened, the recipient's `in` valve, a route removed and added back)
// continues the recipient's numbering at last_seq + 1 and last_ts + the elapsed time, as for
// a source change, instead of jumping by the packets it did not get. Without such a control
// call a gap in the input (network loss) stays a gap.

import * as assert from "node:assert";
import { Router, rtpPacket, rtcpPli, Kind, Flag, Medium, Dir, EVERY, Decision } from "./router-harness";

describe("router resumes after a pause", () => {
  let r: Router, pub: number, sub: number;
  beforeEach(async () => {
    r = await Router.create(8, 8);
    [pub, sub] = [r.live(), r.live()];
    r.streams(pub, "audio", "video");
    r.streams(sub, "audio", "video");
    r.x.route_add(pub, 0, sub, 0);
    r.x.route_add(pub, 1, sub, 1);
  });

  /** The RELAY_RTP to sub of a packet from pub, sent at `at` ms; undefined when none. */
  function send(m: number, seq: number, ts: number, at: number): Decision | undefined {
    r.now = BigInt(at);
    const n = r.rtp(pub, m, m === 1, rtpPacket({ seq, ts, ssrc: 0x5000 + m }));
    return n < 0 ? undefined : r.decisions(n).find((d) => d.kind === Kind.RELAY_RTP && d.slot === sub);
  }
  const st = (d: Decision | undefined) => (d ? [d.seq, d.ts, d.flags] : "nothing");
  /** pub sends video packets seq from..to (ts 3000 apart, every 33 ms from `at`). */
  function video(from: number, to: number, at: number): void {
    for (let s = from; s <= to; s++) send(1, s, s * 3000, at + (s - from) * 33);
  }

  it("a gap in the input stays a gap (losses are the receiver's to see)", () => {
    video(100, 102, 0);
    assert.deepStrictEqual(st(send(1, 110, 330000, 300)), [110, 330000, 0]);
  });

  it("the sender's out valve reopened: the next packet goes on at last_seq + 1, ts by the elapsed time", () => {
    video(100, 102, 0); // last relayed: seq 102, ts 306000 at 66 ms
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 0);
    assert.strictEqual(send(1, 103, 309000, 99), undefined, "closed: dropped");
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 1);
    // 1066 ms after the last relay: 1000 ms × 90 kHz.
    assert.deepStrictEqual(st(send(1, 133, 399000, 1066)), [103, 306000 + 90000, Flag.MARK_SWITCH]);
    assert.deepStrictEqual(st(send(1, 134, 402000, 1099)), [104, 306000 + 93000, 0], "then input + the new offsets");
    assert.strictEqual(r.streamStats(sub, 1).switches, 1);
  });

  it("a resumed video stream asks its source for a keyframe; the recipient's PLIs still reach it", () => {
    video(100, 102, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 1);
    r.now = 5000n;
    const n = r.rtp(pub, 1, true, rtpPacket({ seq: 300, ts: 1, ssrc: 0x5001 }));
    assert.deepStrictEqual(r.decisions(n).filter((d) => d.kind === Kind.SEND_PLI).map((d) => [d.slot, d.mindex]), [[pub, 1]]);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 1); // marked again, no packet since
    r.now = 7000n;
    const k = r.rtcp(sub, 1, true, rtcpPli());
    assert.deepStrictEqual(r.decisions(k).filter((d) => d.kind === Kind.SEND_PLI).map((d) => [d.slot, d.mindex]), [[pub, 1]],
      "a marked context still names its source");
  });

  it("only the medium reopened resumes: audio keeps its offsets when video is paused", () => {
    send(0, 10, 960, 0);
    video(100, 102, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 1);
    assert.deepStrictEqual(st(send(0, 11, 1920, 20)), [11, 1920, 0]);
    assert.strictEqual(send(1, 140, 420000, 2000)!.seq, 103);
  });

  it("opening a valve that is open already changes nothing", () => {
    video(100, 102, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 1);
    r.x.set_valve(sub, Medium.VIDEO, Dir.IN, 1);
    assert.deepStrictEqual(st(send(1, 103, 309000, 99)), [103, 309000, 0]);
  });

  it("the recipient's in valve reopened: its stream resumes", () => {
    video(100, 102, 0);
    r.x.set_valve(sub, Medium.VIDEO, Dir.IN, 0);
    assert.strictEqual(send(1, 103, 309000, 99), undefined, "not relayed while closed");
    r.x.set_valve(sub, Medium.VIDEO, Dir.IN, 1);
    assert.deepStrictEqual(st(send(1, 120, 360000, 566)), [103, 306000 + 45000, Flag.MARK_SWITCH]);
  });

  it("a route removed and added back: the stream resumes (a subscriber's pause and start)", () => {
    video(100, 102, 0);
    r.x.route_remove(pub, 1, sub, 1);
    assert.strictEqual(send(1, 103, 309000, 99), undefined);
    assert.strictEqual(r.x.route_add(pub, 1, sub, 1), 0);
    assert.deepStrictEqual(st(send(1, 150, 450000, 266)), [103, 306000 + 18000, Flag.MARK_SWITCH]);
  });

  it("an every-stream route added back resumes each stream it feeds", () => {
    r.x.route_remove(pub, 0, sub, 0);
    r.x.route_remove(pub, 1, sub, 1);
    r.x.route_add(pub, EVERY, sub, EVERY);
    send(0, 10, 960, 0);
    video(100, 101, 0);
    r.x.route_remove(pub, EVERY, sub, EVERY);
    r.x.route_add(pub, EVERY, sub, EVERY);
    assert.deepStrictEqual(st(send(0, 60, 48960, 1000)), [11, 960 + 48000, Flag.MARK_SWITCH]);
    assert.strictEqual(send(1, 140, 420000, 1033)!.seq, 102);
  });

  it("a route added for a stream whose last source is another session does not disturb it", () => {
    const other = r.live();
    r.x.route_add(pub, 0, other, 0);
    send(0, 10, 960, 0);
    r.x.route_add(other, 1, sub, 0); // sub:0's source is pub, the new route is from `other`
    assert.deepStrictEqual(st(send(0, 11, 1920, 20)), [11, 1920, 0]);
  });

  it("a paused stream that switches to another source meanwhile is a plain switch", () => {
    const pub2 = r.live();
    r.x.route_add(pub2, 1, sub, 1);
    video(100, 102, 0);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 0);
    r.now = 200n;
    const n = r.rtp(pub2, 1, true, rtpPacket({ seq: 9, ts: 9, ssrc: 0x77 }));
    const d = r.decisions(n).find((x) => x.kind === Kind.RELAY_RTP)!;
    assert.deepStrictEqual([d.seq, d.flags], [103, Flag.MARK_SWITCH]);
    r.x.set_valve(pub, Medium.VIDEO, Dir.OUT, 1);
    assert.deepStrictEqual([send(1, 130, 390000, 300)!.seq], [104], "pub's return is another switch");
  });
});
