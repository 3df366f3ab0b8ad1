// The ChatRoulette example on the test kit: alone a user gets its own media back (but not
// its data); two free users are matched and get each other's; a reject rematches both and
// is remembered; a hangup rematches the partner; clients whose payload types differ
// (Chromium's and werift's offers) are never matched.
import * as assert from 'node:assert/strict';
import { TestGateway, type TestHandle } from 'janus-ts/testing';
import { OFFERS, type OfferName, closeClean, exampleApp } from './fixtures';

const CHATROULETTE = exampleApp('chatroulette');
let ssrcs = 1000;

describe('chatroulette example on the test kit', function () {
	this.timeout(20000);
	let gw: TestGateway;
	const ssrc = new Map<TestHandle, number>();
	beforeEach(async () => { gw = await TestGateway.start(CHATROULETTE); });
	afterEach(() => closeClean(gw));

	async function join(name: string, offer: OfferName = 'werift'): Promise<TestHandle> {
		const h = await gw.attach();
		const r = await h.request({ name }, OFFERS[offer]);
		assert.deepEqual(r.data, { chatroulette: 'event', result: 'ok' });
		assert.equal(r.jsep?.type, 'answer');
		ssrc.set(h, ssrcs += 10);
		await h.setupMedia();
		await h.dataReady();
		return h;
	}

	/** The last matched event of `h`: the partner's name, or null when alone. */
	const partner = (h: TestHandle): string | null | undefined => {
		const e = [...h.events].reverse().find((x) => x.event.matched !== undefined);
		return e ? (e.event.matched ? e.event.name as string : null) : undefined;
	};

	/** Whose video `h` gets now (by SSRC): each of `all` sends one packet. */
	async function sees(h: TestHandle, all: TestHandle[]): Promise<TestHandle[]> {
		h.clearReceived();
		for (const x of all) await x.sendRtp({ mindex: 1, seq: 7, ts: 3000, ssrc: ssrc.get(x)!, marker: true });
		return all.filter((x) => h.rtpOn(1).some((p) => p.ssrc === ssrc.get(x)));
	}

	it('alone, then matched, then a reject: rematched elsewhere and never again with each other', async () => {
		const a = await join('alice');
		assert.equal(partner(a), null);
		assert.deepEqual(await sees(a, [a]), [a], 'alone: alice sees herself');
		await a.sendData('anyone?');
		assert.deepEqual(a.texts, [], 'alone: no data comes back');

		const b = await join('bob');
		assert.deepEqual([partner(a), partner(b)], ['bob', 'alice']);
		assert.deepEqual(await sees(a, [a, b]), [b]);
		assert.deepEqual(await sees(b, [a, b]), [a]);
		await a.sendData('hi');
		assert.deepEqual(b.texts, ['hi']);

		const c = await join('carol');
		assert.equal(partner(c), null);
		assert.equal((await a.request({ reject: true })).data.result, 'ok', 'the answer, though the new match is pushed first');
		const withCarol = partner(c) === 'alice' ? a : b;
		const other = withCarol === a ? b : a;
		assert.equal(partner(withCarol), 'carol');
		assert.equal(partner(other), null);
		assert.deepEqual(await sees(c, [a, b, c]), [withCarol]);
		assert.deepEqual(await sees(other, [a, b, c]), [other]);

		// carol hangs up: her partner is free, but alice and bob stay apart.
		await c.hangupMedia();
		assert.equal(partner(withCarol), null);
		assert.deepEqual(await sees(a, [a, b]), [a]);
		assert.deepEqual(await sees(b, [a, b]), [b]);
	});

	it('a hangup rematches the partner with someone free', async () => {
		const a = await join('alice');
		const b = await join('bob');
		const c = await join('carol');
		assert.equal(partner(c), null);
		await b.hangupMedia();
		assert.deepEqual([partner(a), partner(c)], ['carol', 'alice']);
		assert.deepEqual(await sees(c, [a, b, c]), [a]);
		await b.detach();
		assert.deepEqual([partner(a), partner(c)], ['carol', 'alice'], 'a detach of someone alone changes nothing');
	});

	it('a Chromium and a werift client (different payload types) are not matched', async () => {
		const a = await join('alice', 'chromium');
		const b = await join('bob', 'werift');
		assert.deepEqual([partner(a), partner(b)], [null, null]);
		const c = await join('carol', 'chromium');
		assert.deepEqual([partner(a), partner(c)], ['carol', 'alice']);
	});
});
