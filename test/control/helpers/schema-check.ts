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
	true: (v) => v === true,
};

/** The named record types of the schema (`types`: SessionInfo, RecipientResult, ...). */
export const schemaTypes = (schema as unknown as { types: Record<string, ParamSpec> }).types;

function matches(type: string, value: unknown): boolean {
	return type.split('|').some((alt) => {
		if (TYPES[alt]) return TYPES[alt](value);
		if (alt.endsWith('[]')) return Array.isArray(value) && value.every((v) => matches(alt.slice(0, -2), v));
		if (schemaTypes[alt]) return checkParams(schemaTypes[alt], value).length === 0;
		return value === alt;
	});
}

/** Problems of a value against a schema type (`boolean`, `SessionInfo`, `StreamRoute[]`, ...). */
export function checkValue(type: string, value: unknown, where = 'value'): string[] {
	const base = type.endsWith('[]') ? type.slice(0, -2) : type;
	if (type.endsWith('[]')) {
		if (!Array.isArray(value)) return [`${where} is not an array`];
		return value.flatMap((v, i) => checkValue(base, v, `${where}[${i}]`));
	}
	const spec = schemaTypes[type];
	if (spec) return checkParams(spec, value).map((p) => `${where}: ${p}`);
	return matches(type, value) ? [] : [`${where}=${JSON.stringify(value)} is not ${type}`];
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
		if (!matches(type, p[key])) {
			const inner = type.includes('|') ? [] : checkValue(type, p[key], key);
			problems.push(...(inner.length ? inner : [`${key}=${JSON.stringify(p[key])} is not ${type}`]));
		}
	}
	for (const key of Object.keys(p)) if (!known.has(key)) problems.push(`unknown parameter ${key}`);
	return problems;
}

export const appToPlugin = schema.appToPlugin as Record<string, { params: ParamSpec; result?: string }>;
export const pluginToAppRequests = schema.pluginToAppRequests as Record<string, { params: ParamSpec; result?: string }>;
export const pluginToAppNotifications = schema.pluginToAppNotifications as Record<string, ParamSpec>;
