// Same behaviour as Janus: one scenario of the echotest app run through the test kit
// (janus-ts/testing: real router.wasm, plugin emulated) and through the real plugin in a
// real Janus with a werift peer. Each step records what a client observes — the app's
// replies and pushed events (JSEP type), which tagged RTP packets came back per medium
// with their seq/ts steps, data channel text, REMB caps — and the two records must be
// equal.
import assert from 'node:assert/strict';
import { TestGateway, MessageError, type TestHandle } from 'janus-ts/testing';
import { JanusError } from '../helpers/janus';
import { ECHOTEST_APP, TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { WeriftPeer, makePayload, parsePayload, type Kind } from '../helpers/werift-peer';
import { OFFERS } from '../testing/fixtures';
import { EchoCall, endCall, startCall } from './echotest-scenarios';
import { sleep, summarize } from './parity';

const PKG = 'janus.plugin.echotest';
type Body = Record<string, unknown>;

/** What a client sees of the plugin, the same way on both sides. */
interface Client {
	request(body: Body): Promise<unknown>;
	burst(n: number): Promise<void>;
	text(t: string): Promise<void>;
	hangup(): Promise<unknown>;
	/** Echoed packet counters and seq/ts steps per kind since the last call, texts, REMB caps. */
	take(): Promise<unknown>;
}

/** The observations of one scenario. */
async function scenario(c: Client): Promise<unknown[]> {
	const log: unknown[] = [];
	const step = async (name: string, f: () => Promise<unknown>) => { log.push({ [name]: await f() }); };
	await step('burst', async () => { await c.burst(5); await c.text('hello'); return c.take(); });
	await step('video off', () => c.request({ video: false }));
	await step('burst', async () => { await c.burst(5); return c.take(); });
	await step('audio off, video on, cap', () => c.request({ audio: false, video: true, bitrate: 200000 }));
	await step('burst', async () => { await c.burst(5); return c.take(); });
	await step('bad', () => c.request({ audio: 'yes' }));
	await step('data off', () => c.request({ data: false, audio: true }));
	await step('burst', async () => { await c.burst(3); await c.text('not echoed'); return c.take(); });
	await step('hangup', () => c.hangup());
	return log;
}

const errorOf = (code: number, reason: string) => ({ error_code: code, error: reason });

class KitClient implements Client {
	#sent: Record<Kind, number> = { audio: 0, video: 0 };
	#rembs = 0;
	constructor(readonly gw: TestGateway, readonly h: TestHandle) {}
	async request(body: Body) {
		try { return (await this.h.request(body)).data; } catch (e) { return errorOf((e as MessageError).code, (e as MessageError).reason); }
	}
	async burst(n: number) {
		for (let i = 0; i < n; i++) for (const [kind, mindex, step] of [['audio', 0, 960], ['video', 1, 3000]] as const) {
			const c = this.#sent[kind]++;
			await this.h.sendRtp({ mindex, seq: 7000 + c, ts: 100000 + step * c, ssrc: mindex + 10, payload: makePayload(kind, 1, c, kind === 'audio' ? 80 : 600) });
		}
	}
	async text(t: string) { await this.h.sendData(t); }
	async hangup() { await this.h.hangupMedia(); return this.h.events.at(-1)?.event; }
	async take() {
		const of = (kind: Kind) => this.h.rtp.map((p) => ({ p, tag: parsePayload(p.payload) })).filter((x) => x.tag?.kind === kind)
			.map(({ p, tag }) => ({ counter: tag!.counter, seq: p.seq, ts: p.ts }));
		const r = { audio: summarize(of('audio')), video: summarize(of('video')), texts: this.h.texts, rembs: [...new Set(this.h.rembs.slice(this.#rembs))] };
		this.#rembs = this.h.rembs.length;
		this.h.clearReceived();
		this.#rembs = 0;
		return r;
	}
}

class JanusClient implements Client {
	#seen: Record<Kind, number> = { audio: 0, video: 0 };
	#messages = 0;
	#rembs = 0;
	constructor(readonly call: EchoCall) {}
	get peer(): WeriftPeer { return this.call.peer; }
	async request(body: Body) {
		try { return (await this.call.handle.send(body)).data; } catch (e) { return errorOf((e as JanusError).code, (e as JanusError).message.replace(/^.*?: /, '')); }
	}
	async burst(n: number) {
		for (let i = 0; i < n; i++) { this.peer.sendOne('audio'); this.peer.sendOne('video'); await sleep(20); }
		await sleep(400);
	}
	/** Sends text and waits for an echo (werift's SCTP may take a second), or 2.5 s without one. */
	async text(t: string) {
		const from = this.peer.messages.length;
		this.peer.sendData(t);
		await this.peer.waitMessage(() => true, 2500, from).catch(() => undefined);
	}
	async hangup() {
		await this.call.handle.hangup();
		const e = await this.call.session.waitEvent((x) => x.janus === 'event' && x.sender === this.call.handle.id && x.plugindata?.data?.result === 'done', 5000);
		return e.plugindata.data;
	}
	async take() {
		const of = (kind: Kind) => this.peer.received[kind].slice(this.#seen[kind]).map((p) => ({ p, tag: parsePayload(p.payload) }))
			.filter((x) => x.tag?.run === this.peer.run).map(({ p, tag }) => ({ counter: tag!.counter, seq: p.seq, ts: p.timestamp }));
		const r = {
			audio: summarize(of('audio')), video: summarize(of('video')),
			texts: this.peer.messages.slice(this.#messages).map(String),
			rembs: [...new Set(this.peer.rembs(this.#rembs))],
		};
		this.#seen = { audio: this.peer.received.audio.length, video: this.peer.received.video.length };
		this.#messages = this.peer.messages.length;
		this.#rembs = this.peer.rtcp.length;
		return r;
	}
}

/** Waits until the data channel echoes (the plugin heard dataReady), then forgets the warm-up. */
async function warmUp(peer: WeriftPeer): Promise<void> {
	for (let i = 0; i < 20; i++) {
		const from = peer.messages.length;
		peer.sendData(`warm-up ${i}`);
		if (await peer.waitMessage(() => true, 300, from).then(() => true, () => false)) break;
	}
	await sleep(300);
}

describe('e2e: the test kit behaves as the real plugin in Janus (echotest scenario)', function () {
	this.timeout(60000);
	let ts: TsJanus | undefined;
	let call: EchoCall | undefined;
	let gw: TestGateway | undefined;
	afterEach(async () => { await endCall(call); await ts?.stop(); await gw?.close(); });

	it('records the same replies, echoes, seq/ts steps, texts and REMB caps on both', async function () {
		const missing = missingTsPieces(ECHOTEST_APP);
		if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
		ts = await TsJanus.start({ app: ECHOTEST_APP, package: PKG });
		call = await startCall(ts.janus, PKG);
		await warmUp(call.peer);
		const real = new JanusClient(call);
		await real.take();
		const janusLog = await scenario(real);
		// Closed before the kit starts: its virtual time replaces the global timers werift uses.
		await endCall(call);
		call = undefined;
		await ts.stop();
		ts = undefined;

		gw = await TestGateway.start(ECHOTEST_APP, { package: PKG });
		const h = await gw.attach();
		await h.request({ audio: true, video: true, data: true }, OFFERS.werift);
		await h.setupMedia();
		await h.dataReady();
		const kitLog = await scenario(new KitClient(gw, h));
		if (process.env.JANUS_TS_PARITY_PRINT) console.log(JSON.stringify(janusLog));
		assert.deepEqual(kitLog, janusLog);
	});
});
