// harness.test.ts — a short real run of bench/run.sh: Janus processes with the bench
// runner, the plain-C reference and janus_lua (and janus-ts when built), then the report.
// Needs the build (bash scripts/build.sh) and root for the network namespace.
// Run: bash scripts/test.sh build/bench/harness.test.js
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

describe('bench harness (real Janus)', function () {
  this.timeout(180_000);

  it('runs every contender on the same workload, with equal deliveries, and writes json, md and svg', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
    const tsBuilt = fs.existsSync(path.join(root, 'host-c/build/libjanus_ts.so')) && fs.existsSync(path.join(root, 'router-as/build/router.wasm'));
    const contenders = ['ref', 'lua', ...(tsBuilt ? ['ts'] : [])];
    const log = execFileSync('bash', ['bench/run.sh'], {
      cwd: root, encoding: 'utf8',
      env: {
        ...process.env, BENCH_RESULTS: out, BENCH_ROUNDS: '1', BENCH_CONTENDERS: contenders.join(' '),
        BENCH_FANOUTS: '1,4', BENCH_DELIVERIES: '20000', BENCH_MIN_IN: '1000', BENCH_REPS: '2', BENCH_ROOM: '2x3',
        BENCH_ROOM_COPY: '0', BENCH_SWITCH: '10', BENCH_SWITCH_N: '3', BENCH_SIGNAL: '50', BENCH_TS_APP: '', BENCH_E2E: '0',
        BENCH_SIMULCAST: '3',
      },
    });
    assert.match(log, /bench: round 1\/1: lua/);
    const json = fs.readdirSync(out).find((f) => f.endsWith('.json'));
    assert.ok(json, 'a dated json result');
    const res = JSON.parse(fs.readFileSync(path.join(out, json!), 'utf8'));
    // the simulcast scenario needs layer targets: the plain-C reference has none
    assert.deepEqual(res.errors.map((e: { contender: string; scenario?: string }) => `${e.contender} ${e.scenario}`).sort(),
      ['ref simulcast'], 'no contender failed');
    // fan-out 1 and 4, the room, the room on 1 and 2 threads (scaling), the switch scenario
    // and simulcast (lua, and ts when built), each with all contenders agreeing and the
    // deliveries the workload asks for (simulcast: each subscriber only its substream)
    assert.equal(res.checks.length, 7);
    for (const c of res.checks) assert.ok(c.agree && c.complete, `${c.scenario}: ${c.detail}`);
    for (const c of ['lua', ...(tsBuilt ? ['ts'] : [])]) {
      const sim = res.relay.find((x: { contender: string; scenario: string }) => x.contender === c && x.scenario === 'simulcast');
      assert.ok(sim && sim.subs === 3, `${c} measured in the simulcast scenario`);
    }
    for (const c of contenders) {
      const r = res.relay.find((x: { contender: string; subs: number; scenario: string }) => x.contender === c && x.subs === 4 && x.scenario === 'fanout');
      assert.ok(r, `${c} measured at N=4`);
      assert.ok(r.nsPerDelivered.median > 0 && r.nsPerDelivered.median < 100_000, `${c}: ${r.nsPerDelivered.median} ns`);
    }
    const sig = res.signalling.find((s: { contender: string }) => s.contender === 'lua');
    assert.equal(sig.sync.failures + sig.async.failures, 0);
    const md = fs.readFileSync(path.join(out, 'latest.md'), 'utf8');
    assert.match(md, /Delivery check\*\*: 7\/7/);
    assert.match(md, /\*\*Scaling\*\*: the same room \(2×3\) driven by 1 and by 2 sending threads/);
    for (const c of contenders) {
      const scale = res.relay.filter((x: { contender: string; scenario: string }) => x.contender === c && x.scenario === 'scale');
      assert.deepEqual(scale.map((x: { threads: number }) => x.threads).sort(), [1, 2], `${c}: the room on 1 and on 2 threads`);
    }
    assert.match(fs.readFileSync(path.join(out, 'latest.svg'), 'utf8'), /^<svg/);
  });
});
