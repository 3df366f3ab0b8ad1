/**
 * admin.ts — the VideoRoom's synchronous requests (answered in the reply, not as an event):
 * create, edit, destroy, list, exists, allowed, kick, moderate, listparticipants,
 * listforwarders, enable_recording. Each validates like the native plugin and throws a
 * RequestError with its code and wording.
 */
import type { JsonObject, Session } from '../../src';
import { checkParams, checkSecret } from '../lib/params';
import { applyAllowed, checkAllowedAction, checkAllowedList, editBase } from '../lib/rooms';
import { quietly } from '../lib/serial';
import { CODES, ERR, fail } from './errors';
import { codecList, isPublishing, roomFromRequest, rooms, type VideoRoom } from './model';
import { notifyParticipants, push } from './notify';
import * as P from './params';
import { leaveRoom } from './publisher';
import { applyPublisherValves, syncRoutes } from './routing';
import { hasAudioLevels } from './summaries';
import { rtpForward, stopRtpForward } from './forwarders';

type Handler = (msg: JsonObject, session: Session | null) => Promise<JsonObject>;

/** Settings of the plugin itself (jcfg `general`). */
export const general: { adminKey?: string } = {};

async function create(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.CREATE, CODES);
	checkParams(msg, P.ROOM_OPT, CODES);
	if (general.adminKey !== undefined) {
		checkParams(msg, P.ADMIN_KEY, CODES);
		checkSecret(general.adminKey, msg, 'admin_key', CODES);
	}
	if (typeof msg.audiocodec === 'string' && !codecList(msg.audiocodec, 'audio')) {
		fail(ERR.INVALID_ELEMENT, 'Invalid element (audiocodec can only be or contain opus, isac32, isac16, pcmu, pcma or g722)');
	}
	if (typeof msg.videocodec === 'string' && !codecList(msg.videocodec, 'video')) {
		fail(ERR.INVALID_ELEMENT, 'Invalid element (videocodec can only be or contain vp8, vp9, av1, h264 or h265)');
	}
	checkAllowedList(msg, CODES);
	const wanted = typeof msg.room === 'number' && msg.room > 0 ? msg.room : undefined;
	if (wanted !== undefined && rooms.has(wanted)) fail(ERR.ROOM_EXISTS, `Room ${wanted} already exists`);
	const room = roomFromRequest(wanted ?? rooms.newId(), msg);
	rooms.add(room);
	// Rooms live in memory: a permanent room is not written back to a config file.
	return { videoroom: 'created', room: room.id, permanent: false };
}

async function edit(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	checkParams(msg, P.EDIT, CODES);
	const room = rooms.access(msg, { modify: true });
	editBase(room, msg);
	if (typeof msg.new_require_pvtid === 'boolean') room.requirePvtid = msg.new_require_pvtid;
	if (typeof msg.new_publishers === 'number') room.maxPublishers = msg.new_publishers;
	if (typeof msg.new_bitrate === 'number') room.bitrate = msg.new_bitrate > 0 && msg.new_bitrate < 64000 ? 64000 : msg.new_bitrate;
	if (typeof msg.new_fir_freq === 'number') room.firFreq = msg.new_fir_freq;
	if (typeof msg.new_lock_record === 'boolean') room.lockRecord = msg.new_lock_record;
	if (typeof msg.new_rec_dir === 'string') room.recDir = msg.new_rec_dir;
	return { videoroom: 'edited', room: room.id, permanent: false };
}

async function destroy(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	checkParams(msg, P.DESTROY, CODES);
	const room = rooms.access(msg, { modify: true });
	rooms.delete(room.id);
	for (const p of room.participants.values()) {
		await push(p.session, { videoroom: 'destroyed', room: room.id });
		await quietly(p.session.closePc());
	}
	for (const sub of room.subscribers) await quietly(sub.session.closePc());
	return { videoroom: 'destroyed', room: room.id, permanent: false };
}

function listEntry(r: VideoRoom): JsonObject {
	return {
		room: r.id, description: r.description, pin_required: r.pin !== undefined, is_private: r.isPrivate,
		max_publishers: r.maxPublishers, bitrate: r.bitrate, ...(r.bitrateCap ? { bitrate_cap: true } : {}), fir_freq: r.firFreq,
		require_pvtid: r.requirePvtid, require_e2ee: false, dummy_publisher: false, notify_joining: r.notifyJoining,
		audiocodec: r.audiocodec.join(','), videocodec: r.videocodec.join(','), ...(r.opusFec ? { opus_fec: true } : {}), ...(r.videoSvc ? { video_svc: true } : {}),
		record: r.record, ...(r.recDir !== undefined ? { rec_dir: r.recDir } : {}), lock_record: r.lockRecord,
		num_participants: r.participants.size, audiolevel_ext: r.audiolevelExt, audiolevel_event: r.audiolevelEvent,
		videoorient_ext: r.videoorientExt, playoutdelay_ext: r.playoutdelayExt, transport_wide_cc_ext: r.transportWideCcExt,
	};
}

async function list(msg: JsonObject): Promise<JsonObject> {
	let all = false;
	if (general.adminKey !== undefined && typeof msg.admin_key === 'string' && msg.admin_key !== '') {
		checkSecret(general.adminKey, msg, 'admin_key', CODES);
		all = true;
	}
	return { videoroom: 'success', list: rooms.listed(all).map(listEntry) };
}

async function exists(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	return { videoroom: 'success', room: msg.room, exists: rooms.has(msg.room as number) };
}

async function allowed(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	checkAllowedAction(msg, CODES);
	const room = rooms.access(msg, { modify: true });
	const tokens = applyAllowed(room, msg, CODES);
	return { videoroom: 'success', room: room.id, ...(tokens ? { allowed: tokens } : {}) };
}

/** The participant named by `msg.id` in a room the caller may manage. */
function participantOf(msg: JsonObject, extra: typeof P.KICK) {
	checkParams(msg, P.ROOM, CODES);
	checkParams(msg, P.ID, CODES);
	checkParams(msg, extra, CODES);
	const room = rooms.access(msg, { modify: true });
	const p = room.participants.get(msg.id as number);
	if (!p) fail(ERR.NO_SUCH_FEED, `No such user ${msg.id} in room ${room.id}`);
	return p;
}

async function kick(msg: JsonObject): Promise<JsonObject> {
	const p = participantOf(msg, P.KICK);
	if (p.kicked) return { videoroom: 'success' };
	p.kicked = true;
	await push(p.session, { videoroom: 'event', room: p.room.id, leaving: 'ok', reason: 'kicked' });
	if (p.room.requirePvtid) for (const sub of p.subscriptions) sub.kicked = true;
	await leaveRoom(p, true);
	await quietly(p.session.closePc());
	await syncRoutes(p.room, p.session.plugin);
	return { videoroom: 'success' };
}

async function moderate(msg: JsonObject): Promise<JsonObject> {
	const p = participantOf(msg, P.MODERATE);
	const ps = p.streams.find((s) => s.mid === msg.mid);
	if (!ps) fail(ERR.NO_SUCH_FEED, `No such stream ${msg.mid}`);
	ps.muted = msg.mute === true;
	await notifyParticipants(p.room, { videoroom: 'event', room: p.room.id, id: p.id, mid: ps.mid, moderation: ps.muted ? 'muted' : 'unmuted' });
	await applyPublisherValves(p);
	await syncRoutes(p.room, p.session.plugin);
	return { videoroom: 'success' };
}

async function listparticipants(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	const room = rooms.access(msg);
	const participants = [...room.participants.values()].map((p) => {
		const levels = isPublishing(p) ? p.streams.filter(hasAudioLevels) : [];
		return {
			id: p.id, ...(p.display !== undefined ? { display: p.display } : {}), publisher: p.session.started,
			...(levels.length > 0 ? { talking: levels.some((s) => s.talking === true) } : {}),
		};
	});
	return { videoroom: 'participants', room: room.id, participants };
}

async function listforwarders(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	const room = rooms.access(msg, { modify: true });
	const publishers = [...room.participants.values()].filter((p) => p.forwarders.length > 0)
		.map((p) => ({ publisher_id: p.id, ...(p.display !== undefined ? { display: p.display } : {}), forwarders: p.forwarders }));
	return { videoroom: 'forwarders', room: room.id, publishers };
}

async function enableRecording(msg: JsonObject): Promise<JsonObject> {
	checkParams(msg, P.ROOM, CODES);
	checkParams(msg, P.RECORD, CODES);
	const room = rooms.access(msg, { modify: true });
	room.record = msg.record === true;
	return { videoroom: 'success', record: room.record };
}

export const SYNC_REQUESTS: Record<string, Handler> = {
	create, edit, destroy, list, exists, allowed, kick, moderate, listparticipants, listforwarders,
	enable_recording: enableRecording, rtp_forward: rtpForward, stop_rtp_forward: stopRtpForward,
};
