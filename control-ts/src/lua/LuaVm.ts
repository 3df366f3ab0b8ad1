/**
 * LuaVm: one Lua 5.4 state in its own WebAssembly instance (wasmoon's build of the
 * reference interpreter), driven through the raw Lua C API so that values cross exactly as
 * they do for janus_lua's C functions: `lua_tonumber`/`lua_tolstring`/`lua_toboolean`
 * conversions, byte strings kept byte for byte.
 *
 *   const vm = new LuaVm(await LuaVm.loadModule());
 *   vm.register('add', (args) => args.number(1) + args.number(2));
 *   vm.run('x = add(1, 2)', '=demo');
 *   vm.call('f', [1, 'text', null], 2, { budgetMs: 500 });   // → [result1, result2]
 *
 * Runaway code: a count hook (every 1000 VM instructions, inherited by coroutines) checks
 * the budget of the current call. Past it, the hook raises a Lua error (`LuaTimeout`); if
 * the script swallows that error and keeps running until the hard limit, the hook throws a
 * JavaScript exception that unwinds the whole WebAssembly stack: the state is then unusable
 * (`LuaVmAborted`) and the owner makes a new VM. Only Lua instructions are counted: a
 * single long C call (a huge string.rep, a pathological pattern) runs to its end.
 */
import { LuaFactory, type LuaWasm } from 'wasmoon';
import { LuaArgs } from './LuaArgs';
import { LUA_MULTRET, LuaType, type LuaIn, type LuaOut } from './luaTypes';

export { LuaArgs };
export type { LuaIn, LuaOut };

/** A Lua error raised by the code run (message as Lua gives it, with a traceback). */
export class LuaRuntimeError extends Error {
	override name = 'LuaRuntimeError';
}
/** The call ran past its budget and was stopped by a Lua error raised from the hook. */
export class LuaTimeout extends LuaRuntimeError {
	override name = 'LuaTimeout';
}
/** The VM was torn down (runaway code ignored the timeout error): make a new one. */
export class LuaVmAborted extends Error {
	override name = 'LuaVmAborted';
}

/** A JavaScript function callable from Lua; returns one value, several (array), or none. */
export type LuaFunction = (args: LuaArgs) => LuaIn | LuaIn[] | void;

export interface CallOptions {
	/** Stop the call with a Lua error after this many ms (0/absent: no limit). */
	budgetMs?: number;
	/** Tear the VM down when the code is still running this many ms after the budget. Default 500. */
	graceMs?: number;
	/** Text of the timeout error. */
	timeoutMessage?: string;
}

const HOOK_COUNT = 1000;
const LUA_MASKCOUNT = 8;

export class LuaVm {
	readonly #w: LuaWasm;
	/** The main state; every call runs on it (coroutines are the script's own). */
	readonly #L: number;
	/** Function-table slots taken by addFunction, freed on close. */
	readonly #slots: number[] = [];
	/** Scratch memory for strings pushed into Lua (grown on demand). */
	#scratch = 0;
	#scratchSize = 0;
	/** Registry reference of the traceback message handler. */
	readonly #tracebackRef: number;
	#softDeadline = 0;
	#hardDeadline = 0;
	#timeoutMessage = '';
	#aborted = false;
	#closed = false;
	/** The clock the hook reads (tests may replace it). */
	now: () => number = Date.now;

	/** Compiles and instantiates a fresh WebAssembly instance of the Lua interpreter. */
	static loadModule(): Promise<LuaWasm> {
		return new LuaFactory().getLuaModule();
	}

	/** Makes a state with the standard libraries in `module` (use each module for one VM). */
	constructor(module: LuaWasm) {
		this.#w = module;
		this.#L = module.luaL_newstate();
		if (!this.#L) throw new Error('janus-ts: cannot create a Lua state (out of memory)');
		module.luaL_openlibs(this.#L);
		const hook = this.#addFunction((L: number) => this.#onHook(L), 'vii');
		module.lua_sethook(this.#L, hook, LUA_MASKCOUNT, HOOK_COUNT);
		this.#tracebackRef = this.#makeTracebackHandler();
	}

	/** Whether the VM was torn down by a runaway call. */
	get aborted(): boolean { return this.#aborted; }

	/** Sets global `name` to a JavaScript function. */
	register(name: string, fn: LuaFunction): void {
		this.#pushFunction(fn);
		this.#w.lua_setglobal(this.#L, name);
	}

	/** Sets global `name` to a table of JavaScript functions. */
	registerTable(name: string, fns: Record<string, LuaFunction>): void {
		const { L } = this;
		this.#w.lua_createtable(L, 0, Object.keys(fns).length);
		for (const [key, fn] of Object.entries(fns)) {
			this.#pushFunction(fn);
			this.#w.lua_setfield(L, -2, key);
		}
		this.#w.lua_setglobal(L, name);
	}

	/** Loads `code` as a chunk named `chunkname` ('@file' or '=name') and runs it with `args`. */
	run(code: string | Uint8Array, chunkname: string, args: LuaIn[] = [], options: CallOptions = {}): LuaOut[] {
		return this.#protected(options, (base) => {
			const bytes = typeof code === 'string' ? Buffer.from(code, 'utf8') : code;
			const ptr = this.#toScratch(bytes);
			const status = this.#w.luaL_loadbufferx(this.L, ptr, bytes.length, chunkname, null);
			if (status !== 0) throw new LuaRuntimeError(this.#popError());
			return this.#pcall(base, args, LUA_MULTRET);
		});
	}

	/**
	 * Calls global function `name` with `args`, keeping `nresults` results (missing ones
	 * are nil, as lua_call pads them). Returns undefined when `name` is not a function.
	 */
	call(name: string, args: LuaIn[], nresults: number, options: CallOptions = {}): LuaOut[] | undefined {
		return this.#protected(options, (base) => {
			if (this.#w.lua_getglobal(this.L, name) !== LuaType.Function) return undefined;
			return this.#pcall(base, args, nresults);
		});
	}

	/** Whether global `name` is a function. */
	isFunction(name: string): boolean {
		if (this.#closed || this.#aborted) return false;
		const type = this.#w.lua_getglobal(this.L, name);
		this.#w.lua_settop(this.L, -2);
		return type === LuaType.Function;
	}

	/** Frees the state, the function-table slots and the scratch memory. */
	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#aborted) return; // the whole instance is dropped; its heap may be inconsistent
		this.#w.lua_close(this.L);
		for (const slot of this.#slots) this.#w.module.removeFunction(slot);
		if (this.#scratch) this.#w.module._free(this.#scratch);
		if (this.#lengthCell) this.#w.module._free(this.#lengthCell);
	}

	/** The state pointer, for LuaArgs. */
	get L(): number { return this.#L; }

	#protected<T>(options: CallOptions, body: (base: number) => T): T {
		if (this.#aborted) throw new LuaVmAborted('janus-ts: this Lua VM was torn down');
		if (this.#closed) throw new Error('janus-ts: this Lua VM is closed');
		const base = this.#w.lua_gettop(this.L);
		const budget = options.budgetMs ?? 0;
		const start = this.now();
		this.#softDeadline = budget > 0 ? start + budget : 0;
		this.#hardDeadline = budget > 0 ? start + budget + (options.graceMs ?? 500) : 0;
		this.#timeoutMessage = options.timeoutMessage ?? `janus-ts: Lua code ran longer than ${budget} ms and was stopped`;
		try {
			return body(base);
		} catch (err) {
			if (err instanceof LuaRuntimeError) throw err;
			// Anything else came out of the WebAssembly stack: the state is inconsistent.
			this.#aborted = true;
			throw new LuaVmAborted(`janus-ts: Lua VM torn down: ${(err as Error)?.message ?? err}`);
		} finally {
			this.#softDeadline = 0;
			this.#hardDeadline = 0;
			if (!this.#aborted) this.#w.lua_settop(this.L, base);
		}
	}

	/** Pushes args, runs the function below them under the traceback handler, reads the results. */
	#pcall(base: number, args: LuaIn[], nresults: number): LuaOut[] {
		const { L } = this;
		const w = this.#w;
		w.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.#tracebackRef));
		w.lua_rotate(L, base + 1, 1); // handler below the function
		for (const a of args) this.push(a);
		const status = w.lua_pcallk(L, args.length, nresults, base + 1, 0, null);
		if (status !== 0) {
			const message = this.#popError();
			if (message.includes(TIMEOUT_TAG)) throw new LuaTimeout(message.replace(TIMEOUT_TAG, ''));
			throw new LuaRuntimeError(message);
		}
		const out: LuaOut[] = [];
		const top = w.lua_gettop(L);
		const reader = new LuaArgs(this);
		for (let i = base + 2; i <= top; i++) out.push(reader.value(i));
		return out;
	}

	/** Pushes one JavaScript value on `L` (integers as Lua integers, strings as UTF-8 bytes). */
	push(value: LuaIn, L = this.#L): void {
		const w = this.#w;
		if (value === null || value === undefined) w.lua_pushnil(L);
		else if (typeof value === 'boolean') w.lua_pushboolean(L, value ? 1 : 0);
		else if (typeof value === 'number') {
			if (Number.isSafeInteger(value)) w.lua_pushinteger(L, BigInt(value));
			else w.lua_pushnumber(L, value);
		} else {
			const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
			w.module.ccall('lua_pushlstring', 'number', ['number', 'number', 'number'], [L, this.#toScratch(bytes), bytes.length]);
		}
	}

	/** The raw module (for LuaArgs). */
	get wasm(): LuaWasm { return this.#w; }

	#pushFunction(fn: LuaFunction): void {
		const slot = this.#addFunction((L: number) => this.#invoke(L, fn), 'ii');
		this.#w.lua_pushcclosure(this.L, slot, 0);
	}

	/**
	 * Runs a JavaScript function called from Lua. A JavaScript exception must never unwind
	 * through the interpreter: it becomes a Lua error (raised last, as lua_error does not return).
	 */
	#invoke(L: number, fn: LuaFunction): number {
		let results: LuaIn[];
		let failure: string | undefined;
		try {
			const r = fn(new LuaArgs(this, L));
			results = r === undefined ? [] : Array.isArray(r) ? r : [r];
		} catch (err) {
			failure = err instanceof Error ? err.message : String(err);
			results = [];
		}
		if (failure !== undefined) {
			this.push(failure, L);
			return this.#w.lua_error(L);
		}
		for (const r of results) this.push(r, L);
		return results.length;
	}

	/** The count hook, on the running thread `L` (see the class comment). */
	#onHook(L: number): void {
		if (!this.#softDeadline) return;
		const now = this.now();
		if (now <= this.#softDeadline) return;
		// The timeout error was swallowed and the code kept going: unwind everything.
		if (now > this.#hardDeadline) throw new Error(`${this.#timeoutMessage} (and kept running after the timeout error)`);
		this.push(TIMEOUT_TAG + this.#timeoutMessage, L);
		this.#w.lua_error(L);
	}

	#popError(): string {
		const args = new LuaArgs(this);
		const message = args.text(-1) ?? `(error object is a ${args.typeName(-1)} value)`;
		this.#w.lua_settop(this.L, -2);
		return message;
	}

	/** A message handler that adds a traceback to string errors (kept in the registry). */
	#makeTracebackHandler(): number {
		const code = 'local tb = debug.traceback\nreturn function(e) if type(e) == "string" then return tb(e, 2) end return e end';
		const bytes = Buffer.from(code);
		if (this.#w.luaL_loadbufferx(this.L, this.#toScratch(bytes), bytes.length, '=janus-ts', null) !== 0
			|| this.#w.lua_pcallk(this.L, 0, 1, 0, 0, null) !== 0) {
			throw new Error(`janus-ts: Lua traceback handler: ${this.#popError()}`);
		}
		return this.#w.luaL_ref(this.L, LUA_REGISTRYINDEX);
	}

	/** A 4-byte cell for the length out-parameter of lua_tolstring. */
	get lengthCell(): number {
		if (!this.#lengthCell) this.#lengthCell = this.#w.module._malloc(8);
		return this.#lengthCell;
	}
	#lengthCell = 0;

	/** Copies bytes into the scratch buffer (lua_pushlstring and luaL_loadbuffer copy them). */
	#toScratch(bytes: Uint8Array): number {
		const m = this.#w.module;
		if (bytes.length + 1 > this.#scratchSize) {
			if (this.#scratch) m._free(this.#scratch);
			this.#scratchSize = Math.max(1024, bytes.length + 1);
			this.#scratch = m._malloc(this.#scratchSize);
		}
		m.HEAPU8.set(bytes, this.#scratch);
		return this.#scratch;
	}

	#addFunction(fn: (...a: any[]) => unknown, signature: string): number {
		const slot = this.#w.module.addFunction(fn, signature);
		this.#slots.push(slot);
		return slot;
	}
}

/** Marks the hook's timeout error so #pcall can tell it from the script's own errors. */
const TIMEOUT_TAG = '\u0001janus-ts-timeout\u0001';
/** LUAI_MAXSTACK = 1000000 → LUA_REGISTRYINDEX = -1000000 - 1000. */
const LUA_REGISTRYINDEX = -1001000;
