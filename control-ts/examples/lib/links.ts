/**
 * links.ts — the media link of two sessions (a call, a chatroulette match):
 *
 *   await link(a, b);      // a's audio goes to b's audio, video to video, data to data; b's to a
 *   await unlink(a, b);    // and no more
 *
 * Both are idempotent and fine with a session that went away meanwhile (addRecipient is
 * idempotent; removeRecipient resolves false for a gone session or route).
 */
import type { Session } from '../../src';
import { quietly } from './serial';

/** Routes every stream of `a` to `b` and of `b` to `a`, by kind. */
export async function link(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([quietly(a.addRecipient(b)), quietly(b.addRecipient(a))]);
}

/** Removes the routes of link(). */
export async function unlink(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([a.removeRecipient(b), b.removeRecipient(a)]);
}
