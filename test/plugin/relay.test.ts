// The plugin's RTP path with the real router.wasm, driven through the fake Janus core:
// exactly which relay_rtp calls happen, to whom, with which mindex and header.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

const up = (...names: string[]) => names.flatMap((n) => [`attach ${n}`, `setup ${n}`]);
const open = (n: string, medium: string, ...dirs: string[]) => dirs.map((d) => `valve ${n} ${medium} ${d} 1`);

describe('plugin: RTP relays (fake core, real router)', function () {
  it('echoes a session to itself with the same header, extensions and mindex', async () => {
    const run = await runCore(['init', ...up('A'), ...open('A', 'audio', 'in', 'out'), 'route A 255 A 255',
      'rtp A 0 0 100 48000 1111 60', 'rtp A 0 0 101 48960 1111 60', 'destroy']);
    assert.equal(run.of('init')[0].rc, 0);
    assert.equal(run.of('init')[0].api, 102);
    assert.deepEqual(run.of('route').map((e) => e.result), ['OK']);
    const relays = run.of('relay_rtp');
    assert.equal(relays.length, 2);
    assert.deepEqual(relays.map((r) => [r.h, r.mindex, r.video, r.seq, r.ts, r.ssrc, r.len, r.b0]),
      [['A', 0, false, 100, 48000, 1111, 60, 0xab], ['A', 0, false, 101, 48960, 1111, 60, 0xab]]);
    // RTP header extensions of the incoming packet are passed through untouched.
    for (const r of relays) assert.deepEqual([r.audio_level, r.video_rotation, r.dd_len], [37, 90, 3]);
  });

  it('fans out one packet to every started recipient with an open in valve', async () => {
    const run = await runCore(['init', ...up('P', 'S1', 'S2', 'S3'), 'attach S4',
      ...open('P', 'video', 'out'), ...['S1', 'S2', 'S3', 'S4'].flatMap((s) => open(s, 'video', 'in')),
      'valve S3 video in 0',
      ...['S1', 'S2', 'S3', 'S4'].map((s) => `route P 255 ${s} 255`),
      'rtp P 1 1 7 90000 42 200', 'destroy']);
    const during = run.during('rtp').filter((e) => e.ev === 'relay_rtp');
    // S3 closed its in valve, S4 has no PeerConnection (no setup_media): only S1 and S2.
    assert.deepEqual(during.map((r) => r.h).sort(), ['S1', 'S2']);
    for (const r of during) assert.deepEqual([r.mindex, r.video, r.len, r.ssrc], [1, true, 200, 42]);
  });

  it('drops a sender whose out valve is closed, and counts it', async () => {
    const run = await runCore(['init', ...up('A', 'B'), ...open('B', 'audio', 'in'), 'route A 255 B 255',
      'rtp A 0 0 1 1 5 40', 'valve A audio out 1', 'rtp A 0 0 2 2 5 40', 'valve A audio out 0', 'rtp A 0 0 3 3 5 40',
      'info A', 'destroy']);
    assert.deepEqual(run.of('relay_rtp').map((r) => r.seq), [2]);
    assert.equal(run.of('info')[0].info.stats.dropsValve, 2);
  });

  it('maps stream routes between m-lines (multistream)', async () => {
    const run = await runCore(['init', ...up('A', 'B', 'C'), ...open('A', 'video', 'out'), ...open('A', 'audio', 'out'),
      ...open('B', 'video', 'in'), ...open('C', 'video', 'in'), ...open('C', 'audio', 'in'),
      'route A 1 B 3', 'route A 2 C 0', 'route A 0 C 4',
      'rtp A 1 1 10 1000 11 50', 'rtp A 2 1 20 2000 22 50', 'rtp A 0 0 30 3000 33 50', 'rtp A 5 1 40 4000 44 50',
      'info A', 'destroy']);
    const relays = run.of('relay_rtp').map((r) => [r.h, r.mindex, r.ssrc]);
    assert.deepEqual(relays, [['B', 3, 11], ['C', 0, 22], ['C', 4, 33]]);
    assert.deepEqual(run.of('info')[0].info.routes.map((r: any) => [r.mindex, r.recipientMindex]).sort(),
      [[0, 4], [1, 3], [2, 0]]);
  });

  it('rewrites seq/ts when a recipient stream switches source, and restores the sender header', async () => {
    const run = await runCore(['init', ...up('A', 'C', 'R'), ...open('A', 'video', 'out'), ...open('C', 'video', 'out'),
      ...open('R', 'video', 'in'), 'route A 1 R 1',
      'rtp A 1 1 1000 500000 1 100', 'rtp A 1 1 1001 503000 1 100',
      'unroute A 1 R 1', 'route C 1 R 1',
      'rtp C 1 1 60000 7000000 2 100', 'rtp C 1 1 60001 7003000 2 100', 'destroy']);
    const r = run.of('relay_rtp').filter((e) => e.h === 'R');
    assert.equal(r.length, 4);
    assert.deepEqual(r.slice(0, 2).map((e) => [e.seq, e.ts]), [[1000, 500000], [1001, 503000]]);
    // After the switch R's stream continues where it was: seq + 1, ts a little later.
    assert.equal(r[2].seq, 1002);
    assert.equal(r[3].seq, 1003);
    assert.ok(r[2].ts > 503000 && r[2].ts < 503000 + 90000 * 5, `ts continues: ${r[2].ts}`);
    assert.equal((r[3].ts - r[2].ts) >>> 0, 3000);
    assert.equal(r[2].ssrc, 2);
    // The incoming packet's header is restored after the relays (the core may reuse it).
    assert.deepEqual(run.of('rtp').map((e) => [e.seq, e.ts]),
      [[1000, 500000], [1001, 503000], [60000, 7000000], [60001, 7003000]]);
  });

  it('keeps seq continuous across the 16-bit wrap after a switch', async () => {
    const run = await runCore(['init', ...up('A', 'C', 'R'), ...open('A', 'audio', 'out'), ...open('C', 'audio', 'out'),
      ...open('R', 'audio', 'in'), 'route A 0 R 0', 'rtp A 0 0 65535 100 1 30',
      'unroute A 0 R 0', 'route C 0 R 0', 'rtp C 0 0 400 9000 2 30', 'rtp C 0 0 401 9960 2 30', 'destroy']);
    assert.deepEqual(run.of('relay_rtp').map((e) => e.seq), [65535, 0, 1]);
  });

  it('relays every packet of a long run to every recipient (bench command, relays counted)', async () => {
    const subs = Array.from({ length: 8 }, (_, i) => `S${i}`);
    const run = await runCore(['init', ...up('P', ...subs), 'valve P video out 1',
      ...subs.flatMap((s) => [`valve ${s} video in 1`, `route P 255 ${s} 255`]), 'stats', 'bench P 1 1 5000 1100', 'stats', 'info P', 'info S7', 'destroy']);
    const b = run.of('bench')[0];
    assert.deepEqual([b.packets, b.relays], [5000, 40000]);
    // Exactly one router call per packet, whatever the fan-out (the router's own call
    // counter also counts the ~10/s tick() calls: allow for one or two of those).
    const [before, after] = run.of('stats').map((e) => e.stats.router.calls);
    assert.ok(after - before >= 5000 && after - before <= 5002, `router calls for 5000 packets: ${after - before}`);
    assert.equal(run.of('info')[0].info.stats.rtpIn, 5000);
    assert.equal(run.of('info')[1].info.stats.rtpOut, 5000);
  });
});
