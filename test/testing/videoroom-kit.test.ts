// The VideoRoom example on the test kit: rooms of 1–4 publishers and 1–3 multistream
// subscribers (every stream on the subscriber m-line its `streams` name, nothing foreign),
// publisher configure (valves, REMB cap, keyframes), publishers' data to their subscribers,
// switch with continuous seq/ts,
// per-mid send, pause/start, renegotiating subscribe, leave, the native error codes, and
// an app restart that keeps media flowing on the plugin's routes.
import * as assert from 'node:assert/strict';
import { TestGateway, MessageError, type TestHandle } from 'janus-ts/testing';
import { OFFERS, type OfferName, closeClean, exampleApp } from './fixtures';

const VIDEOROOM = exampleApp('videoroom');
const ROOM = 1234;

interface Pub { h: TestHandle; id: number; privateId: number; mids: Record<string, string>; ssrc: number }
interface Sub { h: TestHandle; streams: { mid: string; feed_id: number; type: string }[] }

let ssrcs = 1000;

async function publisher(gw: TestGateway, display: string, offer: OfferName = 'chromium', room = ROOM): Promise<Pub> {
	const h = await gw.attach();
	const joined = await h.request({ request: 'join', room, ptype: 'publisher', display });
	assert.equal(joined.data.videoroom, 'joined');
	const { data, jsep } = await h.request({ request: 'configure', audio: true, video: true }, OFFERS[offer]);
	assert.equal(jsep?.type, 'answer');
	await h.setupMedia();
	const mids: Record<string, string> = {};
	for (const s of data.streams as { type: string; mid: string; disabled?: boolean }[]) if (!s.disabled) mids[s.type] = s.mid;
	return { h, id: joined.data.id as number, privateId: joined.data.private_id as number, mids, ssrc: (ssrcs += 10) };
}

async function subscriber(gw: TestGateway, streams: object[], extra: object = {}, room = ROOM): Promise<Sub> {
	const h = await gw.attach();
	const { data, jsep } = await h.request({ request: 'join', room, ptype: 'subscriber', streams, ...extra });
	assert.equal(jsep?.type, 'offer');
	const started = await h.request({ request: 'start' }, h.answer(jsep));
	assert.equal(started.data.started, 'ok');
	await h.setupMedia();
	return { h, streams: data.streams as Sub['streams'] };
}

/** One audio and one video packet from a publisher; `n` numbers them. */
async function send(p: Pub, n: number): Promise<void> {
	await p.h.sendRtp({ mindex: Number(p.mids.audio), seq: n, ts: 960 * n, ssrc: p.ssrc });
	await p.h.sendRtp({ mindex: Number(p.mids.video), seq: n, ts: 3000 * n, ssrc: p.ssrc + 1 });
}

const midOf = (s: Sub, feed: number, kind: string) => Number(s.streams.find((x) => x.feed_id === feed && x.type === kind)!.mid);
/** SSRCs that arrived on a subscriber m-line. */
const sources = (s: Sub, mindex: number) => [...new Set(s.h.rtpOn(mindex).map((p) => p.ssrc))];

describe('VideoRoom example on the test kit', function () {
	this.timeout(30000);
	let gw: TestGateway;
	beforeEach(async () => { gw = await TestGateway.start(VIDEOROOM, { package: 'janus.plugin.videoroom' }); });
	afterEach(() => closeClean(gw));

	describe('rooms of P publishers and S subscribers to every feed', () => {
		for (const offer of ['chromium', 'werift'] as OfferName[]) for (let P = 1; P <= 4; P++) for (let S = 1; S <= 3; S++) {
			it(`${offer}: ${P} publisher(s), ${S} subscriber(s)`, async () => {
				const pubs: Pub[] = [];
				for (let i = 0; i < P; i++) pubs.push(await publisher(gw, `p${i}`, offer));
				const subs: Sub[] = [];
				for (let i = 0; i < S; i++) subs.push(await subscriber(gw, pubs.map((p) => ({ feed: p.id }))));
				for (let n = 1; n <= 3; n++) for (const p of pubs) await send(p, n);
				for (const s of subs) {
					assert.equal(s.streams.filter((x) => x.type !== 'data').length, 2 * P);
					for (const p of pubs) {
						const a = midOf(s, p.id, 'audio'), v = midOf(s, p.id, 'video');
						assert.deepEqual(sources(s, a), [p.ssrc], 'audio m-line: this publisher only');
						assert.deepEqual(sources(s, v), [p.ssrc + 1], 'video m-line: this publisher only');
						assert.deepEqual(s.h.rtpOn(v).map((x) => x.seq), [1, 2, 3]);
					}
					assert.equal(s.h.rtp.length, 6 * P, 'nothing else');
				}
				for (const p of pubs) assert.equal(p.h.rtp.length, 0, 'a publisher gets nothing back');
			});
		}
	});

	it('configure {video: false} stops the video for every subscriber; {video: true} resumes it, numbered on, and asks for a keyframe', async () => {
		const A = await publisher(gw, 'alice');
		const S1 = await subscriber(gw, [{ feed: A.id }]);
		const S2 = await subscriber(gw, [{ feed: A.id, mid: A.mids.video }]);
		assert.equal(S2.streams.length, 1);
		await send(A, 1);
		await A.h.request({ request: 'configure', video: false });
		await send(A, 2);
		const plis = A.h.plis.length;
		await A.h.request({ request: 'configure', video: true });
		assert.ok(A.h.plis.length > plis, 'keyframe request on resume');
		await send(A, 3);
		// Packet 2's video never reached them: the router numbers the resumed video on (as the
		// native plugin's seq_reset does), so the subscribers see no gap to take for a loss.
		assert.deepEqual(S1.h.rtpOn(midOf(S1, A.id, 'video')).map((p) => p.seq), [1, 2]);
		assert.deepEqual(S1.h.rtpOn(midOf(S1, A.id, 'audio')).map((p) => p.seq), [1, 2, 3]);
		assert.deepEqual(S2.h.rtpOn(0).map((p) => p.seq), [1, 2]);
	});

	it('publishers\' data reaches their subscribers once ready, labelled with each publisher\'s id', async () => {
		const A = await publisher(gw, 'alice', 'werift');
		const B = await publisher(gw, 'bob', 'werift');
		const S = await subscriber(gw, [{ feed: A.id }, { feed: B.id }]);
		assert.equal(S.streams.filter((x) => x.type === 'data').length, 1, 'one datachannel m-line');
		await A.h.sendData('before ready');
		assert.equal(S.h.data.length, 0, 'not before the subscriber\'s data_ready, as the native plugin');
		await S.h.dataReady();
		await A.h.sendData('from alice', { label: 'chat' });
		await B.h.sendData(Buffer.from([7, 7]));
		assert.deepEqual(S.h.data.map((d) => [d.label, d.binary, d.data.toString('hex')]),
			[[String(A.id), false, Buffer.from('from alice').toString('hex')], [String(B.id), true, '0707']]);
		assert.equal(A.h.data.length + B.h.data.length, 0, 'nothing back to the publishers');
	});

	it('bitrate becomes the REMB cap, keyframe asks for one', async () => {
		const A = await publisher(gw, 'alice');
		await A.h.request({ request: 'configure', bitrate: 200000, keyframe: true });
		assert.equal(A.h.rembs.at(-1), 200000);
		assert.ok(A.h.plis.length >= 1);
		const info = await A.h.info();
		assert.equal((info!.router as { bitrate: number }).bitrate, 200000);
	});

	it('switch moves an m-line to another publisher with continuous seq and ts and a keyframe request', async () => {
		const A = await publisher(gw, 'alice');
		const B = await publisher(gw, 'bob');	// same payload types as A (README: switch)
		const S = await subscriber(gw, [{ feed: A.id, mid: A.mids.video }]);
		for (let n = 1; n <= 3; n++) await send(A, n);
		await gw.advance(100);
		const bPlis = B.h.plis.length;
		const r = await S.h.request({ request: 'switch', streams: [{ feed: B.id, mid: B.mids.video, sub_mid: '0' }] });
		assert.equal(r.data.switched, 'ok');
		assert.equal(r.jsep, undefined, 'no renegotiation');
		for (let n = 50; n <= 52; n++) await send(B, n);
		const got = S.h.rtpOn(0);
		assert.deepEqual(got.map((p) => p.seq), [1, 2, 3, 4, 5, 6]);
		assert.deepEqual(got.map((p) => p.ssrc), [A.ssrc + 1, A.ssrc + 1, A.ssrc + 1, B.ssrc + 1, B.ssrc + 1, B.ssrc + 1]);
		assert.equal(got[3].ts, 9000 + 100 * 90, 'ts continues by the 100 ms that passed');
		assert.equal(got[4].ts - got[3].ts, 3000);
		assert.ok(B.h.plis.length > bPlis, 'the new source is asked for a keyframe');
	});

	it('per-mid send:false drops one stream; pause/start stop and resume everything', async () => {
		const A = await publisher(gw, 'alice');
		const S = await subscriber(gw, [{ feed: A.id }]);
		const v = midOf(S, A.id, 'video');
		await S.h.request({ request: 'configure', streams: [{ mid: String(v), send: false }] });
		await send(A, 1);
		assert.equal(S.h.rtpOn(v).length, 0);
		assert.equal(S.h.rtp.length, 1);
		await S.h.request({ request: 'configure', streams: [{ mid: String(v), send: true }] });
		assert.equal((await S.h.request({ request: 'pause' })).data.paused, 'ok');
		await send(A, 2);
		assert.equal(S.h.rtp.length, 1);
		await S.h.request({ request: 'start' });
		await send(A, 3);
		// Audio resumes numbered on (1, 2); the video stream starts with packet 3 as it is.
		assert.deepEqual(S.h.rtp.map((p) => [p.mindex === v ? 'video' : 'audio', p.seq]), [['audio', 1], ['audio', 2], ['video', 3]]);
	});

	it('subscribe renegotiates (updated + offer) and the new stream flows; leave stops everything', async () => {
		const A = await publisher(gw, 'alice');
		const B = await publisher(gw, 'bob');
		const S = await subscriber(gw, [{ feed: A.id }]);
		const { data, jsep } = await S.h.request({ request: 'subscribe', streams: [{ feed: B.id, mid: B.mids.audio }] });
		assert.equal(data.videoroom, 'updated');
		assert.equal(jsep?.type, 'offer');
		S.streams = data.streams as Sub['streams'];
		await S.h.request({ request: 'start' }, S.h.answer(jsep));
		await send(B, 7);
		assert.deepEqual(sources(S, midOf(S, B.id, 'audio')), [B.ssrc]);
		assert.equal((await S.h.request({ request: 'leave' })).data.left, 'ok');
		S.h.clearReceived();
		await send(A, 8);
		await send(B, 8);
		assert.equal(S.h.rtp.length, 0);
	});

	it('a publisher leaving: unpublished + leaving to the room, an updated offer to its subscribers', async () => {
		const A = await publisher(gw, 'alice');
		const B = await publisher(gw, 'bob');
		const S = await subscriber(gw, [{ feed: A.id }, { feed: B.id }]);
		const from = A.h.events.length, sFrom = S.h.events.length;
		await B.h.request({ request: 'leave' });
		const ev = A.h.events.slice(from).map((e) => e.event);
		assert.ok(ev.some((e) => e.unpublished === B.id), JSON.stringify(ev));
		assert.ok(ev.some((e) => e.leaving === B.id));
		const upd = await S.h.waitEvent((e) => e.event.videoroom === 'updated', 5000, sFrom);
		assert.equal(upd.jsep?.type, 'offer');
		await S.h.request({ request: 'start' }, S.h.answer(upd.jsep));
		await send(B, 1);
		await send(A, 1);
		assert.deepEqual([...new Set(S.h.rtp.map((p) => p.ssrc))].sort(), [A.ssrc, A.ssrc + 1]);
	});

	describe('native error codes', () => {
		const cases: [string, Record<string, unknown>, number][] = [
			['destroy without room', { request: 'destroy' }, 429],
			['exists without room', { request: 'exists' }, 429],
			['exists with a string room', { request: 'exists', room: 'x' }, 430],
			['create an existing room', { request: 'create', room: ROOM }, 427],
			['join an unknown room', { request: 'join', room: 4242, ptype: 'publisher' }, 426],
			['subscribe to an unknown feed', { request: 'join', room: ROOM, ptype: 'subscriber', streams: [{ feed: 99 }] }, 428],
			['configure before joining', { request: 'configure' }, 424],
			['an unknown request', { request: 'frobnicate' }, 423],
			['no request', {}, 429],
		];
		for (const [name, body, code] of cases) {
			it(`${name} → ${code}`, async () => {
				const h = await gw.attach();
				await assert.rejects(h.request(body), (e: MessageError) => e.code === code || assert.fail(`got ${e.code}: ${e.reason}`));
			});
		}
		it('a room with a pin and a secret: wrong pin 433, wrong secret 433, second join 425, unpublish before publishing 435', async () => {
			const admin = await gw.attach();
			await admin.request({ request: 'create', room: 777, is_private: true, secret: 's3cret', pin: 'p1n' });
			const h = await gw.attach();
			await assert.rejects(h.request({ request: 'join', room: 777, ptype: 'publisher', pin: 'bad' }), (e: MessageError) => e.code === 433);
			await assert.rejects(admin.request({ request: 'destroy', room: 777, secret: 'nope' }), (e: MessageError) => e.code === 433);
			await h.request({ request: 'join', room: 777, ptype: 'publisher', pin: 'p1n' });
			await assert.rejects(h.request({ request: 'join', room: 777, ptype: 'publisher', pin: 'p1n' }), (e: MessageError) => e.code === 425);
			await assert.rejects(h.request({ request: 'unpublish' }), (e: MessageError) => e.code === 435);
			const list = await admin.request({ request: 'list' });
			assert.ok(!(list.data.list as { room: number }[]).some((r) => r.room === 777), 'private rooms are not listed');
		});
	});

	it('an app restart loses the rooms but not the media: the plugin keeps the routes', async () => {
		const A = await publisher(gw, 'alice');
		const S = await subscriber(gw, [{ feed: A.id }]);
		await send(A, 1);
		await gw.restartApp();
		await send(A, 2);
		assert.deepEqual(S.h.rtp.map((p) => p.seq), [1, 1, 2, 2]);
		const again = await gw.attach();
		const r = await again.request({ request: 'listparticipants', room: ROOM });
		assert.deepEqual(r.data.participants, [], 'rooms live in the app\'s memory (README: Room apps)');
	});
});
