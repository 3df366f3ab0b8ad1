// Seeded fuzz: ~100k random buffers and argument values over every export must never trap,
// and the tables must stay consistent (routes point at open slots, counts within limits).
// The long run (docs/reliability.md): ROUTER_FUZZ_ITERATIONS=60000000 (≥ 10 million packets);
// the number of packet calls made is printed.

import * as assert from "node:assert";
import { Router, rtpPacket, rtcpPli, rtcpRemb, rtcpRr, concat } from "./router-harness";
import { prng } from "./prng";
import { SimulcastSource, SvcSource } from "./layers-rig";

const SEED = Number(process.env.ROUTER_FUZZ_SEED ?? 20261125);
const ITERATIONS = Number(process.env.ROUTER_FUZZ_ITERATIONS ?? 100_000);
const MAX_SESSIONS = 6, MAX_ROUTES = 5;

describe("router fuzz", () => {
  it(`never traps on ${ITERATIONS} random calls (seed ${SEED})`, async function () {
    this.timeout(Math.max(120000, ITERATIONS * 2));
    const r = await Router.create(MAX_SESSIONS, MAX_ROUTES);
    const rnd = prng(SEED);
    const int = (n: number) => Math.floor(rnd() * n);
    // Argument values: mostly plausible, sometimes extreme.
    const EXTREMES = [0, 1, 15, 16, 254, 255, 256, 65535, 65536, 0x7fffffff, -1, -0x80000000];
    const arg = (plausible: number) => (rnd() < 0.85 ? int(plausible) : EXTREMES[int(EXTREMES.length)]);
    const time = () => BigInt(rnd() < 0.95 ? int(100000) : [0, -1, 2 ** 62, -(2 ** 62)][int(4)]);
    const randomBytes = (n: number) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = int(256); return b; };
    const mutate = (p: Uint8Array) => { const c = p.slice(); for (let k = int(4); k >= 0; k--) if (c.length) c[int(c.length)] = int(256); return c; };
    // Layered video: simulcast (VP8 / H.264, by SSRC and by rid) and VP9 SVC, mutated.
    const sources = [new SimulcastSource({ ssrcs: [0, 1, 2] }), new SimulcastSource({ codec: "h264", ssrcs: [0, 1, 2] }),
      new SimulcastSource({ ssrcs: [7, 8, 9], rid: { id: 3, rids: ["a", "b", "c"] } })];
    const svc = new SvcSource({ ssrc: 1 });
    const layered = (): Uint8Array => {
      const frames = int(4) === 3 ? svc.picture(rnd() < 0.2) : sources[int(3)].frame(int(3), rnd() < 0.2);
      const p = frames[int(frames.length)].pkt;
      return rnd() < 0.5 ? mutate(p) : p;
    };
    const blob = () => { const b = randomBytes(256 * 2); if (rnd() < 0.7) { b[0] = int(4); b[1] = int(16); b[2] = int(5); b[3] = int(5); } return b; };
    const packet = (): Uint8Array => {
      switch (int(7)) {
        case 5: case 6: return layered();
        case 0: return randomBytes(int(64));
        case 1: return mutate(rtpPacket({ seq: int(65536), ts: int(2 ** 32), ssrc: int(4), csrcs: int(3), extWords: rnd() < 0.5 ? int(3) : undefined, padding: int(3), payload: int(40) }));
        case 2: return mutate(concat(rtcpRr(), rtcpPli(), rtcpRemb(int(1e6))));
        case 3: return rtpPacket({ seq: int(65536), ts: int(2 ** 32), ssrc: int(3), payload: int(20) });
        default: return concat(rtcpRr(), rtcpPli());
      }
    };
    let decisions = 0, packets = 0;
    const codes = new Set<number>();
    for (let i = 0; i < ITERATIONS; i++) {
      const op = int(22);
      const s = arg(MAX_SESSIONS + 1);
      try {
        let rc = 0;
        switch (op) {
          case 0: rc = r.x.session_open(); break;
          case 1: if (rnd() < 0.3) rc = r.x.session_close(s); break;
          case 2: rc = r.x.session_start(s); break;
          case 3: if (rnd() < 0.2) rc = r.x.session_hangup(s); break;
          case 4: rc = r.x.set_valve(s, arg(3), arg(2), arg(2)); break;
          case 5: rc = r.x.set_bitrate(s, arg(1e6)); break;
          case 6: rc = r.x.set_pli_freq(s, arg(3000)); r.x.set_pli_min_interval(arg(2000)); break;
          case 7: rc = r.x.set_data_ready(s, arg(2)); rc = r.x.set_recording(s, arg(3), arg(2)); break;
          case 8: case 9: {
            const every = rnd() < 0.5;
            rc = r.x.route_add(s, every ? 255 : arg(17), arg(MAX_SESSIONS + 1), every ? 255 : arg(17));
            break;
          }
          case 10: rc = r.x.route_remove(s, rnd() < 0.5 ? 255 : arg(17), arg(MAX_SESSIONS + 1), rnd() < 0.5 ? 255 : arg(17)); break;
          case 11: {
            r.x.route_count(s); r.x.routes_ptr(s); r.x.session_state(s); r.x.session_stats(s); r.x.stream_stats(s, arg(17)); r.x.global_stats();
            r.x.stream_resolve(s, arg(17), arg(MAX_SESSIONS + 1));
            // Random m-line kinds (any byte, up to 17 m-lines: 17 is refused).
            const bytes = () => BigInt(int(2 ** 32)) | (BigInt(int(2 ** 32)) << 32n);
            if (rnd() < 0.3) rc = r.x.set_streams(s, arg(18), bytes(), bytes());
            break;
          }
          case 20: {
            r.write(blob());
            rc = rnd() < 0.5 ? r.x.set_simulcast(s, arg(17)) : r.x.set_codecs(s, arg(18));
            r.x.set_layers(s, rnd() < 0.3 ? 255 : arg(17), arg(4), arg(4));
            r.x.layers_state(s, arg(17));
            rc = 0;
            break;
          }
          case 21: {
            r.x.set_talk(s, rnd() < 0.3 ? 255 : arg(17), arg(200), arg(130));
            r.x.talk_score(s, rnd() < 0.3 ? 255 : arg(17), time(), time());
            if (rnd() < 0.6) r.x.fwd_add(arg(18), s, arg(17), rnd() < 0.3 ? 255 : arg(4)); else r.x.fwd_remove(arg(18));
            r.x.fwd_stats(arg(18));
            rc = 0;
            break;
          }
          case 12: rc = r.x.data(s, arg(70000), arg(2), time()); break;
          case 13: rc = r.x.tick(time()); break;
          case 14: case 15: {
            const p = packet();
            r.write(p);
            rc = r.x.rtcp(s, arg(17), arg(2), rnd() < 0.9 ? p.length : arg(70000), time());
            break;
          }
          default: {
            const p = packet();
            r.writeRtp(p);
            rc = r.x.rtp(s, arg(17), arg(2), rnd() < 0.9 ? p.length : arg(70000), time(), rnd() < 0.5 ? -1 : arg(256));
          }
        }
        if (op >= 12 && op < 20 && op !== 13) packets++;
        if (op >= 12 && op < 20) codes.add(Math.sign(rc) * Math.min(Math.abs(rc), rc > 0 ? 1 : 99));
        if (op >= 12 && op < 20 && rc > 0) {
          assert.ok(rc <= r.outCap, `call ${i}: ${rc} decisions > out_cap ${r.outCap}`);
          decisions += rc;
        }
      } catch (e) {
        assert.fail(`call ${i} (op ${op}, slot ${s}, seed ${SEED}) trapped: ${(e as Error).message}`);
      }
    }
    assert.ok(decisions > 1000, `the fuzz should reach the relay path (got ${decisions} decisions)`);
    console.log(`      ${packets} packet calls (rtp, rtcp, data), ${decisions} decisions, seed ${SEED}`);
    // Every outcome of a packet call was reached: decisions and each drop code.
    assert.deepStrictEqual([...codes].sort((a, b) => a - b), [-15, -14, -13, -12, -11, -10, 0, 1]);
    // Tables still consistent.
    for (let s = 0; s < MAX_SESSIONS; s++) {
      const state = r.x.session_state(s);
      const routes = r.routes(s);
      assert.ok(routes.length <= MAX_ROUTES);
      if ((state & 1) === 0) assert.strictEqual(routes.length, 0, `closed slot ${s} has routes`);
      const seen = new Set<string>();
      for (const rt of routes) {
        assert.ok(r.x.session_state(rt.dstSlot) & 1, `slot ${s} routes to closed slot ${rt.dstSlot}`);
        assert.ok((rt.srcMindex === 255) === (rt.dstMindex === 255));
        const k = `${rt.srcMindex}/${rt.dstMindex}/${rt.dstSlot}`;
        assert.ok(!seen.has(k), `duplicate route ${k}`);
        seen.add(k);
      }
    }
  });
});
