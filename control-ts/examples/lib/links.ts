/**
 * links.ts — the media link of two sessions (a call, a chatroulette match):
 *
 *   await link(a, b);      // a's audio, video and data go to b, and b's to a
 *   await unlink(a, b);    // and no more
 *
 * Both are idempotent and fine with a session that went away meanwhile: a route that is
 * already there (Duplicate) or already gone (NotFound, or the session itself) is what
 * was asked for.
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

/** Routes every stream of `a` to `b` and of `b` to `a`. */
export async function link(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([settled(a.addRecipient(b), Duplicate), settled(b.addRecipient(a), Duplicate)]);
}

/** Removes the routes of link(). */
export async function unlink(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([settled(a.removeRecipient(b), NotFound), settled(b.removeRecipient(a), NotFound)]);
}
