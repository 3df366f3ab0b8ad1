/**
 * Payload-type helpers on sdp-transform objects (the Lua janus-sdp.lua functions
 * findPayloadType, findCodec, removePayloadType), matching encoding names exactly
 * (case-insensitive) instead of by substring.
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';

/** Codec names of the helpers (lowercase), with the rtpmap encoding name and clock rate. */
export const CODECS = {
	opus: { encoding: 'opus', rate: 48000, kind: 'audio' },
	multiopus: { encoding: 'multiopus', rate: 48000, kind: 'audio' },
	pcmu: { encoding: 'PCMU', rate: 8000, kind: 'audio' },
	pcma: { encoding: 'PCMA', rate: 8000, kind: 'audio' },
	g722: { encoding: 'G722', rate: 8000, kind: 'audio' },
	isac16: { encoding: 'ISAC', rate: 16000, kind: 'audio' },
	isac32: { encoding: 'ISAC', rate: 32000, kind: 'audio' },
	vp8: { encoding: 'VP8', rate: 90000, kind: 'video' },
	vp9: { encoding: 'VP9', rate: 90000, kind: 'video' },
	h264: { encoding: 'H264', rate: 90000, kind: 'video' },
	av1: { encoding: 'AV1', rate: 90000, kind: 'video' },
	h265: { encoding: 'H265', rate: 90000, kind: 'video' },
} as const;
export type CodecName = keyof typeof CODECS;
export type AudioCodec = { [K in CodecName]: (typeof CODECS)[K]['kind'] extends 'audio' ? K : never }[CodecName];
export type VideoCodec = { [K in CodecName]: (typeof CODECS)[K]['kind'] extends 'video' ? K : never }[CodecName];

/** Preference order when the options name no codec (Lua's order, then the newer ones). */
export const AUDIO_PREFERENCE: readonly AudioCodec[] = ['opus', 'multiopus', 'pcmu', 'pcma', 'g722', 'isac16', 'isac32'];
export const VIDEO_PREFERENCE: readonly VideoCodec[] = ['vp8', 'vp9', 'h264', 'av1', 'h265'];

/** Static payload types (RFC 3551) that may appear without an rtpmap. */
const STATIC_PTS: Record<number, CodecName> = { 0: 'pcmu', 8: 'pcma', 9: 'g722' };

type Sdp = SessionDescription | MediaDescription;
const mediaOf = (sdp: Sdp): MediaDescription[] => ('media' in sdp && Array.isArray(sdp.media) ? sdp.media : [sdp as MediaDescription]);

function fmtpOf(media: MediaDescription, pt: number): string {
	return media.fmtp?.find((f) => f.payload === pt)?.config ?? '';
}

function fmtpParam(config: string, name: string): string | undefined {
	for (const part of config.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name) return part.slice(eq + 1).trim();
	}
	return undefined;
}

/** Whether an rtpmap entry is `codec`. */
function isCodec(rtp: { codec: string; rate?: number }, codec: CodecName): boolean {
	const c = CODECS[codec];
	if (rtp.codec.toLowerCase() !== c.encoding.toLowerCase()) return false;
	return c.encoding !== 'ISAC' || rtp.rate === c.rate;
}

/**
 * The payload type of `codec` in an SDP (every m-line) or one m-line, or -1 (as Lua).
 * `profile`: VP9 `profile-id`, or H.264 `profile-level-id` (case-insensitive). Without a
 * profile, H.264 prefers packetization-mode=1 (what browsers and Janus relay best).
 */
export function findPayloadType(sdp: Sdp, codec: string, profile?: string | number | null): number {
	const name = codec.toLowerCase() as CodecName;
	if (!(name in CODECS)) return -1;
	let fallback = -1;
	for (const media of mediaOf(sdp)) {
		for (const rtp of media.rtp ?? []) {
			if (!isCodec(rtp, name)) continue;
			const fmtp = fmtpOf(media, rtp.payload);
			if (profile !== undefined && profile !== null && profile !== '') {
				const key = name === 'vp9' ? 'profile-id' : name === 'h264' ? 'profile-level-id' : undefined;
				if (key && fmtpParam(fmtp, key)?.toLowerCase() !== String(profile).toLowerCase()) continue;
				return rtp.payload;
			}
			if (name === 'h264' && fmtpParam(fmtp, 'packetization-mode') !== '1') {
				if (fallback < 0) fallback = rtp.payload;
				continue;
			}
			return rtp.payload;
		}
		// Static payload types listed on the m-line without an rtpmap.
		for (const [pt, c] of Object.entries(STATIC_PTS)) {
			if (c === name && payloadsOf(media).includes(Number(pt)) && !(media.rtp ?? []).some((r) => r.payload === Number(pt))) {
				return Number(pt);
			}
		}
	}
	return fallback;
}

/** The codec name (lowercase, as in {@link CODECS}) of payload type `pt`, or null. */
export function findCodec(sdp: Sdp, pt: number): CodecName | null {
	for (const media of mediaOf(sdp)) {
		const rtp = (media.rtp ?? []).find((r) => r.payload === pt);
		if (!rtp) continue;
		for (const name of Object.keys(CODECS) as CodecName[]) if (isCodec(rtp, name)) return name;
		return null;
	}
	return STATIC_PTS[pt] ?? null;
}

/** Removes payload type `pt` from every m-line (payload list, rtpmap, fmtp, rtcp-fb). Returns the sdp. */
export function removePayloadType<T extends Sdp>(sdp: T, pt: number): T {
	for (const media of mediaOf(sdp)) {
		if (media.payloads === undefined) continue;
		media.payloads = payloadsOf(media).filter((p) => p !== pt).join(' ');
		if (media.rtp) media.rtp = media.rtp.filter((r) => r.payload !== pt);
		if (media.fmtp) media.fmtp = media.fmtp.filter((f) => f.payload !== pt);
		if (media.rtcpFb) media.rtcpFb = media.rtcpFb.filter((f) => String(f.payload) !== String(pt));
	}
	return sdp;
}

/** Numeric payload types of an m-line (empty for datachannel m-lines). */
export function payloadsOf(media: MediaDescription): number[] {
	return String(media.payloads ?? '').split(' ').filter((p) => /^\d+$/.test(p)).map(Number);
}
