/**
 * subscriber.ts — subscriptions: `join` as subscriber (one PeerConnection for any number of
 * streams of any publishers), `start` (the client's answer, or resume), `subscribe` /
 * `unsubscribe` / `update` (renegotiation), `configure` (per-mid send, layers), `pause`,
 * `switch` (new source on the same m-line, no renegotiation) and `leave`.
 */
import type { Jsep, JsonObject, Session } from '../../src';
import { checkParams } from '../lib/params';
import { quietly } from '../lib/serial';
import { CODES, ERR, fail } from './errors';
import { isPublishing, type PubStream, type SubStream, type Subscriber, type VideoRoom, type VrSession } from './model';
import { push } from './notify';
import * as P from './params';
import { forgetSession, openSubscriberValves, requestKeyframes, syncRoutes } from './routing';
import { answeredMindexes, subscriberOffer } from './sdp';
import { aimLayers } from './media';
import { subscriberStreams } from './summaries';

/** The publisher stream(s) a `{feed, mid?}` item names; throws like the native plugin. */
function sourcesOf(room: VideoRoom, s: JsonObject): PubStream[] {
	checkParams(s, P.SUBSCRIBER_STREAM, CODES);
	checkParams(s, P.FEED, CODES);
	const p = room.participants.get(s.feed as number);
	if (!p || !isPublishing(p)) fail(ERR.NO_SUCH_FEED, `No such feed (${s.feed})`);
	if (typeof s.mid === 'string' && !p.streams.some((ps) => ps.mid === s.mid)) fail(ERR.NO_SUCH_FEED, `No such mid '${s.mid}' in feed (${s.feed})`);
	checkLayers(s);
	return p.streams.filter((ps) => (typeof s.mid === 'string' ? ps.mid === s.mid : true) && !ps.disabled);
}

function checkLayers(s: JsonObject): void {
	const bad = (k: string) => typeof s[k] === 'number' && ((s[k] as number) < 0 || (s[k] as number) > 2);
	if (bad('spatial_layer') || bad('substream')) fail(ERR.INVALID_ELEMENT, 'Invalid value (substream/spatial_layer should be 0, 1 or 2)');
	if (bad('temporal_layer') || bad('temporal')) fail(ERR.INVALID_ELEMENT, 'Invalid value (temporal/temporal_layer should be 0, 1 or 2)');
}

/** Adds a subscription stream for `ps`, reusing an inactive m-line of the same kind and codec. */
function addStream(sub: Subscriber, ps: PubStream, item: JsonObject): SubStream | undefined {
	const data = ps.type === 'data' ? sub.streams.find((s) => s.type === 'data') : undefined;
	if (data) { ps.subscribers.add(data); return undefined; } // one datachannel m-line carries every publisher's data
	let ss = sub.streams.find((s) => !s.source && s.type === ps.type && s.type !== 'data' && sameCodec(s.mline, ps.mline));
	if (!ss) {
		const mindex = sub.streams.length;
		ss = { subscriber: sub, mindex, mid: String(mindex), type: ps.type, mline: ps.mline, send: true, ready: false };
		sub.streams.push(ss);
	}
	ss.source = ps;
	ss.send = typeof item.send === 'boolean' ? item.send : true;
	if (typeof item.crossrefid === 'string') ss.crossrefid = item.crossrefid;
	ps.subscribers.add(ss);
	ss.aim = item;
	return ss;
}

/** Two m-lines carry the same codec (the router rewrites payload types between them). */
function sameCodec(a: SubStream['mline'], b: SubStream['mline']): boolean {
	const codec = (m: SubStream['mline']) => m.rtp.find((r) => r.payload === Number(String(m.payloads).split(' ')[0]))?.codec.toLowerCase();
	return codec(a) === codec(b);
}

/** The layers the streams just added aim at (their join/subscribe item's, else the top ones). */
async function aimNewStreams(sub: Subscriber): Promise<void> {
	for (const ss of sub.streams) {
		if (!ss.aim) continue;
		const item = ss.aim;
		delete ss.aim;
		await aimLayers(sub, ss, { substream: 2, temporal: 2, spatial_layer: 2, temporal_layer: 2, ...pick(item) }, false);
	}
}

const pick = (item: JsonObject): JsonObject =>
	Object.fromEntries(['substream', 'temporal', 'spatial_layer', 'temporal_layer'].filter((k) => typeof item[k] === 'number').map((k) => [k, item[k]]));

/** The source of a subscription stream went away (the m-line stays, inactive). */
export function sourceGone(ss: SubStream): void {
	ss.source?.subscribers.delete(ss);
	delete ss.source;
	ss.ready = false;
}

/** Sends the new layout and offer (`updated`), or waits for the answer to the previous offer. */
export async function renegotiate(sub: Subscriber, transaction?: string, restart = false): Promise<JsonObject | undefined> {
	if (!sub.answered) {
		sub.pendingOffer = true;
		return undefined;
	}
	sub.answered = false;
	const jsep: Jsep = subscriberOffer(sub);
	if (restart) jsep.restart = true;
	const event = { videoroom: 'updated', room: sub.room.id, streams: subscriberStreams(sub) };
	await push(sub.session, event, transaction, jsep);
	return event;
}

/** `join` (ptype subscriber): the subscription and its first offer (`attached`). */
export async function joinSubscriber(session: Session<VrSession>, room: VideoRoom, msg: JsonObject, transaction: string): Promise<void> {
	checkParams(msg, P.SUBSCRIBER, CODES);
	const legacy = !Array.isArray(msg.streams) || msg.streams.length === 0;
	if (legacy) checkParams(msg, P.FEED, CODES);
	const items = legacy ? [{ feed: msg.feed }] : (msg.streams as unknown[]).map((s) => (s ?? {}) as JsonObject);
	const sources = items.map((s) => sourcesOf(room, s));
	const owner = [...room.participants.values()].find((p) => p.pvtId === msg.private_id);
	if (room.requirePvtid && !owner) fail(ERR.UNAUTHORIZED, 'Unauthorized (this room requires a valid private_id)');
	const sub: Subscriber = {
		session, room, pvtId: typeof msg.private_id === 'number' ? msg.private_id : 0, streams: [], paused: true, kicked: false,
		useMsid: msg.use_msid === true, autoupdate: msg.autoupdate !== false, answered: false, pendingOffer: false,
		sdpVersion: 0, sdpSessionId: Date.now(),
	};
	items.forEach((item, i) => sources[i].forEach((ps) => addStream(sub, ps, item)));
	if (sub.streams.length === 0) fail(ERR.INVALID_SDP, "Can't offer an SDP with no stream");
	session.data.subscriber = sub;
	room.subscribers.add(sub);
	owner?.subscriptions.add(sub);
	const event: JsonObject = { videoroom: 'attached', room: room.id };
	if (legacy) Object.assign(event, { id: msg.feed, warning: 'deprecated_api' });
	const first = sub.streams[0].source?.publisher;
	if (legacy && first?.display !== undefined) event.display = first.display;
	event.streams = subscriberStreams(sub);
	await aimNewStreams(sub);
	await push(session, event, transaction, subscriberOffer(sub));
	await syncRoutes(room, session.plugin);
}

/** `start`: the client's answer (streams become ready) or a resume after `pause`. */
export async function start(sub: Subscriber, jsep: Jsep | undefined, transaction: string): Promise<void> {
	if (jsep && jsep.type !== 'answer') fail(ERR.INVALID_SDP_TYPE, jsep.type === 'offer' ? 'Only publishers send offers' : `Unknown SDP type '${jsep.type}'`);
	const resumed = sub.paused && !jsep;
	sub.paused = false;
	if (jsep) for (const ss of sub.streams) if (answeredMindexes(jsep.sdp).has(ss.mindex)) ss.ready = true;
	// Valves and routes before the PeerConnection is up: media flows from the first packet.
	if (jsep) await openSubscriberValves(sub);
	await syncRoutes(sub.room, sub.session.plugin);
	if (resumed) await requestKeyframes(sub);
	await push(sub.session, { videoroom: 'event', room: sub.room.id, started: 'ok' }, transaction);
	if (jsep) {
		sub.answered = true;
		if (sub.pendingOffer) { sub.pendingOffer = false; await renegotiate(sub); }
	}
}

/** `subscribe` / `unsubscribe` / `update`: changes the streams, then renegotiates. */
export async function update(sub: Subscriber, request: string, msg: JsonObject, transaction: string): Promise<void> {
	const combined = request === 'update';
	checkParams(msg, combined ? P.SUBSCRIBER_COMBINED : P.SUBSCRIBER_UPDATE, CODES);
	const adds = combined ? msg.subscribe : request === 'subscribe' ? msg.streams : undefined;
	const removes = combined ? msg.unsubscribe : request === 'unsubscribe' ? msg.streams : undefined;
	if (Array.isArray(adds) && adds.length === 0) fail(ERR.INVALID_ELEMENT, 'Empty subscription list');
	if (Array.isArray(removes) && removes.length === 0) fail(ERR.INVALID_ELEMENT, 'Empty unsubscription list');
	const removeItems = ((removes ?? []) as JsonObject[]).map((s) => (s ?? {}) as JsonObject);
	for (const s of removeItems) { checkParams(s, P.SUBSCRIBER_REMOVE, CODES); checkParams(s, P.FEED_OPT, CODES); }
	if (combined && adds === undefined && removes === undefined) fail(ERR.MISSING_ELEMENT, "At least one of either 'subscribe' or 'unsubscribe' must be present");
	const addItems = ((adds ?? []) as unknown[]).map((s) => (s ?? {}) as JsonObject);
	const sources = addItems.map((s) => sourcesOf(sub.room, s));
	let changes = 0;
	for (const s of removeItems) changes += unsubscribeItem(sub, s);
	addItems.forEach((item, i) => sources[i].forEach((ps) => { if (addStream(sub, ps, item)) changes++; }));
	await aimNewStreams(sub);
	if (changes === 0) {
		await push(sub.session, { videoroom: 'updated', room: sub.room.id }, transaction);
	} else if (!(await renegotiate(sub, transaction))) {
		await push(sub.session, { videoroom: 'updating', room: sub.room.id }, transaction);
	}
	await syncRoutes(sub.room, sub.session.plugin);
}

/** Removes what one unsubscribe item names (`sub_mid`, or `feed` with an optional `mid`); returns the count. */
function unsubscribeItem(sub: Subscriber, s: JsonObject): number {
	let n = 0;
	for (const ss of sub.streams) {
		const ps = ss.source;
		if (!ps) continue;
		const match = typeof s.sub_mid === 'string' ? ss.mid === s.sub_mid
			: typeof s.feed === 'number' && ps.publisher.id === s.feed && (typeof s.mid !== 'string' || ps.mid === s.mid);
		if (match) { sourceGone(ss); if (ss.type !== 'data' || typeof s.sub_mid === 'string') n++; }
	}
	return n;
}

/** The `streams` of a subscriber configure: the array, or one built from the top-level properties. */
function configureItems(msg: JsonObject): JsonObject[] {
	if (Array.isArray(msg.streams)) return msg.streams.map((s) => (s ?? {}) as JsonObject);
	const s: JsonObject = {};
	for (const k of ['mid', 'send', 'spatial_layer', 'substream', 'temporal_layer', 'temporal', 'fallback', 'min_delay', 'max_delay']) {
		if (msg[k] !== undefined) s[k] = msg[k];
	}
	return [s];
}

/** `configure`: per-mid `send` (and the deprecated audio/video/data), layers, ICE restart. */
export async function configure(sub: Subscriber, msg: JsonObject, transaction: string): Promise<void> {
	checkParams(msg, P.CONFIGURE, CODES);
	if (sub.kicked) fail(ERR.UNAUTHORIZED, 'Unauthorized, you have been kicked');
	const items = configureItems(msg);
	for (const s of items) {
		checkParams(s, P.CONFIGURE_STREAM, CODES);
		if (s.mid === undefined && items.length > 1) fail(ERR.INVALID_ELEMENT, "Invalid value (mid can't be null in a streams array)");
		if (typeof s.mid === 'string' && !sub.streams.some((ss) => ss.mid === s.mid)) fail(ERR.NO_SUCH_FEED, `No such mid '${s.mid}' in subscription`);
		checkLayers(s);
	}
	const legacy = items.some((s) => typeof s.mid === 'string') ? {} : msg;
	const resumed: SubStream[] = [];
	for (const s of items) {
		for (const ss of sub.streams) {
			const flag = legacy[ss.type];
			const mine = typeof s.mid !== 'string' || s.mid === ss.mid;
			const send = mine && typeof s.send === 'boolean' ? s.send : typeof flag === 'boolean' ? flag : undefined;
			if (send !== undefined) { if (send && !ss.send) resumed.push(ss); ss.send = send; }
			if (mine && ss.type === 'video') await aimLayers(sub, ss, s, true);
		}
	}
	const event = { videoroom: 'event', room: sub.room.id, configured: 'ok' };
	await syncRoutes(sub.room, sub.session.plugin);
	for (const ss of resumed) {
		const ps = ss.source;
		if (ps?.type === 'video' && ps.publisher.session.started) await quietly(ps.publisher.session.sendPli(ps.mindex));
	}
	if (msg.restart === true || msg.update === true) {
		if (!sub.answered) { sub.pendingOffer = true; return; }
		sub.answered = false;
		const jsep: Jsep = subscriberOffer(sub);
		if (msg.restart === true) jsep.restart = true;
		await push(sub.session, event, transaction, jsep);
		return;
	}
	await push(sub.session, event, transaction);
}

/** `pause`: no media until `start`. */
export async function pause(sub: Subscriber, transaction: string): Promise<void> {
	sub.paused = true;
	await syncRoutes(sub.room, sub.session.plugin);
	await push(sub.session, { videoroom: 'event', room: sub.room.id, paused: 'ok' }, transaction);
}

/** The `{feed, mid, sub_mid}` list of a switch (the legacy `feed` form maps every stream). */
function switchItems(sub: Subscriber, msg: JsonObject): JsonObject[] {
	if (Array.isArray(msg.streams) && msg.streams.length > 0) return msg.streams.map((s) => (s ?? {}) as JsonObject);
	const feed = typeof msg.feed === 'number' ? msg.feed : 0; // (the native plugin reads a missing feed as 0)
	const p = sub.room.participants.get(feed);
	if (!p || !isPublishing(p)) fail(ERR.NO_SUCH_FEED, `No such feed (${feed})`);
	const used = new Set<SubStream>();
	const out: JsonObject[] = [];
	for (const ps of p.streams) {
		const ss = sub.streams.find((s) => !used.has(s) && s.type === ps.type && sameCodec(s.mline, ps.mline));
		if (ss) { used.add(ss); out.push({ feed: p.id, mid: ps.mid, sub_mid: ss.mid }); }
	}
	return out;
}

/**
 * `switch`: new sources on existing m-lines without renegotiation. The router keeps each
 * m-line's sequence numbers and timestamps continuous, writes the payload type the m-line
 * was negotiated with, and asks the new source for a keyframe. Sources must match the
 * m-line's kind and codec.
 */
export async function switchSources(sub: Subscriber, msg: JsonObject, transaction: string): Promise<void> {
	checkParams(msg, P.SWITCH, CODES);
	const items = switchItems(sub, msg);
	if (items.length === 0) fail(ERR.INVALID_ELEMENT, 'Empty switch list');
	const targets = items.map((s) => {
		checkParams(s, P.SWITCH_UPDATE, CODES);
		return sourcesOf(sub.room, { feed: s.feed, mid: s.mid })[0] as PubStream | undefined;
	});
	let changes = 0, needsOffer = false;
	items.forEach((s, i) => {
		const ss = sub.streams.find((x) => x.mid === s.sub_mid);
		const ps = targets[i];
		if (!ss || !ps || ss.source === ps || ss.type !== ps.type || !sameCodec(ss.mline, ps.mline)) return;
		const ready = ss.source !== undefined && ss.ready;
		if (!ss.source) needsOffer = true;
		sourceGone(ss);
		ss.source = ps;
		ss.send = true;
		ss.ready = ready;
		ps.subscribers.add(ss);
		changes++;
	});
	await syncRoutes(sub.room, sub.session.plugin);
	await requestKeyframes(sub);
	await push(sub.session, { videoroom: 'event', switched: 'ok', room: sub.room.id, changes, streams: subscriberStreams(sub) }, transaction);
	if (needsOffer) await renegotiate(sub);
}

/** `leave`: the subscription ends (its PeerConnection is closed). */
export async function leave(sub: Subscriber, transaction: string): Promise<void> {
	await subscriberDown(sub, false);
	await quietly(sub.session.closePc());
	await push(sub.session, { videoroom: 'event', room: sub.room.id, left: 'ok' }, transaction);
}

/** PeerConnection up: open the valves, install the routes, ask the sources for keyframes. */
export async function subscriberUp(sub: Subscriber): Promise<void> {
	await openSubscriberValves(sub);
	await syncRoutes(sub.room, sub.session.plugin);
	await requestKeyframes(sub);
}

/**
 * PeerConnection gone (or `leave`): the subscription is emptied, as in the native plugin.
 * After a hangup or detach the plugin already dropped the session's routes (`cleared`).
 */
export async function subscriberDown(sub: Subscriber, cleared = true): Promise<void> {
	sub.paused = true;
	sub.answered = false;
	sub.pendingOffer = false;
	for (const ss of sub.streams) sourceGone(ss);
	sub.streams = [];
	if (cleared) forgetSession(sub.room, sub.session.id);
	await syncRoutes(sub.room, sub.session.plugin);
}

/** The handle detached: forget the subscription. */
export async function removeSubscriber(sub: Subscriber): Promise<void> {
	await subscriberDown(sub);
	sub.room.subscribers.delete(sub);
	for (const p of sub.room.participants.values()) p.subscriptions.delete(sub);
}
