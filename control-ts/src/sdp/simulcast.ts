/**
 * The simulcast description of a client's offer, lowest quality first (substream 0 first),
 * read either from the SDP (`simulcastOf`) or from the `simulcast` list Janus adds to the
 * jsep it hands the plugin (`simulcastFromJsep`), plus header-extension ids by URI.
 *
 * Two ways a client announces its substreams:
 * - rids (RFC 8851/8853): `a=rid:<rid> send` lines and `a=simulcast:send h;m;l`; packets
 *   carry the rid in the `urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id` extension.
 *   Browsers (janus.js) list them highest first; Janus assumes that unless the jsep says
 *   `rid_order: "lmh"`, and so does `simulcastOf` unless `ridOrder: 'lmh'` is given.
 * - SSRCs: `a=ssrc-group:SIM <low> <mid> <high>` (lowest first, as Janus reads it).
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { parse } from 'sdp-transform';
import type { SimulcastConfig } from '../protocol/types';

/** Header-extension URIs the media features use. */
export const EXTMAP = {
	AUDIO_LEVEL: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
	MID: 'urn:ietf:params:rtp-hdrext:sdes:mid',
	RID: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
	REPAIRED_RID: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
} as const;

export interface SimulcastDescription {
	/** Index of the m-line. */
	mindex: number;
	mid?: string;
	/** rids, lowest quality first (rid-based simulcast). */
	rids?: string[];
	/** Id of the rid header extension. */
	ridExtId?: number;
	/** SSRCs, lowest quality first (SSRC-based simulcast). */
	ssrcs?: number[];
	/** rids the offer lists as paused (`~rid`). */
	pausedRids?: string[];
}

/** Id of header extension `uri` on an m-line, or -1. */
export function extmapId(media: MediaDescription, uri: string): number {
	return media.ext?.find((e) => e.uri === uri)?.value ?? -1;
}

/**
 * The simulcast description of every video m-line of an offer that announces simulcast
 * (rids or an SSRC SIM group), in m-line order.
 */
export function simulcastOf(offer: SessionDescription | string, options: { ridOrder?: 'hml' | 'lmh' } = {}): SimulcastDescription[] {
	const o = typeof offer === 'string' ? parse(offer) : offer;
	const out: SimulcastDescription[] = [];
	o.media.forEach((m, mindex) => {
		if (m.type !== 'video' || m.port === 0) return;
		const d: SimulcastDescription = { mindex };
		if (m.mid !== undefined) d.mid = String(m.mid);
		const rids = sendRids(m);
		if (rids.length > 0) {
			d.rids = options.ridOrder === 'lmh' ? rids.map((r) => r.id) : rids.map((r) => r.id).reverse();
			const paused = rids.filter((r) => r.paused).map((r) => r.id);
			if (paused.length > 0) d.pausedRids = paused;
			const ext = extmapId(m, EXTMAP.RID);
			if (ext > 0) d.ridExtId = ext;
		}
		const sim = m.ssrcGroups?.find((g) => g.semantics === 'SIM');
		if (sim) d.ssrcs = sim.ssrcs.split(' ').filter((s) => s !== '').map(Number);
		if (d.rids || d.ssrcs) out.push(d);
	});
	return out;
}

/** The offer's send rids in `a=simulcast:send` order (else `a=rid` order), with paused flags. */
function sendRids(m: MediaDescription): { id: string; paused: boolean }[] {
	const declared = (m.rids ?? []).filter((r) => r.direction === 'send').map((r) => String(r.id));
	const sc = m.simulcast;
	const list = sc?.dir1 === 'send' ? sc.list1 : sc?.dir2 === 'send' ? sc.list2 : undefined;
	if (!list) return declared.map((id) => ({ id, paused: false }));
	// "h;m;~l" or alternatives "h,h2;m": the first of each alternative set.
	return list.split(';').map((alt) => alt.split(',')[0].trim()).filter((s) => s !== '')
		.map((s) => ({ id: s.replace(/^~/, ''), paused: s.startsWith('~') }))
		.filter((r) => declared.length === 0 || declared.includes(r.id));
}

/**
 * The simulcast list Janus adds to the jsep of a request (one object per m-line:
 * `mindex`, `mid`, `rids` highest first with `rid-ext`, or `ssrcs` lowest first), lowest
 * first like `simulcastOf`. Anything malformed is left out.
 */
export function simulcastFromJsep(jsep: object | undefined | null): SimulcastDescription[] {
	const list = (jsep as { simulcast?: unknown } | undefined | null)?.simulcast;
	if (!Array.isArray(list)) return [];
	const out: SimulcastDescription[] = [];
	for (const item of list) {
		if (typeof item !== 'object' || item === null) continue;
		const s = item as { mindex?: unknown; mid?: unknown; rids?: unknown; 'rid-ext'?: unknown; ssrcs?: unknown };
		if (typeof s.mindex !== 'number') continue;
		const d: SimulcastDescription = { mindex: s.mindex };
		if (typeof s.mid === 'string') d.mid = s.mid;
		if (Array.isArray(s.rids) && s.rids.every((r) => typeof r === 'string') && s.rids.length > 0) {
			d.rids = [...(s.rids as string[])].reverse();
			if (typeof s['rid-ext'] === 'number' && s['rid-ext'] > 0) d.ridExtId = s['rid-ext'];
		} else if (Array.isArray(s.ssrcs) && s.ssrcs.every((x) => Number.isInteger(x)) && s.ssrcs.length > 0) {
			d.ssrcs = s.ssrcs as number[];
		} else {
			continue;
		}
		out.push(d);
	}
	return out;
}

/** The codecs whose payload descriptors the router reads to select layers. */
const LAYERED_CODECS = ['vp8', 'vp9', 'h264'] as const;

/**
 * What to give `configureSimulcast` for a client's offer and the answer sent back: one
 * description per video m-line the offer sends simulcast on (the jsep's `simulcast` list, else
 * the SDP's rids / SSRC group), with the codec the answer kept on that m-line; with `svc`,
 * also every VP9 m-line without simulcast (its SVC layers). An m-line answered with another
 * codec (or rejected) gets `codec: null`, which turns layering off.
 */
export function simulcastConfigs(offer: object, answer: SessionDescription | string, options: { svc?: boolean } = {}): SimulcastConfig[] {
	const a = typeof answer === 'string' ? parse(answer) : answer;
	const jsep = offer as { sdp?: unknown };
	let list = simulcastFromJsep(offer);
	if (list.length === 0 && typeof jsep.sdp === 'string') list = simulcastOf(jsep.sdp);
	const codecAt = (mindex: number): SimulcastConfig['codec'] => {
		const m = a.media[mindex];
		if (!m || m.port === 0 || m.type !== 'video') return null;
		const pt = Number(String(m.payloads ?? '').split(' ')[0]);
		const name = (m.rtp ?? []).find((r) => r.payload === pt)?.codec.toLowerCase();
		return (LAYERED_CODECS as readonly string[]).includes(name ?? '') ? name as SimulcastConfig['codec'] : null;
	};
	const out: SimulcastConfig[] = list.map((d) => ({
		mindex: d.mindex, codec: codecAt(d.mindex),
		...(d.rids ? { rids: d.rids } : {}), ...(d.ridExtId ? { ridExtId: d.ridExtId } : {}), ...(d.ssrcs ? { ssrcs: d.ssrcs } : {}),
	}));
	if (options.svc) {
		a.media.forEach((_, mindex) => {
			if (codecAt(mindex) === 'vp9' && !out.some((c) => c.mindex === mindex)) out.push({ mindex, codec: 'vp9' });
		});
	}
	return out;
}
