// Measures the runtime against the REAL plugin in Janus (not a test; prints numbers):
//  - app → plugin request round trip (sequential and 64 in flight), e.g. configureMedium
//  - Janus HTTP message → plugin → handleMessage in the app → synchronous reply
// Run: bash scripts/netns-run.sh node build/test/control/measure.js
import { defineApp, run } from 'janus-ts';
import { TsJanus } from '../helpers/ts-janus';

const N = 2000;

async function main(): Promise<void> {
	const ts = await TsJanus.start({ waitApp: false });
	const runtime = await run(defineApp({ name: 'measure', handleMessage: (_s, { message }) => ({ pong: message.n }) }), {
		socketPath: ts.socketPath,
	});
	try {
		const plugin = runtime.plugin;
		const janusSession = await ts.janus.createSession();
		const handle = await janusSession.attach('janus.plugin.ts');
		const info = await handle.info();
		const id = info.plugin_specific.router.id as number;

		for (let i = 0; i < 200; i++) await plugin.configureMedium(id, 'audio', 'in', i % 2 === 0); // warm-up
		let t0 = process.hrtime.bigint();
		for (let i = 0; i < N; i++) await plugin.configureMedium(id, 'audio', 'in', i % 2 === 0);
		const seqUs = Number(process.hrtime.bigint() - t0) / 1000 / N;

		t0 = process.hrtime.bigint();
		for (let i = 0; i < N; i += 64) {
			await Promise.all(Array.from({ length: 64 }, (_, k) => plugin.configureMedium(id, 'video', 'in', (i + k) % 2 === 0)));
		}
		const pipeUs = Number(process.hrtime.bigint() - t0) / 1000 / N;

		const M = 300;
		for (let i = 0; i < 20; i++) await handle.message({ n: i });
		t0 = process.hrtime.bigint();
		for (let i = 0; i < M; i++) {
			const r = await handle.message({ n: i });
			if (r.plugindata?.data?.pong !== i) throw new Error(`bad reply ${JSON.stringify(r)}`);
		}
		const msgUs = Number(process.hrtime.bigint() - t0) / 1000 / M;
		console.log(JSON.stringify({
			requestRoundTripUs: +seqUs.toFixed(1),
			requestPipelined64Us: +pipeUs.toFixed(1),
			httpMessageToSyncReplyUs: +msgUs.toFixed(1),
		}));
		await janusSession.destroy();
	} finally {
		runtime.stop();
		await ts.stop();
	}
}

main().catch((err) => { console.error(err); process.exit(1); });
