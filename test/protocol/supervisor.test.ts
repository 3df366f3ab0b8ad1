// app_command: the plugin spawns the control app itself (sh -c), hands it the socket
// and token in JANUS_TS_SOCKET / JANUS_TS_TOKEN, logs its output with an [app] prefix,
// restarts it with backoff when it exits, and stops it with Janus.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JanusHandle, JanusSession } from '../helpers/janus';
import { ControlJanus, sleep, startControlJanus } from './control-janus';
import { alive } from '../helpers/wait';

/** A minimal control app in plain Node: hello, then answers handleMessage. */
const APP_SOURCE = `
const net = require('node:net');
console.log('supervised app started pid=' + process.pid);
console.error('supervised app stderr line');
const sock = net.createConnection(process.env.JANUS_TS_SOCKET);
const send = (m) => { const b = Buffer.from(JSON.stringify(m)); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); sock.write(Buffer.concat([h, b])); };
let buf = Buffer.alloc(0);
sock.on('connect', () => send({ id: 1, method: 'hello', params: { protocol: 1, token: process.env.JANUS_TS_TOKEN, app: 'supervised', replace: true } }));
sock.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
    const m = JSON.parse(buf.subarray(4, 4 + buf.readUInt32BE(0)).toString());
    buf = buf.subarray(4 + buf.readUInt32BE(0));
    if (m.method !== 'handleMessage') continue;
    const req = m.params.message.request;
    send({ id: m.id, result: { reply: { pid: process.pid, socket: process.env.JANUS_TS_SOCKET } } });
    if (req === 'exit') setTimeout(() => process.exit(3), 50);
  }
});
sock.on('close', () => process.exit(1));
`;

describe('protocol: app_command supervisor', function () {
  this.timeout(30000);
  let cj: ControlJanus | undefined;
  let js: JanusSession;
  let handle: JanusHandle;
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-app-'));
  const appFile = path.join(appDir, 'app.js');

  before(async () => {
    fs.writeFileSync(appFile, APP_SOURCE);
    cj = await startControlJanus({ app_command: `node ${appFile}` });
    js = await cj.janus.createSession();
    handle = await js.attach('janus.plugin.ts');
  });
  after(async () => {
    await js?.destroy();
    await cj?.stop();
    fs.rmSync(appDir, { recursive: true, force: true });
  });

  /** Asks the app for its pid until it answers (it may be (re)starting). */
  async function appPid(request = 'pid', timeoutMs = 8000): Promise<{ pid: number; socket: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const r = await handle.message({ request });
        if (r.plugindata?.data?.pid) return r.plugindata.data;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      await sleep(100);
    }
  }

  let firstPid = 0;

  it('starts the app with the socket and token in its environment and logs its output', async () => {
    const { pid, socket } = await appPid();
    firstPid = pid;
    assert.equal(socket, cj!.socket);
    const log = cj!.janus.log();
    assert.match(log, new RegExp(`\\[app\\] supervised app started pid=${pid}`));
    assert.match(log, /\[app:stderr\] supervised app stderr line/);
  });

  it('restarts the app with backoff when it exits', async () => {
    const before = Date.now();
    const bye = await appPid('exit');
    assert.equal(bye.pid, firstPid);
    let pid = firstPid;
    const deadline = Date.now() + 8000;
    while (pid === firstPid && Date.now() < deadline) {
      pid = (await appPid()).pid; // the old process may answer once more before it exits
      if (pid === firstPid) await sleep(50);
    }
    assert.notEqual(pid, firstPid, 'a new process answers');
    assert.ok(Date.now() - before >= 400, 'not restarted before the first backoff step (0.5 s)');
    assert.equal(alive(firstPid), false);
    assert.match(cj!.janus.log(), /janus-ts app: exited with status 3/);
    firstPid = pid;
  });

  it('stops the app when Janus stops', async () => {
    assert.ok(alive(firstPid));
    await js.destroy();
    await cj!.stop();
    const deadline = Date.now() + 3000;
    while (alive(firstPid) && Date.now() < deadline) await sleep(50);
    assert.equal(alive(firstPid), false, 'the app process is gone');
    assert.doesNotMatch(cj!.log(), /did not exit on SIGTERM/, 'SIGTERM was enough');
    cj = undefined;
  });
});

describe('protocol: app_command that ignores SIGTERM', function () {
  this.timeout(30000);
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-app-'));
  const appFile = path.join(appDir, 'stubborn.js');
  const pidFile = path.join(appDir, 'pid');

  after(() => fs.rmSync(appDir, { recursive: true, force: true }));

  it('is killed (SIGKILL) 2 s after SIGTERM when Janus stops', async () => {
    fs.writeFileSync(appFile, `
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
      require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
      setInterval(() => undefined, 1000);
    `);
    const cj = await startControlJanus({ app_command: `node ${appFile}` });
    const deadline = Date.now() + 8000;
    while (!fs.existsSync(pidFile) && Date.now() < deadline) await sleep(50);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(alive(pid));
    const t0 = Date.now();
    // SIGTERM ourselves and wait: the helper's stop() would SIGKILL Janus after 3 s,
    // before the plugin's own 2 s grace has run out.
    process.kill(cj.janus.pid!, 'SIGTERM');
    await cj.janus.exited();
    const stopMs = Date.now() - t0;
    await cj.stop();
    try {
      const log = cj.log();
      assert.match(log, /\[app\] ignoring SIGTERM/);
      assert.match(log, /did not exit on SIGTERM, killing it/);
      const until = Date.now() + 2000;
      while (alive(pid) && Date.now() < until) await sleep(50);
      assert.equal(alive(pid), false, `the stubborn app is gone (Janus stopped in ${stopMs} ms)`);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    assert.ok(stopMs >= 1900, `waited the 2 s grace (${stopMs} ms)`);
  });
});
