// Churn against a real Janus: werift peers, several in parallel, each cycle attach →
// offer/answer → media echoed → hangup → detach → Janus session destroyed. Afterwards the
// plugin, the app and Janus hold nothing (plugin sessions 0, the app's session map empty,
// Janus's Admin API lists no session, no router trap), and Janus's RSS, its thread count and
// the app's heap (after a full GC) stay within bounds of their values after a warm-up.
// npm test runs a short version; the long run (docs/reliability.md) sets
//   JANUS_TS_CHURN_CYCLES=3000 JANUS_TS_CHURN_PARALLEL=6
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from '../e2e/echotest-scenarios';
import { janusSessions, probe, procStatus, sleep, writeProbeApp } from './helpers';

const PKG = 'janus.plugin.echotest';
const CYCLES = Number(process.env.JANUS_TS_CHURN_CYCLES ?? 40);
const PARALLEL = Number(process.env.JANUS_TS_CHURN_PARALLEL ?? 4);
const WARMUP = Math.max(PARALLEL * 2, Math.min(100, Math.floor(CYCLES / 10)));
/** ASan's quarantine and shadow memory make RSS meaningless: figures are printed, not checked. */
const SANITIZED = !!process.env.JANUS_TS_JANUS_PRELOAD;
const MB = 1024 * 1024;

/** One cycle: a call whose media is echoed, then hangup, detach, destroy. */
async function cycle(ts: TsJanus, n: number): Promise<void> {
  let call: EchoCall | undefined;
  try {
    call = await startCall(ts.janus, PKG, { audio: true, video: true, data: n % 4 === 0 });
    // Media until some of each kind came back (the app opens the valves on setupMedia,
    // which may come after the PeerConnection is up on the client's side).
    call.peer.startSending({ audioPps: 50, videoPps: 25 });
    const deadline = Date.now() + 8000;
    while (call.peer.echoed('audio').length < 8 || call.peer.echoed('video').length < 3) {
      if (Date.now() > deadline) {
        throw new Error(`cycle ${n}: echoed ${call.peer.echoed('audio').length}/${call.peer.sent.audio.length} audio, ` +
          `${call.peer.echoed('video').length}/${call.peer.sent.video.length} video`);
      }
      await sleep(20);
    }
    call.peer.stopSending();
    await call.handle.hangup();
    await call.handle.detach();
  } finally {
    await endCall(call);
  }
}

/** Runs `count` cycles with `parallel` workers; returns the cycle durations (ms). */
async function churn(ts: TsJanus, count: number, parallel: number): Promise<number[]> {
  let next = 0;
  const times: number[] = [];
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const t0 = Date.now();
      await cycle(ts, n);
      times.push(Date.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return times;
}

/** Waits until the plugin, the app and Janus hold no session (they go asynchronously). */
async function settled(ts: TsJanus): Promise<Awaited<ReturnType<typeof probe>>> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const p = await probe(ts.janus, PKG);
    const js = await janusSessions(ts.janus);
    if ((p.stats.sessions === 0 && p.sessions.length === 0 && js.length === 0) || Date.now() > deadline) return p;
    await sleep(200);
  }
}

describe('reliability: churn of calls against a real Janus', function () {
  this.timeout(Math.max(180000, CYCLES * 3000));
  let ts: TsJanus | undefined;
  let appDir = '';

  before(function () {
    skipUnlessBuilt(this, exampleApp('echotest'));
  });
  after(async () => {
    await ts?.stop();
    if (appDir) fs.rmSync(appDir, { recursive: true, force: true });
  });

  it(`${CYCLES} attach → offer/answer → media → hangup → detach cycles, ${PARALLEL} at a time, leave nothing behind`, async () => {
    const app = writeProbeApp();
    appDir = path.dirname(app);
    ts = await TsJanus.start({ app, package: PKG });
    const pid = ts.janus.pid!;

    const t0 = Date.now();
    await churn(ts, WARMUP, PARALLEL);
    let p = await settled(ts);
    const base = { janus: procStatus(pid), heap: p.heapUsed, appRss: p.rss };
    const t1 = Date.now();
    const times = await churn(ts, CYCLES, PARALLEL);
    const t2 = Date.now();
    p = await settled(ts);
    const end = { janus: procStatus(pid), heap: p.heapUsed, appRss: p.rss };
    times.sort((a, b) => a - b);

    const figures = {
      cycles: CYCLES, parallel: PARALLEL, warmup: WARMUP, seconds: (t2 - t1) / 1000, warmupSeconds: (t1 - t0) / 1000,
      cycleMs: { p50: times[Math.floor(times.length / 2)], max: times[times.length - 1] },
      janusRssMB: [base.janus.rss / MB, end.janus.rss / MB].map((v) => +v.toFixed(1)),
      janusThreads: [base.janus.threads, end.janus.threads],
      appHeapMB: [base.heap / MB, end.heap / MB].map((v) => +v.toFixed(2)),
      appRssMB: [base.appRss / MB, end.appRss / MB].map((v) => +v.toFixed(1)),
      routerThreads: { live: p.stats.host.threads, peak: p.stats.host.threadsPeak },
      relayRtp: p.stats.media.relayRtp, traps: p.stats.host.traps, interrupts: p.stats.host.interrupts,
      sanitized: SANITIZED,
    };
    console.log(`      churn figures: ${JSON.stringify(figures)}`);

    assert.equal(p.stats.sessions, 0, 'no plugin session left');
    assert.deepEqual(p.sessions, [], 'the app destroyed every session it was given');
    assert.deepEqual(await janusSessions(ts.janus), [], 'Janus lists no session');
    assert.equal(p.stats.host.traps + p.stats.host.interrupts, 0, 'the router never trapped');
    assert.equal(p.stats.control.pendingRequests, 1, 'no request waits on the app but the probe itself');
    assert.ok(p.stats.media.relayRtp >= (WARMUP + CYCLES) * 11, `media was relayed in every cycle (${p.stats.media.relayRtp})`);
    assert.ok(end.janus.threads <= base.janus.threads + 4, `Janus threads ${base.janus.threads} → ${end.janus.threads}`);
    if (!SANITIZED) {
      // Bounds: Janus's RSS within 24 MB of its value after the warm-up, the app's heap within 6 MB.
      assert.ok(end.janus.rss - base.janus.rss < 24 * MB, `Janus RSS ${figures.janusRssMB.join(' → ')} MB`);
      assert.ok(end.heap - base.heap < 6 * MB, `app heap ${figures.appHeapMB.join(' → ')} MB`);
    }
  });
});
