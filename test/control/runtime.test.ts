// Runtime dispatch: handleMessage sync/async/throw/slow promise, querySession,
// handleAdminMessage, notifications to callbacks with Session objects, init, wants.
import * as assert from 'node:assert/strict';
import { Duplicate, NotSupported, defineApp, type Session } from 'janus-ts';
import { sessionInfo, sleep, until } from './helpers/fake-plugin';
import { startHarness, type Harness } from './helpers/harness';

describe('control-ts Runtime', () => {
	let h: Harness<Record<string, unknown>> | undefined;
	afterEach(async () => {
		if (h) { assert.deepEqual(h.fake.violations, []); await h.stop(); }
		h = undefined;
	});

	const message = (id: number, body: Record<string, unknown>, jsep?: unknown) =>
		({ id, transaction: 'tr1', message: body, ...(jsep ? { jsep } : {}) });

	it('runs init with the jcfg config before any other callback, and hellos its wants', async () => {
		const order: string[] = [];
		h = await startHarness(defineApp({
			name: 'init-app',
			async init(config) { await sleep(30); order.push(`init ${config}`); },
			createSession(s) { order.push(`create ${s.id}`); },
			incomingTextData() { /* defined: asks for data */ },
		}), { config: 'x=1', sessions: [sessionInfo(5)] });
		assert.deepEqual(order, ['init x=1', 'create 5']);
		assert.deepEqual(h.fake.hellos[0].wants, ['incomingTextData']);
		assert.equal(h.fake.hellos[0].app, 'init-app');
	});

	it('setupMedia asked as a request: wanted when defined, answered once the callback and its calls are done', async () => {
		const order: string[] = [];
		h = await startHarness(defineApp({
			async setupMedia(s) {
				order.push(`setup ${s.id} started=${s.started}`);
				await s.setMedium('audio', true);
				await s.addRecipient(s);
				order.push('setup done');
			},
		}), { setupTimeoutMs: 500 });
		assert.deepEqual(h.fake.hellos[0].wants, ['setupMedia']);
		h.fake.notify('createSession', { id: 4 });
		const res = await h.fake.request('setupMedia', { id: 4 });
		assert.deepEqual(res.result, true);
		assert.deepEqual(order, ['setup 4 started=true', 'setup done']);
		assert.deepEqual(h.fake.received.slice(1).map((r) => r.method), ['configureMedium', 'configureMedium', 'addRecipient'],
			'every call of the callback came before the answer');
	});

	it('setupMedia: a callback slower than the plugin\'s setup_timeout_ms is answered Timeout in time and still runs to its end', async () => {
		let finished = false;
		h = await startHarness(defineApp({ async setupMedia() { await sleep(400); finished = true; } }), { setupTimeoutMs: 200 });
		h.fake.notify('createSession', { id: 5 });
		const t0 = Date.now();
		const res = await h.fake.request('setupMedia', { id: 5 });
		assert.equal(res.error, 'Timeout');
		assert.match(String(res.reason), /setupMedia of session 5 did not settle within 1\d\d ms/);
		assert.ok(Date.now() - t0 < 400, 'answered before the callback ended');
		await until(() => finished, 3000, 'the callback finishing');
	});

	it('setupMedia still works as a notification (an older plugin, or setup_timeout_ms 0)', async () => {
		const seen: number[] = [];
		h = await startHarness(defineApp({ setupMedia(s) { seen.push(s.id); } }));
		h.fake.notify('setupMedia', { id: 6 });
		await until(() => seen.length === 1, 3000, 'setupMedia called');
		assert.equal(h.runtime.sessions.get(6)?.started, true);
	});

	it('handleMessage: a returned object is a synchronous {reply}', async () => {
		h = await startHarness(defineApp({ handleMessage: (s, r) => ({ echo: r.message, sid: s.id, tr: r.transaction }) }));
		h.fake.notify('createSession', { id: 1 });
		const res = await h.fake.request('handleMessage', message(1, { a: 1 }));
		assert.deepEqual(res.result, { reply: { echo: { a: 1 }, sid: 1, tr: 'tr1' } });
	});

	it('handleMessage: returning nothing is {async: true}, the app answers later with pushEvent', async () => {
		h = await startHarness(defineApp({
			handleMessage(s: Session, { transaction, jsep }) {
				setTimeout(() => void s.pushEvent({ done: true }, { transaction, jsep: jsep ? { type: 'answer', sdp: 'v=0' } : null }), 10);
			},
		}));
		h.fake.notify('createSession', { id: 2 });
		const res = await h.fake.request('handleMessage', message(2, {}, { type: 'offer', sdp: 'v=0' }));
		assert.deepEqual(res.result, { async: true });
		const [push] = await h.fake.waitForCalls('pushEvent');
		assert.deepEqual(push.params, { id: 2, transaction: 'tr1', event: { done: true }, jsep: { type: 'answer', sdp: 'v=0' } });
	});

	it('handleMessage: a throw is an error response carrying the message, typed errors keep their kind', async () => {
		h = await startHarness(defineApp({
			handleMessage(_s, { message: m }) {
				if (m.typed) throw new NotSupported('no simulcast here');
				throw new Error('room 7 does not exist');
			},
		}));
		h.fake.notify('createSession', { id: 3 });
		assert.deepEqual(await h.fake.request('handleMessage', message(3, {})), { id: 1, error: 'AppError', reason: 'room 7 does not exist' });
		const typed = await h.fake.request('handleMessage', message(3, { typed: true }));
		assert.equal(typed.error, 'NotSupported');
		assert.equal(typed.reason, 'no simulcast here');
	});

	it('handleMessage: a promise is awaited, and answered with Timeout before the plugin limit when too slow', async () => {
		h = await startHarness(defineApp({
			async handleMessage(_s, { message: m }) {
				await sleep(m.delay as number);
				return { waited: m.delay };
			},
		}), { messageTimeoutMs: 400 });
		h.fake.notify('createSession', { id: 4 });
		assert.deepEqual((await h.fake.request('handleMessage', message(4, { delay: 20 }))).result, { reply: { waited: 20 } });
		const t0 = Date.now();
		const slow = await h.fake.request('handleMessage', message(4, { delay: 1000 }));
		const took = Date.now() - t0;
		assert.equal(slow.error, 'Timeout');
		assert.match(String(slow.reason), /did not settle within 350 ms/);
		assert.ok(took >= 340 && took < 400, `answered after ${took} ms, before the plugin's 400 ms`);
	});

	it('handleMessage for a session the app never saw answers UnknownSession; without a handler NotSupported', async () => {
		h = await startHarness(defineApp({ handleMessage: () => ({}) }));
		assert.equal((await h.fake.request('handleMessage', message(99, {}))).error, 'UnknownSession');
		await h.stop();
		h = await startHarness(defineApp({}));
		h.fake.notify('createSession', { id: 1 });
		assert.equal((await h.fake.request('handleMessage', message(1, {}))).error, 'NotSupported');
	});

	it('querySession and handleAdminMessage return the app objects; unknown methods get UnknownMethod', async () => {
		h = await startHarness(defineApp({
			querySession: (s) => ({ who: s.id }),
			handleAdminMessage: (m) => ({ admin: m }),
		}));
		h.fake.notify('createSession', { id: 8 });
		assert.deepEqual((await h.fake.request('querySession', { id: 8 })).result, { who: 8 });
		assert.deepEqual((await h.fake.request('handleAdminMessage', { message: { x: 1 } })).result, { admin: { x: 1 } });
		assert.equal((await h.fake.request('noSuchThing', {})).error, 'UnknownMethod');
	});

	it('delivers every notification to its callback with the Session and decoded arguments', async () => {
		const seen: unknown[] = [];
		h = await startHarness(defineApp({
			setupMedia: (s) => { seen.push(['setup', s.id, s.started]); },
			dataReady: (s) => { seen.push(['ready', s.id, s.dataReady]); },
			incomingTextData: (s, text, ch) => { seen.push(['text', s.id, text, ch]); },
			incomingBinaryData: (s, data, ch) => { seen.push(['bin', s.id, [...data], ch]); },
			slowLink: (s, info) => { seen.push(['slow', s.id, info]); },
			substreamChanged: (s, n, m) => { seen.push(['sub', s.id, n, m]); },
			temporalLayerChanged: (s, n, m) => { seen.push(['tl', s.id, n, m]); },
			spatialLayerChanged: (s, n, m) => { seen.push(['sl', s.id, n, m]); },
			talking: (s, info) => { seen.push(['talking', s.id, info]); },
			stoppedTalking: (s, info) => { seen.push(['stopped', s.id, info]); },
			hangupMedia: (s) => { seen.push(['hangup', s.id, s.started, s.dataReady]); },
			destroySession: (s) => { seen.push(['destroy', s.id, s.destroyed]); },
			destroy: () => { seen.push(['bye']); },
		}));
		const f = h.fake;
		f.notify('createSession', { id: 6 });
		f.notify('setupMedia', { id: 6 });
		f.notify('dataReady', { id: 6 });
		f.notify('incomingTextData', { id: 6, label: 'chat', protocol: null, text: 'hi' });
		f.notify('incomingBinaryData', { id: 6, label: null, protocol: 'p', data: Buffer.from([1, 2, 255]).toString('base64') });
		f.notify('slowLink', { id: 6, mindex: 1, video: true, uplink: false });
		f.notify('substreamChanged', { id: 6, mindex: 1, substream: 2 });
		f.notify('temporalLayerChanged', { id: 6, mindex: 1, temporal: 1 });
		f.notify('spatialLayerChanged', { id: 6, mindex: 3, spatial: 0 });
		f.notify('talking', { id: 6, mindex: 0, level: 12.5 });
		f.notify('stoppedTalking', { id: 6, mindex: 0, level: 60 });
		f.notify('hangupMedia', { id: 6 });
		f.notify('destroySession', { id: 6 });
		f.notify('destroy', {});
		await until(() => seen.length === 13, 2000, '13 callbacks');
		assert.deepEqual(seen, [
			['setup', 6, true], ['ready', 6, true],
			['text', 6, 'hi', { label: 'chat', protocol: null }],
			['bin', 6, [1, 2, 255], { label: null, protocol: 'p' }],
			['slow', 6, { mindex: 1, video: true, uplink: false }],
			['sub', 6, 2, 1], ['tl', 6, 1, 1], ['sl', 6, 0, 3], ['talking', 6, { mindex: 0, level: 12.5 }],
			['stopped', 6, { mindex: 0, level: 60 }], ['hangup', 6, false, false], ['destroy', 6, true], ['bye'],
		]);
		assert.equal(h.runtime.sessions.size, 0);
	});

	it('an event for a session the app never saw gets createSession first', async () => {
		const seen: string[] = [];
		h = await startHarness(defineApp({
			createSession: (s) => { s.data.ready = true; seen.push(`create ${s.id}`); },
			setupMedia: (s) => { seen.push(`setup ${s.id} state=${s.data.ready}`); },
		}));
		h.fake.notify('setupMedia', { id: 31 });
		await until(() => seen.length === 2, 1000, 'two callbacks');
		assert.deepEqual(seen, ['create 31', 'setup 31 state=true']);
	});

	it('a callback that throws is logged and reported, and later events still arrive', async () => {
		const seen: number[] = [];
		h = await startHarness(defineApp({
			name: 'thrower',
			setupMedia(s) { if (s.id === 1) throw new Duplicate('route exists'); seen.push(s.id); },
		}));
		const errors: string[] = [];
		h.runtime.on('appError', (cb, err) => errors.push(`${cb}: ${(err as Error).message}`));
		h.fake.notify('setupMedia', { id: 1 });
		h.fake.notify('setupMedia', { id: 2 });
		await until(() => seen.length === 1, 1000, 'second setupMedia');
		assert.deepEqual(errors, ['setupMedia: route exists']);
		const printed = h.logs.filter((l) => /setupMedia failed/.test(l));
		assert.equal(printed.length, 1, h.logs.join('\n'));
		// On stdout: the line, then the stack frames once (naming where it was thrown).
		const [line, ...frames] = printed[0].split('\n');
		assert.match(line, /ERROR \[thrower\] setupMedia failed: route exists$/);
		assert.ok(frames.length > 0 && frames.every((f) => f.startsWith('    at ')), printed[0]);
		assert.match(frames[0], /runtime\.test\.js:\d+:\d+/);
		// The Janus log gets the short line alone.
		await h.fake.waitForCalls('log');
		assert.deepEqual(h.fake.calls('log')[0].params, { level: 'error', message: '[thrower] setupMedia failed: route exists' });
	});

	it('timeCallback fires once, can be cancelled, and stop() cancels pending timers', async () => {
		h = await startHarness(defineApp({}));
		const fired: string[] = [];
		h.runtime.plugin.timeCallback((what: string) => { fired.push(what); }, 10, 'a');
		const b = h.runtime.plugin.timeCallback(() => { fired.push('b'); }, 10);
		assert.equal(b.cancel(), true);
		const c = h.runtime.plugin.timeCallback(() => { fired.push('c'); }, 60);
		await sleep(30);
		h.runtime.plugin.cancelTimers();
		await sleep(60);
		assert.deepEqual(fired, ['a']);
		assert.equal(c.done, true);
	});
});
