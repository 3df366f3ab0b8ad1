// The media features through the real plugin on the fake core: the host's side of the router's
// decisions. Payload types rewritten per recipient from the SDPs the plugin saw (a Chromium
// offer's VP8 96 / opus 111 reach a werift client as its 98 / 96); simulcast substreams with
// the VP8 picture id and TL0PICIDX written per recipient (PACKET_INFO) and everything
// restored after the last relay; RTP forwarders sending real UDP datagrams with their SSRC,
// payload type and own numbering, stopped by stopRtpForward and by the session's hangup;
// the loudest speaker from the audio levels Janus passes.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveCore, runCore } from '../harness/fakeCore';
import { fixture } from '../control/helpers/fixtures';
import { rtp, vp8Payload, filler, parseRtp, vp8Ids } from '../helpers/rtp-media';

const up = (...names: string[]) => names.flatMap((n) => [`attach ${n}`, `setup ${n}`]);
const open = (n: string, ...media: string[]) => media.flatMap((m) => [`valve ${n} ${m} in 1`, `valve ${n} ${m} out 1`]);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function sdpFile(name: string, text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-sdp-')), `${name}.sdp`);
  fs.writeFileSync(f, text);
  return f;
}

/** A VP8 packet of substream `sub` (SSRC 100 + sub) with a 15-bit picture id and TL0PICIDX. */
function vp8(sub: number, seq: number, picId: number, key: boolean, pt = 96): Uint8Array {
  return rtp({ seq, ts: seq * 3000, ssrc: 100 + sub, pt, marker: true },
    vp8Payload({ start: true, picId, longPicId: true, tl0: picId & 0xff, tid: 0 }, key, filler(40, seq)));
}

describe('plugin: media features (fake core, real router)', function () {
  this.timeout(30000);

  it('rewrites payload types per recipient from the SDPs it saw: Chromium VP8 96 / opus 111 → werift 98 / 96', async () => {
    const pub = sdpFile('pub', fixture('chromium-offer.sdp')), sub = sdpFile('sub', fixture('werift-offer.sdp'));
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'audio', 'video'), ...open('S', 'audio', 'video'),
      `sdp P client offer ${pub}`, `sdp S client offer ${sub}`, 'addrecipient P S',
      `rtphex P 1 1 -1 ${hex(rtp({ seq: 7, ts: 90, ssrc: 1, pt: 96, marker: true }, filler(30)))}`,
      `rtphex P 0 0 -1 ${hex(rtp({ seq: 8, ts: 960, ssrc: 2, pt: 111 }, filler(30)))}`,
      `rtphex P 1 1 -1 ${hex(rtp({ seq: 9, ts: 90, ssrc: 1, pt: 35 }, filler(30)))}`, 'destroy']);
    const relays = run.of('relay_rtp');
    assert.deepEqual(relays.map((e) => [e.h, e.mindex, e.b1 & 0x7f, e.b1 >> 7]), [['S', 1, 98, 1], ['S', 0, 96, 0], ['S', 1, 35, 0]],
      'VP8 → 98 with the marker, opus → 96, a payload type the SDP does not have: as it came');
    const afters = run.of('rtphex').map((e) => e.after.slice(0, 4));
    assert.deepEqual(afters, ['80e0', '806f', '8023'], 'byte 1 restored after the relays');
  });

  it('simulcast: a recipient gets its substream with picture ids continued across a switch, the packet restored', async () => {
    // Key frames of substreams 0 and 2, then more frames; the recipient aims at 0, then at 2.
    // Each substream numbers its packets on its own (seq 100 + f, 500 + f).
    const packets: [Uint8Array, string][] = [];
    for (let f = 0; f < 3; f++) for (const s of [0, 2]) packets.push([vp8(s, 100 * (1 + 2 * s) + f, 1000 * (s + 1) + f, f === 0), `s${s}f${f}`]);
    const later: Uint8Array[] = [];
    for (let f = 3; f < 6; f++) for (const s of [0, 2]) later.push(vp8(s, 100 * (1 + 2 * s) + f, 1000 * (s + 1) + f, f === 3 && s === 2));
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'video'), ...open('S', 'video'), 'hex 1',
      'simulcast P 1 vp8 100 101 102', 'route P 1 S 1', 'layer S 1 0 0',
      ...packets.map(([p]) => `rtphex P 1 1 -1 ${hex(p)}`), 'layer S 1 0 2',
      ...later.map((p) => `rtphex P 1 1 -1 ${hex(p)}`), 'info S', 'destroy']);
    assert.deepEqual(run.of('simulcast').map((e) => e.result), ['OK']);
    const got = run.of('relay_rtp').map((e) => parseRtp(Buffer.from(e.hex, 'hex')));
    assert.deepEqual(got.map((g) => g.ssrc), [100, 100, 100, 100, 102, 102, 102], 'substream 0, then 2 from its key frame');
    const ids = got.map((g) => vp8Ids(g.payload));
    assert.deepEqual(ids.map((i) => i.picId), [1000, 1001, 1002, 1003, 1004, 1005, 1006], 'the picture ids of 2 continue 0\'s (3003 → 1004)');
    assert.deepEqual(ids.map((i) => i.tl0), [1000, 1001, 1002, 1003, 1004, 1005, 1006].map((v) => v & 0xff));
    assert.ok(got.slice(1).every((g, i) => ((g.seq - got[i].seq) & 0xffff) === 1), 'one sequence');
    const input = [...packets.map(([p]) => p), ...later];
    assert.deepEqual(run.of('rtphex').map((e) => e.after), input.map(hex), 'every packet restored after its relays');
    const layers = run.of('info')[0].info.layers;
    assert.deepEqual(layers, [], 'no m-lines known: no layers listed');
  });

  it('RTP forwarders: UDP datagrams with their SSRC, payload type and numbering; stopped, and gone with the hangup', async () => {
    const sock = dgram.createSocket('udp4');
    const got: Buffer[] = [];
    sock.on('message', (m) => got.push(m));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const port = sock.address().port;
    const core = new LiveCore();
    const audio = (seq: number) => core.run(`rtphex P 0 0 -1 ${hex(rtp({ seq, ts: seq * 960, ssrc: 9, pt: 111 }, filler(20, seq)))}`);
    const until = async (n: number) => { for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10)); };
    try {
      for (const c of ['init', ...up('P'), ...open('P', 'audio')]) await core.run(c);
      const fixed = await core.run(`fwd P 0 127.0.0.1 ${port} 4242 100 -1`);
      const plain = await core.run(`fwd P 0 127.0.0.1 ${port} 0 -1 -1`);
      assert.deepEqual([fixed.result, plain.result], ['OK', 'OK']);
      assert.notEqual(fixed.forwarder, plain.forwarder);
      const bad = await core.run('fwd P 0 no-such-host.invalid 5000 0 -1 -1');
      assert.equal(bad.result, 'BadArguments');
      assert.match(bad.reason, /host: cannot resolve 'no-such-host\.invalid'/);
      assert.equal((await core.run('fwd P 16 127.0.0.1 5000 0 -1 -1')).result, 'BadArguments');
      const list = (await core.run('fwds P')).list;
      assert.deepEqual(list.map((f: any) => [f.forwarder, f.mindex, f.host, f.port, f.ssrc, f.pt]),
        [[fixed.forwarder, 0, '127.0.0.1', port, 4242, 100], [plain.forwarder, 0, '127.0.0.1', port, undefined, undefined]]);
      for (const seq of [500, 501, 502]) await audio(seq);
      await until(6);
      const fwd = got.map((m) => ({ ...parseRtp(m), len: m.length }));
      const a = fwd.filter((m) => m.ssrc === 4242), b = fwd.filter((m) => m.ssrc === 9);
      assert.deepEqual(a.map((m) => m.pt), [100, 100, 100]);
      assert.deepEqual(b.map((m) => [m.pt, m.seq]), [[111, 500], [111, 501], [111, 502]], 'the first source keeps its numbers');
      assert.ok(a.every((m, i) => i === 0 || ((m.seq - a[i - 1].seq) & 0xffff) === 1));
      assert.ok(fwd.every((m) => m.len === 32), 'the whole packet');
      assert.deepEqual(a[0].payload, Buffer.from(filler(20, 500)));
      assert.equal((await core.run(`unfwd ${fixed.forwarder}`)).result, 'OK');
      assert.equal((await core.run(`unfwd ${fixed.forwarder}`)).result, 'NotFound');
      await audio(503);
      await until(7);
      assert.deepEqual(got.slice(6).map((m) => parseRtp(m).ssrc), [9], 'only the other forwarder');
      await core.run('hangup P');
      assert.deepEqual((await core.run('fwds -')).list, [], 'the hangup stopped the rest');
      const stats = (await core.run('stats')).stats;
      assert.deepEqual([stats.forwarders.live, stats.forwarders.started, stats.forwarders.packets], [0, 2, 7]);
      assert.equal(stats.media.rtpForwarded, 7);
    } finally {
      await core.close();
      sock.close();
    }
  });

  it('the loudest speaker from the audio levels Janus passes, after talk detection is turned on', async () => {
    const audio = (n: string, seq: number, level: number) => `rtphex ${n} 0 0 ${level} ${hex(rtp({ seq, ts: seq * 960, ssrc: 9, pt: 111 }, filler(20)))}`;
    const run = await runCore(['init', ...up('A', 'B', 'C'), ...open('A', 'audio'), ...open('B', 'audio'), ...open('C', 'audio'),
      'talk A - 5 40', 'talk B 0 5 40', 'talk C 0 0 0', 'talk A 16 5 40', 'talk A 0 5 200',
      ...[0, 1, 2, 3, 4].flatMap((i) => [audio('A', i, 30), audio('B', i, 10), audio('C', i, 5)]),
      'loudest A B C', 'talk B 0 0 0', 'loudest A B C', 'loudest C', 'destroy']);
    assert.deepEqual(run.of('talk').map((e) => e.result), ['OK', 'OK', 'OK', 'BadArguments', 'BadArguments', 'OK']);
    const l = run.of('loudest');
    assert.deepEqual(l.map((e) => [e.h, e.level]), [['B', 10], ['A', 30], ['-', 0]], 'C never detects; B turned off');
  });
});
