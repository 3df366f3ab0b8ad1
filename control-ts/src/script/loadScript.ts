/**
 * Which kind of file `janus-ts run FILE` was given, and loading janus_lua / janus_duktape
 * scripts as apps:
 *
 * - `.lua`: a janus_lua script (LuaEngine);
 * - `.js` with `--duktape`, or a `.js` that looks like a janus_duktape script: it declares
 *   the `resumeScheduler` function janus_duktape requires at its top level and exports
 *   nothing (no `module.exports`, `exports.`, `export default`): DuktapeEngine;
 * - anything else: a janus-ts app module.
 */
import * as fs from 'node:fs';
import { DuktapeEngine } from '../duktape/DuktapeEngine';
import { LuaEngine } from '../lua/LuaEngine';
import { ScriptApp, type ScriptAppOptions } from './ScriptApp';

export type AppFileKind = 'lua' | 'duktape' | 'app';

export interface ScriptLoadOptions extends ScriptAppOptions {
	/** Treat a .js file as a janus_duktape script without looking at it. */
	duktape?: boolean;
	/** Module folder: Lua `require` path (after the script's folder); Duktape getModulesFolder(). */
	modules?: string;
}

export function appFileKind(file: string, options: { duktape?: boolean } = {}): AppFileKind {
	if (/\.lua$/i.test(file)) return 'lua';
	if (!/\.[cm]?js$/i.test(file)) return 'app';
	if (options.duktape) return 'duktape';
	return looksLikeDuktapeScript(file) ? 'duktape' : 'app';
}

/** A janus_duktape script declares resumeScheduler at top level and exports nothing. */
export function looksLikeDuktapeScript(file: string): boolean {
	let source: string;
	try {
		source = fs.readFileSync(file, 'utf8');
	} catch {
		return false;
	}
	const declares = /^function\s+resumeScheduler\s*\(/m.test(source);
	const exports = /\bmodule\.exports\b|\bexports\.\w+\s*=|^\s*export\s/m.test(source);
	return declares && !exports;
}

/** Loads a janus_lua (`kind` 'lua') or janus_duktape ('duktape') script as a janus-ts app. */
export async function loadScriptApp(file: string, kind: 'lua' | 'duktape', options: ScriptLoadOptions = {}): Promise<ScriptApp> {
	const modules = options.modules ? [options.modules] : [];
	const engine = kind === 'lua'
		? await LuaEngine.create(file, { modulePaths: modules })
		: new DuktapeEngine(file, { modulesFolder: options.modules });
	return new ScriptApp(engine, options);
}
