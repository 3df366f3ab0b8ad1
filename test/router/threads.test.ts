// Several threads routing at once on one shared memory, as the C host runs the router: each
// worker thread has its own instance (attach) and sends RTP from its own sender as fast as it
// can, while the main thread keeps adding and removing a second feeder of a recipient stream
// (the stream goes from lock-free to locked and back), opens, routes and closes other
// recipients, and gives the checked sessions their m-lines again and again (set_streams
// republishes their kinds records under the senders). `sync` is a real grace period over the
// workers' in-call counters.
// Every relay to the checked streams is logged and must form one gapless run of output
// sequence numbers: a racing rewrite would repeat or skip a number. (Senders take their SSRC
// from an epoch the main thread bumps before re-adding a feeder, so a re-added feeder is a
// new source and continues the numbering instead of resuming its old offsets.)

import * as assert from "node:assert";
import { Worker } from "node:worker_threads";
import { instantiateRouter, releaseWasmPath, MEMORY_PAGES, EVERY, Medium, Dir } from "./router-harness";

const WORKERS = 3;
const PACKETS = 30000;
const PER_CYCLE = 100; // a worker sends at most this many packets per control cycle
const LOG_INTS = PACKETS * 8 * 3; // up to 8 relays per packet, (dst << 8 | mindex, seq, input seq)

// The worker: attach(thread), then PACKETS video packets (mindex 1) from `slot`, each call
// inside [odd, even] of its reader counter; logs every RELAY_RTP decision.
const WORKER = `
const { workerData: w } = require("node:worker_threads");
const fs = require("node:fs");
const readers = new Int32Array(w.readers), log = new Int32Array(w.log), done = new Int32Array(w.done);
const epoch = new Int32Array(w.epoch);
const sync = () => { throw new Error("sync called from a packet thread"); };
const x = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(w.wasm)), { env: { memory: w.memory, sync } }).exports;
if (x.attach(w.thread) !== 0) throw new Error("attach failed");
const u8 = new Uint8Array(w.memory.buffer), dv = new DataView(w.memory.buffer);
const inPtr = x.in_ptr(), outPtr = x.out_ptr();
let n = 0;
u8[inPtr] = 0x80; u8[inPtr + 1] = 96;
Atomics.add(done, 2, 1); // ready
for (let i = 0; i < w.packets; i++) {
  for (let c; i >= (c = Atomics.load(done, 1)) * w.perCycle; ) Atomics.wait(done, 1, c, 20); // keep pace with the control loop
  Atomics.add(readers, w.thread * 16, 1);
  dv.setUint32(inPtr + 8, 0x5000 + w.slot + (Atomics.load(epoch, 0) << 8));
  dv.setUint16(inPtr + 2, i);
  dv.setUint32(inPtr + 4, i * 3000);
  const r = x.rtp(w.slot, 1, 1, 100, BigInt(i), -1);
  Atomics.add(readers, w.thread * 16, 1);
  for (let j = 0; j < r; j++) {
    const o = outPtr + j * 16;
    if (u8[o] !== 1) continue;
    log[1 + n * 3] = (dv.getUint16(o + 4, true) << 8) | u8[o + 1];
    log[2 + n * 3] = dv.getUint16(o + 2, true);
    log[3 + n * 3] = i;
    n++;
  }
}
log[0] = n;
Atomics.add(done, 0, 1);
`;

describe("router on several threads", function () {
  this.timeout(120000);

  it("keeps every recipient stream gapless while feeders come and go and sessions close", async () => {
    const memory = new WebAssembly.Memory({ ...MEMORY_PAGES, shared: true });
    const readers = new SharedArrayBuffer(4 * 16 * (WORKERS + 1));
    const rd = new Int32Array(readers);
    let syncs = 0;
    const sync = () => {
      syncs++;
      for (let t = 1; t <= WORKERS; t++) {
        const s = Atomics.load(rd, t * 16);
        if (s & 1) while (Atomics.load(rd, t * 16) === s) { /* wait for that call to return */ }
      }
    };
    const x = await instantiateRouter(undefined, { memory, sync });
    assert.strictEqual(x.configure(32, 8, WORKERS + 1, 4), 0);
    assert.strictEqual(x.attach(0), 0);
    const live = () => {
      const s = x.session_open();
      x.session_start(s);
      for (const m of [Medium.AUDIO, Medium.VIDEO, Medium.DATA]) for (const d of [Dir.IN, Dir.OUT]) x.set_valve(s, m, d, 1);
      return s;
    };
    const senders = Array.from({ length: WORKERS }, live);
    const [x1, x2] = [live(), live()];
    assert.strictEqual(x.route_add(senders[0], EVERY, x1, EVERY), 0); // x1: fed by sender 0, + 2 at times
    assert.strictEqual(x.route_add(senders[1], EVERY, x2, EVERY), 0); // x2: fed by senders 1 and 2 all along
    assert.strictEqual(x.route_add(senders[2], 1, x2, 1), 0);

    const done = new SharedArrayBuffer(12); // [workers done, control cycles, workers ready]
    const epoch = new SharedArrayBuffer(4);
    const logs = senders.map(() => new SharedArrayBuffer(4 * (1 + LOG_INTS)));
    const exited = senders.map((slot, i) => new Promise<void>((resolve, reject) => {
      const w = new Worker(WORKER, { eval: true, workerData: {
        memory, readers, done, epoch, log: logs[i], wasm: releaseWasmPath(), thread: i + 1, slot, packets: PACKETS, perCycle: PER_CYCLE } });
      w.on("error", reject);
      w.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker ${i} exited with ${code}`))));
    }));

    // Waits (a little, yielding) until worker `thread` has made one whole call that began
    // after its counter read `seen`, unless it has sent all its packets: under load a burst
    // may not start before the control loop goes on.
    const oneCallOf = async (thread: number, seen: number) => {
      const target = seen + 2 + (seen & 1), until = Date.now() + 2000;
      const finished = () => Atomics.load(new Int32Array(logs[thread - 1]), 0) > 0;
      while (Atomics.load(rd, thread * 16) < target && !finished() && Date.now() < until) await new Promise((r) => setImmediate(r));
    };

    // Control plane: churn until every worker is done.
    let cycles = 0;
    while (Atomics.load(new Int32Array(done), 2) < WORKERS) await new Promise((r) => setTimeout(r, 5));
    const mlines = (slot: number) => {
      let lo = 0n;
      [0, 1].forEach((kind, m) => { lo |= BigInt(kind | 4 | 8 | 16) << BigInt(8 * m); }); // audio, video: active sendrecv
      assert.strictEqual(x.set_streams(slot, 2, lo, 0n), 0);
    };
    while (Atomics.load(new Int32Array(done), 0) < WORKERS) {
      for (const s of [...senders, x1, x2]) mlines(s);
      Atomics.add(new Int32Array(epoch), 0, 1);
      sync(); // packets from here on carry the new SSRCs
      assert.strictEqual(x.route_add(senders[2], EVERY, x1, EVERY), 0);
      const c = live();
      for (const s of senders) assert.strictEqual(x.route_add(s, EVERY, c, EVERY), 0);
      const feeder2 = Atomics.load(rd, WORKERS * 16); // senders[2]'s worker's in-call counter
      Atomics.store(new Int32Array(done), 1, ++cycles); // the workers' next burst starts now
      Atomics.notify(new Int32Array(done), 1);
      await oneCallOf(WORKERS, feeder2); // the second feeder is live before it goes again
      assert.strictEqual(x.route_remove(senders[2], EVERY, x1, EVERY), 0);
      if (cycles % 2) x.session_hangup(c);
      assert.strictEqual(x.session_close(c), 0);
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(exited);
    assert.ok(cycles >= PACKETS / PER_CYCLE, `${cycles} control cycles`);
    assert.ok(syncs > cycles * 5, `sync was called ${syncs} times`);

    const relays = new Map<number, { seq: number; src: number }[]>();
    logs.forEach((buf, w) => {
      const log = new Int32Array(buf);
      for (let k = 0; k < log[0]; k++) {
        const key = log[1 + k * 3];
        if (!relays.has(key)) relays.set(key, []);
        relays.get(key)!.push({ seq: log[2 + k * 3], src: w });
      }
    });
    for (const [name, slot] of [["x1", x1], ["x2", x2]] as const) {
      const got = relays.get((slot << 8) | 1) ?? [];
      const seqs = got.map((r) => r.seq).sort((a, b) => a - b);
      assert.ok(seqs.length >= PACKETS, `${name}: ${seqs.length} relays`);
      assert.ok(seqs[seqs.length - 1] < 65536 && seqs[0] + seqs.length - 1 === seqs[seqs.length - 1],
        `${name}: ${seqs.length} relays over seq ${seqs[0]}..${seqs[seqs.length - 1]}`);
      for (let k = 1; k < seqs.length; k++) assert.strictEqual(seqs[k], seqs[k - 1] + 1, `${name}: seq ${seqs[k]} after ${seqs[k - 1]}`);
    }
    const fromSender0 = (relays.get((x1 << 8) | 1) ?? []).filter((r) => r.src === 0).length;
    assert.strictEqual(fromSender0, PACKETS, "x1 got every packet of its permanent feeder");
    const fromOthers = (relays.get((x1 << 8) | 1) ?? []).filter((r) => r.src !== 0).length;
    assert.ok(fromOthers > 0, "the second feeder of x1 was live at times");
    const churn = [...relays.keys()].filter((k) => k >> 8 !== x1 && k >> 8 !== x2);
    assert.ok(churn.length > 0, "the churned recipients got packets");
    assert.strictEqual(x.route_count(senders[2]), 1);
  });
});
