/**
 * One-at-a-time execution of async work, like the single handler thread of Janus's C
 * plugins: requests and media events that change shared state (who is registered, who is
 * in a call with whom) run in the order they were queued, never interleaved at an `await`.
 *
 *   const serial = new Serial((err) => log.error(err));
 *   serial.run(async () => { ... });     // queued behind what is already running
 */
export class Serial {
	#tail: Promise<void> = Promise.resolve();

	/** @param onError called with what a task threw (the queue goes on). */
	constructor(readonly onError: (err: unknown) => void) {}

	/** Queues `task`; the returned promise settles when it has run (never rejects). */
	run(task: () => Promise<void> | void): Promise<void> {
		this.#tail = this.#tail.then(task).catch(this.onError);
		return this.#tail;
	}
}
