/**
 * The app → plugin methods of the emulated plugin: what host-c/control/control_methods.c
 * and host-c/api.c do with each request (parameters are validated before, params.ts).
 * Calls about a session or route that is gone answer `false` where host-c's do
 * (`done_or_gone`); errors carry host-c's reasons (`explain`).
 */
import {
	BadArguments, ClosedSession, CoreError, Duplicate, Full, Internal, JanusTsError, NotFound, NotSupported, UnknownSession,
} from '../errors';
import type { Jsep, JsonObject, LogLevel } from '../protocol/types';
import { EVERY_STREAM, MAX_PACKET_LEN, MAX_STREAMS, RouterError, type MediumIndex } from './router';
import type { Sess, PluginContext } from './plugin-core';
import { mediaMethods } from './plugin-media';

const MEDIA = ['audio', 'video', 'data'] as const;
type Kind = 'UnknownSession' | 'ClosedSession' | 'BadArguments' | 'Full' | 'Duplicate' | 'NotFound' | 'NotSupported' | 'Internal';
const CLASSES = { UnknownSession, ClosedSession, BadArguments, Full, Duplicate, NotFound, NotSupported, Internal };

/** An API error (ts_err) of a call, explained from its parameters as control_results.c does. */
export class ApiError extends Error { constructor(readonly kind: Kind) { super(kind); } }
export type { Kind as ApiErrorKind };

export type Method = (p: JsonObject) => unknown;

export function makeMethods(ctx: PluginContext): Record<string, Method> {
	const { router, core } = ctx;
	/** The live session of an id, or an UnknownSession API error. */
	const lookup = (id: unknown): Sess => {
		const s = ctx.session(id as number);
		if (!s) throw new ApiError('UnknownSession');
		return s;
	};
	/** api.c router_err. */
	const routerOk = (rc: number): true => {
		if (rc >= 0) return true;
		const kind = ({ [RouterError.SLOT]: 'UnknownSession', [RouterError.FULL]: 'Full', [RouterError.DUP]: 'Duplicate',
			[RouterError.NOROUTE]: 'NotFound', [RouterError.ARG]: 'BadArguments' } as Record<number, Kind>)[rc] ?? 'Internal';
		throw new ApiError(kind);
	};
	const route = (add: boolean, p: JsonObject, mindex: number, rmindex: number): true => {
		if ((mindex === EVERY_STREAM) !== (rmindex === EVERY_STREAM)) throw new ApiError('BadArguments');
		const s = lookup(p.id), r = lookup(p.recipient);
		return routerOk(add ? router.routeAdd(s.slot, mindex, r.slot, rmindex) : router.routeRemove(s.slot, mindex, r.slot, rmindex));
	};
	const relay = (p: JsonObject, rtcp: boolean): true => {
		const buf = p.data as Buffer;
		const mindex = (p.mindex as number | undefined) ?? -1;
		if (buf.length < (rtcp ? 4 : 12) || buf.length > MAX_PACKET_LEN || mindex >= MAX_STREAMS) throw new ApiError('BadArguments');
		const s = lookup(p.id);
		const out = { mindex, video: p.video as boolean, packet: buf };
		if (rtcp) core.relayRtcp(s.handle, out, true); else core.relayRtp(s.handle, out, true);
		return true;
	};
	const data = (p: JsonObject, binary: boolean, buf: Buffer): true => {
		if (buf.length > MAX_PACKET_LEN) throw new ApiError('BadArguments');
		const s = lookup(p.id);
		// As host-c: once Janus said data_ready, or once the client sent data (its channel is open).
		if (!router.state(s.slot).dataReady && !s.dataOpen) throw new ApiError('ClosedSession');
		core.relayData(s.handle, { binary, data: buf, ...(p.label !== undefined ? { label: p.label as string } : {}), ...(p.protocol !== undefined ? { protocol: p.protocol as string } : {}) }, true);
		return true;
	};

	const strict: Record<string, Method> = {
		addRecipient: (p) => {
			const s = lookup(p.id), r = lookup(p.recipient);
			const existed = router.routes(s.slot).some((x) => x.srcMindex === EVERY_STREAM && x.dstMindex === EVERY_STREAM && x.dstSlot === r.slot);
			if (!existed) routerOk(router.routeAdd(s.slot, EVERY_STREAM, r.slot, EVERY_STREAM));
			return { ...ctx.resolve(s, r, 'addRecipient'), added: !existed };
		},
		addRoute: (p) => route(true, p, p.mindex as number, p.recipientMindex as number),
		startRecording: (p) => {
			const s = lookup(p.id);
			const codec = p.codec as string, filename = p.filename as string;
			if (!codec || !filename) throw new BadArguments('startRecording needs a medium (audio|video|data), a codec and a filename');
			const m = MEDIA.indexOf(p.medium as 'audio');
			s.recorders[m] = { codec, filename, frames: [], ...(p.folder ? { folder: p.folder as string } : {}), ...(p.fmtp ? { fmtp: p.fmtp as string } : {}) };
			const rc = router.setRecording(s.slot, m as MediumIndex, true);
			if (rc < 0) { ctx.stopRecording(s, m); throw new Internal(`router set_recording failed (${rc})`); }
			return true;
		},
		log: (p) => { core.log(p.level as LogLevel, `[app] ${p.message as string}`); return true; },
		sessionInfo: (p) => {
			const s = ctx.session(p.id as number);
			if (!s) throw new UnknownSession(`no session ${p.id as number} (never attached, or detached)`);
			return ctx.info(s);
		},
		eventsIsEnabled: () => core.eventsIsEnabled(),
		stats: () => ctx.stats(),
		describe: () => ctx.describe(),
	};

	/** Methods whose result is boolean: a gone session or route is `false`. */
	const forgiving: Record<string, Method> = {
		pushEvent: (p) => {
			const s = lookup(p.id);
			const rc = core.pushEvent(s.handle, p.transaction as string | undefined, p.event as JsonObject, p.jsep as Jsep | undefined);
			const jsep = p.jsep as Jsep | undefined;
			// Janus took the app's SDP: the session's m-lines are the ones it negotiates now.
			if (rc === 0 && jsep && typeof jsep.sdp === 'string') ctx.updateStreams(s, jsep.sdp, false);
			if (rc !== 0 && core.stopped(s.handle)) throw new ApiError('UnknownSession');
			if (rc !== 0) throw new CoreError(`Janus refused the event (error ${rc})${jsep ? ': check the SDP' : ''}`);
			return true;
		},
		notifyEvent: (p) => {
			const s = p.id === undefined ? undefined : lookup(p.id);
			if (!core.eventsIsEnabled()) return true;
			core.notifyEvent(s ? s.handle : null, p.event as JsonObject);
			return true;
		},
		closePc: (p) => { core.closePc(lookup(p.id).handle); return true; },
		endSession: (p) => { core.endSession(lookup(p.id).handle); return true; },
		configureMedium: (p) => {
			const s = lookup(p.id);
			return routerOk(router.setValve(s.slot, MEDIA.indexOf(p.medium as 'audio') as MediumIndex, p.direction === 'out' ? 1 : 0, p.enabled as boolean));
		},
		removeRecipient: (p) => route(false, p, EVERY_STREAM, EVERY_STREAM),
		removeRoute: (p) => route(false, p, p.mindex as number, p.recipientMindex as number),
		setBitrate: (p) => {
			const s = lookup(p.id);
			const bps = p.bitrate as number;
			routerOk(router.setBitrate(s.slot, bps));
			s.bitrate = bps;
			// As the Lua plugin: the new cap is sent right away, then on each REMB.
			if (bps > 0 && router.state(s.slot).started) core.sendRemb(s.handle, bps);
			return true;
		},
		setRelayLabel: (p) => {
			const s = lookup(p.id);
			s.relayLabel = (p.label as string | null | undefined) ?? null;
			return true;
		},
		setPliFreq: (p) => {
			const seconds = p.seconds as number;
			if (seconds > 3600) throw new ApiError('BadArguments');
			const s = lookup(p.id);
			routerOk(router.setPliFreq(s.slot, seconds * 1000));
			s.pliFreqS = seconds;
			return true;
		},
		sendPli: (p) => {
			const mindex = (p.mindex as number | undefined) ?? -1;
			if (mindex >= MAX_STREAMS) throw new ApiError('BadArguments');
			core.sendPli(lookup(p.id).handle, mindex);
			return true;
		},
		relayRtp: (p) => relay(p, false),
		relayRtcp: (p) => relay(p, true),
		relayTextData: (p) => data(p, false, Buffer.from(p.text as string, 'utf8')),
		relayBinaryData: (p) => data(p, true, p.data as Buffer),
		stopRecording: (p) => {
			ctx.stopRecording(lookup(p.id), p.medium === undefined ? -1 : MEDIA.indexOf(p.medium as 'audio'));
			return true;
		},
	};

	const media = mediaMethods(ctx, lookup, routerOk, (kind) => new ApiError(kind));
	Object.assign(strict, media.strict);
	Object.assign(forgiving, media.forgiving);
	const table: Record<string, Method> = {};
	for (const [name, fn] of Object.entries(strict)) table[name] = (p) => explained(fn, p, ctx, false);
	for (const [name, fn] of Object.entries(forgiving)) table[name] = (p) => explained(fn, p, ctx, true);
	return table;
}

/** Runs a method; API errors become `false` (forgiving, gone) or typed errors with host-c's reason. */
function explained(fn: Method, p: JsonObject, ctx: PluginContext, forgiving: boolean): unknown {
	try {
		return fn(p);
	} catch (err) {
		if (!(err instanceof ApiError)) throw err;
		if (forgiving && (err.kind === 'UnknownSession' || err.kind === 'NotFound' || err.kind === 'ClosedSession')) return false;
		throw new CLASSES[err.kind](explain(err.kind, p, ctx)) as JanusTsError;
	}
}

/** control_results.c explain(): why a call failed, from its parameters. */
function explain(kind: Kind, p: JsonObject, ctx: PluginContext): string {
	const id = Number(p.id ?? 0), rid = Number(p.recipient ?? 0);
	const hasRoute = p.mindex !== undefined || p.recipientMindex !== undefined;
	const route = hasRoute ? `route ${id}:${Number(p.mindex ?? 0)} -> ${rid}:${Number(p.recipientMindex ?? 0)}` : `route ${id} -> ${rid} (every stream)`;
	switch (kind) {
	case 'UnknownSession':
		if (p.recipient !== undefined && ctx.session(id)) return `no recipient session ${rid} (never attached, or detached)`;
		return `no session ${id} (never attached, or detached)`;
	case 'ClosedSession': return `session ${id} has no datachannel ready (no dataReady yet, and no data from the client)`;
	case 'Duplicate': return `${route}: that route, or one that relays the same stream, exists`;
	case 'NotFound': return `${route} does not exist`;
	case 'Full': return `session ${id} has max_routes routes already`;
	case 'NotSupported': return 'not supported by this plugin version';
	default: return `session ${id}: ${kind}`;
	}
}
