/**
 * sdp.ts — the VideoRoom's SDP: the answer to a publisher's offer (every m-line answered on
 * its own, so a publisher may send several audio or video streams) and the offer to a
 * subscriber (one m-line per subscribed stream, copied from the publisher's answered m-line
 * so codec and payload type match what the router relays unchanged).
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { sdp, type Jsep } from '../../src';
import type { Kind, Subscriber, VideoRoom } from './model';

const EXT = {
	mid: 'urn:ietf:params:rtp-hdrext:sdes:mid',
	rid: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
	repairedRid: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
	audioLevel: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
	videoOrientation: 'urn:3gpp:video-orientation',
	playoutDelay: 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
	twcc: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
	absSendTime: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
};

/** One answered m-line of a publisher. */
export interface AnsweredLine {
	kind: Kind;
	mindex: number;
	mid: string;
	codec?: string;
	disabled: boolean;
	mline: MediaDescription;
}

/** The RTP header extensions a publisher may use in this room (as the native plugin). */
function extmapFilter(room: VideoRoom): (uri: string) => boolean {
	const ok = new Set([EXT.mid, EXT.rid, EXT.repairedRid]);
	if (room.audiolevelExt) ok.add(EXT.audioLevel);
	if (room.videoorientExt) ok.add(EXT.videoOrientation);
	if (room.playoutdelayExt) ok.add(EXT.playoutDelay);
	if (room.transportWideCcExt) ok.add(EXT.twcc);
	return (uri) => ok.has(uri);
}

function kindOf(m: MediaDescription): Kind | undefined {
	return m.type === 'audio' ? 'audio' : m.type === 'video' ? 'video' : m.type === 'application' ? 'data' : undefined;
}

/** Answers one offered m-line with the first codec of `codecs` it offers (or rejects it). */
function answerLine(offer: SessionDescription, m: MediaDescription, kind: Kind, codecs: string[], room: VideoRoom): MediaDescription {
	const codec = kind === 'data' ? undefined : codecs.find((c) => sdp.findPayloadType(m, c) >= 0);
	const wanted = m.direction !== 'recvonly' && m.direction !== 'inactive' && (kind === 'data' || codec !== undefined);
	const single: SessionDescription = { ...offer, media: [m], groups: [] };
	const a = sdp.generateAnswer(single, {
		audio: wanted && kind === 'audio', video: wanted && kind === 'video', data: wanted && kind === 'data',
		...(kind === 'audio' ? { audioCodec: codec } : kind === 'video' ? { videoCodec: codec } : {}),
		extmapFilter: extmapFilter(room),
	}).media[0];
	if (a.port !== 0 && kind !== 'data') a.direction = 'recvonly';
	return a;
}

/** The answer to a publisher's offer, and what each m-line carries. */
export function answerPublisher(offerSdp: string, room: VideoRoom, prefer: { audio?: string; video?: string }):
	{ answer: Jsep; lines: AnsweredLine[] } {
	const offer = sdp.parse(offerSdp);
	const lines: AnsweredLine[] = [];
	const media: MediaDescription[] = [];
	offer.media.forEach((m, mindex) => {
		const kind = kindOf(m);
		if (!kind) return;
		const codecs = kind === 'audio' ? (prefer.audio ? [prefer.audio] : room.audiocodec)
			: kind === 'video' ? (prefer.video ? [prefer.video] : room.videocodec) : [];
		const a = answerLine(offer, m, kind, codecs, room);
		media.push(a);
		const pt = Number(String(a.payloads).split(' ')[0]);
		const codec = kind === 'data' || a.port === 0 ? undefined : sdp.findCodec(a, pt) ?? undefined;
		lines.push({ kind, mindex, mid: m.mid !== undefined ? String(m.mid) : String(mindex), codec, disabled: a.port === 0, mline: a });
	});
	const answer: SessionDescription = {
		version: 0,
		origin: { username: '-', sessionId: offer.origin?.sessionId ?? Date.now(), sessionVersion: 1, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
		name: `VideoRoom ${room.id}`,
		timing: { start: 0, stop: 0 },
		media,
	};
	const mids = media.filter((m) => m.port !== 0 && m.mid !== undefined).map((m) => String(m.mid));
	if (mids.length > 0) answer.groups = [{ type: 'BUNDLE', mids: mids.join(' ') }];
	if (offer.extmapAllowMixed) answer.extmapAllowMixed = offer.extmapAllowMixed;
	return { answer: sdp.toJsep('answer', answer), lines };
}

/** The extensions offered to subscribers, with Janus's usual ids. */
function subscriberExt(kind: Kind, template: MediaDescription, room: VideoRoom): MediaDescription['ext'] {
	const has = (uri: string) => (template.ext ?? []).some((e) => e.uri === uri);
	const ext = [{ value: 4, uri: EXT.mid }];
	if (kind === 'audio' && has(EXT.audioLevel)) ext.push({ value: 1, uri: EXT.audioLevel });
	if (kind === 'video') {
		ext.push({ value: 2, uri: EXT.absSendTime });
		if (room.transportWideCcExt) ext.push({ value: 3, uri: EXT.twcc });
		if (has(EXT.videoOrientation)) ext.push({ value: 13, uri: EXT.videoOrientation });
	}
	return ext;
}

/** The offer for a subscriber's current streams (sendonly, or inactive without a source). */
export function subscriberOffer(sub: Subscriber): Jsep {
	sub.sdpVersion++;
	const media: MediaDescription[] = sub.streams.map((ss) => {
		const t = ss.mline;
		if (ss.type === 'data') {
			return { type: 'application', port: 9, protocol: t.protocol, payloads: t.payloads, rtp: [], fmtp: [], mid: ss.mid,
				...(t.sctpPort !== undefined ? { sctpPort: t.sctpPort } : {}), ...(t.maxMessageSize !== undefined ? { maxMessageSize: t.maxMessageSize } : {}) };
		}
		const m: MediaDescription = {
			type: t.type, port: 9, protocol: t.protocol, payloads: t.payloads,
			rtp: t.rtp.map((r) => ({ ...r })), fmtp: t.fmtp.map((f) => ({ ...f })), rtcpFb: (t.rtcpFb ?? []).map((f) => ({ ...f })),
			mid: ss.mid, direction: ss.source && !ss.source.disabled ? 'sendonly' : 'inactive', rtcpMux: 'rtcp-mux',
			ext: subscriberExt(ss.type, t, sub.room),
		};
		if (sub.useMsid && ss.source) m.msid = `${ss.source.publisher.id} ${ss.mid}`;
		return m;
	});
	const offer: SessionDescription = {
		version: 0,
		origin: { username: '-', sessionId: sub.sdpSessionId, sessionVersion: sub.sdpVersion, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
		name: `VideoRoom ${sub.room.id}`,
		timing: { start: 0, stop: 0 },
		media,
	};
	if (media.length > 0) offer.groups = [{ type: 'BUNDLE', mids: media.map((m) => String(m.mid)).join(' ') }];
	return sdp.toJsep('offer', offer);
}

/** The mindexes an answer accepted (not inactive, port ≠ 0). */
export function answeredMindexes(answerSdp: string): Set<number> {
	const out = new Set<number>();
	sdp.parse(answerSdp).media.forEach((m, i) => {
		if (m.port !== 0 && m.direction !== 'inactive') out.add(i);
	});
	return out;
}
