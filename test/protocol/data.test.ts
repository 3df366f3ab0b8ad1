// hello's `wants` on a real PeerConnection (werift, data channel only): the plugin sends
// incomingTextData / incomingBinaryData notifications only to an app that asked for
// them, and relayTextData / relayBinaryData reach the peer. The SDP answer comes from
// the janus-ts SDP helper; everything else is the raw control socket.
import assert from 'node:assert/strict';
import { sdp } from 'janus-ts';
import { JanusHandle, JanusSession } from '../helpers/janus';
import { WeriftPeer } from '../helpers/werift-peer';
import { ControlJanus, sleep, startControlJanus, TOKEN } from './control-janus';
import { RawClient } from './raw-client';

describe('protocol: wants and data relays on a live data channel', function () {
  this.timeout(30000);
  let cj: ControlJanus;
  let js: JanusSession;
  let handle: JanusHandle;
  let app: RawClient;
  let peer: WeriftPeer;
  let id: number;

  before(async () => {
    cj = await startControlJanus();
    app = (await cj.connectApp({ wants: ['incomingTextData', 'incomingBinaryData'] })).client;
    js = await cj.janus.createSession();
    handle = await js.attach('janus.plugin.ts');
    id = (await app.waitFor((f) => f.event === 'createSession')).params.id;
    peer = new WeriftPeer({ audio: false, video: false, data: true });
    const offer = await peer.offer();
    const sent = handle.send({ request: 'connect' }, offer, 8000);
    const req = await app.waitFor((f) => f.method === 'handleMessage');
    app.send({ id: req.id, result: { async: true } });
    const answer = sdp.toJsep('answer', sdp.generateAnswer(req.params.jsep.sdp, { audio: false, video: false }));
    assert.equal(await app.ok('pushEvent', { id, transaction: req.params.transaction, event: { ok: true }, jsep: answer }), true);
    const { jsep } = await sent;
    await peer.accept(jsep!);
    await peer.connected();
    await app.waitFor((f) => f.event === 'dataReady' && f.params.id === id, 8000);
  });
  after(async () => {
    await peer?.close();
    await app?.close();
    await js?.destroy();
    await cj?.stop();
  });

  it('sends incomingTextData to an app that wants it', async () => {
    peer.sendData('hello app');
    const n = await app.waitFor((f) => f.event === 'incomingTextData', 5000);
    assert.equal(n.params.id, id);
    assert.equal(n.params.text, 'hello app');
    assert.ok('label' in n.params && 'protocol' in n.params);
  });

  it('sends incomingBinaryData (base64) to an app that wants it', async () => {
    peer.sendData(Buffer.from([0, 1, 2, 250, 255]));
    const n = await app.waitFor((f) => f.event === 'incomingBinaryData', 5000);
    assert.equal(n.params.id, id);
    assert.deepEqual([...Buffer.from(n.params.data, 'base64')], [0, 1, 2, 250, 255]);
  });

  it('relayTextData and relayBinaryData reach the peer', async () => {
    const from = peer.messages.length;
    assert.equal(await app.ok('relayTextData', { id, text: 'hello peer' }), true);
    assert.equal(await peer.waitMessage((m) => m === 'hello peer', 5000, from), 'hello peer');
    assert.equal(await app.ok('relayBinaryData', { id, data: Buffer.from('bin!').toString('base64') }), true);
    const m = await peer.waitMessage((x) => Buffer.isBuffer(x) && x.toString() === 'bin!', 5000, from);
    assert.ok(Buffer.isBuffer(m));
  });

  it('sends no data notifications to an app that did not ask', async () => {
    await app.close();
    app = (await cj.connectApp({ wants: [] })).client;
    peer.sendData('nobody listens');
    peer.sendData(Buffer.from('nor here'));
    await sleep(1000);
    assert.deepEqual(app.inbox.filter((f) => f.event === 'incomingTextData' || f.event === 'incomingBinaryData'), []);
    // ...and asking again (hello on the same connection) turns them back on.
    assert.equal((await app.hello({ token: TOKEN, wants: ['incomingTextData'] })).result.protocol, 1);
    peer.sendData('again');
    const n = await app.waitFor((f) => f.event === 'incomingTextData', 5000);
    assert.equal(n.params.text, 'again');
  });
});

// Janus hands the plugin what a client sends as soon as its channel opens and calls
// data_ready later (when its SCTP send buffer drained; here usually a moment after the first
// text, so an app's reply mostly comes after it, and the plugin's rule for the other case —
// a channel the client sent on is open — is proven on the fake core, test/plugin/api.test.ts).
// Native plugins answer that first message at once; so does the plugin.
describe('protocol: relayTextData to a client that has just sent its first text', function () {
  this.timeout(60000);
  let cj: ControlJanus;
  let js: JanusSession;
  let app: RawClient;
  const peers: WeriftPeer[] = [];

  before(async () => {
    cj = await startControlJanus();
    app = (await cj.connectApp({ wants: ['incomingTextData'] })).client;
    js = await cj.janus.createSession();
  });
  after(async () => {
    for (const p of peers) await p.close();
    await app?.close();
    await js?.destroy();
    await cj?.stop();
  });

  /** A data-only PeerConnection whose client sends `text` the moment its channel opens. */
  async function connectSending(text: string): Promise<{ id: number; peer: WeriftPeer }> {
    const handle = await js.attach('janus.plugin.ts');
    const id = (await app.waitFor((f) => f.event === 'createSession')).params.id;
    const peer = new WeriftPeer({ audio: false, video: false, data: true });
    peers.push(peer);
    peer.channel!.stateChange.subscribe((st) => { if (st === 'open') peer.sendData(text); });
    const sent = handle.send({ request: 'connect' }, await peer.offer(), 8000);
    const req = await app.waitFor((f) => f.method === 'handleMessage');
    app.send({ id: req.id, result: { async: true } });
    const answer = sdp.toJsep('answer', sdp.generateAnswer(req.params.jsep.sdp, { audio: false, video: false }));
    await app.ok('pushEvent', { id, transaction: req.params.transaction, event: { ok: true }, jsep: answer });
    await peer.accept((await sent).jsep!);
    return { id, peer };
  }

  it('answers a text sent the moment the channel opens, at once', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const text = `first ${attempt}`;
      const { id, peer } = await connectSending(text);
      const n = await app.waitFor((f) => f.event === 'incomingTextData' && f.params.id === id, 10000);
      assert.equal(n.params.text, text);
      assert.equal(await app.ok('relayTextData', { id, text: `re: ${text}` }), true);
      assert.equal(await peer.waitMessage((m) => m === `re: ${text}`, 5000), `re: ${text}`);
    }
  });
});
