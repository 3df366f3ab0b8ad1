/**
 * The router binding of the test kit: loads the real `router.wasm` (the file the plugin
 * loads) with `@assemblyscript/loader` and speaks router ABI v1 (docs/router-abi.md).
 * This is the only file of the kit that knows the ABI: exports, argument orders, the
 * decision record layout, counter layouts, codes. Everything above it sees slots,
 * decisions and counters as plain objects.
 */
import * as fs from 'node:fs';
import { instantiateSync } from '@assemblyscript/loader';

/** The ABI version this binding speaks (router-as/abi.ts `ABI_VERSION`). */
export const ROUTER_ABI_VERSION = 2;
/** m-lines per session (`MAX_STREAMS`). */
export const MAX_STREAMS = 16;
/** `mindex` 255: every stream (Lua `addRecipient`), or the whole session for a PLI. */
export const EVERY_STREAM = 255;
/** Largest packet the router accepts. */
export const MAX_PACKET_LEN = 65535;

export const Kind = { RELAY_RTP: 1, RELAY_RTCP: 2, RELAY_DATA: 3, SEND_PLI: 4, SEND_REMB: 5, RECORD: 6 } as const;
export const Flag = { VIDEO: 1, MARK_SWITCH: 2 } as const;
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
	/** RTP timestamp (RELAY_RTP) or bitrate (SEND_REMB). */
	ts: number;
	flags: number;
}

/** Result of a packet call: decisions, or a negative drop code with none. */
export interface PacketResult { code: number; decisions: Decision[] }

export interface RouteRow { srcMindex: number; dstMindex: number; dstSlot: number }

const SESSION_COUNTERS = ['rtpIn', 'rtpBytesIn', 'rtpOut', 'rtpBytesOut', 'rtcpIn', 'dataIn', 'dataOut',
	'plisSent', 'dropsValve', 'dropsMalformed', 'dropsClosed', 'dropsNoStream'] as const;
const STREAM_COUNTERS = ['packetsIn', 'bytesIn', 'packetsOut', 'bytesOut', 'dropsValve', 'switches'] as const;
const GLOBAL_COUNTERS = ['calls', 'dropsMalformed', 'dropsBadSlot', 'dropsOversize', 'decisions'] as const;
export type Counters = Record<string, number>;

/** The raw exports of router.wasm, as the C host sees them (u32 arguments as JS numbers,
 *  `now_ms` as a bigint). The router tests (test/router/router-harness.ts) use it too. */
export interface RouterExports {
	memory: { buffer: ArrayBuffer };
	abi_version(): number;
	configure(maxSessions: number, maxRoutes: number): number;
	in_ptr(): number; in_cap(): number; out_ptr(): number; out_cap(): number;
	rtp(slot: number, mindex: number, video: number, len: number, now: bigint): number;
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
	session_stats_ptr(slot: number): number;
	stream_stats_ptr(slot: number, mindex: number): number;
	global_stats_ptr(): number;
}

export interface RouterConfig {
	maxSessions: number;
	maxRoutes: number;
	pliMinIntervalMs: number;
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
		const instance = instantiateSync<Record<string, unknown>>(fs.readFileSync(file), {});
		const x = instance.exports as unknown as RouterExports;
		const abi = x.abi_version();
		if (abi !== ROUTER_ABI_VERSION) {
			throw new Error(`janus-ts/testing: ${file} has ABI version ${abi}, this kit needs ${ROUTER_ABI_VERSION}`);
		}
		const rc = x.configure(config.maxSessions, config.maxRoutes);
		if (rc !== 0) throw new Error(`janus-ts/testing: router configure(${config.maxSessions}, ${config.maxRoutes}) failed: ${rc}`);
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

	sessionCounters(slot: number): Counters { return this.#counters(this.#x.session_stats_ptr(slot), SESSION_COUNTERS); }
	streamCounters(slot: number, mindex: number): Counters { return this.#counters(this.#x.stream_stats_ptr(slot, mindex), STREAM_COUNTERS); }
	globalCounters(): Counters { return this.#counters(this.#x.global_stats_ptr(), GLOBAL_COUNTERS); }

	/** RTP from `slot` on m-line `mindex`: copies the packet in, one call. */
	rtp(slot: number, mindex: number, video: boolean, packet: Uint8Array, nowMs: number): PacketResult {
		this.#copyIn(packet);
		return this.#result(this.#x.rtp(slot, mindex, video ? 1 : 0, packet.length, BigInt(Math.floor(nowMs))));
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
				slot: dv.getUint32(p + 4, true), ts: dv.getUint32(p + 8, true), flags: dv.getUint32(p + 12, true),
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
