/**
 * requests.ts — the TextRoom requests, as the native plugin handles them whether they come
 * over the data channel (`{"textroom": "join", "transaction": ...}`) or, for the room
 * management ones, over the Janus API. Each returns the reply (or nothing, e.g. a message
 * with `ack: false`) and throws RequestError with the native code and wording.
 */
import type { JsonObject, Session } from '../../src';
import { checkParams, checkSecret, RequestError, stringArray, type Param } from '../lib/params';
import { applyAllowed, baseFromRequest, checkAllowedList, editBase, ALLOWED_PARAMS } from '../lib/rooms';
import { CODES, ERR, format, messageDate, rooms, stringify, textRoom, type Participant, type TextRoom, type TrSession } from './model';

/** Who asked, and how the answer travels. */
export interface Context {
	session: Session<TrSession> | null;
	/** Came over the Janus API (create/edit/destroy then answer created/edited/destroyed). */
	api: boolean;
	/** Part of a hangup (leave without replying). */
	internal?: boolean;
}

const ROOM: Param[] = [['room', 'integer', 'required positive']];
function fail(code: number, text: string): never { throw new RequestError(code, text); }

/**
 * Sends text on a handle's data channel; a handle gone meanwhile is skipped. Every handle
 * in a room joined over its data channel, and the plugin sends on a channel the client has
 * sent on even before Janus's data_ready, as the native plugin does.
 */
export async function send(session: Session<TrSession> | null | undefined, obj: object | string): Promise<void> {
	if (!session || session.destroyed) return;
	await session.relayTextData(typeof obj === 'string' ? obj : stringify(obj)).catch(() => false);
}

/** The room named by `msg.room` (validated), or 417. */
function roomOf(msg: JsonObject): TextRoom {
	checkParams(msg, ROOM, CODES);
	const room = rooms.get(msg.room as number);
	if (!room) fail(ERR.NO_SUCH_ROOM, `No such room (${msg.room})`);
	return room;
}

const ownRoom = (ctx: Context, room: TextRoom) => ctx.session?.data.rooms.get(room.id);

async function message(msg: JsonObject, ctx: Context): Promise<JsonObject | undefined> {
	checkParams(msg, [['text', 'string', 'required'], ['to', 'string'], ['tos', 'array'], ['ack', 'boolean']], CODES);
	const room = roomOf(msg);
	const me = ownRoom(ctx, room) ?? fail(ERR.NOT_IN_ROOM, `Not in room ${room.id}`);
	if (msg.to !== undefined && msg.tos !== undefined) fail(ERR.INVALID_ELEMENT, 'Both to and tos array provided');
	const whisper = msg.to !== undefined || msg.tos !== undefined;
	const out = { textroom: 'message', room: room.id, from: me.username, date: messageDate(), text: msg.text, ...(whisper ? { whisper: true } : {}) };
	const reply: JsonObject = { textroom: 'success' };
	if (whisper) {
		const sent: JsonObject = {};
		for (const to of (msg.tos !== undefined ? stringArray(msg.tos) ?? [] : [msg.to as string])) {
			const target = room.participants.get(to);
			if (target) await send(target.session, out);
			sent[to] = target !== undefined;
		}
		reply.sent = sent;
	} else {
		for (const p of room.participants.values()) await send(p.session, out);
		remember(room, stringify({ ...out, ...(me.display !== undefined ? { display: me.display } : {}) }));
	}
	return msg.ack === false || ctx.internal ? undefined : reply;
}

/** Keeps a message in the room's history (when it has one). */
function remember(room: TextRoom, text: string): void {
	if (room.historySize === 0) return;
	room.history.push(text);
	if (room.history.length > room.historySize) room.history.shift();
}

async function join(msg: JsonObject, ctx: Context): Promise<JsonObject> {
	checkParams(msg, [['username', 'string', 'required'], ['pin', 'string'], ['token', 'string'], ['display', 'string'], ['history', 'boolean']], CODES);
	const room = roomOf(msg);
	checkSecret(room.pin, msg, 'pin', CODES);
	const session = ctx.session ?? fail(ERR.UNKNOWN_ERROR, 'No session associated with this handle...');
	if (session.data.rooms.has(room.id)) fail(ERR.ALREADY_IN_ROOM, `Already in room ${room.id}`);
	const username = msg.username as string;
	if (room.participants.has(username)) fail(ERR.USERNAME_EXISTS, 'Username already taken');
	rooms.checkToken(room, msg.token);
	const me: Participant = { session, room, username, ...(typeof msg.display === 'string' ? { display: msg.display } : {}) };
	session.data.rooms.set(room.id, me);
	room.participants.set(username, me);
	if (msg.history !== false) for (const text of room.history) await send(session, text);
	const event = { textroom: 'join', room: room.id, username, ...(me.display !== undefined ? { display: me.display } : {}) };
	await send(session, event);
	const others = [...room.participants.values()].filter((p) => p !== me);
	for (const p of others) await send(p.session, event);
	return { textroom: 'success', participants: others.map((p) => ({ username: p.username, ...(p.display !== undefined ? { display: p.display } : {}) })) };
}

/** Takes a participant out of its room and tells everybody (and the participant). */
export async function leaveRoom(me: Participant): Promise<void> {
	me.session.data.rooms.delete(me.room.id);
	me.room.participants.delete(me.username);
	const event = { textroom: 'leave', room: me.room.id, username: me.username };
	await send(me.session, event);
	for (const p of me.room.participants.values()) await send(p.session, event);
}

async function leave(msg: JsonObject, ctx: Context): Promise<JsonObject | undefined> {
	const room = roomOf(msg);
	const me = ownRoom(ctx, room) ?? fail(ERR.NOT_IN_ROOM, `Not in room ${room.id}`);
	await leaveRoom(me);
	return ctx.internal ? undefined : { textroom: 'success' };
}

async function list(msg: JsonObject): Promise<JsonObject> {
	let all = false;
	if (format.adminKey !== undefined && typeof msg.admin_key === 'string' && msg.admin_key !== '') {
		checkSecret(format.adminKey, msg, 'admin_key', CODES);
		all = true;
	}
	const entries = rooms.listed(all).map((r) => ({
		room: r.id, description: r.description, pin_required: r.pin !== undefined, num_participants: r.participants.size, history: r.historySize,
	}));
	return { textroom: 'success', list: entries };
}

async function listparticipants(msg: JsonObject): Promise<JsonObject> {
	const room = roomOf(msg);
	return { room: room.id, participants: [...room.participants.values()].map((p) => ({ username: p.username, ...(p.display !== undefined ? { display: p.display } : {}) })) };
}

async function allowed(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, ALLOWED_PARAMS, CODES);
	checkParams(msg, ROOM, CODES);
	if (!/^(enable|disable|add|remove)$/i.test(String(msg.action))) fail(ERR.INVALID_ELEMENT, `Unsupported action '${msg.action}' (allowed)`);
	const room = roomOf(msg);
	checkSecret(room.secret, msg, 'secret', CODES);
	const tokens = applyAllowed(room, msg, CODES);
	return { textroom: 'success', room: room.id, ...(tokens ? { allowed: tokens } : {}) };
}

async function kick(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, [['secret', 'string'], ['username', 'string', 'required']], CODES);
	const room = roomOf(msg);
	checkSecret(room.secret, msg, 'secret', CODES);
	const p = room.participants.get(msg.username as string) ?? fail(ERR.NO_SUCH_USER, `No such user ${msg.username} in room ${room.id}`);
	const event = { textroom: 'kicked', room: room.id, username: p.username };
	for (const o of room.participants.values()) await send(o.session, event);
	p.session.data.rooms.delete(room.id);
	room.participants.delete(p.username);
	return { textroom: 'success' };
}

async function announcement(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, [['secret', 'string'], ['text', 'string', 'required']], CODES);
	const room = roomOf(msg);
	checkSecret(room.secret, msg, 'secret', CODES);
	const text = stringify({ textroom: 'announcement', room: room.id, date: messageDate(), text: msg.text });
	for (const p of room.participants.values()) await send(p.session, text);
	remember(room, text);
	return { textroom: 'success' };
}

async function create(msg: JsonObject, ctx: Context): Promise<JsonObject> {
	checkParams(msg, [['description', 'string'], ['secret', 'string'], ['pin', 'string'], ['post', 'string'], ['is_private', 'boolean'],
		['history', 'integer', 'positive'], ['allowed', 'array'], ['permanent', 'boolean']], CODES);
	checkParams(msg, [['room', 'integer', 'positive']], CODES);
	if (format.adminKey !== undefined) {
		checkParams(msg, [['admin_key', 'string', 'required']], CODES);
		checkSecret(format.adminKey, msg, 'admin_key', CODES);
	}
	checkAllowedList(msg, CODES);
	const wanted = typeof msg.room === 'number' && msg.room > 0 ? msg.room : undefined;
	if (wanted !== undefined && rooms.has(wanted)) fail(ERR.ROOM_EXISTS, `Room ${wanted} already exists`);
	const room = textRoom(baseFromRequest(wanted ?? rooms.newId(), msg), msg as never);
	rooms.add(room);
	return { textroom: ctx.api ? 'created' : 'success', room: room.id, permanent: false };
}

async function exists(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, ROOM, CODES);
	return { textroom: 'success', room: msg.room, exists: rooms.has(msg.room as number) };
}

async function edit(msg: JsonObject, ctx: Context): Promise<JsonObject> {
	checkParams(msg, [['secret', 'string'], ['new_description', 'string'], ['new_secret', 'string'], ['new_pin', 'string'],
		['new_post', 'string'], ['new_is_private', 'boolean'], ['permanent', 'boolean']], CODES);
	const room = roomOf(msg);
	checkSecret(room.secret, msg, 'secret', CODES);
	editBase(room, msg);
	if (typeof msg.new_post === 'string' && msg.new_post !== '') room.post = msg.new_post;
	return { textroom: ctx.api ? 'edited' : 'success', room: room.id, permanent: false };
}

async function destroy(msg: JsonObject, ctx: Context): Promise<JsonObject> {
	checkParams(msg, [['permanent', 'boolean']], CODES);
	const room = roomOf(msg);
	checkSecret(room.secret, msg, 'secret', CODES);
	rooms.delete(room.id);
	const event = { textroom: 'destroyed', room: room.id };
	await send(ctx.session, event);
	for (const p of room.participants.values()) {
		await send(p.session, event);
		p.session.data.rooms.delete(room.id);
	}
	room.participants.clear();
	return { textroom: ctx.api ? 'destroyed' : 'success', room: room.id, permanent: false };
}

type Handler = (msg: JsonObject, ctx: Context) => Promise<JsonObject | undefined>;
export const REQUESTS: Record<string, Handler> = {
	message, join, leave, list, listparticipants, allowed, kick, announcement, create, exists, edit, destroy,
};
/** The ones the Janus API accepts too. */
export const API_REQUESTS = new Set(['list', 'listparticipants', 'exists', 'create', 'edit', 'announcement', 'allowed', 'kick', 'destroy']);
