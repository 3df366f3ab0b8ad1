/**
 * Clients of the VideoRoom API for the end-to-end tests: a publisher (WeriftPeer sending
 * tagged RTP) and a subscriber (WeriftSubscriber), over the HTTP Janus API helper.
 */
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/janus';
import type { Janus } from '../helpers/janus';
import type { JanusHandle, JanusSession } from '../helpers/janus-api';
import { WeriftPeer } from '../helpers/werift-peer';
import { WeriftSubscriber } from '../helpers/werift-subscriber';

export const VIDEOROOM_APP = path.join(REPO_ROOT, 'control-ts/dist/examples/videoroom.js');
export const TEXTROOM_APP = path.join(REPO_ROOT, 'control-ts/dist/examples/textroom.js');

export interface PublisherClient {
  handle: JanusHandle;
  peer: WeriftPeer;
  id: number;
  privateId: number;
  /** The `streams` of the configured event: mid per kind. */
  mids: Record<string, string>;
}

/** Joins `room` as a publisher and publishes audio + video (sending tagged RTP once connected). */
export async function publish(session: JanusSession, pkg: string, room: number, display: string,
  opts: { data?: boolean; send?: boolean } = {}): Promise<PublisherClient> {
  const handle = await session.attach(pkg);
  const joined = await handle.send({ request: 'join', room, ptype: 'publisher', display });
  const peer = new WeriftPeer({ audio: true, video: true, data: opts.data ?? false });
  const { data, jsep } = await handle.send({ request: 'configure', audio: true, video: true }, await peer.offer());
  await peer.accept(jsep!);
  await peer.connected();
  await handle.waitEvent('webrtcup', 8000);
  const mids: Record<string, string> = {};
  for (const s of data.streams) if (!s.disabled) mids[s.type] = s.mid;
  if (opts.send ?? true) peer.startSending({ audioPps: 50, videoPps: 30 });
  return { handle, peer, id: joined.data.id, privateId: joined.data.private_id, mids };
}

export interface SubscriberClient {
  handle: JanusHandle;
  sub: WeriftSubscriber;
  /** The `streams` of the last attached/updated event. */
  streams: any[];
}

/** Subscribes to `streams` ({feed, mid?}) on one PeerConnection and completes the negotiation. */
export async function subscribe(session: JanusSession, pkg: string, room: number, streams: object[], extra: object = {}): Promise<SubscriberClient> {
  const handle = await session.attach(pkg);
  const { data, jsep } = await handle.send({ request: 'join', room, ptype: 'subscriber', streams, ...extra });
  const sub = new WeriftSubscriber();
  await handle.send({ request: 'start' }, await sub.answer(jsep!));
  await sub.connected();
  await handle.waitEvent('webrtcup', 8000);
  return { handle, sub, streams: data.streams };
}

/** The router's view of a handle (Admin API handle_info → plugin_specific.router). */
export async function routerView(handle: JanusHandle): Promise<any> {
  return (await handle.info()).plugin_specific.router;
}

/** Admin handle_info → plugin_specific (app + router) of any plugin. */
export async function pluginSpecific(handle: JanusHandle): Promise<any> {
  return (await handle.info()).plugin_specific;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export type { Janus };
