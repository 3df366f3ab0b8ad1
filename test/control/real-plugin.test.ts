// The runtime and the echotest app against the REAL plugin in a real Janus (signalling
// only, no media): `janus-ts run echotest.js` as its own process; EchoTest requests get
// the native answers, Janus accepts our SDP answer (push_event with jsep) and merges
// ICE/DTLS into it, handle_info shows querySession, message_plugin is echoed.
// Skipped when libjanus_ts.so / router.wasm are not built.
import * as assert from 'node:assert/strict';
import { Logger, defineApp, run, sdp, type SessionInfo } from 'janus-ts';
import { fixture } from './helpers/fixtures';
import { ECHOTEST_APP, TsJanus, missingTsPieces } from '../helpers/ts-janus';

describe('control-ts against the real plugin (signalling)', function () {
	this.timeout(30000);
	let ts: TsJanus | undefined;

	before(async function () {
		if (missingTsPieces(ECHOTEST_APP).length) this.skip();
		ts = await TsJanus.start({ app: ECHOTEST_APP, supervised: false, package: 'janus.plugin.echotest' });
	});
	after(async () => { await ts?.stop(); });

	it('answers EchoTest requests and an offer like janus.plugin.echotest', async () => {
		const session = await ts!.janus.createSession();
		try {
			const handle = await session.attach('janus.plugin.echotest');
			const plain = await handle.send({ audio: true, video: true });
			assert.deepEqual(plain.data, { echotest: 'event', result: 'ok' });
			const withOffer = await handle.send({ audio: true, video: true, videocodec: 'vp8' },
				{ type: 'offer', sdp: fixture('chromium-offer.sdp') });
			assert.deepEqual(withOffer.data, { echotest: 'event', result: 'ok' });
			assert.equal(withOffer.jsep?.type, 'answer');
			const answer = sdp.parse(withOffer.jsep!.sdp);
			// First payload type = our choice (Janus may add rtx after it).
			assert.deepEqual(answer.media.map((m) => `${m.type} ${m.port === 0 ? 0 : 'open'} ${String(m.payloads).split(' ')[0]}`),
				['audio open 111', 'video open 96', 'application open webrtc-datachannel']);
			assert.deepEqual(answer.media.map((m) => String(m.mid)), ['0', '1', '2']);
			assert.ok(answer.media[0].iceUfrag || answer.iceUfrag, 'Janus merged its ICE credentials');
			assert.ok(answer.media[0].fingerprint || answer.fingerprint, 'Janus merged its DTLS fingerprint');
			await assert.rejects(handle.send({ bitrate: 'fast' }), /bitrate should be a positive integer/);
			const info = await handle.info();
			// The plugin shows the router's view and, under `app`, what querySession returned.
			assert.equal(info.plugin_specific.app.script, 'echotest.ts');
			assert.equal(info.plugin_specific.app.video_active, true);
			assert.deepEqual(info.plugin_specific.router.valves.video, { in: true, out: true });
			const admin = await ts!.janus.admin({ janus: 'message_plugin', plugin: 'janus.plugin.echotest', request: { hello: 'admin' } });
			assert.deepEqual(admin.response, { hello: 'admin' });
		} finally {
			await session.destroy();
		}
	});
});

describe('control-ts against the real plugin (resync)', function () {
	this.timeout(30000);

	it('a restarted app resyncs from the real hello snapshot (resumeSession with valves and routes)', async function () {
		if (missingTsPieces().length) this.skip();
		const plain = await TsJanus.start({ waitApp: false });
		try {
			const resumed: SessionInfo[] = [];
			const app = defineApp({
				name: 'resync',
				setupMedia: () => {},
				resumeSession: (_s, info) => { resumed.push(info); },
			});
			const quiet = { socketPath: plain.socketPath, logger: new Logger({ write: () => {} }) };
			const first = await run(app, quiet);
			const session = await plain.janus.createSession();
			await session.attach('janus.plugin.ts');
			await new Promise((r) => setTimeout(r, 100));
			const [id] = [...first.sessions.keys()];
			assert.ok(id, 'createSession reached the first app');
			await first.plugin.configureMedium(id, 'video', 'out', true);
			await first.plugin.addRecipient(id, id);
			first.stop();
			const second = await run(app, quiet);
			try {
				assert.equal(resumed.length, 1);
				assert.equal(resumed[0].id, id);
				assert.equal(resumed[0].started, false);
				assert.deepEqual(resumed[0].valves.video, { in: false, out: true });
				assert.ok(resumed[0].routes.some((r) => r.recipient === id && r.mindex === 255), JSON.stringify(resumed[0].routes));
				assert.equal(second.sessions.get(id)?.info?.id, id);
			} finally {
				second.stop();
				await session.destroy();
			}
		} finally {
			await plain.stop();
		}
	});
});
