// The pairs example on the test kit: two handles that set up media see each other (routes
// both ways, keyframe requests), a third waits, a hangup ends the pairing; each gateway
// loads the app with fresh module state (its `waiting` set), as a new process would.
import * as assert from 'node:assert/strict';
import { TestGateway, MessageError, type TestHandle } from 'janus-ts/testing';
import { OFFERS, closeClean, exampleApp } from './fixtures';

const PAIRS = exampleApp('pairs');

describe('pairs example on the test kit', function () {
	this.timeout(20000);
	let gw: TestGateway;
	beforeEach(async () => { gw = await TestGateway.start(PAIRS); });
	afterEach(() => closeClean(gw));

	async function join(offer: 'chromium' | 'werift'): Promise<TestHandle> {
		const h = await gw.attach();
		const r = await h.request({ request: 'join' }, OFFERS[offer]);
		assert.deepEqual(r.data, { joined: true });
		assert.equal(r.jsep?.type, 'answer');
		await h.setupMedia();
		return h;
	}

	const burst = async (h: TestHandle, ssrc: number) => {
		await h.sendRtp({ mindex: 0, seq: 10, ts: 960, ssrc });
		await h.sendRtp({ mindex: 1, seq: 20, ts: 3000, ssrc: ssrc + 1 });
	};

	for (const [first, second] of [['chromium', 'werift'], ['werift', 'chromium'], ['chromium', 'chromium']] as const) {
		it(`pairs a ${first} and a ${second} client both ways`, async () => {
			const a = await join(first);
			await burst(a, 100);
			assert.equal(a.rtp.length, 0, 'alone: nothing comes back');
			const b = await join(second);
			await burst(a, 100);
			await burst(b, 200);
			assert.deepEqual(b.rtp.map((p) => [p.mindex, p.ssrc, p.seq]), [[0, 100, 10], [1, 101, 20]]);
			assert.deepEqual(a.rtp.map((p) => [p.mindex, p.ssrc, p.seq]), [[0, 200, 10], [1, 201, 20]]);
			assert.ok(a.plis.includes(-1) && b.plis.includes(-1), 'the app asked both for a keyframe');
			assert.ok(a.plis.includes(1) && b.plis.includes(1), 'the router asked each source when its video started on the other');
		});
	}

	it('a third client waits; a hangup ends the pairing', async () => {
		const a = await join('chromium');
		const b = await join('werift');
		const c = await join('chromium');
		await burst(a, 100);
		assert.equal(c.rtp.length, 0);
		await b.hangupMedia();
		await burst(a, 100);
		assert.equal(b.rtp.length, 1 + 1, 'only what b got before its hangup');
		const info = await a.info();
		assert.deepEqual((info!.router as { routes: unknown[] }).routes, [], 'the plugin dropped the routes to b');
	});

	it('answers ping synchronously and an unknown request with the thrown message', async () => {
		const h = await gw.attach();
		assert.deepEqual(await h.send({ request: 'ping' }), { type: 'reply', reply: { pong: true } });
		await assert.rejects(h.send({ request: 'dance' }), (e: MessageError) => /unknown request$/.test(e.reason));
		assert.equal(gw.appErrors.splice(0).length, 1, 'the runtime reports the throw as an app error');
	});

	it('each gateway gets fresh app state (no client left waiting from another test)', async () => {
		const a = await join('werift');
		await burst(a, 100);
		assert.equal(a.rtp.length, 0);
	});
});
