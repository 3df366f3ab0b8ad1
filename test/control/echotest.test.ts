// The echotest example app driven through the fake plugin: the valve, route, bitrate,
// PLI, recording and data calls it makes for each EchoTest request, and the events it
// pushes (the native janus.plugin.echotest protocol).
import * as assert from 'node:assert/strict';
import { sdp } from 'janus-ts';
import echotest, { ERROR_INVALID_ELEMENT, TEXT_PREFIX, type EchoState } from 'janus-ts/dist/examples/echotest';
import { sessionInfo, until, type Received } from './helpers/fake-plugin';
import { fixture } from './helpers/fixtures';
import { startHarness, type Harness } from './helpers/harness';

const ID = 4242;

describe('control-ts echotest example', () => {
	let h: Harness<EchoState>;
	let tr = 0;

	beforeEach(async () => {
		h = await startHarness(echotest, { config: '' });
		h.fake.notify('createSession', { id: ID });
		await until(() => h.runtime.sessions.has(ID), 1000, 'session');
	});
	afterEach(async () => {
		assert.deepEqual(h.fake.violations, []);
		await h.stop();
	});

	/** Sends a request like echotest.js and waits for the pushEvent answering it. */
	async function send(message: Record<string, unknown>, jsep?: unknown): Promise<{ ack: unknown; push: Received; calls: string[] }> {
		const transaction = `t${++tr}`;
		const before = h.fake.received.length;
		const res = await h.fake.request('handleMessage', { id: ID, transaction, message, ...(jsep ? { jsep } : {}) });
		await h.fake.waitFor(() => h.fake.calls('pushEvent').some((p) => p.params.transaction === transaction), 2000, `pushEvent ${transaction}`);
		const push = h.fake.calls('pushEvent').find((p) => p.params.transaction === transaction)!;
		const calls = h.fake.received.slice(before).filter((r) => r !== push && r.method !== 'log').map(describe);
		return { ack: res.result, push, calls };
	}

	function describe(r: Received): string {
		const p = r.params;
		switch (r.method) {
			case 'configureMedium': return `configureMedium ${p.medium} ${p.direction} ${p.enabled}`;
			case 'setBitrate': return `setBitrate ${p.bitrate}`;
			case 'setSubstream': return `setSubstream ${p.substream}`;
			case 'setTemporalLayer': return `setTemporalLayer ${p.temporal}`;
			case 'startRecording': return `startRecording ${p.medium} ${p.codec} ${p.filename}`;
			case 'stopRecording': return `stopRecording ${p.medium}`;
			case 'addRecipient': return `addRecipient ${p.id}->${p.recipient}`;
			default: return r.method;
		}
	}

	it('announces itself to event handlers at init and asks for data callbacks', () => {
		assert.deepEqual(h.fake.hellos[0].wants, ['incomingTextData', 'incomingBinaryData', 'setupMedia']);
		assert.deepEqual(h.fake.calls('notifyEvent')[0].params, { id: null, event: { event: 'loaded', script: 'echotest.ts' } });
	});

	it('acks audio/video requests and answers {echotest: event, result: ok} after opening the valves', async () => {
		const { ack, push, calls } = await send({ audio: true, video: true });
		assert.deepEqual(ack, { async: true });
		assert.deepEqual(push.params.event, { echotest: 'event', result: 'ok' });
		assert.equal(push.params.jsep, undefined);
		assert.deepEqual(calls, [
			'configureMedium audio in true', 'configureMedium audio out true',
			'configureMedium video in true', 'configureMedium video out true', 'sendPli',
		]);
		assert.deepEqual((await send({ audio: false })).calls, ['configureMedium audio in false', 'configureMedium audio out false']);
		assert.deepEqual((await send({ data: false })).calls, ['configureMedium data in false', 'configureMedium data out false']);
	});

	it('answers an offer with an SDP answer for the codecs asked, and notifies event handlers', async () => {
		const { push } = await send({ audio: true, video: true, videocodec: 'vp9', videoprofile: '2' },
			{ type: 'offer', sdp: fixture('chromium-offer.sdp') });
		const jsep = push.params.jsep as { type: string; sdp: string };
		assert.equal(jsep.type, 'answer');
		const answer = sdp.parse(jsep.sdp);
		assert.deepEqual(answer.media.map((m) => `${m.type} ${m.port} ${m.payloads}`),
			['audio 9 111', 'video 9 100', 'application 9 webrtc-datachannel']);
		await until(() => h.fake.calls('notifyEvent').length === 2, 1000, 'processed event');
		assert.deepEqual(h.fake.calls('notifyEvent')[1].params, {
			id: ID, event: { event: 'processed', request: { audio: true, video: true, videocodec: 'vp9', videoprofile: '2' } },
		});
		// Recording uses the negotiated codecs.
		const rec = await send({ record: true, filename: 'rec1' });
		assert.deepEqual(rec.calls, ['startRecording audio opus rec1-audio', 'startRecording video vp9 rec1-video', 'startRecording data text rec1-data']);
		assert.deepEqual((await send({ record: false })).calls, ['stopRecording audio', 'stopRecording video', 'stopRecording data']);
	});

	it('sets the bitrate cap, asks keyframes, and sets substream/temporal targets: a keyframe asked, or the event at once when already there', async () => {
		assert.deepEqual((await send({ bitrate: 128000 })).calls, ['setBitrate 128000']);
		assert.deepEqual((await send({ keyframe: true })).calls, ['sendPli']);
		// The router relays substream 2, temporal layer 2 on the video m-line.
		h.fake.handlers.set('sessionInfo', (p) => ({ ...sessionInfo(p.id as number, true),
			layers: [{ mindex: 1, substream: 2, temporal: 2, spatial: null, targets: { substream: 2, temporal: 2, spatial: 2 } }] }));
		const sub = await send({ substream: 1 });
		assert.deepEqual(sub.calls, ['setSubstream 1', 'sessionInfo', 'sendPli']);
		assert.deepEqual(sub.push.params.event, { echotest: 'event', result: 'ok' });
		assert.deepEqual((await send({ temporal: 0 })).calls, ['setTemporalLayer 0', 'sessionInfo', 'sendPli']);
		const there = await send({ substream: 2 });
		assert.deepEqual(there.calls, ['setSubstream 2', 'sessionInfo', 'pushEvent']);
		assert.deepEqual(h.fake.calls('pushEvent').at(-2)!.params.event, { echotest: 'event', videocodec: 'vp8', substream: 2 });
	});

	it('answers an invalid request with an error event (code 413) and touches nothing', async () => {
		const { push, calls } = await send({ audio: 'yes' });
		assert.deepEqual(calls, []);
		const event = push.params.event as Record<string, unknown>;
		assert.equal(event.echotest, 'event');
		assert.equal(event.error_code, ERROR_INVALID_ELEMENT);
		assert.match(String(event.error), /audio should be a boolean/);
	});

	it('on setupMedia applies the valves and bitrate kept in its state and echoes the session to itself', async () => {
		await send({ video: false, bitrate: 64000 });
		const before = h.fake.received.length;
		h.fake.notify('setupMedia', { id: ID });
		await h.fake.waitFor(() => h.fake.received.slice(before).some((r) => r.method === 'setBitrate'), 3000, 'setBitrate');
		// Sent together (their order does not matter), then the bitrate.
		const calls = h.fake.received.slice(before).filter((r) => r.method !== 'log').map(describe);
		assert.deepEqual(calls.slice(0, -1).sort(), [
			'configureMedium audio in true', 'configureMedium audio out true',
			'configureMedium video in false', 'configureMedium video out false',
			'configureMedium data in true', 'configureMedium data out true',
			`addRecipient ${ID}->${ID}`,
		].sort());
		assert.equal(calls.at(-1), 'setBitrate 64000');
	});

	it('sets the valves and the echo route up when it answers an offer, before the PeerConnection is up', async () => {
		const before = h.fake.received.length;
		await send({ audio: true, video: true }, { type: 'offer', sdp: fixture('werift-offer.sdp') });
		const calls = h.fake.received.slice(before).map((r) => r.method);
		const pushed = calls.indexOf('pushEvent');
		assert.ok(pushed > 0, calls.join(','));
		assert.ok(calls.slice(0, pushed).includes('addRecipient'), `echo route before the answer: ${calls.join(',')}`);
		assert.equal(calls.slice(0, pushed).filter((m) => m === 'configureMedium').length >= 6, true);
	});

	it('echoes text data with a prefix and binary data as is, keeping the label, unless data is off', async () => {
		h.fake.notify('incomingTextData', { id: ID, label: 'chat', protocol: null, text: 'hi there' });
		h.fake.notify('incomingBinaryData', { id: ID, label: 'bin', protocol: 'raw', data: Buffer.from([0, 1, 2, 254]).toString('base64') });
		const [text] = await h.fake.waitForCalls('relayTextData');
		const [bin] = await h.fake.waitForCalls('relayBinaryData');
		assert.deepEqual(text.params, { id: ID, text: `${TEXT_PREFIX}hi there`, label: 'chat' });
		assert.deepEqual(bin.params, { id: ID, data: Buffer.from([0, 1, 2, 254]).toString('base64'), label: 'bin', protocol: 'raw' });
		await send({ data: false });
		h.fake.notify('incomingTextData', { id: ID, label: 'chat', protocol: null, text: 'dropped' });
		await new Promise((r) => setTimeout(r, 50));
		assert.equal(h.fake.calls('relayTextData').length, 1);
	});

	it('echoes admin messages and reports its state to handle_info', async () => {
		const admin = await h.fake.request('handleAdminMessage', { message: { request: 'ping', n: 1 } });
		assert.deepEqual(admin.result, { request: 'ping', n: 1 });
		await send({ bitrate: 300000, audio: false });
		const info = await h.fake.request('querySession', { id: ID });
		assert.deepEqual(info.result, {
			script: 'echotest.ts', id: ID, audio_active: false, video_active: true, data_active: true, bitrate: 300000, slowlink_count: 0,
		});
	});

	it('tells the client on hangup (result done), on slow links (halved cap) and on layer switches', async () => {
		h.fake.notify('slowLink', { id: ID, mindex: 1, video: true, uplink: false });
		await until(() => h.fake.calls('pushEvent').length === 1, 1000, 'slow link event');
		assert.deepEqual(h.fake.calls('setBitrate').map((c) => c.params.bitrate), [262144]);
		assert.deepEqual(h.fake.calls('pushEvent')[0].params.event,
			{ echotest: 'event', result: { status: 'slow_link', media: 'video', bitrate: 262144 } });
		h.fake.notify('substreamChanged', { id: ID, mindex: 1, substream: 2 });
		h.fake.notify('temporalLayerChanged', { id: ID, mindex: 1, temporal: 1 });
		h.fake.notify('hangupMedia', { id: ID });
		await until(() => h.fake.calls('pushEvent').length === 4, 1000, 'three more events');
		assert.deepEqual(h.fake.calls('pushEvent').slice(1).map((c) => c.params.event), [
			{ echotest: 'event', videocodec: 'vp8', substream: 2 },
			{ echotest: 'event', videocodec: 'vp8', temporal: 1 },
			{ echotest: 'event', result: 'done' },
		]);
	});
});
