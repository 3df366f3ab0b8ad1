// The test kit's own mechanics: virtual time for app timers and the plugin's timeouts,
// the control protocol's rules as host-c applies them (BadArguments reasons, unknown
// sessions, Busy/replace), TypeScript app files with .ts lines in stack traces, and
// where the router.wasm comes from.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defineApp, sdp, type Session } from 'janus-ts';
import { TestGateway, MessageError, routerWasmPath } from 'janus-ts/testing';
import { OFFERS, REPO } from './fixtures';

describe('test kit mechanics', function () {
	this.timeout(20000);
	let gw: TestGateway | undefined;
	afterEach(async () => { await gw?.close(); gw = undefined; });

	it('drives app timers, Date.now and the router clock from advance()', async () => {
		const fired: number[] = [];
		gw = await TestGateway.start(defineApp({
			handleMessage(session: Session, { transaction }) {
				const t0 = Date.now();
				setTimeout(() => { fired.push(Date.now() - t0); void session.pushEvent({ late: true }, { transaction }); }, 2000);
				const iv = setInterval(() => { fired.push(-1); if (fired.filter((x) => x === -1).length === 3) clearInterval(iv); }, 500);
			},
		}));
		const h = await gw.attach();
		assert.deepEqual(await h.send({}), { type: 'ack' });
		await gw.advance(1999);
		assert.equal(h.events.length, 0);
		assert.deepEqual(fired, [-1, -1, -1]);
		await gw.advance(1);
		assert.deepEqual(fired, [-1, -1, -1, 2000]);
		assert.deepEqual(h.events[0].event, { late: true });
		assert.ok(h.events[0].transaction);
		assert.equal(gw.now(), 2000);
	});

	it('request() answers with the event carrying its transaction, not the first one pushed after it', async () => {
		gw = await TestGateway.start(defineApp({
			handleMessage(session: Session, { transaction, message }) {
				setImmediate(async () => {
					await session.pushEvent({ unrelated: true }); // e.g. a match or a peer's news
					await session.pushEvent({ other: true }, { transaction: 'someone-else' });
					if (message.answer) await session.pushEvent({ answer: message.n }, { transaction });
				});
			},
		}));
		const h = await gw.attach();
		assert.deepEqual((await h.request({ n: 1, answer: true })).data, { answer: 1 });
		assert.deepEqual(h.events.map((e) => Object.keys(e.event)[0]), ['unrelated', 'other', 'answer']);
		await assert.rejects(h.request({ n: 2, answer: false }, undefined, 300), /timed out waiting for the answer to \{"n":2,"answer":false\}/,
			'events of other transactions, or of none, are not the answer');
	});

	it('a timer callback that throws is an app error, and time goes on', async () => {
		let later = false;
		gw = await TestGateway.start(defineApp({
			init() { setTimeout(() => { throw new Error('boom'); }, 10); setTimeout(() => { later = true; }, 20); },
		}));
		await gw.advance(50);
		assert.equal(later, true);
		assert.equal(gw.appErrors.length, 1);
		assert.equal(gw.appErrors[0].callback, 'timer');
		assert.match((gw.appErrors[0].error as Error).message, /boom/);
	});

	it('a handleMessage that never settles gets the plugin\'s timeout error once virtual time passes', async () => {
		gw = await TestGateway.start(defineApp({ handleMessage: () => new Promise(() => {}) }), { messageTimeoutMs: 3000 });
		const h = await gw.attach();
		const answer = h.send({});
		let settled = false;
		answer.catch(() => {}).finally(() => { settled = true; });
		await gw.advance(2000);
		assert.equal(settled, false);
		await gw.advance(1000);
		await assert.rejects(answer, (e: MessageError) => e.code === 462 && /did not answer within 3000 ms/.test(e.reason));
	});

	it('answers bad parameters with host-c\'s reasons, and unknown sessions with UnknownSession', async () => {
		let plugin!: import('janus-ts').Plugin;
		gw = await TestGateway.start(defineApp({ init(_c, p) { plugin = p; } }));
		const h = await gw.attach();
		const conn = gw.runtime.connection;
		await assert.rejects(conn.request('configureMedium', { id: h.id, medium: 'x' as 'audio', direction: 'in', enabled: true }),
			{ name: 'BadArguments', message: "configureMedium: medium: expected one of audio|video|data, got 'x'" });
		await assert.rejects(conn.request('addRoute', { id: h.id, mindex: 256, recipient: h.id, recipientMindex: 0 }),
			{ name: 'BadArguments', message: 'addRoute: mindex: 256 is out of range [0, 255]' });
		await assert.rejects(conn.request('setBitrate', { bitrate: 5 } as never), { name: 'BadArguments', message: 'setBitrate: id: missing' });
		await assert.rejects(plugin.addRecipient(h.id, 99),
			{ name: 'UnknownSession', message: 'addRecipient: no recipient session 99 (never attached, or detached)' });
		assert.equal((await plugin.addRecipient(h.id, h.id)).added, true);
		assert.equal((await plugin.addRecipient(h.id, h.id)).added, false, 'idempotent');
		await assert.rejects(plugin.addRoute(h.id, 0, h.id, 0),
			{ name: 'Duplicate', message: `addRoute: route ${h.id}:0 -> ${h.id}:0: that route, or one that relays the same stream, exists` });
		assert.equal(await plugin.removeRoute(h.id, 3, h.id, 3), false, 'a route that does not exist');
		assert.equal(await plugin.relayTextData(h.id, 'x'), false, 'no data channel yet: dropped');
		assert.equal(await plugin.setSubstream(h.id, 1), true);
		await assert.rejects(plugin.setSubstream(h.id, 1, 16), { name: 'BadArguments', message: 'setSubstream: mindex: 16 is not a stream (the router keeps m-lines 0..15)' });
		assert.equal(await plugin.setSubstream(0x7fffffff, 1), false, 'a gone session');
		const info = await plugin.sessionInfo(h.id);
		assert.deepEqual(info.routes, [{ mindex: 255, recipient: h.id, recipientMindex: 255 }]);
		assert.deepEqual(info.streams, [], 'no SDP seen yet');
		await h.detach();
		// Calls about a session that is gone resolve false, as Lua's returned quietly.
		for (const call of [() => plugin.pushEvent(h.id, null, { x: 1 }), () => plugin.configureMedium(h.id, 'audio', 'in', true),
			() => plugin.closePc(h.id), () => plugin.setBitrate(h.id, 1), () => plugin.sendPli(h.id), () => plugin.removeRecipient(h.id, h.id)]) {
			assert.equal(await call(), false);
		}
		await assert.rejects(plugin.sessionInfo(h.id), { name: 'UnknownSession' });
	});

	it('addRecipient routes by kind from the SDPs seen, and says where each stream goes', async () => {
		let plugin!: import('janus-ts').Plugin;
		gw = await TestGateway.start(defineApp({ init(_c, p) { plugin = p; }, handleMessage: () => ({}) }));
		const [a, b] = [await gw.attach(), await gw.attach()];
		await a.send({}, OFFERS.chromium);	// audio 0, video 1, data 2
		const videoOnly = sdp.render(sdp.removeMLine(sdp.removeMLine(sdp.parse(OFFERS.werift.sdp), 'audio'), 'application'));
		await b.send({}, { type: 'offer', sdp: videoOnly });	// video 0
		for (const h of [a, b]) {
			await h.setupMedia();
			for (const m of ['audio', 'video'] as const) await plugin.configureMedium(h.id, m, 'in', true).then(() => plugin.configureMedium(h.id, m, 'out', true));
		}
		const r = await plugin.addRecipient(a.id, b.id);
		assert.equal(r.pending, false);
		assert.deepEqual(r.streams, [
			{ mindex: 0, type: 'audio', recipientMindex: null, carries: false, reason: `recipient ${b.id} has no audio stream` },
			{ mindex: 1, type: 'video', recipientMindex: 0, carries: true },
			{ mindex: 2, type: 'data', recipientMindex: null, carries: false, reason: `recipient ${b.id} has no data stream` },
		]);
		assert.ok(gw.logs.some((l) => l.level === 'verb' && l.message.includes('carries nothing from m-line 0 (audio)')));
		await a.sendRtp({ mindex: 0, seq: 1, ts: 1, ssrc: 5 });
		await a.sendRtp({ mindex: 1, seq: 1, ts: 1, ssrc: 6 });
		assert.deepEqual(b.rtp.map((p) => [p.mindex, p.ssrc]), [[0, 6]], 'a\'s video on b\'s first (video) m-line');
		assert.deepEqual((await plugin.sessionInfo(b.id)).streams.map((x) => [x.type, x.mid, x.send, x.recv]), [['video', '1', true, true]]);
	});

	it('refuses a second app unless it replaces the first', async () => {
		gw = await TestGateway.start(defineApp({}));
		const { Runtime, Logger } = await import('janus-ts');
		const second = new Runtime(defineApp({ name: 'second' }), {
			socketPath: gw.server.socketPath, reconnect: false, logger: new Logger({ write: () => {} }),
		});
		await assert.rejects(second.start(), { name: 'Busy' });
		second.stop();
		await gw.restartApp(defineApp({ name: 'third' }));
		assert.equal(gw.app.name, 'third');
		assert.equal(gw.server.hellos, 2);
	});

	it('runs a TypeScript app file; an error thrown in it names the .ts line', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-kit-app-'));
		try {
			fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
			const file = path.join(dir, 'thrower.ts');
			fs.writeFileSync(file, [
				"import { defineApp } from 'janus-ts';",
				'interface State { n: number }',
				'export default defineApp<State>({',
				'  handleMessage(session, { message }) {',
				'    const n: number = Number(message.n);',
				"    if (n > 1) throw new Error('too big: ' + n);",
				'    return { n };',
				'  },',
				'});',
				'',
			].join('\n'));
			gw = await TestGateway.start(file);
			assert.equal(gw.app.name, 'thrower');
			const h = await gw.attach();
			assert.deepEqual(await h.send({ n: 1 }), { type: 'reply', reply: { n: 1 } });
			await assert.rejects(h.send({ n: 2 }), (e: MessageError) => /too big: 2$/.test(e.reason));
			const err = gw.appErrors[0].error as Error;
			assert.match(err.stack!, /thrower\.ts:6:/);
			gw.appErrors.length = 0;
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('loads the router.wasm the plugin loads, or the one JANUS_TS_ROUTER names', () => {
		assert.equal(routerWasmPath(), path.join(REPO, 'router-as/build/router.wasm'));
		process.env.JANUS_TS_ROUTER = '/nonexistent/router.wasm';
		try {
			assert.throws(() => routerWasmPath(), /not found; looked at \/nonexistent\/router.wasm/);
		} finally {
			delete process.env.JANUS_TS_ROUTER;
		}
	});

	it('shows the router\'s seq/ts rewriting when a recipient switches source', async () => {
		let plugin!: import('janus-ts').Plugin;
		gw = await TestGateway.start(defineApp({ init(_c, p) { plugin = p; } }));
		const [a, b, viewer] = [await gw.attach(), await gw.attach(), await gw.attach()];
		for (const h of [a, b, viewer]) {
			await h.setupMedia();
			await plugin.configureMedium(h.id, 'video', 'in', true);
			await plugin.configureMedium(h.id, 'video', 'out', true);
		}
		await plugin.addRoute(a.id, 1, viewer.id, 1);
		await a.sendRtp({ mindex: 1, video: true, seq: 100, ts: 9000, ssrc: 1 });
		await a.sendRtp({ mindex: 1, video: true, seq: 101, ts: 12000, ssrc: 1 });
		await plugin.removeRoute(a.id, 1, viewer.id, 1);
		await plugin.addRoute(b.id, 1, viewer.id, 1);
		await gw.advance(40);
		await b.sendRtp({ mindex: 1, video: true, seq: 5000, ts: 777777, ssrc: 2 });
		await b.sendRtp({ mindex: 1, video: true, seq: 5001, ts: 780777, ssrc: 2 });
		// Continues at last seq + 1 and last ts + 40 ms of 90 kHz, then keeps the new offset.
		assert.deepEqual(viewer.rtpOn(1).map((p) => [p.seq, p.ts, p.ssrc]), [[100, 9000, 1], [101, 12000, 1], [102, 15600, 2], [103, 18600, 2]]);
		assert.deepEqual(b.plis, [1], 'the new source is asked for a keyframe');
	});

	it('without event handlers, notifyEvent is a no-op and eventsIsEnabled is false', async () => {
		let enabled: boolean | undefined;
		gw = await TestGateway.start(defineApp({
			async init(_c, p) { enabled = await p.eventsIsEnabled(); await p.notifyEvent(null, { x: 1 }); },
		}), { events: false });
		assert.equal(enabled, false);
		assert.deepEqual(gw.handlerEvents, []);
	});
});
