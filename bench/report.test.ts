// report.test.ts — the report's statistics, delivery check, targets and chart.
// Run: bash scripts/test.sh build/bench/report.test.js
import * as assert from 'node:assert/strict';
import { aggregate, chart, markdown, spread } from './report';

const machine = { cpu: 'test cpu', cores: 2, kernel: 'Linux test', node: 'v20' };

function relay(contender: string, subs: number, wallNs: number,
  opts: { delivered?: number; expected?: number; checksum?: string; scenario?: string; pubs?: number; threads?: number; cpuNs?: number;
    threadCpuNs?: number[] } = {}) {
  const packetsIn = 1000;
  const delivered = opts.delivered ?? opts.expected ?? packetsIn * subs;
  return {
    contender, scenario: opts.scenario ?? 'fanout', pubs: opts.pubs ?? 1, subs, threads: opts.threads ?? 1, switchEvery: 0, packetsIn, setupNs: 1,
    reps: [1, 2, 3].map((i) => ({ wallNs: wallNs * i, cpuNs: (opts.cpuNs ?? wallNs) * i, delivered, ...(opts.expected !== undefined ? { expected: opts.expected } : {}), bytes: delivered * 100, checksum: opts.checksum ?? `c${subs}`, pli: 0,
      ...(opts.threadCpuNs ? { threads: opts.threadCpuNs.map((c) => ({ spanNs: wallNs * i, cpuNs: c * i })) } : {}) })),
  };
}

describe('bench report', () => {
  it('computes min, median and max, the median of an even count being the mean of the middle two', () => {
    assert.deepEqual(spread([5, 1, 3]), { min: 1, median: 3, max: 5, n: 3 });
    assert.equal(spread([4, 1, 3, 2]).median, 2.5);
  });

  it('reports ns per incoming and per delivered packet as the median of per-process medians', () => {
    const agg = aggregate([relay('lua', 4, 100_000), relay('lua', 4, 300_000)]);
    const r = agg.relay.find((x) => x.contender === 'lua')!;
    // process medians: 200 and 600 ns per incoming → 400; per delivered: /4
    assert.equal(r.nsPerIncoming.median, 400);
    assert.equal(r.nsPerDelivered.median, 100);
    assert.equal(r.nsPerIncoming.min, 100);
    assert.equal(r.nsPerIncoming.max, 900);
    assert.equal(r.processes, 2);
  });

  it('passes the delivery check only when every contender delivered the same packets, all of them', () => {
    const ok = aggregate([relay('lua', 4, 1), relay('ts', 4, 1), relay('null', 4, 1, { delivered: 0 })]);
    assert.deepEqual(ok.checks.map((c) => [c.agree, c.complete]), [[true, true]], 'null (delivers nothing) is left out');
    const wrong = aggregate([relay('lua', 4, 1), relay('ts', 4, 1, { checksum: 'other' })]);
    assert.equal(wrong.checks[0].agree, false);
    assert.match(wrong.checks[0].detail, /ts/);
    const short = aggregate([relay('lua', 4, 1, { delivered: 3999 }), relay('ts', 4, 1, { delivered: 3999 })]);
    assert.equal(short.checks[0].agree, true);
    assert.equal(short.checks[0].complete, false);
    assert.match(markdown(short, machine, 'now', {}), /some packets not delivered/);
  });

  it('evaluates the targets from the measured figures', () => {
    const lines = [relay('ts', 1, 150_000), relay('ref', 1, 40_000), relay('ts', 4, 200_000), relay('lua', 4, 100_000),
      relay('videoroom', 4, 400_000)];
    const md = markdown(aggregate(lines), machine, 'now', {});
    assert.match(md, /≤ lua: \*\*missed\*\* at N=4/);
    assert.match(md, /≤ videoroom: met/);
    assert.match(md, /within 100 ns of the plain-C reference: \*\*missed\*\* \(300 vs 80\.0 ns/);
  });

  it('evaluates issue 9\'s targets: rooms per core, scaling side by side, N = 1 and N ≥ 16 against lua', () => {
    const room = (c: string, cpuNs: number, scenario = 'room') => relay(c, 10, 1_000_000, { scenario, pubs: 10, threads: 2, cpuNs });
    const scale = (c: string, threads: number, wallNs: number, threadCpuNs?: number[]) =>
      relay(c, 10, wallNs, { scenario: 'scale', pubs: 10, threads, threadCpuNs });
    const lines = [
      relay('ts', 1, 80_000), relay('lua', 1, 90_000), relay('ts', 16, 300_000), relay('lua', 16, 900_000),
      room('ts', 400_000), room('lua', 600_000), room('videoroom', 500_000),
      room('ts', 1_000_000, 'room-copy'), room('lua', 1_100_000, 'room-copy'),
      scale('ts', 1, 1_000_000, [990_000]), scale('ts', 2, 560_000, [520_000, 519_500]),
      scale('lua', 1, 1_000_000), scale('lua', 2, 700_000),
    ];
    const md = markdown(aggregate(lines), machine, 'now', {});
    assert.match(md, /- room 10×10 on 2 threads, delivered\/s per core ≥ 1\.2× lua and videoroom: met \(ts\/lua 1\.50, ts\/videoroom 1\.25\)/);
    assert.match(md, /room with copying relays 10×10 on 2 threads, .*: \*\*missed\*\* \(ts\/lua 1\.10\)/);
    assert.match(md, /scaling, 2 threads ≥ 1\.6× 1 thread and no less than lua's ratio: met \(ts 1\.79, lua 1\.43\)/);
    assert.match(md, /N = 1, ns per incoming packet ≤ lua's: met \(160 vs 180\)/);
    assert.match(md, /N ≥ 16, ns per delivered packet ≤ 0\.35× lua's: met \(N=16: 0\.33\)/);
    assert.match(md, /\| janus-ts \(router\.wasm\) \| 5\.00 \| 8\.93 \| 1\.79 \|/, 'the scaling table, side by side');
    assert.match(md, /\| janus_lua \| 5\.00 \| 7\.14 \| 1\.43 \|/);
    // the driving threads' own CPU per delivered packet: (520000 + 519500) / 990000 = 1.05; none in lua's lines
    assert.match(md, /\| janus-ts \(router\.wasm\) \| 5\.00 \| 8\.93 \| 1\.79 \| [0-9.]+ \| [0-9.]+ \| 1\.05 \|/);
    assert.match(md, /\| janus_lua \| 5\.00 \| 7\.14 \| 1\.43 \| [0-9.]+ \| [0-9.]+ \| – \|/);
  });

  it('reports the simulcast scenario side by side, checks its deliveries against what it asks for, and its target', () => {
    const sim = (c: string, subs: number, wallNs: number, delivered?: number) =>
      relay(c, subs, wallNs, { scenario: 'simulcast', expected: subs * 300, ...(delivered !== undefined ? { delivered } : {}) });
    const agg = aggregate([sim('ts', 16, 1_000_000), sim('videoroom', 16, 3_000_000), sim('ts', 64, 2_000_000), sim('videoroom', 64, 3_000_000),
      sim('lua', 16, 2_000_000), sim('duktape', 64, 2_500_000)]);
    assert.ok(agg.checks.every((c) => c.agree && c.complete), 'a third of packetsIn × subs is complete when that is what was asked');
    const md = markdown(agg, machine, 'now', {});
    assert.match(md, /\*\*Simulcast\*\*[^\n]*\n\n\| contender \| N=16 \| N=64 \|/);
    assert.match(md, /\| janus_lua \| 833 <sub>417–1250<\/sub> \| – \|\n\| janus_duktape \| – \| 260 <sub>130–391<\/sub> \|/, 'the script plugins side by side');
    const wrong = aggregate([sim('ts', 16, 1), sim('lua', 16, 1, 5000)]);
    assert.match(wrong.checks[0].detail, /ts: .* \| lua: /, 'a script plugin delivering other packets fails the check');
    assert.match(md, /at N ≥ 16 ≤ 0\.5× janus_videoroom's: \*\*missed\*\* \(N=16: 0\.33, N=64: 0\.67\)/);
    const short = aggregate([sim('ts', 16, 1, 4799), sim('videoroom', 16, 1, 4799)]);
    assert.equal(short.checks[0].complete, false);
  });

  it('draws one line per contender, without the harness-only baseline', () => {
    const svg = chart(aggregate([relay('ts', 1, 1000), relay('ts', 4, 900), relay('lua', 1, 2000), relay('lua', 4, 2500), relay('null', 1, 10)]));
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
    assert.match(svg, /janus_lua/);
    assert.doesNotMatch(svg, /harness alone/);
  });
});
