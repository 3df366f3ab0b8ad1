// Seeded fuzz of router-as/codecs and router-as/media: random and mutated VP8, VP9 and
// H.264 RTP packets (placed at the end of memory, so any read past a packet traps) through
// every parser, and through describe + forward for several recipients with random targets
// and clock jumps. Nothing may trap; malformed packets are counted exactly.

import * as assert from "node:assert";
import { Codecs, Codec, L, Pk } from "./codecs-harness";
import { LayerRig, SimulcastSource, SvcSource } from "./layers-rig";
import { prng } from "./prng";

const SEED = Number(process.env.ROUTER_FUZZ_SEED ?? 20261201);
const ITERATIONS = Number(process.env.ROUTER_FUZZ_ITERATIONS ?? 20_000);

describe("router codecs fuzz", () => {
  const rnd = prng(SEED);
  const int = (n: number) => Math.floor(rnd() * n);
  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const mutate = (p: Uint8Array) => {
    let c = p.slice();
    for (let k = int(4); k >= 0; k--) if (c.length) c[int(c.length)] = int(256);
    if (rnd() < 0.2) c = c.subarray(0, int(c.length + 1));
    return c;
  };

  it(`parsers never trap on ${ITERATIONS} random payloads (seed ${SEED})`, async () => {
    const c = await Codecs.create();
    for (let i = 0; i < ITERATIONS; i++) {
      const b = randomBytes(int(48));
      const p = c.place(b);
      c.x.t_vp8(p, b.length); c.x.t_vp9(p, b.length); c.x.t_h264(p, b.length);
      c.x.t_payload(p, b.length); c.x.t_find_ext(p, b.length, 1 + int(255)); c.x.t_audio_level(p, b.length, 1 + int(14));
    }
  });

  for (const codec of [Codec.VP8, Codec.VP9, Codec.H264]) {
    it(`describe + forward never trap on mutated ${["", "VP8", "VP9", "H.264"][codec]} streams; malformed drops are counted`, async () => {
      const rig = await LayerRig.create(codec);
      const sim = new SimulcastSource({ codec: codec === Codec.H264 ? "h264" : "vp8" });
      const svc = new SvcSource();
      if (codec !== Codec.VP9) rig.ssrcs(sim.streams.map((s) => s.ssrc));
      const rs = [rig.recipient({ sub: 0 }), rig.recipient({ sub: 2, temporal: 1 }), rig.recipient({ sub: 1, spatial: 1 })];
      let malformed = 0;
      for (let i = 0; i < ITERATIONS / 4; i++) {
        rig.now += rnd() < 0.02 ? [-1000, 400, 2 ** 40][int(3)] : int(40);
        if (rnd() < 0.02) rig.target(rs[int(3)], { sub: int(3), temporal: int(3), spatial: int(3) });
        const frames = codec === Codec.VP9 ? svc.picture(rnd() < 0.1, rnd() < 0.1) : sim.frame(int(3), rnd() < 0.1);
        for (const { pkt, tag } of frames) {
          const bytes = rnd() < 0.3 ? mutate(pkt) : pkt;
          const rc = rig.send(bytes, tag);
          assert.ok(rc === Pk.OK || rc === Pk.MALFORMED || rc === Pk.UNKNOWN, `code ${rc}`);
          if (rc === Pk.MALFORMED) malformed++;
        }
      }
      assert.strictEqual(rig.malformed(), malformed);
      for (const r of rs) for (const o of r.outs) assert.ok(!((o.flags & L.RELAY) && (o.flags & L.SHIFT)));
      assert.ok(rs.some((r) => r.relayed().length > 0), "some packets made it through");
    });
  }
});
