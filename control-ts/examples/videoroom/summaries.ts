/** summaries.ts — the stream and participant descriptions carried by VideoRoom events. */
import type { JsonObject } from '../../src';
import type { Publisher, PubStream, SubStream, Subscriber } from './model';

const AUDIO_LEVEL = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

function fmtpOf(ps: PubStream): string {
	return ps.mline.fmtp?.map((f) => f.config).join(';') ?? '';
}

/** Whether the publisher negotiated audio levels on this stream (then `talking` is reported). */
export function hasAudioLevels(ps: PubStream): boolean {
	return ps.type === 'audio' && ps.publisher.room.audiolevelExt && (ps.mline.ext ?? []).some((e) => e.uri === AUDIO_LEVEL);
}

/** One published stream: type, mindex, mid, then either `disabled` or its codec details. */
export function pubStreamInfo(ps: PubStream, withTalking: boolean): JsonObject {
	const info: JsonObject = { type: ps.type, mindex: ps.mindex, mid: ps.mid };
	if (ps.disabled) return { ...info, disabled: true };
	if (ps.description !== undefined) info.description = ps.description;
	if (ps.type === 'audio') {
		info.codec = ps.codec;
		const fmtp = fmtpOf(ps);
		if (ps.codec === 'opus') {
			if (/stereo=1/.test(fmtp)) info.stereo = true;
			if (/useinbandfec=1/.test(fmtp) && ps.publisher.room.opusFec) info.fec = true;
			if (/usedtx=1/.test(fmtp)) info.dtx = true;
		}
		if (withTalking && hasAudioLevels(ps)) info.talking = ps.talking ?? false;
	} else if (ps.type === 'video') {
		info.codec = ps.codec;
	}
	if (ps.muted) info.moderated = true;
	return info;
}

/** A publisher as listed in `joined` and `publishers` events. */
export function publisherInfo(p: Publisher, withTalking: boolean): JsonObject {
	const out: JsonObject = { id: p.id };
	if (p.display !== undefined) out.display = p.display;
	const audio = p.streams.find((s) => s.type === 'audio' && !s.disabled);
	const video = p.streams.find((s) => s.type === 'video' && !s.disabled);
	if (audio) out.audio_codec = audio.codec;
	if (video) out.video_codec = video.codec;
	out.streams = p.streams.map((s) => pubStreamInfo(s, withTalking));
	const levels = p.streams.filter(hasAudioLevels);
	if (withTalking && levels.length > 0) out.talking = levels.some((s) => s.talking === true);
	return out;
}

/** One subscription stream, as in `attached`, `updated` and `switched` events. */
export function subStreamInfo(ss: SubStream): JsonObject {
	const ps = ss.source;
	const out: JsonObject = {
		type: ss.type, active: ps !== undefined || ss.type === 'data', mindex: ss.mindex, mid: ss.mid,
	};
	if (ss.crossrefid !== undefined) out.crossrefid = ss.crossrefid;
	out.ready = ss.ready;
	out.send = ss.send;
	if (!ps) return out;
	out.feed_id = ps.publisher.id;
	if (ps.publisher.display !== undefined) out.feed_display = ps.publisher.display;
	out.feed_mid = ps.mid;
	if (ps.description !== undefined) out.feed_description = ps.description;
	if (ss.type !== 'data') out.codec = ps.codec;
	return out;
}

export function subscriberStreams(sub: Subscriber): JsonObject[] {
	return sub.streams.map(subStreamInfo);
}

/** A publisher handle in Admin API handle_info (querySession). */
export function publisherInfoOfHandle(p: Publisher): JsonObject {
	return {
		type: 'publisher', room: p.room.id, id: p.id, private_id: p.pvtId, ...(p.display !== undefined ? { display: p.display } : {}),
		bitrate: p.bitrate, streams: p.streams.map((s) => ({ type: s.type, mindex: s.mindex, mid: s.mid, codec: s.codec, subscribers: s.subscribers.size })),
	};
}

/** A subscriber handle in Admin API handle_info (querySession). */
export function subscriberInfoOfHandle(sub: Subscriber): JsonObject {
	return {
		type: 'subscriber', room: sub.room.id, private_id: sub.pvtId, answered: sub.answered, pending_offer: sub.pendingOffer,
		paused: sub.paused, streams: subscriberStreams(sub),
	};
}
