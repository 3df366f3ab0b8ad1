/**
 * Packet helpers for tests: build RTP and the RTCP feedback the router reacts to (PLI,
 * FIR, REMB), and read back what was relayed.
 */

export interface RtpFields {
	seq: number;
	ts: number;
	ssrc: number;
	/** Payload type. Default 111 (opus) for audio, 96 (VP8) for video in TestHandle.sendRtp. */
	pt?: number;
	marker?: boolean;
	payload?: Uint8Array;
}

export interface RtpHeader { seq: number; ts: number; ssrc: number; pt: number; marker: boolean; payload: Buffer }

/** A minimal RTP packet (version 2, no CSRC, no extension). */
export function buildRtp(f: RtpFields): Buffer {
	const payload = Buffer.from(f.payload ?? Buffer.alloc(20, 0xab));
	const b = Buffer.alloc(12 + payload.length);
	b[0] = 0x80;
	b[1] = ((f.marker ? 1 : 0) << 7) | ((f.pt ?? 96) & 0x7f);
	b.writeUInt16BE(f.seq & 0xffff, 2);
	b.writeUInt32BE(f.ts >>> 0, 4);
	b.writeUInt32BE(f.ssrc >>> 0, 8);
	payload.copy(b, 12);
	return b;
}

/** Reads the fixed header (and the payload after CSRCs/extension) of an RTP packet. */
export function parseRtp(p: Uint8Array): RtpHeader {
	const b = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
	let off = 12 + (b[0] & 0x0f) * 4;
	if (b[0] & 0x10) off += 4 + b.readUInt16BE(off + 2) * 4;
	return {
		seq: b.readUInt16BE(2), ts: b.readUInt32BE(4), ssrc: b.readUInt32BE(8),
		pt: b[1] & 0x7f, marker: (b[1] & 0x80) !== 0, payload: Buffer.from(b.subarray(off)),
	};
}

/** RTCP PLI (PT 206, FMT 1). */
export function buildPli(senderSsrc = 1, mediaSsrc = 0): Buffer {
	const b = Buffer.alloc(12);
	b[0] = 0x81; b[1] = 206; b.writeUInt16BE(2, 2);
	b.writeUInt32BE(senderSsrc >>> 0, 4); b.writeUInt32BE(mediaSsrc >>> 0, 8);
	return b;
}

/** RTCP FIR (PT 206, FMT 4) with one entry. */
export function buildFir(senderSsrc = 1, mediaSsrc = 0, seqNr = 1): Buffer {
	const b = Buffer.alloc(20);
	b[0] = 0x84; b[1] = 206; b.writeUInt16BE(4, 2);
	b.writeUInt32BE(senderSsrc >>> 0, 4); b.writeUInt32BE(0, 8);
	b.writeUInt32BE(mediaSsrc >>> 0, 12); b[16] = seqNr & 0xff;
	return b;
}

/** RTCP REMB (PT 206, FMT 15, "REMB") announcing `bitrate` bps for `ssrcs`. */
export function buildRemb(bitrate: number, ssrcs: number[] = [0], senderSsrc = 1): Buffer {
	let exp = 0;
	let mantissa = Math.floor(bitrate);
	while (mantissa > 0x3ffff) { mantissa = Math.floor(mantissa / 2); exp++; }
	const b = Buffer.alloc(20 + 4 * ssrcs.length);
	b[0] = 0x8f; b[1] = 206; b.writeUInt16BE(b.length / 4 - 1, 2);
	b.writeUInt32BE(senderSsrc >>> 0, 4); b.writeUInt32BE(0, 8);
	b.write('REMB', 12, 'ascii');
	b[16] = ssrcs.length; b[17] = (exp << 2) | (mantissa >> 16); b.writeUInt16BE(mantissa & 0xffff, 18);
	ssrcs.forEach((s, i) => b.writeUInt32BE(s >>> 0, 20 + 4 * i));
	return b;
}
