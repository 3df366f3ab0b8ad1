/**
 * chatroulette.ts — the Chatroulette of the Janus Lua plugin's presentation (FOSDEM 2018),
 * as a janus-ts app: everyone who joins is paired at random with someone else who is
 * free; until then they see and hear themselves.
 *
 * Requests (any combination of the keys; each answered with an event carrying the
 * request's transaction, `{chatroulette: "event", result: "ok"}` or
 * `{chatroulette: "event", error_code, error}`):
 *
 *   {name: "alice"} + offer   join (or rejoin after a hangup); the answer comes with "ok"
 *   {name: "alice"}           rename
 *   {reject: true}            end the current match; these two are never matched again
 *   {bitrate: 256000}         cap what your browser sends (REMB), bps; 0 = no cap
 *
 * Events (no transaction):
 *
 *   {chatroulette: "event", matched: false}                     alone: you get your own media back
 *   {chatroulette: "event", matched: true, peer: id, name: "bob"} you and bob get each other's
 *                                                                 audio, video and data
 *
 * A user can be matched when it has a name, its PeerConnection is up, it is not matched,
 * and it neither rejected nor was rejected by the other (and both clients numbered their
 * codecs alike: see compatible()). Whenever a user becomes free
 * (joins, rejects or is rejected, or its partner hangs up or leaves) it is matched at
 * random with one of the free users, or left alone. The media never reaches this code:
 * a match is two routes in the router (link), being alone is a route to oneself, and the
 * data channel stays quiet when alone (its `in` valve is closed).
 *
 * Run: janus-ts run control-ts/dist/examples/chatroulette.js --socket /path/to/control.sock
 */
import { defineApp, sdp, type Jsep, type JsonObject, type Logger, type Session } from '../src';
import { link, unlink } from './lib/links';
import { checkParams, RequestError, type Param } from './lib/params';
import { quietly, SerialQueue } from './lib/serial';

/** Error codes of this plugin's events. */
export const ERROR = { MISSING_ELEMENT: 490, INVALID_ELEMENT: 491, INVALID_SDP: 492, NO_MATCH: 493, UNKNOWN: 499 } as const;
const CODES = { missing: ERROR.MISSING_ELEMENT, invalid: ERROR.INVALID_ELEMENT, unauthorized: ERROR.INVALID_ELEMENT /* no secrets */ };
const PARAMS: Param[] = [['name', 'string', 'nonempty'], ['reject', 'boolean'], ['bitrate', 'integer', 'positive']];

export interface RouletteState {
	name?: string;
	/** The current partner. */
	peer?: Session<RouletteState>;
	/** Alone and told so (matched: false sent, echo route in place). */
	alone: boolean;
	/** Ids of the users this one rejected. */
	rejected: Set<number>;
	/** REMB cap, bps (0 = none). */
	bitrate: number;
	/** The negotiated payload types and codecs, e.g. "audio 111 opus, video 96 vp8". */
	codecs?: string;
}

/** Every session, for the random pick. */
const everyone = new Set<Session<RouletteState>>();
const serial = new SerialQueue();
let log: Logger | undefined;

const event = (fields: JsonObject): JsonObject => ({ chatroulette: 'event', ...fields });
const tell = (s: Session<RouletteState>, fields: JsonObject): Promise<boolean> => s.pushEvent(event(fields));

/** Whether `s` may be matched now. */
function free(s: Session<RouletteState>): boolean {
	return s.started && !s.destroyed && s.data.name !== undefined && !s.data.peer;
}

/**
 * Whether `a` and `b` may be matched: neither rejected the other, and their packets need
 * no translation (the router forwards payload types as they are, and each client chose
 * its own numbers: two Chromiums agree, a Chromium and a werift client do not).
 */
function compatible(a: Session<RouletteState>, b: Session<RouletteState>): boolean {
	return !a.data.rejected.has(b.id) && !b.data.rejected.has(a.id) && a.data.codecs === b.data.codecs;
}

/** Alone: the user gets its own audio and video back, no data, and is told once. */
async function beAlone(s: Session<RouletteState>): Promise<void> {
	await quietly(s.addRecipient(s)); // idempotent; the session may have gone meanwhile
	await s.configureMedium('data', 'in', false);
	if (s.data.alone) return;
	s.data.alone = true;
	await tell(s, { matched: false });
}

async function match(a: Session<RouletteState>, b: Session<RouletteState>): Promise<void> {
	for (const s of [a, b]) {
		s.data.alone = false;
		await s.removeRecipient(s);
		await s.configureMedium('data', 'in', true);
	}
	a.data.peer = b;
	b.data.peer = a;
	await link(a, b);
	await Promise.all([a.sendPli(), b.sendPli()]); // each shows the newcomer a keyframe
	await tell(a, { matched: true, peer: b.id, name: b.data.name ?? null });
	await tell(b, { matched: true, peer: a.id, name: a.data.name ?? null });
}

/** Matches `s` with a random free user, or leaves it alone. */
async function findMatch(s: Session<RouletteState>): Promise<void> {
	if (!free(s)) return;
	const candidates = [...everyone].filter((o) => o !== s && free(o) && compatible(s, o));
	if (candidates.length === 0) return beAlone(s);
	await match(s, candidates[Math.floor(Math.random() * candidates.length)]);
}

/** Ends the match of `s` (if any); the partner, and `s` if still there, look for someone new. */
async function unmatch(s: Session<RouletteState>): Promise<void> {
	const peer = s.data.peer;
	if (!peer) return;
	s.data.peer = undefined;
	peer.data.peer = undefined;
	await unlink(s, peer);
	for (const x of [s, peer]) await findMatch(x);
}

/** "audio 111 opus, video 96 vp8": what a client sends and expects, per medium. */
function codecsOf(answer: sdp.SessionDescription): string {
	return answer.media.filter((m) => m.port !== 0 && m.type !== 'application')
		.map((m) => { const pt = sdp.payloadsOf(m)[0]; return `${m.type} ${pt} ${sdp.findCodec(m, pt)}`; }).join(', ');
}

/** The SDP answer to a client's offer (audio, video and data, as offered) and its codecs. */
function answerOf(jsep: Jsep): { answer: Jsep; codecs: string } {
	if (jsep.type !== 'offer') throw new RequestError(ERROR.INVALID_SDP, `Expected an offer, got ${String(jsep.type)}`);
	let answer: sdp.SessionDescription;
	try {
		answer = sdp.generateAnswer(jsep.sdp, { audio: true, video: true, data: true });
	} catch (err) {
		throw new RequestError(ERROR.INVALID_SDP, `Invalid offer: ${(err as Error).message}`);
	}
	return { answer: sdp.toJsep('answer', answer), codecs: codecsOf(answer) };
}

/** Applies one request; resolves with the answer's jsep, if any. */
async function apply(s: Session<RouletteState>, msg: JsonObject, jsep?: Jsep): Promise<Jsep | undefined> {
	checkParams(msg, PARAMS, CODES);
	if (jsep && msg.name === undefined && s.data.name === undefined) throw new RequestError(ERROR.MISSING_ELEMENT, 'Missing mandatory element (name)');
	if (msg.reject === true && !s.data.peer) throw new RequestError(ERROR.NO_MATCH, 'Not matched with anyone');
	const negotiated = jsep ? answerOf(jsep) : undefined;
	if (negotiated) s.data.codecs = negotiated.codecs;
	if (typeof msg.name === 'string') {
		s.data.name = msg.name;
		const peer = s.data.peer;
		if (peer) await tell(peer, { matched: true, peer: s.id, name: s.data.name });
		else await findMatch(s); // a started user who just got a name
	}
	if (typeof msg.bitrate === 'number') {
		s.data.bitrate = msg.bitrate;
		await s.setBitrate(msg.bitrate);
	}
	if (msg.reject === true) {
		s.data.rejected.add(s.data.peer!.id);
		await unmatch(s);
	}
	return negotiated?.answer;
}

async function handle(s: Session<RouletteState>, transaction: string, msg: JsonObject, jsep?: Jsep): Promise<void> {
	try {
		const answer = await apply(s, msg, jsep);
		await s.pushEvent(event({ result: 'ok' }), { transaction, jsep: answer });
	} catch (err) {
		if (!(err instanceof RequestError)) log?.error(`request of session ${s.id} failed:`, err);
		const code = err instanceof RequestError ? err.code : ERROR.UNKNOWN;
		await s.pushEvent(event({ error_code: code, error: (err as Error).message }), { transaction });
	}
}

/** `s` is going (PeerConnection down or handle detached): its partner is rematched. */
async function leave(s: Session<RouletteState>): Promise<void> {
	s.data.alone = false;
	await unmatch(s);
}

export default defineApp<RouletteState>({
	name: 'chatroulette',
	// Every request and media event goes through the one queue above, in arrival order, so
	// the runtime need not hold a session's callbacks back.
	serialCallbacks: false,

	init(_config, plugin) { log = plugin.logger; },

	createSession(s) {
		s.data = { alone: false, rejected: new Set(), bitrate: 0 };
		everyone.add(s);
	},

	destroySession(s) {
		return serial.run(async () => {
			everyone.delete(s);
			await leave(s);
			for (const o of everyone) o.data.rejected.delete(s.id);
		});
	},

	querySession(s) {
		return {
			...(s.data.name !== undefined ? { name: s.data.name } : {}), matched: s.data.peer !== undefined,
			...(s.data.peer ? { peer: s.data.peer.id } : {}), rejected: [...s.data.rejected], bitrate: s.data.bitrate,
		};
	},

	handleMessage(s, { transaction, message, jsep }) {
		serial.run(() => handle(s, transaction, message, jsep)).catch((err) => log?.error('chatroulette:', err));
	},

	setupMedia(s) {
		return serial.run(async () => {
			await Promise.all([s.setMedium('audio', true), s.setMedium('video', true), s.configureMedium('data', 'out', true)]);
			if (s.data.bitrate > 0) await s.setBitrate(s.data.bitrate);
			await findMatch(s);
		});
	},

	hangupMedia(s) { return serial.run(() => leave(s)); },
});
