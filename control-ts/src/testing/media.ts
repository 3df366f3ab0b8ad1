/**
 * The media parts of the emulated plugin, as host-c does them: each m-line's codecs from an
 * SDP (host-c/sdp_codecs.c: the keys that make payload types of two clients comparable) and
 * their process-wide ids, the audio level Janus's core reads from the ssrc-audio-level
 * extension, the RTP forwarders (host-c/forwarders.c; here the packets are kept in memory
 * instead of sent), and what a relay decision writes into the packet (host-c/media.c).
 */
import { Flag, MAX_STREAMS, PacketInfo, type Decision } from './router';

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** RFC 3551 static payload types a client may list without an rtpmap. */
const STATIC: Record<number, string> = { 0: 'pcmu/8000', 8: 'pcma/8000', 9: 'g722/8000', 13: 'cn/8000' };

function fmtpParam(fmtp: string, name: string, dflt: string): string {
	for (const part of fmtp.split(';')) {
		const p = part.trim();
		if (p.toLowerCase().startsWith(`${name}=`)) return p.slice(name.length + 1).split(/[ ;]/)[0];
	}
	return dflt;
}

/** sdp_codecs.c codec_key. */
function codecKey(map: string | undefined, fmtp: string): string | undefined {
	if (!map || map.startsWith('rtx/')) return undefined;
	if (map.startsWith('h264/')) {
		const pm = fmtpParam(fmtp, 'packetization-mode', '0');
		const profile = fmtpParam(fmtp, 'profile-level-id', '42001f').slice(0, 2).toLowerCase();
		return `${map};pm=${pm};p=${profile}`;
	}
	if (map.startsWith('vp9/') || map.startsWith('av1/')) {
		return `${map};p=${fmtpParam(fmtp, map.startsWith('vp9/') ? 'profile-id' : 'profile', '0')}`;
	}
	return map;
}

/** Per m-line (at most MAX_STREAMS): its codecs as [payload type, key], m= line order, RTX left out. */
export function sdpCodecs(sdp: string): [number, string][][] {
	const out: [number, string][][] = [];
	let fmts: number[] | undefined;
	let maps = new Map<number, string>(), fmtps = new Map<number, string>();
	const finish = () => {
		if (!fmts) return;
		const list: [number, string][] = [];
		for (const pt of fmts.slice(0, 32)) {
			const key = codecKey(maps.get(pt) ?? STATIC[pt], fmtps.get(pt) ?? '');
			if (key) list.push([pt, key]);
		}
		if (out.length < MAX_STREAMS) out.push(list);
	};
	for (const raw of sdp.split('\n')) {
		const line = raw.trimEnd();
		if (line.startsWith('m=')) {
			finish();
			fmts = line.slice(2).split(' ').slice(3).map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n < 128);
			maps = new Map(); fmtps = new Map();
		} else if (fmts && (line.startsWith('a=rtpmap:') || line.startsWith('a=fmtp:'))) {
			const rest = line.slice(line.indexOf(':') + 1);
			const sp = rest.indexOf(' ');
			const pt = Number(rest.slice(0, sp));
			if (sp < 0 || !Number.isInteger(pt) || pt < 0 || pt > 127) continue;
			if (line.startsWith('a=rtpmap:')) maps.set(pt, rest.slice(sp + 1).toLowerCase()); else fmtps.set(pt, rest.slice(sp + 1));
		}
	}
	finish();
	return out;
}

/** The process-wide codec ids (sdp_codecs.c ts_codec_id): 1..127, 0 when full. */
export class CodecIds {
	readonly #ids = new Map<string, number>();
	id(key: string): number {
		let id = this.#ids.get(key);
		if (id === undefined && this.#ids.size + 1 < 128) { id = this.#ids.size + 1; this.#ids.set(key, id); }
		return id ?? 0;
	}
}

/** Per m-line, the id of the ssrc-audio-level extension (0: not negotiated). */
export function audioLevelIds(sdp: string): number[] {
	const ids: number[] = [];
	for (const raw of sdp.split('\n')) {
		const line = raw.trimEnd();
		if (line.startsWith('m=')) { if (ids.length < MAX_STREAMS) ids.push(0); continue; }
		const m = /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(line);
		if (m && m[2] === AUDIO_LEVEL_URI && ids.length > 0) ids[ids.length - 1] = Number(m[1]);
	}
	return ids;
}

/** The level | vad << 7 of extension `id` (one- or two-byte header), -1 when absent: what Janus's core passes. */
export function audioLevelOf(p: Uint8Array, id: number): number {
	if (id <= 0 || p.length < 12 || (p[0] & 0x10) === 0) return -1;
	let off = 12 + (p[0] & 0x0f) * 4;
	if (off + 4 > p.length) return -1;
	const profile = (p[off] << 8) | p[off + 1];
	const end = off + 4 + ((p[off + 2] << 8) | p[off + 3]) * 4;
	if (end > p.length) return -1;
	off += 4;
	const oneByte = profile === 0xbede;
	if (!oneByte && (profile & 0xfff0) !== 0x1000) return -1;
	while (off < end) {
		if (p[off] === 0) { off++; continue; }
		const eid = oneByte ? p[off] >> 4 : p[off];
		const len = oneByte ? (p[off] & 0x0f) + 1 : p[off + 1];
		const data = off + (oneByte ? 1 : 2);
		if (oneByte && eid === 15) return -1;
		if (eid === id) return len >= 1 && data < end ? p[data] : -1;
		off = data + len;
	}
	return -1;
}

/** Where PACKET_INFO said the VP8 picture id and TL0PICIDX are (0: none). */
export interface IdsAt { pic: number; long: boolean; tl0: number }

/** media.c packet_info: the offsets of a PACKET_INFO record, checked against the packet. */
export function packetInfo(d: Decision, length: number): IdsAt {
	const long = (d.flags & PacketInfo.PICID_LONG) !== 0;
	const pic = (d.flags & PacketInfo.HAS_PICID) && d.seq >= 12 && d.seq + (long ? 2 : 1) <= length ? d.seq : 0;
	const tl0 = (d.flags & PacketInfo.HAS_TL0) && d.ts >= 12 && d.ts < length ? d.ts : 0;
	return { pic, long, tl0 };
}

/** media.c relay_rtp: a recipient's copy of the packet with byte 1, seq, ts and the VP8 ids written in. */
export function relayCopy(packet: Uint8Array, d: Decision, ids: IdsAt | undefined): Buffer {
	const b = Buffer.from(packet);
	b[1] = d.b1;
	b.writeUInt16BE(d.seq, 2);
	b.writeUInt32BE(d.ts >>> 0, 4);
	const pic = (d.flags >>> 16) & 0x7fff;
	if (ids && (d.flags & Flag.HAS_PICID) && ids.pic) {
		if (ids.long) { b[ids.pic] = 0x80 | (pic >> 8); b[ids.pic + 1] = pic & 0xff; } else b[ids.pic] = pic & 0x7f;
	}
	if (ids && (d.flags & Flag.HAS_TL0) && ids.tl0) b[ids.tl0] = (d.flags >>> 8) & 0xff;
	return b;
}

/** One forwarder (host-c/forwarders.c). */
export interface Forwarder {
	id: number; session: number; mindex: number; host: string; port: number;
	ssrc?: number; pt?: number; substream?: number;
	/** What it would have sent, in order. */
	sent: Buffer[];
}

/** host-c's forwarder table: router forwarder index i is entry i; public id gen << 16 | (i + 1). */
export class Forwarders {
	readonly #table: (Forwarder | undefined)[];
	readonly #gens: number[];
	/** Forwarders started so far. */
	started = 0;
	constructor(readonly max: number) {
		this.#table = new Array(max).fill(undefined);
		this.#gens = new Array(max).fill(0);
	}
	freeIndex(): number { return this.#table.findIndex((f) => !f); }
	add(index: number, f: Omit<Forwarder, 'id' | 'sent'>): Forwarder {
		this.#gens[index] = (this.#gens[index] + 1) & 0xffff;
		const fwd: Forwarder = { ...f, id: ((this.#gens[index] << 16) | (index + 1)) >>> 0, sent: [] };
		this.#table[index] = fwd;
		this.started++;
		return fwd;
	}
	/** The router index of a live forwarder's public id, -1 if none. */
	indexOf(id: number): number {
		const i = (id & 0xffff) - 1;
		return i >= 0 && i < this.max && this.#table[i]?.id === id ? i : -1;
	}
	at(index: number): Forwarder | undefined { return this.#table[index]; }
	remove(index: number): void { this.#table[index] = undefined; }
	/** Forwarders of `session` (every one with 0). */
	of(session: number): Forwarder[] { return this.#table.filter((f): f is Forwarder => !!f && (session === 0 || f.session === session)); }
	dropSession(session: number): void { this.#table.forEach((f, i) => { if (f?.session === session) this.#table[i] = undefined; }); }
	/** forwarders.c ts_fwd_send: the packet with the record's seq/ts/byte 1, the forwarder's SSRC and payload type. */
	send(index: number, packet: Uint8Array, d: Decision): void {
		const f = this.#table[index];
		if (!f || packet.length < 12) return;
		const b = Buffer.from(packet);
		b[1] = (d.b1 & 0x80) | (f.pt !== undefined ? f.pt : d.b1 & 0x7f);
		b.writeUInt16BE(d.seq, 2);
		b.writeUInt32BE(d.ts >>> 0, 4);
		if (f.ssrc) b.writeUInt32BE(f.ssrc >>> 0, 8);
		f.sent.push(b);
	}
	/** SessionInfo.forwarders / listForwarders entries. */
	info(f: Forwarder): Record<string, unknown> {
		return {
			forwarder: f.id, session: f.session, mindex: f.mindex, host: f.host, port: f.port,
			...(f.ssrc ? { ssrc: f.ssrc } : {}), ...(f.pt !== undefined ? { pt: f.pt } : {}),
			...(f.substream !== undefined ? { substream: f.substream } : {}), packets: f.sent.length, sendErrors: 0,
		};
	}
}
