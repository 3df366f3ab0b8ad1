/**
 * A janus-ts app: each client's audio and video come back to it (an echo), `{"audio":
 * false}` mutes the echoed audio, `{"request": "ping"}` is answered at once.
 *
 *   npm start -- --socket /run/janus/ts.sock     run it against Janus
 *   npm run dev -- --socket /run/janus/ts.sock   reload on save, calls keep going
 *   npm test                                      test it on the real router, no Janus
 */
import { defineApp, sdp, type Session } from 'janus-ts';

// A type alias (not an interface): Session<State> must fit where a Session is expected.
type State = { audio: boolean };

async function applyValves(session: Session<State>): Promise<void> {
	await session.setMedium('audio', session.data.audio);
	await session.setMedium('video', true);
}

export default defineApp<State>({
	createSession(session) { session.data = { audio: true }; },

	// After a reload (--watch) or a restart, rebuild the state from the plugin's snapshot.
	resumeSession(session, info) { session.data = { audio: info.valves.audio.out }; },

	async handleMessage(session, { transaction, message, jsep }) {
		if (message.request === 'ping') return { pong: true };
		if (typeof message.audio === 'boolean') {
			session.data.audio = message.audio;
			if (session.started) await applyValves(session);
		}
		const answer = jsep?.type === 'offer' ? sdp.toJsep('answer', sdp.generateAnswer(jsep.sdp)) : undefined;
		setImmediate(() => void session.pushEvent({ result: 'ok', audio: session.data.audio }, { transaction, jsep: answer }));
	},

	async setupMedia(session) {
		await applyValves(session);
		await session.addRecipient(session);
	},
});
