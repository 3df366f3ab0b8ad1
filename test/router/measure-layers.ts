// Informational, not a test: ns per recipient of the simulcast layer selection
// (router-as/media: describePacket once, then forwardLayered per recipient, inside Wasm) in
// Node, on router-codecs.wasm (run: node build/test/router/measure-layers.js [packets]).
// Three VP8 substreams with temporal layers 0,2,1,2 go to N recipients on mixed targets
// (substream i % 3); compare with measure-ns.js (the v1 router's rtp() per recipient).

import { Codec } from "./codecs-harness";
import { LayerRig, SimulcastSource, SENDER_SIZE, LAYERS_SIZE } from "./layers-rig";

interface Fanout { t_fanout(s: number, l: number, sw: number, n: number, src: number, len: number, now: bigint, reask: bigint): number }

async function measure(fanout: number, packets: number): Promise<{ nsPerPacket: number; nsPerRecipient: number; relayed: number }> {
  const rig = await LayerRig.create(Codec.VP8);
  const src = new SimulcastSource({ packets: 1 });
  rig.ssrcs(src.streams.map((s) => s.ssrc));
  const c = rig.c;
  const layers = c.alloc(LAYERS_SIZE * fanout);
  const swSize = c.x.t_switch_size();
  const sws = c.alloc(swSize * fanout);
  for (let i = 0; i < fanout; i++) {
    c.x.t_layers_reset(layers + i * LAYERS_SIZE);
    c.x.t_layers_targets(layers + i * LAYERS_SIZE, i % 3, 2, 2);
    c.x.t_switch_reset(sws + i * swSize);
  }
  // 120 frames per substream (keyframes first), 1100-byte packets, replayed in a loop.
  const frames: Uint8Array[] = [];
  for (let f = 0; f < 120; f++) for (let s = 0; s < 3; s++) frames.push(...src.frame(s, f === 0).map((x) => x.pkt));
  const x = c.x as unknown as Fanout;
  const sender = rig.sender;
  void SENDER_SIZE;
  const runs: number[] = [];
  let relayed = 0;
  for (let run = 0; run < 6; run++) {
    relayed = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < packets; i++) {
      const pkt = frames[i % frames.length];
      const p = c.place(pkt);
      relayed += x.t_fanout(sender, layers, sws, fanout, p, pkt.length, BigInt(i), 1000n);
    }
    const ns = Number(process.hrtime.bigint() - t0) / packets;
    if (run > 0) runs.push(ns);
  }
  runs.sort((a, b) => a - b);
  const ns = runs[runs.length >> 1];
  return { nsPerPacket: ns, nsPerRecipient: ns / fanout, relayed };
}

(async () => {
  const packets = Number(process.argv[2] ?? 200_000);
  for (const n of [1, 3, 16, 64]) {
    const m = await measure(n, packets);
    console.log(`fan-out ${String(n).padStart(2)}: ${m.nsPerPacket.toFixed(1)} ns per packet, ${m.nsPerRecipient.toFixed(1)} ns per recipient (${m.relayed} relays in the last run)`);
  }
})();
