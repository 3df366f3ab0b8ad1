// pairs.ts: two handles that join the same "room" see each other.
// (The example of docs/app-api.md, compiled with the package so it stays correct.)
import { defineApp, sdp, type Session } from '../src';

const waiting = new Set<Session>();

export default defineApp({
  name: 'pairs',

  handleMessage(session, { transaction, message, jsep }) {
    if (message.request === 'ping') return { pong: true };        // object → synchronous reply
    if (message.request !== 'join') throw new Error('unknown request'); // throw → error reply
    // nothing returned → Janus acks now; we answer right after with pushEvent
    const answer = jsep ? sdp.toJsep('answer', sdp.generateAnswer(jsep.sdp, { data: false })) : null;
    setImmediate(() => void session.pushEvent({ joined: true }, { transaction, jsep: answer }));
  },

  async setupMedia(session) {
    await session.setMedium('audio', true);   // in + out valves
    await session.setMedium('video', true);
    const peer = [...waiting].find((s) => s.started && s !== session);
    if (!peer) { waiting.add(session); return; }
    waiting.delete(peer);
    await session.addRecipient(peer);        // peer receives session's media
    await peer.addRecipient(session);
    await Promise.all([session.sendPli(), peer.sendPli()]);
  },

  hangupMedia(session) { waiting.delete(session); },  // the plugin already dropped its routes
});
