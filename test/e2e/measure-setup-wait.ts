/**
 * What the plugin's wait in setup_media costs (not a test; prints numbers):
 *   bash scripts/netns-run.sh node build/test/e2e/measure-setup-wait.js [delayMs] [runs]
 * Call A echoes steadily (werift, 50 audio packets/s) through an in-process app; call B then
 * comes up with an app whose setupMedia takes `delayMs` (default 400; setup_timeout_ms 2000),
 * so Janus's thread of B's handle waits that long in setup_media. Printed per Janus setup:
 * A's echo round trips during B's wait against before it, and B's first echoes (sent from the
 * moment B's DTLS was done: queued while the thread waited, or lost). Janus's default gives
 * every handle its own loop thread; `event_loops = 1` puts all handles on one.
 */
import { run, type Runtime } from 'janus-ts';
import { TsJanus } from '../helpers/ts-janus';
import { WeriftPeer } from '../helpers/werift-peer';
import { sleep, until } from '../helpers/wait';
import type { JanusSession } from '../helpers/janus-api';
import { slowSetupEcho, type SetupWindow } from './slow-setup-echo';

async function call(session: JanusSession): Promise<WeriftPeer> {
	const handle = await session.attach('janus.plugin.ts');
	const peer = new WeriftPeer({ data: false, video: false });
	const { jsep } = await handle.send({ request: 'call' }, await peer.offer());
	await peer.accept(jsep!);
	await peer.connected(15000);
	peer.startSending({ audioPps: 50 });
	return peer;
}

const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };
const f = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1));

/** A's echoes: [sent at, round trip] for each counter that came back. */
function echoes(peer: WeriftPeer): [number, number][] {
	const seen = new Set<number>();
	const out: [number, number][] = [];
	for (const { counter, rtp } of peer.echoed('audio')) {
		if (seen.has(counter)) continue;
		seen.add(counter);
		out.push([peer.sentAt.audio[counter], rtp.t - peer.sentAt.audio[counter]]);
	}
	return out;
}

async function measure(eventLoops: number | undefined, delayMs: number): Promise<void> {
	const windows: SetupWindow[] = [];
	const ts = await TsJanus.start({ general: { setup_timeout_ms: 2000 }, janus: { eventLoops } });
	let rt: Runtime<any> | undefined;
	const peers: WeriftPeer[] = [];
	try {
		rt = await run(slowSetupEcho([0, delayMs], (w) => windows.push(w)), { socketPath: ts.socketPath });
		const session = await ts.janus.createSession();
		const a = await call(session);
		peers.push(a);
		await sleep(1500);
		const b = await call(session);
		peers.push(b);
		await until(() => windows.length === 2, 'B set up', 10000);
		await sleep(1500);
		a.stopSending();
		b.stopSending();
		await sleep(300);
		const w = windows[1];
		const all = echoes(a);
		const during = all.filter(([t]) => t >= w.from && t <= w.to).map(([, r]) => r);
		const before = all.filter(([t]) => t < w.from - 100).map(([, r]) => r);
		const lostA = a.sent.audio.length - all.length;
		const bEchoes = echoes(b);
		const lostB = b.sent.audio.length - bEchoes.length;
		const firstB = bEchoes.filter(([t]) => t < w.to).map(([, r]) => r);
		console.log(`${eventLoops ? `event_loops = ${eventLoops}` : 'a loop thread per handle (default)'}, B's setupMedia ${delayMs} ms `
			+ `(waited ${(w.to - w.from).toFixed(0)} ms):`);
		console.log(`  A's echo round trip before B: p50 ${f(q(before, 0.5))} ms, max ${f(q(before, 1))} ms (n=${before.length})`);
		console.log(`  A's echo round trip during B's wait: p50 ${f(q(during, 0.5))} ms, max ${f(q(during, 1))} ms (n=${during.length}); A lost ${lostA} of ${a.sent.audio.length}`);
		console.log(`  B: ${firstB.length} packets sent during its wait came back after ${f(q(firstB, 0))}..${f(q(firstB, 1))} ms; B lost ${lostB} of ${b.sent.audio.length}`);
		await session.destroy();
	} finally {
		for (const p of peers) await p.close();
		rt?.stop();
		await ts.stop();
	}
}

async function main(): Promise<void> {
	const delayMs = Number(process.argv[2] ?? 400);
	const runs = Number(process.argv[3] ?? 1);
	for (let i = 0; i < runs; i++) {
		await measure(undefined, delayMs);
		await measure(1, delayMs);
	}
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
