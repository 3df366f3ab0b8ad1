// Lossless start on the real path: Janus calls the plugin's setup_media when DTLS is done and
// tells the client `webrtcup` after it returns; the plugin waits there (setup_timeout_ms) for
// the app's setupMedia, as janus_lua runs the script's setupMedia inside setup_media. An
// app (in this process) that takes its time to open the valves and add the echo route loses
// nothing: a werift client sending from the moment its own DTLS is done gets every packet
// back, and hears webrtcup only after the app's setup. An app slower than setup_timeout_ms
// delays the call by that much at most, and the plugin counts it.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { run, type Runtime } from 'janus-ts';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { WeriftPeer } from '../helpers/werift-peer';
import { until } from '../helpers/wait';
import type { JanusSession } from '../helpers/janus-api';
import { slowSetupEcho } from './slow-setup-echo';

describe('e2e: setup_media waits for the app (lossless start)', function () {
  this.timeout(60000);
  let ts: TsJanus | undefined;
  let app: Runtime<any> | undefined;
  let session: JanusSession | undefined;
  const peers: WeriftPeer[] = [];

  before(function () {
    const missing = missingTsPieces();
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.close();
    await session?.destroy().catch(() => undefined);
    app?.stop();
    await ts?.stop();
    ts = app = session = undefined;
  });

  async function start(setupTimeoutMs: number, delayMs: number, done: number[]): Promise<void> {
    ts = await TsJanus.start({ general: { setup_timeout_ms: setupTimeoutMs } });
    app = await run(slowSetupEcho([delayMs], (w) => done.push(w.to)), { socketPath: ts.socketPath });
    session = await ts.janus.createSession();
  }

  /** Offers, connects, and starts sending as soon as the client's DTLS is done. */
  async function call(): Promise<{ peer: WeriftPeer; webrtcupAt: Promise<number> }> {
    const handle = await session!.attach('janus.plugin.ts');
    const peer = new WeriftPeer({ data: false });
    peers.push(peer);
    const { jsep } = await handle.send({ request: 'call' }, await peer.offer());
    const webrtcupAt = handle.waitEvent('webrtcup', 20000).then(() => performance.now());
    await peer.accept(jsep!);
    await peer.connected(15000);
    peer.startSending({ audioPps: 50, videoPps: 30 });
    return { peer, webrtcupAt };
  }

  it('an app that sets up in 300 ms: webrtcup after its setup, every packet sent from the first one comes back', async () => {
    const done: number[] = [];
    await start(3000, 300, done);
    const { peer, webrtcupAt } = await call();
    const upAt = await webrtcupAt;
    assert.ok(done.length === 1 && done[0] <= upAt, 'the client hears webrtcup after the app set the session up');
    await peer.waitSent({ audio: 100, video: 60 });
    peer.stopSending();
    const allBack = (kind: 'audio' | 'video') => new Set(peer.echoed(kind).map((p) => p.counter)).size === peer.sent[kind].length;
    await until(() => allBack('audio') && allBack('video'), 'every packet echoed', 10000, {
      detail: () => `audio ${new Set(peer.echoed('audio').map((p) => p.counter)).size}/${peer.sent.audio.length}, `
        + `video ${new Set(peer.echoed('video').map((p) => p.counter)).size}/${peer.sent.video.length}; `
        + `first echoed ${Math.min(...peer.echoed('audio').map((p) => p.counter))}`,
    });
    const stats = await app!.plugin.stats() as any;
    assert.deepEqual([stats.control.setupWaits, stats.control.setupTimeouts], [1, 0]);
  });

  it('an app slower than setup_timeout_ms: the call goes on after the timeout, media flows once the app is done', async () => {
    const done: number[] = [];
    await start(150, 1500, done);
    const { peer, webrtcupAt } = await call();
    await webrtcupAt;
    assert.equal(done.length, 0, 'webrtcup came before the app finished');
    await until(() => done.length === 1, 'the app finishing its setupMedia', 10000);
    const mark = peer.sent.audio.length;
    await until(() => peer.echoed('audio').some((p) => p.counter >= mark), 'echo after the app set up', 10000);
    const stats = await app!.plugin.stats() as any;
    assert.deepEqual([stats.control.setupWaits, stats.control.setupTimeouts], [1, 1]);
    assert.match(ts!.janus.log(), /setupMedia of session \d+ not done after \d+ ms/);
  });
});
