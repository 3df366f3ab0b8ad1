// Recording: RECORD decisions save the incoming packet (original header) in the
// session's Janus recorder (faked by the harness, which prints each call).
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: recording (fake core, real router)', function () {
  it('saves the sender packets of a recorded medium while its out valve is open, then closes', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'attach B', 'setup B', 'valve A video out 1', 'valve B video in 1',
      'route A 255 B 255', 'record A video vp8 rec-a', 'rtp A 1 1 300 9000 5 120', 'rtp A 0 0 301 9000 6 80',
      'unroute A 255 B 255', 'route A 255 A 255', 'valve A video in 1', 'route B 255 A 255', 'valve B video out 1',
      'rtp A 1 1 302 12000 5 120',
      'stoprecord A video', 'rtp A 1 1 303 15000 5 120', 'destroy']);
    assert.deepEqual(run.of('record').map((e) => e.result), ['OK']);
    assert.deepEqual(run.of('rec_create').map((e) => [e.codec, e.file]), [['vp8', 'rec-a']]);
    // Only video (the recorded medium) and only while recording; audio had its out valve closed anyway.
    assert.deepEqual(run.of('rec_save').map((e) => [e.file, e.seq, e.len]), [['rec-a', 300, 120], ['rec-a', 302, 120]]);
    assert.equal(run.of('rec_close').length, 1);
    assert.equal(run.during('stoprecord').filter((e) => e.ev === 'rec_close').length, 1);
  });

  it('stops recordings on hangup', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'record A audio opus a1', 'record A data text d1',
      'info A', 'hangup A', 'info A', 'destroy']);
    assert.deepEqual(run.of('info')[0].info.recording, { audio: 'a1', video: null, data: 'd1' });
    assert.deepEqual(run.during('hangup').filter((e) => e.ev === 'rec_close').map((e) => e.file).sort(), ['a1', 'd1']);
    assert.deepEqual(run.of('info')[1].info.recording, { audio: null, video: null, data: null });
  });

  it('refuses a recording without codec or of an unknown session', async () => {
    const run = await runCore(['init', 'attach A', 'record A nosuch vp8 x', 'record Z video vp8 x', 'destroy']);
    assert.deepEqual(run.of('record').map((e) => e.result), ['BadArguments', 'UnknownSession']);
  });

  it('records datachannel messages of a session whose data out valve is open', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'record A data text chat-log', 'data A - - 0 closed valve',
      'valve A data out 1', 'data A chat - 0 first words', 'stoprecord A all', 'data A chat - 0 after stop', 'destroy']);
    assert.deepEqual(run.of('rec_save').map((e) => [e.file, e.len]), [['chat-log', 'first words'.length]]);
    assert.equal(run.of('rec_close').length, 1);
  });
});
