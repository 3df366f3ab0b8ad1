/** Values crossing between JavaScript and the Lua VM (see LuaVm). */

/** What can be pushed into Lua: nil, booleans, numbers (integers stay integers), strings (UTF-8) and byte strings. */
export type LuaIn = null | undefined | boolean | number | string | Uint8Array;

/** A Lua value read back: strings as bytes (a Lua string is bytes), other types by name. */
export type LuaOut = null | boolean | number | Buffer | { type: 'table' | 'function' | 'userdata' | 'thread' };

/** lua.h type tags (wasmoon's enum). */
export { LuaType } from 'wasmoon';

export const LUA_MULTRET = -1;
