/**
 * VirtualClock: the test kit's time. While installed it replaces the global
 * `setTimeout`/`setInterval`/`clearTimeout`/`clearInterval` and `Date.now()` (and
 * `new Date()` without arguments), so an app's timers, the runtime's own timeouts and
 * the router's `now_ms` all follow `advance()`. `setImmediate`, `process.nextTick`,
 * promises and I/O stay real. Timers fire in due order (ties in creation order), each at
 * its own virtual instant; `advance` calls `afterEach` after every fired timer so the
 * kit can let the app's I/O settle before the next one.
 */
type Callback = (...args: unknown[]) => void;

interface VTimer {
	id: number;
	due: number;
	interval?: number;
	fn: Callback;
	args: unknown[];
	refed: boolean;
}

const real = {
	setTimeout: globalThis.setTimeout,
	clearTimeout: globalThis.clearTimeout,
	setInterval: globalThis.setInterval,
	clearInterval: globalThis.clearInterval,
	Date: globalThis.Date,
};

/** What a virtual timer returns: enough of Node's Timeout for apps (`ref`/`unref`/`refresh`). */
class VirtualTimeout {
	constructor(readonly clock: VirtualClock, readonly timer: VTimer) {}
	ref(): this { this.timer.refed = true; return this; }
	unref(): this { this.timer.refed = false; return this; }
	hasRef(): boolean { return this.timer.refed; }
	refresh(): this { this.clock.reschedule(this.timer); return this; }
	[Symbol.toPrimitive](): number { return this.timer.id; }
}

export class VirtualClock {
	/** Virtual milliseconds since the epoch the clock started at. */
	#now: number;
	readonly #origin: number;
	readonly #timers = new Map<number, VTimer>();
	#nextId = 1;
	#seq = 0;
	#installed = false;
	/** Receives what a timer callback threw. Default: rethrown to the caller of advance(). */
	onError?: (err: unknown) => void;

	constructor(startMs = real.Date.now()) {
		this.#now = startMs;
		this.#origin = startMs;
	}

	/** Current virtual time, ms since the Unix epoch. */
	now(): number { return this.#now; }
	/** Virtual ms since the clock was made (the router's monotonic `now_ms`). */
	elapsed(): number { return this.#now - this.#origin; }
	/** Timers waiting to fire. */
	get pending(): number { return this.#timers.size; }
	get installed(): boolean { return this.#installed; }

	/** Replaces the global timer functions and Date. */
	install(): void {
		if (this.#installed) return;
		if ((globalThis.setTimeout as unknown) !== real.setTimeout) {
			throw new Error('janus-ts/testing: another virtual clock (or fake timers) is installed; close the other gateway first');
		}
		this.#installed = true;
		const g = globalThis as unknown as Record<string, unknown>;
		g.setTimeout = (fn: Callback, ms?: number, ...args: unknown[]) => this.#add(fn, ms, args, false);
		g.setInterval = (fn: Callback, ms?: number, ...args: unknown[]) => this.#add(fn, ms, args, true);
		g.clearTimeout = g.clearInterval = (t: unknown) => this.#clear(t);
		g.Date = virtualDate(this);
	}

	/** Puts the real functions back; pending virtual timers are dropped. */
	uninstall(): void {
		if (!this.#installed) return;
		this.#installed = false;
		Object.assign(globalThis, real);
		this.#timers.clear();
	}

	/** Fires the timers due at or before now; returns how many fired. */
	async runDue(afterEach: () => Promise<void>): Promise<number> {
		let fired = 0;
		for (let t = this.#nextDue(this.#now); t; t = this.#nextDue(this.#now)) {
			this.#fire(t);
			fired++;
			await afterEach();
		}
		return fired;
	}

	/** Moves time forward by `ms`, firing every timer on the way at its own instant. */
	async advance(ms: number, afterEach: () => Promise<void>): Promise<void> {
		if (!(ms >= 0)) throw new RangeError(`janus-ts/testing: cannot advance by ${ms} ms`);
		const end = this.#now + ms;
		for (let t = this.#nextDue(end); t; t = this.#nextDue(end)) {
			this.#now = Math.max(this.#now, t.due);
			this.#fire(t);
			await afterEach();
		}
		this.#now = end;
	}

	reschedule(t: VTimer): void {
		if (!this.#timers.has(t.id)) this.#timers.set(t.id, t);
		t.due = this.#now + (t.interval ?? 0);
	}

	#add(fn: Callback, ms: number | undefined, args: unknown[], repeat: boolean): VirtualTimeout {
		if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
		const delay = Math.max(1, Math.floor(Number(ms) || 0));
		const t: VTimer = { id: this.#nextId++, due: this.#now + delay, fn, args, refed: true };
		if (repeat) t.interval = delay;
		(t as VTimer & { seq: number }).seq = this.#seq++;
		this.#timers.set(t.id, t);
		return new VirtualTimeout(this, t);
	}

	#clear(handle: unknown): void {
		if (handle instanceof VirtualTimeout) this.#timers.delete(handle.timer.id);
		else if (typeof handle === 'number') this.#timers.delete(handle);
		else if (handle) real.clearTimeout(handle as NodeJS.Timeout);	/* a real timer made before install */
	}

	#nextDue(limit: number): VTimer | undefined {
		let best: (VTimer & { seq?: number }) | undefined;
		for (const t of this.#timers.values() as Iterable<VTimer & { seq?: number }>) {
			if (t.due > limit) continue;
			if (!best || t.due < best.due || (t.due === best.due && (t.seq ?? 0) < (best.seq ?? 0))) best = t;
		}
		return best;
	}

	#fire(t: VTimer & { seq?: number }): void {
		if (t.interval !== undefined) {
			t.due += t.interval;
			t.seq = this.#seq++;
		} else {
			this.#timers.delete(t.id);
		}
		try {
			t.fn(...t.args);
		} catch (err) {
			// Where a real timer's exception would crash the process: reported, time goes on.
			if (this.onError) this.onError(err); else throw err;
		}
	}
}

/** A Date class whose `now()` and argument-less constructor read the virtual clock. */
function virtualDate(clock: VirtualClock): DateConstructor {
	const RealDate = real.Date;
	class VDate extends RealDate {
		constructor(...args: unknown[]) {
			if (args.length === 0) super(clock.now());
			else super(...(args as [string | number | Date]));
		}
		static now(): number { return clock.now(); }
	}
	return VDate as unknown as DateConstructor;
}
