// Keyframe requests, REMB and datachannel relays through the plugin (fake core, real router).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCore } from '../harness/fakeCore';

/** A captured werift offer: audio (m-line 0), video (1), the datachannel (2). */
const WERIFT_OFFER = path.resolve(__dirname, '../../../test/control/fixtures/werift-offer.sdp');
const up = (...names: string[]) => names.flatMap((n) => [`attach ${n}`, `setup ${n}`]);
// RTCP PSFB (PT 206): FMT 1 = PLI, sender SSRC 0x99, media SSRC 0x42.
const PLI = '81ce0002' + '00000099' + '00000042';
// REMB (FMT 15, "REMB", 1 SSRC, exp 0 mantissa 500000).
const remb = () => {
  const b = Buffer.alloc(24);
  b.writeUInt8(0x8f, 0); b.writeUInt8(206, 1); b.writeUInt16BE(5, 2);
  b.writeUInt32BE(0x99, 4); b.writeUInt32BE(0, 8); b.write('REMB', 12, 'ascii');
  b.writeUInt8(1, 16); b.writeUIntBE(500000, 17, 3); b.writeUInt32BE(0x42, 20);
  return b.toString('hex');
};

describe('plugin: RTCP, PLI, REMB, data (fake core, real router)', function () {
  it('forwards a recipient PLI to the source of its stream (send_pli_stream with the source mindex)', async () => {
    const run = await runCore(['init', ...up('P', 'S'), 'valve P video out 1', 'valve S video in 1', 'route P 1 S 2',
      'rtp P 1 1 10 1000 66 100', 'sleep 10', `rtcp S 2 1 ${PLI}`, 'destroy'], { jcfg: { pli_min_interval_ms: 0 } });
    assert.deepEqual(run.during('rtcp').filter((e) => e.ev === 'pli').map((e) => [e.h, e.mindex]), [['P', 1]]);
  });

  it('throttles forwarded PLIs per source stream (pli_min_interval_ms)', async () => {
    const run = await runCore(['init', ...up('P', 'S'), 'valve P video out 1', 'valve S video in 1', 'route P 1 S 1',
      'rtp P 1 1 10 1000 66 100', `rtcp S 1 1 ${PLI}`, `rtcp S 1 1 ${PLI}`, `rtcp S 1 1 ${PLI}`, 'destroy'],
      { jcfg: { pli_min_interval_ms: 60000 } });
    // The switch onto P's stream asked for one keyframe; the three PLIs fall in the same minute.
    assert.equal(run.of('pli').filter((e) => e.h === 'P').length, 1);
  });

  it('answers a REMB with the session bitrate cap, and sends the cap when set', async () => {
    const run = await runCore(['init', ...up('A'), `rtcp A 0 1 ${remb()}`, 'bitrate A 256000', `rtcp A 0 1 ${remb()}`, 'destroy']);
    assert.deepEqual(run.during('rtcp', 0).filter((e) => e.ev === 'remb'), []);
    assert.deepEqual(run.during('bitrate').filter((e) => e.ev === 'remb').map((e) => [e.h, e.bitrate]), [['A', 256000]]);
    assert.deepEqual(run.during('rtcp', 1).filter((e) => e.ev === 'remb').map((e) => [e.h, e.bitrate]), [['A', 256000]]);
  });

  it('sendPli asks the session for a keyframe, per stream or on every stream', async () => {
    const run = await runCore(['init', ...up('A'), 'sendpli A 1', 'sendpli A -1', 'destroy']);
    assert.deepEqual(run.of('pli').map((e) => [e.h, e.mindex]), [['A', 1], ['A', -1]]);
  });

  it('relays data with its label, protocol and binary flag to ready recipients only', async () => {
    const run = await runCore(['init', ...up('A', 'B', 'C'), 'valve A data out 1', 'valve B data in 1', 'valve C data in 1',
      'route A 255 B 255', 'route A 255 C 255', 'dataready B',
      'data A chat proto1 0 hello world', 'data A - - 1 bin', 'destroy']);
    const relays = run.of('relay_data');
    // C never had data_ready: nothing for it.
    assert.deepEqual(relays.map((r) => [r.h, r.label, r.protocol, r.binary, r.text, r.len]),
      [['B', 'chat', 'proto1', false, 'hello world', 11], ['B', null, null, true, 'bin', 3]]);
  });

  it('relays data on a stream route from the sender\'s datachannel m-line, with its relay label when set', async () => {
    const run = await runCore(['init', ...up('A', 'B'), 'valve A data out 1', 'valve B data in 1', 'dataready B',
      `sdp A client offer ${WERIFT_OFFER}`, 'route A 0 B 0', 'data A chat - 0 on-audio-route',
      'route A 2 B 2', 'data A chat - 0 plain', 'relaylabel A 4242', 'data A chat p 0 labelled', 'info A',
      'relaylabel A -', 'data A chat - 1 own', 'destroy']);
    assert.deepEqual(run.of('relay_data').map((r) => [r.h, r.label, r.protocol, r.text]),
      [['B', 'chat', null, 'plain'], ['B', '4242', 'p', 'labelled'], ['B', 'chat', null, 'own']]);
    assert.equal(run.of('info')[0].info.relayLabel, '4242');
    assert.deepEqual(run.of('relaylabel').map((e) => e.result), ['OK', 'OK']);
  });
});
