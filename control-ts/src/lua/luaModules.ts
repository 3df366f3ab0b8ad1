/**
 * What a janus_lua script finds when it `require`s: the module path and the host functions
 * the prelude (control-ts/lua/janus-ts/prelude.lua) builds `require`, `dofile` and
 * `io.open` on. The path, in order: the script's own folder, Janus's Lua folder
 * (/usr/share/janus/lua on Debian: janus-sdp.lua, janus-logger.lua), janus-ts's own
 * modules (control-ts/lua: json, ansicolors, term.colors, socket), then the usual system
 * folders of Lua 5.4 and 5.3 (pure-Lua modules installed by Debian packages).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LuaFunction, LuaVm } from './LuaVm';

/** janus-ts's Lua modules (control-ts/lua; this file compiles to control-ts/dist/src/lua/). */
export const LUA_MODULES_DIR = path.resolve(__dirname, '..', '..', '..', 'lua');

/** Where Debian's janus package puts janus-sdp.lua and janus-logger.lua. */
export const JANUS_LUA_DIR = '/usr/share/janus/lua';

const SYSTEM_DIRS = ['/usr/local/share/lua/5.4', '/usr/share/lua/5.4', '/usr/local/share/lua/5.3', '/usr/share/lua/5.3'];
const C_DIRS = ['/usr/local/lib/lua/5.4', '/usr/lib/x86_64-linux-gnu/lua/5.4', '/usr/lib/lua/5.4',
	'/usr/local/lib/lua/5.3', '/usr/lib/x86_64-linux-gnu/lua/5.3', '/usr/lib/lua/5.3'];

/** package.path for a script in `scriptDir` (extra folders, e.g. a jcfg `path`, come after its own). */
export function modulePath(scriptDir: string, extraDirs: string[] = []): string {
	const dirs = [scriptDir, ...extraDirs, JANUS_LUA_DIR, LUA_MODULES_DIR, ...SYSTEM_DIRS];
	const unique = [...new Set(dirs.map((d) => path.resolve(d)))];
	return unique.flatMap((d) => [`${d}/?.lua`, `${d}/?/init.lua`]).join(';');
}

/** The prelude's source. */
export function preludeSource(): Buffer {
	return fs.readFileSync(path.join(LUA_MODULES_DIR, 'janus-ts', 'prelude.lua'));
}

/** Host functions for the prelude and janus-ts's modules (the global table janus_ts_host). */
export function hostFunctions(vm: LuaVm): Record<string, LuaFunction> {
	return {
		readFile: (a) => readRegularFile(a.text(1)),
		findCModule: (a) => findCModule(a.text(1)),
		gettime: () => Date.now() / 1000,
		getenv: (a) => process.env[a.text(1) ?? ''] ?? null,
		stage: (a) => stageFile(vm, a.text(1)),
	};
}

function readRegularFile(file: string | null): Buffer | null {
	if (!file) return null;
	try {
		return fs.statSync(file).isFile() ? fs.readFileSync(file) : null;
	} catch {
		return null;
	}
}

function findCModule(name: string | null): string | null {
	if (!name) return null;
	const base = name.replace(/\./g, '/');
	const top = name.split('.')[0];
	for (const dir of C_DIRS) {
		for (const file of [`${dir}/${base}.so`, `${dir}/${top}.so`]) {
			if (fs.existsSync(file)) return file;
		}
	}
	return null;
}

/** Copies a real file into the interpreter's in-memory file system so that io.open can read it. */
function stageFile(vm: LuaVm, file: string | null): boolean {
	const bytes = readRegularFile(file);
	if (!file || !bytes) return false;
	const absolute = path.resolve(file);
	makeDirs(vm, path.dirname(absolute));
	vm.wasm.module.FS.writeFile(absolute, bytes);
	return true;
}

/** Gives the in-memory file system the process's working directory, so relative names agree. */
export function mirrorWorkingDirectory(vm: LuaVm): void {
	makeDirs(vm, process.cwd());
	vm.wasm.module.FS.chdir(process.cwd());
}

function makeDirs(vm: LuaVm, dir: string): void {
	let current = '';
	for (const part of dir.split('/').filter(Boolean)) {
		current += `/${part}`;
		try { vm.wasm.module.FS.mkdir(current); } catch { /* exists */ }
	}
}
