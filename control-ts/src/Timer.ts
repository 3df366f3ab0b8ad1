/**
 * Timer: a cancellable one-shot timer (the Lua plugin's `timeCallback`, which had no
 * cancel). An exception or rejection of the callback goes to `onError` instead of
 * crashing the process.
 */
export class Timer {
	#handle?: NodeJS.Timeout;
	#done = false;
	/** Called once when cancelled (the owner forgets the timer). */
	onCancel?: () => void;

	constructor(fn: () => unknown, ms: number, onError: (err: unknown) => void) {
		this.#handle = setTimeout(() => {
			this.#done = true;
			try {
				const r = fn();
				if (r instanceof Promise) r.catch(onError);
			} catch (err) {
				onError(err);
			}
		}, ms);
	}

	/** Whether it fired or was cancelled. */
	get done(): boolean { return this.#done; }

	/** Cancels the timer if it has not fired yet. Returns whether it was pending. */
	cancel(): boolean {
		if (this.#done) return false;
		this.#done = true;
		clearTimeout(this.#handle);
		this.onCancel?.();
		return true;
	}
}
