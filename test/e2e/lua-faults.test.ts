// What a crashing or hanging janus_lua script does under janus-ts (with janus_lua, a Lua
// error in a callback aborts Janus and a loop blocks every session for good). The script is
// Debian's echotest.lua with faults on request (fixtures/faulty-echotest.lua), served as
// janus.plugin.echotest with message_timeout_ms = 2000, the app supervised by the plugin.
// A werift call is up and echoing during every fault.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/janus';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from './echotest-scenarios';

const SCRIPT = path.join(REPO_ROOT, 'test/e2e/fixtures/faulty-echotest.lua');
const PKG = 'janus.plugin.echotest';
const MESSAGE_TIMEOUT_MS = 2000;

describe('e2e: a faulty janus_lua script under janus-ts', function () {
  this.timeout(40000);
  let ts: TsJanus;
  let call: EchoCall;

  before(async function () {
    if (missingTsPieces().length) this.skip();
    ts = await TsJanus.start({ app: SCRIPT, package: PKG, general: { message_timeout_ms: MESSAGE_TIMEOUT_MS } });
    call = await startCall(ts.janus, PKG);
    call.peer.startSending({ audioPps: 50, videoPps: 30 });
  });
  after(async () => {
    await endCall(call);
    await ts?.stop();
  });

  /** Sends `body`, expects an error reply; returns its reason, how long it took and the audio echoed meanwhile. */
  async function failing(body: Record<string, unknown>): Promise<{ reason: string; ms: number; echoedMeanwhile: number }> {
    const start = Date.now();
    const before = call.peer.echoed('audio').length;
    const err = await call.handle.message(body).then(() => undefined, (e) => e);
    const ms = Date.now() - start;
    assert.ok(err, `${JSON.stringify(body)} got no error reply`);
    const echoed = call.peer.echoed('audio').length - before;
    console.log(`      ${JSON.stringify(body)}: error reply after ${ms} ms, ${echoed} audio packets echoed meanwhile`);
    return { reason: String(err.message), ms, echoedMeanwhile: echoed };
  }

  /** The script still answers a plain request on the call's session (its state is there). */
  async function stillServes(): Promise<void> {
    const reply = await call.handle.message({ audio: true });
    assert.deepEqual(reply.plugindata?.data, { echotest: 'response', result: 'ok' });
  }

  it('a Lua error in handleMessage is an error reply to that request; the script serves the next ones', async () => {
    const { reason } = await failing({ fault: 'error' });
    assert.match(reason, /Lua error in handleMessage: .*faulty-echotest\.lua:\d+: fault requested/);
    const nil = await failing({ fault: 'nil' });
    assert.match(nil.reason, /attempt to index a nil value \(local 'missing'\)/);
    await stillServes();
    assert.equal(ts.appConnections(), 1, 'the app was not restarted');
  });

  it('an endless loop in handleMessage is stopped within message_timeout_ms; media keeps flowing; the script state is kept', async () => {
    const { reason, ms, echoedMeanwhile } = await failing({ fault: 'loop' });
    assert.match(reason, /handleMessage ran longer than \d+ ms and was stopped/);
    assert.ok(ms < MESSAGE_TIMEOUT_MS + 1000, `answered after ${ms} ms`);
    // 50 audio packets per second: while the Lua VM looped, the router kept echoing.
    assert.ok(echoedMeanwhile >= (ms / 20) * 0.5, `${echoedMeanwhile} audio packets echoed during the ${ms} ms loop`);
    await stillServes();
    assert.equal(ts.appConnections(), 1, 'the app was not restarted');
    assert.match(ts.janus.log(), /Lua error in handleMessage/);
  });

  it('a loop that swallows the timeout error: the Lua VM is replaced, the script reloaded with its live sessions; media keeps flowing', async () => {
    const { reason, ms, echoedMeanwhile } = await failing({ fault: 'stubborn' });
    assert.match(reason, /torn down/);
    assert.ok(ms < MESSAGE_TIMEOUT_MS + 1000, `answered after ${ms} ms`);
    assert.ok(echoedMeanwhile >= (ms / 20) * 0.5, `${echoedMeanwhile} audio packets echoed during the ${ms} ms loop`);
    await ts.janus.waitLog(/interpreter restarted: init and 1 live session\(s\) replayed/, 5000);
    // The new VM knows the call's session (createSession/setupMedia replayed) and echo goes on.
    await stillServes();
    await call.peer.waitReceived('audio', 25, 3000);
    assert.equal(ts.appConnections(), 1, 'the app process was not restarted, only its Lua VM');
    // A new call works too.
    const second = await startCall(ts.janus, PKG);
    try {
      second.peer.startSending({ audioPps: 50, videoPps: 0 });
      await second.peer.waitReceived('audio', 20, 4000);
      assert.ok(second.peer.echoed('audio').length >= 15, 'the new call is echoed');
    } finally {
      await endCall(second);
    }
  });
});

describe('e2e: restarting a janus_lua script under janus-ts while a call goes on', function () {
  this.timeout(40000);
  let ts: TsJanus | undefined;
  let call: EchoCall | undefined;
  after(async () => {
    await endCall(call);
    await ts?.stop();
  });

  it('media flows while the script is down; the restarted script gets the call through createSession/setupMedia and serves it', async function () {
    if (missingTsPieces().length) this.skip();
    const script = '/usr/share/janus/lua/echotest.lua';
    ts = await TsJanus.start({ app: script, package: PKG, supervised: false });
    call = await startCall(ts.janus, PKG);
    call.peer.startSending({ audioPps: 50, videoPps: 30 });
    await call.peer.waitReceived('audio', 10, 4000);

    await ts.killApp('SIGTERM');
    const mark = call.peer.sent.audio.length;
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(call.peer.echoed('audio').filter((p) => p.counter >= mark).length >= 35, 'audio kept coming back with no script');

    ts.startApp(script);
    await ts.waitAppConnections(2);
    // echotest.lua answers only sessions it knows ("Session not found" otherwise): this one came
    // back through the resync (requests wait for it), and the script logged it a second time.
    const reply = await call.handle.message({ video: false });
    assert.deepEqual(reply.plugindata?.data, { echotest: 'response', result: 'ok' });
    assert.equal(ts.janus.log().match(/Created new session: \d+/g)?.length, 2);
    await new Promise((r) => setTimeout(r, 300));
    const videoMark = call.peer.sent.video.length;
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(call.peer.echoed('video').filter((p) => p.counter >= videoMark).length, 0, 'the restarted script closed the video valve');
  });
});
