/**
 * DuktapeEngine: runs a janus_duktape script (ES5 JavaScript with janus_duktape's global
 * functions) in a Node `vm` context for ScriptApp.
 *
 * Every call into the script goes through `vm.Script#runInContext` with a `timeout`: V8
 * stops code that runs past it (an exception the script cannot catch), and the context
 * stays usable with its state, so no restart is ever needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { JanusFunctions } from '../script/JanusFunctions';
import {
	ScriptError, ScriptTimeout, asText, jsonObject,
	type MessageOutcome, type ScriptCallOptions, type ScriptEngine, type ScriptIn, type ScriptOut,
} from '../script/ScriptEngine';
import { duktapeBindings } from './duktapeBindings';
import { installGlobals } from './duktapeGlobals';

export interface DuktapeEngineOptions {
	/** What the script's getModulesFolder() answers (janus_duktape's jcfg `path`). Default: the script's folder. */
	modulesFolder?: string;
}

/** Runs the call staged by the host (a global the script does not see in for-in). */
const INVOKE = new vm.Script('__janusTs.run()', { filename: 'janus-ts' });

export class DuktapeEngine implements ScriptEngine {
	readonly language = 'Duktape';
	readonly messageResults = 1;
	readonly file: string;
	readonly #modulesFolder: string;
	#context?: vm.Context;
	#functions?: JanusFunctions;
	/** The call INVOKE runs. */
	#pending?: { name: string; args: unknown[] };

	constructor(file: string, options: DuktapeEngineOptions = {}) {
		this.file = path.resolve(file);
		if (!fs.existsSync(this.file)) throw new Error(`janus-ts: no Duktape script at ${this.file}`);
		this.#modulesFolder = options.modulesFolder ?? path.dirname(this.file);
	}

	/** The script's global object (tests). */
	get context(): vm.Context | undefined { return this.#context; }

	load(functions: JanusFunctions, budgetMs: number): void {
		this.#functions = functions;
		const context = vm.createContext({});
		const errors = { Error: vm.runInContext('Error', context), TypeError: vm.runInContext('TypeError', context) };
		Object.assign(context, duktapeBindings(functions, errors));
		installGlobals(context, { modulesFolder: this.#modulesFolder, log: (level, message) => functions.scriptLog(level, message) });
		Object.defineProperty(context, '__janusTs', {
			value: { run: () => this.#runPending(context) }, enumerable: false,
		});
		this.#context = context;
		const script = new vm.Script(fs.readFileSync(this.file, 'utf8'), { filename: this.file });
		try {
			script.runInContext(context, { timeout: budgetMs });
		} catch (err) {
			throw this.#scriptError(err, `loading ${path.basename(this.file)}`, budgetMs);
		}
	}

	defines(name: string): boolean {
		return typeof this.#context?.[name] === 'function';
	}

	call(name: string, args: ScriptIn[], options: ScriptCallOptions): ScriptOut[] | undefined {
		const context = this.#context;
		if (!context) throw new ScriptError('Duktape error: the script is not loaded');
		if (!this.defines(name)) return undefined;
		this.#pending = { name, args: args.map(toDuktape) };
		try {
			return [fromDuktape(INVOKE.runInContext(context, { timeout: options.budgetMs }))];
		} catch (err) {
			throw this.#scriptError(err, `in ${name}`, options.budgetMs);
		} finally {
			this.#pending = undefined;
		}
	}

	/** janus_duktape: a number < 0 is an error, any other number async; a string is the sync reply; anything else an error. */
	messageOutcome([value]: ScriptOut[]): MessageOutcome {
		if (typeof value === 'number') return value < 0 ? { error: 'Duktape error' } : { async: true };
		const reply = typeof value === 'string' ? jsonObject(asText(value)) : null;
		return reply ? { reply } : { error: 'Duktape error: handleMessage returned neither a number nor a JSON object text' };
	}

	/** Loads the script again in a new context (ScriptApp never needs it: a timeout leaves the context usable). */
	restart(budgetMs: number): void {
		this.load(this.#functions!, budgetMs);
	}

	close(): void {
		this.#context = undefined;
	}

	#runPending(context: vm.Context): unknown {
		const pending = this.#pending!;
		return context[pending.name].apply(context, pending.args);
	}

	#scriptError(err: unknown, where: string, budgetMs: number): Error {
		if ((err as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
			return new ScriptTimeout(`Duktape error ${where}: ran longer than ${budgetMs} ms and was stopped`);
		}
		const e = err as { message?: unknown; stack?: unknown } | undefined;
		const message = typeof e?.message === 'string' ? e.message : String(err);
		return new ScriptError(`Duktape error ${where}: ${message}`, typeof e?.stack === 'string' ? e.stack : undefined);
	}
}

/** Binary data is a Duktape byte string. */
function toDuktape(v: ScriptIn): unknown {
	return v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
}

function fromDuktape(v: unknown): ScriptOut {
	if (v === undefined || v === null) return null;
	if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
	return { type: typeof v };
}
