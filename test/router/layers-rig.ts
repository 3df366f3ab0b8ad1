// A test rig for the layer selection of router-codecs.wasm: one sender record, any number
// of recipients (layers record + switching context each), a simulated clock, and
// generators of simulcast (VP8 / H.264) and VP9 SVC streams with real payload descriptors.
// Each packet is described once and forwarded to every recipient, as the router will.

import { Codecs, Codec, L } from "./codecs-harness";
import {
  rtp, vp8Payload, vp9Payload, nalUnit, stapA, fuA, NAL, parseRtp, vp8Ids, sdesData, filler,
  type ExtElement,
} from "../helpers/rtp-media";

export const SENDER_SIZE = 104;
export const LAYERS_SIZE = 32;

/** What a recipient got for one packet. */
export interface Out {
  flags: number;
  /** The relayed copy's fields (undefined when dropped). */
  pkt?: { ssrc: number; seq: number; ts: number; marker: boolean; picId: number; tl0: number; tid: number; payload: Uint8Array };
  /** The input packet's tag (substream, frame, packet index, key). */
  tag: Tag;
}

export interface Tag { sub: number; frame: number; index: number; key: boolean; tid: number; sid: number }

export class Recipient {
  readonly outs: Out[] = [];
  constructor(readonly layers: number, readonly sw: number) {}
  relayed(): Out[] { return this.outs.filter((o) => o.pkt); }
  flagged(bit: number): Out[] { return this.outs.filter((o) => o.flags & bit); }
}

export class LayerRig {
  now = 0;
  timeout = 250;
  reask = 1000;
  readonly sender: number;
  readonly recipients: Recipient[] = [];
  readonly describeCodes: number[] = [];
  #dst: number;

  private constructor(readonly c: Codecs, codec: number) {
    this.sender = c.alloc(SENDER_SIZE);
    c.x.t_sender_reset(this.sender);
    c.x.t_sender_codec(this.sender, codec);
    this.#dst = c.alloc(4096);
  }

  static async create(codec: number = Codec.VP8): Promise<LayerRig> {
    return new LayerRig(await Codecs.create(), codec);
  }

  ssrcs(list: number[]): this {
    list.forEach((s, i) => { if (!this.c.x.t_sender_ssrc(this.sender, i, s)) throw new Error("ssrc refused"); });
    return this;
  }

  rids(list: string[], extId: number): this {
    list.forEach((rid, i) => {
      const p = this.c.alloc(16);
      this.c.u8.set(Buffer.from(rid, "ascii"), p);
      if (!this.c.x.t_sender_rid(this.sender, i, p, rid.length, extId)) throw new Error(`rid ${rid} refused`);
    });
    return this;
  }

  recipient(targets?: { sub?: number; temporal?: number; spatial?: number }): Recipient {
    const r = new Recipient(this.c.alloc(LAYERS_SIZE), this.c.alloc(this.c.x.t_switch_size()));
    this.c.x.t_layers_reset(r.layers);
    this.c.x.t_switch_reset(r.sw);
    if (targets) this.target(r, targets);
    this.recipients.push(r);
    return r;
  }

  target(r: Recipient, t: { sub?: number; temporal?: number; spatial?: number }): void {
    if (!this.c.x.t_layers_targets(r.layers, t.sub ?? 2, t.temporal ?? 2, t.spatial ?? 2)) throw new Error("targets refused");
  }

  /** [substream, temporal, spatial] now relayed to `r` (255 = none). */
  state(r: Recipient): number[] { this.c.x.t_layers_state(r.layers); return this.c.res(3); }

  malformed(): number { return Number(this.c.x.t_sender_malformed(this.sender)); }

  /** Describes `pkt` at time `now` and forwards it to every recipient; returns the describe code. */
  send(pkt: Uint8Array, tag: Tag): number {
    const src = this.c.place(pkt);
    const rc = this.c.x.t_describe(this.sender, src, pkt.length, BigInt(this.now), BigInt(this.timeout));
    this.describeCodes.push(rc);
    if (rc !== 0) return rc;
    for (const r of this.recipients) {
      const flags = this.c.x.t_forward(r.layers, r.sw, src, pkt.length, this.#dst, BigInt(this.now), BigInt(this.reask));
      const out: Out = { flags, tag };
      if (flags & L.RELAY) {
        const copy = this.c.bytes(this.#dst, pkt.length);
        const v = parseRtp(copy);
        const ids = vp8Ids(v.payload);
        out.pkt = { ssrc: v.ssrc, seq: v.seq, ts: v.ts, marker: v.marker, payload: v.payload, ...ids };
      }
      r.outs.push(out);
    }
    return rc;
  }
}

/** One RTP stream's running numbers. */
interface Numbers { ssrc: number; seq: number; ts: number; picId: number; tl0: number; frame: number }

export interface SimulcastOptions {
  ssrcs?: number[];
  codec?: "vp8" | "h264";
  /** VP8 temporal layers (L1T3 pattern 0,2,1,2) in the descriptors. Default true. */
  temporal?: boolean;
  /** 15-bit picture ids (default) or 7-bit. */
  longPicId?: boolean;
  /** Starting numbers per substream (default: distinct values). */
  start?: Partial<Numbers>[];
  /** rid header extension (id, rids lowest first) on every packet instead of known SSRCs. */
  rid?: { id: number; rids: string[] };
  /** Packets per frame (default 2). */
  packets?: number;
}

const TL_PATTERN = [0, 2, 1, 2];
/** Frames at these positions of the pattern depend only on temporal layer 0 (layer sync). */
const SYNC_AT = [false, true, true, false];

/** Three simulcast substreams with their own SSRC, seq, timestamp and picture ids. */
export class SimulcastSource {
  readonly streams: Numbers[];
  constructor(readonly o: SimulcastOptions = {}) {
    const ssrcs = o.ssrcs ?? [0x1000, 0x2000, 0x3000];
    this.streams = ssrcs.map((ssrc, i) => ({
      ssrc, seq: 1000 * (i + 1), ts: 100000 * (i + 1), picId: 300 * (i + 1), tl0: 10 * (i + 1), frame: 0,
      ...(o.start?.[i] ?? {}),
    }));
  }

  /** The packets of the next frame of substream `sub` (a keyframe if `key`). */
  frame(sub: number, key = false): { pkt: Uint8Array; tag: Tag }[] {
    const st = this.streams[sub];
    const n = this.o.packets ?? 2;
    const temporal = this.o.temporal ?? true;
    const pos = key ? 0 : st.frame % 4;
    if (key) st.frame = 0; // a keyframe restarts the temporal pattern
    const tid = temporal ? TL_PATTERN[pos] : -1;
    if (tid === 0) st.tl0 = (st.tl0 + 1) & 0xff;
    const out: { pkt: Uint8Array; tag: Tag }[] = [];
    const payloads = this.o.codec === "h264" ? this.h264Frame(key, n) : this.vp8Frame(st, key, n, tid, pos);
    payloads.forEach((payload, index) => {
      const ext: ExtElement[] | undefined = this.o.rid ? [{ id: this.o.rid.id, data: sdesData(this.o.rid.rids[sub]) }] : undefined;
      const pkt = rtp({ seq: st.seq, ts: st.ts, ssrc: st.ssrc, marker: index === payloads.length - 1, ext }, payload);
      st.seq = (st.seq + 1) & 0xffff;
      out.push({ pkt, tag: { sub, frame: st.frame, index, key, tid, sid: -1 } });
    });
    st.ts = (st.ts + 3000) >>> 0;
    st.picId = (st.picId + 1) & (this.o.longPicId === false ? 0x7f : 0x7fff);
    st.frame++;
    return out;
  }

  private vp8Frame(st: Numbers, key: boolean, n: number, tid: number, pos: number): Uint8Array[] {
    const d = { picId: st.picId, longPicId: this.o.longPicId ?? true, tl0: tid >= 0 ? st.tl0 : undefined,
      tid: tid >= 0 ? tid : undefined, sync: tid > 0 && SYNC_AT[pos] };
    return Array.from({ length: n }, (_, i) => vp8Payload({ ...d, start: i === 0 }, key && i === 0, filler(30, st.frame + i)));
  }

  private h264Frame(key: boolean, n: number): Uint8Array[] {
    const slice = nalUnit(key ? NAL.IDR : NAL.SLICE, 30 * n);
    const out: Uint8Array[] = [];
    if (key) out.push(stapA([nalUnit(NAL.SPS, 10), nalUnit(NAL.PPS, 4)]));
    if (n === 1) out.push(slice);
    else for (let i = 0; i < n; i++) out.push(fuA(slice, i * 30, (i + 1) * 30));
    return out;
  }
}

/** Sends one frame time: a frame of each listed substream (keyframes where `keys` says). */
export function sendFrames(rig: LayerRig, src: SimulcastSource, subs: number[], keys: number[] = []): void {
  for (const s of subs) for (const { pkt, tag } of src.frame(s, keys.includes(s))) rig.send(pkt, tag);
}

/** Frame times of 33 ms: `count` frames of `subs` each, advancing the clock first. */
export function run(rig: LayerRig, src: SimulcastSource, count: number, subs: number[] = [0, 1, 2], keys: number[] = []): void {
  for (let i = 0; i < count; i++) {
    rig.now += 33;
    sendFrames(rig, src, subs, i === 0 ? keys : []);
  }
}

export interface SvcOptions { ssrc?: number; spatialLayers?: number; seq?: number; picId?: number }

/**
 * A VP9 SVC stream (one SSRC): each picture carries one layer frame per spatial layer
 * (2 packets each), temporal pattern 0,2,1,2 with U on layer-sync pictures; a key picture
 * has P = 0 on every layer and a key frame at SID 0. The RTP marker ends the picture.
 */
export class SvcSource {
  ssrc: number; seq: number; ts = 5000; picId: number; tl0 = 0; frame = 0;
  readonly layers: number;
  constructor(o: SvcOptions = {}) {
    this.ssrc = o.ssrc ?? 0x9000; this.seq = o.seq ?? 100; this.picId = o.picId ?? 50; this.layers = o.spatialLayers ?? 3;
  }

  /** The packets of the next picture; `upSwitch` makes SID ≥ 1 frames P = 0 (an up-switch point). */
  picture(key = false, upSwitch = false): { pkt: Uint8Array; tag: Tag }[] {
    const pos = key ? 0 : this.frame % 4;
    if (key) this.frame = 0;
    const tid = TL_PATTERN[pos];
    if (tid === 0) this.tl0 = (this.tl0 + 1) & 0xff;
    const out: { pkt: Uint8Array; tag: Tag }[] = [];
    for (let sid = 0; sid < this.layers; sid++) {
      for (let i = 0; i < 2; i++) {
        const inter = !(key || (upSwitch && sid > 0));
        const payload = vp9Payload({
          start: i === 0, end: i === 1, inter, picId: this.picId, tid, switchUp: tid > 0 && SYNC_AT[pos], sid,
          interLayer: sid > 0, tl0: this.tl0,
        }, key && sid === 0 ? "key" : "inter", filler(30, sid * 2 + i));
        const pkt = rtp({ seq: this.seq, ts: this.ts, ssrc: this.ssrc, marker: sid === this.layers - 1 && i === 1 }, payload);
        this.seq = (this.seq + 1) & 0xffff;
        out.push({ pkt, tag: { sub: -1, frame: this.frame, index: i, key: key && sid === 0 && i === 0, tid, sid } });
      }
    }
    this.ts = (this.ts + 3000) >>> 0;
    this.picId = (this.picId + 1) & 0x7fff;
    this.frame++;
    return out;
  }
}

/** Sends `count` pictures of `src` 33 ms apart (the first a key picture if `key`). */
export function runSvc(rig: LayerRig, src: SvcSource, count: number, key = false, upSwitch = false): void {
  for (let i = 0; i < count; i++) {
    rig.now += 33;
    for (const { pkt, tag } of src.picture(key && i === 0, upSwitch && i === 0)) rig.send(pkt, tag);
  }
}

/** Asserts helper: successive differences modulo `mod` of a sequence. */
export function steps(values: number[], mod: number): number[] {
  return values.slice(1).map((v, i) => (v - values[i] + mod) % mod);
}
