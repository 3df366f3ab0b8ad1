/**
 * LuaEngine: runs a janus_lua script in a LuaVm (Lua 5.4 in WebAssembly) for ScriptApp.
 *
 *   const engine = await LuaEngine.create('/usr/share/janus/lua/echotest.lua');
 *   const app = new ScriptApp(engine);            // loads the script with the Janus functions
 *   await run(app.definition, { socketPath });
 *
 * A spare WebAssembly instance is kept compiled, so that replacing a torn-down VM
 * (LuaVmAborted: runaway code that ignored its timeout error) is synchronous.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LuaWasm } from 'wasmoon';
import type { JanusFunctions } from '../script/JanusFunctions';
import {
	ScriptError, ScriptTimeout, ScriptVmLost, asNumber, asText, jsonObject,
	type MessageOutcome, type ScriptCallOptions, type ScriptEngine, type ScriptIn, type ScriptOut,
} from '../script/ScriptEngine';
import { registerLuaBindings } from './luaBindings';
import { hostFunctions, mirrorWorkingDirectory, modulePath, preludeSource } from './luaModules';
import { LuaRuntimeError, LuaTimeout, LuaVm, LuaVmAborted, type LuaOut } from './LuaVm';

export interface LuaEngineOptions {
	/** More folders for `require`, searched after the script's own (janus_lua's jcfg `path`). */
	modulePaths?: string[];
}

export class LuaEngine implements ScriptEngine {
	readonly language = 'Lua';
	readonly messageResults = 2;
	readonly file: string;
	readonly #path: string;
	#vm?: LuaVm;
	#spare?: LuaWasm;
	#functions?: JanusFunctions;

	private constructor(file: string, spare: LuaWasm, options: LuaEngineOptions) {
		this.file = path.resolve(file);
		this.#spare = spare;
		this.#path = modulePath(path.dirname(this.file), options.modulePaths);
	}

	/** Reads nothing yet: compiles the interpreter (twice: one spare). load() runs the script. */
	static async create(file: string, options: LuaEngineOptions = {}): Promise<LuaEngine> {
		if (!fs.existsSync(file)) throw new Error(`janus-ts: no Lua script at ${file}`);
		const engine = new LuaEngine(file, await LuaVm.loadModule(), options);
		engine.#refillSpare();
		return engine;
	}

	/** The VM (tests). */
	get vm(): LuaVm | undefined { return this.#vm; }

	/** Makes a VM with the Janus functions and runs the script's top-level code. */
	load(functions: JanusFunctions, budgetMs: number): void {
		this.#functions = functions;
		const module = this.#spare;
		if (!module) throw new Error('janus-ts: no Lua interpreter instance ready');
		this.#spare = undefined;
		this.#refillSpare();
		const vm = new LuaVm(module);
		this.#vm = vm;
		mirrorWorkingDirectory(vm);
		registerLuaBindings(vm, functions);
		vm.registerTable('janus_ts_host', hostFunctions(vm));
		try {
			vm.run(preludeSource(), '@janus-ts/prelude.lua', [this.#path]);
			vm.run(fs.readFileSync(this.file), `@${this.file}`, [], { budgetMs });
		} catch (err) {
			throw this.#scriptError(err, `loading ${path.basename(this.file)}`);
		}
	}

	defines(name: string): boolean {
		return this.#vm?.isFunction(name) ?? false;
	}

	call(name: string, args: ScriptIn[], options: ScriptCallOptions): ScriptOut[] | undefined {
		const vm = this.#vm;
		if (!vm) throw new ScriptError('Lua error: the script is not loaded');
		const budgetMs = options.budgetMs;
		try {
			const out = vm.call(name, args, options.results, {
				budgetMs, graceMs: Math.min(250, Math.max(25, budgetMs / 20)),
				timeoutMessage: `janus-ts: ${name} ran longer than ${budgetMs} ms and was stopped`,
			});
			return out?.map(fromLua);
		} catch (err) {
			throw this.#scriptError(err, `in ${name}`);
		}
	}

	/** janus_lua: `(int)lua_tonumber(code)` < 0 error (reason = the text), 0 sync reply (JSON text), > 0 async. */
	messageOutcome([codeValue, response]: ScriptOut[]): MessageOutcome {
		const code = Math.trunc(asNumber(codeValue));
		const text = asText(response);
		if (code < 0) return { error: text ?? 'Lua error' };
		if (code > 0) return { async: true };
		const reply = jsonObject(text);
		return reply ? { reply } : { error: 'Lua error: handleMessage returned 0 without a JSON object text' };
	}

	restart(budgetMs: number): void | Promise<void> {
		this.#vm?.close();
		this.#vm = undefined;
		const functions = this.#functions!;
		if (this.#spare) { this.load(functions, budgetMs); return; }
		return LuaVm.loadModule().then((module) => {
			this.#spare = module;
			this.load(functions, budgetMs);
		});
	}

	close(): void {
		this.#vm?.close();
		this.#vm = undefined;
	}

	#refillSpare(): void {
		if (this.#spare) return;
		LuaVm.loadModule().then((module) => { this.#spare ??= module; }, () => { /* next restart loads one itself */ });
	}

	#scriptError(err: unknown, where: string): Error {
		if (err instanceof LuaVmAborted) return new ScriptVmLost(`Lua error ${where}: ${err.message}`);
		if (err instanceof LuaTimeout) return new ScriptTimeout(`Lua error ${where}: ${withoutTraceback(err.message)}`, err.message);
		if (err instanceof LuaRuntimeError) return new ScriptError(`Lua error ${where}: ${withoutTraceback(err.message)}`, err.message);
		return err as Error;
	}
}

function fromLua(v: LuaOut): ScriptOut {
	return Buffer.isBuffer(v) ? v.toString('utf8') : v;
}

/** A Lua error message without the traceback the message handler added. */
function withoutTraceback(message: string): string {
	return message.split('\nstack traceback:')[0];
}
