// The sanitizer run (scripts/sanitize.sh asan) is only worth something if the sanitizers are
// really active where the plugin runs: inside a real Janus (not built with ASan, the runtime
// preloaded) and inside the fake core. The ASan build of the plugin has a test-only self-test
// (JANUS_TS_SANITIZE_SELFTEST, host-c/plugin.c, compiled into that build only): a heap read
// past a block, a lost block, a signed overflow. Each must be reported, naming the plugin's
// source line. Skipped outside scripts/sanitize.sh.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Janus, jcfg } from '../helpers/janus';
import { ROUTER_WASM } from '../helpers/ts-janus';
import { runCore } from '../harness/fakeCore';

/** Reports written under `dir` (log_path prefix files), concatenated. */
function reportsIn(dir: string): string {
  return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
}

describe('sanitizers are active in the processes that load the plugin', function () {
  this.timeout(60000);
  let dir = '';

  before(function () {
    if (!process.env.JANUS_TS_JANUS_PRELOAD || !process.env.JANUS_TS_TEST_CORE?.endsWith('-asan')) {
      console.log('    (skipped: run by scripts/sanitize.sh asan)');
      this.skip();
    }
  });
  beforeEach(() => {
    // Reports of these deliberate faults go to a folder of their own, not to the run's.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-selftest-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const env = (what: string) => ({
    JANUS_TS_SANITIZE_SELFTEST: what,
    ASAN_OPTIONS: `detect_leaks=1 allow_user_segv_handler=1 log_path=${dir}/asan`,
    UBSAN_OPTIONS: `print_stacktrace=1 halt_on_error=1 log_path=${dir}/asan`,
  });
  const start = (what: string) =>
    Janus.start({ plugins: ['ts'], tsJcfg: jcfg({ general: { router: ROUTER_WASM } }), env: env(what) });

  it('Janus: AddressSanitizer reports a heap overflow in the plugin and stops Janus', async () => {
    await assert.rejects(start('asan'), /Janus exited/);
    const r = reportsIn(dir);
    assert.match(r, /ERROR: AddressSanitizer: heap-buffer-overflow/);
    assert.match(r, /sanitize_selftest .*host-c\/plugin\.c/);
  });

  it('Janus: LeakSanitizer reports a block the plugin lost, when Janus exits', async () => {
    const janus = await start('leak');
    await janus.stop();
    assert.match(reportsIn(dir), /ERROR: LeakSanitizer: detected memory leaks[\s\S]*64 byte\(s\) in 1 object/);
  });

  it('Janus: UBSan reports a signed overflow in the plugin and stops Janus', async () => {
    await assert.rejects(start('ubsan'), /Janus exited/);
    assert.match(reportsIn(dir), /plugin\.c:\d+:\d+: runtime error: signed integer overflow[\s\S]*sanitize_selftest .*host-c\/plugin\.c/);
  });

  it('fake core: AddressSanitizer reports the heap overflow', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env('asan'));
    try {
      const run = await runCore(['init', 'destroy']);
      assert.notEqual(run.code, 0);
    } finally {
      for (const k of Object.keys(env('asan'))) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    assert.match(reportsIn(dir), /heap-buffer-overflow[\s\S]*sanitize_selftest/);
  });
});
