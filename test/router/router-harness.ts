// Loads the real release router (router-as/build/router.wasm) with its raw exports and
// speaks its ABI (docs/router-abi.md): a shared memory and a sync import, packets into
// in_ptr (what the C host copies), decision records and counter snapshots out of linear
// memory. Shared by the router tests and the benchmarks. One instance, one thread: `sync`
// has nothing to wait for and only counts its calls.

import * as fs from "node:fs";
import * as path from "node:path";
import type { RouterExports, SimulcastConfig } from "janus-ts/dist/src/testing/router";
import { writeCodecsBlob, writeSimulcastBlob } from "janus-ts/dist/src/testing/router";

// ABI constants: the test kit's (control-ts/src/testing/router.ts, the ABI's other JS user)
// under the short names these tests use, plus the codes only tests need (abi.test.ts checks
// the exported version).
import * as kit from "janus-ts/dist/src/testing/router";
export const ABI_VERSION = kit.ROUTER_ABI_VERSION;
export const MAX_STREAMS = kit.MAX_STREAMS;
export const EVERY = kit.EVERY_STREAM;
export const Kind = kit.Kind;
export const Flag = kit.Flag;
export const PacketInfo = kit.PacketInfo;
export const Ev = kit.Event;
export const EvFlag = kit.EventFlag;
export const FWD_ANY = kit.FWD_ANY;
export const Err = kit.RouterError;
export const State = kit.StateBit;
export const RTP_HEAD_CAP = kit.RTP_HEAD_CAP;
export const RTP_TAIL_AT = kit.RTP_TAIL_AT;
export const MEMORY_PAGES = kit.MEMORY_PAGES;
export const Layer = { SUBSTREAM: 0, TEMPORAL: 1, SPATIAL: 2 } as const;
export const Medium = { AUDIO: 0, VIDEO: 1, DATA: 2 } as const;
export const Dir = { IN: 0, OUT: 1 } as const;
export const Drop = { MALFORMED: -10, BAD_SLOT: -11, VALVE: -12, OVERSIZE: -13, NOT_STARTED: -14, UNKNOWN_SUBSTREAM: -15 } as const;
/** Stream descriptor bits of set_streams (one byte per m-line). */
export const Sd = { AUDIO: 0, VIDEO: 1, DATA: 2, OTHER: 3, ACTIVE: 4, SEND: 8, RECV: 16 } as const;
/** session_state bit of a valve. */
export const valveBit = (medium: number, dir: number): number => 1 << (8 + dir * 3 + medium);

/** The raw exports, declared once with the test kit's router binding (the ABI's other JS user). */
export type { RouterExports };

export interface Decision { kind: number; mindex: number; seq: number; slot: number; b1: number; ts: number; flags: number }
export interface Route { srcMindex: number; dstMindex: number; dstSlot: number }

export const SESSION_COUNTERS = ["rtp_in", "rtp_bytes_in", "rtp_out", "rtp_bytes_out", "rtcp_in", "data_in",
  "data_out", "plis_sent", "drops_valve", "drops_malformed", "drops_closed", "drops_nostream"] as const;
export const STREAM_COUNTERS = ["packets_in", "bytes_in", "packets_out", "bytes_out", "drops_valve", "switches", "drops_substream"] as const;
export const GLOBAL_COUNTERS = ["calls", "drops_malformed", "drops_bad_slot", "drops_oversize", "decisions"] as const;
export type Counters<K extends readonly string[]> = Record<K[number], number>;

/** Folder holding asconfig.json, found upwards from this file (works from build/ too). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "asconfig.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no asconfig.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}
export const releaseWasmPath = (): string => path.join(repoRoot(), "router-as", "build", "router.wasm");
export const debugWasmPath = (): string => path.join(repoRoot(), "router-as", "build", "router.debug.wasm");

/** Reads a .wasm file, with a hint when it has not been built. */
export function readWasm(file = releaseWasmPath()): Uint8Array {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npx asc --config asconfig.json --target release`);
  return fs.readFileSync(file);
}

/** What an instance imports: the shared memory and the host's grace period. */
export interface RouterImports { memory: WebAssembly.Memory; sync: () => void }
export function newImports(): RouterImports & { syncs: number } {
  const imports = {
    memory: new WebAssembly.Memory({ ...MEMORY_PAGES, shared: true }),
    syncs: 0,
    sync: () => { imports.syncs++; },
  };
  return imports;
}

/** A fresh router instance on a new (or the given) shared memory, not configured. */
export async function instantiateRouter(file = releaseWasmPath(), imports: RouterImports = newImports()): Promise<RouterExports> {
  const { instance } = await WebAssembly.instantiate(readWasm(file), { env: { memory: imports.memory, sync: imports.sync } });
  return instance.exports as unknown as RouterExports;
}

/** A configured router with helpers. `now` is the simulated clock passed to packet calls. */
export class Router {
  readonly x: RouterExports;
  inPtr = 0; outPtr = 0; inCap = 0; outCap = 0;
  now = 0n;
  private u8!: Uint8Array;
  private dv!: DataView;

  readonly imports: ReturnType<typeof newImports>;

  constructor(x: RouterExports, imports: ReturnType<typeof newImports>) { this.x = x; this.imports = imports; }

  /** configure(maxSessions, maxRoutes, 1 thread, maxForwarders) and attach(0). */
  static async create(maxSessions = 64, maxRoutes = 64, file?: string, maxForwarders = 16): Promise<Router> {
    const imports = newImports();
    const r = new Router(await instantiateRouter(file, imports), imports);
    const rc = r.x.configure(maxSessions, maxRoutes, 1, maxForwarders);
    if (rc !== 0) throw new Error(`configure(${maxSessions}, ${maxRoutes}, 1, ${maxForwarders}) returned ${rc}`);
    const ra = r.x.attach(0);
    if (ra !== 0) throw new Error(`attach(0) returned ${ra}`);
    r.refresh();
    return r;
  }

  /** How many times the router asked the host for a grace period. */
  get syncs(): number { return this.imports.syncs; }

  /** Re-reads pointers and memory views (after configure, which grows memory). */
  refresh(): void {
    this.inPtr = this.x.in_ptr(); this.outPtr = this.x.out_ptr();
    this.inCap = this.x.in_cap(); this.outCap = this.x.out_cap();
    this.u8 = new Uint8Array(this.x.memory.buffer);
    this.dv = new DataView(this.x.memory.buffer);
  }

  /** Opens a session; optionally starts it and opens all six valves (and the channel). */
  open(opts: { started?: boolean; valves?: boolean; dataReady?: boolean } = {}): number {
    const slot = this.x.session_open();
    if (slot < 0) throw new Error(`session_open returned ${slot}`);
    if (opts.started) this.x.session_start(slot);
    if (opts.valves) for (const m of [0, 1, 2]) for (const d of [0, 1]) this.x.set_valve(slot, m, d, 1);
    if (opts.dataReady) this.x.set_data_ready(slot, 1);
    return slot;
  }
  /** A started session with every valve open and the datachannel ready. */
  live(): number { return this.open({ started: true, valves: true, dataReady: true }); }

  /**
   * Gives a session its m-lines, e.g. streams(s, 'audio', 'video', '-video', 'data'): a kind
   * per m-line, '-' in front for a rejected one (port 0). Returns set_streams' code.
   */
  streams(slot: number, ...mlines: string[]): number {
    let lo = 0n, hi = 0n;
    mlines.forEach((spec, m) => {
      const active = !spec.startsWith("-");
      const kind = { audio: Sd.AUDIO, video: Sd.VIDEO, data: Sd.DATA }[spec.replace(/^-/, "")] ?? Sd.OTHER;
      const d = BigInt(kind | (active ? Sd.ACTIVE | Sd.SEND | Sd.RECV : 0));
      if (m < 8) lo |= d << BigInt(8 * m); else hi |= d << BigInt(8 * (m - 8));
    });
    return this.x.set_streams(slot, mlines.length, lo, hi);
  }

  /** Copies a packet whole (RTCP), as the host does, up to in_cap. */
  write(bytes: Uint8Array): void {
    this.u8.set(bytes.subarray(0, Math.min(bytes.length, this.inCap)), this.inPtr);
  }
  /** Copies what the host copies of an RTP packet: the head and the last byte. */
  writeRtp(bytes: Uint8Array): void {
    this.u8.set(bytes.subarray(0, Math.min(bytes.length, RTP_HEAD_CAP)), this.inPtr);
    if (bytes.length > 0) this.u8[this.inPtr + RTP_TAIL_AT] = bytes[bytes.length - 1];
  }
  /** `level`: the audio level the host passes (level | vad << 7), -1 without one. */
  rtp(slot: number, mindex: number, video: boolean, pkt: Uint8Array, len = pkt.length, level = -1): number {
    this.writeRtp(pkt);
    return this.x.rtp(slot, mindex, video ? 1 : 0, len, this.now, level);
  }
  rtcp(slot: number, mindex: number, video: boolean, pkt: Uint8Array, len = pkt.length): number {
    this.write(pkt);
    return this.x.rtcp(slot, mindex, video ? 1 : 0, len, this.now);
  }
  data(slot: number, len: number, binary = false): number {
    return this.x.data(slot, len, binary ? 1 : 0, this.now);
  }

  /** The n decision records of the last packet call (n < 0: none). */
  decisions(n: number): Decision[] {
    const out: Decision[] = [];
    for (let i = 0; i < n; i++) {
      const o = this.outPtr + i * 16;
      out.push({
        kind: this.u8[o], mindex: this.u8[o + 1], seq: this.dv.getUint16(o + 2, true),
        slot: this.dv.getUint16(o + 4, true), b1: this.u8[o + 6], ts: this.dv.getUint32(o + 8, true),
        flags: this.dv.getUint32(o + 12, true),
      });
    }
    return out;
  }
  /** rtp() then decisions(); throws with the drop code if the packet was dropped. */
  relay(slot: number, mindex: number, video: boolean, pkt: Uint8Array): Decision[] {
    const n = this.rtp(slot, mindex, video, pkt);
    if (n < 0) throw new Error(`rtp dropped the packet: ${n}`);
    return this.decisions(n);
  }

  /** set_simulcast with its blob (codec, rids, SSRCs lowest first); `{}` turns it off. */
  simulcast(slot: number, mindex: number, cfg: SimulcastConfig): number {
    writeSimulcastBlob(this.x.memory.buffer, this.inPtr, cfg);
    return this.x.set_simulcast(slot, mindex);
  }
  /** set_codecs with its blob: per m-line [payload type, codec id] pairs. */
  codecs(slot: number, mlines: [number, number][][]): number {
    return this.x.set_codecs(slot, writeCodecsBlob(this.x.memory.buffer, this.inPtr, mlines));
  }

  routes(slot: number): Route[] {
    const n = this.x.route_count(slot);
    const p = this.x.routes_ptr(slot);
    const out: Route[] = [];
    for (let i = 0; i < n; i++) {
      out.push({ srcMindex: this.u8[p + i * 4], dstMindex: this.u8[p + i * 4 + 1], dstSlot: this.dv.getUint16(p + i * 4 + 2, true) });
    }
    return out;
  }

  private counters<K extends readonly string[]>(ptr: number, names: K): Counters<K> {
    const out = {} as Record<string, number>;
    names.forEach((name, i) => { out[name] = Number(this.dv.getBigUint64(ptr + i * 8, true)); });
    return out as Counters<K>;
  }
  sessionStats(slot: number): Counters<typeof SESSION_COUNTERS> {
    return this.counters(this.x.session_stats(slot), SESSION_COUNTERS);
  }
  streamStats(slot: number, mindex: number): Counters<typeof STREAM_COUNTERS> {
    return this.counters(this.x.stream_stats(slot, mindex), STREAM_COUNTERS);
  }
  globalStats(): Counters<typeof GLOBAL_COUNTERS> {
    return this.counters(this.x.global_stats(), GLOBAL_COUNTERS);
  }
}

// ---- packet builders (network order) ----

export interface RtpSpec {
  seq?: number; ts?: number; ssrc?: number; pt?: number; marker?: boolean;
  csrcs?: number; extWords?: number; payload?: number; padding?: number;
}

/** An RTP packet: 12-byte header, CSRCs, an optional one-word-profile extension, payload, padding. */
export function rtpPacket(s: RtpSpec = {}): Uint8Array {
  const cc = s.csrcs ?? 0, ext = s.extWords, pad = s.padding ?? 0, payload = s.payload ?? 20;
  const len = 12 + cc * 4 + (ext !== undefined ? 4 + ext * 4 : 0) + payload + pad;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  b[0] = 0x80 | (pad > 0 ? 0x20 : 0) | (ext !== undefined ? 0x10 : 0) | cc;
  b[1] = (s.marker ? 0x80 : 0) | ((s.pt ?? 96) & 0x7f);
  dv.setUint16(2, (s.seq ?? 0) & 0xffff);
  dv.setUint32(4, (s.ts ?? 0) >>> 0);
  dv.setUint32(8, (s.ssrc ?? 0x1234) >>> 0);
  if (ext !== undefined) { const o = 12 + cc * 4; dv.setUint16(o, 0xbede); dv.setUint16(o + 2, ext); }
  if (pad > 0) b[len - 1] = pad;
  return b;
}

function rtcpHeader(b: Uint8Array, off: number, countOrFmt: number, pt: number, bytes: number): void {
  b[off] = 0x80 | countOrFmt;
  b[off + 1] = pt;
  new DataView(b.buffer, b.byteOffset).setUint16(off + 2, bytes / 4 - 1);
}
/** Receiver report with no report blocks (8 bytes). */
export function rtcpRr(ssrc = 1): Uint8Array {
  const b = new Uint8Array(8); rtcpHeader(b, 0, 0, 201, 8);
  new DataView(b.buffer).setUint32(4, ssrc); return b;
}
export function rtcpPli(sender = 1, media = 2): Uint8Array {
  const b = new Uint8Array(12); rtcpHeader(b, 0, 1, 206, 12);
  const dv = new DataView(b.buffer); dv.setUint32(4, sender); dv.setUint32(8, media); return b;
}
export function rtcpFir(sender = 1, media = 2, seqNr = 1): Uint8Array {
  const b = new Uint8Array(20); rtcpHeader(b, 0, 4, 206, 20);
  const dv = new DataView(b.buffer); dv.setUint32(4, sender); dv.setUint32(12, media); b[16] = seqNr; return b;
}
/** REMB for one SSRC, `bps` encoded as mantissa × 2^exp. */
export function rtcpRemb(bps: number, sender = 1, ssrc = 2): Uint8Array {
  const b = new Uint8Array(24); rtcpHeader(b, 0, 15, 206, 24);
  const dv = new DataView(b.buffer);
  dv.setUint32(4, sender);
  b.set([0x52, 0x45, 0x4d, 0x42], 12); // "REMB"
  let exp = 0, mant = Math.floor(bps);
  while (mant >= 1 << 18) { mant = Math.floor(mant / 2); exp++; }
  b[16] = 1; b[17] = (exp << 2) | (mant >> 16); dv.setUint16(18, mant & 0xffff);
  dv.setUint32(20, ssrc);
  return b;
}
/** Concatenates byte arrays (shared with test/helpers/rtp-media.ts). */
export { concatBytes as concat } from "../helpers/rtp-media";
