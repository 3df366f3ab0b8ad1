/**
 * The rest of what janus_duktape puts in a script's global scope besides the Janus
 * functions: `console` (lines in the Janus log: log/info/dir/trace at info, warn, error,
 * assert), Duktape's module loader (`Duktape.modSearch`, which the script defines, and
 * `require`), `getModulesFolder()`, `readFile(path)` and `getDuktapeVersion()`.
 */
import * as fs from 'node:fs';
import * as vm from 'node:vm';
import type { LogLevel } from '../protocol/types';

/** Duktape 2.7.0, the library Debian 12's janus_duktape is linked with. */
export const DUKTAPE_VERSION = 20700;

export interface GlobalsOptions {
	/** What getModulesFolder() answers (janus_duktape's jcfg `path`). */
	modulesFolder: string;
	log(level: LogLevel, message: string): void;
}

/** Installs console, Duktape, require, getModulesFolder, readFile and getDuktapeVersion in `context`. */
export function installGlobals(context: vm.Context, options: GlobalsOptions): void {
	const realmError = vm.runInContext('Error', context) as ErrorConstructor;
	const realmTypeError = vm.runInContext('TypeError', context) as TypeErrorConstructor;
	context.console = makeConsole(context, options.log);
	context.getModulesFolder = () => options.modulesFolder;
	context.getDuktapeVersion = () => DUKTAPE_VERSION;
	context.readFile = (file: unknown) => {
		if (typeof file !== 'string') throw new realmTypeError(`Invalid argument (expected string, got ${file === null ? 'null' : typeof file})`);
		try {
			return fs.readFileSync(file, 'utf8');
		} catch {
			throw new realmError(`Error opening file: ${file}`);
		}
	};
	const duktape = vm.runInContext('({ version: 0, env: "janus-ts", modLoaded: {} })', context);
	duktape.version = DUKTAPE_VERSION;
	context.Duktape = duktape;
	context.require = makeRequire(context, duktape, '', realmError);
}

function makeConsole(context: vm.Context, log: GlobalsOptions['log']): object {
	const format = (args: unknown[]) => args.map((a) => formatArg(a)).join(' ');
	const line = (level: LogLevel) => (...args: unknown[]) => { log(level, format(args)); };
	const console = vm.runInContext('({})', context);
	Object.assign(console, {
		log: line('info'), info: line('info'), dir: line('info'), trace: line('info'),
		warn: line('warn'), error: line('error'),
		assert: (ok: unknown, ...args: unknown[]) => { if (!ok) log('error', `AssertionError: ${format(args)}`); },
	});
	return console;
}

/** Duktape's console.format: objects as JSON (JX), falling back to String(). */
function formatArg(a: unknown): string {
	if (typeof a !== 'object' || a === null) return String(a);
	try {
		return JSON.stringify(a) ?? String(a);
	} catch {
		return String(a);
	}
}

type Module = { id: string; exports: unknown; loaded?: boolean };

/**
 * Duktape's require(id): resolves `id` against the requiring module's id, returns the
 * cached module, or asks Duktape.modSearch(id, require, exports, module) for its source
 * and runs it as `function (require, exports, module) { ... }`.
 */
function makeRequire(context: vm.Context, duktape: any, parentId: string, realmError: ErrorConstructor): (id: unknown) => unknown {
	return (id: unknown) => {
		if (typeof id !== 'string') throw new realmError('invalid module id');
		const resolved = resolveId(id, parentId);
		const cached = duktape.modLoaded[resolved] as Module | undefined;
		if (cached) return cached.exports;
		if (typeof duktape.modSearch !== 'function') throw new realmError(`cannot find module: ${resolved} (Duktape.modSearch is not defined)`);
		const module: Module = vm.runInContext('({ exports: {} })', context);
		module.id = resolved;
		duktape.modLoaded[resolved] = module;
		const require = makeRequire(context, duktape, resolved, realmError);
		try {
			const source = duktape.modSearch(resolved, require, module.exports, module);
			if (typeof source === 'string') {
				const fn = vm.compileFunction(source, ['require', 'exports', 'module'], { parsingContext: context, filename: resolved });
				fn.call(module.exports, require, module.exports, module);
			}
		} catch (err) {
			delete duktape.modLoaded[resolved];
			throw err;
		}
		module.loaded = true;
		return module.exports;
	};
}

/** Duktape's id resolution: './x' and '../x' relative to the parent's id, other ids from the top. */
function resolveId(id: string, parentId: string): string {
	const base = id.startsWith('./') || id.startsWith('../') ? parentId.split('/').slice(0, -1) : [];
	for (const term of id.split('/')) {
		if (term === '.' || term === '') continue;
		if (term === '..') base.pop();
		else base.push(term);
	}
	return base.join('/');
}
