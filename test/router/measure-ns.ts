// Informational, not a test: ns per rtp() call of the release router through raw exports in
// Node, for fan-outs 1 and 16 (run: node build/test/router/measure-ns.js [packets]).
// One sender, N started recipients with open valves, a 1100-byte video packet whose seq/ts
// advance each call; the median of 5 runs is printed.

import { Router, rtpPacket, EVERY } from "./router-harness";

async function measure(fanout: number, packets: number): Promise<number> {
  const r = await Router.create(fanout + 1, Math.max(fanout, 1));
  const pub = r.live();
  for (let i = 0; i < fanout; i++) r.x.route_add(pub, EVERY, r.live(), EVERY);
  r.writeRtp(rtpPacket({ payload: 1100 - 12, ssrc: 0xabc }));
  const mem = new DataView(r.x.memory.buffer);
  const rtp = r.x.rtp, inPtr = r.inPtr;
  rtp(pub, 1, 1, 1100, 0n, -1); // first packet: the recipients' switch PLI comes with it
  const runs: number[] = [];
  for (let run = 0; run < 6; run++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < packets; i++) {
      mem.setUint16(inPtr + 2, i & 0xffff); // seq, network order
      if (rtp(pub, 1, 1, 1100, BigInt(i >> 5), -1) !== fanout) throw new Error("unexpected decision count");
    }
    const ns = Number(process.hrtime.bigint() - t0) / packets;
    if (run > 0) runs.push(ns); // run 0 warms up the JIT
  }
  runs.sort((a, b) => a - b);
  return runs[runs.length >> 1];
}

/** Cost of the call itself: tick() does nothing but count, with the same BigInt per call. */
async function callOverhead(packets: number): Promise<number> {
  const r = await Router.create(1, 1);
  const tick = r.x.tick;
  const runs: number[] = [];
  for (let run = 0; run < 6; run++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < packets; i++) tick(BigInt(i >> 5));
    if (run > 0) runs.push(Number(process.hrtime.bigint() - t0) / packets);
  }
  runs.sort((a, b) => a - b);
  return runs[runs.length >> 1];
}

async function main(): Promise<void> {
  const packets = Number(process.argv[2] ?? 200_000);
  console.log(`call overhead (tick, BigInt now): ${(await callOverhead(packets)).toFixed(1)} ns`);
  for (const fanout of [1, 4, 16, 64]) {
    const ns = await measure(fanout, packets);
    console.log(`fan-out ${String(fanout).padStart(2)}: ${ns.toFixed(1)} ns/packet, ${(ns / fanout).toFixed(1)} ns/recipient`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
