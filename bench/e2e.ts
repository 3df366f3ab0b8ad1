// e2e.ts — end-to-end relay cost in a real Janus: P werift peers, each sending audio and
// video through an EchoTest and receiving it back, over real ICE/DTLS/SRTP. Contenders:
// janus-ts running the echotest example app, janus_lua running the stock echotest.lua, and
// Janus's native echotest plugin. Figure: the Janus process's CPU time per echoed packet
// (from /proc, so the peers' own CPU does not count) — the whole gateway path, of which
// the plugin is a small share.
//   bash scripts/netns-run.sh node build/bench/e2e.js OUT_DIR
// Env: BENCH_E2E_PEERS (default 4), BENCH_E2E_SECONDS (measured window, default 10),
//      BENCH_E2E_VIDEO_PPS (default 100), BENCH_E2E_CONTENDERS (default "ts lua echotest").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Janus, JanusSession } from '../test/helpers/janus';
import { ECHOTEST_APP, TsJanus, missingTsPieces, processesWith } from '../test/helpers/ts-janus';
import { WeriftPeer } from '../test/helpers/werift-peer';

const PEERS = Number(process.env.BENCH_E2E_PEERS ?? 4);
const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 10);
const VIDEO_PPS = Number(process.env.BENCH_E2E_VIDEO_PPS ?? 100);
const CONTENDERS = (process.env.BENCH_E2E_CONTENDERS ?? 'ts lua echotest').split(/\s+/).filter(Boolean);
const LUA_SCRIPT = '/usr/share/janus/lua/echotest.lua';
const TICK_HZ = 100; // USER_HZ: /proc/<pid>/stat times are in 1/100 s

interface Started { janus: Janus; pkg: string; stop(): Promise<void> }

async function start(c: string): Promise<Started> {
  if (c === 'ts') {
    const missing = missingTsPieces(ECHOTEST_APP);
    if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
    const ts = await TsJanus.start({ app: ECHOTEST_APP, package: 'janus.plugin.echotest', janus: { debugLevel: 4 } });
    return { janus: ts.janus, pkg: 'janus.plugin.echotest', stop: () => ts.stop() };
  }
  if (c === 'lua') {
    const janus = await Janus.start({ plugins: ['lua'], luaScript: LUA_SCRIPT, debugLevel: 4 });
    return { janus, pkg: 'janus.plugin.echolua', stop: () => janus.stop() };
  }
  const janus = await Janus.start({ plugins: ['echotest'], debugLevel: 4 });
  return { janus, pkg: 'janus.plugin.echotest', stop: () => janus.stop() };
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK_HZ; // fields 14 and 15 of stat(5)
}

function janusPid(janus: Janus): number {
  const pids = processesWith(path.join(janus.dir, 'janus.jcfg'))
    .filter((p) => fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'janus');
  if (pids.length !== 1) throw new Error(`expected one janus process, found ${pids.length}`);
  return pids[0];
}

const echoed = (peers: WeriftPeer[]) => peers.reduce((n, p) => n + p.received.audio.length + p.received.video.length, 0);
const sent = (peers: WeriftPeer[]) => peers.reduce((n, p) => n + p.sent.audio.length + p.sent.video.length, 0);

async function measure(c: string) {
  const s = await start(c);
  const peers: WeriftPeer[] = [];
  let session: JanusSession | undefined;
  try {
    session = await s.janus.createSession();
    for (let i = 0; i < PEERS; i++) {
      const peer = new WeriftPeer({ data: false });
      peers.push(peer);
      const handle = await session.attach(s.pkg);
      const { jsep } = await handle.send({ audio: true, video: true }, await peer.offer(), 10_000);
      if (!jsep) throw new Error('no answer');
      await peer.accept(jsep);
      await peer.connected(15_000);
    }
    for (const p of peers) p.startSending({ audioPps: 50, videoPps: VIDEO_PPS });
    await new Promise((r) => setTimeout(r, 2000)); // warm-up
    const pid = janusPid(s.janus);
    const c0 = cpuSeconds(pid), e0 = echoed(peers), s0 = sent(peers), t0 = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const c1 = cpuSeconds(pid), e1 = echoed(peers), s1 = sent(peers), t1 = Date.now();
    const packets = e1 - e0;
    return {
      contender: c, peers: PEERS, seconds: (t1 - t0) / 1000, sentPackets: s1 - s0, echoedPackets: packets,
      janusCpuSeconds: c1 - c0, janusCpuPercent: (100 * (c1 - c0)) / ((t1 - t0) / 1000),
      usPerEchoedPacket: packets > 0 ? ((c1 - c0) * 1e6) / packets : null,
    };
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await session?.destroy().catch(() => {});
    await s.stop();
  }
}

const LABEL: Record<string, string> = { ts: 'janus-ts (echotest example app)', lua: 'janus_lua (echotest.lua)', echotest: 'janus_echotest (native C)' };

async function main() {
  const outDir = process.argv[2] ?? 'bench/results';
  const results: Record<string, unknown>[] = [];
  for (const c of CONTENDERS) {
    process.stderr.write(`bench: e2e ${c}: ${PEERS} werift peers echoing audio 50 pps + video ${VIDEO_PPS} pps for ${SECONDS} s\n`);
    try {
      results.push(await measure(c));
    } catch (e) {
      results.push({ contender: c, error: (e as Error).message });
    }
  }
  const md = [
    `**End to end** (real Janus, ${PEERS} werift peers over ICE/DTLS/SRTP in a network namespace, each echoed by the plugin; ` +
      'Janus process CPU time from /proc per echoed packet; coarse: 10 ms clock ticks):',
    '',
    '| plugin | echoed packets/s | Janus CPU % | µs CPU per echoed packet |',
    '|---|---:|---:|---:|',
    ...results.map((r: any) => r.error ? `| ${LABEL[r.contender] ?? r.contender} | not measured: ${r.error} | | |` :
      `| ${LABEL[r.contender] ?? r.contender} | ${(r.echoedPackets / r.seconds).toFixed(0)} | ${r.janusCpuPercent.toFixed(1)} | ${r.usPerEchoedPacket?.toFixed(1) ?? '–'} |`),
    '',
  ].join('\n');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'e2e-latest.json'), JSON.stringify({ when: new Date().toISOString(), results }, null, 1));
  fs.writeFileSync(path.join(outDir, 'e2e-latest.md'), md);
  process.stdout.write(md);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
