// Framing on the control socket of the real plugin: 4-byte big-endian length + JSON,
// the maximum frame size, and protocol errors (zero length, over the maximum, bad JSON,
// JSON that is not an object): the connection is closed, counted, Janus keeps
// answering and a new connection works.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ControlJanus, janusAnswers, startControlJanus, TOKEN } from './control-janus';
import { frame, RawClient } from './raw-client';

const MAX_FRAME = 4096;

/** A request frame padded (with a params field) to exactly `size` bytes of JSON. */
function paddedRequest(id: number, size: number): Buffer {
  const base = { id, method: 'eventsIsEnabled', params: { pad: '' } };
  const overhead = Buffer.byteLength(JSON.stringify(base));
  const f = frame({ ...base, params: { pad: 'x'.repeat(size - overhead) } });
  assert.equal(f.length, 4 + size);
  return f;
}

describe('protocol: framing and bad frames', function () {
  this.timeout(20000);
  let cj: ControlJanus;

  before(async () => {
    cj = await startControlJanus({ control_max_frame: MAX_FRAME, control_socket_mode: '0660' });
  });
  after(async () => {
    await cj?.stop();
  });

  async function controlStats(): Promise<any> {
    const { client } = await cj.connectApp({ replace: true });
    const s = await client.ok('stats');
    await client.close();
    return s.control;
  }

  it('creates the socket with control_socket_mode', () => {
    assert.equal(fs.statSync(cj.socket).mode & 0o777, 0o660);
  });

  it('reassembles a request sent byte by byte and two requests in one write, answering in order', async () => {
    const { client } = await cj.connectApp();
    const bytes = frame({ id: 41, method: 'eventsIsEnabled', params: {} });
    for (const b of bytes) {
      client.sendRaw(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const r41 = await client.waitFor((f) => f.id === 41);
    assert.equal(typeof r41.result, 'boolean');
    client.sendRaw(Buffer.concat([frame({ id: 42, method: 'describe' }), frame({ id: 43, method: 'nope' })]));
    const a = await client.waitFor((f) => f.id === 42);
    const b = await client.waitFor((f) => f.id === 43);
    assert.ok(Array.isArray(a.result.methods));
    assert.equal(b.error, 'UnknownMethod');
    await client.close();
  });

  it('accepts a frame of exactly control_max_frame bytes', async () => {
    const { client } = await cj.connectApp({ replace: true });
    client.sendRaw(paddedRequest(7, MAX_FRAME));
    const r = await client.waitFor((f) => f.id === 7);
    assert.equal(typeof r.result, 'boolean');
    assert.equal(client.isClosed, false);
    await client.close();
  });

  const badFrames: [string, Buffer][] = [
    ['a frame one byte over control_max_frame', paddedRequest(8, MAX_FRAME + 1)],
    ['a length prefix far over the maximum (no body)', Buffer.from([0x7f, 0xff, 0xff, 0xff])],
    ['a zero-length frame', Buffer.from([0, 0, 0, 0])],
    ['bad JSON', Buffer.concat([Buffer.from([0, 0, 0, 9]), Buffer.from('{"id": 1,')])],
    ['a JSON array', frame([1, 2, 3])],
    ['a JSON string', frame('hello')],
  ];
  for (const [what, bytes] of badFrames) {
    it(`closes the connection on ${what}; Janus keeps answering, a new connection works`, async () => {
      const before = await controlStats();
      const { client } = await cj.connectApp({ replace: true });
      client.sendRaw(bytes);
      assert.ok(await client.closesWithin(2000), 'the plugin closed the connection');
      assert.equal(client.inbox.filter((f) => f.id !== undefined).length, 0, 'no answer to a bad frame');
      assert.ok(await janusAnswers(cj.janus), 'Janus still answers /janus/info');
      const after = await controlStats();
      assert.equal(after.badFrames, before.badFrames + 1, 'badFrames counted');
      const { client: again } = await cj.connectApp();
      assert.equal(typeof (await again.ok('eventsIsEnabled')), 'boolean');
      await again.close();
    });
  }

  it('a bad frame before hello closes that connection only', async () => {
    const { client: app } = await cj.connectApp({ replace: true });
    const intruder = await RawClient.connect(cj.socket);
    intruder.sendRaw(Buffer.from([0, 0, 0, 0]));
    assert.ok(await intruder.closesWithin(2000));
    assert.equal(typeof (await app.ok('eventsIsEnabled')), 'boolean');
    assert.equal(app.isClosed, false);
    await app.close();
  });

  it('a client that sends half a frame and hangs blocks nobody, and is closed when it never says hello', async function () {
    this.timeout(20000);
    const { client: app } = await cj.connectApp({ replace: true });
    const hanging = await RawClient.connect(cj.socket);
    const half = frame({ id: 1, method: 'hello', params: { protocol: 1, token: TOKEN } });
    hanging.sendRaw(half.subarray(0, 10));
    // The active app, Janus and a further connection all keep working meanwhile.
    for (let i = 0; i < 3; i++) {
      assert.equal(typeof (await app.ok('eventsIsEnabled')), 'boolean');
      assert.ok(await janusAnswers(cj.janus));
    }
    const third = await RawClient.connect(cj.socket);
    const busy = await third.hello({ token: TOKEN });
    assert.equal(busy.error, 'Busy');
    assert.equal(hanging.isClosed, false);
    // Without a complete hello within 10 s the plugin gives up on it.
    assert.ok(await hanging.closesWithin(13000), 'half-frame client closed after the hello timeout');
    assert.equal(app.isClosed, false);
    await app.close();
  });

  it('an active app that stalls in the middle of a frame keeps its connection and finishes later', async () => {
    const { client: app } = await cj.connectApp({ replace: true });
    const f = frame({ id: 77, method: 'describe' });
    app.sendRaw(f.subarray(0, 6));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(await janusAnswers(cj.janus));
    app.sendRaw(f.subarray(6));
    const r = await app.waitFor((x) => x.id === 77);
    assert.ok(Array.isArray(r.result.methods));
    await app.close();
  });
});
