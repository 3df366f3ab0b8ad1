/**
 * Media helpers for apps that connect two sessions (a call, a chatroulette match).
 *
 *   await link(a, b);      // a's media goes to b and b's to a
 *   await unlink(a, b);    // and no more
 *   await tolerate(session.closePc());   // fine if the session is already gone
 */
import { JanusTsError, type ErrorKind, type Session } from '../../src';

/** Error kinds that mean "already so" for these helpers: gone sessions, routes already (not) there. */
const ALREADY: readonly ErrorKind[] = ['UnknownSession', 'ClosedSession', 'Duplicate', 'NotFound'];

/** Awaits `call`; an error of one of `kinds` (default: already gone / already done) resolves quietly. */
export async function tolerate(call: Promise<void>, kinds: readonly ErrorKind[] = ALREADY): Promise<void> {
	try {
		await call;
	} catch (err) {
		if (!(err instanceof JanusTsError && kinds.includes(err.kind))) throw err;
	}
}

/** Routes every stream of `a` to `b` and of `b` to `a` (audio to audio, video to video, data). */
export async function link(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([tolerate(a.addRecipient(b)), tolerate(b.addRecipient(a))]);
}

/** Removes the routes of link(). */
export async function unlink(a: Session<any>, b: Session<any>): Promise<void> {
	await Promise.all([tolerate(a.removeRecipient(b)), tolerate(b.removeRecipient(a))]);
}
