// Frames a broken or hostile app may send, one kind at a time, on the real plugin's socket:
// each is answered — an error response to a request, a protocolError notification for a frame
// that cannot be answered (a response nobody waits for, a late or second answer, an answer
// before hello, a frame that is neither), a protocolError and then the close for a frame that
// breaks the framing — each kind is logged once per connection, counted, and nothing is left
// behind after thousands of them (pending requests, queued bytes, Janus's file descriptors).
// (framing.test.ts checks the closes and counters of bad framing, hello.test.ts the error
// responses of bad requests and calls on sessions that are gone.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { JanusSession } from '../helpers/janus';
import { ControlJanus, startControlJanus } from './control-janus';
import { frame, RawClient } from './raw-client';

const TIMEOUT_MS = 400;

describe('protocol: hostile frames get an answer, a log line once, and leave nothing behind', function () {
  this.timeout(60000);
  let cj: ControlJanus;
  let js: JanusSession;

  before(async () => {
    cj = await startControlJanus({ message_timeout_ms: TIMEOUT_MS, control_max_frame: 4096 });
    js = await cj.janus.createSession();
  });
  after(async () => {
    await js?.destroy();
    await cj?.stop();
  });

  const notice = (c: RawClient, re: RegExp) => c.waitFor((f) => f.event === 'protocolError' && re.test(f.params.reason), 3000);
  const count = (re: RegExp) => (cj.log().match(new RegExp(re.source, 'g')) ?? []).length;

  it('a response to an id nobody asked: a notice; a thousand of them are logged once', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const before = count(/response to id \d+ ignored/);
    client.send({ id: 424242, result: { reply: {} } });
    const n = await notice(client, /response to id 424242 ignored: no request of the plugin waits for it/);
    assert.ok(n);
    for (let i = 0; i < 1000; i++) client.send({ id: 500000 + i, error: 'AppError', reason: 'x' });
    await notice(client, /response to id 500999 ignored/);
    assert.equal(count(/response to id \d+ ignored/) - before, 1, 'logged once');
    const stats = (await client.ok('stats')).control;
    assert.ok(stats.unknownResponses >= 1001);
    await client.close();
  });

  it('a late answer (after message_timeout_ms) and a second answer: a notice each', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const h = await js.attach('janus.plugin.ts');
    await client.waitFor((f) => f.event === 'createSession');
    const reply = h.message({ request: 'slow' }).catch((e) => e);
    const req = await client.waitFor((f) => f.method === 'handleMessage');
    assert.match(String(await reply), /did not answer within/);
    client.send({ id: req.id, result: { reply: { late: true } } });
    await notice(client, new RegExp(`response to id ${req.id} ignored: .*timed out`));
    // Answered twice: the second is the one nobody waits for.
    const reply2 = h.message({ request: 'twice' });
    const req2 = await client.waitFor((f) => f.method === 'handleMessage');
    client.send({ id: req2.id, result: { reply: { n: 1 } } });
    client.send({ id: req2.id, result: { reply: { n: 2 } } });
    assert.equal((await reply2).plugindata.data.n, 1);
    await notice(client, new RegExp(`response to id ${req2.id} ignored`));
    await h.detach();
    await client.close();
  });

  it('an answer before hello: a notice, the connection stays', async () => {
    const c = await RawClient.connect(cj.socket);
    c.send({ id: 1, result: true });
    await notice(c, /response to id 1 ignored: send hello first/);
    assert.equal(c.isClosed, false);
    await c.close();
  });

  it('frames that are neither requests nor answers: a notice each, logged once per connection', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const before = count(/neither a request nor a response was ignored/);
    for (let i = 0; i < 200; i++) client.send({ event: 'createSession', params: { id: i } });
    for (let i = 0; i < 200; i++) await notice(client, /neither a request nor a response/);
    assert.equal(count(/neither a request nor a response was ignored/) - before, 1);
    await client.close();
    await new Promise((r) => setTimeout(r, 300));
    assert.match(cj.log(), /200 frames could not be used in all \(the first was logged\)/);
  });

  const breaking: [string, Buffer, RegExp][] = [
    ['a zero length', Buffer.from([0, 0, 0, 0]), /zero-length frame/],
    ['a length over control_max_frame', Buffer.from([0, 0, 0x20, 0]), /frame of 8192 bytes is over control_max_frame \(4096\)/],
    ['bad JSON', Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from('{"a":')]), /bad JSON/],
    ['JSON that is not an object', frame([1]), /not a JSON object/],
  ];
  for (const [what, bytes, re] of breaking) {
    it(`${what}: a protocolError saying so, then the close; the app is detached at once`, async () => {
      const { client } = await cj.connectApp({ replace: true });
      client.sendRaw(bytes);
      const n = await notice(client, re);
      assert.match(n.params.reason, /the connection is closed/);
      assert.ok(await client.closesWithin(3000));
      // Another app connects without replace: the broken one is no longer the app.
      const { client: next } = await cj.connectApp();
      await next.close();
    });
  }

  it('300 hostile connections leave no pending request, queued byte or file descriptor behind', async () => {
    const pid = cj.janus.pid!;
    const fds = () => fs.readdirSync(`/proc/${pid}/fd`).length;
    const fdsBefore = fds();
    for (let round = 0; round < 300; round++) {
      const c = await RawClient.connect(cj.socket);
      if (round % 3) await c.hello({ token: 'protocol-test-token', replace: true });
      c.send({ id: 9, result: null });
      c.send({ event: 'x' });
      c.send({ id: 'no', method: 3 });
      if (round % 2) c.sendRaw(Buffer.from([0, 0, 0, 0]));
      await c.close();
    }
    const { client } = await cj.connectApp({ replace: true });
    const stats = (await client.ok('stats')).control;
    await client.close();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(stats.pendingRequests, 0);
    assert.ok(stats.queuedBytes < 4096, `queued ${stats.queuedBytes} bytes`);
    assert.ok(fds() <= fdsBefore + 2, `Janus file descriptors ${fdsBefore} → ${fds()}`);
  });
});
