/**
 * textroom.ts — Janus's TextRoom (janus.plugin.textroom) as a janus-ts app: chat rooms over
 * a data channel, one PeerConnection for any number of rooms. Over the Janus API a client
 * sends `setup` (we offer a datachannel-only SDP), then `ack` with its answer; everything
 * else — join, leave, public and private messages (`to`/`tos`), announcements, room
 * management — travels as JSON on the data channel (textroom/requests.ts), where the plugin
 * hands it to this app (incomingTextData) instead of relaying it. Run with the plugin's
 * package set to janus.plugin.textroom and the stock textroomtest.html works as it is.
 *
 * Rooms come from the jcfg named by `app_config` (the native janus.plugin.textroom.jcfg
 * works, `general.json` = indented | plain | compact included); with none, room 1234.
 */
import { defineApp, type JsonObject, type Logger, type Session } from '../src';
import { cfgStr, loadAppConfig, parseJcfg } from './lib/jcfg';
import { checkParams, RequestError } from './lib/params';
import { roomSections } from './lib/rooms';
import { SerialQueue } from './lib/serial';
import { CODES, DEFAULT_ROOMS, ERR, dataOffer, format, roomFromConfig, rooms, type TrSession } from './textroom/model';
import { API_REQUESTS, REQUESTS, leaveRoom, send, type Context } from './textroom/requests';

const queue = new SerialQueue();
let log: Logger | undefined;

function errorReply(err: unknown): JsonObject {
	if (err instanceof RequestError) return { textroom: 'error', error_code: err.code, error: err.message };
	log?.error('request failed:', err);
	return { textroom: 'error', error_code: ERR.UNKNOWN_ERROR, error: (err as Error)?.message ?? String(err) };
}

/** One request (data channel or Janus API): its reply, or nothing. */
async function handle(msg: JsonObject, ctx: Context): Promise<JsonObject | undefined> {
	try {
		checkParams(msg, [['textroom', 'string', 'required'], ['transaction', 'string', 'required']], CODES);
		const name = String(msg.textroom).toLowerCase();
		const handler = Object.hasOwn(REQUESTS, name) ? REQUESTS[name] : undefined;
		if (!handler) throw new RequestError(ERR.INVALID_REQUEST, `Unsupported request ${msg.textroom}`);
		return await handler(msg, ctx);
	} catch (err) {
		return errorReply(err);
	}
}

/** `setup`, `restart` and `ack` over the Janus API: the datachannel-only negotiation. */
async function negotiate(session: Session<TrSession>, request: string, transaction: string): Promise<void> {
	const s = session.data;
	const event = { textroom: 'event', result: 'ok' };
	if (request === 'ack') { await session.pushEvent(event, { transaction }); return; }
	if (request === 'setup' && s.setup) throw new RequestError(ERR.ALREADY_SETUP, 'PeerConnection already setup');
	if (request === 'restart' && !s.setup) throw new RequestError(ERR.ALREADY_SETUP, 'PeerConnection not setup');
	if (request === 'setup') { s.setup = true; s.sdpVersion = 1; s.sdpSessionId = Date.now() * 1000; } else s.sdpVersion++;
	const jsep = { type: 'offer', sdp: dataOffer(s), ...(request === 'restart' ? { restart: true } : {}) };
	await session.pushEvent(event, { transaction, jsep });
}

/** Leaves every room of a handle (hangup, detach), telling the others. */
async function leaveAll(session: Session<TrSession>): Promise<void> {
	for (const me of [...session.data.rooms.values()]) await leaveRoom(me);
}

export default defineApp<TrSession>({
	name: 'textroom',

	init(config, plugin) {
		log = plugin.logger;
		const cfg = loadAppConfig(config) ?? parseJcfg(DEFAULT_ROOMS);
		const g = cfg.general && typeof cfg.general === 'object' && !Array.isArray(cfg.general) ? cfg.general : {};
		const json = cfgStr(g.json)?.toLowerCase();
		if (json === 'plain' || json === 'compact' || json === 'indented') format.json = json;
		if (cfgStr(g.admin_key) !== undefined) format.adminKey = cfgStr(g.admin_key);
		for (const { id, settings } of roomSections(cfg)) if (!rooms.has(id)) rooms.add(roomFromConfig(id, settings));
		log.info(`rooms: ${[...rooms.values()].map((r) => r.id).join(', ') || 'none'}`);
	},

	createSession(session) {
		session.data = { rooms: new Map(), setup: false, sdpSessionId: 0, sdpVersion: 0 };
	},

	handleMessage(session, { transaction, message }) {
		try {
			checkParams(message, [['request', 'string', 'required']], CODES);
		} catch (err) {
			return { textroom: 'event', error_code: (err as RequestError).code, error: (err as Error).message };
		}
		const request = String(message.request).toLowerCase();
		if (API_REQUESTS.has(request)) {
			const msg = { textroom: request, ...message, transaction };
			return queue.run(() => handle(msg, { session, api: true }));
		}
		if (request === 'setup' || request === 'ack' || request === 'restart') {
			void queue.run(() => negotiate(session, request, transaction).catch((err) => session.pushEvent(errorReply(err), { transaction }).catch(() => undefined)));
			return undefined;
		}
		return { textroom: 'event', error_code: ERR.INVALID_REQUEST, error: `Unknown request '${message.request}'` };
	},

	incomingTextData(session, text) {
		return queue.run(async () => {
			let msg: unknown;
			try { msg = JSON.parse(text); } catch { return; } // not JSON: ignored, as the native plugin does
			if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return;
			const reply = await handle(msg as JsonObject, { session, api: false });
			if (reply) await send(session, typeof (msg as JsonObject).transaction === 'string' ? { ...reply, transaction: (msg as JsonObject).transaction } : reply);
		});
	},

	hangupMedia(session) {
		return queue.run(() => leaveAll(session));
	},

	destroySession(session) {
		return queue.run(() => leaveAll(session));
	},

	querySession(session) {
		return { rooms: [...session.data.rooms.values()].map((p) => ({ room: p.room.id, username: p.username })) };
	},
});
