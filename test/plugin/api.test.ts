// ts_api.h signalling and injection functions (what the control server calls), through
// the fake core: what reaches Janus, and that borrowed JSON stays the caller's.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: ts_api signalling and injection (fake core, real router)', function () {
  it('pushEvent reaches push_event with transaction, event and jsep, and borrows them', async () => {
    const run = await runCore(['init', 'attach A', 'push A {"echotest":"event"} {"type":"answer","sdp":"v=0"}',
      'push Z {"a":1}', 'destroy']);
    assert.deepEqual(run.of('push_event').map((e) => [e.h, e.transaction, e.event, e.jsep]),
      [['A', 'tr-app', { echotest: 'event' }, { type: 'answer', sdp: 'v=0' }]]);
    const [ok, unknown] = run.of('push');
    assert.deepEqual([ok.result, ok.evRefs, ok.jsepRefs], ['OK', 1, 1]);
    assert.equal(unknown.result, 'UnknownSession');
  });

  it('notifyEvent goes to Janus event handlers with or without a session, unless events = false', async () => {
    const on = await runCore(['init', 'attach A', 'notify A {"n":1}', 'notify - {"n":2}', 'destroy']);
    assert.deepEqual(on.of('notify_event').map((e) => [e.h, e.event]), [['A', { n: 1 }], [null, { n: 2 }]]);
    assert.deepEqual(on.of('notify').map((e) => e.evRefs), [1, 1]);
    const off = await runCore(['init', 'attach A', 'notify A {"n":1}', 'destroy'], { jcfg: { events: false } });
    assert.deepEqual(off.of('notify_event'), []);
    assert.equal(off.of('notify')[0].result, 'OK');
  });

  it('closePc and endSession ask the core to hang up / detach that handle', async () => {
    const run = await runCore(['init', 'attach A', 'attach B', 'closepc A', 'endsession B', 'closepc Z', 'destroy']);
    assert.deepEqual(run.of('close_pc').map((e) => e.h), ['A']);
    assert.deepEqual(run.of('end_session').map((e) => e.h), ['B']);
    assert.deepEqual(run.of('closepc').map((e) => e.result), ['OK', 'UnknownSession']);
  });

  it('relayTextData also goes out before data_ready once the client sent data (its channel is open), until hangup', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'sendtext A early', 'data A chat - 0 first', 'sendtext A reply',
      'hangup A', 'sendtext A after', 'setup A', 'sendtext A again', 'destroy']);
    assert.deepEqual(run.of('sendtext').map((e) => e.result), ['ClosedSession', 'OK', 'ClosedSession', 'ClosedSession'],
      'before any data, after it, after hangup, on the next PeerConnection before data');
    assert.deepEqual(run.of('relay_data').map((e) => [e.h, e.text]), [['A', 'reply']]);
  });

  it('relayTextData needs an open datachannel; relayRtp injects a packet with reset extensions', async () => {
    const run = await runCore(['init', 'attach A', 'sendtext A hi', 'dataready A', 'sendtext A hello', 'injectrtp A 2 77', 'destroy']);
    assert.deepEqual(run.of('sendtext').map((e) => e.result), ['ClosedSession', 'OK']);
    assert.deepEqual(run.of('relay_data').map((e) => [e.h, e.label, e.text, e.binary]), [['A', 'app', 'hello', false]]);
    assert.deepEqual(run.of('relay_rtp').map((e) => [e.h, e.mindex, e.seq, e.len, e.audio_level, e.dd_len]), [['A', 2, 77, 20, -1, 0]]);
  });
});
