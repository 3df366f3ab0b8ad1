// The plugin learns each session's m-lines from the SDPs it sees (the client's JSEP in
// handle_message, the app's in push_event) and addRecipient routes by kind, as janus_lua
// does: fake core, real router, captured Chromium and werift SDPs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sdp } from 'janus-ts';
import { runCore, type CoreRun } from '../harness/fakeCore';
import { fixture } from '../control/helpers/fixtures';

const up = (...names: string[]) => names.flatMap((n) => [`attach ${n}`, `setup ${n}`]);
const open = (n: string, ...media: string[]) => media.flatMap((m) => [`valve ${n} ${m} in 1`, `valve ${n} ${m} out 1`]);

/** Writes SDP texts to files for the `sdp` command; returns their paths by name. */
function sdpFiles(texts: Record<string, string>): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-sdp-'));
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(texts)) {
    out[name] = path.join(dir, `${name}.sdp`);
    fs.writeFileSync(out[name], text);
  }
  return out;
}

/** The werift offer with only its video m-line (mid 1, now at index 0). */
const videoOnly = () => sdp.render(sdp.removeMLine(sdp.removeMLine(sdp.parse(fixture('werift-offer.sdp')), 'audio'), 'data'));
/** The Chromium offer with video first, then audio, then the datachannel. */
function videoFirst(): string {
  const o = sdp.parse(fixture('chromium-offer.sdp'));
  o.media = [o.media[1], o.media[0], o.media[2]];
  return sdp.render(o);
}
const relays = (run: CoreRun, n = 0) => run.during('rtp', n).filter((e) => e.ev === 'relay_rtp').map((e) => [e.h, e.mindex, e.video]);

describe('plugin: every-stream routes by kind (fake core, real router)', function () {
  it('a subscriber with only a video m-line gets the publisher video on its m-line 0 and no audio', async () => {
    const f = sdpFiles({ pub: fixture('chromium-offer.sdp'), sub: videoOnly() });
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'audio', 'video'), ...open('S', 'audio', 'video'),
      `sdp P client offer ${f.pub}`, `sdp S client offer ${f.sub}`, 'addrecipient P S',
      'rtp P 1 1 10 1000 11 50', 'rtp P 0 0 20 2000 22 50', 'info S', 'destroy'], { logLevel: 5 });
    const [res] = run.of('addrecipient');
    assert.equal(res.result, 'OK');
    assert.equal(res.resolved.added, true);
    assert.equal(res.resolved.pending, false);
    assert.deepEqual(res.resolved.streams.map((s: any) => [s.mindex, s.type, s.recipientMindex, s.carries]),
      [[0, 'audio', null, false], [1, 'video', 0, true], [2, 'data', null, false]]);
    assert.match(res.resolved.streams[0].reason, /recipient \d+ has no audio stream/);
    assert.match(res.resolved.streams[2].reason, /has no data stream/);
    assert.deepEqual(relays(run, 0), [['S', 0, true]]);
    assert.deepEqual(relays(run, 1), []);
    const info = run.of('info')[0].info;
    assert.equal(info.stats.dropsNoStream, 1);
    assert.deepEqual(info.streams, [{ mindex: 0, type: 'video', mid: '1', active: true, send: true, recv: true }]);
    assert.match(run.log, /addRecipient: route \d+ -> \d+ carries nothing from m-line 0 \(audio\): recipient \d+ has no audio stream/);
  });

  it('m-lines in another order: audio to audio, video to video', async () => {
    const f = sdpFiles({ pub: fixture('werift-offer.sdp'), sub: videoFirst() });
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'audio', 'video'), ...open('S', 'audio', 'video'),
      `sdp P client offer ${f.pub}`, `sdp S client offer ${f.sub}`, 'addrecipient P S',
      'rtp P 0 0 20 2000 22 50', 'rtp P 1 1 10 1000 11 50', 'destroy']);
    assert.deepEqual(run.of('addrecipient')[0].resolved.streams.map((s: any) => [s.mindex, s.recipientMindex, s.carries]),
      [[0, 1, true], [1, 0, true], [2, 2, true]]);
    assert.deepEqual(relays(run, 0), [['S', 1, false]]);
    assert.deepEqual(relays(run, 1), [['S', 0, true]]);
  });

  it('takes the directions from the app SDP (push_event) and from the client answer', async () => {
    // The app offers a subscriber video only, sendonly from Janus: the client may only receive.
    const offer = sdp.render(sdp.generateOffer({ audio: false, video: true, videoDir: 'sendonly' })!);
    const answer = offer.replace('a=sendonly', 'a=recvonly');
    const inactive = offer.replace('a=sendonly', 'a=inactive');
    const f = sdpFiles({ pub: fixture('chromium-offer.sdp'), offer, answer, inactive });
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'video'), ...open('S', 'video'),
      `sdp P client offer ${f.pub}`, `sdp S app offer ${f.offer}`, 'info S', `sdp S client answer ${f.answer}`, 'info S',
      'addrecipient P S', 'addrecipient S P', `sdp S client answer ${f.inactive}`, 'addrecipient P S', 'destroy']);
    assert.equal(run.of('sdp')[1].result, 'OK', 'push_event took the app offer');
    const [afterOffer, afterAnswer] = run.of('info').map((e) => e.info.streams);
    assert.deepEqual(afterOffer, [{ mindex: 0, type: 'video', mid: '0', active: true, send: false, recv: true }]);
    assert.deepEqual(afterAnswer, afterOffer);
    const [pToS, sToP, pToInactive] = run.of('addrecipient').map((e) => e.resolved);
    assert.equal(pToS.added, true);
    assert.deepEqual(pToS.streams.find((s: any) => s.type === 'video'), { mindex: 1, type: 'video', recipientMindex: 0, carries: true });
    assert.match(sToP.streams[0].reason, /session \d+ does not send on its m-line 0/);
    assert.equal(pToInactive.added, false, 'addRecipient is idempotent');
    assert.match(pToInactive.streams.find((s: any) => s.type === 'video').reason, /recipient \d+ does not receive on its m-line 0/);
  });

  it('follows a renegotiation of the recipient, and logs the route that now carries nothing', async () => {
    const f = sdpFiles({ pub: fixture('werift-offer.sdp'), both: fixture('chromium-offer.sdp'), video: videoOnly() });
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'audio', 'video'), ...open('S', 'audio', 'video'),
      `sdp P client offer ${f.pub}`, `sdp S client offer ${f.both}`, 'addrecipient P S', 'rtp P 1 1 10 1000 11 50',
      `sdp S client offer ${f.video}`, 'rtp P 1 1 11 4000 11 50', 'rtp P 0 0 20 2000 22 50', 'destroy'], { logLevel: 5 });
    assert.deepEqual(relays(run, 0), [['S', 1, true]]);
    assert.deepEqual(relays(run, 1), [['S', 0, true]]);
    assert.deepEqual(relays(run, 2), []);
    assert.match(run.log, /new SDP: route \d+ -> \d+ carries nothing from m-line 0 \(audio\): recipient \d+ has no audio stream/);
  });

  it('before any SDP an every-stream route keeps the same index and says it is pending', async () => {
    const f = sdpFiles({ pub: fixture('werift-offer.sdp') });
    const run = await runCore(['init', ...up('P', 'S'), ...open('P', 'video'), ...open('S', 'video'),
      'addrecipient P S', `sdp P client offer ${f.pub}`, 'addrecipient P S', 'rtp P 1 1 10 1000 11 50', 'destroy']);
    const [before, after] = run.of('addrecipient').map((e) => e.resolved);
    assert.deepEqual(before, { added: true, pending: true, streams: [] });
    assert.equal(after.pending, true);
    assert.match(after.streams[1].reason, /recipient \d+ has not negotiated its streams yet/);
    assert.deepEqual(relays(run, 0), [['S', 1, true]]);
  });

  it('addRecipient with an unknown session fails, and a conflicting stream route is a Duplicate', async () => {
    const f = sdpFiles({ pub: fixture('werift-offer.sdp'), sub: videoOnly() });
    const run = await runCore(['init', ...up('P', 'S'), `sdp P client offer ${f.pub}`, `sdp S client offer ${f.sub}`,
      'addrecipient P Z', 'route P 1 S 0', 'addrecipient P S', 'unroute P 1 S 0', 'addrecipient P S', 'route P 1 S 0', 'destroy']);
    assert.deepEqual(run.of('addrecipient').map((e) => e.result), ['UnknownSession', 'Duplicate', 'OK']);
    assert.deepEqual(run.of('route').map((e) => e.result), ['OK', 'Duplicate']);
  });
});
