/**
 * Validates protocol params against control-ts/src/protocol/schema.json, the way the
 * plugin must: required keys present, optional keys (`name?`) allowed, no unknown
 * keys, each value of the declared type. Type strings: number, string, boolean,
 * object, null, string[], base64, or `a|b|c` where each part is a type or a literal.
 */
import { protocolSchema as schema } from 'janus-ts';

export { schema };
export type ParamSpec = Record<string, string>;

const TYPES: Record<string, (v: unknown) => boolean> = {
	number: (v) => typeof v === 'number' && Number.isFinite(v),
	string: (v) => typeof v === 'string',
	boolean: (v) => typeof v === 'boolean',
	object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
	null: (v) => v === null,
	'string[]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
	base64: (v) => typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
};

function matches(type: string, value: unknown): boolean {
	return type.split('|').some((alt) => (TYPES[alt] ? TYPES[alt](value) : value === alt));
}

/** Returns the problems of `params` against `spec` (empty when valid). */
export function checkParams(spec: ParamSpec, params: unknown): string[] {
	if (!TYPES.object(params)) return ['params is not an object'];
	const p = params as Record<string, unknown>;
	const problems: string[] = [];
	const known = new Set<string>();
	for (const [rawKey, type] of Object.entries(spec)) {
		const optional = rawKey.endsWith('?');
		const key = optional ? rawKey.slice(0, -1) : rawKey;
		known.add(key);
		if (!(key in p) || p[key] === undefined) {
			if (!optional) problems.push(`missing ${key}`);
			continue;
		}
		if (!matches(type, p[key])) problems.push(`${key}=${JSON.stringify(p[key])} is not ${type}`);
	}
	for (const key of Object.keys(p)) if (!known.has(key)) problems.push(`unknown parameter ${key}`);
	return problems;
}

export const appToPlugin = schema.appToPlugin as Record<string, { params: ParamSpec; result?: string }>;
export const pluginToAppRequests = schema.pluginToAppRequests as Record<string, { params: ParamSpec; result?: string }>;
export const pluginToAppNotifications = schema.pluginToAppNotifications as Record<string, ParamSpec>;
