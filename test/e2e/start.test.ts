// `npm start` (scripts/start.sh): Janus with our plugin as janus.plugin.echotest, the
// echotest app supervised by the plugin, the demo pages on :8080 — and the stock
// echotest.html from that server decodes echoed video. Ctrl-C/SIGTERM stops it all.
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chromium, chromiumAvailable, waitInboundVideo } from '../helpers/chromium';
import { REPO_ROOT } from '../helpers/janus';
import { ECHOTEST_APP, missingTsPieces, processesWith } from '../helpers/ts-janus';

const PAGE = 'http://127.0.0.1:8080/echotest.html';

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

describe('e2e: npm start (scripts/start.sh)', function () {
  this.timeout(40000);
  let child: ChildProcess | undefined;
  let out = '';

  before(function () {
    const missing = missingTsPieces(ECHOTEST_APP);
    if (missing.length) {
      console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
      this.skip();
    }
  });
  after(async function () {
    // A failed run: stop start.sh the way a user would (SIGTERM: it stops its children),
    // then make sure nothing it started outlives the test.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 6000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const dir = out.match(/log\s+(\S+)\/janus\.log/)?.[1];
    if (dir) for (const pid of processesWith(dir)) process.kill(pid, 'SIGKILL');
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`start.sh output:\n${out}`);
  });

  it('serves echotest.html, runs the app under the plugin, decodes video in Chromium, stops on SIGTERM', async () => {
    child = spawn('bash', [path.join(REPO_ROOT, 'scripts/start.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

    const deadline = Date.now() + 20000;
    while (!out.includes(`Open ${PAGE}`)) {
      assert.equal(child.exitCode, null, `start.sh exited early:\n${out}`);
      assert.ok(Date.now() < deadline, `start.sh printed no URL within 20 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const page = await get(PAGE);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /echotest\.js/);
    assert.match(await (await get('http://127.0.0.1:8080/settings.js')).text(), /var token = null/);
    assert.equal((await get('http://127.0.0.1:8080/javascript/janus-gateway/janus.min.js')).status, 200);

    const info: any = await (await get('http://127.0.0.1:8088/janus/info')).json();
    assert.ok(info.plugins['janus.plugin.echotest'], 'janus.plugin.echotest is served');
    const logFile = out.match(/log\s+(\S+janus\.log)/)?.[1];
    assert.ok(logFile && fs.existsSync(logFile), `start.sh names its Janus log:\n${out}`);
    const log = fs.readFileSync(logFile, 'utf8');
    assert.match(log, /libjanus_ts\.so/, 'Janus loaded our plugin');
    assert.match(log, /janus-ts control: app .* connected/, 'the supervised app said hello');
    const socket = out.match(/over (\S+control\.sock)/)?.[1];
    assert.ok(socket, `start.sh names the control socket:\n${out}`);
    assert.equal(processesWith(socket).length, 1, 'one app process runs on that socket');

    if (chromiumAvailable()) {
      const browser = await Chromium.launch();
      try {
        const tab = await browser.open(PAGE);
        await tab.click('#start', { timeout: 10000 });
        const stats = await waitInboundVideo(tab, 'echotest', 5, 15000).catch((e) => {
          throw new Error(`${e.message}\nbrowser console:\n${browser.consoleTail()}`);
        });
        assert.ok(stats.framesDecoded >= 5);
      } finally {
        await browser.close();
      }
    }

    const t0 = Date.now();
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `start.sh exit status after SIGTERM:\n${out}`);
    assert.ok(Date.now() - t0 < 5000, 'stopped within 5 s');
    assert.equal(await answers('http://127.0.0.1:8088/janus/info'), false, 'Janus is gone');
    assert.equal(await answers(PAGE), false, 'the page server is gone');
    assert.equal(fs.existsSync(path.dirname(logFile)), false, 'its temporary folder is removed');
    assert.deepEqual(processesWith(socket), [], 'the app process is gone');
  });
});
