/**
 * forwarders.ts — `rtp_forward`, `stop_rtp_forward`: a publisher's audio/video streams sent
 * as plain RTP to host:port by the plugin (one UDP socket per forwarder; the router numbers
 * each forwarder's packets on their own). The requests, parameters, errors and answers of
 * the native plugin; a simulcast video stream is forwarded per substream (`port` the lowest,
 * `port_2`/`port_3` the others). The plugin drops the forwarders when the publisher's
 * PeerConnection goes; `listforwarders` (admin.ts) shows `Publisher.forwarders`.
 */
import { promises as dns } from 'node:dns';
import type { JsonObject } from '../../src';
import { checkParams, checkSecret } from '../lib/params';
import { CODES, ERR, fail } from './errors';
import { rooms, type Publisher, type PubStream } from './model';
import * as P from './params';

/** jcfg `general` settings forwarders obey (videoroom.ts fills them). */
export const forwarding: { adminKey?: string; lock?: boolean } = {};

/** One forwarder to create: a stream, where, and which substream of a simulcast stream. */
interface Wanted { ps: PubStream; host: string; port: number; ssrc?: number; pt?: number; substream?: number }

/** Resolves a host as the native plugin does before anything else ("Could not resolve address (h)..."). */
async function resolvable(host: string, family: unknown): Promise<void> {
	if (family !== undefined && family !== 'ipv4' && family !== 'ipv6') fail(ERR.INVALID_ELEMENT, `Unsupported protocol family (${family})`);
	try {
		await dns.lookup(host, family === 'ipv4' ? 4 : family === 'ipv6' ? 6 : 0);
	} catch {
		fail(ERR.INVALID_ELEMENT, `Could not resolve address (${host})...`);
	}
}

/** The native plugin's parameter checks of rtp_forward / stop_rtp_forward, in its order, then the admin key. */
function checkRequest(msg: JsonObject, tables: (typeof P.ROOM)[]): void {
	for (const t of tables) checkParams(msg, t, CODES);
	if (forwarding.lock && forwarding.adminKey !== undefined) {
		checkParams(msg, P.ADMIN_KEY, CODES);
		checkSecret(forwarding.adminKey, msg, 'admin_key', CODES);
	}
}

/** The streams array form: one or three forwarders per item (the _2/_3 ports for a simulcast video's substreams). */
function fromStreams(p: Publisher, msg: JsonObject): Wanted[] {
	const out: Wanted[] = [];
	for (const item of msg.streams as JsonObject[]) {
		const ps = p.streams.find((s) => s.mid === item.mid && !s.disabled);
		if (!ps || ps.type === 'data') continue; // the native plugin skips an unknown mid; data is not forwarded here
		const host = (item.host as string | undefined) ?? (msg.host as string);
		const one = (port: unknown, ssrc: unknown, pt: unknown, substream?: number) => {
			if (typeof port === 'number' && port > 0) {
				out.push({ ps, host, port, ...(typeof ssrc === 'number' ? { ssrc } : {}), ...(typeof pt === 'number' ? { pt } : {}), ...(substream !== undefined ? { substream } : {}) });
			}
		};
		const simulcast = ps.type === 'video' && ps.layers === 'simulcast';
		one(item.port, item.ssrc, item.pt, simulcast ? (item.simulcast === true ? 2 : 0) : undefined);
		if (simulcast && item.simulcast !== true) {
			one(item.port_2, item.ssrc_2, item.pt_2, 1);
			one(item.port_3, item.ssrc_3, item.pt_3, 2);
		}
	}
	return out;
}

/** The deprecated form (audio_port, video_port[_2|_3], with their _ssrc/_pt): the first audio and video stream. */
function fromLegacy(p: Publisher, msg: JsonObject): Wanted[] {
	const out: Wanted[] = [];
	const host = msg.host as string;
	const audio = p.streams.find((s) => s.type === 'audio' && !s.disabled);
	const video = p.streams.find((s) => s.type === 'video' && !s.disabled);
	const num = (k: string) => (typeof msg[k] === 'number' ? msg[k] as number : undefined);
	const add = (ps: PubStream | undefined, prefix: string, suffix: string, substream?: number) => {
		const port = num(`${prefix}_port${suffix}`);
		if (!ps || !port) return;
		const ssrc = num(`${prefix}_ssrc${suffix}`), pt = num(`${prefix}_pt${suffix}`);
		out.push({ ps, host, port, ...(ssrc !== undefined ? { ssrc } : {}), ...(pt !== undefined ? { pt } : {}), ...(substream !== undefined ? { substream } : {}) });
	};
	add(audio, 'audio', '');
	const simulcast = video?.layers === 'simulcast';
	add(video, 'video', '', simulcast ? (msg.simulcast === true ? 2 : 0) : undefined);
	if (simulcast && msg.simulcast !== true) { add(video, 'video', '_2', 1); add(video, 'video', '_3', 2); }
	return out;
}

/** A forwarder as the native plugin lists it. */
function summary(id: number, w: Wanted, host: string): JsonObject {
	return {
		stream_id: id, host, port: w.port, type: w.ps.type,
		...(w.pt ? { pt: w.pt } : {}), ...(w.ssrc ? { ssrc: w.ssrc } : {}), ...(w.substream ? { substream: w.substream } : {}),
	};
}

export async function rtpForward(msg: JsonObject): Promise<JsonObject> {
	checkRequest(msg, [P.RTP_FORWARD, P.ROOM, P.PUBLISHER_ID]);
	if (msg.srtp_suite !== undefined || msg.srtp_crypto !== undefined) fail(ERR.UNKNOWN_ERROR, 'SRTP forwarders are not supported by this VideoRoom');
	await resolvable(msg.host as string, msg.host_family);
	const legacy = !Array.isArray(msg.streams) || msg.streams.length === 0;
	if (!legacy) {
		for (const s of msg.streams as JsonObject[]) {
			checkParams((s ?? {}) as JsonObject, P.RTP_FORWARD_STREAM, CODES);
			if (typeof s.host === 'string') await resolvable(s.host, s.host_family ?? msg.host_family);
		}
	}
	const room = rooms.access(msg, { modify: true });
	const p = room.participants.get(msg.publisher_id as number);
	if (!p) fail(ERR.NO_SUCH_FEED, `No such feed (${msg.publisher_id})`);
	const made: JsonObject[] = [];
	for (const w of legacy ? fromLegacy(p, msg) : fromStreams(p, msg)) {
		const id = await p.session.rtpForward({ mindex: w.ps.mindex, host: w.host, port: w.port, ...(w.ssrc ? { ssrc: w.ssrc } : {}),
			...(w.pt ? { pt: w.pt } : {}), ...(w.substream !== undefined ? { substream: w.substream } : {}) });
		const f = summary(id, w, w.host);
		p.forwarders.push(f);
		made.push(f);
	}
	const answer: JsonObject = { videoroom: 'rtp_forward', room: room.id, publisher_id: p.id };
	if (legacy) answer.rtp_stream = legacyStream(made, msg.host as string);
	else answer.forwarders = made;
	return answer;
}

/** The deprecated API's `rtp_stream` object. */
function legacyStream(made: JsonObject[], host: string): JsonObject {
	const out: JsonObject = {};
	const videos = made.filter((f) => f.type === 'video');
	const audio = made.find((f) => f.type === 'audio');
	if (audio) Object.assign(out, { audio_stream_id: audio.stream_id, audio: audio.port });
	videos.forEach((f, i) => Object.assign(out, { [`video_stream_id${i ? `_${i + 1}` : ''}`]: f.stream_id, [`video${i ? `_${i + 1}` : ''}`]: f.port }));
	return { ...out, host, warning: 'deprecated_api' };
}

export async function stopRtpForward(msg: JsonObject): Promise<JsonObject> {
	checkRequest(msg, [P.ROOM, P.PUBLISHER_ID, P.STOP_RTP_FORWARD]);
	const room = rooms.access(msg, { modify: true });
	const p = room.participants.get(msg.publisher_id as number);
	if (!p) fail(ERR.NO_SUCH_FEED, `No such feed (${msg.publisher_id})`);
	const i = p.forwarders.findIndex((f) => f.stream_id === msg.stream_id);
	if (i < 0) fail(ERR.NO_SUCH_FEED, `No such stream (${msg.stream_id})`);
	p.forwarders.splice(i, 1);
	await p.session.plugin.stopRtpForward(msg.stream_id as number);
	return { videoroom: 'stop_rtp_forward', room: room.id, publisher_id: p.id, stream_id: msg.stream_id };
}
