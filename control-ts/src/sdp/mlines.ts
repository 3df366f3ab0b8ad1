/**
 * m-line helpers: `removeMLine` (janus-sdp.lua's, which the Lua VideoRoom uses to offer a
 * subscriber only the media it wants) and `mlineType`.
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { parse, write } from 'sdp-transform';

/** An m-line type as in the SDP (`application` is the datachannel; `data` is accepted for it). */
export type MLineType = 'audio' | 'video' | 'application' | 'data';

/** The SDP type of an m-line type (`data` → `application`). */
export function mlineType(type: MLineType | string): string {
	return type === 'data' ? 'application' : type;
}

/**
 * Removes every m-line of `type` (as janus-sdp.lua's `removeMLine`), and their mids from the
 * BUNDLE (and any other) groups; a group left empty is removed. The other m-lines keep their
 * order, so their indexes may shift: janus-ts routes `addRecipient` by kind, not by index.
 * Changes and returns an SDP object; SDP text gives new text.
 */
export function removeMLine(sdp: SessionDescription, type: MLineType | string): SessionDescription;
export function removeMLine(sdp: string, type: MLineType | string): string;
export function removeMLine(sdp: SessionDescription | string, type: MLineType | string): SessionDescription | string {
	if (typeof sdp === 'string') return write(removeMLine(parse(sdp), type));
	const t = mlineType(type);
	const removed = new Set<string>();
	const kept: MediaDescription[] = [];
	for (const m of sdp.media) {
		if (m.type !== t) { kept.push(m); continue; }
		if (m.mid !== undefined) removed.add(String(m.mid));
	}
	sdp.media = kept;
	if (sdp.groups) {
		sdp.groups = sdp.groups
			.map((g) => ({ ...g, mids: String(g.mids).split(' ').filter((mid) => mid !== '' && !removed.has(mid)).join(' ') }))
			.filter((g) => g.mids !== '');
		if (sdp.groups.length === 0) delete sdp.groups;
	}
	return sdp;
}
