// report.ts — turns the runner's JSON lines (bench/run.sh) into bench/results/<date>.json,
// latest.md (tables + targets) and latest.svg (ns per delivered packet vs fan-out).
//   node build/bench/report.js RAW.jsonl OUTDIR
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { renderChart, Series } from './chart';

/** `expected`: deliveries the workload asks for (older runs: packetsIn × subs); `threads`:
 *  each driving thread's own wall time and CPU time in the pass (newer runs). */
interface Rep {
  wallNs: number; cpuNs: number; delivered: number; expected?: number; bytes: number; checksum: string; pli: number;
  threads?: { spanNs: number; cpuNs: number }[];
}
interface RelayLine {
  contender: string; scenario: string; pubs: number; subs: number; threads: number;
  switchEvery: number; packetsIn: number; setupNs: number; reps: Rep[];
}
interface SigKind { backToBackRps: number; rate: number; p50Us: number; p99Us: number; maxUs: number; failures: number }
interface SigLine { contender: string; scenario: 'signalling'; count: number; sync: SigKind; async: SigKind | null }
interface ErrLine { contender: string; scenario?: string; error: string }
type Line = RelayLine | SigLine | ErrLine;

/** min / median / max of a list of numbers. */
export interface Spread { min: number; median: number; max: number; n: number }
export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { min: s[0], median: mid, max: s[s.length - 1], n: s.length };
}

export interface RelayResult {
  contender: string; scenario: string; pubs: number; subs: number; threads: number; switchEvery: number;
  processes: number; packetsIn: number; expectedDelivered: number;
  nsPerIncoming: Spread; nsPerDelivered: Spread; deliveredPerCoreSecond: Spread;
  /** delivered packets per second of wall time (the scaling scenario compares threads) */
  deliveredPerSecond: Spread;
  /** the driving threads' own CPU time per delivered packet, ns (absent in older runs) */
  threadCpuPerDelivered?: Spread;
  /** delivered count and checksum of every rep, in order (the same workload everywhere) */
  deliveries: string[];
}

const key = (l: { scenario: string; pubs: number; subs: number; switchEvery: number; threads: number }) =>
  `${l.scenario}/${l.pubs}x${l.subs}/k${l.switchEvery}/t${l.threads}`;

export function aggregate(lines: Line[]) {
  const relay = new Map<string, RelayLine[]>();
  const sig = new Map<string, SigLine[]>();
  const errors: ErrLine[] = [];
  for (const l of lines) {
    if ('error' in l) errors.push(l);
    else if (l.scenario === 'signalling') {
      const s = l as SigLine;
      sig.set(s.contender, [...(sig.get(s.contender) ?? []), s]);
    } else {
      const r = l as RelayLine;
      const k = `${r.contender}|${key(r)}`;
      relay.set(k, [...(relay.get(k) ?? []), r]);
    }
  }
  const results: RelayResult[] = [];
  for (const group of relay.values()) {
    const f = group[0];
    const reps = group.flatMap((g) => g.reps);
    // Headline = median over processes of each process's median rep (this VM has slow
    // phases that hit a whole process); min/max over every rep show the spread.
    const perProcess = (f: (r: Rep) => number) => {
      const all = spread(reps.map(f));
      return { ...all, median: spread(group.map((g) => spread(g.reps.map(f)).median)).median };
    };
    results.push({
      contender: f.contender, scenario: f.scenario, pubs: f.pubs, subs: f.subs, threads: f.threads,
      switchEvery: f.switchEvery, processes: group.length, packetsIn: f.packetsIn,
      expectedDelivered: f.packetsIn * f.subs,
      nsPerIncoming: perProcess((r) => r.wallNs / f.packetsIn),
      nsPerDelivered: perProcess((r) => r.wallNs / Math.max(1, r.delivered)),
      deliveredPerCoreSecond: perProcess((r) => r.delivered / (r.cpuNs / 1e9)),
      deliveredPerSecond: perProcess((r) => r.delivered / (r.wallNs / 1e9)),
      threadCpuPerDelivered: reps.every((r) => r.threads?.length)
        ? perProcess((r) => r.threads!.reduce((a, t) => a + t.cpuNs, 0) / Math.max(1, r.delivered)) : undefined,
      deliveries: f.reps.map((r) => `${r.delivered}:${r.checksum}`),
    });
  }
  // Delivery check: per scenario, every contender (and every process) saw the same
  // deliveries rep by rep, and as many as the workload asks for.
  const checks: { scenario: string; agree: boolean; complete: boolean; detail: string }[] = [];
  const byScenario = new Map<string, RelayLine[]>();
  for (const group of relay.values()) for (const g of group) if (g.contender !== 'null') byScenario.set(key(g), [...(byScenario.get(key(g)) ?? []), g]);
  for (const [k, gs] of byScenario) {
    const sigs = new Map<string, Set<string>>();
    for (const g of gs) {
      const s = g.reps.map((r) => `${r.delivered}:${r.checksum}`).join(',');
      if (!sigs.has(s)) sigs.set(s, new Set());
      sigs.get(s)!.add(g.contender);
    }
    const complete = gs.every((g) => g.reps.every((r) => r.delivered === (r.expected ?? g.packetsIn * g.subs)));
    const detail = sigs.size === 1 ? `${[...sigs.values()][0].size} contenders` :
      [...sigs.entries()].map(([s, c]) => `${[...c].join('+')}: ${s.split(',')[0]}…`).join(' | ');
    checks.push({ scenario: k, agree: sigs.size === 1, complete, detail });
  }
  const signalling = [...sig.entries()].map(([contender, ls]) => ({
    contender, processes: ls.length,
    sync: sigSummary(ls.map((l) => l.sync)),
    async: ls.every((l) => l.async) ? sigSummary(ls.map((l) => l.async!)) : null,
  }));
  return { relay: results, checks, signalling, errors };
}

function sigSummary(ks: SigKind[]) {
  return {
    rate: ks[0].rate,
    backToBackRps: spread(ks.map((k) => k.backToBackRps)),
    p50Us: spread(ks.map((k) => k.p50Us)),
    p99Us: spread(ks.map((k) => k.p99Us)),
    maxUs: spread(ks.map((k) => k.maxUs)),
    failures: ks.reduce((a, k) => a + k.failures, 0),
  };
}

export function machine() {
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const l = execFileSync('lscpu', { encoding: 'utf8' });
    model = /Model name:\s*(.*)/.exec(l)?.[1]?.trim() ?? model;
  } catch { /* lscpu missing: keep os.cpus() */ }
  return { cpu: model, cores: os.cpus().length, kernel: `${os.type()} ${os.release()}`, node: process.version };
}

const ORDER = ['ts', 'ts-capp', 'ref', 'ref-outside', 'lua', 'duktape', 'videoroom', 'null'];
const LABEL: Record<string, string> = {
  ts: 'janus-ts (router.wasm)', 'ts-capp': 'janus-ts, C app on the socket (no Node)', ref: 'plain-C reference router',
  'ref-outside': 'plain-C reference, relays outside the lock', lua: 'janus_lua',
  duktape: 'janus_duktape', videoroom: 'janus_videoroom', null: 'harness alone (plugin does nothing)',
};
const byOrder = (a: string, b: string) => (ORDER.indexOf(a) + 99) % 99 - (ORDER.indexOf(b) + 99) % 99 || a.localeCompare(b);
const f1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const cell = (s: Spread) => `${f1(s.median)} <sub>${f1(s.min)}–${f1(s.max)}</sub>`;

export function markdown(agg: ReturnType<typeof aggregate>, m: ReturnType<typeof machine>, when: string, env: Record<string, string>) {
  const out: string[] = [];
  const fan = agg.relay.filter((r) => r.scenario === 'fanout');
  const ns = [...new Set(fan.map((r) => r.subs))].sort((a, b) => a - b);
  const cs = [...new Set(agg.relay.map((r) => r.contender))].sort(byOrder);
  const get = (c: string, n: number) => fan.find((r) => r.contender === c && r.subs === n);
  out.push(`Run ${when} on ${m.cpu}, ${m.cores} cores, ${m.kernel}. Each contender ran in its own Janus`);
  out.push(`process (${fan[0]?.processes ?? 0} per contender, interleaved), driven through its real plugin API by a`);
  out.push('fake core whose relay only counts; cells: median over processes of each process\'s median rep, with min–max over all reps.');
  if (Object.keys(env).length) out.push(`Settings: ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(', ')}.`);
  out.push('');
  out.push('**ns per delivered packet**, 1 publisher → N subscribers (audio 100 B + video 1100 B):');
  out.push('');
  out.push(`| contender | ${ns.map((n) => `N=${n}`).join(' | ')} |`);
  out.push(`|---|${ns.map(() => '---:').join('|')}|`);
  for (const c of cs.filter((c) => c !== 'null')) out.push(`| ${LABEL[c] ?? c} | ${ns.map((n) => { const r = get(c, n); return r ? cell(r.nsPerDelivered) : '–'; }).join(' | ')} |`);
  out.push('');
  out.push('**ns per incoming packet** (the whole fan-out of one packet):');
  out.push('');
  out.push(`| contender | ${ns.map((n) => `N=${n}`).join(' | ')} |`);
  out.push(`|---|${ns.map(() => '---:').join('|')}|`);
  for (const c of cs) out.push(`| ${LABEL[c] ?? c} | ${ns.map((n) => { const r = get(c, n); return r ? cell(r.nsPerIncoming) : '–'; }).join(' | ')} |`);
  out.push('');
  out.push(...simulcastTable(agg, cs));
  const others = agg.relay.filter((r) => r.scenario !== 'fanout' && r.scenario !== 'scale' && r.scenario !== 'simulcast' && r.contender !== 'null');
  if (others.length) {
    out.push('**Rooms and switches** (ns per delivered packet; delivered packets per second per core):');
    out.push('');
    out.push('| scenario | contender | ns / delivered | delivered / s / core |');
    out.push('|---|---|---:|---:|');
    for (const r of others.sort((a, b) => a.scenario.localeCompare(b.scenario) || byOrder(a.contender, b.contender))) {
      const what = r.scenario === 'room' ? `room ${r.pubs}×${r.subs}, ${r.threads} threads` :
        r.scenario === 'room-copy' ? `room ${r.pubs}×${r.subs}, ${r.threads} threads, relays copy the packet` :
        `switch every ${r.switchEvery} pkts, N=${r.subs}`;
      out.push(`| ${what} | ${LABEL[r.contender] ?? r.contender} | ${cell(r.nsPerDelivered)} | ${(r.deliveredPerCoreSecond.median / 1e6).toFixed(2)} M |`);
    }
    out.push('');
  }
  out.push(...scalingTable(agg, cs));
  out.push('**Delivered packets per second per core** (fan-out, median, millions):');
  out.push('');
  out.push(`| contender | ${ns.map((n) => `N=${n}`).join(' | ')} |`);
  out.push(`|---|${ns.map(() => '---:').join('|')}|`);
  for (const c of cs.filter((c) => c !== 'null')) out.push(`| ${LABEL[c] ?? c} | ${ns.map((n) => { const r = get(c, n); return r ? (r.deliveredPerCoreSecond.median / 1e6).toFixed(2) : '–'; }).join(' | ')} |`);
  out.push('');
  const bad = agg.checks.filter((c) => !c.agree || !c.complete);
  out.push(`**Delivery check**: ${agg.checks.length - bad.length}/${agg.checks.length} scenarios with the same delivered count and checksum ` +
    'for every contender and every rep, and every packet delivered to every subscriber.');
  for (const b of bad) out.push(`- ${b.scenario}: ${b.agree ? '' : 'contenders disagree: ' + b.detail}${b.complete ? '' : ' (some packets not delivered)'}`);
  out.push('');
  if (agg.signalling.length) {
    out.push('**Signalling** (`handle_message` round trips through the plugin; latency paced at the given rate):');
    out.push('');
    out.push('| contender | sync req/s (back to back) | sync p50 / p99 µs | async req/s | async p50 / p99 µs (request → push_event) |');
    out.push('|---|---:|---:|---:|---:|');
    // janus-ts answers from a Node app over the control socket; ts-capp is the same plugin
    // with the harness answering on the socket in C, i.e. without Node's share.
    for (const s of agg.signalling.sort((a, b) => byOrder(a.contender, b.contender))) {
      const a = s.async;
      out.push(`| ${LABEL[s.contender] ?? s.contender} | ${s.sync.backToBackRps.median.toFixed(0)} | ${f1(s.sync.p50Us.median)} / ${f1(s.sync.p99Us.median)} | ` +
        `${a ? a.backToBackRps.median.toFixed(0) : '–'} | ${a ? `${f1(a.p50Us.median)} / ${f1(a.p99Us.median)}` : '–'} |`);
    }
    out.push(`(paced at ${agg.signalling[0].sync.rate} req/s)`);
    out.push('');
  }
  out.push(...targets(agg));
  if (agg.errors.length) {
    out.push('');
    out.push('**Not measured**:');
    const seen = new Set<string>();
    for (const e of agg.errors) {
      const t = `${e.contender}: ${e.error}`;
      if (!seen.has(t)) { seen.add(t); out.push(`- ${t}`); }
    }
  }
  return out.join('\n') + '\n';
}

/** Per contender: the room's delivered packets per second on 1 thread and on more. */
export function scaling(agg: ReturnType<typeof aggregate>, c: string) {
  const sc = agg.relay.filter((r) => r.scenario === 'scale' && r.contender === c);
  const one = sc.find((r) => r.threads === 1), many = sc.filter((r) => r.threads > 1).sort((a, b) => b.threads - a.threads)[0];
  if (!one || !many) return undefined;
  return { one, many, ratio: many.deliveredPerSecond.median / one.deliveredPerSecond.median };
}

function scalingTable(agg: ReturnType<typeof aggregate>, cs: string[]): string[] {
  const rows = cs.filter((c) => c !== 'null').map((c) => [c, scaling(agg, c)] as const).filter(([, x]) => x);
  if (!rows.length) return [];
  const t = rows[0][1]!.many.threads;
  const out = [`**Scaling**: the same room (${rows[0][1]!.one.pubs}×${rows[0][1]!.one.subs}) driven by 1 and by ${t} sending ` +
    'threads, delivered packets per second (wall time, millions, median). The last three columns separate the ' +
    'machine from the plugin: the cores the process kept busy with ' + t + ' threads (CPU time / wall time; below ' +
    t + ' when other work took the cores or one thread finished before the other), its packets per CPU second ' +
    'with ' + t + ' threads over 1 thread, and the driving threads\' own CPU time per delivered packet with ' + t +
    ' threads over 1 thread (above 1 by what the threads cost each other):', ''];
  out.push(`| contender | 1 thread | ${t} threads | ratio | cores busy (${t} threads) | per CPU second, ${t} threads / 1 | threads' CPU per packet, ${t} / 1 |`);
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const [c, x] of rows) {
    const { one, many } = x!;
    const busy = many.deliveredPerSecond.median / many.deliveredPerCoreSecond.median;
    const perCore = many.deliveredPerCoreSecond.median / one.deliveredPerCoreSecond.median;
    const own = one.threadCpuPerDelivered && many.threadCpuPerDelivered
      ? (many.threadCpuPerDelivered.median / one.threadCpuPerDelivered.median).toFixed(2) : '–';
    out.push(`| ${LABEL[c] ?? c} | ${(one.deliveredPerSecond.median / 1e6).toFixed(2)} | ${(many.deliveredPerSecond.median / 1e6).toFixed(2)} | ` +
      `${x!.ratio.toFixed(2)} | ${busy.toFixed(2)} | ${perCore.toFixed(2)} | ${own} |`);
  }
  out.push('');
  return out;
}

/** The simulcast scenario: ns per delivered packet per contender and N. */
const simulcastOf = (agg: ReturnType<typeof aggregate>, c: string, n: number) =>
  agg.relay.find((r) => r.scenario === 'simulcast' && r.contender === c && r.subs === n)?.nsPerDelivered;

function simulcastTable(agg: ReturnType<typeof aggregate>, cs: string[]): string[] {
  const ns = [...new Set(agg.relay.filter((r) => r.scenario === 'simulcast').map((r) => r.subs))].sort((a, b) => a - b);
  if (!ns.length) return [];
  const out = ['**Simulcast** (ns per delivered packet): 1 publisher sending three VP8 substreams (1, 2, 3 packets per frame ' +
    'at 30 fps, temporal layers, key frames every 2 s) → N subscribers aiming at substream i % 3:', ''];
  out.push(`| contender | ${ns.map((n) => `N=${n}`).join(' | ')} |`);
  out.push(`|---|${ns.map(() => '---:').join('|')}|`);
  for (const c of cs.filter((c) => ns.some((n) => simulcastOf(agg, c, n)))) {
    out.push(`| ${LABEL[c] ?? c} | ${ns.map((n) => { const x = simulcastOf(agg, c, n); return x ? cell(x) : '–'; }).join(' | ')} |`);
  }
  out.push('');
  return out;
}

/** Issue 11's target: simulcast per delivered packet at N ≥ 16, ≤ 0.5× janus_videoroom. */
function simulcastTarget(agg: ReturnType<typeof aggregate>): string[] {
  const ns = [...new Set(agg.relay.filter((r) => r.scenario === 'simulcast').map((r) => r.subs))]
    .filter((n) => n >= 16 && simulcastOf(agg, 'ts', n) && simulcastOf(agg, 'videoroom', n)).sort((a, b) => a - b);
  if (!ns.length) return [];
  const ratio = (n: number) => simulcastOf(agg, 'ts', n)!.median / simulcastOf(agg, 'videoroom', n)!.median;
  return ['', '**Target** (issue 11, simulcast):', '',
    `- simulcast, ns per delivered packet at N ≥ 16 ≤ 0.5× janus_videoroom's: ${ok(ns.every((n) => ratio(n) <= 0.5))} ` +
    `(${ns.map((n) => `N=${n}: ${ratio(n).toFixed(2)}`).join(', ')})`];
}

const ok = (b: boolean) => (b ? 'met' : '**missed**');

/** Issue 9's targets: rooms per core against Lua and VideoRoom, scaling, N = 1, N ≥ 16. */
function dataplaneTargets(agg: ReturnType<typeof aggregate>): string[] {
  const out: string[] = [];
  const fan = agg.relay.filter((r) => r.scenario === 'fanout');
  const med = (c: string, n: number, f: 'nsPerDelivered' | 'nsPerIncoming') => fan.find((r) => r.contender === c && r.subs === n)?.[f].median;
  for (const sc of ['room', 'room-copy']) {
    const per = (c: string) => agg.relay.find((r) => r.scenario === sc && r.contender === c)?.deliveredPerCoreSecond.median;
    const ts = per('ts');
    if (ts === undefined) continue;
    const vs = ['lua', 'videoroom'].map((c) => [c, per(c)] as const).filter(([, v]) => v !== undefined);
    const r = agg.relay.find((x) => x.scenario === sc && x.contender === 'ts')!;
    out.push(`- ${sc === 'room' ? 'room' : 'room with copying relays'} ${r.pubs}×${r.subs} on ${r.threads} threads, delivered/s per core ≥ 1.2× lua and videoroom: ` +
      `${ok(vs.length > 0 && vs.every(([, v]) => ts >= 1.2 * v!))} (${vs.map(([c, v]) => `ts/${c} ${(ts / v!).toFixed(2)}`).join(', ')})`);
  }
  const ts = scaling(agg, 'ts'), lua = scaling(agg, 'lua');
  if (ts) out.push(`- scaling, ${ts.many.threads} threads ≥ 1.6× 1 thread and no less than lua's ratio: ` +
    `${ok(ts.ratio >= 1.6 && (!lua || ts.ratio >= lua.ratio))} (ts ${ts.ratio.toFixed(2)}${lua ? `, lua ${lua.ratio.toFixed(2)}` : ''})`);
  const t1 = med('ts', 1, 'nsPerIncoming'), l1 = med('lua', 1, 'nsPerIncoming');
  if (t1 !== undefined && l1 !== undefined) out.push(`- N = 1, ns per incoming packet ≤ lua's: ${ok(t1 <= l1)} (${f1(t1)} vs ${f1(l1)})`);
  const big = [...new Set(fan.map((r) => r.subs))].filter((n) => n >= 16 && med('ts', n, 'nsPerDelivered') !== undefined && med('lua', n, 'nsPerDelivered') !== undefined).sort((a, b) => a - b);
  if (big.length) {
    const ratio = (n: number) => med('ts', n, 'nsPerDelivered')! / med('lua', n, 'nsPerDelivered')!;
    out.push(`- N ≥ 16, ns per delivered packet ≤ 0.35× lua's: ${ok(big.every((n) => ratio(n) <= 0.35))} (${big.map((n) => `N=${n}: ${ratio(n).toFixed(2)}`).join(', ')})`);
  }
  return out;
}

/** The issues' targets, checked against what was measured. */
function targets(agg: ReturnType<typeof aggregate>): string[] {
  const fan = agg.relay.filter((r) => r.scenario === 'fanout');
  const med = (c: string, n: number, f: 'nsPerDelivered' | 'nsPerIncoming') => fan.find((r) => r.contender === c && r.subs === n)?.[f].median;
  const ns = [...new Set(fan.map((r) => r.subs))].filter((n) => n >= 4).sort((a, b) => a - b);
  if (med('ts', ns[0] ?? 4, 'nsPerDelivered') === undefined) {
    return ['**Targets**:', '', '- janus-ts was not measured in the fan-out, those targets not evaluated.', ...simulcastTarget(agg)];
  }
  const out = ['**Targets** (issue 9, the parallel data plane):', '', ...dataplaneTargets(agg), ...simulcastTarget(agg), '', '**Earlier targets** (issue 4):', ''];
  for (const other of ['lua', 'videoroom']) {
    const worse = ns.filter((n) => (med('ts', n, 'nsPerDelivered') ?? Infinity) > (med(other, n, 'nsPerDelivered') ?? -Infinity));
    const ratios = ns.map((n) => { const a = med('ts', n, 'nsPerDelivered'), b = med(other, n, 'nsPerDelivered'); return a && b ? `N=${n}: ${(a / b).toFixed(2)}` : null; }).filter(Boolean);
    out.push(`- per delivered packet at N ≥ 4, ≤ ${other}: ${worse.length ? `**missed** at N=${worse.join(', ')}` : 'met'} (ts/${other}: ${ratios.join(', ')})`);
  }
  const t1 = med('ts', 1, 'nsPerIncoming'), r1 = med('ref', 1, 'nsPerIncoming');
  if (t1 !== undefined && r1 !== undefined)
    out.push(`- Wasm overhead at N=1 within 100 ns of the plain-C reference: ${t1 - r1 <= 100 ? 'met' : '**missed**'} (${f1(t1)} vs ${f1(r1)} ns per incoming packet, +${f1(t1 - r1)} ns)`);
  const s = agg.signalling.find((x) => x.contender === 'ts');
  if (s) out.push(`- signalling p99 under 1 ms at ${s.sync.rate} req/s: sync ${s.sync.p99Us.median < 1000 ? 'met' : '**missed**'} (${f1(s.sync.p99Us.median)} µs)` +
    (s.async ? `, async ${s.async.p99Us.median < 1000 ? 'met' : '**missed**'} (${f1(s.async.p99Us.median)} µs)` : ''));
  return out;
}

export function chart(agg: ReturnType<typeof aggregate>): string {
  const fan = agg.relay.filter((r) => r.scenario === 'fanout');
  const series: Series[] = [...new Set(fan.map((r) => r.contender))].filter((c) => c !== 'null' && c !== 'ref-outside').sort(byOrder).map((c) => ({
    name: LABEL[c] ?? c,
    points: fan.filter((r) => r.contender === c).sort((a, b) => a.subs - b.subs)
      .map((r) => ({ x: r.subs, y: r.nsPerDelivered.median, lo: r.nsPerDelivered.min, hi: r.nsPerDelivered.max })),
  }));
  return renderChart(series, { title: 'ns per delivered packet vs fan-out (1 publisher → N subscribers)', xLabel: 'subscribers N', yLabel: 'ns per delivered packet' });
}

function main() {
  const [raw, outDir] = process.argv.slice(2);
  if (!raw || !outDir) throw new Error('usage: report.js RAW.jsonl OUTDIR');
  const lines: Line[] = fs.readFileSync(raw, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const agg = aggregate(lines);
  const m = machine();
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_') && k !== 'BENCH_OUT' && k !== 'BENCH_RESULTS') as [string, string][]);
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = when.replace(/:/g, '-');
  fs.writeFileSync(path.join(outDir, `${stamp}.json`), JSON.stringify({ when, machine: m, settings: env, ...agg, raw: lines }));
  const md = markdown(agg, m, when, env);
  fs.writeFileSync(path.join(outDir, 'latest.md'), md);
  fs.writeFileSync(path.join(outDir, 'latest.svg'), chart(agg));
  process.stdout.write(md);
  console.log(`bench: wrote ${path.join(outDir, `${stamp}.json`)}, latest.md, latest.svg`);
}

if (require.main === module) main();
