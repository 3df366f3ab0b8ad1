/**
 * rooms.ts — the room registry shared by the room apps (VideoRoom, TextRoom, ...): rooms
 * by numeric id, with the access rules of Janus's room plugins — `secret` to manage a
 * room, `pin` to join it, `is_private` rooms left out of `list`, an optional `allowed`
 * token list — and rooms read from a jcfg file (`room-<id>: { ... }` sections).
 *
 * Secrets and pins are only ever compared, never put in a reply.
 */
import { randomInt } from 'node:crypto';
import type { JsonObject } from '../../src';
import type { JcfgGroup } from './jcfg';
import { checkParams, checkSecret, RequestError, stringArray, type ErrorCodes } from './params';

/** What every room has; apps extend it with their own settings and members. */
export interface RoomBase {
	id: number;
	description: string;
	/** Needed to edit, destroy, kick, ...; never shown. */
	secret?: string;
	/** Needed to join; never shown. */
	pin?: string;
	/** Left out of `list`. */
	isPrivate: boolean;
	/** Tokens allowed to join, when the ACL is enabled (`allowed` request). */
	allowed: Set<string>;
	checkAllowed: boolean;
}

/** Error codes of a room plugin, beyond the parameter ones. */
export interface RoomCodes extends ErrorCodes {
	noSuchRoom: number;
}

/** A random id as Janus picks them: 1 … 2^53-1 (exact in JavaScript), not in `taken`. */
export function randomId(taken: { has(id: number): boolean } = new Set<number>()): number {
	for (;;) {
		const id = randomInt(1, 2 ** 24) * 2 ** 29 + randomInt(0, 2 ** 29);
		if (!taken.has(id)) return id;
	}
}

export class RoomRegistry<R extends RoomBase> {
	readonly #rooms = new Map<number, R>();

	constructor(readonly codes: RoomCodes) {}

	get size(): number { return this.#rooms.size; }
	has(id: number): boolean { return this.#rooms.has(id); }
	get(id: number): R | undefined { return this.#rooms.get(id); }
	add(room: R): void { this.#rooms.set(room.id, room); }
	delete(id: number): boolean { return this.#rooms.delete(id); }
	values(): IterableIterator<R> { return this.#rooms.values(); }
	/** A free random room id. */
	newId(): number { return randomId(this.#rooms); }

	/** Rooms a `list` request shows: the public ones, or all of them. */
	listed(includePrivate = false): R[] {
		return [...this.#rooms.values()].filter((r) => includePrivate || !r.isPrivate);
	}

	/**
	 * The room named by `msg.room` (already validated as an integer), checking the secret
	 * (`modify`) and the pin (`join`) as the native plugins do; throws RequestError.
	 */
	access(msg: JsonObject, rights: { modify?: boolean; join?: boolean } = {}): R {
		const id = msg.room as number;
		const room = this.#rooms.get(id);
		if (!room) throw new RequestError(this.codes.noSuchRoom, `No such room (${id})`);
		if (rights.modify) checkSecret(room.secret, msg, 'secret', this.codes);
		if (rights.join) checkSecret(room.pin, msg, 'pin', this.codes);
		return room;
	}

	/** Throws unless the room's ACL (when enabled) lists `token`. */
	checkToken(room: R, token: unknown): void {
		if (room.checkAllowed && !(typeof token === 'string' && room.allowed.has(token))) {
			throw new RequestError(this.codes.unauthorized, 'Unauthorized (not in the allowed list)');
		}
	}
}

/** Parameters of an `allowed` request (after `room`). */
export const ALLOWED_PARAMS = [['secret', 'string'], ['action', 'string', 'required'], ['allowed', 'array']] as const;

/**
 * Applies an `allowed` request (enable / disable / add / remove tokens) to a room whose
 * secret was checked; returns the token list to show (none after `disable`).
 */
export function applyAllowed(room: RoomBase, msg: JsonObject, codes: ErrorCodes): string[] | undefined {
	const action = String(msg.action).toLowerCase();
	if (action === 'enable') room.checkAllowed = true;
	else if (action === 'disable') room.checkAllowed = false;
	else if (msg.allowed !== undefined) {
		const tokens = stringArray(msg.allowed);
		if (!tokens) throw new RequestError(codes.invalid, 'Invalid element in the allowed array (not a string)');
		for (const t of tokens) {
			if (action === 'add') room.allowed.add(t);
			else room.allowed.delete(t);
		}
	}
	return action === 'disable' ? undefined : [...room.allowed];
}

/** Throws unless `msg.action` is one of the four `allowed` actions (checked before the room). */
export function checkAllowedAction(msg: JsonObject, codes: ErrorCodes): void {
	checkParams(msg, ALLOWED_PARAMS, codes);
	const action = String(msg.action);
	if (!/^(enable|disable|add|remove)$/i.test(action)) {
		throw new RequestError(codes.invalid, `Unsupported action '${action}' (allowed)`);
	}
}

/** Throws unless `msg.allowed`, when present, holds only strings (create requests). */
export function checkAllowedList(msg: JsonObject, codes: ErrorCodes): void {
	if (msg.allowed !== undefined && !stringArray(msg.allowed)) {
		throw new RequestError(codes.invalid, 'Invalid element in the allowed array (not a string)');
	}
}

/** The common fields of a new room from a `create` request (`description` defaults to "Room <id>"). */
export function baseFromRequest(id: number, msg: JsonObject): RoomBase {
	const tokens = stringArray(msg.allowed);
	return {
		id,
		description: typeof msg.description === 'string' && msg.description !== '' ? msg.description : `Room ${id}`,
		...(typeof msg.secret === 'string' ? { secret: msg.secret } : {}),
		...(typeof msg.pin === 'string' ? { pin: msg.pin } : {}),
		isPrivate: msg.is_private === true,
		allowed: new Set(tokens ?? []),
		checkAllowed: tokens !== undefined,
	};
}

/** Applies an `edit` request's common `new_*` fields (empty strings leave a value as it was). */
export function editBase(room: RoomBase, msg: JsonObject): void {
	const text = (k: string) => (typeof msg[k] === 'string' && msg[k] !== '' ? (msg[k] as string) : undefined);
	room.description = text('new_description') ?? room.description;
	room.secret = text('new_secret') ?? room.secret;
	room.pin = text('new_pin') ?? room.pin;
	if (typeof msg.new_is_private === 'boolean') room.isPrivate = msg.new_is_private;
}

/** The `room-<id>` sections of a parsed jcfg (numeric ids only, as the native plugins), in file order. */
export function roomSections(cfg: JcfgGroup): { id: number; settings: JcfgGroup }[] {
	const out: { id: number; settings: JcfgGroup }[] = [];
	for (const [name, value] of Object.entries(cfg)) {
		if (name === 'general' || typeof value !== 'object' || Array.isArray(value)) continue;
		const num = name.startsWith('room-') ? name.slice(5) : name;
		if (!/^[1-9]\d*$/.test(num) || !Number.isSafeInteger(Number(num))) continue;
		out.push({ id: Number(num), settings: value });
	}
	return out;
}
