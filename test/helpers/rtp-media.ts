/**
 * Builders of real-looking video/audio RTP for tests (own code from the RFCs): VP8 payload
 * descriptors and frame headers (RFC 7741), VP9 payload descriptors and uncompressed
 * headers (RFC 9628, VP9 bitstream §6.2), H.264 NAL units, STAP-A and FU-A (RFC 6184), and
 * RTP packets with one-byte or two-byte header extensions (RFC 8285), e.g. rid (RFC 8852)
 * and the audio level (RFC 6464). Used by the router unit tests and by the werift
 * simulcast publisher of the end-to-end tests.
 */

// ---- VP8 ----

export interface Vp8Descriptor {
  /** S: start of a partition (default true). */
  start?: boolean;
  /** Partition index (default 0). */
  pid?: number;
  /** N: non-reference frame. */
  nonRef?: boolean;
  picId?: number;
  /** 15-bit picture id (default true when picId is given). */
  longPicId?: boolean;
  tl0?: number;
  tid?: number;
  /** Y: layer sync. */
  sync?: boolean;
  keyIdx?: number;
}

export function vp8Descriptor(d: Vp8Descriptor): number[] {
  const hasX = d.picId !== undefined || d.tl0 !== undefined || d.tid !== undefined || d.keyIdx !== undefined;
  const out = [(hasX ? 0x80 : 0) | (d.nonRef ? 0x20 : 0) | ((d.start ?? true) ? 0x10 : 0) | ((d.pid ?? 0) & 0x07)];
  if (!hasX) return out;
  out.push((d.picId !== undefined ? 0x80 : 0) | (d.tl0 !== undefined ? 0x40 : 0)
    | (d.tid !== undefined ? 0x20 : 0) | (d.keyIdx !== undefined ? 0x10 : 0));
  if (d.picId !== undefined) {
    if (d.longPicId ?? true) out.push(0x80 | ((d.picId >> 8) & 0x7f), d.picId & 0xff);
    else out.push(d.picId & 0x7f);
  }
  if (d.tl0 !== undefined) out.push(d.tl0 & 0xff);
  if (d.tid !== undefined || d.keyIdx !== undefined) {
    out.push(((d.tid ?? 0) << 6) | (d.sync ? 0x20 : 0) | ((d.keyIdx ?? 0) & 0x1f));
  }
  return out;
}

/**
 * VP8 frame data of a frame's first packet: the 3-byte frame tag (P = 0 for a key frame,
 * show_frame = 1) and, for a key frame, the start code and the size (little endian).
 */
export function vp8FrameHeader(key: boolean, width = 320, height = 180, partitionSize = 100): number[] {
  const tag = (partitionSize << 5) | 0x10 | (key ? 0 : 1);
  const out = [tag & 0xff, (tag >> 8) & 0xff, (tag >> 16) & 0xff];
  if (key) out.push(0x9d, 0x01, 0x2a, width & 0xff, (width >> 8) & 0x3f, height & 0xff, (height >> 8) & 0x3f);
  return out;
}

/** A VP8 payload: descriptor, then (at a partition-0 start) the frame header, then `data`. */
export function vp8Payload(d: Vp8Descriptor, key = false, data: Uint8Array = filler(40)): Uint8Array {
  const head = vp8Descriptor(d);
  if ((d.start ?? true) && (d.pid ?? 0) === 0) head.push(...vp8FrameHeader(key));
  return concatBytes(Uint8Array.from(head), data);
}

// ---- VP9 ----

export interface Vp9Descriptor {
  /** B: first packet of a layer frame (default true). */
  start?: boolean;
  /** E: last packet of a layer frame (default true). */
  end?: boolean;
  /** P: inter-picture predicted (default true). */
  inter?: boolean;
  /** F: flexible mode. */
  flexible?: boolean;
  picId?: number;
  longPicId?: boolean;
  /** Layer indices (L) when tid or sid is given. */
  tid?: number;
  switchUp?: boolean;
  sid?: number;
  interLayer?: boolean;
  /** Non-flexible mode TL0PICIDX (default 0). */
  tl0?: number;
  /** Flexible mode reference indices (P_DIFF, up to 3). */
  pdiffs?: number[];
  /** Scalability structure (V). */
  ss?: { spatialLayers: number; sizes?: boolean; group?: { tid: number; switchUp?: boolean; pdiffs: number[] }[] };
  /** Z: not a reference for upper spatial layers. */
  notUpperRef?: boolean;
}

export function vp9Descriptor(d: Vp9Descriptor): number[] {
  const layers = d.tid !== undefined || d.sid !== undefined;
  const inter = d.inter ?? true;
  const out = [(d.picId !== undefined ? 0x80 : 0) | (inter ? 0x40 : 0) | (layers ? 0x20 : 0)
    | (d.flexible ? 0x10 : 0) | ((d.start ?? true) ? 0x08 : 0) | ((d.end ?? true) ? 0x04 : 0)
    | (d.ss ? 0x02 : 0) | (d.notUpperRef ? 0x01 : 0)];
  if (d.picId !== undefined) {
    if (d.longPicId ?? true) out.push(0x80 | ((d.picId >> 8) & 0x7f), d.picId & 0xff);
    else out.push(d.picId & 0x7f);
  }
  if (layers) {
    out.push(((d.tid ?? 0) << 5) | (d.switchUp ? 0x10 : 0) | (((d.sid ?? 0) & 7) << 1) | (d.interLayer ? 1 : 0));
    if (!d.flexible) out.push((d.tl0 ?? 0) & 0xff);
  }
  if (d.flexible && inter) {
    const p = d.pdiffs ?? [1];
    p.forEach((diff, i) => out.push(((diff & 0x7f) << 1) | (i < p.length - 1 ? 1 : 0)));
  }
  if (d.ss) {
    const g = d.ss.group;
    out.push(((d.ss.spatialLayers - 1) << 5) | (d.ss.sizes ? 0x10 : 0) | (g ? 0x08 : 0));
    if (d.ss.sizes) {
      for (let i = 0; i < d.ss.spatialLayers; i++) {
        const w = 320 << i, h = 180 << i;
        out.push(w >> 8, w & 0xff, h >> 8, h & 0xff);
      }
    }
    if (g) {
      out.push(g.length);
      for (const f of g) {
        out.push((f.tid << 5) | (f.switchUp ? 0x10 : 0) | (f.pdiffs.length << 2));
        out.push(...f.pdiffs);
      }
    }
  }
  return out;
}

/**
 * The start of a VP9 uncompressed header: frame_marker, profile, show_existing_frame,
 * frame_type (0 key), show_frame, error_resilient_mode, and for a key frame the sync code.
 */
export function vp9FrameHeader(kind: 'key' | 'inter' | 'show-existing', profile = 0): number[] {
  const bits: number[] = [1, 0, profile & 1, profile >> 1];
  if (profile === 3) bits.push(0);
  if (kind === 'show-existing') bits.push(1, 0, 1, 1);
  else bits.push(0, kind === 'key' ? 0 : 1, 1, 0);
  if (kind === 'key') for (const byte of [0x49, 0x83, 0x42]) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  while (bits.length % 8) bits.push(0);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  return out;
}

/** A VP9 payload: descriptor, then (at a layer-frame start) the frame header, then `data`. */
export function vp9Payload(d: Vp9Descriptor, kind: 'key' | 'inter' = 'inter', data: Uint8Array = filler(40)): Uint8Array {
  const head = vp9Descriptor(d);
  if (d.start ?? true) head.push(...vp9FrameHeader(kind));
  return concatBytes(Uint8Array.from(head), data);
}

// ---- H.264 ----

export const NAL = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9, STAP_A: 24, FU_A: 28, FU_B: 29 } as const;

/**
 * A NAL unit: header (F = 0, NRI 3) and body. Slices (1, 5) start with first_mb_in_slice:
 * `firstMb` 0 is the single bit 1, any other value a longer ue(v) code starting with 0.
 */
export function nalUnit(type: number, bodyLength = 20, firstMb = 0): Uint8Array {
  const b = new Uint8Array(1 + bodyLength);
  b[0] = 0x60 | type;
  for (let i = 1; i < b.length; i++) b[i] = (i * 37) & 0xff;
  if (type === NAL.SLICE || type === NAL.IDR) b[1] = firstMb === 0 ? 0x88 : 0x40; // '1...' or '010' (ue 1)
  return b;
}

/** STAP-A aggregating `nals`. */
export function stapA(nals: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x60 | NAL.STAP_A)];
  for (const n of nals) parts.push(Uint8Array.of(n.length >> 8, n.length & 0xff), n);
  return concatBytes(...parts);
}

/** FU-A (or FU-B with a DON) fragment `[from, to)` of NAL unit `nal`'s body. */
export function fuA(nal: Uint8Array, from: number, to: number, opts: { b?: boolean } = {}): Uint8Array {
  const start = from === 0, end = to >= nal.length - 1;
  const type = nal[0] & 0x1f;
  const head = [(nal[0] & 0xe0) | (opts.b ? NAL.FU_B : NAL.FU_A), (start ? 0x80 : 0) | (end ? 0x40 : 0) | type];
  if (opts.b) head.push(0, 1);
  return concatBytes(Uint8Array.from(head), nal.subarray(1 + from, 1 + to));
}

// ---- RTP ----

export interface ExtElement { id: number; data: Uint8Array | number[] }

export interface RtpFields {
  seq?: number; ts?: number; ssrc?: number; pt?: number; marker?: boolean;
  csrcs?: number;
  /** Header extension elements and their form (default one-byte when every id ≤ 14 and data ≤ 16 bytes). */
  ext?: ExtElement[];
  extForm?: 'one-byte' | 'two-byte';
  padding?: number;
}

/** Header-extension block (profile, length, elements, zero padding to a word). */
export function extensionBlock(elements: ExtElement[], form?: 'one-byte' | 'two-byte'): Uint8Array {
  const two = form === 'two-byte' || (form === undefined && elements.some((e) => e.id > 14 || e.data.length > 16 || e.data.length === 0));
  const body: number[] = [];
  for (const e of elements) {
    const data = Array.from(e.data);
    if (two) body.push(e.id, data.length, ...data);
    else body.push((e.id << 4) | (data.length - 1), ...data);
  }
  while (body.length % 4) body.push(0);
  const words = body.length / 4;
  return Uint8Array.from([two ? 0x10 : 0xbe, two ? 0x00 : 0xde, words >> 8, words & 0xff, ...body]);
}

/** An RTP packet around `payload`. */
export function rtp(f: RtpFields, payload: Uint8Array): Uint8Array {
  const cc = f.csrcs ?? 0, pad = f.padding ?? 0;
  const ext = f.ext ? extensionBlock(f.ext, f.extForm) : new Uint8Array(0);
  const head = new Uint8Array(12 + cc * 4);
  const dv = new DataView(head.buffer);
  head[0] = 0x80 | (pad ? 0x20 : 0) | (f.ext ? 0x10 : 0) | cc;
  head[1] = (f.marker ? 0x80 : 0) | ((f.pt ?? 96) & 0x7f);
  dv.setUint16(2, (f.seq ?? 0) & 0xffff);
  dv.setUint32(4, (f.ts ?? 0) >>> 0);
  dv.setUint32(8, (f.ssrc ?? 0x1234) >>> 0);
  const padding = new Uint8Array(pad);
  if (pad) padding[pad - 1] = pad;
  return concatBytes(head, ext, payload, padding);
}

/** Audio level element data: level 0..127 (-dBov), voice activity bit. */
export const audioLevelData = (level: number, vad = false): number[] => [(vad ? 0x80 : 0) | (level & 0x7f)];
/** rid / mid element data: the ASCII string. */
export const sdesData = (s: string): number[] => Array.from(Buffer.from(s, 'ascii'));

// ---- bytes ----

export function filler(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 13) & 0xff;
  return b;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export interface RtpView { seq: number; ts: number; ssrc: number; marker: boolean; pt: number; payloadOffset: number; payload: Uint8Array }

/** Header fields and payload of an RTP packet (no validation beyond what the offsets need). */
export function parseRtp(b: Uint8Array): RtpView {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = 12 + (b[0] & 0x0f) * 4;
  if (b[0] & 0x10) off += 4 + dv.getUint16(off + 2) * 4;
  const end = b[0] & 0x20 ? b.length - b[b.length - 1] : b.length;
  return {
    seq: dv.getUint16(2), ts: dv.getUint32(4), ssrc: dv.getUint32(8), marker: (b[1] & 0x80) !== 0,
    pt: b[1] & 0x7f, payloadOffset: off, payload: b.subarray(off, end),
  };
}

/** Picture id and TL0PICIDX of a VP8 payload descriptor (-1 when absent). */
export function vp8Ids(payload: Uint8Array): { picId: number; tl0: number; tid: number } {
  let picId = -1, tl0 = -1, tid = -1, o = 1;
  if (payload[0] & 0x80) {
    const x = payload[1];
    o = 2;
    if (x & 0x80) {
      if (payload[o] & 0x80) { picId = ((payload[o] & 0x7f) << 8) | payload[o + 1]; o += 2; } else { picId = payload[o]; o += 1; }
    }
    if (x & 0x40) tl0 = payload[o++];
    if (x & 0x20) tid = payload[o] >> 6;
  }
  return { picId, tl0, tid };
}
