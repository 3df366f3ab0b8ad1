/**
 * publisher.ts — participants: `join` as publisher, `publish`/`configure` (SDP answer,
 * per-stream send, bitrate, keyframe, display, descriptions), `unpublish`, `leave`, and
 * what happens when their PeerConnection comes up or goes away.
 */
import { randomInt } from 'node:crypto';
import type { Jsep, JsonObject, Session } from '../../src';
import { checkParams } from '../lib/params';
import { randomId } from '../lib/rooms';
import { quietly } from '../lib/serial';
import { CODES, ERR, fail } from './errors';
import { isPublishing, type Publisher, type PubStream, type Subscriber, type VideoRoom, type VrSession } from './model';
import { notifyParticipants, push } from './notify';
import * as P from './params';
import { applyPublisherValves, forgetSession, syncRoutes } from './routing';
import { answerPublisher, type AnsweredLine } from './sdp';
import { describeLayers, detectTalking } from './media';
import { publisherInfo } from './summaries';
import { renegotiate, sourceGone } from './subscriber';

/** Checks the `descriptions` array of a publish/configure/join. */
function checkDescriptions(msg: JsonObject): void {
	if (!Array.isArray(msg.descriptions)) return;
	for (const d of msg.descriptions) checkParams((d ?? {}) as JsonObject, P.PUBLISH_DESC, CODES);
}

/** A random uint32 private id no participant of the room has. */
function privateId(room: VideoRoom): number {
	const taken = new Set([...room.participants.values()].map((p) => p.pvtId));
	for (;;) {
		const id = randomInt(1, 2 ** 32);
		if (!taken.has(id)) return id;
	}
}

/** `join` (ptype publisher): adds a participant and answers `joined` with the active publishers. */
export async function joinPublisher(session: Session<VrSession>, room: VideoRoom, msg: JsonObject): Promise<{ p: Publisher; event: JsonObject }> {
	checkParams(msg, P.PUBLISHER, CODES);
	checkParams(msg, P.ID_OPT, CODES);
	checkDescriptions(msg);
	if (room.checkAllowed && !(typeof msg.token === 'string' && room.allowed.has(msg.token))) {
		fail(ERR.UNAUTHORIZED, 'Unauthorized (not in the allowed list)');
	}
	if (typeof msg.id === 'number' && room.participants.has(msg.id)) fail(ERR.ID_EXISTS, `User ID ${msg.id} already exists`);
	const id = typeof msg.id === 'number' ? msg.id : randomId(room.participants);
	const p: Publisher = {
		session, room, id, pvtId: privateId(room), streams: [], bitrate: room.bitrate,
		kicked: false, subscriptions: new Set(), forwarders: [],
		...(typeof msg.display === 'string' ? { display: msg.display } : {}),
	};
	talkSettings(p, msg);
	const others = [...room.participants.values()];
	room.participants.set(id, p);
	session.data.publisher = p;
	// Subscribers get this participant's data on a channel labelled with its id, as the native plugin relays it.
	await quietly(session.setRelayLabel(String(id)));
	const event: JsonObject = {
		videoroom: 'joined', room: room.id, description: room.description, id, private_id: p.pvtId,
		publishers: others.filter(isPublishing).map((o) => publisherInfo(o, true)),
	};
	if (room.notifyJoining) {
		event.attendees = others.filter((o) => !isPublishing(o)).map((o) => ({ id: o.id, ...(o.display !== undefined ? { display: o.display } : {}) }));
		await notifyParticipants(room, { videoroom: 'event', room: room.id, joining: { id, ...(p.display !== undefined ? { display: p.display } : {}) } }, p);
	}
	return { p, event };
}

/** The `streams` of a configure: the array given, or one built from the top-level mid/send/keyframe. */
function streamChanges(msg: JsonObject): JsonObject[] {
	if (Array.isArray(msg.streams)) return msg.streams.map((s) => (s ?? {}) as JsonObject);
	const s: JsonObject = {};
	for (const k of ['mid', 'send', 'keyframe', 'min_delay', 'max_delay']) if (msg[k] !== undefined) s[k] = msg[k];
	return [s];
}

function checkStreamChanges(p: Publisher, changes: JsonObject[]): void {
	for (const s of changes) {
		checkParams(s, P.PUBLISH_STREAM, CODES);
		if (s.mid === undefined && changes.length > 1) fail(ERR.INVALID_ELEMENT, "Invalid value (mid can't be null in a streams array)");
		if (typeof s.mid === 'string' && !p.streams.some((ps) => ps.mid === s.mid)) fail(ERR.NO_SUCH_FEED, `No such mid '${s.mid}' published`);
	}
}

function checkCodecs(p: Publisher, msg: JsonObject): void {
	if (typeof msg.audiocodec === 'string' && !p.room.audiocodec.includes(msg.audiocodec.toLowerCase())) {
		fail(ERR.INVALID_ELEMENT, 'Audio codec unavailable in this room');
	}
	if (typeof msg.videocodec === 'string' && !p.room.videocodec.includes(msg.videocodec.toLowerCase())) {
		fail(ERR.INVALID_ELEMENT, 'Video codec unavailable in this room');
	}
}

/** Applies per-stream send/keyframe and the deprecated audio/video/data flags; returns the video streams resumed. */
async function applyStreamChanges(p: Publisher, msg: JsonObject, changes: JsonObject[]): Promise<PubStream[]> {
	const legacy = changes.some((s) => typeof s.mid === 'string') ? {} : msg;
	const resumed: PubStream[] = [];
	for (const s of changes) {
		for (const ps of p.streams) {
			const midFound = typeof s.mid === 'string' && s.mid === ps.mid;
			const flag = legacy[ps.type];
			const send = midFound && typeof s.send === 'boolean' ? s.send : typeof flag === 'boolean' ? flag : undefined;
			if (send !== undefined) {
				if (send && !ps.active && ps.type === 'video') resumed.push(ps);
				ps.active = send;
			}
			if (ps.type === 'video' && (midFound || s.mid === undefined) && s.keyframe === true && p.session.started) {
				await quietly(p.session.sendPli(ps.mindex));
			}
		}
	}
	return resumed;
}

/** New display name or stream descriptions: tell the room (as the native plugin does). */
async function applyNames(p: Publisher, msg: JsonObject, hasSdp: boolean): Promise<void> {
	if (typeof msg.display === 'string') {
		const had = p.display !== undefined;
		p.display = msg.display;
		if (had) await notifyParticipants(p.room, { videoroom: 'event', id: p.id, display: p.display }, p);
	}
	if (hasSdp || !Array.isArray(msg.descriptions)) return;
	let changed = false;
	for (const d of msg.descriptions as JsonObject[]) {
		const ps = p.streams.find((s) => s.mid === d.mid);
		if (ps && typeof d.description === 'string') { ps.description = d.description; changed = true; }
	}
	if (changed && isPublishing(p)) await notifyParticipants(p.room, { videoroom: 'event', room: p.room.id, publishers: [publisherInfo(p, false)] }, p);
}

/** Turns the answered m-lines into the publisher's streams (keeping those of a renegotiation). */
function setStreams(p: Publisher, lines: AnsweredLine[], descriptions: JsonObject[]): void {
	p.streams = lines.map((l) => {
		const old = p.streams.find((s) => s.mindex === l.mindex);
		const description = descriptions.find((d) => d.mid === l.mid)?.description;
		const ps: PubStream = old ?? { publisher: p, type: l.kind, mindex: l.mindex, mid: l.mid, disabled: l.disabled, active: true, muted: false, mline: l.mline, subscribers: new Set() };
		Object.assign(ps, { mid: l.mid, disabled: l.disabled, mline: l.mline, codec: l.codec });
		if (typeof description === 'string') ps.description = description;
		return ps;
	});
}

/** The participant's own talk detection settings (join, configure), over the room's. */
function talkSettings(p: Publisher, msg: JsonObject): void {
	const n = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
	p.audioActivePackets = n(msg.audio_active_packets) ?? p.audioActivePackets;
	p.audioLevelAverage = n(msg.audio_level_average) ?? p.audioLevelAverage;
}

/** The SDP part of publish/configure: room capacity, answer, streams. Returns the answer. */
function negotiate(p: Publisher, msg: JsonObject, jsep: Jsep, event: JsonObject): Jsep {
	if (jsep.type !== 'offer') fail(ERR.INVALID_SDP_TYPE, jsep.type === 'answer' ? 'Only subscribers send answers' : `Unknown SDP type '${jsep.type}'`);
	const renegotiation = p.session.started || jsep.update === true;
	if (!renegotiation) {
		const active = [...p.room.participants.values()].filter((o) => o !== p && o.session.started).length;
		if (active >= p.room.maxPublishers) fail(ERR.PUBLISHERS_FULL, `Maximum number of publishers (${p.room.maxPublishers}) already reached`);
	}
	let result: ReturnType<typeof answerPublisher>;
	try {
		result = answerPublisher(jsep.sdp, p.room, {
			...(typeof msg.audiocodec === 'string' ? { audio: msg.audiocodec.toLowerCase() } : {}),
			...(typeof msg.videocodec === 'string' ? { video: msg.videocodec.toLowerCase() } : {}),
		});
	} catch (err) {
		fail(ERR.INVALID_SDP, `Error parsing offer: ${(err as Error).message}`);
	}
	setStreams(p, result.lines, Array.isArray(msg.descriptions) ? (msg.descriptions as JsonObject[]) : []);
	const audio = p.streams.find((s) => s.type === 'audio' && !s.disabled);
	const video = p.streams.find((s) => s.type === 'video' && !s.disabled);
	if (audio) event.audio_codec = audio.codec;
	if (video) event.video_codec = video.codec;
	event.streams = p.streams.map((s) => ({ type: s.type, mindex: s.mindex, mid: s.mid, ...(s.disabled ? { disabled: true } : { ...(s.codec ? { codec: s.codec } : {}), ...(s.description !== undefined ? { description: s.description } : {}) }) }));
	return result.answer;
}

/**
 * `publish` / `configure` (and the configure half of `joinandconfigure`, whose `joined`
 * event is `event`): answers with `configured` (or `joined`) and the SDP answer if an offer came.
 */
export async function configurePublisher(p: Publisher, request: string, msg: JsonObject, jsep: Jsep | undefined,
	transaction: string, event: JsonObject = { videoroom: 'event', room: p.room.id, configured: 'ok' }): Promise<void> {
	if (request === 'publish' && p.session.started) fail(ERR.ALREADY_PUBLISHED, "Can't publish, already published");
	if (p.kicked) fail(ERR.UNAUTHORIZED, 'Unauthorized, you have been kicked');
	checkParams(msg, P.PUBLISH, CODES);
	checkDescriptions(msg);
	const changes = streamChanges(msg);
	checkStreamChanges(p, changes);
	if (jsep?.sdp) checkCodecs(p, msg);
	const resumed = await applyStreamChanges(p, msg, changes);
	if (typeof msg.bitrate === 'number') {
		p.bitrate = msg.bitrate;
		if (p.session.started) await quietly(p.session.setBitrate(p.bitrate));
	}
	await applyNames(p, msg, jsep?.sdp !== undefined);
	talkSettings(p, msg);
	const answer = jsep?.sdp ? negotiate(p, msg, jsep, event) : undefined;
	if (answer && jsep) await describeLayers(p, jsep, answer);
	await detectTalking(p);
	const renegotiated = answer !== undefined && p.session.started;
	await applyPublisherValves(p);
	await syncRoutes(p.room, p.session.plugin);
	for (const ps of resumed) if (p.session.started) await quietly(p.session.sendPli(ps.mindex));
	await push(p.session, event, transaction, answer);
	if (renegotiated) await notifyParticipants(p.room, { videoroom: 'event', room: p.room.id, publishers: [publisherInfo(p, false)] }, p);
}

/** PeerConnection up: valves, REMB cap, periodic keyframes, then the room learns of the new feed. */
export async function publisherUp(p: Publisher): Promise<void> {
	await applyPublisherValves(p);
	if (p.bitrate > 0) await quietly(p.session.setBitrate(p.bitrate));
	if (p.room.firFreq > 0) await quietly(p.session.setPliFreq(p.room.firFreq));
	await notifyParticipants(p.room, { videoroom: 'event', room: p.room.id, publishers: [publisherInfo(p, false)] }, p);
	await syncRoutes(p.room, p.session.plugin);
}

/** The feed is gone (hangup, unpublish, leave, kick): subscriptions lose it, the room is told. */
export async function publisherDown(p: Publisher): Promise<void> {
	for (const f of p.forwarders.splice(0)) await p.session.plugin.stopRtpForward(f.stream_id as number);
	if (p.streams.length === 0) return;
	const subscribers = new Set<Subscriber>();
	for (const ps of p.streams) {
		for (const ss of ps.subscribers) { sourceGone(ss); if (ss.type !== 'data') subscribers.add(ss.subscriber); }
	}
	p.streams = [];
	await syncRoutes(p.room, p.session.plugin);
	for (const sub of subscribers) if (sub.autoupdate) await renegotiate(sub);
	if (p.room.participants.get(p.id) === p) await notifyParticipants(p.room, { videoroom: 'event', room: p.room.id, unpublished: p.id }, p);
}

/** `unpublish`: tears the PeerConnection down. */
export async function unpublish(p: Publisher, transaction: string): Promise<void> {
	if (!p.session.started) fail(ERR.NOT_PUBLISHED, "Can't unpublish, not published");
	await publisherDown(p);
	await quietly(p.session.closePc());
	await push(p.session, { videoroom: 'event', room: p.room.id, unpublished: 'ok' }, transaction);
}

/** Leaves the room (`leave`, kick, detach): the feed goes, the others get `leaving` or `kicked`. */
export async function leaveRoom(p: Publisher, kicked = false): Promise<void> {
	if (p.room.participants.get(p.id) !== p) return;
	const published = p.streams.length > 0;
	await publisherDown(p);
	p.room.participants.delete(p.id);
	await notifyParticipants(p.room, { videoroom: 'event', room: p.room.id, [kicked ? 'kicked' : 'leaving']: p.id });
	if (published && !p.session.destroyed) await quietly(p.session.closePc());
	forgetSession(p.room, p.session.id);
}

/** Whether this participant already left its room (later requests fail as in the native plugin). */
export function hasLeft(p: Publisher): boolean {
	return p.room.participants.get(p.id) !== p;
}
