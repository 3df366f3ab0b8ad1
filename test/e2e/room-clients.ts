/**
 * Clients of the room apps for the end-to-end tests, over the HTTP Janus API helper:
 * VideoRoom publishers (WeriftPeer sending tagged RTP) and subscribers (WeriftSubscriber),
 * TextRoom data channel clients.
 */
import { randomBytes } from 'node:crypto';
import { exampleApp } from '../helpers/ts-janus';
import type { Janus } from '../helpers/janus';
import type { JanusHandle, JanusSession } from '../helpers/janus-api';
import { WeriftPeer } from '../helpers/werift-peer';
import { WeriftSubscriber } from '../helpers/werift-subscriber';

export const VIDEOROOM_APP = exampleApp('videoroom');
export const TEXTROOM_APP = exampleApp('textroom');

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
  await handle.waitEvent('webrtcup', 8000); // after the app's setupMedia opened the valves (setup_media waits for it)
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
export async function subscribe(session: JanusSession, pkg: string, room: number, streams: object[], extra: object = {},
  opts: { data?: boolean } = {}): Promise<SubscriberClient> {
  const handle = await session.attach(pkg);
  const { data, jsep } = await handle.send({ request: 'join', room, ptype: 'subscriber', streams, ...extra });
  const sub = new WeriftSubscriber({ data: opts.data });
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

export interface TextroomClient { handle: JanusHandle; peer: WeriftSubscriber; name: string }

/** `setup` → offer → `ack` with our answer → data channel open. */
export async function textroomClient(session: JanusSession, pkg: string, name: string): Promise<TextroomClient> {
  const handle = await session.attach(pkg);
  const { jsep } = await handle.send({ request: 'setup' });
  const peer = new WeriftSubscriber({ data: true });
  await handle.send({ request: 'ack' }, await peer.answer(jsep!));
  await peer.connected();
  await peer.channelOpen();
  return { handle, peer, name };
}

/** Sends a data channel request and waits for the reply with its transaction. */
export async function request(c: TextroomClient, body: Record<string, unknown>): Promise<any> {
  const transaction = randomBytes(6).toString('hex');
  const from = c.peer.messages.length;
  c.peer.channel!.send(JSON.stringify({ ...body, transaction }));
  return c.peer.waitJson((m) => m.transaction === transaction, 5000, from);
}

export type { Janus };
