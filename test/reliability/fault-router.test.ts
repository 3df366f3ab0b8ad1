// Router faults inside a real Janus: the plugin loads the deliberately faulty router of the
// plugin tests (test/plugin/fixtures/fault-router.as, selected by the jcfg's `router`, a
// test-only build), which echoes every RTP packet to its sender but traps, loops forever,
// asks for a grace period from a packet call, or hands back decisions the host cannot use
// when the first payload byte says so. Two werift calls: one sends those packets, the other
// only ordinary media. Each bad packet is dropped and counted, Janus stays up, the other
// call's echo goes on throughout, and the faulty sender's own ordinary packets are echoed
// again afterwards (the instance is kept).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFixture, REPO_ROOT } from '../harness/fakeCore';
import { TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from '../e2e/echotest-scenarios';
import { echoStats, fmtEcho, probe, rtpBytes, sendRawRtp, sendingSsrc, sleep, writeProbeApp } from './helpers';
import { until } from '../helpers/wait';

const PKG = 'janus.plugin.echotest';
const SOURCE = path.join(REPO_ROOT, 'test', 'plugin', 'fixtures', 'fault-router.as');

describe('reliability: a faulty router in a real Janus', function () {
  this.timeout(90000);
  let ts: TsJanus | undefined;
  let victim: EchoCall | undefined;
  let attacker: EchoCall | undefined;
  let appDir = '';

  before(function () {
    skipUnlessBuilt(this, exampleApp('echotest'));
  });
  after(async () => {
    await endCall(victim);
    await endCall(attacker);
    await ts?.stop();
    if (appDir) fs.rmSync(appDir, { recursive: true, force: true });
  });

  it('drops and counts traps, runaway calls, forbidden syncs and unusable decisions; the other call keeps flowing', async () => {
    const router = compileFixture(SOURCE, 'fault-router');
    const app = writeProbeApp();
    appDir = path.dirname(app);
    ts = await TsJanus.start({ app, package: PKG, general: { router } });
    victim = await startCall(ts.janus, PKG, { audio: true, video: false, data: false });
    attacker = await startCall(ts.janus, PKG, { audio: true, video: false, data: false });
    victim.peer.startSending({ audioPps: 50, videoPps: 0 });
    const from = victim.peer.sent.audio.length;
    const { ssrc, pt } = sendingSsrc(attacker.peer, 'audio');
    let seq = 30000;
    const send = (b0: number, n: number) => {
      for (let i = 0; i < n; i++) sendRawRtp(attacker!.peer, rtpBytes({ ssrc, pt, seq: seq++, payload: Buffer.from([b0, 1, 2, 3, 4, 5, 6, 7]) }));
    };
    const received = () => attacker!.peer.received.audio.length;

    // Waits for what the router must have done (never a fixed sleep: the machine may be slow).
    const settle = (check: () => boolean | Promise<boolean>, what: string) => until(check, what, 30000).catch(() => undefined);
    const counted = async () => {
      const s = (await probe(ts!.janus, PKG)).stats;
      return s.host.traps >= 55 && s.host.interrupts >= 3 && s.media.badDecisions >= 50 * 48;
    };
    const r0 = received();
    send(0x11, 5); // ordinary: echoed (seq + 1)
    await settle(() => received() - r0 >= 5, 'the ordinary packets echoed');
    const ordinaryBefore = received() - r0;
    const t0 = Date.now();
    send(0xee, 50); // trap
    send(0xed, 5); // env.sync from a packet call: refused, a trap
    send(0xec, 50); // decisions the host cannot use
    send(0xef, 3); // runaway: each interrupted after its CPU budget
    await settle(counted, 'every fault counted');
    const faultsMs = Date.now() - t0;
    const r1 = received();
    send(0x12, 5);
    await settle(() => received() - r1 >= 5, 'the ordinary packets echoed again');
    await sleep(300); // nothing more comes back
    const ordinaryAfter = received() - r1;
    victim.peer.stopSending();
    await settle(() => { const e = echoStats(victim!.peer, 'audio', from); return e.back >= e.sent - 3; }, 'the victim\'s echo');

    const p = await probe(ts.janus, PKG);
    const echo = echoStats(victim.peer, 'audio', from);
    console.log(`      fault router figures: ${JSON.stringify({
      host: p.stats.host, media: { dropped: p.stats.media.dropped, trapped: p.stats.media.trapped, badDecisions: p.stats.media.badDecisions,
        toGoneSessions: p.stats.media.toGoneSessions }, victimEcho: fmtEcho(echo), faultsMs, ordinaryBefore, ordinaryAfter })}`);
    assert.ok(ts.janus.running, 'Janus is up');
    assert.equal(p.stats.host.traps, 55, '50 traps + 5 refused syncs, each counted');
    assert.equal(p.stats.host.interrupts, 3, 'the 3 runaway calls interrupted');
    assert.equal(p.stats.media.trapped, 58);
    assert.equal(p.stats.media.badDecisions, 50 * 48, 'unknown kinds and m-lines out of range: counted, not run');
    assert.equal(p.stats.media.toGoneSessions, 50 * 16, 'relays to a slot without a session: counted, not run');
    assert.match(p.stats.host.lastTrap, /interrupt/);
    assert.match(ts.janus.log(), /router trapped in rtp/);
    assert.equal(ordinaryBefore, 5, 'the attacker\'s ordinary packets were echoed before');
    assert.equal(ordinaryAfter, 5, '... and after the faults: the instance is kept');
    assert.equal(received() - r0, 10, 'nothing of the bad packets came back');
    assert.ok(echo.back >= echo.sent - 3, `the other call was not affected: ${fmtEcho(echo)}`);
  });
});
