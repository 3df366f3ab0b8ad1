// Connection: hello contents, refusals, reconnect with backoff and resync from the
// hello snapshot, NotConnected while disconnected.
import * as assert from 'node:assert/strict';
import { BadArguments, Connection, NotConnected, ProtocolVersion, Unauthorized, defineApp, type Session } from 'janus-ts';
import { FakePlugin, NO_ANSWER, sessionInfo, sleep, until } from './helpers/fake-plugin';
import { startHarness } from './helpers/harness';

describe('control-ts Connection', () => {
	let fake: FakePlugin | undefined;
	let conn: Connection | undefined;
	afterEach(async () => {
		conn?.close();
		if (fake) { assert.deepEqual(fake.violations, []); await fake.close(); }
		fake = undefined; conn = undefined;
	});

	it('sends hello with protocol 1, token, app name and wants, and resolves with the hello result', async () => {
		fake = new FakePlugin({ token: 's3cret', config: 'room=1' });
		await fake.listen();
		conn = new Connection({ socketPath: fake.socketPath, token: 's3cret', app: 'demo', wants: ['incomingTextData'] });
		const hello = await conn.start();
		assert.deepEqual(fake.hellos[0], { protocol: 1, token: 's3cret', app: 'demo', wants: ['incomingTextData'] });
		assert.equal(hello.config, 'room=1');
		assert.equal(conn.connected, true);
	});

	it('adopts the plugin\'s maxFrame from hello: larger frames pass, a frame over it is refused', async () => {
		fake = new FakePlugin({ maxFrame: 3 * 1024 * 1024 });
		await fake.listen();
		conn = new Connection({ socketPath: fake.socketPath });
		await conn.start();
		const got = new Promise<Record<string, unknown>>((r) => conn!.once('notification', (_e, p) => r(p)));
		fake.send({ event: 'incomingTextData', params: { id: 1, label: null, protocol: null, text: 'x'.repeat(2 * 1024 * 1024) } });
		assert.equal(((await got).text as string).length, 2 * 1024 * 1024);
		await assert.rejects(conn.request('log', { level: 'info', message: 'y'.repeat(3 * 1024 * 1024) }), BadArguments);
	});

	it('fails start() with Unauthorized on a wrong token and does not retry', async () => {
		fake = new FakePlugin({ token: 'right' });
		await fake.listen();
		conn = new Connection({ socketPath: fake.socketPath, token: 'wrong', minReconnectDelayMs: 10 });
		await assert.rejects(conn.start(), Unauthorized);
		await sleep(80);
		assert.equal(fake.hellos.length, 1);
	});

	it('fails start() with ProtocolVersion when the plugin refuses the version, without retrying', async () => {
		fake = new FakePlugin({ refuseHello: 'ProtocolVersion' });
		await fake.listen();
		conn = new Connection({ socketPath: fake.socketPath, minReconnectDelayMs: 10 });
		await assert.rejects(conn.start(), ProtocolVersion);
		await sleep(80);
		assert.equal(fake.hellos.length, 1);
	});

	it('retries after Busy (another app connected) and gets in once it leaves', async () => {
		fake = new FakePlugin();
		await fake.listen();
		const first = new Connection({ socketPath: fake.socketPath, reconnect: false });
		await first.start();
		conn = new Connection({ socketPath: fake.socketPath, minReconnectDelayMs: 20, maxReconnectDelayMs: 40 });
		const errors: string[] = [];
		conn.on('connectError', (err) => errors.push(err.name));
		const started = conn.start();
		await until(() => errors.length >= 1, 2000, 'a Busy refusal');
		assert.equal(errors[0], 'Busy');
		first.close();
		await started;
		assert.equal(conn.connected, true);
	});

	it('takes over an active connection with replace: true', async () => {
		fake = new FakePlugin();
		await fake.listen();
		const old = new Connection({ socketPath: fake.socketPath, reconnect: false });
		await old.start();
		const lost = new Promise((r) => old.once('disconnected', r));
		conn = new Connection({ socketPath: fake.socketPath, replace: true });
		await conn.start();
		await lost;
		assert.equal(fake.hellos[1].replace, true);
		assert.equal(old.connected, false);
	});

	it('takes over on its first connection only: once replaced, it does not take the connection back', async () => {
		fake = new FakePlugin();
		await fake.listen();
		const older = new Connection({ socketPath: fake.socketPath, replace: true, minReconnectDelayMs: 10, maxReconnectDelayMs: 20 });
		await older.start();
		const errors: string[] = [];
		older.on('connectError', (err) => errors.push(err.name));
		const lost = new Promise((r) => older.once('disconnected', r));
		conn = new Connection({ socketPath: fake.socketPath, replace: true }); // a --watch reload
		await conn.start();
		await lost;
		await until(() => errors.length >= 2, 2000, 'the replaced connection retrying');
		older.close();
		assert.deepEqual(errors.slice(0, 2), ['Busy', 'Busy'], 'it asks without replace and is refused');
		assert.deepEqual(fake.hellos.slice(2).map((h) => h.replace), fake.hellos.slice(2).map(() => undefined));
		assert.equal(conn.connected, true, 'the newer connection keeps the plugin');
	});

	it('keeps retrying while the socket does not exist yet, then connects', async () => {
		fake = new FakePlugin();
		conn = new Connection({ socketPath: fake.socketPath, minReconnectDelayMs: 10, maxReconnectDelayMs: 40 });
		const started = conn.start();
		await sleep(120);
		await fake.listen();
		const hello = await started;
		assert.equal(hello.protocol, 1);
	});

	it('rejects requests with NotConnected while disconnected, then works again after reconnecting', async () => {
		fake = new FakePlugin();
		await fake.listen();
		conn = new Connection({ socketPath: fake.socketPath, minReconnectDelayMs: 30 });
		await conn.start();
		const lost = new Promise((r) => conn!.once('disconnected', r));
		fake.dropClient();
		await lost;
		await assert.rejects(conn.request('stats', {}), NotConnected);
		await new Promise((r) => conn!.once('ready', r));
		assert.deepEqual(await conn.request('stats', {}), {});
		assert.equal(fake.connections, 2);
	});

	it('rejects a request pending when the connection drops with NotConnected', async () => {
		fake = new FakePlugin();
		await fake.listen();
		fake.handlers.set('describe', () => { setTimeout(() => fake!.dropClient(), 20); return NO_ANSWER; });
		conn = new Connection({ socketPath: fake.socketPath, reconnect: false });
		await conn.start();
		await assert.rejects(conn.request('describe', {}), NotConnected);
	});
});

describe('control-ts Runtime resync', () => {
	it('on reconnect, resumes sessions of the snapshot it did not know and destroys those that vanished', async () => {
		const events: string[] = [];
		const app = defineApp({
			name: 'resync',
			createSession: (s: Session) => { events.push(`create ${s.id}`); },
			destroySession: (s: Session) => { events.push(`destroy ${s.id}`); },
			setupMedia: (s: Session) => { events.push(`setup ${s.id}`); },
			hangupMedia: (s: Session) => { events.push(`hangup ${s.id}`); },
		});
		const h = await startHarness(app, { sessions: [sessionInfo(11, true)] });
		try {
			assert.deepEqual(events, ['create 11', 'setup 11']);
			assert.equal(h.runtime.sessions.get(11)?.started, true);
			h.fake.notify('createSession', { id: 11 }); // in the snapshot and notified: a no-op
			h.fake.notify('createSession', { id: 12 });
			await until(() => events.includes('create 12'), 1000, 'create 12');
			// While disconnected: 11 went away, 13 appeared, 12 got its PeerConnection up.
			h.fake.sessions = [sessionInfo(12, true), sessionInfo(13)];
			let ready = new Promise((r) => h.runtime.once('ready', r));
			h.fake.dropClient();
			await ready;
			assert.deepEqual(events.slice(3), ['destroy 11', 'setup 12', 'create 13']);
			assert.deepEqual([...h.runtime.sessions.keys()].sort(), [12, 13]);
			assert.equal(h.runtime.sessions.get(11), undefined);
			// Then 12's PeerConnection goes down while away again.
			h.fake.sessions = [sessionInfo(12, false), sessionInfo(13)];
			ready = new Promise((r) => h.runtime.once('ready', r));
			h.fake.dropClient();
			await ready;
			assert.deepEqual(events.slice(6), ['hangup 12']);
			assert.equal(h.runtime.sessions.get(12)?.started, false);
			assert.deepEqual(h.fake.violations, []);
		} finally {
			await h.stop();
		}
	});

	it('calls resumeSession instead of createSession/setupMedia when the app defines it', async () => {
		const events: string[] = [];
		const h = await startHarness(defineApp({
			name: 'resume',
			createSession: (s) => { events.push(`create ${s.id}`); },
			resumeSession: (s, info) => { events.push(`resume ${s.id} started=${info.started}`); },
		}), { sessions: [sessionInfo(21, true)] });
		try {
			assert.deepEqual(events, ['resume 21 started=true']);
		} finally {
			await h.stop();
		}
	});
});
