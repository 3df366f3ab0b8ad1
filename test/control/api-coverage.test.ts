// The runtime against the schema: every appToPlugin method has a Plugin function (and
// every Plugin protocol function is a schema method), each sends a schema-valid
// request; every plugin → app request/notification has a dispatcher; every error kind
// has a class and keeps its kind across the socket.
import * as assert from 'node:assert/strict';
import {
	JanusTsError, Plugin, Runtime, Session, defineApp, errorClasses, errorFromWire, protocolSchema,
	type AppDefinition, type PluginToAppNotifications, type PluginToAppRequests,
} from 'janus-ts';
import { FakeError } from './helpers/fake-plugin';
import { startHarness, type Harness } from './helpers/harness';

/** Plugin methods that are local helpers, not protocol requests. */
const LOCAL_PLUGIN_METHODS = ['constructor', 'timeCallback', 'cancelTimers'];
/** Protocol methods sent by the Connection itself rather than by Plugin. */
const CONNECTION_METHODS = ['hello'];

const pluginMethods = () => Object.getOwnPropertyNames(Plugin.prototype).filter((n) => !LOCAL_PLUGIN_METHODS.includes(n)).sort();
const schemaMethods = () => Object.keys(protocolSchema.appToPlugin).filter((n) => !CONNECTION_METHODS.includes(n)).sort();

/** One call per protocol method; a method missing here fails the test below. */
const SAMPLE_CALLS: Record<string, (p: Plugin) => Promise<unknown>> = {
	pushEvent: (p) => p.pushEvent(1, 'tr', { a: 1 }, { type: 'answer', sdp: 'v=0' }),
	notifyEvent: (p) => p.notifyEvent(0, { e: 1 }),
	eventsIsEnabled: (p) => p.eventsIsEnabled(),
	closePc: (p) => p.closePc(1),
	endSession: (p) => p.endSession(1),
	configureMedium: (p) => p.configureMedium(1, 'video', 'out', true),
	addRecipient: (p) => p.addRecipient(1, 2),
	removeRecipient: (p) => p.removeRecipient(1, 2),
	addRoute: (p) => p.addRoute(1, 0, 2, 1),
	removeRoute: (p) => p.removeRoute(1, 0, 2, 1),
	setBitrate: (p) => p.setBitrate(1, 256000),
	setRelayLabel: (p) => p.setRelayLabel(1, 'pub-1'),
	setPliFreq: (p) => p.setPliFreq(1, 5),
	sendPli: (p) => p.sendPli(1, 1),
	setSubstream: (p) => p.setSubstream(1, 2),
	setTemporalLayer: (p) => p.setTemporalLayer(1, 1, 3),
	setSpatialLayer: (p) => p.setSpatialLayer(1, 0),
	configureSimulcast: (p) => p.configureSimulcast(1, { mindex: 1, codec: 'vp8', rids: ['l', 'm', 'h'], ridExtId: 4 }),
	configureTalkDetection: (p) => p.configureTalkDetection(1, { window: 100, threshold: 25 }),
	loudestSpeaker: (p) => p.loudestSpeaker([1, 2], 500),
	rtpForward: (p) => p.rtpForward(1, { mindex: 0, host: '127.0.0.1', port: 5002, pt: 100 }),
	stopRtpForward: (p) => p.stopRtpForward(0x10001),
	listForwarders: (p) => p.listForwarders(1),
	relayRtp: (p) => p.relayRtp(1, true, Buffer.from([0x80, 96, 0, 1]), 1),
	relayRtcp: (p) => p.relayRtcp(1, false, new Uint8Array([0x81, 200, 0, 6])),
	relayTextData: (p) => p.relayTextData(1, 'hello', 'chat', null),
	relayBinaryData: (p) => p.relayBinaryData(1, Buffer.from('bin'), null, 'proto'),
	startRecording: (p) => p.startRecording(1, { medium: 'audio', codec: 'opus', filename: 'rec-a', folder: '/tmp' }),
	stopRecording: (p) => p.stopRecording(1, 'audio'),
	log: (p) => p.log('info', 'hello Janus'),
	sessionInfo: (p) => p.sessionInfo(1),
	stats: (p) => p.stats(),
	describe: (p) => p.describe(),
};

describe('control-ts API coverage against schema.json', () => {
	let h: Harness<Record<string, unknown>> | undefined;
	afterEach(async () => { await h?.stop(); h = undefined; });

	it('has a Plugin function for every schema method and no protocol function the schema lacks', () => {
		assert.deepEqual(pluginMethods(), schemaMethods());
	});

	it('sends one schema-valid request of the same name from each Plugin function', async () => {
		h = await startHarness(defineApp({ name: 'coverage' }));
		const { fake, runtime } = h;
		assert.deepEqual(Object.keys(SAMPLE_CALLS).sort(), schemaMethods(), 'a sample call per schema method');
		for (const method of schemaMethods()) {
			const before: number = fake.received.length;
			await SAMPLE_CALLS[method](runtime.plugin);
			const sent: string[] = fake.received.slice(before).map((r) => r.method);
			assert.deepEqual(sent, [method], `${method} sent ${sent.join(',')}`);
		}
		assert.deepEqual(h.fake.violations, []);
		// Decoded values reach the wire in the documented encodings.
		assert.equal(h.fake.calls('relayRtp')[0].params.data, Buffer.from([0x80, 96, 0, 1]).toString('base64'));
		assert.equal(h.fake.calls('notifyEvent')[0].params.id, null, 'Lua notifyEvent(0, ...) = not tied to a session');
		assert.deepEqual(h.fake.calls('relayTextData')[0].params, { id: 1, text: 'hello', label: 'chat' });
	});

	it('resolves each Plugin function with the plugin\'s answer, of the schema\'s result type', async () => {
		h = await startHarness(defineApp({ name: 'results' }));
		const { fake, runtime } = h;
		const routed = { added: false, pending: false, streams: [{ mindex: 1, type: 'video', recipientMindex: 0, carries: true }] };
		const resultOf = (m: string) => (protocolSchema.appToPlugin as Record<string, { result?: string }>)[m].result ?? 'true';
		const booleans = schemaMethods().filter((m) => resultOf(m) === 'boolean');
		assert.ok(booleans.includes('removeRecipient') && booleans.includes('pushEvent') && booleans.includes('closePc'));
		for (const m of booleans) {
			fake.handlers.set(m, () => false); // "nothing to do: the session is gone"
			assert.equal(await SAMPLE_CALLS[m](runtime.plugin), false, `${m} resolves the plugin's false`);
		}
		fake.handlers.set('addRecipient', () => routed);
		assert.deepEqual(await runtime.plugin.addRecipient(1, 2), routed);
		for (const m of schemaMethods().filter((x) => resultOf(x) === 'true')) {
			assert.equal(await SAMPLE_CALLS[m](runtime.plugin), undefined, `${m} resolves nothing (it throws on failure)`);
		}
		assert.deepEqual(h.fake.violations, []);
	});

	it('has a Session method for every per-session Plugin function, delegating with the session id', async () => {
		const names: Record<string, string> = { endSession: 'end', sessionInfo: 'fetchInfo' };
		const global = ['eventsIsEnabled', 'log', 'stats', 'describe', 'loudestSpeaker', 'stopRtpForward'];
		for (const m of pluginMethods().filter((n) => !global.includes(n))) {
			const name = names[m] ?? m;
			assert.equal(typeof (Session.prototype as unknown as Record<string, unknown>)[name], 'function', `Session.${name}`);
		}
		h = await startHarness(defineApp({}));
		const s = new Session(h.runtime.plugin, 77);
		await s.addRecipient(s);
		await s.configureMedium('audio', 'in', true);
		await s.end();
		assert.deepEqual(h.fake.received.slice(1).map((r) => [r.method, r.params.id]),
			[['addRecipient', 77], ['configureMedium', 77], ['endSession', 77]]);
		assert.equal(h.fake.calls('addRecipient')[0].params.recipient, 77);
	});

	it('dispatches every plugin → app request and notification of the schema, and nothing else', async () => {
		h = await startHarness(defineApp({}));
		const rt: Runtime<Record<string, unknown>> = h.runtime;
		assert.deepEqual(Object.keys(rt.requestHandlers).sort(), Object.keys(protocolSchema.pluginToAppRequests).sort());
		assert.deepEqual(Object.keys(rt.notificationHandlers).sort(), Object.keys(protocolSchema.pluginToAppNotifications).sort());
	});

	it('has an app callback of the same name for every plugin → app request and notification', () => {
		// Compile-time half: this table must name an AppDefinition key for every schema entry.
		const callbacks: Record<Exclude<keyof PluginToAppNotifications, 'protocolError'> | keyof PluginToAppRequests, keyof AppDefinition> = {
			createSession: 'createSession', destroySession: 'destroySession', setupMedia: 'setupMedia',
			hangupMedia: 'hangupMedia', dataReady: 'dataReady', slowLink: 'slowLink', incomingTextData: 'incomingTextData',
			incomingBinaryData: 'incomingBinaryData', substreamChanged: 'substreamChanged',
			temporalLayerChanged: 'temporalLayerChanged', spatialLayerChanged: 'spatialLayerChanged', talking: 'talking',
			stoppedTalking: 'stoppedTalking', destroy: 'destroy', handleMessage: 'handleMessage',
			handleAdminMessage: 'handleAdminMessage', querySession: 'querySession',
		};
		// setupMedia is both: asked when the app wants it (hello `wants`), else notified.
		// protocolError is for the runtime itself (it logs it), not an app callback.
		const schemaNames = [...new Set([...Object.keys(protocolSchema.pluginToAppNotifications), ...Object.keys(protocolSchema.pluginToAppRequests)])]
			.filter((n) => n !== 'protocolError').sort();
		assert.deepEqual(Object.keys(callbacks).sort(), schemaNames);
		for (const [wire, callback] of Object.entries(callbacks)) assert.equal(wire, callback, 'same name as the Lua callback');
	});

	it('has one JanusTsError subclass per schema error kind', () => {
		assert.deepEqual(Object.keys(errorClasses).sort(), [...protocolSchema.errors].sort());
		for (const kind of protocolSchema.errors) {
			const err = errorFromWire(kind, `why ${kind}`);
			assert.ok(err instanceof JanusTsError);
			assert.ok(err instanceof errorClasses[kind as keyof typeof errorClasses]);
			assert.equal(err.kind, kind);
			assert.equal(err.name, kind);
			assert.equal(err.message, `why ${kind}`);
		}
		assert.equal(errorFromWire('Martian', 'x').kind, 'Internal');
	});

	it('rejects each plugin error with the class of its kind, across the socket', async () => {
		h = await startHarness(defineApp({}));
		for (const kind of protocolSchema.errors) {
			h.fake.handlers.set('closePc', () => { throw new FakeError(kind, `plugin says ${kind}`); });
			await assert.rejects(h.runtime.plugin.closePc(5), (err: unknown) =>
				err instanceof errorClasses[kind as keyof typeof errorClasses] && (err as JanusTsError).message === `closePc: plugin says ${kind}`);
		}
	});

	it('answers the plugin with the kind of the error class the app threw', async () => {
		let kind = '';
		h = await startHarness(defineApp({
			querySession() { throw new errorClasses[kind as keyof typeof errorClasses](`app says ${kind}`); },
		}));
		h.fake.notify('createSession', { id: 1 });
		for (kind of protocolSchema.errors) {
			if (kind === 'Timeout') continue; // a Timeout thrown by the app is still a Timeout; skipped to keep logs quiet
			const res = await h.fake.request('querySession', { id: 1 });
			assert.deepEqual([res.error, res.reason], [kind, `app says ${kind}`]);
		}
	});
});
