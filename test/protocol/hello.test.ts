// hello on the real plugin's control socket: protocol version, token, one connection at
// a time (Busy / replace), requests before hello, unknown methods and response ids,
// parameter validation.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ControlJanus, startControlJanus, TOKEN } from './control-janus';
import { RawClient } from './raw-client';

describe('protocol: hello, requests and errors', function () {
  this.timeout(20000);
  let cj: ControlJanus;

  before(async () => {
    cj = await startControlJanus();
  });
  after(async () => {
    await cj?.stop();
  });

  async function stats(): Promise<any> {
    const { client } = await cj.connectApp({ replace: true });
    const s = (await client.ok('stats')).control;
    await client.close();
    return s;
  }

  it('answers hello with protocol, plugin, config, limits and a sessions snapshot', async () => {
    const { client, hello } = await cj.connectApp({ app: 'hello-test' });
    assert.equal(hello.protocol, 1);
    assert.equal(hello.plugin.package, 'janus.plugin.ts');
    assert.equal(typeof hello.plugin.version, 'string');
    assert.equal(hello.config, '{"room":"protocol-test"}');
    assert.equal(hello.limits.maxFrame, 1048576);
    assert.equal(typeof hello.limits.maxSessions, 'number');
    assert.equal(typeof hello.limits.maxRoutes, 'number');
    assert.equal(typeof hello.limits.messageTimeoutMs, 'number');
    assert.ok(Array.isArray(hello.sessions));
    await client.close();
  });

  it('creates the socket with mode 0600 by default', () => {
    const st = fs.statSync(cj.socket);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
  });

  it('answers BadArguments (and keeps the connection) to a request without a usable id', async () => {
    const { client } = await cj.connectApp({ replace: true });
    client.send({ id: 'seven', method: 'describe' });
    const f = await client.waitFor((x) => x.error !== undefined);
    assert.equal(f.error, 'BadArguments');
    assert.equal(f.id, null);
    client.send({ id: 8, method: 42 });
    const g = await client.waitFor((x) => x.id === 8);
    assert.equal(g.error, 'BadArguments');
    assert.equal(typeof (await client.ok('eventsIsEnabled')), 'boolean');
    await client.close();
  });

  it('refuses a wrong protocol version with ProtocolVersion and closes', async () => {
    const c = await RawClient.connect(cj.socket);
    const f = await c.call('hello', { protocol: 2, token: TOKEN });
    assert.equal(f.error, 'ProtocolVersion');
    assert.match(f.reason!, /protocol 2/);
    assert.ok(await c.closesWithin(3000));
  });

  for (const [what, token] of [['a wrong token', 'nope'], ['no token', undefined]] as const) {
    it(`refuses ${what} with Unauthorized and closes`, async () => {
      const c = await RawClient.connect(cj.socket);
      const f = await c.call('hello', { protocol: 1, ...(token ? { token } : {}) });
      assert.equal(f.error, 'Unauthorized');
      assert.ok(await c.closesWithin(3000));
    });
  }

  it('answers Unauthorized to requests before hello, without closing; hello then works', async () => {
    const c = await RawClient.connect(cj.socket);
    for (const m of ['describe', 'stats', 'closePc', 'nosuchmethod']) {
      const f = await c.call(m, { id: 1 });
      assert.equal(f.error, 'Unauthorized', m);
    }
    assert.equal(c.isClosed, false);
    const h = await c.hello({ token: TOKEN, replace: true });
    assert.equal(h.result.protocol, 1);
    assert.ok(Array.isArray((await c.ok('describe')).methods));
    await c.close();
  });

  it('refuses a second app with Busy, unless it says replace: true', async () => {
    const before = await stats();
    const { client: first } = await cj.connectApp();
    const second = await RawClient.connect(cj.socket);
    const busy = await second.hello({ token: TOKEN });
    assert.equal(busy.error, 'Busy');
    assert.ok(await second.closesWithin(3000), 'Busy closes the newcomer');
    assert.equal(first.isClosed, false);
    assert.equal(typeof (await first.ok('eventsIsEnabled')), 'boolean', 'the first app is unaffected');

    const third = await RawClient.connect(cj.socket);
    const taken = await third.hello({ token: TOKEN, replace: true });
    assert.equal(taken.result.protocol, 1);
    assert.ok(await first.closesWithin(3000), 'the replaced app is disconnected');
    assert.equal(typeof (await third.ok('eventsIsEnabled')), 'boolean');
    const s = (await third.ok('stats')).control;
    assert.equal(s.connected, true);
    assert.ok(s.refusedHellos >= before.refusedHellos + 1);
    await third.close();
  });

  it('lets the same app say hello again on its own connection', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const again = await client.hello({ token: TOKEN });
    assert.equal(again.result.protocol, 1);
    assert.equal(typeof (await client.ok('eventsIsEnabled')), 'boolean');
    await client.close();
  });

  it('answers UnknownMethod for a method that does not exist, and keeps the connection', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const f = await client.call('launchRockets', { id: 1 });
    assert.equal(f.error, 'UnknownMethod');
    assert.match(f.reason!, /launchRockets/);
    assert.equal(typeof (await client.ok('eventsIsEnabled')), 'boolean');
    await client.close();
  });

  it('ignores (and counts) a response whose id was never asked', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const before = (await client.ok('stats')).control.unknownResponses;
    client.send({ id: 123456, result: { reply: {} } });
    client.send({ id: 654321, error: 'AppError', reason: 'nobody asked' });
    const after = (await client.ok('stats')).control.unknownResponses;
    assert.equal(after, before + 2);
    assert.equal(client.isClosed, false);
    await client.close();
  });

  it('names the bad parameter in BadArguments', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const cases: [string, unknown, RegExp][] = [
      ['closePc', {}, /^id: missing/],
      ['closePc', { id: 'one' }, /^id: expected an integer/],
      ['closePc', { id: 0 }, /^id: 0 is out of range/],
      ['closePc', { id: 2 ** 32 }, /^id: .* out of range/],
      ['configureMedium', { id: 1, medium: 'smell', direction: 'in', enabled: true }, /^medium: expected one of audio\|video\|data/],
      ['configureMedium', { id: 1, medium: 'audio', direction: 'up', enabled: true }, /^direction:/],
      ['configureMedium', { id: 1, medium: 'audio', direction: 'in', enabled: 'yes' }, /^enabled: expected a boolean/],
      ['addRoute', { id: 1, mindex: 256, recipient: 2, recipientMindex: 0 }, /^mindex: 256 is out of range/],
      ['addRoute', { id: 1, mindex: 0, recipient: 2 }, /^recipientMindex: missing/],
      ['pushEvent', { id: 1, event: 'hi' }, /^event: expected an object/],
      ['pushEvent', { id: 1, event: {}, jsep: 5 }, /^jsep: expected an object/],
      ['relayRtp', { id: 1, video: true, data: 'not base64!' }, /^data: expected base64/],
      ['relayTextData', { id: 1 }, /^text: missing/],
      ['log', { level: 'loud', message: 'x' }, /^level:/],
      ['startRecording', { id: 1, medium: 'audio', filename: 'x' }, /^codec: missing/],
      ['hello', { protocol: 'one' }, /^protocol: expected an integer/],
    ];
    for (const [method, params, reason] of cases) {
      const f = await client.call(method, params);
      assert.equal(f.error, 'BadArguments', `${method} ${JSON.stringify(params)}: ${f.reason}`);
      assert.match(f.reason!, reason, `${method} ${JSON.stringify(params)}`);
    }
    const f = await client.call('describe', [1, 2]);
    assert.equal(f.error, 'BadArguments');
    await client.close();
  });

  it('answers false for calls about a session that does not exist (as Lua went on), UnknownSession where nothing useful can be done', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const gone = 12345;
    const rtp = Buffer.from('800000010000000000000001deadbeef', 'hex').toString('base64');
    for (const [m, p] of [
      ['closePc', { id: gone }],
      ['endSession', { id: gone }],
      ['configureMedium', { id: gone, medium: 'video', direction: 'out', enabled: false }],
      ['setBitrate', { id: gone, bitrate: 100000 }],
      ['setPliFreq', { id: gone, seconds: 3 }],
      ['sendPli', { id: gone }],
      ['pushEvent', { id: gone, event: { x: 1 } }],
      ['notifyEvent', { id: gone, event: { x: 1 } }],
      ['removeRecipient', { id: gone, recipient: gone + 1 }],
      ['removeRoute', { id: gone, mindex: 0, recipient: gone + 1, recipientMindex: 0 }],
      ['relayRtp', { id: gone, video: false, data: rtp }],
      ['relayTextData', { id: gone, text: 'hi' }],
      ['stopRecording', { id: gone }],
      ['setSubstream', { id: gone, substream: 0 }],
    ] as const) {
      const f = await client.call(m, p);
      assert.equal(f.error, undefined, `${m}: ${f.error} ${f.reason}`);
      assert.equal(f.result, false, `${m} answers false`);
    }
    for (const [m, p] of [
      ['sessionInfo', { id: gone }],
      ['addRecipient', { id: gone, recipient: gone + 1 }],
      ['addRoute', { id: gone, mindex: 0, recipient: gone + 1, recipientMindex: 0 }],
      ['startRecording', { id: gone, medium: 'audio', codec: 'opus', filename: 'x' }],
    ] as const) {
      const f = await client.call(m, p);
      assert.equal(f.error, 'UnknownSession', `${m}: ${f.error} ${f.reason}`);
      assert.match(f.reason!, new RegExp(`no session ${gone} \\(never attached, or detached\\)`), m);
    }
    await client.close();
  });

  it('log writes the app message to the Janus log with an [app] prefix', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const marker = `marker-${Date.now()}`;
    assert.equal(await client.ok('log', { level: 'warn', message: `hello from the test ${marker}` }), true);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(cj.janus.log(), new RegExp(`\\[app\\] hello from the test ${marker}`));
    await client.close();
  });

  it('counts frames in and out', async () => {
    const { client } = await cj.connectApp({ replace: true });
    const a = (await client.ok('stats')).control;
    await client.ok('eventsIsEnabled');
    await client.ok('eventsIsEnabled');
    const b = (await client.ok('stats')).control;
    assert.equal(b.framesIn, a.framesIn + 3);
    assert.ok(b.framesOut >= a.framesOut + 2);
    await client.close();
  });

  it('sends destroy to the app when the plugin shuts down, then closes (last: stops Janus)', async () => {
    const { client } = await cj.connectApp({ replace: true });
    await cj.stop();
    assert.ok(await client.closesWithin(3000));
    assert.ok(client.inbox.some((f) => f.event === 'destroy'), `destroy received: ${JSON.stringify(client.inbox)}`);
  });
});
