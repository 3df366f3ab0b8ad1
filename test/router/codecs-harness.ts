// Loads the test-only router-codecs.wasm (router-as/test-entry.ts: the codec parsers and the
// layer/talk state machines of router-as/codecs and router-as/media) with its raw exports.
// Packets are placed at the very end of linear memory, so a read past a packet's last byte
// traps (a failed test) instead of reading a neighbour. Records live in the static scratch
// area, handed out by a bump allocator per instance.

import * as path from "node:path";
import { readWasm, repoRoot } from "./router-harness";

export interface CodecExports {
  memory: WebAssembly.Memory;
  scratch(): number; scratch_size(): number; res(): number; mem_end(): number;
  t_payload(p: number, len: number): number;
  t_find_ext(p: number, len: number, id: number): number;
  t_audio_level(p: number, len: number, id: number): number;
  t_h264(pl: number, plen: number): number;
  t_vp8(pl: number, plen: number): number;
  t_vp8_rewrite(pl: number, id: number, tl0: number): void;
  t_vp9(pl: number, plen: number): number;
  t_sender_reset(r: number): void;
  t_sender_codec(r: number, codec: number): number;
  t_sender_ssrc(r: number, i: number, ssrc: number): number;
  t_sender_rid(r: number, i: number, src: number, n: number, ext: number): number;
  t_sender_malformed(r: number): bigint;
  t_describe(r: number, p: number, len: number, now: bigint, timeout: bigint): number;
  t_layers_reset(r: number): void;
  t_layers_targets(r: number, sub: number, temporal: number, spatial: number): number;
  t_layers_state(r: number): void;
  t_switch_reset(t: number): void;
  t_switch_size(): number;
  t_forward(r: number, t: number, src: number, len: number, dst: number, now: bigint, reask: bigint): number;
  t_talk_config(r: number, window: number, threshold: number): number;
  t_talk_reset(r: number): void;
  t_talk_update(r: number, level: number, now: bigint): number;
  t_talk_talking(r: number): number;
  t_talk_average(r: number): number;
  t_talk_score(r: number, now: bigint, maxAge: bigint): number;
}

export const codecsWasmPath = (): string => path.join(repoRoot(), "router-as", "build", "router-codecs.wasm");

export const Codec = { NONE: 0, VP8: 1, VP9: 2, H264: 3 } as const;
export const Pk = { OK: 0, MALFORMED: -1, UNKNOWN: -2 } as const;
export const L = {
  RELAY: 1, SHIFT: 2, SWITCHED: 4, TEMPORAL: 8, SPATIAL: 16, ASK_KEYFRAME: 32, MARKER: 64,
} as const;
export const H264 = { DELTA: 0, KEY: 1, MALFORMED: -1 } as const;
export const Talk = { NONE: 0, STARTED: 1, STOPPED: 2 } as const;
export const NONE = 255;

/** A fresh instance of the test module with helpers. */
export class Codecs {
  readonly x: CodecExports;
  #next: number;
  #end: number;

  private constructor(x: CodecExports) {
    this.x = x;
    this.#next = x.scratch();
    this.#end = x.scratch() + x.scratch_size();
  }

  static async create(): Promise<Codecs> {
    const { instance } = await WebAssembly.instantiate(readWasm(codecsWasmPath()), {});
    return new Codecs(instance.exports as unknown as CodecExports);
  }

  get u8(): Uint8Array { return new Uint8Array(this.x.memory.buffer); }

  /** `n` bytes of scratch memory (zeroed), 8-aligned. */
  alloc(n: number): number {
    const p = (this.#next + 7) & ~7;
    if (p + n > this.#end) throw new Error("codecs scratch area exhausted");
    this.#next = p + n;
    this.u8.fill(0, p, p + n);
    return p;
  }

  /** Copies `bytes` to the end of memory; returns their address. */
  place(bytes: Uint8Array): number {
    const p = this.x.mem_end() - bytes.length;
    this.u8.set(bytes, p);
    return p;
  }

  /** `n` i32 results of the last parse. */
  res(n: number): number[] {
    const dv = new DataView(this.x.memory.buffer);
    return Array.from({ length: n }, (_, i) => dv.getInt32(this.x.res() + i * 4, true));
  }

  bytes(p: number, n: number): Uint8Array { return this.u8.slice(p, p + n); }

  vp8(payload: Uint8Array): { rc: number; start: boolean; key: boolean; picId: number; long: boolean; picIdOff: number; tl0: number; tl0Off: number; tid: number; sync: boolean } {
    const rc = this.x.t_vp8(this.place(payload), payload.length);
    const [start, key, picId, long, picIdOff, tl0, tl0Off, tid, sync] = this.res(9);
    return { rc, start: !!start, key: !!key, picId, long: !!long, picIdOff, tl0, tl0Off, tid, sync: !!sync };
  }

  vp9(payload: Uint8Array): { rc: number; start: boolean; end: boolean; inter: boolean; flexible: boolean; hasLayers: boolean; tid: number; sid: number; switchUp: boolean; interLayer: boolean; picId: number; key: boolean } {
    const rc = this.x.t_vp9(this.place(payload), payload.length);
    const [start, end, inter, flexible, hasLayers, tid, sid, switchUp, interLayer, picId, key] = this.res(11);
    return {
      rc, start: !!start, end: !!end, inter: !!inter, flexible: !!flexible, hasLayers: !!hasLayers, tid, sid,
      switchUp: !!switchUp, interLayer: !!interLayer, picId, key: !!key,
    };
  }

  h264(payload: Uint8Array): number { return this.x.t_h264(this.place(payload), payload.length); }
}
