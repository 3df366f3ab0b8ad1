/** errors.ts — the error codes of janus.plugin.videoroom, and its error event. */
import type { JsonObject } from '../../src';
import { RequestError } from '../lib/params';
import type { RoomCodes } from '../lib/rooms';

export const ERR = {
	UNKNOWN_ERROR: 499,
	NO_MESSAGE: 421,
	INVALID_JSON: 422,
	INVALID_REQUEST: 423,
	JOIN_FIRST: 424,
	ALREADY_JOINED: 425,
	NO_SUCH_ROOM: 426,
	ROOM_EXISTS: 427,
	NO_SUCH_FEED: 428,
	MISSING_ELEMENT: 429,
	INVALID_ELEMENT: 430,
	INVALID_SDP_TYPE: 431,
	PUBLISHERS_FULL: 432,
	UNAUTHORIZED: 433,
	ALREADY_PUBLISHED: 434,
	NOT_PUBLISHED: 435,
	ID_EXISTS: 436,
	INVALID_SDP: 437,
} as const;

export const CODES: RoomCodes = {
	missing: ERR.MISSING_ELEMENT, invalid: ERR.INVALID_ELEMENT, unauthorized: ERR.UNAUTHORIZED, noSuchRoom: ERR.NO_SUCH_ROOM,
};

/** Throws a VideoRoom error. */
export function fail(code: number, text: string): never {
	throw new RequestError(code, text);
}

/** The event of a failed request: `{videoroom: "event", error_code, error}`. */
export function errorEvent(err: unknown): JsonObject {
	if (err instanceof RequestError) return { videoroom: 'event', error_code: err.code, error: err.message };
	return { videoroom: 'event', error_code: ERR.UNKNOWN_ERROR, error: (err as Error)?.message ?? String(err) };
}
