/**
 * A manual clock for the script Scheduler (pokeScheduler / timeCallback): nothing runs until
 * the test calls runImmediates() or advance(ms).
 */
import type { Clock } from 'janus-ts';

export class FakeClock implements Clock {
	now = 0;
	#timers: { at: number; seq: number; fn: () => void }[] = [];
	#immediates: (() => void)[] = [];
	#seq = 0;

	setTimeout(fn: () => void, ms: number): unknown {
		const timer = { at: this.now + ms, seq: this.#seq++, fn };
		this.#timers.push(timer);
		return timer;
	}
	clearTimeout(handle: unknown): void { this.#timers = this.#timers.filter((t) => t !== handle); }
	setImmediate(fn: () => void): unknown {
		const entry = () => fn();
		this.#immediates.push(entry);
		return entry;
	}
	clearImmediate(handle: unknown): void { this.#immediates = this.#immediates.filter((f) => f !== handle); }

	/** Runs the immediates queued so far, in order; returns how many ran. */
	runImmediates(): number {
		const due = this.#immediates;
		this.#immediates = [];
		for (const fn of due) fn();
		return due.length;
	}

	/** Moves time on by `ms`, running the timers that come due, in time order. */
	advance(ms: number): void {
		const end = this.now + ms;
		for (;;) {
			const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
			if (!next) break;
			this.#timers = this.#timers.filter((t) => t !== next);
			this.now = next.at;
			next.fn();
		}
		this.now = end;
	}

	get pendingTimers(): number { return this.#timers.length; }
}
