// Session, stream and global counters after a known sequence of packets, and RECORD decisions.

import * as assert from "node:assert";
import { Router, rtpPacket, rtcpRr, Kind, Flag, Drop, Medium, Dir, EVERY } from "./router-harness";

describe("router counters", () => {
  it("counts packets, bytes, relays, drops and decisions where they happened", async () => {
    const r = await Router.create(8, 8);
    const a = r.live(), b = r.live(), c = r.open(); // c: not started
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.route_add(a, EVERY, c, EVERY);
    const g0 = r.globalStats();
    const p100 = rtpPacket({ payload: 88 }); // 100 bytes
    const p200 = rtpPacket({ payload: 188 });
    r.relay(a, 0, false, p100);
    r.relay(a, 1, true, p200); // + switch PLI to a
    r.relay(a, 1, true, p200);
    r.x.set_valve(a, Medium.AUDIO, Dir.OUT, 0);
    assert.strictEqual(r.rtp(a, 0, false, p100), Drop.VALVE);
    assert.strictEqual(r.rtp(a, 0, false, new Uint8Array(5)), Drop.MALFORMED);
    assert.strictEqual(r.rtp(6, 0, false, p100), Drop.BAD_SLOT);
    assert.strictEqual(r.rtp(a, 16, false, p100), Drop.OVERSIZE);
    assert.strictEqual(r.rtp(a, 0, false, p100, 70000), Drop.OVERSIZE);
    assert.ok(r.rtcp(b, 0, false, rtcpRr()) >= 0);
    r.data(a, 10);

    assert.deepStrictEqual(r.sessionStats(a), {
      rtp_in: 5, rtp_bytes_in: 100 + 200 + 200 + 100 + 5, rtp_out: 0, rtp_bytes_out: 0, rtcp_in: 0,
      data_in: 1, data_out: 0, plis_sent: 1, drops_valve: 1, drops_malformed: 1, drops_closed: 0, drops_nostream: 0,
    });
    assert.deepStrictEqual(r.sessionStats(b), {
      rtp_in: 0, rtp_bytes_in: 0, rtp_out: 3, rtp_bytes_out: 500, rtcp_in: 1,
      data_in: 0, data_out: 1, plis_sent: 0, drops_valve: 0, drops_malformed: 0, drops_closed: 0, drops_nostream: 0,
    });
    assert.strictEqual(r.sessionStats(c).drops_valve, 4, "3 RTP + 1 data skipped: not started / valves closed");
    assert.deepStrictEqual(r.streamStats(a, 1), { packets_in: 2, bytes_in: 400, packets_out: 0, bytes_out: 0, drops_valve: 0, switches: 0, drops_substream: 0 });
    assert.deepStrictEqual(r.streamStats(a, 0), { packets_in: 3, bytes_in: 205, packets_out: 0, bytes_out: 0, drops_valve: 1, switches: 0, drops_substream: 0 });
    assert.deepStrictEqual(r.streamStats(b, 1), { packets_in: 0, bytes_in: 0, packets_out: 2, bytes_out: 400, drops_valve: 0, switches: 0, drops_substream: 0 });
    assert.strictEqual(r.streamStats(c, 1).drops_valve, 2);

    const g = r.globalStats();
    assert.strictEqual(g.calls - g0.calls, 10, "3 relayed + 5 dropped RTP, 1 RTCP, 1 data");
    assert.strictEqual(g.drops_malformed - g0.drops_malformed, 1);
    assert.strictEqual(g.drops_bad_slot - g0.drops_bad_slot, 1);
    assert.strictEqual(g.drops_oversize - g0.drops_oversize, 2);
    assert.strictEqual(g.decisions - g0.decisions, 1 + 2 + 1 + 1, "3 relays, 1 PLI, 1 data relay");
  });

  it("a switch is counted on the recipient stream", async () => {
    const r = await Router.create(4, 4);
    const a = r.live(), a2 = r.live(), b = r.live();
    r.x.route_add(a, 0, b, 0);
    r.x.route_add(a2, 0, b, 0);
    r.relay(a, 0, false, rtpPacket());
    r.relay(a2, 0, false, rtpPacket());
    const [d] = r.relay(a, 0, false, rtpPacket());
    assert.strictEqual(d.flags, Flag.MARK_SWITCH);
    assert.strictEqual(r.streamStats(b, 0).switches, 2);
  });

  it("stats snapshots are 0 out of range, and counters survive hangup but not close", async () => {
    const r = await Router.create(4, 4);
    assert.strictEqual(r.x.session_stats(4), 0);
    assert.strictEqual(r.x.session_stats(-1), 0);
    assert.strictEqual(r.x.stream_stats(0, 16), 0);
    assert.strictEqual(r.x.routes_ptr(4), 0);
    const a = r.live();
    r.relay(a, 0, false, rtpPacket());
    r.x.session_hangup(a);
    assert.strictEqual(r.sessionStats(a).rtp_in, 1);
    r.x.session_close(a);
    assert.strictEqual(r.sessionStats(a).rtp_in, 0);
  });

  it("RECORD comes first, for the recorded medium only, with the video flag", async () => {
    const r = await Router.create(4, 4);
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    assert.strictEqual(r.x.set_recording(a, Medium.VIDEO, 1), 0);
    assert.strictEqual(r.x.set_recording(a, 3, 1), -5);
    assert.deepStrictEqual(r.relay(a, 0, false, rtpPacket()).map((d) => d.kind), [Kind.RELAY_RTP]);
    const v = r.relay(a, 2, true, rtpPacket());
    assert.deepStrictEqual(v[0], { kind: Kind.RECORD, mindex: 2, seq: 0, slot: a, b1: 0, ts: 0, flags: Flag.VIDEO });
    r.x.set_valve(a, Medium.VIDEO, Dir.OUT, 0);
    assert.strictEqual(r.rtp(a, 2, true, rtpPacket()), Drop.VALVE, "no recording of what may not go out");
  });
});
