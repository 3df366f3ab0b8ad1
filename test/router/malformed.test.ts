// Malformed and out-of-range input: each case is dropped with its code and counted, never a trap.

import * as assert from "node:assert";
import { Router, rtpPacket, rtcpRr, rtcpPli, concat, Drop, EVERY } from "./router-harness";

function bytes(...b: number[]): Uint8Array { return Uint8Array.from(b); }
function withByte0(p: Uint8Array, b0: number): Uint8Array { const c = p.slice(); c[0] = b0; return c; }

/** [name, bytes, len] of RTP packets that must be D_MALFORMED. */
const BAD_RTP: [string, Uint8Array, number?][] = [
  ["empty", new Uint8Array(0)],
  ["11 bytes", rtpPacket({ payload: 0 }).subarray(0, 11)],
  ["version 0", withByte0(rtpPacket(), 0x00)],
  ["version 1", withByte0(rtpPacket(), 0x40)],
  ["version 3", withByte0(rtpPacket(), 0xc0)],
  ["15 CSRCs in 40 bytes", withByte0(rtpPacket({ payload: 28 }), 0x8f)],
  ["1 CSRC, no room", withByte0(rtpPacket({ payload: 3 }), 0x81)],
  ["extension header cut", rtpPacket({ extWords: 0, payload: 0 }).subarray(0, 14)],
  ["extension length past the end", (() => { const p = rtpPacket({ extWords: 2, payload: 0 }); p[15] = 3; return p; })()],
  ["extension length 0xffff", (() => { const p = rtpPacket({ extWords: 1, payload: 50 }); p[14] = 0xff; p[15] = 0xff; return p; })()],
  ["padding count 0", (() => { const p = rtpPacket({ padding: 4 }); p[p.length - 1] = 0; return p; })()],
  ["padding past the payload", (() => { const p = rtpPacket({ payload: 2, padding: 1 }); p[p.length - 1] = 4; return p; })()],
  ["padding bit on a bare header", withByte0(rtpPacket({ payload: 0 }), 0xa0)],
  ["padding eats the extension", (() => { const p = rtpPacket({ extWords: 1, payload: 0, padding: 1 }); p[p.length - 1] = 3; return p; })()],
];

/** RTP packets that are odd but valid. */
const GOOD_RTP: [string, Uint8Array][] = [
  ["bare 12-byte header", rtpPacket({ payload: 0 })],
  ["15 CSRCs exactly", rtpPacket({ csrcs: 15, payload: 0 })],
  ["extension of 0 words", rtpPacket({ extWords: 0, payload: 0 })],
  ["padding filling the payload", rtpPacket({ payload: 0, padding: 7 })],
  ["CSRC + extension + padding", rtpPacket({ csrcs: 2, extWords: 3, payload: 10, padding: 2 })],
];

const BAD_RTCP: [string, Uint8Array][] = [
  ["empty", new Uint8Array(0)],
  ["3 bytes", bytes(0x80, 201, 0)],
  ["version 1", withByte0(rtcpRr(), 0x40)],
  ["version 0 after a good one", concat(rtcpRr(), withByte0(rtcpPli(), 0x01))],
  ["length past the end", (() => { const p = rtcpRr(); p[3] = 2; return p; })()],
  ["length 0xffff", (() => { const p = rtcpRr(); p[2] = 0xff; p[3] = 0xff; return p; })()],
  ["2 trailing bytes", concat(rtcpRr(), bytes(0x80, 201))],
  ["second packet cut", concat(rtcpRr(), rtcpPli().subarray(0, 8))],
  ["length not a multiple of 4", concat(rtcpRr(), bytes(0))],
];

describe("router malformed input", () => {
  let r: Router, a: number, b: number;
  beforeEach(async () => {
    r = await Router.create(4, 4);
    a = r.live(); b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
  });

  for (const [name, pkt, len] of BAD_RTP) {
    it(`RTP ${name}: D_MALFORMED, counted`, () => {
      const g = r.globalStats().drops_malformed;
      assert.strictEqual(r.rtp(a, 0, false, pkt, len ?? pkt.length), Drop.MALFORMED);
      assert.strictEqual(r.sessionStats(a).drops_malformed, 1);
      assert.strictEqual(r.globalStats().drops_malformed, g + 1);
      assert.strictEqual(r.sessionStats(b).rtp_out, 0);
    });
  }

  for (const [name, pkt] of GOOD_RTP) {
    it(`RTP ${name}: relayed`, () => {
      assert.strictEqual(r.rtp(a, 0, false, pkt), 1);
    });
  }

  for (const [name, pkt] of BAD_RTCP) {
    it(`RTCP ${name}: D_MALFORMED, counted, no decision`, () => {
      r.x.set_bitrate(b, 1000);
      r.relay(a, 1, true, rtpPacket()); // b:1 has a source to ask keyframes from
      r.x.set_pli_min_interval(0);
      assert.strictEqual(r.rtcp(b, 1, true, pkt), Drop.MALFORMED);
      assert.strictEqual(r.sessionStats(b).drops_malformed, 1);
    });
  }

  it("out-of-range slots: D_BAD_SLOT for packets, E_SLOT for control", () => {
    for (const slot of [-1, 4, 65535, 0x7fffffff, 2]) {
      assert.strictEqual(r.rtp(slot, 0, false, rtpPacket()), Drop.BAD_SLOT, `slot ${slot}`);
      assert.strictEqual(r.rtcp(slot, 0, false, rtcpRr()), Drop.BAD_SLOT);
      assert.strictEqual(r.data(slot, 1), Drop.BAD_SLOT);
      assert.strictEqual(r.x.session_start(slot), -1);
      assert.strictEqual(r.x.set_pli_freq(slot, 1), -1);
    }
    assert.strictEqual(r.globalStats().drops_bad_slot, 15);
  });

  it("mindex ≥ 16 and len > 65535: D_OVERSIZE", () => {
    for (const m of [16, 255, -1]) {
      assert.strictEqual(r.rtp(a, m, false, rtpPacket()), Drop.OVERSIZE, `mindex ${m}`);
      assert.strictEqual(r.rtcp(b, m, false, rtcpRr()), Drop.OVERSIZE);
    }
    for (const len of [65536, 0x7fffffff, -1]) {
      assert.strictEqual(r.rtp(a, 0, false, rtpPacket(), len), Drop.OVERSIZE, `len ${len}`);
      assert.strictEqual(r.rtcp(b, 0, false, rtcpRr(), len), Drop.OVERSIZE);
    }
    assert.strictEqual(r.globalStats().drops_oversize, 12);
  });

  it("a 65535-byte packet at the end of the buffer is read in bounds", () => {
    const big = rtpPacket({ payload: 65535 - 12 - 100, padding: 100 });
    assert.strictEqual(big.length, 65535);
    assert.strictEqual(r.rtp(a, 0, false, big), 1);
  });
});
