/**
 * videocall.ts — Janus's VideoCall plugin (janus.plugin.videocall) as a janus-ts app.
 *
 * Users register a name, call each other by name, and the media (audio, video, data) of
 * one PeerConnection is routed to the other. Janus does not build any SDP here: the
 * caller's offer is handed to the callee and the callee's answer to the caller, and the
 * Janus core puts its own ICE/DTLS in both. Same requests, events and error codes as the
 * C plugin, so the stock videocalltest.html/videocalltest.js work against it when the
 * plugin's package is janus.plugin.videocall:
 *
 *   {request: "list"}                      → {result: {list: [names]}}
 *   {request: "register", username}        → {result: {event: "registered", username}}
 *   {request: "call", username} + offer   → {result: {event: "calling"}};
 *                                            the callee gets {event: "incomingcall", username} + the offer
 *   {request: "accept"} + answer          → {result: {event: "accepted"}};
 *                                            the caller gets {event: "accepted", username} + the answer
 *   {request: "set", audio?, video?, bitrate?, record?, filename?, substream?, temporal?, fallback?}
 *                                          → {result: {event: "set"}} (+ jsep: "update" to the peer)
 *   {request: "hangup", reason?}           → {result: {event: "hangup", ...}}; declining a call is a hangup
 *
 * Every answer is an event ({videocall: "event", ...}) with the request's transaction;
 * errors are {videocall: "event", error_code, error}. Requests are handled one at a time
 * (like the C plugin's handler thread), so two calls to the same user never race.
 *
 * Run: janus-ts run control-ts/dist/examples/videocall.js --socket /path/to/control.sock
 */
import { defineApp, type Jsep, type JsonObject, type Logger, type Session } from '../src';
import { link, unlink } from './lib/links';
import { checkParams, RequestError, type Param } from './lib/params';
import { SerialQueue } from './lib/serial';
import { record, stopRecording } from './videocall/recording';
import { firstCodec, forwarded, mediaOf, parseSdp } from './videocall/sdp';
import { CODES, ERROR, freshState, type CallState } from './videocall/state';

export { ERROR, type CallState };

/** The parameters of the requests, as the C plugin declares them. */
const REQUEST: Param[] = [['request', 'string', 'required']];
const USERNAME: Param[] = [['username', 'string', 'required']];
const SET: Param[] = [['audio', 'boolean'], ['video', 'boolean'], ['bitrate', 'integer', 'positive'],
	['record', 'boolean'], ['filename', 'string'], ['restart', 'boolean']];

/** Registered users by name. */
const users = new Map<string, Session<CallState>>();
let log: Logger | undefined;
let eventsEnabled = false;
const serial = new SerialQueue();

/** Pushes `{videocall: "event", result}` to a session, unsolicited (no transaction); false if it is gone. */
function pushTo(to: Session<CallState>, result: JsonObject, jsep?: Jsep): Promise<boolean> {
	return to.pushEvent({ videocall: 'event', result }, { jsep });
}

/** `{username}` of a registered user, nothing otherwise (the C plugin leaves the key out). */
const named = (s: CallState): JsonObject => (s.username !== undefined ? { username: s.username } : {});

/** Tells Janus event handlers (when enabled), as the C plugin does. */
async function handlerEvent(session: Session<CallState>, info: JsonObject): Promise<void> {
	if (eventsEnabled) await session.notifyEvent(info);
}

// ---- requests -------------------------------------------------------------------------

function list(): JsonObject {
	return { list: [...users.keys()] };
}

async function register(session: Session<CallState>, msg: JsonObject): Promise<JsonObject> {
	const s = session.data;
	if (s.username !== undefined) throw new RequestError(ERROR.ALREADY_REGISTERED, `Already registered (${s.username})`);
	checkParams(msg, USERNAME, CODES);
	const username = msg.username as string;
	if (users.has(username)) throw new RequestError(ERROR.USERNAME_TAKEN, `Username '${username}' already taken`);
	s.username = username;
	users.set(username, session);
	await handlerEvent(session, { event: 'registered', username });
	return { event: 'registered', username };
}

/** The checks of `call`, in the C plugin's order; each refusal also hangs up the caller's PeerConnection. */
async function callee(session: Session<CallState>, msg: JsonObject): Promise<Session<CallState>> {
	const s = session.data;
	const refuse = async (code: number, text: string): Promise<never> => {
		await session.closePc();
		throw new RequestError(code, text);
	};
	if (s.username === undefined) return refuse(ERROR.REGISTER_FIRST, 'Register a username first');
	if (s.peer) return refuse(ERROR.ALREADY_IN_CALL, 'Already in a call');
	if (s.incall) return refuse(ERROR.ALREADY_IN_CALL, 'Already in a call (but no peer)');
	try {
		checkParams(msg, USERNAME, CODES);
	} catch (err) {
		return refuse((err as RequestError).code, (err as Error).message);
	}
	const name = msg.username as string;
	if (name === s.username) return refuse(ERROR.USE_ECHO_TEST, "You can't call yourself... use the EchoTest for that");
	const peer = users.get(name);
	if (!peer || peer.destroyed) return refuse(ERROR.NO_SUCH_USERNAME, `Username '${name}' doesn't exist`);
	return peer;
}

async function call(session: Session<CallState>, msg: JsonObject, jsep?: Jsep): Promise<JsonObject> {
	const s = session.data;
	const peer = await callee(session, msg);
	if (peer.data.incall || peer.data.peer) {
		await handlerEvent(session, { event: 'hangup', reason: 'User busy' });
		await session.closePc();
		return { event: 'hangup', username: s.username!, reason: 'User busy' };
	}
	if (!jsep?.sdp) throw new RequestError(ERROR.MISSING_SDP, 'Missing SDP');
	parseSdp(jsep, 'offer');
	s.incall = true;
	peer.data.incall = true;
	s.peer = peer;
	peer.data.peer = session;
	s.has = mediaOf(jsep.sdp);
	await pushTo(peer, { event: 'incomingcall', username: s.username! }, forwarded(jsep));
	await handlerEvent(session, { event: 'calling' });
	return { event: 'calling' };
}

async function accept(session: Session<CallState>, jsep?: Jsep): Promise<JsonObject> {
	const s = session.data;
	const peer = s.peer;
	if (!peer || !s.incall || !peer.data.incall) throw new RequestError(ERROR.NO_CALL, 'No incoming call to accept');
	if (!jsep?.sdp) throw new RequestError(ERROR.MISSING_SDP, 'Missing SDP');
	const answer = parseSdp(jsep, 'answer');
	s.has = mediaOf(jsep.sdp);
	// The answer decides the codecs of both legs.
	s.audioCodec = peer.data.audioCodec = firstCodec(answer, 'audio');
	s.videoCodec = peer.data.videoCodec = firstCodec(answer, 'video');
	if (!s.audioCodec) s.has.audio = peer.data.has.audio = false;
	if (!s.videoCodec) s.has.video = peer.data.has.video = false;
	await pushTo(peer, { event: 'accepted', ...named(s) }, forwarded(jsep));
	await handlerEvent(session, { event: 'accepted' });
	await link(session, peer);
	return { event: 'accepted' };
}

/** `substream`, `temporal` (0..2) and `fallback` (≥ 0), checked as the C plugin does. */
function validateLayers(msg: JsonObject): void {
	for (const key of ['substream', 'temporal'] as const) {
		const v = msg[key];
		if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2)) {
			throw new RequestError(ERROR.INVALID_ELEMENT, `Invalid value (${key} should be 0, 1 or 2)`);
		}
	}
	const f = msg.fallback;
	if (f !== undefined && !(Number.isInteger(f) && (f as number) >= 0)) {
		throw new RequestError(ERROR.INVALID_ELEMENT, 'Invalid value (fallback should be a positive integer)');
	}
}

async function set(session: Session<CallState>, msg: JsonObject, jsep?: Jsep): Promise<JsonObject> {
	checkParams(msg, SET, CODES);
	validateLayers(msg);
	const s = session.data;
	if (typeof msg.audio === 'boolean') {
		s.audioActive = msg.audio;
		await session.configureMedium('audio', 'out', s.audioActive);
	}
	if (typeof msg.video === 'boolean') {
		if (!s.videoActive && msg.video) await session.sendPli(); // get the video back with a keyframe
		s.videoActive = msg.video;
		await session.configureMedium('video', 'out', s.videoActive);
	}
	if (typeof msg.bitrate === 'number') {
		s.bitrate = msg.bitrate;
		await session.setBitrate(s.bitrate);
	}
	// No simulcast layers to switch yet: a new target only asks the peer for a keyframe.
	if ((msg.substream !== undefined || msg.temporal !== undefined) && s.peer) await s.peer.sendPli();
	if (typeof msg.record === 'boolean') await record(session, msg.record, msg.filename as string | undefined, jsep);
	await handlerEvent(session, { event: 'configured', audio_active: s.audioActive, video_active: s.videoActive, bitrate: s.bitrate });
	if (jsep?.update === true && s.peer) await pushTo(s.peer, { event: 'update' }, { type: jsep.type, sdp: jsep.sdp });
	return { event: 'set' };
}

async function hangup(session: Session<CallState>, msg: JsonObject): Promise<JsonObject> {
	const s = session.data;
	const reason = typeof msg.reason === 'string' ? msg.reason : 'We did the hangup';
	const peer = s.peer;
	if (peer) peer.data.incall = false;
	s.incall = false;
	await handlerEvent(session, { event: 'hangup', reason: 'Explicit hangup' });
	await session.closePc();
	if (peer) {
		await pushTo(peer, { event: 'hangup', ...named(s), reason });
		await handlerEvent(peer, { event: 'hangup', reason: 'Remote hangup' });
		await peer.closePc();
		await unlink(session, peer);
	}
	return { event: 'hangup', ...named(s), reason: 'Explicit hangup' };
}

// ---- media up and down ----------------------------------------------------------------

/** The PeerConnection is up: valves as the user asked (all open by default), the call's routes. */
async function startMedia(session: Session<CallState>): Promise<void> {
	const s = session.data;
	await Promise.all([
		session.configureMedium('audio', 'in', true), session.configureMedium('video', 'in', true),
		session.setMedium('data', true),
		session.configureMedium('audio', 'out', s.audioActive), session.configureMedium('video', 'out', s.videoActive),
	]);
	if (s.bitrate > 0) await session.setBitrate(s.bitrate);
	if (s.peer) await link(session, s.peer);
}

/**
 * This session's PeerConnection is gone (or the handle detached): the C plugin's
 * hangup_media. The peer is told and hung up; this session's settings are reset.
 */
async function endMedia(session: Session<CallState>): Promise<void> {
	const s = session.data;
	await stopRecording(session);
	const peer = s.peer;
	s.peer = undefined;
	if (peer) {
		await peer.closePc();
		await pushTo(peer, { event: 'hangup', ...named(s), reason: 'Remote WebRTC hangup' });
		await handlerEvent(peer, { event: 'hangup', reason: 'Remote WebRTC hangup' });
		await unlink(session, peer);
	}
	Object.assign(s, { incall: false, audioActive: true, videoActive: true, bitrate: 0, audioCodec: undefined, videoCodec: undefined });
	s.has = { audio: false, video: false, data: false };
}

const REQUESTS: Record<string, (session: Session<CallState>, msg: JsonObject, jsep?: Jsep) => JsonObject | Promise<JsonObject>> = {
	list, register, call, set, hangup,
	accept: (session, _msg, jsep) => accept(session, jsep),
};

/** Runs one request; answers `{videocall: "event", result}` or the error. */
async function runRequest(session: Session<CallState>, transaction: string, msg: JsonObject, jsep?: Jsep): Promise<void> {
	let event: JsonObject;
	try {
		checkParams(msg, REQUEST, CODES);
		const name = String(msg.request);
		const handler = REQUESTS[name.toLowerCase()];
		if (!handler) throw new RequestError(ERROR.INVALID_REQUEST, `Unknown request (${name})`);
		event = { videocall: 'event', result: await handler(session, msg, jsep) };
	} catch (err) {
		if (!(err instanceof RequestError)) log?.error(`request of session ${session.id} failed:`, err);
		const code = err instanceof RequestError ? err.code : 499;
		event = { videocall: 'event', error_code: code, error: (err as Error).message };
	}
	await session.pushEvent(event, { transaction });
}

export default defineApp<CallState>({
	name: 'videocall',
	// Every request and media event goes through this app's one queue in arrival order, like
	// the C plugin's handler thread; a detach is handled before a request that came after it
	// (a name is free again at once), so the runtime need not hold a session's callbacks back.
	serialCallbacks: false,

	async init(_config, p) {
		log = p.logger;
		eventsEnabled = await p.eventsIsEnabled();
		log.info('initialized');
	},

	createSession(session) { session.data = freshState(); },

	destroySession(session) {
		return serial.run(async () => {
			await endMedia(session);
			const name = session.data.username;
			if (name !== undefined && users.get(name) === session) users.delete(name);
		});
	},

	querySession(session) {
		const s = session.data;
		return {
			state: s.peer ? 'incall' : 'idle', ...named(s),
			...(s.peer ? {
				peer: s.peer.data.username ?? null, audio_active: s.audioActive, video_active: s.videoActive,
				...(s.audioCodec ? { audio_codec: s.audioCodec } : {}), ...(s.videoCodec ? { video_codec: s.videoCodec } : {}),
				bitrate: s.bitrate, slowlink_count: s.slowLinks,
			} : {}),
			...(s.recording ? { recording: s.recording } : {}),
			incall: s.incall ? 1 : 0,
		};
	},

	handleMessage(session, { transaction, message, jsep }) {
		// Acknowledge now; the answer is an event, after the requests queued before this one.
		serial.run(() => runRequest(session, transaction, message, jsep)).catch((err) => log?.error('videocall:', err));
	},

	setupMedia(session) { return serial.run(() => startMedia(session)); },

	hangupMedia(session) { return serial.run(() => endMedia(session)); },

	async slowLink(session, { video, uplink }) {
		const s = session.data;
		s.slowLinks++;
		// As the C plugin: only losses on what Janus receives from the client (not uplink) are
		// pushed, so the client can lower its bitrate.
		if (uplink) return;
		const result: JsonObject = { event: 'slow_link', media: video ? 'video' : 'audio' };
		if (video) result['current-bitrate'] = s.bitrate;
		await pushTo(session, result);
	},
});
