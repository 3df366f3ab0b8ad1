/**
 * JSON text as Janus hands it to janus_lua / janus_duktape scripts: jansson's
 * `json_dumps(value, JSON_INDENT(0) | JSON_PRESERVE_ORDER)`, which puts a space after
 * every `,` and `:` but no newlines, keeps non-ASCII characters as they are, escapes
 * control characters as \b \f \n \r \t or \u00XX and does not escape `/`.
 *
 *   janssonDumps({ request: 'join', room: 1234 })   // '{"request": "join", "room": 1234}'
 */
export function janssonDumps(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return quote(value);
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (Array.isArray(value)) return `[${value.map(janssonDumps).join(', ')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
		return `{${entries.map(([k, v]) => `${quote(k)}: ${janssonDumps(v)}`).join(', ')}}`;
	}
	return 'null';
}

const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function quote(s: string): string {
	// eslint-disable-next-line no-control-regex
	return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
