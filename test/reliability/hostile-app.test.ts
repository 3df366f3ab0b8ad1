// A hostile (or broken) control app in front of a real Janus, while a werift call is echoed
// by the router all along:
//  - an app that never answers: each handle_message costs at most message_timeout_ms (the
//    Janus request threads come back, /janus/info keeps answering), handle_info at most
//    query_timeout_ms, the media is not affected;
//  - an app that floods the socket with requests (reading the answers, at most 1000 of them
//    unanswered): throttled by
//    control_max_rate, the echo goes on (its round trip is measured before and during);
//  - an app that floods requests without reading the answers: disconnected;
//  - an app that floods frames that are neither requests nor answers: each gets a
//    protocolError notice (while its queue has room), the plugin logs it once;
//  - afterwards nothing is left over (pending requests, queued bytes, Janus's file
//    descriptors), and the real app takes over again and drives the same call.
// The frame-level cases one by one (bad framing, oversized, unknown and late answers, calls
// on closed sessions) are in test/protocol/ (framing, hello, handle-message, hostile-frames).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import { JanusError, JanusHandle, JanusSession } from '../helpers/janus';
import { ECHOTEST_APP, TsJanus, skipUnlessBuilt } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from '../e2e/echotest-scenarios';
import { frame, RawClient } from '../protocol/raw-client';
import { echoStats, fmtEcho, procStatus, sleep } from './helpers';

const PKG = 'janus.plugin.echotest';
const MESSAGE_TIMEOUT = 1500;
const QUERY_TIMEOUT = 600;
const MAX_RATE = 5000;

/** A control client in a process of its own (so its writing loop does not delay the test's
 * werift peer): says hello, then writes `kind` frames as fast as the socket takes for `ms`,
 * reading and counting what comes back unless `paused`. Resolves with its counts. */
const FLOODER = `
const net = require('node:net');
const [path, kind, ms, paused] = [process.argv[1], process.argv[2], Number(process.argv[3]), process.argv[4] === '1'];
const frame = (m) => { const b = Buffer.from(JSON.stringify(m)); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); return Buffer.concat([h, b]); };
const make = {
  sessionInfo: (i) => frame({ id: 10 + i, method: 'sessionInfo', params: { id: Number(process.argv[5]) } }),
  describe: (i) => frame({ id: 10 + i, method: 'describe', params: {} }),
  spam: (i) => frame({ event: 'spam', params: { i } }),
}[kind];
const WINDOW = 500;
const sock = net.createConnection(path);
let sent = 0, framesIn = 0, notices = 0, closed = false, buf = Buffer.alloc(0);
sock.on('error', () => undefined);
sock.on('close', () => { closed = true; });
sock.on('data', (d) => {
  buf = buf.length ? Buffer.concat([buf, d]) : d;
  let o = 0;
  while (buf.length - o >= 4) {
    const n = buf.readUInt32BE(o);
    if (buf.length - o - 4 < n) break;
    framesIn++;
    if (buf.subarray(o + 4, o + 4 + Math.min(n, 40)).includes('protocolError')) notices++;
    o += 4 + n;
  }
  buf = buf.subarray(o);
});
sock.on('connect', async () => {
  sock.write(frame({ id: 1, method: 'hello', params: { protocol: 1, app: 'flooder', replace: true } }));
  await new Promise((r) => setTimeout(r, 200));
  if (paused) sock.pause();
  const end = Date.now() + ms;
  // Reading its answers, it writes a batch only while fewer than WINDOW are unanswered (at
  // most 1000 at a time, still asking far faster than control_max_rate lets through, so the
  // plugin has to throttle it), as an app that reads does: without a window, a burst of
  // answers can outgrow control_queue_bytes before the flooder's first read on a busy
  // machine, and the plugin rightly closes it as an app that does not read.
  const windowed = !paused && kind !== 'spam';
  while (Date.now() < end && !closed) {
    if (windowed && sent - framesIn >= WINDOW) { await new Promise((r) => setTimeout(r, 1)); continue; }
    const batch = [];
    for (let k = 0; k < 500; k++) batch.push(make(sent++));
    if (!sock.write(Buffer.concat(batch))) await Promise.race([new Promise((r) => sock.once('drain', r)), new Promise((r) => setTimeout(r, Math.max(0, end - Date.now())))]);
    else await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 500));
  process.stdout.write(JSON.stringify({ sent, framesIn, notices, closed }));
  process.exit(0);
});
`;

interface FloodResult { sent: number; framesIn: number; notices: number; closed: boolean }

function flood(socket: string, kind: 'sessionInfo' | 'describe' | 'spam', ms: number, paused = false, id = 0): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOODER, socket, kind, String(ms), paused ? '1' : '0', String(id)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', () => { try { resolve(JSON.parse(out)); } catch { reject(new Error(`flooder said: ${out}`)); } });
  });
}

function fds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

describe('reliability: a hostile control app in front of a real Janus', function () {
  this.timeout(120000);
  let ts: TsJanus;
  let call: EchoCall | undefined;
  let js: JanusSession;
  let hostile: RawClient | undefined;
  let base: { fds: number; rss: number };
  const figures: Record<string, unknown> = {};
  /** The victim's audio counter where each phase began. */
  const mark = () => call!.peer.sent.audio.length;
  const during = (from: number) => echoStats(call!.peer, 'audio', from, mark());

  before(async function () {
    skipUnlessBuilt(this, ECHOTEST_APP);
    ts = await TsJanus.start({
      app: ECHOTEST_APP, package: PKG, supervised: false,
      general: { message_timeout_ms: MESSAGE_TIMEOUT, query_timeout_ms: QUERY_TIMEOUT, control_max_rate: MAX_RATE,
        control_queue_bytes: 1048576 },
    });
    call = await startCall(ts.janus, PKG, { audio: true, video: true, data: false });
    call.peer.startSending({ audioPps: 50, videoPps: 20 });
    const m = mark();
    await sleep(2000);
    figures.before = fmtEcho(during(m));
    base = { fds: fds(ts.janus.pid!), rss: procStatus(ts.janus.pid!).rss };
    // The real app goes away; the hostile one takes its place. The router keeps the call's routes.
    await ts.killApp();
    hostile = await RawClient.connect(ts.socketPath);
    const hello = await hostile.hello({ replace: true });
    assert.equal(hello.error, undefined);
    js = await ts.janus.createSession();
  });
  after(async () => {
    console.log(`      hostile app figures: ${JSON.stringify(figures, null, 1).replace(/\n\s*/g, ' ')}`);
    await hostile?.close();
    await js?.destroy();
    await endCall(call);
    await ts?.stop();
  });

  it('never answering: each handle_message returns after message_timeout_ms, Janus answers meanwhile, media flows', async () => {
    const handles: JanusHandle[] = [];
    for (let i = 0; i < 12; i++) handles.push(await js.attach(PKG));
    const m = mark();
    const t0 = Date.now();
    const info: number[] = [];
    let waiting = true;
    const sampler = (async () => {
      while (waiting) {
        const s = Date.now();
        const res = await fetch(`${ts.janus.httpUrl}/info`);
        assert.equal(res.status, 200);
        info.push(Date.now() - s);
        await sleep(100);
      }
    })();
    const replies = await Promise.all(handles.map(async (h) => {
      const s = Date.now();
      const err = await h.message({ request: 'anyone?' }).catch((e) => e);
      return { err, ms: Date.now() - s };
    }));
    const total = Date.now() - t0;
    const q0 = Date.now();
    const queried = await call!.handle.info();
    const queryMs = Date.now() - q0;
    waiting = false;
    await sampler;
    const echo = during(m);
    figures.neverAnswers = {
      messages: replies.length, eachMs: replies.map((r) => r.ms), totalMs: total, handleInfoMs: queryMs,
      infoMaxMs: Math.max(...info), echo: fmtEcho(echo),
    };
    for (const { err, ms } of replies) {
      assert.ok(err instanceof JanusError, `an error reply, got ${JSON.stringify(err)}`);
      assert.match(err.message, new RegExp(`did not answer within ${MESSAGE_TIMEOUT} ms`));
      assert.ok(ms >= MESSAGE_TIMEOUT - 50, `not before the timeout (${ms} ms)`);
    }
    assert.ok(total < replies.length * MESSAGE_TIMEOUT, `the ${replies.length} waits overlapped (${total} ms): no request thread stayed stuck`);
    assert.match(JSON.stringify(queried.plugin_specific.app), /did not answer within/);
    assert.ok(info.length > 0);
    assert.ok(echo.back >= echo.sent * 0.9, `media unaffected: ${fmtEcho(echo)}`);
    const stats = await hostile!.ok('stats');
    assert.equal(stats.control.pendingRequests, 0);
    for (const h of handles) await h.detach();
  });

  it('flooding requests (answers read): throttled, the echo goes on', async () => {
    const id = (await call!.handle.info()).plugin_specific.router.id;
    const m = mark();
    const r = await flood(ts.socketPath, 'sessionInfo', 4000, false, id);
    const echo = during(m);
    const reader = await RawClient.connect(ts.socketPath);
    await reader.hello({ replace: true });
    const stats = await reader.ok('stats');
    await reader.close();
    figures.requestFlood = { ...r, perSecond: Math.round(r.framesIn / 4.5), throttled: stats.control.throttled, echo: fmtEcho(echo) };
    assert.ok(r.framesIn > 1000, `the flood was served (${r.framesIn} answers)`);
    assert.ok(stats.control.throttled >= 1, 'control_max_rate throttled the flood');
    assert.ok(r.framesIn < 4.7 * MAX_RATE + MAX_RATE, `at most control_max_rate a second, and a second's burst (${r.framesIn})`);
    assert.ok(echo.back >= echo.sent * 0.9, `media unaffected: ${fmtEcho(echo)}`);
    assert.match(ts.janus.log(), /sends more than control_max_rate \(5000\) frames a second/);
  });

  it('flooding requests without reading the answers: disconnected, the echo goes on', async () => {
    const m = mark();
    const r = await flood(ts.socketPath, 'describe', 10000, true);
    const echo = during(m);
    figures.unreadFlood = { ...r, echo: fmtEcho(echo) };
    assert.ok(r.closed, 'the plugin closed the connection');
    assert.match(ts.janus.log(), /the app does not read its responses, closed/);
    assert.ok(echo.back >= echo.sent * 0.9, `media unaffected: ${fmtEcho(echo)}`);
  });

  it('flooding frames that are neither requests nor answers: noticed, logged once', async () => {
    const before = (ts.janus.log().match(/neither a request nor a response was ignored/g) ?? []).length;
    const m = mark();
    const r = await flood(ts.socketPath, 'spam', 3000);
    await sleep(300);
    const echo = during(m);
    const log = ts.janus.log();
    const lines = (log.match(/neither a request nor a response was ignored/g) ?? []).length - before;
    figures.notificationFlood = { ...r, logLines: lines, echo: fmtEcho(echo) };
    assert.ok(r.notices > 100, `protocolError notices came back (${r.notices})`);
    assert.equal(lines, 1, 'logged once for the connection');
    assert.match(log, /frames could not be used in all \(the first was logged\)/);
    assert.ok(echo.back >= echo.sent * 0.9, `media unaffected: ${fmtEcho(echo)}`);
  });

  it('leaves nothing behind, and the real app takes over the same call again', async () => {
    hostile = await RawClient.connect(ts.socketPath);
    await hostile.hello({ replace: true });
    const stats = await hostile.ok('stats');
    await hostile.close();
    hostile = undefined;
    const echotestHellos = () => (ts.janus.log().match(/control: app 'echotest' connected/g) ?? []).length;
    const hellos = echotestHellos();
    ts.startApp(ECHOTEST_APP);
    const deadline = Date.now() + 10000;
    while (echotestHellos() === hellos && Date.now() < deadline) await sleep(100);
    assert.equal(echotestHellos(), hellos + 1, 'the real app connected again');
    await sleep(1000);
    const after = { fds: fds(ts.janus.pid!), rss: procStatus(ts.janus.pid!).rss };
    figures.leftovers = { pendingRequests: stats.control.pendingRequests, janusFds: [base.fds, after.fds],
      janusRssMB: [base.rss, after.rss].map((v) => +(v / 1048576).toFixed(1)) };
    assert.equal(stats.control.pendingRequests, 0);
    assert.equal(stats.sessions, 1, 'the call is the only session (the 12 handles of the first test detached)');
    assert.ok(after.fds <= base.fds + 4, `Janus file descriptors ${base.fds} → ${after.fds}`);
    // The restarted app resynced from the snapshot and drives the call: a keyframe request works.
    const m = mark();
    const { data } = await call!.handle.send({ video: true });
    assert.equal(data.result, 'ok');
    await sleep(1000);
    const echo = during(m);
    assert.ok(echo.back >= echo.sent * 0.9, `echo after the takeover: ${fmtEcho(echo)}`);
  });
});
