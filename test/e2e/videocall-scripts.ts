/**
 * VideoCall conversations (requests, their answers, the events pushed to the other party)
 * written once and run against Janus's janus_videocall and our videocall.ts app by
 * videocall-conformance.test.ts. Each script drives real clients: werift peers whose
 * offers and answers go through the plugin, and PeerConnections that really come up.
 *
 * Janus 1.1.2 carries out a plugin's close_pc on its watchdog loop at the next whole
 * second, so the events that follow one (the other party's "Remote WebRTC hangup") come
 * up to a second later: the scripts wait for each of them by name rather than for quiet.
 */
import assert from 'node:assert/strict';
import { WeriftPeer } from '../helpers/werift-peer';
import { PluginScript, ScriptUser } from '../helpers/plugin-script';

export type VideoCallScript = (s: PluginScript) => Promise<void>;

const result = (name: string) => (d: any) => d?.result?.event === name;
/** An unsolicited `hangup` event with this reason. */
const hangupEvent = (reason: string) => (d: any, e: any) => !e.transaction && result('hangup')(d) && d.result.reason === reason;

async function register(s: PluginScript, ...pairs: [ScriptUser, string][]): Promise<void> {
  for (const [u, name] of pairs) await s.send(u, { request: 'register', username: name });
}

/** alice (a) and bob (b), registered, bob called by alice, PeerConnections up. */
async function inCall(s: PluginScript): Promise<[ScriptUser, ScriptUser]> {
  const a = await s.user('a');
  const b = await s.user('b');
  await register(s, [a, 'alice'], [b, 'bob']);
  await connectCall(s, a, b, 'bob');
  return [a, b];
}

/** `caller` calls `callee` (both registered), the callee answers; waits for both PeerConnections. */
export async function connectCall(s: PluginScript, caller: ScriptUser, callee: ScriptUser, calleeName: string): Promise<void> {
  await s.send(caller, { request: 'call', username: calleeName }, await s.offer(caller));
  const incoming = await s.waitFor(callee, result('incomingcall'));
  assert.equal(incoming.jsep?.type, 'offer', "the callee gets the caller's offer");
  callee.peer ??= new WeriftPeer();
  await s.send(callee, { request: 'accept' }, await callee.peer.answer(incoming.jsep));
  const accepted = await s.waitFor(caller, (d, e) => result('accepted')(d) && !e.transaction);
  assert.equal(accepted.jsep?.type, 'answer', "the caller gets the callee's answer");
  await caller.peer!.accept(accepted.jsep);
  await Promise.all([caller.peer!.connected(10000), callee.peer.connected(10000)]);
  await Promise.all([caller.handle.waitEvent('webrtcup', 10000), callee.handle.waitEvent('webrtcup', 10000)]);
}

/** Both PeerConnections of a call went down: each party hears of the other's. */
async function bothHungUp(s: PluginScript, a: ScriptUser, b: ScriptUser): Promise<void> {
  await Promise.all([s.waitFor(a, hangupEvent('Remote WebRTC hangup')), s.waitFor(b, hangupEvent('Remote WebRTC hangup'))]);
}

export const VIDEOCALL_SCRIPTS: Record<string, VideoCallScript> = {
  async 'register and list, with the registration errors'(s) {
    const a = await s.user('a');
    const b = await s.user('b');
    await s.send(a, { request: 'list' });
    await s.send(a, { request: 'register' });
    await s.send(a, { request: 'register', username: 5 });
    await s.send(a, { request: 'register', username: 'alice' });
    await s.send(a, { request: 'register', username: 'alice2' });
    await s.send(b, { request: 'register', username: 'alice' });
    await s.send(b, { request: 'REGISTER', username: 'bob' });
    await s.send(a, { request: 'list' });
  },

  async 'malformed and refused requests'(s) {
    const a = await s.user('a');
    const b = await s.user('b');
    const c = await s.user('c');
    await s.send(a, {});
    await s.send(a, { request: 5 });
    await s.send(a, { request: 'dance' });
    await s.send(a, { request: 'decline' });
    await s.send(a, { request: 'hangup' }); // not registered, no call
    await s.send(c, { request: 'call', username: 'bob' }, await s.offer(c)); // not registered
    await register(s, [a, 'alice'], [b, 'bob']);
    await s.send(a, { request: 'call' });
    await s.send(a, { request: 'call', username: 7 });
    await s.send(a, { request: 'call', username: 'alice' });
    await s.send(a, { request: 'call', username: 'nobody' });
    await s.send(a, { request: 'call', username: 'bob' }); // no SDP
    await s.send(a, { request: 'accept' });
    await s.send(a, { request: 'hangup' }); // no call
    await s.send(a, { request: 'hangup', reason: 42 });
    await s.send(a, { request: 'set', audio: 'yes' });
    await s.send(a, { request: 'set', bitrate: -5 });
    await s.send(a, { request: 'set', bitrate: 1.5 });
    await s.send(a, { request: 'set', record: 1 });
    await s.send(a, { request: 'set', filename: 3 });
    await s.send(a, { request: 'set', substream: 3 });
    await s.send(a, { request: 'set', temporal: -1 });
    await s.send(a, { request: 'set', fallback: -1 });
    await s.send(a, { request: 'set', audio: false, video: true, bitrate: 0 });
  },

  async 'call, busy, accept, set, then a second call ends the first'(s) {
    const a = await s.user('a');
    const b = await s.user('b');
    const c = await s.user('c');
    await register(s, [a, 'alice'], [b, 'bob'], [c, 'carol']);
    await s.send(a, { request: 'call', username: 'bob' }, await s.offer(a));
    const incoming = await s.waitFor(b, result('incomingcall'));
    await s.send(c, { request: 'call', username: 'bob' }, await s.offer(c)); // bob is busy
    await s.send(c, { request: 'call', username: 'alice' }); // so is alice (busy comes before the SDP check)
    await s.send(b, { request: 'accept' }); // no SDP: the incoming call stays
    await s.send(a, { request: 'list' });
    b.peer = new WeriftPeer();
    await s.send(b, { request: 'accept' }, await b.peer.answer(incoming.jsep));
    const accepted = await s.waitFor(a, (d, e) => result('accepted')(d) && !e.transaction);
    await a.peer!.accept(accepted.jsep);
    await Promise.all([a.peer!.connected(10000), b.peer.connected(10000)]);
    await s.send(a, { request: 'set', audio: false, video: false, bitrate: 128000 });
    await s.send(a, { request: 'set', video: true, substream: 1, temporal: 0, fallback: 0 });
    await s.send(b, { request: 'set', bitrate: 0 });
    // Calling while in a call is refused and, as in janus_videocall, hangs up the caller's PeerConnection.
    await s.send(a, { request: 'call', username: 'carol' });
    await bothHungUp(s, a, b);
    await s.send(b, { request: 'hangup' });
    await s.send(a, { request: 'list' });
  },

  async 'the callee declines with hangup'(s) {
    const a = await s.user('a');
    const b = await s.user('b');
    await register(s, [a, 'alice'], [b, 'bob']);
    await s.send(a, { request: 'call', username: 'bob' }, await s.offer(a));
    await s.waitFor(b, result('incomingcall'));
    await s.send(b, { request: 'hangup', reason: 'Not now' });
    await s.waitFor(a, hangupEvent('Not now'));
    await bothHungUp(s, a, b);
    await s.send(a, { request: 'list' });
  },

  async 'the caller hangs up a connected call with a reason'(s) {
    const [a, b] = await inCall(s);
    await s.send(a, { request: 'hangup', reason: 'Bye' });
    await s.waitFor(b, hangupEvent('Bye'));
    await bothHungUp(s, a, b);
  },

  async 'a PeerConnection that goes down ends the call for the other party'(s) {
    const [a, b] = await inCall(s);
    await a.handle.hangup(); // the client's Janus API hangup: the core closes a's PeerConnection
    await bothHungUp(s, a, b);
    await s.send(b, { request: 'list' });
  },

  async 'detaching during a call ends it and frees the username'(s) {
    const [a, b] = await inCall(s);
    await a.handle.detach();
    await s.waitFor(b, hangupEvent('Remote WebRTC hangup'));
    await s.send(b, { request: 'list' });
    const c = await s.user('c');
    await s.send(c, { request: 'register', username: 'alice' });
  },
};
