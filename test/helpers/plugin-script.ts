/**
 * Scripted Janus API conversations with one plugin, recorded per user, so the same script
 * can run against a native Janus plugin and our app and the two records be compared.
 *
 *   const s = new PluginScript(janus, 'janus.plugin.videocall');
 *   const alice = await s.user('alice');                 // session + handle (+ werift peer)
 *   await s.send(alice, { request: 'register', username: 'alice' });
 *   await s.waitFor(bob, (d) => d.result?.event === 'incomingcall');
 *   const record = await s.record();                     // { alice: {replies, events}, bob: ... }
 *
 * A record holds, per user, every plugin event of its handle (the answers to its requests
 * in order, the events pushed to it sorted), each reduced by `shape()`
 * (json-shape.ts): ids become their type, the values that make the protocol (event names,
 * error codes and texts, reasons, usernames) stay.
 */
import { Janus, JanusEvent, JanusHandle, JanusSession } from './janus';
import { shape } from './json-shape';
import { WeriftPeer } from './werift-peer';
import { sleep } from './wait';

export interface ScriptUser {
  key: string;
  session: JanusSession;
  handle: JanusHandle;
  /** Created on first use by offer()/answer(). */
  peer?: WeriftPeer;
}

/**
 * What one user received: the answers to its requests in order, and the events pushed to it
 * sorted (their order against each other depends on thread timing, in Janus's C plugins
 * too: a PeerConnection hangup reaches the plugin from the core's loop thread).
 */
export interface UserRecord {
  replies: unknown[];
  events: unknown[];
}

export class PluginScript {
  readonly users: ScriptUser[] = [];
  /** Per user: how far waitFor() has looked into its session history. */
  #claimed = new Map<ScriptUser, Set<JanusEvent>>();

  constructor(readonly janus: Janus, readonly pkg: string) {}

  async user(key: string): Promise<ScriptUser> {
    const session = await this.janus.createSession();
    const handle = await session.attach(this.pkg);
    const u: ScriptUser = { key, session, handle };
    this.users.push(u);
    this.#claimed.set(u, new Set());
    return u;
  }

  /** This user's plugin events so far. */
  events(u: ScriptUser): JanusEvent[] {
    return u.session.history.filter((e) => e.janus === 'event' && e.sender === u.handle.id);
  }

  /** Sends a request and resolves with the plugin's answer (sync reply or event), errors included. */
  async send(u: ScriptUser, body: Record<string, unknown>, jsep?: { type: string; sdp: string }): Promise<JanusEvent> {
    const reply = await u.handle.message(body, jsep);
    if (reply.janus !== 'ack') {
      u.session.history.push({ ...reply, janus: 'event', sender: u.handle.id });
      return reply;
    }
    return this.waitFor(u, (_d, e) => e.transaction === reply.transaction);
  }

  /** Waits for a plugin event to this user that no earlier waitFor() returned. */
  async waitFor(u: ScriptUser, match: (data: any, e: JanusEvent) => boolean, timeoutMs = 8000): Promise<JanusEvent> {
    const claimed = this.#claimed.get(u)!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events(u).find((ev) => !claimed.has(ev) && match(ev.plugindata?.data, ev));
      if (e) {
        claimed.add(e);
        return e;
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.pkg}: ${u.key} got no matching event within ${timeoutMs} ms; events: ${JSON.stringify(this.events(u).map((ev) => ev.plugindata?.data))}`);
      }
      await sleep(20);
    }
  }

  /** A werift peer's offer for this user (audio, video, data). */
  async offer(u: ScriptUser): Promise<{ type: 'offer'; sdp: string; trickle: false }> {
    u.peer ??= new WeriftPeer();
    return u.peer.offer();
  }

  /** An offer from a throw-away peer (for requests the plugin must refuse). */
  async spareOffer(): Promise<{ type: 'offer'; sdp: string; trickle: false }> {
    const peer = new WeriftPeer();
    try {
      return await peer.offer();
    } finally {
      await peer.close();
    }
  }

  /** Waits until no new plugin event arrived for `quietMs` (at most `maxMs`), then returns the record. */
  async record(quietMs = 400, maxMs = 4000): Promise<Record<string, UserRecord>> {
    const count = () => this.users.reduce((n, u) => n + this.events(u).length, 0);
    const deadline = Date.now() + maxMs;
    let last = count();
    let since = Date.now();
    while (Date.now() - since < quietMs && Date.now() < deadline) {
      await sleep(50);
      if (count() !== last) { last = count(); since = Date.now(); }
    }
    const out: Record<string, UserRecord> = {};
    const entry = (e: JanusEvent) => ({ data: shape(e.plugindata?.data), ...(e.jsep ? { jsep: e.jsep.type } : {}) });
    for (const u of this.users) {
      const events = this.events(u);
      out[u.key] = {
        replies: events.filter((e) => e.transaction).map(entry),
        events: events.filter((e) => !e.transaction).map(entry).map((v) => JSON.stringify(v)).sort().map((v) => JSON.parse(v)),
      };
    }
    return out;
  }

  /** Closes every peer and session. */
  async close(): Promise<void> {
    for (const u of this.users) {
      await u.peer?.close();
      await u.session.destroy();
    }
  }
}
