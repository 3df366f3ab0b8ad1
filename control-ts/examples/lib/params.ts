/**
 * params.ts — request validation with the wording and error codes of Janus's own
 * plugins (its JANUS_VALIDATE_JSON_OBJECT and JANUS_CHECK_SECRET helpers), so a client
 * gets the same `error_code` and `error` from a TypeScript app as from the C plugin:
 *
 *   checkParams(msg, [['room', 'integer', 'required positive'], ['pin', 'string']], CODES);
 *   // → throws RequestError(429, 'Missing mandatory element (room)')
 *   //   or RequestError(430, 'Invalid element type (pin should be a string)')
 *
 * Parameters are checked in the order given and the first failure is reported, as Janus does.
 */
import type { JsonObject } from '../../src';

export type JsonType = 'string' | 'integer' | 'boolean' | 'array' | 'object';
/** `[name, type, flags?]`; flags: 'required', 'positive' (≥ 0), 'nonempty', space-separated. */
export type Param = readonly [name: string, type: JsonType, flags?: string];

/** The codes a plugin uses for a missing, a mistyped and a wrong secret element. */
export interface ErrorCodes {
	missing: number;
	invalid: number;
	unauthorized: number;
}

/** A request refused with a plugin error code (`error_code`) and text (`error`). */
export class RequestError extends Error {
	constructor(readonly code: number, message: string) {
		super(message);
		this.name = 'RequestError';
	}
}

function isType(v: unknown, type: JsonType): boolean {
	switch (type) {
		case 'string': return typeof v === 'string';
		case 'integer': return typeof v === 'number' && Number.isInteger(v);
		case 'boolean': return typeof v === 'boolean';
		case 'array': return Array.isArray(v);
		case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
	}
}

/** Janus's type names: "a string", "an integer", "a positive integer", "a non-empty array". */
export function typeName(type: JsonType, flags = ''): string {
	if (flags.includes('positive')) return `a positive ${type}`;
	if (flags.includes('nonempty')) return `a non-empty ${type}`;
	return `${type === 'integer' || type === 'array' || type === 'object' ? 'an' : 'a'} ${type}`;
}

function isValid(v: unknown, type: JsonType, flags: string): boolean {
	if (!isType(v, type)) return false;
	if (flags.includes('positive') && typeof v === 'number') return v >= 0;
	if (flags.includes('nonempty') && (typeof v === 'string' || Array.isArray(v))) return v.length > 0;
	return true;
}

/** Throws a RequestError for the first missing or mistyped parameter of `obj`. */
export function checkParams(obj: JsonObject, params: readonly Param[], codes: ErrorCodes): void {
	for (const [name, type, flags = ''] of params) {
		const v = obj[name];
		if (v === undefined) {
			if (flags.includes('required')) throw new RequestError(codes.missing, `Missing mandatory element (${name})`);
			continue;
		}
		if (!isValid(v, type, flags)) {
			throw new RequestError(codes.invalid, `Invalid element type (${name} should be ${typeName(type, flags)})`);
		}
	}
}

/**
 * When `secret` is set, requires `obj[member]` to be a string equal to it (compared in
 * constant time); throws "Unauthorized (wrong secret)" (or pin, ...) otherwise.
 */
export function checkSecret(secret: string | undefined, obj: JsonObject, member: string, codes: ErrorCodes): void {
	if (secret === undefined) return;
	checkParams(obj, [[member, 'string', 'required']], codes);
	if (!sameText(secret, obj[member] as string)) throw new RequestError(codes.unauthorized, `Unauthorized (wrong ${member})`);
}

/** Constant-time comparison of two strings (length leaks, content does not). */
export function sameText(a: string, b: string): boolean {
	const x = Buffer.from(a), y = Buffer.from(b);
	let diff = x.length ^ y.length;
	for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
	return diff === 0;
}

/** An array whose every element is a string, or undefined. */
export function stringArray(v: unknown): string[] | undefined {
	return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
}
