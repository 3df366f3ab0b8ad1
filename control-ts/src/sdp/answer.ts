/**
 * generateAnswer: an SDP answer for a client's offer, with the options of Janus's
 * janus-sdp.lua (own implementation): audio/video/data on or off, codec choice,
 * VP9/H.264 profiles, sendonly ↔ recvonly flipped, extmaps (directions flipped) and
 * mids kept, no ICE/DTLS/ssrc attributes (Janus merges its own into the answer when
 * it is pushed with `pushEvent(..., jsep)`).
 *
 * Like the Lua helper, the first audio, first video and first datachannel m-lines are
 * answered and any further one is rejected (port 0); a disabled medium or one without
 * a usable codec is rejected too.
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { parse } from 'sdp-transform';
import { AUDIO_PREFERENCE, VIDEO_PREFERENCE, findPayloadType, payloadsOf } from './codecs';
import { EXTMAP } from './simulcast';

export interface AnswerOptions {
	/** Answer the first audio m-line. Default: true. */
	audio?: boolean;
	/** Answer the first video m-line. Default: true. */
	video?: boolean;
	/** Answer the first datachannel m-line. Default: true. */
	data?: boolean;
	/** Audio codec ('opus', 'pcmu', ...). Default: the first of opus, multiopus, pcmu, pcma, g722, isac16, isac32 offered. */
	audioCodec?: string | null;
	/** Video codec ('vp8', 'vp9', 'h264', 'av1', 'h265'). Default: the first of those offered, in that order. */
	videoCodec?: string | null;
	/** VP9 `profile-id` to require (e.g. 2). Default: any. */
	vp9Profile?: string | number | null;
	/** H.264 `profile-level-id` to require (e.g. '42e01f'). Default: any, packetization-mode=1 preferred. */
	h264Profile?: string | null;
	/** Drop transport-wide congestion control (extmap and rtcp-fb). Default: false. */
	disableTwcc?: boolean;
	/** Which RTP header extensions to keep, by URI. Default: all offered. */
	extmapFilter?: (uri: string) => boolean;
	/**
	 * Accept the client's rid-based simulcast on the video m-line (`a=rid:… recv`,
	 * `a=simulcast:recv …`, and the rid / repaired-rid header extensions even if
	 * `extmapFilter` drops them). Default: false — the rids are left out, so the client sends
	 * a single stream. SSRC-based simulcast (`a=ssrc-group:SIM`) needs nothing in the
	 * answer. `simulcastOf(offer)` reads what was offered.
	 */
	simulcast?: boolean;
}

const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const RID_URIS: string[] = [EXTMAP.RID, EXTMAP.REPAIRED_RID];

const FLIP: Record<string, 'sendrecv' | 'recvonly' | 'sendonly' | 'inactive'> = {
	sendonly: 'recvonly', recvonly: 'sendonly', sendrecv: 'sendrecv', inactive: 'inactive',
};

/** Builds the answer; `offer` may be SDP text or a parsed offer (left untouched). */
export function generateAnswer(offer: SessionDescription | string, options: AnswerOptions = {}): SessionDescription {
	const o: SessionDescription = typeof offer === 'string' ? parse(offer) : offer;
	const wantAudio = options.audio ?? true;
	const wantVideo = options.video ?? true;
	const wantData = options.data ?? true;
	const audioCodec = options.audioCodec || AUDIO_PREFERENCE.find((c) => findPayloadType(o, c) >= 0);
	const videoCodec = options.videoCodec || VIDEO_PREFERENCE.find((c) => findPayloadType(o, c, profileFor(c, options)) >= 0);
	const answered = { audio: false, video: false, application: false };
	const media: MediaDescription[] = [];
	const mids: string[] = [];
	for (const m of o.media) {
		const kind = m.type as 'audio' | 'video' | 'application';
		let answer: MediaDescription | undefined;
		if (kind === 'audio' && wantAudio && !answered.audio && audioCodec) {
			answer = answerRtp(m, findPayloadType(m, audioCodec), options);
		} else if (kind === 'video' && wantVideo && !answered.video && videoCodec) {
			answer = answerRtp(m, findPayloadType(m, videoCodec, profileFor(videoCodec, options)), options);
		} else if (kind === 'application' && wantData && !answered.application) {
			answer = answerData(m);
		}
		if (answer && kind in answered) {
			answered[kind] = true;
			if (answer.mid !== undefined) mids.push(String(answer.mid));
			media.push(answer);
		} else {
			media.push(reject(m));
		}
	}
	const answer: SessionDescription = {
		version: 0,
		origin: {
			username: '-', sessionId: String(Math.floor(Math.random() * 2 ** 52)), sessionVersion: 1,
			netType: 'IN', ipVer: 4, address: '127.0.0.1',
		},
		name: '-',
		timing: { start: 0, stop: 0 },
		connection: { version: 4, ip: '127.0.0.1' },
		media,
	};
	if (o.groups?.some((g) => g.type === 'BUNDLE') && mids.length > 0) answer.groups = [{ type: 'BUNDLE', mids: mids.join(' ') }];
	if (o.extmapAllowMixed) answer.extmapAllowMixed = o.extmapAllowMixed;
	return answer;
}

const flipSendRecv = <T extends string>(d: T): 'send' | 'recv' | T => (d === 'send' ? 'recv' : d === 'recv' ? 'send' : d);

function profileFor(codec: string, options: AnswerOptions): string | number | null | undefined {
	if (codec === 'vp9') return options.vp9Profile;
	if (codec === 'h264') return options.h264Profile;
	return undefined;
}

function answerRtp(m: MediaDescription, pt: number, options: AnswerOptions): MediaDescription | undefined {
	if (pt < 0 || m.port === 0) return undefined;
	const a: MediaDescription = {
		type: m.type, port: 9, protocol: m.protocol, payloads: String(pt),
		rtp: (m.rtp ?? []).filter((r) => r.payload === pt),
		fmtp: (m.fmtp ?? []).filter((f) => f.payload === pt),
		rtcpFb: (m.rtcpFb ?? []).filter((f) => (String(f.payload) === String(pt) || f.payload === '*')
			&& !(options.disableTwcc && f.type === 'transport-cc')),
		direction: FLIP[m.direction ?? 'sendrecv'],
	};
	if (m.mid !== undefined) a.mid = m.mid;
	if (m.rtcpMux) a.rtcpMux = m.rtcpMux;
	if (m.rtcpRsize) a.rtcpRsize = m.rtcpRsize;
	const keepRid = options.simulcast === true && (m.rids?.length ?? 0) > 0;
	const wanted = (uri: string) => !(options.disableTwcc && uri === TWCC_URI)
		&& (options.extmapFilter ? options.extmapFilter(uri) : true);
	const ext = (m.ext ?? []).filter((e) => (keepRid && RID_URIS.includes(e.uri)) || wanted(e.uri));
	if (keepRid && m.rids) {
		a.rids = m.rids.map((r) => ({ ...r, direction: flipSendRecv(r.direction) }));
		const sc = m.simulcast;
		if (sc) {
			a.simulcast = { dir1: flipSendRecv(sc.dir1) as 'send' | 'recv', list1: sc.list1 };
			if (sc.dir2 && sc.list2) Object.assign(a.simulcast, { dir2: flipSendRecv(sc.dir2), list2: sc.list2 });
		}
	}
	if (ext.length > 0) {
		a.ext = ext.map((e) => ({ ...e, ...(e.direction ? { direction: FLIP[e.direction] ?? e.direction } : {}) }));
	}
	return a;
}

function answerData(m: MediaDescription): MediaDescription | undefined {
	if (m.port === 0) return undefined;
	const a: MediaDescription = { type: m.type, port: 9, protocol: m.protocol, payloads: m.payloads, rtp: [], fmtp: [] };
	if (m.mid !== undefined) a.mid = m.mid;
	if (m.sctpPort !== undefined) a.sctpPort = m.sctpPort;
	if (m.maxMessageSize !== undefined) a.maxMessageSize = m.maxMessageSize;
	if (m.sctpmap) a.sctpmap = { ...m.sctpmap };
	return a;
}

/** A rejected m-line: port 0, one of the offered formats, mid kept. */
function reject(m: MediaDescription): MediaDescription {
	const pts = payloadsOf(m);
	const a: MediaDescription = {
		type: m.type, port: 0, protocol: m.protocol,
		payloads: m.type === 'application' ? m.payloads : String(pts[0] ?? 0),
		direction: 'inactive', rtp: [], fmtp: [],
	};
	if (m.type === 'application') delete a.direction;
	if (m.mid !== undefined) a.mid = m.mid;
	return a;
}
