// The callbacks of one session run one after another, each awaited before the next starts
// (Lua's calls were atomic); different sessions run concurrently; handleMessage queued
// behind a slow callback still gets its answer in time; serialCallbacks: false opts out.
import * as assert from 'node:assert/strict';
import { defineApp, type Session } from 'janus-ts';
import { sleep, until } from './helpers/fake-plugin';
import { startHarness, type Harness } from './helpers/harness';

/** A plugin call the fake answers only when `release` is called (a slow call). */
function slowCall(h: Harness<Record<string, unknown>>, method: string): { release: () => void } {
	let release!: () => void;
	const answered = new Promise<boolean>((r) => { release = () => r(true); });
	h.fake.handlers.set(method, () => answered);
	return { release: () => release() };
}

const message = (id: number, body: Record<string, unknown>) => ({ id, transaction: `tr-${id}`, message: body });

describe('control-ts callbacks of a session run in order', () => {
	let h: Harness<Record<string, unknown>> | undefined;
	afterEach(async () => {
		if (h) { assert.deepEqual(h.fake.violations, []); await h.stop(); }
		h = undefined;
	});

	it('a handleMessage that arrives while setupMedia awaits a slow call starts after setupMedia finished', async () => {
		const order: string[] = [];
		h = await startHarness(defineApp({
			async setupMedia(s: Session) {
				order.push(`setup ${s.id} start`);
				await s.setBitrate(100000); // answered late by the fake
				order.push(`setup ${s.id} end`);
			},
			handleMessage(s: Session, { message: m }) {
				order.push(`message ${s.id} ${m.n}`);
				return { n: m.n };
			},
		}));
		const slow = slowCall(h, 'setBitrate');
		h.fake.notify('createSession', { id: 1 });
		h.fake.notify('setupMedia', { id: 1 });
		await h.fake.waitForCalls('setBitrate');
		const reply = h.fake.request('handleMessage', message(1, { n: 1 }));
		await sleep(100);
		assert.deepEqual(order, ['setup 1 start'], 'the message waits for setupMedia');
		slow.release();
		assert.deepEqual((await reply).result, { reply: { n: 1 } });
		assert.deepEqual(order, ['setup 1 start', 'setup 1 end', 'message 1 1']);
	});

	it('another session proceeds while one is busy', async () => {
		const order: string[] = [];
		let releaseOne!: () => void;
		const oneBlocked = new Promise<void>((r) => { releaseOne = r; });
		h = await startHarness(defineApp({
			async setupMedia(s: Session) {
				order.push(`setup ${s.id} start`);
				if (s.id === 1) await oneBlocked;
				order.push(`setup ${s.id} end`);
			},
			handleMessage(s: Session) { order.push(`message ${s.id}`); return {}; },
		}));
		for (const id of [1, 2]) h.fake.notify('createSession', { id });
		h.fake.notify('setupMedia', { id: 1 });
		h.fake.notify('setupMedia', { id: 2 });
		assert.deepEqual((await h.fake.request('handleMessage', message(2, {}))).result, { reply: {} });
		assert.deepEqual(order, ['setup 1 start', 'setup 2 start', 'setup 2 end', 'message 2']);
		releaseOne();
		await until(() => order.length === 5, 2000, 'setup 1 end');
		assert.equal(order[4], 'setup 1 end');
	});

	it('destroySession runs after an earlier hangupMedia of the same session has finished', async () => {
		const order: string[] = [];
		h = await startHarness(defineApp({
			async hangupMedia(s: Session) {
				order.push('hangup start');
				await s.removeRecipient(99);
				await sleep(50);
				order.push(`hangup end destroyed=${s.destroyed}`);
			},
			destroySession(s: Session) { order.push(`destroy destroyed=${s.destroyed}`); },
		}));
		h.fake.notify('createSession', { id: 3 });
		h.fake.notify('setupMedia', { id: 3 });
		h.fake.notify('hangupMedia', { id: 3 });
		h.fake.notify('destroySession', { id: 3 });
		await until(() => order.length === 3, 2000, 'three callbacks');
		assert.deepEqual(order, ['hangup start', 'hangup end destroyed=false', 'destroy destroyed=true']);
		assert.equal(h.runtime.sessions.size, 0);
	});

	it('a handleMessage queued behind a callback longer than the message timeout gets a clear Timeout and never runs', async () => {
		const ran: string[] = [];
		let release!: () => void;
		const blocked = new Promise<void>((r) => { release = r; });
		h = await startHarness(defineApp({
			async setupMedia() { await blocked; },
			handleMessage(_s, { message: m }) { ran.push(String(m.n)); return {}; },
		}), { messageTimeoutMs: 300 });
		h.fake.notify('createSession', { id: 4 });
		h.fake.notify('setupMedia', { id: 4 });
		const t0 = Date.now();
		const res = await h.fake.request('handleMessage', message(4, { n: 1 }));
		const took = Date.now() - t0;
		assert.equal(res.error, 'Timeout');
		assert.match(String(res.reason), /handleMessage of session 4 waited 250 ms behind setupMedia of that session and was not run/);
		assert.ok(took < 300, `answered after ${took} ms, before the plugin's 300 ms`);
		release();
		// The next message runs normally once setupMedia is done; the timed-out one never does.
		assert.deepEqual((await h.fake.request('handleMessage', message(4, { n: 2 }))).result, { reply: {} });
		assert.deepEqual(ran, ['2']);
	});

	it('querySession is answered while a callback of the session runs (it only reads)', async () => {
		let release!: () => void;
		const blocked = new Promise<void>((r) => { release = r; });
		h = await startHarness(defineApp({
			async setupMedia(s: Session) { s.data.phase = 'setting up'; await blocked; s.data.phase = 'up'; },
			querySession: (s) => ({ phase: s.data.phase as string }),
		}));
		h.fake.notify('createSession', { id: 5 });
		h.fake.notify('setupMedia', { id: 5 });
		await until(() => h!.runtime.sessions.get(5)?.data.phase === 'setting up', 2000, 'setupMedia started');
		assert.deepEqual((await h.fake.request('querySession', { id: 5 })).result, { phase: 'setting up' });
		release();
	});

	it('serialCallbacks: false lets the callbacks of a session interleave', async () => {
		const order: string[] = [];
		let release!: () => void;
		const blocked = new Promise<void>((r) => { release = r; });
		h = await startHarness(defineApp({
			serialCallbacks: false,
			async setupMedia() { order.push('setup start'); await blocked; order.push('setup end'); },
			handleMessage() { order.push('message'); return {}; },
		}));
		h.fake.notify('createSession', { id: 6 });
		h.fake.notify('setupMedia', { id: 6 });
		await h.fake.request('handleMessage', message(6, {}));
		assert.deepEqual(order, ['setup start', 'message']);
		release();
		await until(() => order.length === 3, 1000, 'setup end');
	});

	it('the plugin\'s destroy runs after the callbacks already queued for its sessions', async () => {
		const order: string[] = [];
		h = await startHarness(defineApp({
			async hangupMedia() { await sleep(50); order.push('hangup'); },
			destroy() { order.push('destroy'); },
		}));
		h.fake.notify('createSession', { id: 7 });
		h.fake.notify('hangupMedia', { id: 7 });
		h.fake.notify('destroy', {});
		await until(() => order.length === 2, 2000, 'two callbacks');
		assert.deepEqual(order, ['hangup', 'destroy']);
	});
});
