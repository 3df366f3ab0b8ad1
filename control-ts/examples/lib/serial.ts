/**
 * serial.ts — helpers for apps whose state spans sessions (rooms):
 * - SerialQueue runs tasks one at a time in arrival order, like the single handler
 *   thread of Janus's room plugins, so a request, a hangup and a kick never interleave
 *   half-done;
 * - quietly() runs a plugin call about a session that may be gone meanwhile (a peer that
 *   left while we notified the room) and ignores exactly that failure.
 */
import { ClosedSession, UnknownSession } from '../../src';

export class SerialQueue {
	#tail: Promise<unknown> = Promise.resolve();

	/** Runs `task` after every task queued before it; settles with its result. */
	run<T>(task: () => T | Promise<T>): Promise<T> {
		const result = this.#tail.then(task);
		this.#tail = result.catch(() => undefined);
		return result;
	}
}

/** Awaits `call`, ignoring UnknownSession / ClosedSession (the session went away). */
export async function quietly(call: Promise<unknown>): Promise<void> {
	try {
		await call;
	} catch (err) {
		if (!(err instanceof UnknownSession || err instanceof ClosedSession)) throw err;
	}
}
