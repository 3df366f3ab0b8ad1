// Short libFuzzer runs of the C parsers (test/fuzz/, scripts/fuzz.sh for the long campaign):
// every target first replays its seeds and the kept regression inputs (each one a crash that
// was found and fixed), then fuzzes for a few seconds. Any crash, sanitizer report or leak
// fails the test with libFuzzer's output. Skipped (saying so) without clang.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/janus';

const TARGETS = ['fuzz_control', 'fuzz_jcfg', 'fuzz_mlines', 'fuzz_packet'];
const SECONDS = Number(process.env.JANUS_TS_FUZZ_SECONDS ?? 8);
const BIN = path.join(REPO_ROOT, 'build/test/fuzz');

/** Runs a target; resolves with its exit code and output. */
function fuzz(target: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(BIN, target), args, { cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('fuzz: libFuzzer targets of the C parsers (short run)', function () {
  this.timeout(300000);

  before(function () {
    if (spawnSync('clang', ['--version']).status !== 0) {
      console.log('    (skipped: no clang; scripts/setup.sh installs it)');
      this.skip();
    }
    const prefix = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/build-wasmtime.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('make', ['-s', '-C', path.join(REPO_ROOT, 'test/fuzz'), `WASMTIME_PREFIX=${prefix}`], { stdio: 'inherit' });
  });

  for (const target of TARGETS) {
    it(`${target}: replays its seeds and regressions, then ${SECONDS} s of fuzzing without a finding`, async () => {
      const seeds = path.join(REPO_ROOT, 'test/fuzz/corpus', target);
      const regressions = path.join(REPO_ROOT, 'test/fuzz/regressions', target);
      const kept = fs.readdirSync(regressions).filter((f) => !f.startsWith('.')).map((f) => path.join(regressions, f));
      if (kept.length) {
        const replay = await fuzz(target, ['-runs=1', ...kept]);
        assert.equal(replay.code, 0, `a regression input fails again:\n${replay.out.slice(-4000)}`);
      }
      const work = fs.mkdtempSync(path.join(os.tmpdir(), `janus-ts-${target}-`));
      const artifacts = fs.mkdtempSync(path.join(os.tmpdir(), `janus-ts-${target}-crash-`));
      const dict = path.join(REPO_ROOT, 'test/fuzz', `${target.replace('fuzz_', '')}.dict`);
      try {
        const run = await fuzz(target, [`-max_total_time=${SECONDS}`, '-print_final_stats=1', `-artifact_prefix=${artifacts}/`,
          ...(fs.existsSync(dict) ? [`-dict=${dict}`] : []), work, seeds]);
        const crashes = fs.readdirSync(artifacts);
        assert.equal(run.code, 0, `${target} found something (inputs in ${artifacts}: ${crashes.join(', ')}):\n${run.out.slice(-6000)}`);
        const execs = Number(run.out.match(/stat::number_of_executed_units:\s*(\d+)/)?.[1] ?? 0);
        assert.ok(execs > 100, `${target} ran (${execs} executions)`);
        fs.rmSync(artifacts, { recursive: true, force: true });
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  }
});
