/**
 * ScriptEngine: what ScriptApp needs of an interpreter running a janus_lua or
 * janus_duktape script (LuaEngine, DuktapeEngine): call a global function with plain
 * values under a time budget, and say how the language answers handleMessage.
 */
import type { JsonObject } from '../protocol/types';
import type { JanusFunctions } from './JanusFunctions';

/** Values passed to script functions: nil/null, booleans, numbers, text, bytes. */
export type ScriptIn = null | boolean | number | string | Uint8Array;

/** Values script functions return (strings as text; other types by name only). */
export type ScriptOut = null | boolean | number | string | { type: string };

/** The script raised an error (Lua `error`, a JavaScript exception). */
export class ScriptError extends Error {
	override name = 'ScriptError';
	/** The traceback, for the log (the message goes to clients in error replies). */
	readonly detail?: string;
	constructor(message: string, detail?: string) {
		super(message);
		this.detail = detail;
	}
}

/** The call ran past its budget and was stopped; the script's state is kept. */
export class ScriptTimeout extends ScriptError {
	override name = 'ScriptTimeout';
}

/** The interpreter had to be torn down (runaway code ignored the stop): restart() it. */
export class ScriptVmLost extends ScriptError {
	override name = 'ScriptVmLost';
}

export interface ScriptCallOptions {
	/** How many results to keep (Lua pads missing ones with nil). */
	results: number;
	/** Stop the call after this many ms. */
	budgetMs: number;
}

/** What handleMessage's results mean: a synchronous reply, an async ack, or an error reply. */
export type MessageOutcome = { reply: JsonObject } | { async: true } | { error: string };

export interface ScriptEngine {
	/** The script file. */
	readonly file: string;
	/** 'Lua' or 'Duktape' (for messages). */
	readonly language: string;
	/** How many results handleMessage gives (Lua: code and JSON; Duktape: one value). */
	readonly messageResults: number;
	/** Turns handleMessage's results into an outcome, as janus_lua / janus_duktape do. */
	messageOutcome(results: ScriptOut[]): MessageOutcome;
	/** Makes the Janus functions the script's globals and runs the script's top-level code. */
	load(functions: JanusFunctions, budgetMs: number): void;
	/** Whether the script defines global function `name`. */
	defines(name: string): boolean;
	/** Calls global function `name`; undefined when it is not a function. */
	call(name: string, args: ScriptIn[], options: ScriptCallOptions): ScriptOut[] | undefined;
	/**
	 * After ScriptVmLost: a fresh interpreter with the script loaded again (its top-level
	 * code run). Synchronous (returns nothing) when a spare instance is ready.
	 */
	restart(budgetMs: number): void | Promise<void>;
	close(): void;
}

/** The functions janus_lua and janus_duktape refuse to start without. */
export const REQUIRED_FUNCTIONS = [
	'init', 'destroy', 'resumeScheduler', 'createSession', 'destroySession', 'querySession',
	'handleMessage', 'setupMedia', 'hangupMedia',
] as const;

/** Optional functions that override the plugin's information (janus_lua's getters). */
export const INFO_FUNCTIONS = ['getVersion', 'getVersionString', 'getDescription', 'getName', 'getAuthor', 'getPackage'] as const;

/** lua_tostring / duk_get_string of a result: text, numbers as text, anything else null. */
export function asText(v: ScriptOut | undefined): string | null {
	if (typeof v === 'string') return v;
	if (typeof v === 'number') return String(v);
	return null;
}

/** lua_tonumber of a result: numbers, numeric text, anything else 0. */
export function asNumber(v: ScriptOut | undefined): number {
	if (typeof v === 'number') return v;
	if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
	return 0;
}

/** Parses a JSON text a script returned into an object, or null. */
export function jsonObject(text: string | null): JsonObject | null {
	if (text === null) return null;
	try {
		const v = JSON.parse(text);
		return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
	} catch {
		return null;
	}
}
