/**
 * The media methods of the emulated plugin: what host-c/control/control_media.c and
 * host-c/api_media.c do with layer targets, simulcast descriptions, talk detection, the
 * loudest speaker and RTP forwarders, on the real router, with host-c's checks and reasons
 * (parameter types and ranges are checked before, params.ts).
 */
import { isIP } from 'node:net';
import { BadArguments, Full, UnknownSession } from '../errors';
import type { JsonObject } from '../protocol/types';
import { EVERY_STREAM, FWD_ANY, MAX_STREAMS, RouterError, StreamDesc, type SimulcastConfig } from './router';
import type { PluginContext, Sess } from './plugin-core';
import type { ApiError, ApiErrorKind, Method } from './plugin-methods';

/** control_media.c stream_index: a mindex the router keeps. */
function streamIndex(p: JsonObject): number | undefined {
	const mi = p.mindex as number | undefined;
	if (mi !== undefined && mi >= MAX_STREAMS) throw new BadArguments(`mindex: ${mi} is not a stream (the router keeps m-lines 0..15)`);
	return mi;
}

/** Array parameters (control_params.c ctl_param_array + control_media.c's element checks). */
function checkArray(p: JsonObject, name: string, max: number, element: (v: unknown) => boolean, what: string): unknown[] | undefined {
	const v = p[name];
	if (v === undefined || v === null) return undefined;
	if (!Array.isArray(v)) throw new BadArguments(`${name}: expected an array`);
	if (v.length > max) throw new BadArguments(`${name}: at most ${max} elements, got ${v.length}`);
	v.forEach((x, i) => { if (!element(x)) throw new BadArguments(`${name}: element ${i} ${what}`); });
	return v;
}

const isU32 = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 0xffffffff;

/** api_media.c simulcast_blob's checks. */
function simulcastConfig(p: JsonObject): SimulcastConfig {
	const ssrcs = checkArray(p, 'ssrcs', 3, (x) => isU32(x, 0), 'is not an integer in [0, 4294967295]') as number[] | undefined;
	const rids = checkArray(p, 'rids', 3, (x) => typeof x === 'string', 'is not a string') as string[] | undefined;
	const codec = p.codec as SimulcastConfig['codec'] | undefined;
	if (!codec) return {};
	const ext = p.ridExtId as number | undefined;
	if ((rids?.length ?? 0) > 0 && ext === undefined) throw new BadArguments("ridExtId: rids need the rid extension's id (1..255)");
	for (const r of rids ?? []) {
		const n = Buffer.byteLength(r, 'utf8');
		if (n < 1 || n > 15) throw new BadArguments(`rids: '${r}' is not 1 to 15 characters long`);
	}
	return { codec, ...(ssrcs ? { ssrcs } : {}), ...(rids ? { rids } : {}), ...(ext !== undefined ? { ridExtId: ext } : {}) };
}

export function mediaMethods(ctx: PluginContext, lookup: (id: unknown) => Sess, routerOk: (rc: number) => true,
	apiError: (kind: ApiErrorKind) => ApiError): { strict: Record<string, Method>; forgiving: Record<string, Method> } {
	const { router, forwarders } = ctx;
	const layer = (which: number, key: string): Method => (p) => {
		const mi = streamIndex(p);
		const s = lookup(p.id);
		return routerOk(router.setLayers(s.slot, mi ?? EVERY_STREAM, which, p[key] as number));
	};
	const forgiving: Record<string, Method> = {
		setSubstream: layer(0, 'substream'),
		setTemporalLayer: layer(1, 'temporal'),
		setSpatialLayer: layer(2, 'spatial'),
		configureSimulcast: (p) => {
			const mi = streamIndex(p)!;
			const cfg = simulcastConfig(p);
			const s = lookup(p.id);
			return routerOk(router.setSimulcast(s.slot, mi, cfg));
		},
		configureTalkDetection: (p) => {
			const mi = streamIndex(p);
			const window = p.window as number;
			if (window > 0 && p.threshold === undefined) throw new BadArguments('threshold: missing');
			const s = lookup(p.id);
			return routerOk(router.setTalk(s.slot, mi ?? EVERY_STREAM, window, window > 0 ? p.threshold as number : 0));
		},
		stopRtpForward: (p) => {
			const i = forwarders.indexOf(p.forwarder as number);
			if (i < 0) throw apiError('NotFound');
			router.fwdRemove(i);
			forwarders.remove(i);
			return true;
		},
	};
	const strict: Record<string, Method> = {
		loudestSpeaker: (p) => {
			const ids = checkArray(p, 'ids', 4096, (x) => isU32(x, 1), 'is not a session id') as number[];
			const maxAge = (p.maxAgeMs as number | undefined) ?? 1000;
			let best = -1, loudest: number | null = null;
			for (const id of ids) {
				const s = ctx.session(id);
				const score = s ? router.talkScore(s.slot, EVERY_STREAM, ctx.now(), maxAge) : -1;
				if (score >= 0 && (best < 0 || score < best)) { best = score; loudest = id; }
			}
			return { id: loudest, level: loudest === null ? null : best / 100 };
		},
		rtpForward: (p) => startForward(p, ctx, lookup),
		listForwarders: (p) => {
			if (p.id === undefined) return forwarders.of(0).map((f) => forwarders.info(f));
			const s = ctx.session(p.id as number);
			if (!s) throw new UnknownSession(`no session ${p.id as number} (never attached, or detached)`);
			return forwarders.of(s.id).map((f) => forwarders.info(f));
		},
	};
	return { strict, forgiving };
}

/** api_media.c ts_api_rtp_forward + forwarders.c ts_fwd_start_locked. */
function startForward(p: JsonObject, ctx: PluginContext, lookup: (id: unknown) => Sess): JsonObject {
	const mi = streamIndex(p)!;
	const host = p.host as string;
	if (!isIP(host) && host !== 'localhost') throw new BadArguments(`host: cannot resolve '${host}' (Name or service not known)`);
	const s = lookup(p.id);
	const m = s.mlines[mi];
	if (s.mlines.length > 0 && (!m || !m.active || (m.kind !== StreamDesc.AUDIO && m.kind !== StreamDesc.VIDEO))) {
		throw new BadArguments(`session ${s.id} has no audio or video stream on m-line ${mi}`);
	}
	const i = ctx.forwarders.freeIndex();
	if (i < 0) throw new Full(`max_forwarders (${ctx.forwarders.max}) forwarders exist already`);
	const sub = p.substream as number | undefined;
	const rc = ctx.router.fwdAdd(i, s.slot, mi, sub ?? FWD_ANY);
	if (rc === RouterError.FULL) throw new Full(`stream ${mi} has 4 forwarders already`);
	if (rc < 0) throw new BadArguments(`session ${s.id}: router fwd_add failed (${rc})`);
	const f = ctx.forwarders.add(i, {
		session: s.id, mindex: mi, host, port: p.port as number,
		...(p.ssrc ? { ssrc: p.ssrc as number } : {}), ...(p.pt !== undefined ? { pt: p.pt as number } : {}), ...(sub !== undefined ? { substream: sub } : {}),
	});
	return { forwarder: f.id };
}
