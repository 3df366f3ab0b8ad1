/**
 * videoroom.ts — Janus's VideoRoom (janus.plugin.videoroom, Janus 1.x multistream API) as a
 * janus-ts app: rooms with secret/pin/private/ACL, publishers, multistream subscribers,
 * subscribe/unsubscribe/update with renegotiation, switch without renegotiation, per-mid
 * send, pause/start, kick and moderate. Run with the plugin's package set to
 * janus.plugin.videoroom and the stock videoroomtest.html / mvideoroomtest.html work as
 * they are. Media never reaches this file: every subscription is a stream-level route
 * in the plugin's router (videoroom/routing.ts).
 *
 * Rooms come from the jcfg named by the plugin's `app_config` (the native plugin's own
 * janus.plugin.videoroom.jcfg works; inline jcfg text too); with none, room 1234 of
 * Janus's sample configuration exists.
 *
 *   janus-ts run control-ts/dist/examples/videoroom.js --socket /path/to/control.sock
 */
import { defineApp, type Jsep, type JsonObject, type Logger, type Session } from '../src';
import { cfgBool, cfgStr, loadAppConfig, parseJcfg } from './lib/jcfg';
import { checkParams, RequestError } from './lib/params';
import { roomSections } from './lib/rooms';
import { SerialQueue } from './lib/serial';
import { SYNC_REQUESTS, general } from './videoroom/admin';
import { CODES, ERR, errorEvent, fail } from './videoroom/errors';
import { DEFAULT_ROOMS, roomFromConfig, rooms, type VrSession } from './videoroom/model';
import { forwarding } from './videoroom/forwarders';
import { layerChanged, talkChanged } from './videoroom/media';
import { push } from './videoroom/notify';
import * as P from './videoroom/params';
import { configurePublisher, hasLeft, joinPublisher, leaveRoom, publisherDown, publisherUp, unpublish } from './videoroom/publisher';
import * as S from './videoroom/subscriber';
import { publisherInfoOfHandle, subscriberInfoOfHandle } from './videoroom/summaries';

/** Every state change runs here, one at a time, in arrival order (like the native plugin's handler thread). */
const queue = new SerialQueue();
let log: Logger | undefined;

const ASYNC = new Set(['join', 'joinandconfigure', 'configure', 'publish', 'unpublish', 'start', 'pause', 'switch',
	'subscribe', 'unsubscribe', 'update', 'leave']);

/** `join`/`joinandconfigure` on a fresh handle: publisher or subscriber. */
async function join(session: Session<VrSession>, request: string, msg: JsonObject, jsep: Jsep | undefined, tx: string): Promise<void> {
	checkParams(msg, P.ROOM, CODES);
	checkParams(msg, P.JOIN, CODES);
	const room = rooms.access(msg, { join: true });
	const ptype = String(msg.ptype).toLowerCase();
	if (ptype === 'subscriber') return S.joinSubscriber(session, room, msg, tx);
	if (ptype !== 'publisher') fail(ERR.INVALID_ELEMENT, 'Invalid element (ptype)');
	const { p, event } = await joinPublisher(session, room, msg);
	if (request === 'joinandconfigure' && jsep?.sdp) return configurePublisher(p, request, msg, jsep, tx, event);
	await push(session, event, tx);
}

/** Requests of a handle that joined as a publisher. */
async function publisherRequest(session: Session<VrSession>, request: string, msg: JsonObject, jsep: Jsep | undefined, tx: string): Promise<void> {
	const p = session.data.publisher!;
	if (hasLeft(p)) {
		if (request === 'join' || request === 'joinandconfigure') fail(ERR.ALREADY_JOINED, 'Not in a room (create a new handle)');
		fail(ERR.NO_SUCH_ROOM, 'No such room');
	}
	switch (request) {
		case 'join': case 'joinandconfigure': return fail(ERR.ALREADY_JOINED, 'Already in as a publisher on this handle');
		case 'configure': case 'publish': return configurePublisher(p, request, msg, jsep, tx);
		case 'unpublish': return unpublish(p, tx);
		case 'leave':
			await push(session, { videoroom: 'event', room: p.room.id, leaving: 'ok' }, tx);
			return leaveRoom(p);
		default: return fail(ERR.INVALID_REQUEST, `Unknown request '${request}'`);
	}
}

/** Requests of a handle that joined as a subscriber. */
async function subscriberRequest(session: Session<VrSession>, request: string, msg: JsonObject, jsep: Jsep | undefined, tx: string): Promise<void> {
	const sub = session.data.subscriber!;
	if (!rooms.has(sub.room.id)) fail(ERR.NO_SUCH_ROOM, 'No such room');
	switch (request) {
		case 'join': return fail(ERR.ALREADY_JOINED, 'Already in as a subscriber on this handle');
		case 'start': return S.start(sub, jsep, tx);
		case 'subscribe': case 'unsubscribe': case 'update': return S.update(sub, request, msg, tx);
		case 'configure': return S.configure(sub, msg, tx);
		case 'pause': return S.pause(sub, tx);
		case 'switch': return S.switchSources(sub, msg, tx);
		case 'leave': return S.leave(sub, tx);
		default: return fail(ERR.INVALID_REQUEST, `Unknown request '${request}'`);
	}
}

/** An asynchronous request: the answer (or error) is an event with the request's transaction. */
async function asyncRequest(session: Session<VrSession>, request: string, msg: JsonObject, jsep: Jsep | undefined, tx: string): Promise<void> {
	try {
		if (session.destroyed) return;
		if (session.data.subscriber) await subscriberRequest(session, request, msg, jsep, tx);
		else if (session.data.publisher) await publisherRequest(session, request, msg, jsep, tx);
		else if (request === 'join' || request === 'joinandconfigure') await join(session, request, msg, jsep, tx);
		else fail(ERR.JOIN_FIRST, 'Invalid request on unconfigured participant');
	} catch (err) {
		if (!(err instanceof RequestError)) log?.error(`${request} failed:`, err);
		await push(session, errorEvent(err), tx);
	}
}

/** Loads the rooms of the jcfg in `app_config` (or the sample room 1234). */
function loadRooms(config: string): void {
	const cfg = loadAppConfig(config) ?? parseJcfg(DEFAULT_ROOMS);
	const g = cfg.general;
	const adminKey = g && typeof g === 'object' && !Array.isArray(g) ? cfgStr(g.admin_key) : undefined;
	if (adminKey !== undefined) general.adminKey = adminKey;
	forwarding.adminKey = adminKey;
	forwarding.lock = g && typeof g === 'object' && !Array.isArray(g) ? cfgBool(g.lock_rtp_forward, false) : false;
	for (const { id, settings } of roomSections(cfg)) if (!rooms.has(id)) rooms.add(roomFromConfig(id, settings));
}

/** The synchronous handler of a request (validated), or the error reply for an unknown one. */
function syncHandler(message: JsonObject): { run?: (typeof SYNC_REQUESTS)[string]; request: string; error?: JsonObject } {
	try {
		checkParams(message, P.REQUEST, CODES);
	} catch (err) {
		return { request: '', error: errorEvent(err) };
	}
	const request = String(message.request).toLowerCase();
	return { request, ...(Object.hasOwn(SYNC_REQUESTS, request) ? { run: SYNC_REQUESTS[request] } : {}) };
}

const unknown = (request: string) => errorEvent(new RequestError(ERR.INVALID_REQUEST, `Unknown request '${request}'`));

export default defineApp<VrSession>({
	name: 'videoroom',

	init(config, plugin) {
		log = plugin.logger;
		loadRooms(config);
		log.info(`rooms: ${[...rooms.values()].map((r) => r.id).join(', ') || 'none'}`);
	},

	handleMessage(session, { transaction, message, jsep }) {
		const { run, request, error } = syncHandler(message);
		if (error) return error;
		if (run) return queue.run(() => run(message, session)).catch(errorEvent);
		if (!ASYNC.has(request)) return unknown(request);
		void queue.run(() => asyncRequest(session, request, message, jsep, transaction));
		return undefined;
	},

	handleAdminMessage(message) {
		const { run, request, error } = syncHandler(message);
		if (error) return error;
		if (!run) return unknown(request);
		return queue.run(() => run(message, null)).catch(errorEvent);
	},

	setupMedia(session) {
		return queue.run(async () => {
			if (session.data.publisher && !hasLeft(session.data.publisher)) await publisherUp(session.data.publisher);
			if (session.data.subscriber) await S.subscriberUp(session.data.subscriber);
		});
	},

	hangupMedia(session) {
		return queue.run(async () => {
			if (session.data.publisher) await publisherDown(session.data.publisher);
			if (session.data.subscriber) await S.subscriberDown(session.data.subscriber);
		});
	},

	destroySession(session) {
		return queue.run(async () => {
			if (session.data.publisher) await leaveRoom(session.data.publisher);
			if (session.data.subscriber) await S.removeSubscriber(session.data.subscriber);
		});
	},

	// What the router switched for a subscriber stream, and talk detection of publishers.
	substreamChanged(session, substream, mindex) { return queue.run(() => layerChanged(session, 'substream', substream, mindex)); },
	temporalLayerChanged(session, temporal, mindex) { return queue.run(() => layerChanged(session, 'temporal', temporal, mindex)); },
	spatialLayerChanged(session, spatial, mindex) { return queue.run(() => layerChanged(session, 'spatial', spatial, mindex)); },
	talking(session, { mindex, level }) { return queue.run(() => talkChanged(session, true, mindex, level)); },
	stoppedTalking(session, { mindex, level }) { return queue.run(() => talkChanged(session, false, mindex, level)); },

	querySession(session) {
		const { publisher, subscriber } = session.data;
		if (publisher) return publisherInfoOfHandle(publisher);
		return subscriber ? subscriberInfoOfHandle(subscriber) : {};
	},
});

export { rooms };
