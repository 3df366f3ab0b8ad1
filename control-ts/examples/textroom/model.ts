/** model.ts — the TextRoom's state (rooms, participants per handle), its error codes and JSON formatting. */
import type { Session } from '../../src';
import { cfgBool, cfgInt, cfgStr, type JcfgGroup } from '../lib/jcfg';
import { RoomRegistry, baseFromRequest, type RoomBase } from '../lib/rooms';

export const ERR = {
	NO_MESSAGE: 411, INVALID_JSON: 412, MISSING_ELEMENT: 413, INVALID_ELEMENT: 414, INVALID_REQUEST: 415,
	ALREADY_SETUP: 416, NO_SUCH_ROOM: 417, ROOM_EXISTS: 418, UNAUTHORIZED: 419, USERNAME_EXISTS: 420,
	ALREADY_IN_ROOM: 421, NOT_IN_ROOM: 422, NO_SUCH_USER: 423, UNKNOWN_ERROR: 499,
} as const;
export const CODES = { missing: ERR.MISSING_ELEMENT, invalid: ERR.INVALID_ELEMENT, unauthorized: ERR.UNAUTHORIZED, noSuchRoom: ERR.NO_SUCH_ROOM };

export interface TextRoom extends RoomBase {
	/** How many past messages a joiner gets (0 = none). */
	historySize: number;
	/** Past messages, as sent (with `display`). */
	history: string[];
	/** HTTP backend of the native plugin: kept and reported, not called by this app. */
	post?: string;
	participants: Map<string, Participant>;
}

export interface Participant {
	session: Session<TrSession>;
	room: TextRoom;
	username: string;
	display?: string;
}

/** Per handle: the rooms it joined (one PeerConnection, any number of rooms). */
export interface TrSession {
	rooms: Map<number, Participant>;
	setup: boolean;
	sdpSessionId: number;
	sdpVersion: number;
	[key: string]: unknown;
}

export const rooms = new RoomRegistry<TextRoom>(CODES);

/** jcfg `general.json`: how data channel messages are formatted. */
export const format: { json: 'indented' | 'plain' | 'compact'; adminKey?: string } = { json: 'indented' };

/** JSON text as the native plugin writes it (jansson: indented by 3, or one line). */
export function stringify(obj: object): string {
	if (format.json === 'compact') return JSON.stringify(obj);
	if (format.json === 'plain') return JSON.stringify(obj, null, 1).replace(/,\n\s*/g, ', ').replace(/\n\s*/g, '');
	return JSON.stringify(obj, null, 3);
}

/** A room from a create request or a jcfg section (same names). */
export function textRoom(base: RoomBase, s: JcfgGroup): TextRoom {
	return {
		...base, historySize: cfgInt(s.history, 0), history: [], participants: new Map(),
		...(cfgStr(s.post) !== undefined ? { post: cfgStr(s.post) } : {}),
	};
}

export function roomFromConfig(id: number, s: JcfgGroup): TextRoom {
	return textRoom(baseFromRequest(id, {
		description: cfgStr(s.description) ?? `room-${id}`, is_private: cfgBool(s.is_private, false),
		...(cfgStr(s.secret) !== undefined ? { secret: cfgStr(s.secret) } : {}),
		...(cfgStr(s.pin) !== undefined ? { pin: cfgStr(s.pin) } : {}),
	}), s);
}

/** Janus's sample configuration: room 1234. */
export const DEFAULT_ROOMS = `room-1234: {
	description = "Demo Room"
	secret = "adminpwd"
}`;

/** The date of messages: local time as strftime("%FT%T%z"), e.g. 2026-12-01T22:48:32+0100. */
export function messageDate(d = new Date()): string {
	const p = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
	const off = -d.getTimezoneOffset();
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
		+ `${off >= 0 ? '+' : '-'}${p(Math.trunc(off / 60))}${p(off % 60)}`;
}

/** The datachannel-only offer of the native plugin. */
export function dataOffer(s: TrSession): string {
	return `v=0\r\no=- ${s.sdpSessionId} ${s.sdpVersion} IN IP4 127.0.0.1\r\ns=Janus TextRoom plugin\r\nt=0 0\r\n`
		+ 'm=application 1 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 1.1.1.1\r\na=sctp-port:5000\r\n';
}
