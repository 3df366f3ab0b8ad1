/**
 * Request validation as Janus's own plugins do it (JANUS_VALIDATE_JSON_OBJECT), with the
 * same error texts, so an app can answer a malformed request exactly like the C plugin it
 * replaces:
 *
 *   const SET = { audio: 'boolean', bitrate: 'positive integer' } as const;
 *   validate(message, SET, { missing: 475, invalid: 474 });   // throws RequestError
 *
 *   "Missing mandatory element (username)"                    missing required parameter
 *   "Invalid element type (bitrate should be a positive integer)"
 *
 * A parameter is required when its type is written with a leading `!`: `'!string'`.
 */
import type { JsonObject } from '../../src';

/** An error reply of a plugin request: `{error_code, error}` in the plugin's event. */
export class RequestError extends Error {
	constructor(readonly code: number, message: string) {
		super(message);
		this.name = 'RequestError';
	}
}

/** Janus's parameter types (jansson type + flags), named as Janus writes them in errors. */
export type ParamType = 'string' | 'non-empty string' | 'boolean' | 'integer' | 'positive integer' | 'array' | 'non-empty array' | 'object';
export type ParamSpec = Record<string, ParamType | `!${ParamType}`>;

/** Whether `v` is a valid `type` (jansson's view: an integer is a number without fraction). */
function isValid(v: unknown, type: ParamType): boolean {
	switch (type) {
		case 'string': return typeof v === 'string';
		case 'non-empty string': return typeof v === 'string' && v.length > 0;
		case 'boolean': return typeof v === 'boolean';
		case 'integer': return Number.isInteger(v);
		case 'positive integer': return Number.isInteger(v) && (v as number) >= 0;
		case 'array': return Array.isArray(v);
		case 'non-empty array': return Array.isArray(v) && v.length > 0;
		case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
	}
}

/** "a string", "an integer", "a positive integer", ... (janus_get_json_type_name). */
function typeName(type: ParamType): string {
	return /^(integer|array|object)$/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Checks `message` against `spec` in the spec's order and throws the first problem as a
 * RequestError with `codes.missing` or `codes.invalid`.
 */
export function validate(message: JsonObject, spec: ParamSpec, codes: { missing: number; invalid: number }): void {
	for (const [name, declared] of Object.entries(spec)) {
		const required = declared.startsWith('!');
		const type = (required ? declared.slice(1) : declared) as ParamType;
		const value = message[name];
		if (value === undefined) {
			if (required) throw new RequestError(codes.missing, `Missing mandatory element (${name})`);
			continue;
		}
		if (!isValid(value, type)) throw new RequestError(codes.invalid, `Invalid element type (${name} should be ${typeName(type)})`);
	}
}
