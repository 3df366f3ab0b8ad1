// What the split between router (in the plugin) and app (over the control socket) buys,
// seen from a real client: sessions stay isolated, media keeps flowing while the app is
// down, a restarted app resyncs from the hello snapshot and drives the same sessions, and
// the plugin restarts a supervised app that crashed.
import assert from 'node:assert/strict';
import { JanusError } from '../helpers/janus';
import { ECHOTEST_APP, TsJanus, missingTsPieces, processesWith } from '../helpers/ts-janus';
import { sleep, until } from '../helpers/wait';
import { EchoCall, endCall, lastEchoes, startCall } from './echotest-scenarios';

const PKG = 'janus.plugin.echotest';

function skipUnlessBuilt(ctx: Mocha.Context): void {
  const missing = missingTsPieces(ECHOTEST_APP);
  if (missing.length) {
    console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
    ctx.skip();
  }
}

/** Counters of `kind` echoed back to the call's peer that were sent at or after `mark`. */
function echoedSince(call: EchoCall, kind: 'audio' | 'video', mark: number): number {
  return call.peer.echoed(kind).filter((p) => p.counter >= mark).length;
}

describe('e2e: janus-ts echotest resilience', function () {
  this.timeout(40000);
  let ts: TsJanus | undefined;
  const calls: EchoCall[] = [];

  afterEach(async function () {
    for (const c of calls.splice(0)) await endCall(c);
    if (this.currentTest?.state === 'failed' && ts) console.log(`Janus log tail:\n${ts.janus.logTail(30)}\napp:\n${ts.appLog.slice(-1500)}`);
    await ts?.stop();
    ts = undefined;
  });

  it('two clients at once each get only their own echo', async function () {
    skipUnlessBuilt(this);
    ts = await TsJanus.start({ app: ECHOTEST_APP, package: PKG });
    const a = await startCall(ts.janus, PKG);
    calls.push(a);
    const b = await startCall(ts.janus, PKG);
    calls.push(b);
    a.peer.startSending({ audioPps: 50, videoPps: 30 });
    b.peer.startSending({ audioPps: 50, videoPps: 30 });
    await Promise.all([a.peer.waitSent({ audio: 75, video: 45 }), b.peer.waitSent({ audio: 75, video: 45 })]); // 1.5 s worth
    a.peer.stopSending();
    b.peer.stopSending();
    await Promise.all([lastEchoes(a.peer), lastEchoes(b.peer)]);
    for (const [me, other] of [[a, b], [b, a]]) {
      for (const kind of ['audio', 'video'] as const) {
        assert.ok(me.peer.echoed(kind).length >= me.peer.sent[kind].length - 3, `${kind} echoed to its sender`);
        const foreign = me.peer.received[kind].filter((r) => other.peer.echoed(kind).some((o) => o.payload.equals(r.payload)));
        assert.equal(foreign.length, 0, `${kind} of the other client leaked into this one`);
      }
    }
  });

  it('keeps echoing while the app is down; a restarted app resyncs and drives the same session', async function () {
    skipUnlessBuilt(this);
    ts = await TsJanus.start({ app: ECHOTEST_APP, package: PKG, supervised: false });
    const call = await startCall(ts.janus, PKG);
    calls.push(call);
    call.peer.startSending({ audioPps: 50, videoPps: 30 });
    await call.peer.waitReceived('video', 5, 4000);

    await ts.killApp(); // SIGKILL: a crash
    const downMark = call.peer.sent.video.length;
    await until(() => echoedSince(call, 'video', downMark) >= 15, 'video kept coming back with no app', 10000);
    await assert.rejects(call.handle.send({ video: false }), JanusError, 'a message with no app is answered with an error');

    ts.startApp(ECHOTEST_APP);
    await ts.waitAppConnections(2);
    await call.handle.send({ video: false }); // the resynced session is the app's again
    await sleep(300);
    const offMark = call.peer.sent.video.length;
    const audioMark = call.peer.sent.audio.length;
    await call.peer.waitSent({ video: offMark + 30 }); // 1 s of video sent with the valve closed
    await until(() => echoedSince(call, 'audio', audioMark) >= 30, 'audio still echoed', 10000);
    assert.equal(echoedSince(call, 'video', offMark), 0, 'the restarted app closed the video valve');
    call.peer.stopSending();
  });

  it('restarts a supervised app that crashed, media flowing meanwhile', async function () {
    skipUnlessBuilt(this);
    ts = await TsJanus.start({ app: ECHOTEST_APP, package: PKG });
    const call = await startCall(ts.janus, PKG);
    calls.push(call);
    call.peer.startSending({ audioPps: 50, videoPps: 0 });
    await call.peer.waitReceived('audio', 10, 4000);

    const pids = processesWith(ts.socketPath).filter((pid) => pid !== ts!.janus.pid);
    assert.equal(pids.length, 1, `one supervised app process on ${ts.socketPath} (found ${pids})`);
    const killedAt = Date.now();
    process.kill(pids[0], 'SIGKILL');
    await ts.waitAppConnections(2, 15000);
    const backAt = Date.now();
    const meanwhile = call.peer.echoed('audio').filter((p) => p.rtp.at > killedAt + 50 && p.rtp.at <= backAt);
    assert.ok(meanwhile.length >= 5, `audio echoed while the app restarted (${meanwhile.length} packets in ${backAt - killedAt} ms)`);
    const { data } = await call.handle.send({ audio: true });
    assert.equal(data.result, 'ok', 'the restarted app answers');
    const now = processesWith(ts.socketPath).filter((pid) => pid !== ts!.janus.pid);
    assert.equal(now.length, 1);
    assert.notEqual(now[0], pids[0], 'a new app process');
    call.peer.stopSending();
  });
});
