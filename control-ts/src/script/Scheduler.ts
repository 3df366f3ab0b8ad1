/**
 * Scheduler: the two ways janus_lua / janus_duktape scripts defer work.
 *
 * - `pokeScheduler()`: the plugin calls the script's `resumeScheduler()` soon after, once
 *   per poke, in order (janus_lua queues one "resume" event per poke for its scheduler
 *   thread). Here: one `setImmediate` per poke, so the current callback (for instance the
 *   handleMessage that returned "async") finishes and its answer leaves first.
 * - `timeCallback(name, argument, ms)`: calls the script's global function `name` with
 *   `argument` (or no argument) after `ms`.
 *
 * The script's functions are called through `run` (errors are the caller's business).
 * Pending calls are dropped by cancelAll() (plugin shutdown, app stop).
 */
export interface Clock {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	setImmediate(fn: () => void): unknown;
	clearImmediate(handle: unknown): void;
}

export const nodeClock: Clock = {
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
	setImmediate: (fn) => setImmediate(fn),
	clearImmediate: (h) => clearImmediate(h as NodeJS.Immediate),
};

/** Calls the script's global function `name` with `args`. */
export type ScriptCaller = (name: string, args: (string | null)[]) => void;

export class Scheduler {
	readonly #run: ScriptCaller;
	readonly #clock: Clock;
	/** Pending pokes and timers, with how to cancel each. */
	readonly #pending = new Map<object, () => void>();

	constructor(run: ScriptCaller, clock: Clock = nodeClock) {
		this.#run = run;
		this.#clock = clock;
	}

	/** Number of resumeScheduler calls and timed callbacks still to run. */
	get pending(): number { return this.#pending.size; }

	/** pokeScheduler(): resumeScheduler() runs soon, once for this poke. */
	poke(): void {
		const token = {};
		const handle = this.#clock.setImmediate(() => this.#fire(token, 'resumeScheduler', []));
		this.#pending.set(token, () => this.#clock.clearImmediate(handle));
	}

	/** timeCallback(name, argument, ms): `name(argument)` after `ms` (no argument when null). */
	later(name: string, argument: string | null, ms: number): void {
		const token = {};
		const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
		const handle = this.#clock.setTimeout(() => this.#fire(token, name, argument === null ? [] : [argument]), delay);
		this.#pending.set(token, () => this.#clock.clearTimeout(handle));
	}

	/** Drops every pending poke and timer. */
	cancelAll(): void {
		for (const cancel of this.#pending.values()) cancel();
		this.#pending.clear();
	}

	#fire(token: object, name: string, args: (string | null)[]): void {
		if (!this.#pending.delete(token)) return;
		this.#run(name, args);
	}
}
