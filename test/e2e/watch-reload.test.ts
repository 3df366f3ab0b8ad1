// `janus-ts run --watch app.ts` against a real Janus with a werift echo call: ten saves of
// the app file, each reloading the app (new process, hello with replace, resume from the
// snapshot) while the call goes on. Measured: packets the call lost across the reloads
// (sent by werift, never echoed back) — must be 0; and each new version answers requests.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/janus';
import { TS_CLI, TsJanus, missingTsPieces, processesWith } from '../helpers/ts-janus';
import { EchoCall, endCall, startCall } from './echotest-scenarios';
import { sleep } from '../helpers/wait';

const PKG = 'janus.plugin.echotest';
const RELOADS = 10;

/** The echotest example as a user's app.ts (importing the package by name). */
function writeApp(dir: string): string {
  const src = fs.readFileSync(path.join(REPO_ROOT, 'control-ts/examples/echotest.ts'), 'utf8').replace("from '../src'", "from 'janus-ts'");
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const file = path.join(dir, 'echotest.ts');
  fs.writeFileSync(file, src);
  return file;
}

describe('e2e: janus-ts run --watch reloads an app while its call goes on', function () {
  this.timeout(120000);
  let ts: TsJanus | undefined;
  let watcher: ChildProcess | undefined;
  let call: EchoCall | undefined;
  let dir: string | undefined;
  let out = '';

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`watcher output:\n${out.slice(-3000)}\nJanus log tail:\n${ts?.janus.logTail(30)}`);
    await endCall(call);
    if (watcher && watcher.exitCode === null) {
      const exited = new Promise((r) => watcher!.once('exit', r));
      watcher.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    await ts?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no packet of a werift echo call across ${RELOADS} reloads`, async function () {
    const missing = missingTsPieces(TS_CLI);
    if (missing.length) { console.log(`    (skipped: not built: ${missing.join(', ')})`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-watch-'));
    const app = writeApp(dir);
    ts = await TsJanus.start({ package: PKG });
    watcher = spawn(process.execPath, [TS_CLI, 'run', app, '--watch', '--socket', ts.socketPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    watcher.stdout!.on('data', (d) => (out += d));
    watcher.stderr!.on('data', (d) => (out += d));
    await ts.waitAppConnections(1, 20000);

    call = await startCall(ts.janus, PKG);
    call.peer.startSending({ audioPps: 50, videoPps: 30 });
    await call.peer.waitReceived('video', 5, 5000);
    await call.peer.waitReceived('audio', 5, 5000);
    const mark = { audio: call.peer.sent.audio.length, video: call.peer.sent.video.length };

    for (let i = 1; i <= RELOADS; i++) {
      fs.appendFileSync(app, `\n// saved ${i}\n`);
      await ts.waitAppConnections(1 + i, 20000);
      const deadline = Date.now() + 10000;
      while (!out.includes(`reload ${i} connected`)) {
        if (Date.now() > deadline) throw new Error(`reload ${i} not reported`);
        await sleep(50);
      }
      // The new version owns the session: it answers, and its answer changes nothing for media.
      const reply: { data: { result?: string } } = await call.handle.send({ audio: true, video: true });
      assert.equal(reply.data.result, 'ok', `reload ${i} answers`);
      await sleep(200);
    }
    const appProcesses = processesWith(ts.socketPath).filter((pid) => pid !== ts!.janus.pid);
    assert.equal(appProcesses.length, 2, `the watcher and one app process (found ${appProcesses.length})`);

    await sleep(500);
    call.peer.stopSending();
    await sleep(800);
    const lost: Record<string, number> = {};
    for (const kind of ['audio', 'video'] as const) {
      const echoed = new Set(call.peer.echoed(kind).map((p) => p.counter));
      const sent = call.peer.sent[kind].length;
      lost[kind] = 0;
      for (let c = mark[kind]; c < sent; c++) if (!echoed.has(c)) lost[kind]++;
      assert.ok(sent - mark[kind] > 100, `${kind}: enough packets sent across the reloads (${sent - mark[kind]})`);
    }
    console.log(`    packets lost across ${RELOADS} reloads: audio ${lost.audio} of ${call.peer.sent.audio.length - mark.audio}, video ${lost.video} of ${call.peer.sent.video.length - mark.video}`);
    assert.deepEqual(lost, { audio: 0, video: 0 });
  });
});
