/**
 * jcfg.ts — reads Janus's configuration files (libconfig syntax, `.jcfg`), so a room app
 * can load its rooms from the same file the native plugin uses, e.g. Debian's
 * /etc/janus/janus.plugin.videoroom.jcfg:
 *
 *   general: { }
 *   room-1234: { description = "Demo Room"  secret = "adminpwd"  publishers = 6 }
 *
 * Settings are `name = value` or `name: value`, optionally ended by `;` or `,`; values are
 * strings ("..." with escapes, adjacent strings joined), numbers, booleans, groups `{}`,
 * arrays `[]` and lists `()`; comments are `#`, `//` and C-style.
 */
import * as fs from 'node:fs';

export type JcfgValue = string | number | boolean | JcfgValue[] | JcfgGroup;
export interface JcfgGroup { [name: string]: JcfgValue }

/** A syntax error, with the line it was found on. */
export class JcfgError extends Error {}

class Parser {
	#pos = 0;
	constructor(readonly text: string) {}

	parseFile(): JcfgGroup {
		const out = this.settings();
		this.skip();
		if (this.#pos < this.text.length) this.fail(`unexpected '${this.text[this.#pos]}'`);
		return out;
	}

	/** Settings until the end of the text or a closing brace. */
	settings(): JcfgGroup {
		const out: JcfgGroup = {};
		for (;;) {
			this.skip();
			if (this.#pos >= this.text.length || this.text[this.#pos] === '}') return out;
			const name = this.name();
			this.skip();
			if (!this.eat(':') && !this.eat('=')) this.fail(`expected '=' or ':' after ${name}`);
			out[name] = this.value();
			this.skip();
			if (!this.eat(';')) this.eat(',');
		}
	}

	value(): JcfgValue {
		this.skip();
		const c = this.text[this.#pos];
		if (c === '{') { this.#pos++; const g = this.settings(); this.expect('}'); return g; }
		if (c === '[' || c === '(') return this.sequence(c === '[' ? ']' : ')');
		if (c === '"') return this.strings();
		return this.scalar();
	}

	sequence(close: string): JcfgValue[] {
		this.#pos++;
		const out: JcfgValue[] = [];
		for (;;) {
			this.skip();
			if (this.eat(close)) return out;
			out.push(this.value());
			this.skip();
			if (!this.eat(',')) { this.expect(close); return out; }
		}
	}

	/** One or more adjacent string literals, joined. */
	strings(): string {
		let s = '';
		do { s += this.string(); this.skip(); } while (this.text[this.#pos] === '"');
		return s;
	}

	string(): string {
		const start = this.#pos;
		this.#pos++;
		let s = '';
		for (;;) {
			const c = this.text[this.#pos++];
			if (c === undefined) { this.#pos = start; this.fail('unterminated string'); }
			if (c === '"') return s;
			if (c !== '\\') { s += c; continue; }
			const e = this.text[this.#pos++];
			s += ({ n: '\n', t: '\t', r: '\r', f: '\f', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
		}
	}

	scalar(): JcfgValue {
		const m = /^[^\s;,)\]}#]+/.exec(this.text.slice(this.#pos));
		if (!m) this.fail('expected a value');
		const word = m![0];
		this.#pos += word.length;
		if (/^true$/i.test(word)) return true;
		if (/^false$/i.test(word)) return false;
		const num = word.replace(/L{1,2}$/, '');
		if (/^[-+]?(0x[0-9a-f]+|\d+(\.\d*)?(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?)$/i.test(num)) return Number(num);
		this.fail(`bad value '${word}'`);
		return word;
	}

	name(): string {
		const m = /^[A-Za-z*][-A-Za-z0-9_*]*/.exec(this.text.slice(this.#pos));
		if (!m) this.fail('expected a setting name');
		this.#pos += m![0].length;
		return m![0];
	}

	/** Skips white space and comments. */
	skip(): void {
		for (;;) {
			const rest = this.text.slice(this.#pos);
			const m = /^(\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
			if (!m) return;
			this.#pos += m[0].length;
		}
	}

	eat(c: string): boolean {
		if (this.text[this.#pos] !== c) return false;
		this.#pos++;
		return true;
	}

	expect(c: string): void {
		this.skip();
		if (!this.eat(c)) this.fail(`expected '${c}'`);
	}

	fail(what: string): never {
		const line = this.text.slice(0, this.#pos).split('\n').length;
		throw new JcfgError(`jcfg line ${line}: ${what}`);
	}
}

/** Parses jcfg text into nested plain objects. Throws JcfgError on a syntax error. */
export function parseJcfg(text: string): JcfgGroup {
	return new Parser(text).parseFile();
}

/**
 * The jcfg an app was configured with (jcfg `app_config` of janus.plugin.ts): empty → null;
 * a path to an existing file → that file; anything else → the text itself.
 */
export function loadAppConfig(config: string): JcfgGroup | null {
	const trimmed = config.trim();
	if (trimmed === '') return null;
	const isPath = !/[\n{=:]/.test(trimmed) || (!trimmed.includes('\n') && fs.existsSync(trimmed));
	return parseJcfg(isPath ? fs.readFileSync(trimmed, 'utf8') : trimmed);
}

/** Janus's reading of a jcfg boolean: true, "yes", "true", "1" (case-insensitive). */
export function cfgBool(v: JcfgValue | undefined, fallback: boolean): boolean {
	if (v === undefined) return fallback;
	if (typeof v === 'boolean') return v;
	if (typeof v === 'number') return v !== 0;
	return typeof v === 'string' && /^(yes|true|1)$/i.test(v.trim());
}

/** A non-negative integer setting (number or numeric string), or the fallback. */
export function cfgInt(v: JcfgValue | undefined, fallback: number): number {
	const n = typeof v === 'string' ? Number(v.trim()) : v;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** A string setting (numbers are turned into strings, as Janus keeps every value as text). */
export function cfgStr(v: JcfgValue | undefined): string | undefined {
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return undefined;
}
