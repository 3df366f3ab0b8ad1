// The core ⇄ control app bridge, on the fake core with a raw client on the control
// socket: lifecycle notifications, handle_message answered by the app (sync, async,
// error), and incoming data handed to the app instead of the router when it asks for it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveCore } from '../harness/fakeCore';
import { RawClient } from '../protocol/raw-client';

describe('plugin: control app bridge (fake core, real router, raw control client)', function () {
  this.timeout(30000);
  let core: LiveCore;
  let app: RawClient;
  let sock = '';
  let runs = 0;

  beforeEach(async () => {
    sock = path.join(os.tmpdir(), `janus-ts-ctl-${process.pid}-${++runs}.sock`);
    core = new LiveCore({ jcfg: { control_socket: sock, message_timeout_ms: 800 } });
    assert.equal((await core.run('init')).rc, 0);
    app = await RawClient.connect(sock);
  });
  afterEach(async () => {
    app?.close?.();
    await core.run('destroy').catch(() => undefined);
    await core.close();
    fs.rmSync(sock, { force: true });
  });

  it('notifies createSession, setupMedia, dataReady, hangupMedia, destroySession with the session id', async () => {
    await app.ok('hello', { protocol: 1 });
    const id = (await core.run('attach A')).id;
    await core.run('setup A');
    await core.run('dataready A');
    await core.run('slowlink A 1 1 0');
    await core.run('hangup A');
    await core.run('detach A');
    for (const event of ['createSession', 'setupMedia', 'dataReady', 'hangupMedia', 'destroySession']) {
      const n = await app.waitFor((f) => f.event === event);
      assert.equal(n.params.id, id, event);
    }
    const slow = await app.waitFor((f) => f.event === 'slowLink');
    assert.deepEqual(slow.params, { id, mindex: 1, video: true, uplink: false });
  });

  it('setup_media asks an app that wants setupMedia and returns once it answered, what it did in place', async () => {
    await core.close();
    core = new LiveCore({ jcfg: { control_socket: sock, setup_timeout_ms: 2000 } });
    assert.equal((await core.run('init')).rc, 0);
    app = await RawClient.connect(sock);
    assert.equal((await app.ok('hello', { protocol: 1, wants: ['setupMedia'] })).limits.setupTimeoutMs, 2000);
    const id = (await core.run('attach A')).id;
    let returned = false;
    const setup = core.run('setup A').then((e) => { returned = true; return e; });
    const req = await app.waitFor((f) => f.method === 'setupMedia');
    assert.deepEqual(req.params, { id });
    assert.equal(returned, false, 'setup_media waits for the answer');
    await app.ok('configureMedium', { id, medium: 'video', direction: 'in', enabled: true });
    await app.ok('addRecipient', { id, recipient: id });
    app.send({ id: req.id, result: true });
    await setup;
    const info = (await core.run('info A')).info;
    assert.deepEqual([info.started, info.valves.video.in, info.routes.length], [true, true, 1]);
    const control = (await app.ok('stats')).control;
    assert.deepEqual([control.setupWaits, control.setupTimeouts], [1, 0]);
  });

  it('setup_media waits at most setup_timeout_ms for a slow app, counts and logs it; 0 only notifies', async () => {
    await core.close();
    core = new LiveCore({ jcfg: { control_socket: sock, setup_timeout_ms: 300 } });
    assert.equal((await core.run('init')).rc, 0);
    app = await RawClient.connect(sock);
    await app.ok('hello', { protocol: 1, wants: ['setupMedia'] });
    await core.run('attach A');
    const t0 = Date.now();
    await core.run('setup A');
    assert.ok(Date.now() - t0 >= 280, `waited ${Date.now() - t0} ms`);
    const control = (await app.ok('stats')).control;
    assert.deepEqual([control.setupWaits, control.setupTimeouts], [1, 1]);
    assert.ok(control.setupWaitMaxMs >= 280);
    assert.match(core.log, /setupMedia of session \d+ not done after \d+ ms \(janus-ts: control app did not answer within 300 ms\)/);
    await core.close();
    core = new LiveCore({ jcfg: { control_socket: sock, setup_timeout_ms: 0 } });
    assert.equal((await core.run('init')).rc, 0);
    app = await RawClient.connect(sock);
    await app.ok('hello', { protocol: 1, wants: ['setupMedia'] });
    const id = (await core.run('attach A')).id;
    await core.run('setup A');
    assert.equal((await app.waitFor((f) => f.event === 'setupMedia')).params.id, id);
  });

  it('turns handle_message into handleMessage: {reply} → OK with content, {async} → OK_WAIT, error → ERROR', async () => {
    await app.ok('hello', { protocol: 1 });
    const id = (await core.run('attach A')).id;
    const answer = async (result: unknown, error?: { error: string; reason: string }) => {
      const req = await app.waitFor((f) => f.method === 'handleMessage');
      assert.equal(req.params.id, id);
      assert.deepEqual(req.params.message, { request: 'x' });
      assert.equal(req.params.transaction, 'tr1');
      app.send(error ? { id: req.id, ...error } : { id: req.id, result });
    };
    let [msg] = await Promise.all([core.run('msg A {"request":"x"}'), answer({ reply: { echo: 1 } })]);
    assert.deepEqual([msg.type, msg.content], [0, { echo: 1 }]);
    [msg] = await Promise.all([core.run('msg A {"request":"x"}'), answer({ async: true })]);
    assert.equal(msg.type, 1);
    [msg] = await Promise.all([core.run('msg A {"request":"x"}'), answer(null, { error: 'AppError', reason: 'no such room' })]);
    assert.deepEqual([msg.type, msg.text], [-1, 'no such room']);
    // No answer at all: the Janus thread gets an error after message_timeout_ms.
    const t0 = Date.now();
    msg = await core.run('msg A {"request":"x"}');
    assert.deepEqual([msg.type, msg.text], [-1, 'janus-ts: control app did not answer within 800 ms']);
    assert.ok(Date.now() - t0 >= 700);
  });

  it('hands text data to the app when it wants incomingTextData, binary still goes to the router', async () => {
    await app.ok('hello', { protocol: 1, wants: ['incomingTextData'] });
    const a = (await core.run('attach A')).id;
    for (const c of ['setup A', 'attach B', 'setup B', 'valve A data out 1', 'valve B data in 1', 'route A 255 B 255', 'dataready B'])
      await core.run(c);
    await core.run('data A chat - 0 hello app');
    await core.run('data A chat - 1 raw');
    const n = await app.waitFor((f) => f.event === 'incomingTextData');
    assert.deepEqual(n.params, { id: a, label: 'chat', protocol: null, text: 'hello app' });
    assert.deepEqual(core.events.filter((e) => e.ev === 'relay_data').map((e) => [e.h, e.text, e.binary]), [['B', 'raw', true]]);
  });
});
