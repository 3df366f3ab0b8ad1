/** state.ts — the VideoCall app's error codes and per-session state (the C plugin's janus_videocall_session). */
import type { Session } from '../../src';

/** Error codes of janus_videocall. */
export const ERROR = {
	NO_MESSAGE: 470, INVALID_JSON: 471, INVALID_REQUEST: 472, REGISTER_FIRST: 473, INVALID_ELEMENT: 474,
	MISSING_ELEMENT: 475, USERNAME_TAKEN: 476, ALREADY_REGISTERED: 477, NO_SUCH_USERNAME: 478,
	USE_ECHO_TEST: 479, ALREADY_IN_CALL: 480, NO_CALL: 481, MISSING_SDP: 482, INVALID_SDP: 483,
} as const;
export const CODES = { missing: ERROR.MISSING_ELEMENT, invalid: ERROR.INVALID_ELEMENT, unauthorized: ERROR.INVALID_ELEMENT /* no secrets here */ };
/** Per-session state (the C plugin's janus_videocall_session). */
export interface CallState {
	username?: string;
	/** The other party, from `call` until this session's PeerConnection goes (as in the C plugin). */
	peer?: Session<CallState>;
	/** In a call or being called. */
	incall: boolean;
	audioActive: boolean;
	videoActive: boolean;
	/** REMB cap asked with `set`, bps (0 = none). */
	bitrate: number;
	/** What the negotiated SDP has, for recording. */
	has: { audio: boolean; video: boolean; data: boolean };
	audioCodec?: string;
	videoCodec?: string;
	/** Base names of the running recordings. */
	recording?: { audio?: string; video?: string; data?: string };
	slowLinks: number;
}


export const freshState = (): CallState => ({
	incall: false, audioActive: true, videoActive: true, bitrate: 0,
	has: { audio: false, video: false, data: false }, slowLinks: 0,
});
