/**
 * echotest.ts — Janus's EchoTest as a janus-ts app.
 *
 * Protocol-compatible with the native janus.plugin.echotest, so the stock
 * echotest.html/echotest.js work against it when the plugin's package is
 * janus.plugin.echotest. Everything /usr/share/janus/lua/echotest.lua does:
 * audio/video/data valves, bitrate cap, keyframe requests, simulcast (and VP9 SVC)
 * substream/temporal targets with the `substream`/`temporal` events, recording,
 * text data echoed with a prefix, binary data echoed as is, admin messages echoed,
 * event-handler notifications.
 *
 * Run: janus-ts run control-ts/dist/examples/echotest.js --socket /path/to/control.sock
 */
import {
	defineApp, JanusTsError, sdp, type JsonObject, type Logger, type Medium, type Plugin, type Session,
} from '../src';

const SCRIPT = 'echotest.ts';
/** Prefix of echoed text data (the native plugin's wording). */
export const TEXT_PREFIX = 'Janus EchoTest here! You wrote: ';

/** Error codes of the native plugin's events. */
export const ERROR_INVALID_ELEMENT = 413;
export const ERROR_INVALID_SDP = 414;

/** Per-session state. Media start enabled, as in the native plugin. */
export interface EchoState {
	active: Record<Medium, boolean>;
	/** REMB cap asked by the client, bps (0 = none). */
	bitrate: number;
	audioCodec?: string;
	videoCodec?: string;
	recording?: string;
	slowLinks: number;
}

let log: Logger | undefined;
let plugin: Plugin | undefined;

/** Checks the request's fields; returns an error text or undefined. */
function validate(msg: JsonObject): string | undefined {
	for (const key of ['audio', 'video', 'data', 'keyframe', 'record'] as const) {
		if (msg[key] !== undefined && typeof msg[key] !== 'boolean') return `Invalid element (${key} should be a boolean)`;
	}
	if (msg.bitrate !== undefined && !(Number.isInteger(msg.bitrate) && (msg.bitrate as number) >= 0)) {
		return 'Invalid element (bitrate should be a positive integer)';
	}
	for (const key of ['substream', 'temporal'] as const) {
		const v = msg[key];
		if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2)) return `Invalid element (${key} should be 0, 1 or 2)`;
	}
	for (const key of ['filename', 'audiocodec', 'videocodec'] as const) {
		if (msg[key] !== undefined && typeof msg[key] !== 'string') return `Invalid element (${key} should be a string)`;
	}
	return undefined;
}

/** Opens or closes both valves of every medium as the session's state says. */
async function applyValves(session: Session<EchoState>): Promise<void> {
	await Promise.all((['audio', 'video', 'data'] as const).map((medium) => session.setMedium(medium, session.data.active[medium])));
}

/** Valves and the echo route (idempotent). Done when the offer is answered, before the
 *  PeerConnection is up, so the first packets come back; again in setupMedia, after a hangup
 *  reset them (a new PeerConnection also brings a new offer). */
async function echo(session: Session<EchoState>): Promise<void> {
	await Promise.all([applyValves(session), session.addRecipient(session)]);
}

/**
 * A new substream or temporal target. As the native plugin: when the video already comes at
 * that layer the client is told at once; otherwise a keyframe is asked for, and the
 * `substream`/`temporal` event follows when the router switches (substreamChanged).
 */
async function setLayer(session: Session<EchoState>, which: 'substream' | 'temporal', value: number): Promise<void> {
	if (which === 'substream') await session.setSubstream(value);
	else await session.setTemporalLayer(value);
	const info = await session.fetchInfo();
	const now = info.layers.find((l) => l[which] !== null)?.[which];
	if (now === value) {
		await session.pushEvent({ echotest: 'event', videocodec: session.data.videoCodec ?? 'vp8', [which]: value });
	} else {
		await session.sendPli();
	}
}

/** Applies one EchoTest request (the requests echotest.js sends). */
async function processRequest(session: Session<EchoState>, msg: JsonObject): Promise<void> {
	const s = session.data;
	for (const medium of ['audio', 'video', 'data'] as const) {
		if (typeof msg[medium] === 'boolean') {
			s.active[medium] = msg[medium] as boolean;
			await session.setMedium(medium, s.active[medium]);
		}
	}
	if (msg.video === true) await session.sendPli();
	if (typeof msg.bitrate === 'number') {
		s.bitrate = msg.bitrate;
		await session.setBitrate(s.bitrate);
	}
	if (typeof msg.substream === 'number') await setLayer(session, 'substream', msg.substream as number);
	if (typeof msg.temporal === 'number') await setLayer(session, 'temporal', msg.temporal as number);
	if (msg.keyframe === true) await session.sendPli();
	if (msg.record === true && !s.recording) {
		const base = (msg.filename as string | undefined) ?? `echotest-${session.id}-${Date.now()}`;
		s.recording = base;
		await session.startRecording(
			{ medium: 'audio', codec: s.audioCodec ?? 'opus', filename: `${base}-audio` },
			{ medium: 'video', codec: s.videoCodec ?? 'vp8', filename: `${base}-video` },
			{ medium: 'data', codec: 'text', filename: `${base}-data` },
		);
	} else if (msg.record === false && s.recording) {
		s.recording = undefined;
		await session.stopRecording('audio', 'video', 'data');
	}
}

export default defineApp<EchoState>({
	name: 'echotest',

	async init(config, p) {
		plugin = p;
		log = p.logger;
		log.info(`initialized${config ? ` (config "${config}" not needed)` : ''}`);
		if (await p.eventsIsEnabled()) await p.notifyEvent(null, { event: 'loaded', script: SCRIPT });
	},

	destroy() { log?.info('deinitialized'); },

	createSession(session) {
		session.data = { active: { audio: true, video: true, data: true }, bitrate: 0, slowLinks: 0 };
		log?.verb(`created session ${session.id}`);
	},

	async resumeSession(session, info) {
		// The app restarted while the session lived: rebuild the state from the plugin's snapshot.
		session.data = {
			active: { audio: info.valves.audio.out, video: info.valves.video.out, data: info.valves.data.out },
			bitrate: info.bitrate, slowLinks: 0,
		};
		log?.verb(`resumed session ${session.id}`);
	},

	destroySession(session) { log?.verb(`destroyed session ${session.id}`); },

	querySession(session) {
		const s = session.data;
		return {
			script: SCRIPT, id: session.id, audio_active: s.active.audio, video_active: s.active.video,
			data_active: s.active.data, bitrate: s.bitrate, slowlink_count: s.slowLinks,
			...(s.recording ? { recording: s.recording } : {}),
		};
	},

	handleMessage(session, { transaction, message, jsep }) {
		// Like the native plugin: acknowledge now, answer with an event (and the SDP answer).
		void (async () => {
			const error = validate(message);
			if (error) {
				await session.pushEvent({ echotest: 'event', error_code: ERROR_INVALID_ELEMENT, error }, { transaction });
				return;
			}
			let answer: ReturnType<typeof sdp.toJsep> | undefined;
			if (jsep && jsep.type === 'offer') {
				const offer = sdp.parse(jsep.sdp);
				const videoProfile = message.videoprofile as string | undefined;
				// Simulcast offered (rids or an SSRC group) is kept in the answer.
				const simulcast = sdp.simulcastFromJsep(jsep).length > 0 || sdp.simulcastOf(offer).length > 0;
				const generated = sdp.generateAnswer(offer, {
					audio: true, video: true, data: true, simulcast,
					audioCodec: message.audiocodec as string | undefined, videoCodec: message.videocodec as string | undefined,
					vp9Profile: videoProfile, h264Profile: videoProfile,
				});
				// The router selects what comes back: the substreams (and VP9 SVC layers) it sends.
				await session.configureSimulcast(jsep, generated, { svc: true });
				const audio = generated.media.find((m) => m.type === 'audio' && m.port !== 0);
				const video = generated.media.find((m) => m.type === 'video' && m.port !== 0);
				session.data.audioCodec = audio ? sdp.findCodec(audio, Number(audio.payloads)) ?? undefined : undefined;
				session.data.videoCodec = video ? sdp.findCodec(video, Number(video.payloads)) ?? undefined : undefined;
				answer = sdp.toJsep('answer', generated);
			}
			await processRequest(session, message);
			if (answer) await echo(session);
			await session.pushEvent({ echotest: 'event', result: 'ok' }, { transaction, jsep: answer });
			if (answer) await session.notifyEvent({ event: 'processed', request: message });
		})().catch(async (err) => {
			log?.error(`request of session ${session.id} failed:`, err);
			const code = err instanceof JanusTsError && err.kind === 'CoreError' ? ERROR_INVALID_SDP : ERROR_INVALID_ELEMENT;
			await session.pushEvent({ echotest: 'event', error_code: code, error: (err as Error).message }, { transaction }).catch(() => {});
		});
	},

	handleAdminMessage(message) {
		// Echo, as the Lua example does.
		return message;
	},

	async setupMedia(session) {
		log?.verb(`PeerConnection up for session ${session.id}`);
		await echo(session);
		if (session.data.bitrate > 0) await session.setBitrate(session.data.bitrate);
	},

	async hangupMedia(session) {
		log?.verb(`PeerConnection down for session ${session.id}`);
		// The plugin already dropped the valves, the bitrate cap and the echo route.
		if (session.data.recording) {
			session.data.recording = undefined;
			await session.stopRecording().catch(() => {});
		}
		session.data.slowLinks = 0;
		if (!session.destroyed) await session.pushEvent({ echotest: 'event', result: 'done' }).catch(() => {});
	},

	async incomingTextData(session, text, { label, protocol }) {
		if (!session.data.active.data) return;
		await session.relayTextData(TEXT_PREFIX + text, label, protocol);
	},

	async incomingBinaryData(session, data, { label, protocol }) {
		if (!session.data.active.data) return;
		await session.relayBinaryData(data, label, protocol);
	},

	async slowLink(session, { video, uplink }) {
		session.data.slowLinks++;
		if (uplink) return; // Janus has trouble sending to the client: nothing to cap here
		// The client's uplink is lossy: halve its bitrate cap (not below 64 kbps) and tell it.
		const current = session.data.bitrate > 0 ? session.data.bitrate : 512 * 1024;
		session.data.bitrate = Math.max(64 * 1024, Math.floor(current / 2));
		await session.setBitrate(session.data.bitrate);
		await session.pushEvent({
			echotest: 'event',
			result: { status: 'slow_link', media: video ? 'video' : 'audio', bitrate: session.data.bitrate },
		});
	},

	async substreamChanged(session, substream) {
		await session.pushEvent({ echotest: 'event', videocodec: session.data.videoCodec ?? 'vp8', substream });
	},

	async temporalLayerChanged(session, temporal) {
		await session.pushEvent({ echotest: 'event', videocodec: session.data.videoCodec ?? 'vp8', temporal });
	},
});

/** The flat API once init ran (for tests and for porting Lua code that uses globals). */
export function currentPlugin(): Plugin | undefined { return plugin; }
