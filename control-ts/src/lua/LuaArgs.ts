/**
 * LuaArgs: reads the values on a Lua stack the way janus_lua's C functions do
 * (`lua_gettop`, `lua_tonumber`, `lua_tolstring`, `lua_toboolean`), for JavaScript
 * functions registered with LuaVm.register. Indexes start at 1; negative ones count from
 * the top.
 */
import type { LuaWasm } from 'wasmoon';
import { LuaType, type LuaOut } from './luaTypes';

/** What LuaArgs needs of a LuaVm. */
export interface LuaStateAccess {
	readonly L: number;
	readonly wasm: LuaWasm;
	readonly lengthCell: number;
}

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

export class LuaArgs {
	readonly #vm: LuaStateAccess;
	readonly #L: number;

	constructor(vm: LuaStateAccess, L: number = vm.L) {
		this.#vm = vm;
		this.#L = L;
	}

	/** Number of arguments (lua_gettop). */
	get count(): number { return this.#vm.wasm.lua_gettop(this.#L); }

	type(i: number): LuaType { return this.#vm.wasm.lua_type(this.#L, i); }

	typeName(i: number): string { return TYPE_NAMES[this.type(i)] ?? 'no value'; }

	/** lua_tonumber: numbers, and strings that convert to one; 0 otherwise. */
	number(i: number): number {
		const w = this.#vm.wasm;
		if (w.lua_isinteger(this.#L, i)) return Number(w.lua_tointegerx(this.#L, i, null));
		return w.lua_tonumberx(this.#L, i, null);
	}

	/** An unsigned 32-bit value as C's `guint32 x = lua_tonumber(...)` gives it for ids in range. */
	uint32(i: number): number {
		const n = this.number(i);
		return Number.isFinite(n) ? Math.trunc(n) >>> 0 : 0;
	}

	/** lua_toboolean: false only for nil and false. */
	boolean(i: number): boolean { return this.#vm.wasm.lua_toboolean(this.#L, i) !== 0; }

	/** lua_tolstring: the bytes of a string (numbers are converted in place, as in C); null for other types. */
	bytes(i: number): Buffer | null {
		const t = this.type(i);
		if (t !== LuaType.String && t !== LuaType.Number) return null;
		const { wasm, lengthCell } = this.#vm;
		const m = wasm.module;
		const ptr = m.ccall('lua_tolstring', 'number', ['number', 'number', 'number'], [this.#L, i, lengthCell]) as number;
		if (!ptr) return null;
		const len = m.getValue(lengthCell, 'i32') as number;
		return Buffer.from(m.HEAPU8.subarray(ptr, ptr + len));
	}

	/** bytes() decoded as UTF-8 text. */
	text(i: number): string | null {
		return this.bytes(i)?.toString('utf8') ?? null;
	}

	/** The value at `i` without conversion (a string as its bytes). */
	value(i: number): LuaOut {
		const t = this.type(i);
		switch (t) {
			case LuaType.Nil:
			case LuaType.None:
				return null;
			case LuaType.Boolean: return this.boolean(i);
			case LuaType.Number: return this.number(i);
			case LuaType.String: return this.bytes(i);
			default: return { type: TYPE_NAMES[t] as 'table' };
		}
	}
}
