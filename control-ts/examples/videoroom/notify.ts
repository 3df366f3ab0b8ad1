/** notify.ts — sending VideoRoom events to one handle or to a room's participants. */
import type { Jsep, JsonObject, Session } from '../../src';
import { quietly } from '../lib/serial';
import type { Publisher, VideoRoom } from './model';

/** An event to one handle (an async answer when `transaction` is given); a gone handle is skipped. */
export function push(session: Session, event: JsonObject, transaction?: string | null, jsep?: Jsep | null): Promise<void> {
	return quietly(session.pushEvent(event, { transaction: transaction ?? null, jsep: jsep ?? null }));
}

/** An event to every participant (publisher handle) of the room but `except`. */
export async function notifyParticipants(room: VideoRoom, event: JsonObject, except?: Publisher): Promise<void> {
	for (const p of room.participants.values()) {
		if (p !== except) await push(p.session, event);
	}
}
