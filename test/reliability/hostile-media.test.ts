// A werift peer (in a process of its own: remote-peer.ts) that sends malformed media through a
// real Janus to our plugin (router.wasm):
// RTP with a bad version, truncated, CSRC / extension / padding lengths past the end, RTCP with
// bad versions and lengths, huge compound RTCP, an RTCP storm, and data-channel floods — while
// another call is echoed. Janus's core checks part of this before the plugin sees anything:
// the test measures, per kind of packet, how many reached the plugin (the router's per-session
// counters) and how many of those the router dropped as malformed, and prints the table
// (docs/reliability.md). Nothing malformed is ever relayed, every malformed packet that
// reached the plugin is counted as a drop, Janus stays up and the other call's echo goes on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from '../e2e/echotest-scenarios';
import { echoStats, fmtEcho, probe, rtpBytes, sleep, writeProbeApp } from './helpers';
import { RemotePeer } from './remote-peer';

const PKG = 'janus.plugin.echotest';
const N = 20;

/** The attacker's counters in the router (Admin API handle_info → plugin_specific.router). */
async function counters(ts: TsJanus, p: RemotePeer): Promise<Record<string, number>> {
  return (await ts.janus.admin({ janus: 'handle_info' }, `/${p.session}/${p.handle}`)).info.plugin_specific.router.stats;
}
const hex = (bufs: Buffer[]) => bufs.map((b) => b.toString('hex'));

interface Row { kind: string; sent: number; reached: number; droppedMalformed: number; echoed: number; expect: 'valid' | 'malformed' }

describe('reliability: malformed RTP/RTCP, RTCP storms and data floods from a peer, in a real Janus', function () {
  this.timeout(120000);
  let ts: TsJanus | undefined;
  let victim: EchoCall | undefined;
  let attacker: RemotePeer | undefined;
  let appDir = '';
  let victimFrom = 0;
  const rows: Row[] = [];

  before(async function () {
    skipUnlessBuilt(this, exampleApp('echotest'));
    const app = writeProbeApp();
    appDir = path.dirname(app);
    ts = await TsJanus.start({ app, package: PKG });
    victim = await startCall(ts.janus, PKG, { audio: true, video: true, data: false });
    attacker = await RemotePeer.start(ts.janus.httpUrl, PKG, { audio: true, video: true, data: true });
    victim.peer.startSending({ audioPps: 50, videoPps: 20 });
    await sleep(500);
    victimFrom = victim.peer.sent.audio.length;
  });
  after(async () => {
    console.log(`      what reached the plugin (of ${N} sent each):`);
    for (const r of rows) console.log(`        ${r.kind.padEnd(58)} reached ${String(r.reached).padStart(3)}  dropped as malformed ${String(r.droppedMalformed).padStart(3)}  echoed ${r.echoed}`);
    await endCall(victim);
    await attacker?.close();
    await ts?.stop();
    if (appDir) fs.rmSync(appDir, { recursive: true, force: true });
  });

  it('RTP: what Janus lets through, and what the router drops', async () => {
    const { ssrc, pt } = attacker!.ssrc.audio;
    let seq = 20000;
    const payload = (n = 40) => Buffer.alloc(n, 0x5a);
    const kinds: [string, 'valid' | 'malformed', () => Buffer][] = [
      ['valid (control)', 'valid', () => rtpBytes({ ssrc, pt, seq: seq++, payload: payload() })],
      ['version 0', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, version: 0, payload: payload() })],
      ['version 1', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, version: 1, payload: payload() })],
      ['version 3', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, version: 3, payload: payload() })],
      ['truncated (8 bytes)', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, payload: payload() }).subarray(0, 8)],
      ['header only (12 bytes)', 'valid', () => rtpBytes({ ssrc, pt, seq: seq++, payload: Buffer.alloc(0) })],
      ['15 CSRCs announced, packet of 20 bytes', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, payload: payload(8) }).fill(0x8f, 0, 1)],
      ['extension of 200 words announced, 8 bytes there', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, ext: Buffer.alloc(4), extLenWords: 200, payload: payload(4) })],
      ['extension elements overflowing their block', 'valid', () => rtpBytes({ ssrc, pt, seq: seq++, ext: Buffer.from([0x1f, 1, 2, 3, 0x2f, 9, 9, 9]), payload: payload() })],
      ['padding count 250, 40-byte payload', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, payload: payload(), padding: 4, paddingByte: 250 })],
      ['padding bit, padding count 0', 'malformed', () => rtpBytes({ ssrc, pt, seq: seq++, payload: payload(), padding: 1, paddingByte: 0 })],
      ['payload type 72 (RTCP range with the marker)', 'malformed', () => rtpBytes({ ssrc, pt: 72, seq: seq++, payload: payload() })],
      ['an SSRC Janus was not told about', 'valid', () => rtpBytes({ ssrc: 0x0badcafe, pt, seq: seq++, payload: payload() })],
      ['1400-byte payload', 'valid', () => rtpBytes({ ssrc, pt, seq: seq++, payload: payload(1400) })],
    ];
    for (const [kind, expect, make] of kinds) {
      const before = await counters(ts!, attacker!);
      const got = (await attacker!.do({ op: 'stats' })).received.audio;
      await attacker!.do({ op: 'raw', rtp: hex(Array.from({ length: N }, make)) });
      await sleep(600);
      const after = await counters(ts!, attacker!);
      rows.push({ kind: `RTP: ${kind}`, sent: N, expect, reached: after.rtpIn - before.rtpIn,
        droppedMalformed: after.dropsMalformed - before.dropsMalformed, echoed: (await attacker!.do({ op: 'stats' })).received.audio - got });
    }
    for (const r of rows) {
      if (r.expect === 'malformed') {
        assert.equal(r.echoed, 0, `${r.kind}: nothing relayed`);
        assert.equal(r.droppedMalformed, r.reached, `${r.kind}: each one that reached the plugin was dropped as malformed`);
      }
    }
    assert.equal(rows[0].echoed, N, 'the valid packets came back');
    assert.ok(ts!.janus.running);
  });

  it('RTCP: bad versions and lengths, huge compound packets, a storm of keyframe requests', async () => {
    const { ssrc } = attacker!.ssrc.video;
    const rr = () => { const b = Buffer.alloc(8); b[0] = 0x80; b[1] = 201; b.writeUInt16BE(1, 2); b.writeUInt32BE(ssrc, 4); return b; };
    const pli = () => { const b = Buffer.alloc(12); b[0] = 0x81; b[1] = 206; b.writeUInt16BE(2, 2); b.writeUInt32BE(ssrc, 4); b.writeUInt32BE(1, 8); return b; };
    const kinds: [string, () => Buffer][] = [
      ['RR (control)', rr],
      ['version 1', () => { const b = rr(); b[0] = 0x40; return b; }],
      ['length field past the end', () => { const b = rr(); b.writeUInt16BE(300, 2); return b; }],
      ['RR then 12 garbage bytes', () => Buffer.concat([rr(), Buffer.alloc(12, 0xff)])],
      ['compound of 150 RRs (1200 bytes)', () => Buffer.concat(Array.from({ length: 150 }, rr))],
    ];
    const first = rows.length;
    for (const [kind, make] of kinds) {
      const before = await counters(ts!, attacker!);
      await attacker!.do({ op: 'raw', rtcp: hex(Array.from({ length: N }, make)) });
      await sleep(600);
      const after = await counters(ts!, attacker!);
      rows.push({ kind: `RTCP: ${kind}`, sent: N, expect: 'malformed', reached: after.rtcpIn - before.rtcpIn,
        droppedMalformed: after.dropsMalformed - before.dropsMalformed, echoed: 0 });
    }
    // A storm: 2000 PLIs in 2 s. The router forwards at most one per pli_min_interval_ms (1 s)
    // to the stream's source: the attacker itself, in an echo, once it has sent video.
    await attacker!.do({ op: 'send', video: 5 });
    await sleep(1500);
    const plis = (await attacker!.do({ op: 'stats' })).plis;
    const before = await counters(ts!, attacker!);
    for (let i = 0; i < 20; i++) {
      await attacker!.do({ op: 'raw', rtcp: hex(Array.from({ length: 100 }, pli)) });
      await sleep(100);
    }
    await sleep(500);
    const after = await counters(ts!, attacker!);
    const forwarded = (await attacker!.do({ op: 'stats' })).plis - plis;
    rows.push({ kind: 'RTCP: storm of 2000 PLIs in 2 s (forwarded back)', sent: 2000, expect: 'valid',
      reached: after.rtcpIn - before.rtcpIn, droppedMalformed: after.dropsMalformed - before.dropsMalformed, echoed: forwarded });
    // (The peer's own receiver reports go on meanwhile: a few more RTCP packets reach the plugin.)
    for (const r of rows.slice(first + 1, first + 4)) assert.ok(r.reached <= 3, `${r.kind}: Janus drops it (${r.reached} reached)`);
    assert.ok(forwarded >= 1 && forwarded <= 4, `keyframe requests forwarded during the 2 s storm: ${forwarded} (at most 1 a second)`);
    assert.ok(ts!.janus.running);
  });

  it('data channel floods: handed to the app (counted drops when it cannot keep up), the other call keeps flowing', async () => {
    const before = (await probe(ts!.janus, PKG)).stats;
    const got = (await attacker!.do({ op: 'stats' })).messages;
    const { ms } = await attacker!.do({ op: 'flood', texts: 2000, textSize: 100, binaries: 500, binarySize: 500 });
    // Until the echoes stop coming.
    let last = -1, now = got;
    for (let t = 0; t < 60 && now !== last; t++) {
      last = now;
      await sleep(1500);
      now = (await attacker!.do({ op: 'stats' })).messages;
    }
    const after = (await probe(ts!.janus, PKG)).stats;
    const echoed = now - got;
    const toApp = after.media.dataToApp - before.media.dataToApp;
    const dropped = after.control.dropped - before.control.dropped;
    rows.push({ kind: `data: 2000 texts + 500 binaries of 500 B in ${ms} ms (to the app, echoed)`, sent: 2500, expect: 'valid',
      reached: toApp, droppedMalformed: dropped, echoed });
    assert.equal(toApp, 2500, 'every message reached the plugin and was handed to the app');
    assert.equal(echoed + dropped, 2500, 'each one echoed by the app, or dropped and counted (notification queue full)');
    assert.ok(ts!.janus.running);
  });

  it('the other call was echoed all along', () => {
    victim!.peer.stopSending();
    const echo = echoStats(victim!.peer, 'audio', victimFrom, victim!.peer.sent.audio.length - 3);
    console.log(`      victim call during all of it: ${fmtEcho(echo)}`);
    assert.ok(echo.back >= echo.sent * 0.95, fmtEcho(echo));
  });
});
