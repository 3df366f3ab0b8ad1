/**
 * generateOffer: an SDP offer from the plugin (e.g. a subscriber's), with the options
 * of Janus's janus-sdp.lua (own implementation). No ICE/DTLS attributes: Janus merges
 * its own when the offer is pushed with `pushEvent(..., jsep)`.
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { CODECS, type CodecName } from './codecs';

export type Dir = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface OfferOptions {
	/** Offer audio. Default: true. */
	audio?: boolean;
	/** Audio codec. Default: 'opus'. An unknown codec turns audio off (as Lua). */
	audioCodec?: string;
	/** Audio payload type. Default: 111 (the static one for pcmu 0, pcma 8, g722 9). */
	audioPt?: number;
	/** Audio direction. Default: 'sendrecv'. */
	audioDir?: Dir;
	/** Audio fmtp line (after the payload type). Default: none. */
	audioFmtp?: string;
	/** Offer video. Default: true. */
	video?: boolean;
	/** Video codec. Default: 'vp8'. An unknown codec turns video off (as Lua). */
	videoCodec?: string;
	/** Video payload type. Default: 96. */
	videoPt?: number;
	/** Video direction. Default: 'sendrecv'. */
	videoDir?: Dir;
	/** Add the usual rtcp-fb lines (ccm fir, nack, nack pli, goog-remb). Default: true. */
	videoRtcpfb?: boolean;
	/** VP9 profile-id. Default: none. */
	vp9Profile?: string | number;
	/** H.264 profile-level-id. Default: '42e01f' with packetization-mode=1. */
	h264Profile?: string;
	/** Video fmtp line when no profile applies. Default: none. */
	videoFmtp?: string;
	/** Offer a datachannel. Default: false. */
	data?: boolean;
	/** Address in o= and c=. Default: '127.0.0.1'. */
	address?: string;
	/** Address is IPv6. Default: false. */
	ipv6?: boolean;
	/** s= line. Default: 'Janus TS session'. */
	sessionName?: string;
}

const STATIC_PT: Partial<Record<CodecName, number>> = { pcmu: 0, pcma: 8, g722: 9 };
const CHANNELS: Partial<Record<CodecName, number>> = { opus: 2, multiopus: 6 };

/** Builds the offer, or returns null when nothing is left to offer (as Lua). */
export function generateOffer(options: OfferOptions = {}): SessionDescription | null {
	const ipVer = options.ipv6 ? 6 : 4;
	const address = options.address ?? '127.0.0.1';
	const audioCodec = (options.audioCodec ?? 'opus').toLowerCase() as CodecName;
	const videoCodec = (options.videoCodec ?? 'vp8').toLowerCase() as CodecName;
	const audio = (options.audio ?? true) && CODECS[audioCodec]?.kind === 'audio';
	const video = (options.video ?? true) && CODECS[videoCodec]?.kind === 'video';
	const data = options.data ?? false;
	if (!audio && !video && !data) return null;
	const media: MediaDescription[] = [];
	if (audio) {
		const pt = STATIC_PT[audioCodec] ?? options.audioPt ?? 111;
		const c = CODECS[audioCodec];
		const m = rtpMedia('audio', pt, c.encoding, c.rate, CHANNELS[audioCodec], options.audioDir, String(media.length));
		if (options.audioFmtp) m.fmtp = [{ payload: pt, config: options.audioFmtp }];
		media.push(m);
	}
	if (video) {
		const pt = options.videoPt ?? 96;
		const c = CODECS[videoCodec];
		const m = rtpMedia('video', pt, c.encoding, c.rate, undefined, options.videoDir, String(media.length));
		if (options.videoRtcpfb ?? true) {
			m.rtcpFb = [
				{ payload: pt, type: 'ccm', subtype: 'fir' }, { payload: pt, type: 'nack' },
				{ payload: pt, type: 'nack', subtype: 'pli' }, { payload: pt, type: 'goog-remb' },
			] as MediaDescription['rtcpFb'];
		}
		let fmtp: string | undefined;
		if (videoCodec === 'vp9' && options.vp9Profile !== undefined) fmtp = `profile-id=${options.vp9Profile}`;
		else if (videoCodec === 'h264' && options.h264Profile) fmtp = `profile-level-id=${options.h264Profile};packetization-mode=1`;
		else if (options.videoFmtp) fmtp = options.videoFmtp;
		else if (videoCodec === 'h264') fmtp = 'profile-level-id=42e01f;packetization-mode=1';
		if (fmtp) m.fmtp = [{ payload: pt, config: fmtp }];
		media.push(m);
	}
	if (data) {
		media.push({
			type: 'application', port: 9, protocol: 'UDP/DTLS/SCTP', payloads: 'webrtc-datachannel',
			mid: String(media.length), sctpPort: 5000, rtp: [], fmtp: [],
		});
	}
	return {
		version: 0,
		origin: { username: '-', sessionId: String(Math.floor(Math.random() * 2 ** 52)), sessionVersion: 1, netType: 'IN', ipVer, address },
		name: options.sessionName ?? 'Janus TS session',
		timing: { start: 0, stop: 0 },
		connection: { version: ipVer, ip: address },
		groups: [{ type: 'BUNDLE', mids: media.map((m) => m.mid).join(' ') }],
		media,
	};
}

function rtpMedia(type: string, pt: number, encoding: string, rate: number, channels: number | undefined,
	dir: Dir | undefined, mid: string): MediaDescription {
	return {
		type, port: 9, protocol: 'UDP/TLS/RTP/SAVPF', payloads: String(pt), mid,
		direction: dir ?? 'sendrecv', rtcpMux: 'rtcp-mux',
		rtp: [{ payload: pt, codec: encoding, rate, ...(channels ? { encoding: channels } : {}) }], fmtp: [],
	};
}
