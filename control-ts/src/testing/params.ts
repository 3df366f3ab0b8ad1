/**
 * Parameter validation of app → plugin requests, driven by schema.json (the types of
 * each method's params) plus the ranges host-c/control/control_params.c applies, with
 * its reasons: `"id: missing"`, `"mindex: 256 is out of range [0, 255]"`,
 * `"medium: expected one of audio|video|data, got 'x'"`. An optional parameter given as
 * null counts as absent.
 */
import { BadArguments } from '../errors';
import schema from '../protocol/schema.json';
import type { JsonObject } from '../protocol/types';

const U32 = 0xffffffff;
/** Integer ranges of host-c by parameter name (ids are 1 … 2^32-1). */
const RANGES: Record<string, [number, number]> = {
	id: [1, U32], recipient: [1, U32], mindex: [0, 255], recipientMindex: [0, 255],
	substream: [0, 2], temporal: [0, 2], spatial: [0, 2], bitrate: [0, U32], seconds: [0, U32], protocol: [0, 0x7fffffff],
	ridExtId: [1, 255], window: [0, 65535], threshold: [1, 127], maxAgeMs: [0, 3600000], port: [1, 65535], ssrc: [0, U32],
	pt: [0, 127], forwarder: [1, U32],
};
/** Array parameters host-c checks element by element (control_media.c; plugin-media.ts here). */
const CHECKED_ARRAYS = new Set(['rids', 'ssrcs', 'ids']);

type MethodSchema = { params: Record<string, string> };
const METHODS = schema.appToPlugin as Record<string, MethodSchema>;

/** The methods of the schema (`appToPlugin`). */
export const methodNames = (): string[] => Object.keys(METHODS);

/** Validates `params` of `method`; returns them with nulls of optional ones removed. Throws BadArguments. */
export function validateParams(method: string, params: JsonObject): JsonObject {
	const spec = METHODS[method]?.params ?? {};
	const out: JsonObject = {};
	for (const [rawName, type] of Object.entries(spec)) {
		const optional = rawName.endsWith('?');
		const name = optional ? rawName.slice(0, -1) : rawName;
		const v = params[name];
		if (v === undefined || v === null) {
			if (!optional) throw new BadArguments(`${name}: missing`);
			continue;
		}
		out[name] = checkValue(name, type, v);
	}
	return out;
}

function checkValue(name: string, type: string, v: unknown): unknown {
	const base = type.replace(/\|null$/, '');
	if (CHECKED_ARRAYS.has(name)) return v;
	if (base === 'number') return checkInt(name, v);
	if (base === 'boolean') { if (typeof v !== 'boolean') throw bad(name, 'a boolean'); return v; }
	if (base === 'string') { if (typeof v !== 'string') throw bad(name, 'a string'); return v; }
	if (base === 'object') { if (typeof v !== 'object' || Array.isArray(v)) throw bad(name, 'an object'); return v; }
	if (base === 'string[]') { if (!Array.isArray(v)) throw new BadArguments(`${name}: expected an array of strings`); return v; }
	if (base === 'base64') return checkBase64(name, v);
	if (base.includes('|')) {
		if (typeof v !== 'string') throw bad(name, 'a string');
		if (!base.split('|').includes(v)) throw new BadArguments(`${name}: expected one of ${base}, got '${v}'`);
		return v;
	}
	return v;
}

function checkInt(name: string, v: unknown): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) >= 9e15) throw bad(name, 'an integer');
	const [lo, hi] = RANGES[name] ?? [-9e15, 9e15];
	if (v < lo || v > hi) throw new BadArguments(`${name}: ${v} is out of range [${lo}, ${hi}]`);
	return v;
}

/** Standard base64, padding optional, no whitespace (host-c's ctl_param_b64). */
function checkBase64(name: string, v: unknown): Buffer {
	if (typeof v !== 'string') throw bad(name, 'a string');
	const m = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(v);
	if (!m || (m[1].length % 4) === 1) throw bad(name, 'base64 data');
	return Buffer.from(v, 'base64');
}

const bad = (name: string, expected: string) => new BadArguments(`${name}: expected ${expected}`);
