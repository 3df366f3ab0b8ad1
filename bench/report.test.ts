// report.test.ts — the report's statistics, delivery check, targets and chart.
// Run: bash scripts/test.sh build/bench/report.test.js
import * as assert from 'node:assert/strict';
import { aggregate, chart, markdown, spread } from './report';

const machine = { cpu: 'test cpu', cores: 2, kernel: 'Linux test', node: 'v20' };

function relay(contender: string, subs: number, wallNs: number, opts: { delivered?: number; checksum?: string } = {}) {
  const packetsIn = 1000;
  const delivered = opts.delivered ?? packetsIn * subs;
  return {
    contender, scenario: 'fanout', pubs: 1, subs, threads: 1, switchEvery: 0, packetsIn, setupNs: 1,
    reps: [1, 2, 3].map((i) => ({ wallNs: wallNs * i, cpuNs: wallNs * i, delivered, bytes: delivered * 100, checksum: opts.checksum ?? `c${subs}`, pli: 0 })),
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

  it('draws one line per contender, without the harness-only baseline', () => {
    const svg = chart(aggregate([relay('ts', 1, 1000), relay('ts', 4, 900), relay('lua', 1, 2000), relay('lua', 4, 2500), relay('null', 1, 10)]));
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
    assert.match(svg, /janus_lua/);
    assert.doesNotMatch(svg, /harness alone/);
  });
});
