/**
 * Control-socket latencies of the real plugin (not a test; prints numbers):
 *   bash scripts/netns-run.sh node build/test/protocol/measure.js
 * - app → plugin request round trip (eventsIsEnabled) over the Unix socket;
 * - Janus HTTP "message" → handleMessage → app reply → HTTP answer, compared with
 *   the bare HTTP round trip of /janus/info.
 */
import { performance } from 'node:perf_hooks';
import { startControlJanus } from './control-janus';

function summary(label: string, samples: number[]): void {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(`${label.padEnd(44)} n=${s.length}  mean ${(mean * 1000).toFixed(0)} µs  p50 ${(at(0.5) * 1000).toFixed(0)} µs  p99 ${(at(0.99) * 1000).toFixed(0)} µs`);
}

async function main(): Promise<void> {
  const cj = await startControlJanus();
  try {
    const { client: app } = await cj.connectApp();
    const socketRt: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      await app.ok('eventsIsEnabled');
      if (i >= 200) socketRt.push(performance.now() - t0);
    }
    summary('socket request (eventsIsEnabled)', socketRt);

    const js = await cj.janus.createSession();
    const handle = await js.attach('janus.plugin.ts');
    await app.waitFor((f) => f.event === 'createSession');
    let answering = true;
    (async () => {
      while (answering) {
        const req = await app.waitFor((f) => f.method === 'handleMessage', 60000).catch(() => null);
        if (!req) return;
        app.send({ id: req.id, result: { reply: { ok: true } } });
      }
    })();
    const info: number[] = [];
    const msg: number[] = [];
    for (let i = 0; i < 600; i++) {
      let t0 = performance.now();
      await fetch(`${cj.janus.httpUrl}/info`).then((r) => r.json());
      if (i >= 100) info.push(performance.now() - t0);
      t0 = performance.now();
      await handle.message({ request: 'ping' });
      if (i >= 100) msg.push(performance.now() - t0);
    }
    summary('HTTP /janus/info (baseline)', info);
    summary('HTTP message → handleMessage → reply', msg);
    answering = false;
    const stats = (await app.ok('stats')).control;
    console.log(`control counters: ${JSON.stringify(stats)}`);
    await js.destroy();
    await app.close();
  } finally {
    await cj.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
