/**
 * Logger: lines that land both on stdout and in the Janus log (through the plugin's
 * `log` request). Sending to Janus is best effort: while disconnected the line only
 * goes to stdout. With `quietWhenForwarded` (the app runs under the plugin's
 * `app_command`, whose stdout the plugin already copies into the Janus log) lines are
 * not printed while they reach Janus through `log`, so they do not show twice.
 */
import type { LogLevel } from './protocol/types';

/** Order of the levels, most severe first (Janus's own order). */
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'verb', 'huge', 'dbg'];

export interface LoggerOptions {
	/** Text put before every line, e.g. the app name. Default: ''. */
	prefix?: string;
	/** Most verbose level printed on stdout. Default: `JANUS_TS_LOG_LEVEL` or 'verb'. */
	stdoutLevel?: LogLevel;
	/** Where stdout lines go. Default: process.stdout. */
	write?: (line: string) => void;
	/** Skip stdout while lines reach the Janus log through the sink. Default: false. */
	quietWhenForwarded?: boolean;
}

/** Forwards lines to Janus (the plugin's `log` request). */
export interface LogSink {
	send(level: LogLevel, message: string): Promise<unknown>;
	/** Whether `send` can reach Janus now. */
	connected(): boolean;
}

export class Logger {
	readonly #prefix: string;
	readonly #stdoutRank: number;
	readonly #write: (line: string) => void;
	readonly #quietWhenForwarded: boolean;
	#sink?: LogSink;

	constructor(options: LoggerOptions = {}) {
		this.#prefix = options.prefix ? `[${options.prefix}] ` : '';
		const envLevel = process.env.JANUS_TS_LOG_LEVEL as LogLevel | undefined;
		const level = options.stdoutLevel ?? (envLevel && LOG_LEVELS.includes(envLevel) ? envLevel : 'verb');
		this.#stdoutRank = LOG_LEVELS.indexOf(level);
		this.#write = options.write ?? ((line) => process.stdout.write(line + '\n'));
		this.#quietWhenForwarded = options.quietWhenForwarded ?? false;
	}

	/** Connects the logger to Janus (set by the runtime once connected). */
	setSink(sink: LogSink | undefined): void { this.#sink = sink; }

	/** Logs one line at `level`, to stdout and to the Janus log. */
	log(level: LogLevel, ...parts: unknown[]): void {
		this.#log(level, this.#prefix + parts.map(format).join(' '));
	}

	/**
	 * Logs `parts` at `level` like `log`, with the stack frames of `err` under them on stdout
	 * only: the Janus log line stays one short line, the stack shows once (under
	 * `app_command` it reaches the Janus log through the copy of stdout, after the line).
	 */
	logError(level: LogLevel, err: unknown, ...parts: unknown[]): void {
		this.#log(level, this.#prefix + parts.map(format).join(' '), stackFrames(err));
	}

	#log(level: LogLevel, message: string, detail?: string): void {
		const forwarded = this.#sink?.connected() ?? false;
		if (detail || !(forwarded && this.#quietWhenForwarded)) this.stdout(level, message, detail);
		if (forwarded) this.#sink!.send(level, message).catch(() => { /* lost meanwhile: best effort */ });
	}

	/** Whether a line sent to Janus now should also be printed on stdout. */
	get printsForwardedLines(): boolean {
		return !(this.#quietWhenForwarded && (this.#sink?.connected() ?? false));
	}

	/** Prints one line (and `detail` lines under it) on stdout only, when `level` is within `stdoutLevel`. */
	stdout(level: LogLevel, message: string, detail?: string): void {
		if (LOG_LEVELS.indexOf(level) <= this.#stdoutRank) {
			this.#write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${detail ? `\n${detail}` : ''}`);
		}
	}

	fatal(...parts: unknown[]): void { this.log('fatal', ...parts); }
	error(...parts: unknown[]): void { this.log('error', ...parts); }
	warn(...parts: unknown[]): void { this.log('warn', ...parts); }
	info(...parts: unknown[]): void { this.log('info', ...parts); }
	verb(...parts: unknown[]): void { this.log('verb', ...parts); }
	debug(...parts: unknown[]): void { this.log('dbg', ...parts); }
}

function format(part: unknown): string {
	if (typeof part === 'string') return part;
	if (part instanceof Error) return part.stack ?? part.message;
	try { return JSON.stringify(part); } catch { return String(part); }
}

/** The `    at ...` lines of an error's stack (source-mapped for a .ts app), or undefined. */
export function stackFrames(err: unknown): string | undefined {
	const stack = err instanceof Error ? err.stack : undefined;
	const at = stack?.indexOf('\n    at ') ?? -1;
	return at >= 0 ? stack!.slice(at + 1) : undefined;
}
