/**
 * links.ts — routes between sessions for apps that connect people (a call, a
 * chatroulette match), idempotent and fine with a session that went away meanwhile:
 *
 *   await link(a, b);      // a's audio, video and data go to b, and b's to a
 *   await unlink(a, b);    // and no more
 *   await send(a, a);      // one way (here: an echo)
 *   await stop(a, a);
 *
 * A route that is already there (Duplicate) or already gone (NotFound, or its session)
 * is what was asked for.
 */
import { Duplicate, NotFound, type Session } from '../../src';
import { quietly } from './serial';

async function settled(call: Promise<void>, already: typeof Duplicate | typeof NotFound): Promise<void> {
	try {
		await quietly(call);
	} catch (err) {
		if (!(err instanceof already)) throw err;
	}
}

/** `to` receives every stream of `from`. */
export function send(from: Session<any>, to: Session<any>): Promise<void> {
	return settled(from.addRecipient(to), Duplicate);
}

/** `to` no longer receives `from`'s streams. */
export function stop(from: Session<any>, to: Session<any>): Promise<void> {
	return settled(from.removeRecipient(to), NotFound);
}

/** Routes every stream of `a` to `b` and of `b` to `a`. */
export async function link(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([send(a, b), send(b, a)]);
}

/** Removes the routes of link(). */
export async function unlink(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([stop(a, b), stop(b, a)]);
}
