/**
 * Each session's m-lines as the plugin learns them from the SDPs it sees, and where an
 * every-stream route (Lua addRecipient) takes each stream — host-c/mlines.c and
 * host-c/streams.c: a line-based reader of `m=`, `a=mid`, `a=bundle-only` and the
 * direction attributes; descriptors handed to the router (`set_streams`); the
 * RecipientResult of `addRecipient`, with the same reasons and log lines.
 */
import type { StreamInfo, StreamType } from '../protocol/types';
import { MAX_STREAMS, StreamDesc, RouterError, type RouterBinding } from './router';

export interface MLine {
	kind: number;	/* StreamDesc.AUDIO … OTHER */
	active: boolean;
	/** The client sends media on it (it can feed a route). */
	send: boolean;
	/** The client receives media on it (a route can deliver to it). */
	recv: boolean;
	mid: string;
}

type Dir = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

export const kindName = (k: number): StreamType => (['audio', 'video', 'data', 'other'] as const)[k] ?? 'other';

/** The m-lines of an SDP (at most MAX_STREAMS kept) and how many it had; undefined without any. */
export function parseMlines(sdp: string, fromClient: boolean): { mlines: MLine[]; total: number } | undefined {
	const mlines: MLine[] = [];
	let total = 0;
	let sessionDir: Dir = 'sendrecv';
	let cur: { m?: MLine; port: number; dir?: Dir; bundleOnly: boolean } | undefined;
	const finish = () => {
		const m = cur?.m;
		if (!m || !cur) return;
		m.active = cur.port !== 0 || cur.bundleOnly;
		const d = cur.dir ?? sessionDir;
		let sendsFirst = d === 'sendrecv' || d === 'sendonly';	/* whoever wrote the SDP */
		let recvsFirst = d === 'sendrecv' || d === 'recvonly';
		if (m.kind === StreamDesc.DATA) sendsFirst = recvsFirst = true;	/* no direction for SCTP */
		m.send = m.active && (fromClient ? sendsFirst : recvsFirst);
		m.recv = m.active && (fromClient ? recvsFirst : sendsFirst);
	};
	for (const raw of sdp.split('\n')) {
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		if (line.length < 2 || line[1] !== '=') continue;
		if (line[0] === 'm') {
			finish();
			const [media, port] = line.slice(2).split(' ');
			const kind = media === 'audio' ? StreamDesc.AUDIO : media === 'video' ? StreamDesc.VIDEO
				: media === 'application' && line.includes('SCTP') ? StreamDesc.DATA : StreamDesc.OTHER;
			const m: MLine = { kind, active: false, send: false, recv: false, mid: '' };
			if (total < MAX_STREAMS) mlines.push(m);
			cur = { m: total < MAX_STREAMS ? m : undefined, port: parseInt(port ?? '0', 10) || 0, bundleOnly: false };
			total++;
			continue;
		}
		if (line[0] !== 'a') continue;
		const a = line.slice(2);
		if (DIRS.has(a)) {
			if (total === 0) sessionDir = a as Dir;
			if (cur) cur.dir = a as Dir;
		} else if (cur?.m && a.startsWith('mid:')) {
			cur.m.mid = a.slice(4, 4 + 31);
		} else if (cur && a === 'bundle-only') {
			cur.bundleOnly = true;
		}
	}
	finish();
	return total ? { mlines, total } : undefined;
}

/** The router's descriptor byte of an m-line. */
export function descriptor(m: MLine): number {
	return (m.kind & StreamDesc.KIND_MASK) | (m.active ? StreamDesc.ACTIVE : 0) | (m.send ? StreamDesc.SEND : 0) | (m.recv ? StreamDesc.RECV : 0);
}

/** What the streams code needs of a session. */
export interface StreamSession { id: number; slot: number; mlines: MLine[] }

/** "2nd video", "video": which stream of its kind m is. */
function ordinalName(s: StreamSession, m: number): string {
	const x = s.mlines[m];
	const k = s.mlines.slice(0, m).filter((y) => y.active && y.kind === x.kind).length;
	return k < 3 ? `${['', '2nd ', '3rd '][k]}${kindName(x.kind)}` : `${k + 1}th ${kindName(x.kind)}`;
}

/** Why the route s → r carries nothing on s's stream m going to `target`; undefined when media can flow. */
function problem(s: StreamSession, m: number, r: StreamSession, target: number): string | undefined {
	if (target === RouterError.NOSTREAM) return `recipient ${r.id} has no ${ordinalName(s, m)} stream`;
	if (target < 0) return `the router could not resolve it (error ${target})`;
	if (r.mlines.length === 0) return `recipient ${r.id} has not negotiated its streams yet (resolved when it does)`;
	if (!s.mlines[m].send) return `session ${s.id} does not send on its m-line ${m}`;
	if (target >= r.mlines.length || !r.mlines[target].recv) return `recipient ${r.id} does not receive on its m-line ${target}`;
	return undefined;
}

export interface StreamRoute { mindex: number; type: string; recipientMindex: number | null; carries: boolean; reason?: string }

/** Where the every-stream route s → r takes each active stream of s now; `log` gets the verb lines. */
export function resolveRoute(router: RouterBinding, s: StreamSession, r: StreamSession, context: string,
	log: (line: string) => void): { pending: boolean; streams: StreamRoute[] } {
	const streams: StreamRoute[] = [];
	s.mlines.forEach((x, m) => {
		if (!x.active || x.kind === StreamDesc.OTHER) return;
		const target = s.slot >= 0 && r.slot >= 0 ? router.streamResolve(s.slot, m, r.slot) : RouterError.SLOT;
		const why = problem(s, m, r, target);
		streams.push({ mindex: m, type: kindName(x.kind), recipientMindex: target >= 0 ? target : null, carries: !why, ...(why ? { reason: why } : {}) });
		if (why) log(`${context}: route ${s.id} -> ${r.id} carries nothing from m-line ${m} (${kindName(x.kind)}): ${why}`);
	});
	if (s.mlines.length === 0) log(`${context}: route ${s.id} -> ${r.id}: session ${s.id} has not negotiated its streams yet (resolved when it does)`);
	return { pending: s.mlines.length === 0 || r.mlines.length === 0, streams };
}

/** SessionInfo.streams. */
export function streamsJson(s: StreamSession): StreamInfo[] {
	return s.mlines.map((x, m) => ({ mindex: m, type: kindName(x.kind), mid: x.mid || null, active: x.active, send: x.send, recv: x.recv }));
}
