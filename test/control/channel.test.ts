// Channel framing: split and merged frames, max frame size, request-id wrap, pending
// requests rejected on close, notifications never overtaking the response before them.
import * as assert from 'node:assert/strict';
import type * as net from 'node:net';
import { BadArguments, Channel, MAX_REQUEST_ID, NotConnected, Timeout, UnknownSession } from 'janus-ts';
import { frame } from './helpers/fake-plugin';
import { frameReader, socketPair } from './helpers/socket-pair';

describe('control-ts Channel', () => {
	let a: net.Socket;
	let b: net.Socket;
	let channel: Channel;

	afterEach(() => { channel?.close(); a?.destroy(); b?.destroy(); });

	async function setup(options = {}) {
		[a, b] = await socketPair();
		channel = new Channel(a, options);
		return frameReader(b);
	}

	it('writes a 4-byte big-endian length prefix and JSON request with id, method, params', async () => {
		await setup();
		const chunks: Buffer[] = [];
		b.on('data', (c) => chunks.push(c));
		void channel.request('sendPli', { id: 7 }).catch(() => {});
		await new Promise((r) => setTimeout(r, 50));
		const raw = Buffer.concat(chunks);
		const len = raw.readUInt32BE(0);
		assert.equal(raw.length, 4 + len);
		assert.deepEqual(JSON.parse(raw.subarray(4).toString()), { id: 1, method: 'sendPli', params: { id: 7 } });
	});

	it('reassembles a frame split byte by byte and splits frames merged in one write', async () => {
		const reader = await setup();
		const events: string[] = [];
		channel.on('notification', (e, p) => events.push(`${e}:${p.id}`));
		const p1 = channel.request('sessionInfo', { id: 1 });
		const p2 = channel.request('sessionInfo', { id: 2 });
		const r1 = await reader.next();
		const r2 = await reader.next();
		const bytes = Buffer.concat([
			frame({ id: r1.id, result: 'one' }), frame({ event: 'setupMedia', params: { id: 5 } }), frame({ id: r2.id, result: 'two' }),
		]);
		for (let i = 0; i < 9; i++) b.write(bytes.subarray(i, i + 1)); // split header and body
		b.write(bytes.subarray(9)); // the rest merged
		assert.equal(await p1, 'one');
		assert.equal(await p2, 'two');
		await new Promise((r) => setImmediate(r));
		assert.deepEqual(events, ['setupMedia:5']);
	});

	it('closes on a frame longer than maxFrame and rejects pending requests with NotConnected', async () => {
		const reader = await setup({ maxFrame: 64 });
		const pending = assert.rejects(channel.request('stats', {}), NotConnected);
		await reader.next();
		const closed = new Promise<Error | undefined>((r) => channel.once('close', r));
		const header = Buffer.alloc(4);
		header.writeUInt32BE(65, 0);
		b.write(header);
		const err = await closed;
		assert.match(String(err?.message), /frame length 65 outside 1\.\.64/);
		await pending;
		assert.equal(channel.closed, true);
	});

	it('closes on a zero-length frame and on a payload that is not a JSON object', async () => {
		await setup();
		let closed = new Promise<Error | undefined>((r) => channel.once('close', r));
		b.write(Buffer.alloc(4));
		assert.match(String((await closed)?.message), /frame length 0/);
		channel.close(); a.destroy(); b.destroy();
		await setup();
		closed = new Promise<Error | undefined>((r) => channel.once('close', r));
		b.write(frame([1, 2, 3]));
		assert.match(String((await closed)?.message), /not a JSON object/);
	});

	it('refuses to send a frame over maxFrame with BadArguments', async () => {
		await setup({ maxFrame: 100 });
		await assert.rejects(channel.request('log', { level: 'info', message: 'x'.repeat(200) }), BadArguments);
		assert.equal(channel.pendingCount, 0);
	});

	it('wraps request ids after 2^31-1 back to 1', async () => {
		const reader = await setup({ firstRequestId: MAX_REQUEST_ID - 1 });
		const ids: number[] = [];
		for (let i = 0; i < 3; i++) {
			const p = channel.request('stats', {});
			const req = await reader.next();
			ids.push(req.id as number);
			b.write(frame({ id: req.id, result: {} }));
			await p;
		}
		assert.deepEqual(ids, [MAX_REQUEST_ID - 1, MAX_REQUEST_ID, 1]);
	});

	it('turns an error response into the typed exception of its kind, its message naming the method', async () => {
		const reader = await setup();
		const p = channel.request('closePc', { id: 9 });
		const req = await reader.next();
		b.write(frame({ id: req.id, error: 'UnknownSession', reason: 'no session 9' }));
		await assert.rejects(p, (err: unknown) => err instanceof UnknownSession && err.kind === 'UnknownSession'
			&& err.message === 'closePc: no session 9' && err.method === 'closePc');
	});

	it('rejects a request that gets no answer within requestTimeoutMs with Timeout', async () => {
		await setup({ requestTimeoutMs: 50 });
		await assert.rejects(channel.request('stats', {}), Timeout);
		assert.equal(channel.pendingCount, 0);
	});

	it('delivers a notification only after the code awaiting the preceding response ran', async () => {
		const reader = await setup();
		const order: string[] = [];
		channel.on('notification', (e) => order.push(`notification ${e}`));
		const p = channel.request('addRecipient', { id: 1, recipient: 1 }).then(() => order.push('response'));
		const req = await reader.next();
		b.write(Buffer.concat([frame({ id: req.id, result: true }), frame({ event: 'setupMedia', params: { id: 1 } })]));
		await p;
		await new Promise((r) => setImmediate(r));
		assert.deepEqual(order, ['response', 'notification setupMedia']);
	});

	it('answers an incoming request once with result or typed error', async () => {
		const reader = await setup();
		channel.on('request', (method, params, respond) => {
			if (method === 'querySession') respond.ok({ id: params.id });
			else respond.fail(new UnknownSession('nope'));
			respond.ok('ignored second answer');
		});
		b.write(frame({ id: 3, method: 'querySession', params: { id: 4 } }));
		b.write(frame({ id: 4, method: 'handleMessage', params: {} }));
		assert.deepEqual(await reader.next(), { id: 3, result: { id: 4 } });
		assert.deepEqual(await reader.next(), { id: 4, error: 'UnknownSession', reason: 'nope' });
		await new Promise((r) => setTimeout(r, 30));
		assert.equal(reader.messages.length, 2);
	});

	it('rejects requests made after close with NotConnected', async () => {
		await setup();
		channel.close();
		await assert.rejects(channel.request('stats', {}), NotConnected);
	});

	it('fuzz: 300 frames of random sizes cut at random points arrive whole and in order (seeded)', async () => {
		await setup();
		const rand = prng(0x5eed);
		const got: number[] = [];
		channel.on('notification', (_e, p) => got.push(p.n as number));
		const frames = Array.from({ length: 300 }, (_, n) => frame({ event: 'e', params: { n, pad: 'x'.repeat(Math.floor(rand() * 3000)) } }));
		const all = Buffer.concat(frames);
		for (let at = 0; at < all.length;) {
			const len = 1 + Math.floor(rand() * 5000);
			b.write(all.subarray(at, at + len));
			at += len;
		}
		const deadline = Date.now() + 3000;
		while (got.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
		assert.deepEqual(got, frames.map((_, n) => n));
		assert.equal(channel.closed, false);
	});

	it('fuzz: random garbage closes the channel or waits for more, never throws (seeded)', async () => {
		const rand = prng(42);
		for (let round = 0; round < 20; round++) {
			await setup({ maxFrame: 4096 });
			const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
			if (round % 2) bytes.writeUInt32BE(Math.floor(rand() * 64) + 1, 0); // plausible length, garbage body
			const closed = new Promise<void>((r) => channel.once('close', () => r()));
			b.write(bytes);
			await Promise.race([closed, new Promise((r) => setTimeout(r, 20))]);
			channel.close(); a.destroy(); b.destroy();
		}
	});
});

/** Small deterministic PRNG (mulberry32) so fuzz failures reproduce. */
function prng(seed: number): () => number {
	let t = seed >>> 0;
	return () => {
		t = (t + 0x6d2b79f5) >>> 0;
		let r = Math.imul(t ^ (t >>> 15), 1 | t);
		r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
		return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
	};
}
