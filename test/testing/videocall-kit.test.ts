// The VideoCall example on the test kit: the caller's offer reaches the callee and the
// callee's answer the caller, the media of the call goes both ways and never back, `set`
// gates what a user sends, a hangup ends the call on both sides, a detach frees the name
// before the next request. (Protocol details against janus_videocall: the e2e conformance test.)
import * as assert from 'node:assert/strict';
import { TestGateway, type TestHandle } from 'janus-ts/testing';
import { OFFERS, type OfferName, closeClean, exampleApp } from './fixtures';

const VIDEOCALL = exampleApp('videocall');
const result = (h: TestHandle, name: string) => h.events.filter((e) => (e.event.result as any)?.event === name);

describe('videocall example on the test kit', function () {
	this.timeout(20000);
	let gw: TestGateway;
	beforeEach(async () => { gw = await TestGateway.start(VIDEOCALL); });
	afterEach(() => closeClean(gw));

	async function registered(username: string): Promise<TestHandle> {
		const h = await gw.attach();
		assert.deepEqual((await h.request({ request: 'register', username })).data,
			{ videocall: 'event', result: { event: 'registered', username } });
		return h;
	}

	/** alice calls bob with `offer`; bob answers; both PeerConnections up. */
	async function call(offer: OfferName): Promise<[TestHandle, TestHandle]> {
		const [a, b] = [await registered('alice'), await registered('bob')];
		assert.deepEqual((await a.request({ request: 'call', username: 'bob' }, OFFERS[offer])).data,
			{ videocall: 'event', result: { event: 'calling' } });
		const incoming = await b.waitEvent((e) => (e.event.result as any)?.event === 'incomingcall');
		assert.equal(incoming.jsep?.type, 'offer');
		assert.deepEqual((await b.request({ request: 'accept' }, b.answer(incoming.jsep))).data,
			{ videocall: 'event', result: { event: 'accepted' } });
		const accepted = await a.waitEvent((e) => (e.event.result as any)?.event === 'accepted' && !e.transaction);
		assert.equal(accepted.jsep?.type, 'answer');
		assert.equal((accepted.event.result as any).username, 'bob');
		await Promise.all([a.setupMedia(), b.setupMedia()]);
		await Promise.all([a.dataReady(), b.dataReady()]);
		return [a, b];
	}

	const burst = async (h: TestHandle, ssrc: number, seq = 10) => {
		await h.sendRtp({ mindex: 0, seq, ts: 960, ssrc });
		await h.sendRtp({ mindex: 1, seq, ts: 3000, ssrc: ssrc + 1, marker: true });
	};

	for (const offer of ['chromium', 'werift'] as OfferName[]) {
		it(`a ${offer} caller and its callee get each other's audio, video and data, never their own`, async () => {
			const [a, b] = await call(offer);
			await burst(a, 100);
			await burst(b, 200);
			assert.deepEqual(b.rtp.map((p) => [p.mindex, p.ssrc, p.seq]), [[0, 100, 10], [1, 101, 10]]);
			assert.deepEqual(a.rtp.map((p) => [p.mindex, p.ssrc, p.seq]), [[0, 200, 10], [1, 201, 10]]);
			await a.sendData('hi bob');
			await b.sendData('hi alice');
			assert.deepEqual([a.texts, b.texts], [['hi alice'], ['hi bob']]);
		});
	}

	it('set: audio off stops only alice\'s audio to bob; bitrate caps alice with REMB', async () => {
		const [a, b] = await call('chromium');
		await a.request({ request: 'set', audio: false, bitrate: 128000 });
		await burst(a, 100, 11);
		await burst(b, 200, 11);
		assert.deepEqual(b.rtp.map((p) => p.mindex), [1], 'bob gets alice\'s video only');
		assert.deepEqual(a.rtp.map((p) => p.mindex), [0, 1], 'alice still gets both from bob');
		assert.ok(a.rembs.includes(128000), `REMB caps: ${a.rembs}`);
		await a.request({ request: 'set', audio: true });
		await burst(a, 100, 12);
		assert.deepEqual(b.rtp.map((p) => p.mindex), [1, 0, 1]);
	});

	it('hangup: both hear of it, both PeerConnections are closed, no media flows', async () => {
		const [a, b] = await call('werift');
		assert.deepEqual((await a.request({ request: 'hangup' })).data,
			{ videocall: 'event', result: { event: 'hangup', username: 'alice', reason: 'Explicit hangup' } });
		await b.waitEvent((e) => (e.event.result as any)?.reason === 'We did the hangup');
		await gw.advance(10);
		assert.equal(a.hangups + b.hangups, 2, 'the app closed both PeerConnections');
		assert.equal(result(a, 'hangup').filter((e) => !e.transaction).length, 1, 'alice hears of bob\'s PeerConnection');
		assert.equal(result(b, 'hangup').length, 2, 'bob: the hangup, then alice\'s PeerConnection');
		await burst(a, 100);
		assert.equal(b.rtp.length, 0);
	});

	it('a detach frees the name for the very next request, and ends the call of the other party', async () => {
		const [a, b] = await call('chromium');
		await a.detach();
		const c = await registered('alice');
		await b.waitEvent((e) => (e.event.result as any)?.reason === 'Remote WebRTC hangup');
		assert.deepEqual((await c.request({ request: 'list' })).data, { videocall: 'event', result: { list: ['bob', 'alice'] } });
	});
});
