/**
 * routing.ts — turns the room's state into the router's tables. Nothing here touches a
 * packet: each subscribed stream is one stream-level route (publisher m-line → subscriber
 * m-line) that exists exactly while media should flow (publisher stream active and not
 * moderated, subscription sending, subscriber not paused or kicked); a subscriber's one
 * datachannel m-line gets a route from the data m-line of every publisher it subscribed to
 * (the router relays a publisher's data on it, labelled with the publisher's id); a
 * publisher's `configure {video: false}` also closes its video `out` valve. syncRoutes()
 * compares what should be with what was installed and adds or removes the difference, so
 * a `switch` is "remove the old route, add the new one" on the same subscriber m-line: the
 * router keeps that stream's sequence numbers and timestamps continuous and asks the new
 * source for a keyframe, and so it does when a paused stream's route comes back.
 */
import { Duplicate, NotFound, type Medium } from '../../src';
import { quietly } from '../lib/serial';
import type { PubStream, Publisher, RouteKey, SubStream, Subscriber, VideoRoom } from './model';

const keyOf = (r: RouteKey) => `${r.src}:${r.mindex}>${r.dst}:${r.dstMindex}`;

/** The routes the room's state asks for. */
export function desiredRoutes(room: VideoRoom): Map<string, RouteKey> {
	const out = new Map<string, RouteKey>();
	for (const sub of room.subscribers) {
		if (sub.paused || sub.kicked) continue;
		for (const ss of sub.streams) {
			if (!ss.send) continue;
			for (const ps of ss.type === 'data' ? dataSources(room, ss) : ss.source ? [ss.source] : []) {
				if (!ps.active || ps.muted || ps.disabled || !ps.publisher.session.started) continue;
				const r = { src: ps.publisher.session.id, mindex: ps.mindex, dst: sub.session.id, dstMindex: ss.mindex };
				out.set(keyOf(r), r);
			}
		}
	}
	return out;
}

/** The publishers' data streams a subscriber's datachannel m-line carries (one m-line for all of them). */
function dataSources(room: VideoRoom, ss: SubStream): PubStream[] {
	const out: PubStream[] = [];
	for (const p of room.participants.values()) for (const ps of p.streams) if (ps.type === 'data' && ps.subscribers.has(ss)) out.push(ps);
	return out;
}

/** Ignores the two answers that mean "already so" (route exists / is gone) and gone sessions. */
async function tolerant(call: Promise<unknown>): Promise<void> {
	try {
		await quietly(call);
	} catch (err) {
		if (!(err instanceof Duplicate || err instanceof NotFound)) throw err;
	}
}

/** Makes the router's routes for this room match its state. */
export async function syncRoutes(room: VideoRoom, plugin: Publisher['session']['plugin']): Promise<void> {
	const want = desiredRoutes(room);
	for (const [key, r] of room.routes) {
		if (want.has(key)) continue;
		room.routes.delete(key);
		await tolerant(plugin.removeRoute(r.src, r.mindex, r.dst, r.dstMindex));
	}
	for (const [key, r] of want) {
		if (room.routes.has(key)) continue;
		room.routes.set(key, r);
		await tolerant(plugin.addRoute(r.src, r.mindex, r.dst, r.dstMindex));
	}
}

/** The plugin dropped every route from and to this session (hangup, detach): forget them. */
export function forgetSession(room: VideoRoom, id: number): void {
	for (const [key, r] of room.routes) if (r.src === id || r.dst === id) room.routes.delete(key);
}

/**
 * A publisher's `out` valves: a medium flows while one of its streams is active and not
 * moderated. Set as soon as its offer is answered, before the PeerConnection is up, so its
 * first packets find them.
 */
export async function applyPublisherValves(p: Publisher): Promise<void> {
	for (const medium of ['audio', 'video', 'data'] as Medium[]) {
		const on = p.streams.some((s) => s.type === medium && s.active && !s.muted && !s.disabled);
		await quietly(p.session.configureMedium(medium, 'out', on));
	}
}

/** A subscriber may receive every medium once its PeerConnection is up. */
export async function openSubscriberValves(sub: Subscriber): Promise<void> {
	for (const medium of ['audio', 'video', 'data'] as Medium[]) await quietly(sub.session.configureMedium(medium, 'in', true));
}

/** Asks the sources of a subscriber's video streams for a keyframe. */
export async function requestKeyframes(sub: Subscriber): Promise<void> {
	for (const ss of sub.streams) {
		const ps = ss.source;
		if (ps && ps.type === 'video' && ps.publisher.session.started) await quietly(ps.publisher.session.sendPli(ps.mindex));
	}
}
