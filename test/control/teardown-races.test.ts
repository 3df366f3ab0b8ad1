// Teardown races against the REAL plugin in a real Janus: handles detach while the app keeps
// calling removeRecipient / pushEvent / closePc (and the other calls Lua scripts make on
// their way out) about them. Every call settles with true or false — no rejection, no
// unhandled rejection — and nothing is left behind: no session in the app, in its callback
// queues or in the plugin, no pending control request.
import * as assert from 'node:assert/strict';
import { Logger, defineApp, run, type Runtime, type Session } from 'janus-ts';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { until } from './helpers/fake-plugin';

const HANDLES = 16;

describe('control-ts teardown races against the real plugin', function () {
	this.timeout(60000);

	it('calls about sessions that detach meanwhile resolve false, never reject, and leak nothing', async function () {
		if (missingTsPieces().length) this.skip();
		const ts = await TsJanus.start({ waitApp: false });
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		const results = { true: 0, false: 0 };
		const failures: string[] = [];
		const known: Session<object>[] = [];
		const count = (p: Promise<boolean>, what: string) => p.then(
			(ok) => { results[ok ? 'true' : 'false']++; },
			(err: Error) => { failures.push(`${what}: ${err.message}`); });
		/** What a Lua script does about a session on its way out, all at once. */
		const teardownCalls = (s: Session<object>, other: Session<object>) => Promise.all([
			count(other.removeRecipient(s), 'removeRecipient'),
			count(s.removeRecipient(other), 'removeRecipient'),
			count(s.pushEvent({ leaving: s.id }), 'pushEvent'),
			count(s.closePc(), 'closePc'),
			count(s.configureMedium('audio', 'in', false), 'configureMedium'),
			count(s.setBitrate(0), 'setBitrate'),
			count(s.sendPli(), 'sendPli'),
			count(s.relayTextData('bye'), 'relayTextData'),
			count(s.stopRecording(), 'stopRecording'),
			count(s.removeRoute(0, other, 0), 'removeRoute'),
		]);
		let runtime: Runtime<object> | undefined;
		try {
			runtime = await run(defineApp({
				name: 'teardown',
				async createSession(s) {
					const peer = known[known.length - 1];
					known.push(s);
					if (peer) await peer.addRecipient(s).catch((err: Error) => failures.push(`addRecipient: ${err.message}`));
				},
				// Typical teardown code: no try/catch around calls about the session that is going.
				async destroySession(s) { await teardownCalls(s, known[0]); },
			}), { socketPath: ts.socketPath, logger: new Logger({ write: () => {} }) });
			const rt = runtime;
			const janus = await ts.janus.createSession();
			const handles = [];
			for (let i = 0; i < HANDLES; i++) handles.push(await janus.attach('janus.plugin.ts'));
			await until(() => rt.sessions.size === HANDLES, 5000, 'every session created in the app');
			// Hammer every session while all of them detach.
			let storming = true;
			const storm = (async () => {
				while (storming) {
					await Promise.all(known.map((s, i) => teardownCalls(s, known[(i + 1) % known.length])));
				}
			})();
			await Promise.all(handles.map((h) => h.detach()));
			await until(() => rt.sessions.size === 0, 10000, 'every session destroyed in the app');
			storming = false;
			await storm;
			await janus.destroy();

			assert.deepEqual(failures, [], 'no call rejected');
			assert.deepEqual(unhandled, [], 'no unhandled rejection');
			assert.ok(results.false > 0, `some calls found their session gone (true ${results.true}, false ${results.false})`);
			const stats = await rt.plugin.stats() as { sessions: number; control: { pendingRequests: number } };
			assert.equal(stats.sessions, 0, 'the plugin has no session left');
			assert.equal(stats.control.pendingRequests, 0);
			assert.equal(rt.connection.connected, true, 'still connected');
			// A new connection's snapshot is empty too: the plugin forgot them all.
			rt.stop();
			const again = await run(defineApp({}), { socketPath: ts.socketPath, logger: new Logger({ write: () => {} }) });
			assert.deepEqual(again.hello?.sessions, []);
			again.stop();
		} finally {
			process.off('unhandledRejection', onUnhandled);
			runtime?.stop();
			await ts.stop();
		}
	});
});
