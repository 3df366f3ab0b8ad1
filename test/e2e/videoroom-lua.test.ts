// Debian's /usr/share/janus/lua/videoroom.lua, unchanged, with its own (pre-1.x,
// single-stream) request flow: a publisher `create`s a room, `join`s as publisher and
// `configure`s with an offer; subscribers `join` with `feed`, get an offer from the
// plugin, and answer it with `start`. Run against janus_lua (the reference) and against
// janus-ts serving the script as janus.plugin.videoroom. Clients: one werift publisher
// sending tagged RTP, two werift subscribers checking what they get byte for byte.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Janus, JanusHandle, JanusSession } from '../helpers/janus';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { WeriftSubscriber } from '../helpers/werift-subscriber';
import { Kind, WeriftPeer } from '../helpers/werift-peer';
import { sleep, until } from '../helpers/wait';

const SCRIPT = '/usr/share/janus/lua/videoroom.lua';

interface Target {
  package: string;
  start(ctx: Mocha.Context): Promise<Janus>;
  stop(): Promise<void>;
}

interface Subscriber { handle: JanusHandle; peer: WeriftSubscriber }

/** Packets of `kind` that `sub` got from `pub` (on any m-line), each checked byte for byte. */
function from(sub: WeriftSubscriber, pub: WeriftPeer, kind: Kind): { counter: number }[] {
  const out = [];
  for (const mid of sub.received.keys()) {
    for (const p of sub.fromRun(mid, pub.run, kind)) {
      assert.ok(p.rtp.payload.equals(pub.sent[kind][p.counter]), `${kind} packet ${p.counter} arrived changed`);
      out.push(p);
    }
  }
  return out;
}

/** Waits until `sub` got `count` more packets of `kind` from `pub`. */
async function waitFrom(sub: WeriftSubscriber, pub: WeriftPeer, kind: Kind, count: number, timeoutMs = 6000): Promise<void> {
  const target = from(sub, pub, kind).length + count;
  await sub.until(() => from(sub, pub, kind).length >= target, `${count} more ${kind} packets of the publisher`, timeoutMs);
}

function videoroomScenarios(name: string, target: Target): void {
  describe(name, function () {
    this.timeout(40000);
    let janus: Janus;
    let session: JanusSession;
    let publisher: WeriftPeer;
    const subscribers: Subscriber[] = [];
    const room = 1000 + Math.floor(Math.random() * 100000);
    let feed: number;

    before(async function () {
      if (!fs.existsSync(SCRIPT)) this.skip();
      janus = await target.start(this);
      session = await janus.createSession();
    });
    after(async () => {
      for (const s of subscribers) await s.peer.close();
      await publisher?.close();
      await session?.destroy();
      await target.stop();
    });

    it('creates a room and publishes into it (join as publisher, configure with an offer)', async () => {
      const handle = await session.attach(target.package);
      const created = await handle.send({ request: 'create', room });
      assert.deepEqual(created.data, { videoroom: 'created', room });
      const joined = await handle.send({ request: 'join', room, ptype: 'publisher', display: 'werift' });
      assert.equal(joined.data.videoroom, 'joined');
      assert.deepEqual(joined.data.publishers, []);
      feed = joined.data.id;
      publisher = new WeriftPeer({ data: false });
      const { data, jsep } = await handle.send({ request: 'configure', audio: true, video: true }, await publisher.offer());
      assert.equal(data.configured, 'ok');
      assert.deepEqual([data.audio_codec, data.video_codec], ['opus', 'vp8']);
      await publisher.accept(jsep!);
      await publisher.connected();
      await handle.waitEvent('webrtcup', 8000);
      publisher.startSending({ audioPps: 50, videoPps: 30 });
    });

    it('two subscribers join with feed, answer the plugin\'s offer with start, and receive the publisher\'s media intact', async () => {
      assert.ok(feed, 'published first');
      for (let i = 0; i < 2; i++) {
        const handle = await session.attach(target.package);
        const peer = new WeriftSubscriber();
        subscribers.push({ handle, peer });
        const attached = await handle.send({ request: 'join', room, ptype: 'subscriber', feed });
        assert.equal(attached.data.videoroom, 'attached');
        assert.equal(attached.data.id, feed);
        assert.equal(attached.jsep?.type, 'offer');
        const pliMark = publisher.rtcp.length;
        const started = await handle.send({ request: 'start', room }, await peer.answer(attached.jsep!));
        assert.equal(started.data.started, 'ok');
        await peer.connected();
        await handle.waitEvent('webrtcup', 8000);
        await waitFrom(peer, publisher, 'audio', 25);
        await waitFrom(peer, publisher, 'video', 15);
        // setupMedia of a subscriber asks its publisher for a keyframe (sendPli).
        await until(() => publisher.plis('video', pliMark) >= 1, 'the publisher got a PLI when the subscriber came up', 8000);
      }
    });

    it('configure {video: false} stops one subscriber\'s video; its audio and the other subscriber\'s video go on', async () => {
      const [a, b] = subscribers;
      assert.ok(a && b, 'subscribed first');
      const configured = await a.handle.send({ request: 'configure', video: false });
      assert.equal(configured.data.configured, 'ok');
      await sleep(300); // packets in flight
      const mark = publisher.sent.video.length;
      const audioBefore = from(a.peer, publisher, 'audio').length;
      await waitFrom(b.peer, publisher, 'video', 25);
      assert.deepEqual(from(a.peer, publisher, 'video').filter((p) => p.counter >= mark).map((p) => p.counter), [],
        'no video reached the subscriber after {"video": false}');
      assert.ok(from(a.peer, publisher, 'audio').length - audioBefore >= 30, 'its audio went on');

      await a.handle.send({ request: 'configure', video: true });
      await waitFrom(a.peer, publisher, 'video', 15);
    });
  });
}

videoroomScenarios('e2e: janus_lua + Debian videoroom.lua (reference)', luaTarget());
videoroomScenarios('e2e: janus-ts plugin + Debian videoroom.lua, unchanged', tsTarget());

/** janus_lua with the script: it defines no getPackage, so clients attach to janus.plugin.lua. */
function luaTarget(): Target {
  let janus: Janus | undefined;
  return {
    package: 'janus.plugin.lua',
    async start() {
      janus = await Janus.start({ plugins: ['lua'], luaScript: SCRIPT });
      return janus;
    },
    async stop() { await janus?.stop(); },
  };
}

function tsTarget(): Target {
  let ts: TsJanus | undefined;
  return {
    package: 'janus.plugin.videoroom',
    async start(ctx) {
      const missing = missingTsPieces();
      if (missing.length) {
        console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
        ctx.skip();
      }
      ts = await TsJanus.start({ app: SCRIPT, package: 'janus.plugin.videoroom' });
      return ts.janus;
    },
    async stop() { await ts?.stop(); },
  };
}
