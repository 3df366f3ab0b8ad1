// REMB from a session is answered with that session's cap (set_bitrate), if any.

import * as assert from "node:assert";
import { Router, rtcpRemb, rtcpRr, rtcpPli, concat, Kind, Err, Decision } from "./router-harness";

const rembs = (ds: Decision[]) => ds.filter((d) => d.kind === Kind.SEND_REMB).map((d) => [d.slot, d.ts]);

describe("router REMB answers", () => {
  let r: Router, s: number;
  beforeEach(async () => { r = await Router.create(4, 4); s = r.live(); });
  const feedback = (pkt: Uint8Array): Decision[] => {
    const n = r.rtcp(s, 0, true, pkt);
    assert.ok(n >= 0, `rtcp dropped: ${n}`);
    return r.decisions(n);
  };

  it("no cap: no answer", () => {
    assert.deepStrictEqual(rembs(feedback(rtcpRemb(2_000_000))), []);
  });

  it("answers each REMB with the cap, whatever the browser estimated", () => {
    assert.strictEqual(r.x.set_bitrate(s, 256000), 0);
    assert.deepStrictEqual(rembs(feedback(rtcpRemb(2_000_000))), [[s, 256000]]);
    assert.deepStrictEqual(rembs(feedback(rtcpRemb(100_000))), [[s, 256000]]);
    r.x.set_bitrate(s, 4_000_000_000);
    assert.deepStrictEqual(rembs(feedback(rtcpRemb(1))), [[s, 4_000_000_000]], "full u32 range");
    r.x.set_bitrate(s, 0);
    assert.deepStrictEqual(rembs(feedback(rtcpRemb(1))), []);
  });

  it("finds the REMB inside a compound packet, answers once", () => {
    r.x.set_bitrate(s, 300000);
    assert.deepStrictEqual(rembs(feedback(concat(rtcpRr(), rtcpPli(), rtcpRemb(5), rtcpRemb(6)))), [[s, 300000]]);
  });

  it("ignores an AFB packet that is not REMB", () => {
    r.x.set_bitrate(s, 300000);
    const afb = rtcpRemb(5);
    afb.set([0x58, 0x58, 0x58, 0x58], 12); // "XXXX"
    assert.deepStrictEqual(rembs(feedback(afb)), []);
  });

  it("hangup resets the cap; closed slots are refused", () => {
    r.x.set_bitrate(s, 300000);
    r.x.session_hangup(s);
    r.x.session_start(s);
    assert.deepStrictEqual(rembs(feedback(rtcpRemb(5))), []);
    assert.strictEqual(r.x.set_bitrate(3, 1), Err.SLOT);
  });
});
