// The TextRoom example on the test kit: the datachannel-only negotiation (setup → offer,
// ack with the client's answer), rooms of 2–6 users where public messages reach everyone
// and whispers only their recipients, history replay for joiners, announcements, the native
// error codes, management over the Janus API, leave and hangup events.
import * as assert from 'node:assert/strict';
import { TestGateway, type TestHandle } from 'janus-ts/testing';
import { closeClean, exampleApp } from './fixtures';

const TEXTROOM = exampleApp('textroom');
type Json = Record<string, any>;
let tx = 0;

/** A client with its data channel up. */
async function client(gw: TestGateway): Promise<TestHandle> {
	const h = await gw.attach();
	const { data, jsep } = await h.request({ request: 'setup' });
	assert.deepEqual(data, { textroom: 'event', result: 'ok' });
	assert.equal(jsep?.type, 'offer');
	assert.deepEqual(h.mlines, ['application'], 'a datachannel-only offer');
	await h.request({ request: 'ack' }, h.answer(jsep));
	await h.setupMedia();
	await h.dataReady();
	return h;
}

/** Data channel messages a client received, parsed. */
const inbox = (h: TestHandle): Json[] => h.texts.map((t) => JSON.parse(t));

/** A data channel request and its reply (same transaction). */
async function dc(h: TestHandle, body: Json): Promise<Json> {
	const transaction = `t${++tx}`;
	await h.sendData(JSON.stringify({ ...body, transaction }));
	const reply = inbox(h).find((m) => m.transaction === transaction);
	assert.ok(reply, `a reply to ${JSON.stringify(body)}`);
	return reply;
}

describe('TextRoom example on the test kit', function () {
	this.timeout(30000);
	let gw: TestGateway;
	beforeEach(async () => { gw = await TestGateway.start(TEXTROOM, { package: 'janus.plugin.textroom' }); });
	afterEach(() => closeClean(gw));

	it('a request that comes before Janus\'s data_ready is answered at once, as by the native plugin', async () => {
		// Janus hands the plugin what a client sends as soon as its channel opens, and calls
		// data_ready only when its SCTP buffers drained; a channel the client sent on is open.
		const h = await gw.attach();
		const { jsep } = await h.request({ request: 'setup' });
		await h.request({ request: 'ack' }, h.answer(jsep));
		await h.setupMedia();
		await h.sendData(JSON.stringify({ textroom: 'join', room: 1234, username: 'early', transaction: 'early' }));
		assert.deepEqual(inbox(h).map((m) => [m.textroom, m.transaction ?? m.username]), [['join', 'early'], ['success', 'early']], 'the room\'s join event, then the reply');
		await h.dataReady(); // nothing was kept back: nothing more is sent
		assert.equal(h.texts.length, 2);
	});

	for (let n = 2; n <= 6; n++) {
		it(`${n} users: joins announced, a public message reaches all, a whisper only its recipient`, async () => {
			const users: TestHandle[] = [];
			for (let i = 0; i < n; i++) {
				const h = await client(gw);
				const r = await dc(h, { textroom: 'join', room: 1234, username: `u${i}`, display: `U${i}` });
				assert.equal(r.textroom, 'success');
				assert.deepEqual(r.participants.map((p: Json) => p.username).sort(), users.map((_, j) => `u${j}`).sort());
				users.push(h);
			}
			for (let i = 0; i < n; i++) {
				const joins = inbox(users[i]).filter((m) => m.textroom === 'join').map((m) => m.username);
				// Its own join and every later one (the room tells everyone, the joiner included).
				assert.deepEqual(joins, users.slice(i).map((_, j) => `u${i + j}`), `joins seen by u${i}`);
			}
			assert.equal((await dc(users[0], { textroom: 'message', room: 1234, text: 'hello all' })).textroom, 'success');
			for (const h of users) {
				const m = inbox(h).find((x) => x.textroom === 'message' && x.text === 'hello all')!;
				assert.equal(m.from, 'u0');
				assert.match(m.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
			}
			const last = `u${n - 1}`;
			assert.deepEqual((await dc(users[0], { textroom: 'message', room: 1234, to: last, text: 'psst' })).sent, { [last]: true });
			users.forEach((h, i) => assert.equal(inbox(h).some((x) => x.text === 'psst'), i === n - 1, `whisper at u${i}`));
		});
	}

	for (const history of [0, 1, 2, 3]) for (const sent of [0, 2, 4]) {
		it(`history ${history}, ${sent} messages before a join: the joiner gets the last ${Math.min(history, sent)} first`, async () => {
			const admin = await gw.attach();
			await admin.request({ request: 'create', room: 2468, ...(history ? { history } : {}) });
			const a = await client(gw);
			await dc(a, { textroom: 'join', room: 2468, username: 'alice', display: 'Alice' });
			for (let i = 1; i <= sent; i++) await dc(a, { textroom: 'message', room: 2468, text: `h${i}` });
			const b = await client(gw);
			await dc(b, { textroom: 'join', room: 2468, username: 'bob' });
			const replayed = inbox(b).filter((m) => m.textroom === 'message').map((m) => m.text);
			const k = Math.min(history, sent);
			assert.deepEqual(replayed, Array.from({ length: k }, (_, i) => `h${sent - k + 1 + i}`));
		});
	}

	it('announcements need the secret; errors carry the native codes', async () => {
		const a = await client(gw);
		const b = await client(gw);
		await dc(a, { textroom: 'join', room: 1234, username: 'alice' });
		await dc(b, { textroom: 'join', room: 1234, username: 'bob' });
		const bad = await dc(a, { textroom: 'announcement', room: 1234, secret: 'wrong', text: 'x' });
		assert.deepEqual([bad.textroom, bad.error_code, bad.error], ['error', 419, 'Unauthorized (wrong secret)']);
		await dc(a, { textroom: 'announcement', room: 1234, secret: 'adminpwd', text: 'news' });
		assert.ok(inbox(b).some((m) => m.textroom === 'announcement' && m.text === 'news' && m.from === undefined));
		const codes = [
			await dc(a, { textroom: 'join', room: 9999, username: 'x' }),
			await dc(a, { textroom: 'join', room: 1234, username: 'alice2' }),
			await dc(b, { textroom: 'message', room: 1234 }),
			await dc(b, { textroom: 'message', room: 1234, text: 'x', to: 'a', tos: ['b'] }),
			await dc(b, { textroom: 'nope' }),
		].map((r) => r.error_code);
		assert.deepEqual(codes, [417, 421, 413, 414, 415]);
		const dup = await client(gw);
		assert.equal((await dc(dup, { textroom: 'join', room: 1234, username: 'bob' })).error_code, 420);
		const h = await gw.attach();
		await assert.rejects(h.request({ request: 'setup' }).then(() => h.request({ request: 'setup' })), /PeerConnection already setup/);
	});

	it('room management over the Janus API, kick, leave and hangup events', async () => {
		const [a, b, c] = [await client(gw), await client(gw), await client(gw)];
		for (const [h, u] of [[a, 'alice'], [b, 'bob'], [c, 'carol']] as const) await dc(h, { textroom: 'join', room: 1234, username: u });
		const api = await gw.attach();
		assert.deepEqual((await api.request({ request: 'create', room: 4321, is_private: true, secret: 'k' })).data, { textroom: 'created', room: 4321, permanent: false });
		assert.equal((await api.request({ request: 'exists', room: 4321 })).data.exists, true);
		assert.deepEqual(((await api.request({ request: 'list' })).data.list as Json[]).map((r) => r.room), [1234]);
		assert.equal((await api.request({ request: 'kick', room: 1234, secret: 'adminpwd', username: 'carol' })).data.textroom, 'success');
		assert.ok(inbox(a).some((m) => m.textroom === 'kicked' && m.username === 'carol'));
		assert.equal((await dc(b, { textroom: 'leave', room: 1234 })).textroom, 'success');
		assert.ok(inbox(a).some((m) => m.textroom === 'leave' && m.username === 'bob'));
		await a.hangupMedia();
		const parts = (await api.request({ request: 'listparticipants', room: 1234 })).data.participants;
		assert.deepEqual(parts, []);
	});
});
