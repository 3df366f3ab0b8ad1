// The echotest example on the test kit (janus-ts/testing): the real router.wasm, the
// plugin's side emulated, the app run as `janus-ts run` runs it. A matrix of requests ×
// offers × bitrates, mid-call toggles, seq/ts wraparound, keyframe and REMB feedback on
// virtual time, recording, hangup, two handles, an app restart that resumes sessions.
import * as assert from 'node:assert/strict';
import { TestGateway, MessageError, buildPli, buildRemb, type TestHandle } from 'janus-ts/testing';
import { ECHOTEST, OFFERS, type OfferName, closeClean } from './fixtures';

const TEXT_PREFIX = 'Janus EchoTest here! You wrote: ';
const SSRC_A = 0x1111, SSRC_V = 0x2222;

/** Sends n audio (mindex 0) and n video (mindex 1) packets from `h`, seq from `seq0`. */
async function sendBoth(h: TestHandle, n: number, seq0 = 1000, ts0 = 5000): Promise<void> {
	for (let i = 0; i < n; i++) {
		await h.sendRtp({ mindex: 0, seq: (seq0 + i) & 0xffff, ts: ts0 + 960 * i, ssrc: SSRC_A });
		await h.sendRtp({ mindex: 1, seq: (seq0 + i) & 0xffff, ts: ts0 + 3000 * i, ssrc: SSRC_V, marker: true });
	}
}

describe('echotest on the test kit', function () {
	this.timeout(20000);
	let gw: TestGateway;
	beforeEach(async () => { gw = await TestGateway.start(ECHOTEST); });
	afterEach(() => closeClean(gw));

	async function call(offer: OfferName, body: Record<string, unknown>): Promise<TestHandle> {
		const h = await gw.attach();
		const r = await h.request(body, OFFERS[offer]);
		assert.deepEqual(r.data, { echotest: 'event', result: 'ok' });
		assert.equal(r.jsep?.type, 'answer');
		await h.setupMedia();
		await h.dataReady();
		return h;
	}

	describe('request matrix: audio × video × data × bitrate × offer × when', () => {
		for (const offer of ['chromium', 'werift'] as OfferName[])
			for (const audio of [true, false]) for (const video of [true, false]) for (const data of [true, false])
				for (const bitrate of [0, 64000, 256000]) for (const late of [false, true]) {
					it(`${offer} audio=${audio} video=${video} data=${data} bitrate=${bitrate} ${late ? 'after' : 'with'} the offer`, async () => {
						const body = { audio, video, data, ...(bitrate && !late ? { bitrate } : {}) };
						const h = await call(offer, body);
						if (late && bitrate) assert.deepEqual((await h.request({ bitrate })).data, { echotest: 'event', result: 'ok' });
						await sendBoth(h, 3);
						await h.sendData('ping');
						assert.equal(h.rtpOn(0).length, audio ? 3 : 0);
						assert.equal(h.rtpOn(1).length, video ? 3 : 0);
						for (const p of h.rtpOn(0)) assert.equal(p.ssrc, SSRC_A);
						assert.deepEqual(h.rtpOn(1).map((p) => p.seq), video ? [1000, 1001, 1002] : []);
						assert.deepEqual(h.texts, data ? [TEXT_PREFIX + 'ping'] : []);
						assert.deepEqual(h.rembs, bitrate ? [bitrate] : []);
						// The first video packet echoed asks its source (the same peer) for a keyframe.
						assert.equal(h.plis.filter((m) => m === 1).length, video ? 1 : 0);
						const info = await h.info();
						assert.equal((info!.app as { bitrate: number }).bitrate, bitrate);
					});
				}
	});

	describe('mid-call toggles', () => {
		for (const medium of ['audio', 'video', 'data'] as const) for (const first of [false, true]) {
			it(`${medium} ${first ? 'on→off→on' : 'off→on→off'}`, async () => {
				const h = await call('chromium', { audio: true, video: true, data: true });
				const count = () => (medium === 'data' ? h.texts.length : h.rtpOn(medium === 'audio' ? 0 : 1).length);
				let expected = 0;
				for (const on of [first, !first, first]) {
					await h.request({ [medium]: on });
					await sendBoth(h, 2, 2000 + expected * 10);
					await h.sendData('x');
					if (on) expected += medium === 'data' ? 1 : 2;
					assert.equal(count(), expected, `${medium} ${on}`);
				}
			});
		}
	});

	describe('sequence numbers and timestamps pass through around wraparound', () => {
		for (const seq0 of [0, 32766, 32767, 65533, 65534, 65535]) for (const ts0 of [0, 0x7fffffff, 0xfffffc00]) {
			it(`seq from ${seq0}, ts from ${ts0}`, async () => {
				const h = await call('werift', { audio: true, video: true });
				await sendBoth(h, 4, seq0, ts0);
				assert.deepEqual(h.rtpOn(0).map((p) => p.seq), [0, 1, 2, 3].map((i) => (seq0 + i) & 0xffff));
				assert.deepEqual(h.rtpOn(0).map((p) => p.ts), [0, 1, 2, 3].map((i) => (ts0 + 960 * i) >>> 0));
				assert.deepEqual(h.rtpOn(1).map((p) => p.ts), [0, 1, 2, 3].map((i) => (ts0 + 3000 * i) >>> 0));
			});
		}
	});

	it('forwards the client\'s PLI to the source at most once per second of (virtual) time', async () => {
		const h = await call('chromium', { audio: true, video: true });
		await sendBoth(h, 1);
		await gw.advance(1000);
		const before = h.plis.length;
		await h.sendRtcp(buildPli(1, SSRC_V), 1, true);
		await h.sendRtcp(buildPli(1, SSRC_V), 1, true);
		assert.equal(h.plis.length, before + 1, 'throttled');
		await gw.advance(999);
		await h.sendRtcp(buildPli(1, SSRC_V), 1, true);
		assert.equal(h.plis.length, before + 1, 'still within the interval');
		await gw.advance(1);
		await h.sendRtcp(buildPli(1, SSRC_V), 1, true);
		assert.deepEqual(h.plis.slice(before), [1, 1]);
	});

	it('answers a REMB with the cap the client asked for, and keyframe requests on demand', async () => {
		const h = await call('chromium', { audio: true, video: true, bitrate: 300000 });
		await h.sendRtcp(buildRemb(2_000_000, [SSRC_V]), 1, true);
		assert.deepEqual(h.rembs, [300000, 300000]);
		await h.request({ keyframe: true });
		assert.equal(h.plis.at(-1), -1);
	});

	for (const bad of [{ audio: 'yes' }, { bitrate: -1 }, { substream: 3 }, { filename: 7 }]) {
		it(`answers ${JSON.stringify(bad)} with error 413`, async () => {
			const h = await gw.attach();
			await assert.rejects(h.request(bad), (e: MessageError) => e.code === 413);
		});
	}

	it('rejects an answer nobody offered and an SDP without m-lines, as Janus does', async () => {
		const h = await gw.attach();
		await assert.rejects(h.send({}, { type: 'answer', sdp: OFFERS.werift.sdp }), (e: MessageError) => e.code === 469);
		await assert.rejects(h.send({}, { type: 'offer', sdp: 'v=0\r\n' }), (e: MessageError) => e.code === 465);
	});

	it('records what it echoes (in memory) and stops on request', async () => {
		const h = await call('chromium', { audio: true, video: true, record: true, filename: 'rec' });
		await sendBoth(h, 3);
		await h.sendData('d1');
		const r = h.recordings;
		assert.equal(r.audio?.filename, 'rec-audio');
		assert.equal(r.video?.frames.length, 3);
		assert.equal(r.audio?.frames.length, 3);
		assert.equal(r.data?.frames.length, 0, 'data goes to the app (incomingTextData), not through the router');
		await h.request({ record: false });
		assert.deepEqual(h.recordings, {});
	});

	it('hangup stops the echo and resets the plugin side; a new PeerConnection starts over', async () => {
		const h = await call('chromium', { audio: true, video: false, bitrate: 128000 });
		await h.hangupMedia();
		assert.deepEqual(h.events.at(-1)?.event, { echotest: 'event', result: 'done' });
		const info = await h.info();
		assert.deepEqual((info!.router as { routes: unknown[] }).routes, []);
		await sendBoth(h, 2);
		assert.equal(h.rtp.length, 0);
		await h.request({ audio: true, video: true }, OFFERS.chromium);
		await h.setupMedia();
		await sendBoth(h, 2);
		assert.equal(h.rtpOn(0).length, 2);
		assert.equal(h.rtpOn(1).length, 2, 'video was re-enabled by the request');
	});

	it('keeps two calls apart', async () => {
		const a = await call('chromium', { audio: true, video: true });
		const b = await call('werift', { audio: true, video: true });
		await sendBoth(a, 3);
		assert.equal(a.rtp.length, 6);
		assert.equal(b.rtp.length, 0);
		await b.detach();
		await sendBoth(a, 1, 2000);
		assert.equal(a.rtp.length, 8);
	});

	it('an app restarted mid-call resumes its sessions from the snapshot; media never stopped', async () => {
		const h = await call('chromium', { audio: true, video: false, bitrate: 96000 });
		await sendBoth(h, 2);
		await gw.restartApp();
		await sendBoth(h, 2, 3000);
		assert.equal(h.rtpOn(0).length, 4);
		assert.equal(h.rtpOn(1).length, 0);
		assert.equal(h.session?.data.active.video, false, 'state rebuilt by resumeSession');
		assert.equal(h.session?.data.bitrate, 96000);
		await h.request({ video: true });
		await sendBoth(h, 1, 4000);
		assert.equal(h.rtpOn(1).length, 1);
	});

	it('echoes admin messages, tells event handlers, halves the bitrate on a slow uplink', async () => {
		assert.deepEqual(await gw.adminMessage({ hello: 1 }), { hello: 1 });
		const h = await call('chromium', { audio: true, video: true });
		assert.ok(gw.handlerEvents.some((e) => e.handle === h && e.event.event === 'processed'));
		assert.ok(gw.handlerEvents.some((e) => e.handle === null && e.event.event === 'loaded'));
		await h.slowLink(1, true, false);
		assert.deepEqual(h.events.at(-1)?.event, { echotest: 'event', result: { status: 'slow_link', media: 'video', bitrate: 262144 } });
		assert.deepEqual(h.rembs.at(-1), 262144);
	});

	it('detaching ends the session in the app and in the router', async () => {
		const h = await call('werift', { audio: true });
		await h.detach();
		assert.equal(h.session, undefined);
		assert.equal((gw.stats() as { sessions: number }).sessions, 0);
		await assert.rejects(h.send({ audio: true }), (e: MessageError) => e.code === 459);
	});
});
