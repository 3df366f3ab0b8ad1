/**
 * echotest-from-lua.ts — a janus_lua script half-way ported to TypeScript.
 *
 * Debian's /usr/share/janus/lua/echotest.lua keeps running (sessions, the echo route set
 * in setupMedia, hangup, data echo with its prefix), and one callback, handleMessage, is
 * ported: the same requests, answered the same way, written in TypeScript. Port the next
 * callback the same way until nothing is left of the script (control-ts/examples/echotest.ts
 * is the finished port).
 *
 * Run: janus-ts run control-ts/dist/examples/echotest-from-lua.js --socket /path/to/control.sock
 * (env ECHOTEST_LUA: another copy of the script).
 */
import { defineApp, loadScriptApp, sdp, type JsonObject, type Session } from '../src';

const SCRIPT = process.env.ECHOTEST_LUA ?? '/usr/share/janus/lua/echotest.lua';

/** echotest.lua's processRequest, line for line. */
async function processRequest(session: Session, msg: JsonObject): Promise<void> {
	for (const medium of ['audio', 'video', 'data'] as const) {
		if (typeof msg[medium] === 'boolean') await session.setMedium(medium, msg[medium] as boolean);
	}
	if (msg.video === true) await session.sendPli();
	if (typeof msg.bitrate === 'number') await session.setBitrate(msg.bitrate);
	if (msg.keyframe !== undefined) await session.sendPli();
	if (typeof msg.substream === 'number') { await session.setSubstream(msg.substream); await session.sendPli(); }
	if (typeof msg.temporal === 'number') { await session.setTemporalLayer(msg.temporal); await session.sendPli(); }
	if (msg.record === true) {
		const base = (msg.filename as string | undefined) ?? `lua-echotest-${session.id}-${Date.now() / 1000}`;
		await session.startRecording(
			{ medium: 'audio', codec: 'opus', folder: '/tmp', filename: `${base}-audio` },
			{ medium: 'video', codec: 'vp8', folder: '/tmp', filename: `${base}-video` },
			{ medium: 'data', codec: 'text', folder: '/tmp', filename: `${base}-data` },
		);
	} else if (msg.record === false) {
		await session.stopRecording('audio', 'video', 'data');
	}
}

export default loadScriptApp(SCRIPT, 'lua').then(({ definition: lua }) => defineApp({
	...lua,
	name: 'echotest-from-lua',

	/** Ported: no jsep → sync reply; a jsep → async answer (Lua: coroutine + pokeScheduler). */
	async handleMessage(session, { transaction, message, jsep }) {
		if (!jsep) {
			await processRequest(session, message);
			return { echotest: 'response', result: 'ok' };
		}
		const answer = sdp.generateAnswer(jsep.sdp, {
			audioCodec: message.audiocodec as string | undefined,
			videoCodec: message.videocodec as string | undefined,
		});
		const answerLater = async () => {
			await processRequest(session, message);
			await session.pushEvent({ echotest: 'event', result: 'ok' }, { transaction, jsep: sdp.toJsep('answer', answer) });
			await session.configureSimulcast(jsep, answer); // what janus_lua does with the offer's simulcast
			if (await session.plugin.eventsIsEnabled()) await session.notifyEvent({ event: 'processed', request: message });
		};
		setImmediate(() => void answerLater().catch((err) => session.plugin.logger.error('answering the offer:', err)));
	},
}));
