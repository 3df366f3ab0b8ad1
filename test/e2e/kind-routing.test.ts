// addRecipient relays by kind, as janus_lua does: a werift publisher (audio, video) and two
// werift subscribers — one with only a video m-line (video at index 0, the publisher's at 1),
// one with its m-lines in the other order (video, audio) — each get exactly the publisher's
// packets of each kind on their m-line of that kind. Run against janus_lua with
// fixtures/kind-routing.lua (the reference) and against our plugin with the same logic as a
// janus-ts app; both must deliver the same packet counts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger, defineApp, run, sdp, type RecipientResult, type Runtime, type Session } from 'janus-ts';
import { Janus, JanusHandle, JanusSession, REPO_ROOT } from '../helpers/janus';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { Kind, PeerOptions, WeriftPeer, parsePayload } from '../helpers/werift-peer';
import { sleep, until } from '../helpers/wait';

const PACKAGE = 'janus.plugin.kindrouting';
const LUA_SCRIPT = path.join(REPO_ROOT, 'test/e2e/fixtures/kind-routing.lua');
/** Packets of each kind the publisher sends once both subscribers are routed. */
const N = 60;

interface Peer { session: JanusSession; handle: JanusHandle; peer: WeriftPeer }

/** The kind-routing.lua logic as a janus-ts app; keeps what addRecipient answered. */
function kindRoutingApp(results: Map<number, RecipientResult>) {
  const publishers = new Map<string, Session<RoomState>>();
  interface RoomState { name?: string; feed?: string }
  return defineApp<RoomState>({
    name: 'kind-routing',
    handleMessage(session, { transaction, message, jsep }) {
      if (message.request === 'publish') {
        session.data.name = String(message.name);
        publishers.set(session.data.name, session);
      } else if (message.request === 'subscribe') {
        session.data.feed = String(message.feed);
      } else {
        throw new Error('unknown request');
      }
      if (!jsep) return { ok: true };
      const answer = sdp.toJsep('answer', sdp.generateAnswer(jsep.sdp, { data: false }));
      setImmediate(() => void session.pushEvent({ ok: true }, { transaction, jsep: answer }));
    },
    async setupMedia(session) {
      await session.setMedium('audio', true);
      await session.setMedium('video', true);
      const feed = session.data.feed ? publishers.get(session.data.feed) : undefined;
      if (!feed) return;
      results.set(session.id, await feed.addRecipient(session));
      await feed.sendPli();
      await session.pushEvent({ subscribed: true });
    },
    async hangupMedia(session) {
      const feed = session.data.feed ? publishers.get(session.data.feed) : undefined;
      if (feed) await feed.removeRecipient(session);
    },
  });
}

async function join(janus: Janus, body: Record<string, unknown>, options: PeerOptions): Promise<Peer> {
  const session = await janus.createSession();
  const handle = await session.attach(PACKAGE);
  const peer = new WeriftPeer(options);
  try {
    const { jsep } = await handle.send(body, await peer.offer(), 8000);
    assert.ok(jsep, 'the plugin answered the offer');
    await peer.accept(jsep);
    await peer.connected(8000);
  } catch (e) {
    await peer.close();
    await session.destroy();
    throw e;
  }
  return { session, handle, peer };
}

/** Distinct counters of the publisher's `kind` packets that arrived on the subscriber's `on` m-line. */
function counters(sub: WeriftPeer, pub: WeriftPeer, on: Kind, kind: Kind): number[] {
  const seen = new Set<number>();
  for (const rtp of sub.received[on]) {
    const tag = parsePayload(rtp.payload);
    if (tag && tag.run === pub.run && tag.kind === kind) {
      assert.ok(rtp.payload.equals(pub.sent[kind][tag.counter]), `${kind} packet ${tag.counter} changed on the way`);
      seen.add(tag.counter);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

const all = Array.from({ length: N }, (_, i) => i);

interface Target {
  start(ctx: Mocha.Context): Promise<{ janus: Janus; stop(): Promise<void> }>;
  /** Checks of what addRecipient answered (our plugin only). */
  results?: Map<number, RecipientResult>;
}

function scenario(name: string, target: Target): void {
  describe(name, function () {
    this.timeout(60000);
    let world: { janus: Janus; stop(): Promise<void> } | undefined;
    const peers: Peer[] = [];

    before(async function () { world = await target.start(this); });
    after(async () => {
      for (const p of peers) { await p.peer.close(); await p.session.destroy().catch(() => {}); }
      await world?.stop();
    });

    it(`delivers the publisher's ${N} audio and ${N} video packets by kind to a video-only and a reordered subscriber`, async () => {
      const janus = world!.janus;
      const pub = await join(janus, { request: 'publish', name: 'p' }, { audio: true, video: true, data: false });
      peers.push(pub);
      const videoOnly = await join(janus, { request: 'subscribe', feed: 'p' }, { audio: false, video: true, data: false });
      peers.push(videoOnly);
      const reordered = await join(janus, { request: 'subscribe', feed: 'p' }, { audio: true, video: true, data: false, order: ['video', 'audio'] });
      peers.push(reordered);
      for (const sub of [videoOnly, reordered]) await sub.handle.waitEvent('event', 8000, (e) => e.plugindata?.data?.subscribed === true);

      for (let i = 0; i < N; i++) {
        pub.peer.sendOne('audio');
        pub.peer.sendOne('video');
        await sleep(20);
      }
      const complete = () => counters(videoOnly.peer, pub.peer, 'video', 'video').length === N
        && counters(reordered.peer, pub.peer, 'audio', 'audio').length === N
        && counters(reordered.peer, pub.peer, 'video', 'video').length === N;
      await until(complete, 'every packet on its m-line', 8000).catch(() => undefined); // the checks below say what is missing
      await sleep(300); // anything that would arrive late, or on the wrong m-line

      assert.deepEqual(counters(videoOnly.peer, pub.peer, 'video', 'video'), all, 'video-only subscriber: every video packet');
      assert.equal(videoOnly.peer.received.audio.length, 0, 'it has no audio m-line: nothing else arrives');
      assert.deepEqual(counters(reordered.peer, pub.peer, 'audio', 'audio'), all, 'reordered subscriber: every audio packet on its audio m-line');
      assert.deepEqual(counters(reordered.peer, pub.peer, 'video', 'video'), all, 'reordered subscriber: every video packet on its video m-line');
      assert.deepEqual(counters(reordered.peer, pub.peer, 'audio', 'video'), [], 'no video on the audio m-line');
      assert.deepEqual(counters(reordered.peer, pub.peer, 'video', 'audio'), [], 'no audio on the video m-line');

      if (target.results) {
        const [a, b] = [...target.results.values()];
        const where = (r: RecipientResult) => r.streams.map((s) => [s.type, s.recipientMindex, s.carries]);
        assert.deepEqual(where(a), [['audio', null, false], ['video', 0, true]]);
        assert.match(a.streams[0].reason!, /has no audio stream/);
        assert.deepEqual(where(b), [['audio', 1, true], ['video', 0, true]]);
        assert.equal(a.added && b.added && !a.pending && !b.pending, true);
      }
    });
  });
}

scenario('e2e: addRecipient by kind, janus_lua + kind-routing.lua (reference)', {
  async start(ctx) {
    if (!fs.existsSync('/usr/share/janus/lua/janus-sdp.lua')) ctx.skip(); // Lua samples ship with the Debian package
    const janus = await Janus.start({ plugins: ['lua'], luaScript: LUA_SCRIPT });
    return { janus, stop: () => janus.stop() };
  },
});

const results = new Map<number, RecipientResult>();
scenario('e2e: addRecipient by kind, janus-ts', {
  results,
  async start(ctx) {
    if (missingTsPieces().length) ctx.skip();
    const ts = await TsJanus.start({ package: PACKAGE, waitApp: false });
    let runtime: Runtime<object> | undefined;
    try {
      runtime = await run(kindRoutingApp(results), { socketPath: ts.socketPath, logger: new Logger({ write: () => {} }) });
    } catch (e) {
      await ts.stop();
      throw e;
    }
    return { janus: ts.janus, stop: async () => { runtime?.stop(); await ts.stop(); } };
  },
});
