// `npm start [-- APP [--package PKG]]` (scripts/start.sh): Janus with our plugin standing in
// for a Janus plugin, the app supervised by the plugin, the demo pages on :8080, the page to
// open printed — for the echotest (whose stock page decodes echoed video in Chromium), for
// each other example app, and for an app of one's own given by path. Ctrl-C/SIGTERM stops it all.
import assert from 'node:assert/strict';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chromium, chromiumAvailable, waitInboundVideo } from '../helpers/chromium';
import { JanusEndpoint, JanusError, JanusSession, REPO_ROOT, postJson, transaction } from '../helpers/janus';
import { ECHOTEST_APP, exampleApp, missingTsPieces, processesWith } from '../helpers/ts-janus';

const START = path.join(REPO_ROOT, 'scripts/start.sh');
const DEMO = 'http://127.0.0.1:8080';

/** GET with a timeout, so a wedged server fails the test instead of hanging it. */
function get(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(5000) });
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

/** The Janus API of the Janus start.sh runs (HTTP, port 8088). */
const startedJanus: JanusEndpoint = {
  httpUrl: 'http://127.0.0.1:8088/janus',
  running: true,
  async request(body, urlPath = '') {
    const reply = await postJson(this.httpUrl + urlPath, { transaction: transaction(), ...body });
    if (reply.janus === 'error') throw new JanusError(reply.error?.code ?? -1, reply.error?.reason ?? 'unknown', reply);
    return reply;
  },
  admin() { throw new Error('not used'); },
};

/** Attaches to `pkg` and returns the plugin's answer to `body` (sync or async). */
async function ask(pkg: string, body: Record<string, unknown>): Promise<any> {
  const session = new JanusSession(startedJanus, (await startedJanus.request({ janus: 'create' })).data.id);
  try {
    return (await (await session.attach(pkg)).send(body)).data;
  } finally {
    await session.destroy();
  }
}

/** One run of start.sh: its output, and a stop that asserts a clean exit. */
class StartRun {
  out = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn('bash', [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.out += d));
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  /** Waits until start.sh printed `text` (it prints the page last, once everything answers). */
  async printed(text: string, timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.out.includes(text)) {
      assert.equal(this.child.exitCode, null, `start.sh exited early:\n${this.out}`);
      assert.ok(Date.now() < deadline, `start.sh did not print ${JSON.stringify(text)} within ${timeoutMs / 1000} s:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get logFile(): string {
    const file = this.out.match(/log\s+(\S+janus\.log)/)?.[1];
    assert.ok(file && fs.existsSync(file), `start.sh names its Janus log:\n${this.out}`);
    return file;
  }

  get socket(): string {
    const socket = this.out.match(/over (\S+control\.sock)/)?.[1];
    assert.ok(socket, `start.sh names the control socket:\n${this.out}`);
    return socket;
  }

  /** Janus serves `pkg` from our plugin, whose supervised app said hello (one process). */
  async assertRunning(pkg: string): Promise<void> {
    const info: any = await (await get('http://127.0.0.1:8088/janus/info')).json();
    assert.ok(info.plugins[pkg], `${pkg} is served; plugins: ${Object.keys(info.plugins)}`);
    assert.match(info.plugins[pkg].name, /TypeScript/, `${pkg} is our plugin`);
    const log = fs.readFileSync(this.logFile, 'utf8');
    assert.match(log, /libjanus_ts\.so/, 'Janus loaded our plugin');
    assert.match(log, /janus-ts control: app .* connected/, 'the supervised app said hello');
    assert.equal(processesWith(this.socket).length, 1, 'one app process runs on that socket');
  }

  /** SIGTERM: exit status 0 within 5 s, Janus, the pages, the folder and the app gone. */
  async stop(): Promise<void> {
    const { logFile, socket } = this;
    const t0 = Date.now();
    this.child.kill('SIGTERM');
    assert.equal(await this.exited, 0, `start.sh exit status after SIGTERM:\n${this.out}`);
    assert.ok(Date.now() - t0 < 5000, 'stopped within 5 s');
    assert.equal(await answers('http://127.0.0.1:8088/janus/info'), false, 'Janus is gone');
    assert.equal(await answers(`${DEMO}/`), false, 'the page server is gone');
    assert.equal(fs.existsSync(path.dirname(logFile)), false, 'its temporary folder is removed');
    assert.deepEqual(processesWith(socket), [], 'the app process is gone');
  }

  /** After a failure: stop it the way a user would, and make sure nothing it started outlives the test. */
  async cleanup(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 6000))]);
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }
    const dir = this.out.match(/log\s+(\S+)\/janus\.log/)?.[1];
    if (dir) for (const pid of processesWith(dir)) process.kill(pid, 'SIGKILL');
  }
}

describe('e2e: npm start (scripts/start.sh)', function () {
  this.timeout(40000);
  let run: StartRun | undefined;

  before(function () {
    const missing = missingTsPieces(ECHOTEST_APP);
    if (missing.length) {
      console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
      this.skip();
    }
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && run) console.log(`start.sh output:\n${run.out}`);
    await run?.cleanup();
    run = undefined;
  });

  it('no app named: the echotest; serves echotest.html, which decodes echoed video in Chromium; stops on SIGTERM', async () => {
    run = new StartRun([]);
    const page = `${DEMO}/echotest.html`;
    await run.printed(`Open ${page}`);
    const html = await get(page);
    assert.equal(html.status, 200);
    assert.match(await html.text(), /echotest\.js/);
    assert.match(await (await get(`${DEMO}/settings.js`)).text(), /var token = null/);
    assert.equal((await get(`${DEMO}/javascript/janus-gateway/janus.min.js`)).status, 200);
    await run.assertRunning('janus.plugin.echotest');

    if (chromiumAvailable()) {
      const browser = await Chromium.launch();
      try {
        const tab = await browser.open(page);
        await tab.click('#start', { timeout: 10000 });
        const stats = await waitInboundVideo(tab, 'echotest', 5, 15000).catch((e) => {
          throw new Error(`${e.message}\nbrowser console:\n${browser.consoleTail()}`);
        });
        assert.ok(stats.framesDecoded >= 5);
      } finally {
        await browser.close();
      }
    }
    await run.stop();
  });

  // Each example, its page, and a first request as its page's script would make it.
  const EXAMPLES: [name: string, page: string, script: RegExp, request: Record<string, unknown>, answer: Record<string, unknown>][] = [
    ['videocall', 'videocalltest.html', /videocalltest\.js/, { request: 'list' }, { videocall: 'event', result: { list: [] } }],
    ['chatroulette', 'chatroulette.html', /chatroulette\.js/, { bitrate: 0 }, { chatroulette: 'event', result: 'ok' }],
    ['videoroom', 'videoroomtest.html', /videoroomtest\.js/, { request: 'exists', room: 1234 }, { videoroom: 'success', room: 1234, exists: true }],
    ['textroom', 'textroomtest.html', /textroomtest\.js/, { request: 'exists', room: 1234 }, { textroom: 'success', room: 1234, exists: true }],
  ];
  for (const [name, pageFile, script, request, answer] of EXAMPLES) {
    it(`npm start -- ${name}: the app as janus.plugin.${name}, prints ${pageFile}`, async function () {
      if (missingTsPieces(exampleApp(name)).length) {
        console.log(`      (skipped: control-ts/examples/${name}.ts is not built here)`);
        this.skip();
      }
      run = new StartRun([name]);
      const page = `${DEMO}/${pageFile}`;
      await run.printed(`Open ${page}`);
      const html = await get(page);
      assert.equal(html.status, 200);
      assert.match(await html.text(), script);
      await run.assertRunning(`janus.plugin.${name}`);
      assert.deepEqual(await ask(`janus.plugin.${name}`, request), answer);
      await run.stop();
    });
  }

  // One's own app by path, whatever its kind: start.sh hands the path to `janus-ts run` as it is.
  for (const [kind, source] of [['.js', exampleApp('pairs')], ['.ts', path.join(REPO_ROOT, 'control-ts/examples/pairs.ts')]]) {
    it(`npm start -- PATH --package P: runs one's own ${kind} app (path with a space) as P`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts my apps '));
      try {
        fs.symlinkSync(source, path.join(dir, `my app${kind}`)); // loaded from its real path, next to its imports
        run = new StartRun([`my app${kind}`, '--package', 'janus.plugin.pairs'], { INIT_CWD: dir });
        await run.printed('Attach your client to janus.plugin.pairs');
        await run.assertRunning('janus.plugin.pairs');
        assert.deepEqual(await ask('janus.plugin.pairs', { request: 'ping' }), { pong: true });
        await run.stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  // Janus's own janus_lua / janus_duktape sample scripts, unchanged, through the same path.
  for (const script of ['/usr/share/janus/lua/echotest.lua', '/usr/share/janus/duktape/echotest.js']) {
    it(`npm start -- ${script} --package janus.plugin.echotest: the script serves echotest.html`, async function () {
      if (!fs.existsSync(script)) this.skip();
      run = new StartRun([script, '--package', 'janus.plugin.echotest']);
      await run.printed(`Open ${DEMO}/echotest.html`);
      await run.assertRunning('janus.plugin.echotest');
      assert.deepEqual(await ask('janus.plugin.echotest', { audio: true }), { echotest: 'response', result: 'ok' });
      await run.stop();
    });
  }

  it('refuses an unknown app or option with the usage, starting nothing', () => {
    for (const args of [['nosuchapp'], ['--bogus'], ['videocall', '--package']]) {
      const r = spawnSync('bash', [START, ...args], { encoding: 'utf8', timeout: 10000 });
      assert.equal(r.status, 2, `${args.join(' ')}: exit status\n${r.stderr}`);
      assert.match(r.stderr, /usage: npm start -- /);
    }
    const missing = spawnSync('bash', [START, '/nonexistent/app.js'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /the app \/nonexistent\/app\.js is missing/);
  });
});
