// Janus restarts and shutdowns, with calls up:
//  - Janus restarted under a running app (started by the test, not by the plugin): the app
//    reconnects when the new Janus is up, drops the sessions that died with the old process
//    (its destroySession callback runs for each) and serves new calls;
//  - Janus stopped with SIGTERM while calls are up and the app is supervised: Janus exits, the
//    app got `destroy` and is gone, nothing it started is left running, the socket file is gone;
//  - a supervised app that crashes again and again: restarted each time with a growing delay
//    (0.5, 1, 2, 4 s), the log says how it ended and what it printed, the call's media flows
//    all along, and the app that finally stays up resyncs the call and drives it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Janus, jcfg } from '../helpers/janus';
import { ROUTER_WASM, TS_CLI, TsJanus, exampleApp, processesWith, skipUnlessBuilt } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from '../e2e/echotest-scenarios';
import { alive, until } from '../helpers/wait';
import { echoStats, fmtEcho, probe, sleep, writeProbeApp } from './helpers';

const PKG = 'janus.plugin.echotest';

describe('reliability: Janus restarts and shutdowns with calls up', function () {
  this.timeout(90000);
  const cleanups: (() => Promise<void> | void)[] = [];
  before(function () {
    skipUnlessBuilt(this, exampleApp('echotest'));
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('Janus restarted under a running app: the app reconnects, drops the dead sessions, serves new calls', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-restart-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const socket = path.join(dir, 'control.sock');
    const app = writeProbeApp();
    cleanups.push(() => fs.rmSync(path.dirname(app), { recursive: true, force: true }));
    const tsJcfg = jcfg({ general: { router: ROUTER_WASM, package: PKG, control_socket: socket } });
    const conf = path.join(dir, 'janus');
    let janus = await Janus.start({ plugins: ['ts'], tsJcfg, dir: conf });
    cleanups.push(() => janus.stop());
    const child = spawn(process.execPath, [TS_CLI, 'run', app, '--socket', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
    let appLog = '';
    child.stdout.on('data', (d) => (appLog += d));
    child.stderr.on('data', (d) => (appLog += d));
    cleanups.push(() => { child.kill('SIGKILL'); });
    await janus.waitLog(/control: app 'probe-echotest' connected/, 10000);

    const call = await startCall(janus, PKG, { audio: true, video: false, data: false });
    const dead = (await probe(janus, PKG)).sessions;
    assert.equal(dead.length, 1);
    call.peer.stopSending();
    await call.peer.close();
    await call.session.destroy().catch(() => undefined);

    // Janus goes away hard (a crash: no destroy for the app), then comes back on the same socket.
    process.kill(janus.pid!, 'SIGKILL');
    await janus.exited();
    await until(() => /control connection lost/.test(appLog), 'the app notices', 15000);
    janus = await Janus.start({ plugins: ['ts'], tsJcfg, dir: conf });
    await janus.waitLog(/control: app 'probe-echotest' connected/, 15000);
    await until(async () => (await probe(janus, PKG)).sessions.length === 0, 'the app dropped the session of the old Janus', 15000);
    assert.ok(alive(child.pid!), 'the same app process');
    assert.match(appLog, new RegExp(`probe: destroyed session ${dead[0]}`), 'its destroySession callback ran for it');

    const fresh = await startCall(janus, PKG, { audio: true, video: false, data: false });
    cleanups.push(() => endCall(fresh));
    fresh.peer.startSending({ audioPps: 50, videoPps: 0 });
    await sleep(1000);
    fresh.peer.stopSending();
    await sleep(200);
    const echo = echoStats(fresh.peer, 'audio');
    assert.ok(echo.back >= echo.sent - 3, `a new call is served: ${fmtEcho(echo)}`);
    assert.deepEqual((await probe(janus, PKG)).sessions.length, 1);
  });

  it('SIGTERM with calls up: Janus exits, the supervised app got destroy and is gone, nothing left, no socket file', async () => {
    const app = writeProbeApp();
    cleanups.push(() => fs.rmSync(path.dirname(app), { recursive: true, force: true }));
    const ts = await TsJanus.start({ app, package: PKG });
    cleanups.push(() => ts.stop());
    const calls: EchoCall[] = [];
    for (let i = 0; i < 3; i++) calls.push(await startCall(ts.janus, PKG, { audio: true, video: true, data: i === 0 }));
    cleanups.push(async () => { for (const c of calls) await c.peer.close(); });
    for (const c of calls) c.peer.startSending();
    const appPid = (await probe(ts.janus, PKG)).pid;
    const before = processesWith(ts.socketPath);
    assert.ok(before.includes(appPid), 'the app runs with the socket on its command line');
    assert.ok(fs.existsSync(ts.socketPath));

    const t0 = Date.now();
    process.kill(ts.janus.pid!, 'SIGTERM');
    const code = await ts.janus.exited();
    const ms = Date.now() - t0;
    await until(() => !alive(appPid), 'the app is gone', 5000);
    console.log(`      SIGTERM with 3 calls up: Janus exited with ${code} after ${ms} ms`);
    assert.equal(code, 0, 'Janus exited cleanly');
    assert.deepEqual(processesWith(ts.socketPath), [], 'no process of the app (or started by it) left');
    assert.equal(fs.existsSync(ts.socketPath), false, 'the socket file is gone');
    const log = ts.janus.log();
    assert.match(log, /\[app\] .*deinitialized/, 'the app ran its destroy callback');
    assert.doesNotMatch(log, /did not exit on SIGTERM/);
  });

  it('a supervised app that crashes again and again: restarted with backoff, the log says why, media flows meanwhile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-crashy-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const marker = path.join(dir, 'crash');
    const file = path.join(dir, 'crashy.js');
    // The EchoTest, which crashes 300 ms after connecting while the marker file exists.
    fs.writeFileSync(file, `
const fs = require('node:fs');
const echo = require(${JSON.stringify(exampleApp('echotest'))}).default;
module.exports = { ...echo, name: 'crashy', async init(...a) {
  if (fs.existsSync(${JSON.stringify(marker)})) setTimeout(() => { console.error('crashy: lost my database connection'); process.exit(7); }, 300);
  return echo.init.apply(this, a);
} };
`);
    const ts = await TsJanus.start({ app: file, package: PKG });
    cleanups.push(() => ts.stop());
    const call = await startCall(ts.janus, PKG, { audio: true, video: false, data: false });
    cleanups.push(() => endCall(call));
    call.peer.startSending({ audioPps: 50, videoPps: 0 });
    const from = call.peer.sent.audio.length;
    const starts = () => (ts.janus.log().match(/janus-ts app: started/g) ?? []).length;
    const at: number[] = [];
    const first = starts();
    fs.writeFileSync(marker, '');
    // The first crash: the running app is killed; each one started after it crashes on its own.
    const [pid] = processesWith(ts.socketPath);
    process.kill(pid, 'SIGKILL');
    // Four restarts that crash; once the delay has reached 8 s, the next one stays up.
    while (at.length < 5) {
      await until(() => starts() > first + at.length, `restart ${at.length + 1}`, 20000);
      at.push(Date.now());
      if (at.length === 4) {
        await until(() => /restarting in 8\.0 s/.test(ts.janus.log()), 'the fourth crash', 10000);
        fs.rmSync(marker);
      }
    }
    await sleep(1500);
    const log = ts.janus.log();
    const delays = [...log.matchAll(/restarting in ([0-9.]+) s/g)].map((m) => Number(m[1]));
    console.log(`      crash loop: restart delays ${delays.join(', ')} s; measured gaps between starts ${at.slice(1).map((t, i) => t - at[i]).join(', ')} ms`);
    assert.deepEqual(delays.slice(0, 5), [0.5, 1, 2, 4, 8], 'the delay doubles at each crash');
    for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= delays[i] * 1000 - 100, `waited ${delays[i]} s before restart ${i + 1}`);
    assert.match(log, /janus-ts app: was killed by signal 9/);
    assert.match(log, /\[app:stderr\] crashy: lost my database connection/);
    assert.match(log, /janus-ts app: exited with status 7/);
    // Media all along, and the app that stayed up drives the call (a keyframe request is answered).
    const { data } = await call.handle.send({ keyframe: true });
    assert.equal(data.result, 'ok');
    call.peer.stopSending();
    await sleep(200);
    const echo = echoStats(call.peer, 'audio', from);
    console.log(`      echo through the crash loop: ${fmtEcho(echo)}`);
    assert.ok(echo.back >= echo.sent - 3, fmtEcho(echo));
  });
});
