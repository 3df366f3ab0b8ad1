/**
 * The router binding of the test kit: loads the real `router.wasm` (the file the plugin
 * loads) and speaks router ABI v4 (docs/router-abi.md) as host-c does with one thread: a
 * shared memory and a `sync` import, configured for one thread context, attached to it.
 * One thread makes every call, so a grace period (`sync`) has nothing to wait for.
 * This is the only file of the kit that knows the ABI: exports, argument orders, the
 * decision record layout, counter layouts, codes. Everything above it sees slots,
 * decisions and counters as plain objects.
 */
import * as fs from 'node:fs';

// The few WebAssembly JS API parts used here (the package compiles with lib ES2022 only,
// which does not declare them; Node 20 has them all, shared memories included).
interface WasmMemory { readonly buffer: ArrayBufferLike }
interface WasmApi {
	Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => { exports: unknown };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The ABI version this binding speaks (router-as/abi.ts `ABI_VERSION`). */
export const ROUTER_ABI_VERSION = 4;
/** m-lines per session (`MAX_STREAMS`). */
export const MAX_STREAMS = 16;
/** `mindex` 255: every stream (Lua `addRecipient`), or the whole session for a PLI. */
export const EVERY_STREAM = 255;
/** Largest packet the router accepts. */
export const MAX_PACKET_LEN = 65535;
/** What the host copies of an RTP packet: its first RTP_HEAD_CAP bytes, its last byte at RTP_TAIL_AT. */
export const RTP_HEAD_CAP = 256;
export const RTP_TAIL_AT = 256;
/** Pages of the shared memory the host gives the router (initial, maximum). */
export const MEMORY_PAGES = { initial: 1, maximum: 65536 } as const;

export const Kind = {
	RELAY_RTP: 1, RELAY_RTCP: 2, RELAY_DATA: 3, SEND_PLI: 4, SEND_REMB: 5, RECORD: 6, EVENT: 7, PACKET_INFO: 8, RTP_FORWARD: 9,
} as const;
export const Flag = { VIDEO: 1, MARK_SWITCH: 2, HAS_PICID: 8, HAS_TL0: 16 } as const;
/** PACKET_INFO flags (seq/ts: the VP8 picture id / TL0PICIDX offsets in the packet). */
export const PacketInfo = { PICID_LONG: 1, HAS_PICID: 2, HAS_TL0: 4 } as const;
/** EVENT codes (the record's `seq`) and change bits (`flags` of EV_LAYERS). */
export const Event = { TALKING: 1, STOPPED_TALKING: 2, LAYERS: 3 } as const;
export const EventFlag = { SUBSTREAM: 1, TEMPORAL: 2, SPATIAL: 4 } as const;
/** Simulcast codecs of set_simulcast. */
export const SimulcastCodec = { vp8: 1, vp9: 2, h264: 3 } as const;
/** fwd_add substream: every packet of the stream. */
export const FWD_ANY = 255;
/** Bytes per m-line of the set_codecs blob (payload type → codec id, codec id → payload type). */
export const CODECS_BLOB = 256;
/** Control call errors (negative returns). */
export const RouterError = { SLOT: -1, FULL: -2, DUP: -3, NOROUTE: -4, ARG: -5, CONFIG: -6, NOSTREAM: -7 } as const;
/** `session_state` bits. */
export const StateBit = { OPEN: 1, STARTED: 2, DATA_READY: 4 } as const;

/** Stream descriptor byte of `set_streams` (one per m-line). */
export const StreamDesc = { AUDIO: 0, VIDEO: 1, DATA: 2, OTHER: 3, KIND_MASK: 3, ACTIVE: 4, SEND: 8, RECV: 16 } as const;

export type MediumIndex = 0 | 1 | 2;
export type DirIndex = 0 | 1;

/** One decision record (16 bytes at `out_ptr`). */
export interface Decision {
	kind: number;
	mindex: number;
	seq: number;
	slot: number;
	/** RELAY_RTP / RTP_FORWARD: the RTP byte 1 to send (marker | payload type). */
	b1: number;
	/** RTP timestamp (RELAY_RTP) or bitrate (SEND_REMB). */
	ts: number;
	flags: number;
}

/** Result of a packet call: decisions, or a negative drop code with none. */
export interface PacketResult { code: number; decisions: Decision[] }

export interface RouteRow { srcMindex: number; dstMindex: number; dstSlot: number }

const SESSION_COUNTERS = ['rtpIn', 'rtpBytesIn', 'rtpOut', 'rtpBytesOut', 'rtcpIn', 'dataIn', 'dataOut',
	'plisSent', 'dropsValve', 'dropsMalformed', 'dropsClosed', 'dropsNoStream'] as const;
const STREAM_COUNTERS = ['packetsIn', 'bytesIn', 'packetsOut', 'bytesOut', 'dropsValve', 'switches', 'dropsSubstream'] as const;
const GLOBAL_COUNTERS = ['calls', 'dropsMalformed', 'dropsBadSlot', 'dropsOversize', 'decisions'] as const;
export type Counters = Record<string, number>;

/** The raw exports of router.wasm, as the C host sees them (u32 arguments as JS numbers,
 *  `now_ms` as a bigint). The router tests (test/router/router-harness.ts) use it too. */
export interface RouterExports {
	/** The imported shared memory, exported again. */
	memory: WasmMemory;
	abi_version(): number;
	configure(maxSessions: number, maxRoutes: number, maxThreads: number, maxForwarders: number): number;
	/** Binds this instance to a thread context (its buffers, counters, scratch). */
	attach(thread: number): number;
	/** Releases a stream lock this instance may hold after a trap. */
	recover(): number;
	in_ptr(): number; in_cap(): number; out_ptr(): number; out_cap(): number;
	/** `level`: the packet's audio level (level | vad << 7), -1 without one. */
	rtp(slot: number, mindex: number, video: number, len: number, now: bigint, level: number): number;
	rtcp(slot: number, mindex: number, video: number, len: number, now: bigint): number;
	data(slot: number, len: number, binary: number, now: bigint): number;
	tick(now: bigint): number;
	session_open(): number; session_close(slot: number): number;
	session_start(slot: number): number; session_hangup(slot: number): number;
	set_valve(slot: number, medium: number, dir: number, on: number): number;
	set_bitrate(slot: number, bps: number): number;
	set_pli_freq(slot: number, ms: number): number;
	set_data_ready(slot: number, on: number): number;
	set_recording(slot: number, medium: number, on: number): number;
	set_pli_min_interval(ms: number): number;
	route_add(src: number, srcMindex: number, dst: number, dstMindex: number): number;
	route_remove(src: number, srcMindex: number, dst: number, dstMindex: number): number;
	set_streams(slot: number, count: number, lo: bigint, hi: bigint): number;
	stream_resolve(src: number, srcMindex: number, dst: number): number;
	route_count(slot: number): number; routes_ptr(slot: number): number;
	session_state(slot: number): number;
	/** Blob at in_ptr: per m-line CODECS_BLOB bytes. */
	set_codecs(slot: number, count: number): number;
	/** Blob at in_ptr (64 bytes: codec, rid ext, counts, SSRCs, rids). */
	set_simulcast(slot: number, mindex: number): number;
	set_layers(slot: number, mindex: number, which: number, value: number): number;
	layers_state(slot: number, mindex: number): number;
	set_talk(slot: number, mindex: number, window: number, threshold: number): number;
	talk_score(slot: number, mindex: number, now: bigint, maxAge: bigint): number;
	fwd_add(fwd: number, slot: number, mindex: number, substream: number): number;
	fwd_remove(fwd: number): number;
	fwd_stats(fwd: number): number;
	/** Counter snapshots in this instance's scratch, valid until its next call; 0 out of range. */
	session_stats(slot: number): number;
	stream_stats(slot: number, mindex: number): number;
	global_stats(): number;
}

export interface RouterConfig {
	maxSessions: number;
	maxRoutes: number;
	pliMinIntervalMs: number;
	/** RTP forwarders at once (jcfg max_forwarders). Default 256. */
	maxForwarders?: number;
}

/** A stream's simulcast description for set_simulcast (codec undefined: none). */
export interface SimulcastConfig {
	codec?: keyof typeof SimulcastCodec;
	ssrcs?: number[];
	rids?: string[];
	ridExtId?: number;
}

/** layers_state: what a recipient stream gets now (null: nothing yet) and its targets. */
export interface LayersState {
	substream: number | null; temporal: number | null; spatial: number | null;
	targets: { substream: number; temporal: number; spatial: number };
}

/** set_codecs' blob at `at`: per m-line [payload type, codec id] pairs (the first payload type
 *  of a codec is the one it receives on); returns the m-line count to pass. */
export function writeCodecsBlob(memory: ArrayBufferLike, at: number, mlines: [number, number][][]): number {
	const n = Math.min(mlines.length, MAX_STREAMS);
	const blob = new Uint8Array(memory, at, n * CODECS_BLOB);
	blob.fill(0);
	mlines.slice(0, n).forEach((pairs, m) => {
		for (const [pt, id] of pairs) {
			if (pt < 0 || pt > 127 || id < 1 || id > 127) continue;
			blob[m * CODECS_BLOB + pt] = id;
			if (blob[m * CODECS_BLOB + 128 + id] === 0) blob[m * CODECS_BLOB + 128 + id] = pt;
		}
	});
	return n;
}

/** set_simulcast's 64-byte blob at `at` (router_abi.h TS_SIMULCAST_BLOB). */
export function writeSimulcastBlob(memory: ArrayBufferLike, at: number, cfg: SimulcastConfig): void {
	const b = new Uint8Array(memory, at, 64);
	b.fill(0);
	const ssrcs = cfg.ssrcs ?? [], rids = cfg.rids ?? [];
	b[0] = cfg.codec ? SimulcastCodec[cfg.codec] : 0;
	b[1] = rids.length > 0 ? cfg.ridExtId ?? 0 : 0;
	b[2] = Math.min(ssrcs.length, 255);
	b[3] = Math.min(rids.length, 255);
	const dv = new DataView(memory);
	ssrcs.slice(0, 3).forEach((s, i) => dv.setUint32(at + 4 + 4 * i, s >>> 0, true));
	rids.slice(0, 3).forEach((r, i) => {
		const bytes = Buffer.from(r, 'utf8');
		b[16 + 16 * i] = bytes.length;
		b.set(bytes.subarray(0, 15), 17 + 16 * i);
	});
}

/** A configured router instance, as host-c's router_host.c makes one. */
export class RouterBinding {
	readonly #x: RouterExports;
	readonly #inPtr: number;
	readonly #inCap: number;
	readonly #outPtr: number;
	readonly #outCap: number;

	private constructor(x: RouterExports) {
		this.#x = x;
		this.#inPtr = x.in_ptr();
		this.#inCap = x.in_cap();
		this.#outPtr = x.out_ptr();
		this.#outCap = x.out_cap();
	}

	/** Loads and configures `file`; throws with the plugin's wording when it does not fit. */
	static load(file: string, config: RouterConfig): RouterBinding {
		const memory = new Wasm.Memory({ ...MEMORY_PAGES, shared: true });
		let x: RouterExports;
		try {
			const instance = new Wasm.Instance(new Wasm.Module(fs.readFileSync(file)), { env: { memory, sync: () => {} } });
			x = instance.exports as unknown as RouterExports;
		} catch (e) {
			throw new Error(`janus-ts/testing: cannot instantiate ${file} (router ABI ${ROUTER_ABI_VERSION} imports env.memory and env.sync): ${(e as Error).message}`);
		}
		const abi = x.abi_version();
		if (abi !== ROUTER_ABI_VERSION) {
			throw new Error(`janus-ts/testing: ${file} has ABI version ${abi}, this kit needs ${ROUTER_ABI_VERSION}`);
		}
		const fwds = config.maxForwarders ?? 256;
		const rc = x.configure(config.maxSessions, config.maxRoutes, 1, fwds);
		if (rc !== 0) throw new Error(`janus-ts/testing: router configure(${config.maxSessions}, ${config.maxRoutes}, 1, ${fwds}) failed: ${rc}`);
		const ra = x.attach(0);
		if (ra !== 0) throw new Error(`janus-ts/testing: router attach(0) failed: ${ra}`);
		x.set_pli_min_interval(config.pliMinIntervalMs);
		return new RouterBinding(x);
	}

	open(): number { return this.#x.session_open(); }
	close(slot: number): number { return this.#x.session_close(slot); }
	start(slot: number): number { return this.#x.session_start(slot); }
	hangup(slot: number): number { return this.#x.session_hangup(slot); }
	setValve(slot: number, medium: MediumIndex, dir: DirIndex, on: boolean): number { return this.#x.set_valve(slot, medium, dir, on ? 1 : 0); }
	setBitrate(slot: number, bps: number): number { return this.#x.set_bitrate(slot, bps | 0); }
	setPliFreq(slot: number, ms: number): number { return this.#x.set_pli_freq(slot, ms | 0); }
	setDataReady(slot: number, on: boolean): number { return this.#x.set_data_ready(slot, on ? 1 : 0); }
	setRecording(slot: number, medium: MediumIndex, on: boolean): number { return this.#x.set_recording(slot, medium, on ? 1 : 0); }
	routeAdd(src: number, srcMindex: number, dst: number, dstMindex: number): number { return this.#x.route_add(src, srcMindex, dst, dstMindex); }
	routeRemove(src: number, srcMindex: number, dst: number, dstMindex: number): number { return this.#x.route_remove(src, srcMindex, dst, dstMindex); }

	/** The m-lines of `slot`: one descriptor byte each (StreamDesc), at most MAX_STREAMS; [] forgets them. */
	setStreams(slot: number, descriptors: number[]): number {
		let lo = 0n, hi = 0n;
		descriptors.forEach((d, m) => {
			if (m < 8) lo |= BigInt(d & 0xff) << BigInt(8 * m);
			else hi |= BigInt(d & 0xff) << BigInt(8 * (m - 8));
		});
		return this.#x.set_streams(slot, descriptors.length, BigInt.asIntN(64, lo), BigInt.asIntN(64, hi));
	}

	/** The recipient m-line an every-stream route from `src` to `dst` takes `src`'s stream `mindex` to, or a negative code. */
	streamResolve(src: number, mindex: number, dst: number): number { return this.#x.stream_resolve(src, mindex, dst); }

	/** The payload-type tables of `slot`'s m-lines: per m-line [payload type, codec id] pairs (set_codecs). */
	setCodecs(slot: number, mlines: [number, number][][]): number {
		return this.#x.set_codecs(slot, writeCodecsBlob(this.#x.memory.buffer, this.#inPtr, mlines));
	}

	/** The simulcast description of stream (slot, mindex) (set_simulcast); `{}` turns it off. */
	setSimulcast(slot: number, mindex: number, cfg: SimulcastConfig): number {
		writeSimulcastBlob(this.#x.memory.buffer, this.#inPtr, cfg);
		return this.#x.set_simulcast(slot, mindex);
	}

	/** Target `which` (0 substream, 1 temporal, 2 spatial) of recipient stream mindex (EVERY_STREAM: all). */
	setLayers(slot: number, mindex: number, which: number, value: number): number { return this.#x.set_layers(slot, mindex, which, value); }

	layersState(slot: number, mindex: number): LayersState | undefined {
		const v = this.#x.layers_state(slot, mindex);
		if (v < 0) return undefined;
		const at = (k: number) => ((v >> (8 * k)) & 0xff) === 0xff ? null : (v >> (8 * k)) & 0xff;
		return { substream: at(0), temporal: at(1), spatial: at(2), targets: { substream: (v >>> 24) & 3, temporal: (v >>> 26) & 3, spatial: (v >>> 28) & 3 } };
	}

	setTalk(slot: number, mindex: number, window: number, threshold: number): number { return this.#x.set_talk(slot, mindex, window, threshold); }
	talkScore(slot: number, mindex: number, nowMs: number, maxAgeMs: number): number {
		return this.#x.talk_score(slot, mindex, BigInt(Math.floor(nowMs)), BigInt(Math.floor(maxAgeMs)));
	}
	fwdAdd(fwd: number, slot: number, mindex: number, substream: number): number { return this.#x.fwd_add(fwd, slot, mindex, substream); }
	fwdRemove(fwd: number): number { return this.#x.fwd_remove(fwd); }
	fwdCounters(fwd: number): Counters { return this.#counters(this.#x.fwd_stats(fwd), ['packets', 'bytes']); }

	/** `session_state` as flags. */
	state(slot: number): { open: boolean; started: boolean; dataReady: boolean; valves: { in: boolean; out: boolean }[]; recording: boolean[] } {
		const s = Math.max(0, this.#x.session_state(slot));
		const bit = (n: number) => ((s >> n) & 1) === 1;
		return {
			open: bit(0), started: bit(1), dataReady: bit(2),
			valves: [0, 1, 2].map((m) => ({ in: bit(8 + m), out: bit(11 + m) })),
			recording: [0, 1, 2].map((m) => bit(16 + m)),
		};
	}

	/** The routes whose sender is `slot`. */
	routes(slot: number): RouteRow[] {
		const n = this.#x.route_count(slot);
		if (n <= 0) return [];
		const ptr = this.#x.routes_ptr(slot);
		const dv = this.#view();
		const rows: RouteRow[] = [];
		for (let i = 0; i < n; i++) {
			const p = ptr + i * 4;
			rows.push({ srcMindex: dv.getUint8(p), dstMindex: dv.getUint8(p + 1), dstSlot: dv.getUint16(p + 2, true) });
		}
		return rows;
	}

	sessionCounters(slot: number): Counters { return this.#counters(this.#x.session_stats(slot), SESSION_COUNTERS); }
	streamCounters(slot: number, mindex: number): Counters { return this.#counters(this.#x.stream_stats(slot, mindex), STREAM_COUNTERS); }
	globalCounters(): Counters { return this.#counters(this.#x.global_stats(), GLOBAL_COUNTERS); }

	/** RTP from `slot` on m-line `mindex`: copies in what the host copies (head and last byte),
	 *  one call; `level` the audio level Janus parsed (level | vad << 7), -1 without one. */
	rtp(slot: number, mindex: number, video: boolean, packet: Uint8Array, nowMs: number, level = -1): PacketResult {
		const n = Math.min(packet.length, RTP_HEAD_CAP);
		const mem = new Uint8Array(this.#x.memory.buffer);
		mem.set(packet.subarray(0, n), this.#inPtr);
		if (packet.length > 0) mem[this.#inPtr + RTP_TAIL_AT] = packet[packet.length - 1];
		return this.#result(this.#x.rtp(slot, mindex, video ? 1 : 0, packet.length, BigInt(Math.floor(nowMs)), level));
	}

	rtcp(slot: number, mindex: number, video: boolean, packet: Uint8Array, nowMs: number): PacketResult {
		this.#copyIn(packet);
		return this.#result(this.#x.rtcp(slot, mindex, video ? 1 : 0, packet.length, BigInt(Math.floor(nowMs))));
	}

	/** A datachannel message of `length` bytes (nothing is copied: the router needs the length only). */
	data(slot: number, length: number, binary: boolean, nowMs: number): PacketResult {
		return this.#result(this.#x.data(slot, length, binary ? 1 : 0, BigInt(Math.floor(nowMs))));
	}

	tick(nowMs: number): PacketResult { return this.#result(this.#x.tick(BigInt(Math.floor(nowMs)))); }

	#copyIn(packet: Uint8Array): void {
		const n = Math.min(packet.length, this.#inCap);
		new Uint8Array(this.#x.memory.buffer, this.#inPtr, n).set(packet.subarray(0, n));
	}

	#result(rc: number): PacketResult {
		if (rc <= 0) return { code: rc, decisions: [] };
		const n = Math.min(rc, this.#outCap);
		const dv = this.#view();
		const decisions: Decision[] = [];
		for (let i = 0; i < n; i++) {
			const p = this.#outPtr + i * 16;
			decisions.push({
				kind: dv.getUint8(p), mindex: dv.getUint8(p + 1), seq: dv.getUint16(p + 2, true),
				slot: dv.getUint16(p + 4, true), b1: dv.getUint8(p + 6), ts: dv.getUint32(p + 8, true), flags: dv.getUint32(p + 12, true),
			});
		}
		return { code: rc, decisions };
	}

	#counters(ptr: number, names: readonly string[]): Counters {
		const out: Counters = {};
		if (ptr === 0) return out;
		const dv = this.#view();
		names.forEach((name, i) => { out[name] = Number(dv.getBigUint64(ptr + i * 8, true)); });
		return out;
	}

	/** Memory may have grown since the last call: a fresh view each time. */
	#view(): DataView { return new DataView(this.#x.memory.buffer); }
}
