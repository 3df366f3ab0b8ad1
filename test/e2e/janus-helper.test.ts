// The Janus test helper itself, against Janus's native echotest plugin: start, /info,
// session + attach + message, admin API, stop.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { Janus, JanusError } from '../helpers/janus';
import { WeriftPeer } from '../helpers/werift-peer';

describe('e2e: Janus helper (native echotest)', function () {
  this.timeout(20000);
  let janus: Janus;

  before(async () => {
    janus = await Janus.start({ plugins: ['echotest'] });
  });
  after(async () => {
    await janus?.stop();
  });

  it('starts Janus with only the named plugin and reads /info', () => {
    assert.ok(janus.running);
    assert.deepEqual(Object.keys(janus.info.plugins), ['janus.plugin.echotest']);
    assert.match(janus.log(), /Janus version/i);
  });

  it('creates a session, attaches, and gets the plugin answer to a message', async () => {
    const session = await janus.createSession();
    const handle = await session.attach('janus.plugin.echotest');
    const { data } = await handle.send({ audio: false });
    assert.equal(data.echotest, 'event');
    assert.equal(data.result, 'ok');
    const sessions = await janus.admin({ janus: 'list_sessions' });
    assert.ok(sessions.sessions.includes(session.id), `admin lists session ${session.id}`);
    const info = await handle.info();
    assert.equal(info.plugin, 'janus.plugin.echotest');
    await handle.detach();
    await session.destroy();
  });

  it('rejects with JanusError for an unknown plugin package', async () => {
    const session = await janus.createSession();
    await assert.rejects(session.attach('janus.plugin.nope'), JanusError);
    await session.destroy();
  });

  it('connects a werift peer with trickled candidates (full trickle)', async () => {
    const session = await janus.createSession();
    const handle = await session.attach('janus.plugin.echotest');
    const peer = new WeriftPeer({ audio: true, video: false, data: false });
    try {
      const { jsep, candidates } = await peer.trickleOffer();
      assert.ok(candidates.length > 0, 'werift gathered candidates');
      assert.doesNotMatch(jsep.sdp, /a=candidate:/);
      const answer = await handle.send({ audio: true }, jsep);
      await peer.accept(answer.jsep!);
      assert.ok(candidates.every((c) => c.sdpMid !== '' && c.sdpMLineIndex === 0), JSON.stringify(candidates));
      for (const c of candidates) assert.equal((await handle.trickle(c)).janus, 'ack');
      assert.equal((await handle.trickle({ completed: true })).janus, 'ack');
      await peer.connected(8000);
      await handle.waitEvent('webrtcup', 8000);
      peer.sendOne('audio');
      await peer.waitReceived('audio', 1, 3000);
    } finally {
      await peer.close();
      await session.destroy();
    }
  });

  it('stops Janus within 3 s', async () => {
    const t0 = Date.now();
    await janus.stop();
    assert.equal(janus.running, false);
    assert.ok(Date.now() - t0 < 3500);
  });
});

describe('e2e: Janus helper lifecycle', function () {
  this.timeout(20000);

  it('a session whose Janus stopped ends its long poll (nothing keeps the process busy)', async () => {
    const janus = await Janus.start({ plugins: ['echotest'] });
    const session = await janus.createSession();
    await janus.stop();
    await session.destroy(); // resolves: the poll loop has ended
    assert.equal(janus.running, false);
  });

  it('refuses to start a second Janus on ports that already answer', async () => {
    const janus = await Janus.start({ plugins: ['echotest'] });
    try {
      await assert.rejects(Janus.start({ plugins: ['echotest'] }), /already answers/);
    } finally {
      await janus.stop();
    }
  });

  it('gives up with the log tail when /janus/info never answers', async () => {
    // A listener that accepts and never answers holds the HTTP port: Janus's HTTP
    // transport cannot bind it, so /info never answers from Janus.
    const held = new Set<net.Socket>();
    const blocker = net.createServer((socket) => held.add(socket));
    await new Promise<void>((r) => blocker.listen(8088, '127.0.0.1', () => r()));
    let started: Janus | undefined;
    try {
      await assert.rejects(
        Janus.start({ plugins: ['echotest'], startTimeoutMs: 2000 }).then((j) => { started = j; }),
        (e: Error) => /did not answer .* within 2000 ms; log tail:\n[^]*Janus/.test(e.message));
    } finally {
      await started?.stop();
      for (const socket of held) socket.destroy(); // or a pooled client connection stays wedged
      await new Promise((r) => blocker.close(r));
    }
  });
});
