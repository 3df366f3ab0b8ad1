/**
 * SessionQueue: the callbacks of one session run one after another, each awaited before the
 * next starts (Lua's callbacks were atomic); different sessions run concurrently. A queue
 * exists only while it has work, so sessions that are gone leave nothing behind.
 *
 *   queue.run(id, 'setupMedia', () => app.setupMedia(session))
 *   queue.run(id, 'handleMessage', () => app.handleMessage(session, request))  // starts when setupMedia settled
 *
 * With `serial: false` every task starts at once (the callbacks of a session may
 * interleave at each `await`).
 */
export class SessionQueue {
	/** Whether tasks of one session wait for the previous one. */
	readonly serial: boolean;
	/** Per session: settles when its last queued task has settled. */
	readonly #tails = new Map<number, Promise<void>>();
	/** Per session: the name of the task running now. */
	readonly #running = new Map<number, string>();

	constructor(serial = true) {
		this.serial = serial;
	}

	/** Runs `task` after every task queued before for session `id`; settles as it does. */
	run<T>(id: number, name: string, task: () => T | Promise<T>): Promise<T> {
		if (!this.serial) return Promise.resolve().then(task);
		const previous = this.#tails.get(id) ?? Promise.resolve();
		const result = previous.then(async () => {
			this.#running.set(id, name);
			try {
				return await task();
			} finally {
				this.#running.delete(id);
			}
		});
		const tail = result.then(() => undefined, () => undefined);
		this.#tails.set(id, tail);
		void tail.then(() => {
			if (this.#tails.get(id) === tail) this.#tails.delete(id);
		});
		return result;
	}

	/** The task of session `id` running now, if any (for messages). */
	running(id: number): string | undefined { return this.#running.get(id); }

	/** Sessions with queued or running tasks. */
	get busy(): number[] { return [...this.#tails.keys()]; }

	/** Settles when every task queued so far has settled. */
	drain(): Promise<void> {
		return Promise.all(this.#tails.values()).then(() => undefined);
	}
}
