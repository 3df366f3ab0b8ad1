/**
 * Runs the fake Janus core (test/harness/fake_core.c) on a script and returns the JSON
 * lines it printed. The core dlopens host-c/build/libjanus_ts.so with printing
 * janus_callbacks, so a test asserts exactly which relays happened with which headers.
 *
 *   const run = await runCore(['init', 'attach A', 'setup A', 'rtp A 0 0 1 1 7 20'], { jcfg: { router } });
 *   run.of('relay_rtp')  // [{h: 'A', mindex: 0, seq: 1, ...}]
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repository root (this file compiles to build/test/harness/fakeCore.js). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const PLUGIN_SO = path.join(REPO_ROOT, 'host-c', 'build', 'libjanus_ts.so');
export const ROUTER_WASM = path.join(REPO_ROOT, 'router-as', 'build', 'router.wasm');
const CORE = path.join(REPO_ROOT, 'build', 'test', 'harness', 'fake_core');

export type CoreEvent = { ev: string; [key: string]: any };

export interface CoreRun {
  events: CoreEvent[];
  /** The plugin's log (stderr). */
  log: string;
  code: number | null;
  /** Events of one kind, in order. */
  of(ev: string): CoreEvent[];
  /** Events printed between the n-th answer to `command` (0-based) and the one before it. */
  during(command: string, n?: number): CoreEvent[];
}

let built = false;
/** Builds the fake core (make, incremental) once per process. */
export function buildCore(): void {
  if (built) return;
  execFileSync('make', ['-s', '-C', path.join(REPO_ROOT, 'test', 'harness')], { stdio: 'inherit' });
  built = true;
}

export interface CoreOptions {
  /** janus.plugin.ts.jcfg keys (group general); default { router: ROUTER_WASM }. */
  jcfg?: Record<string, string | number | boolean>;
  timeoutMs?: number;
}

export async function runCore(script: string[], opts: CoreOptions = {}): Promise<CoreRun> {
  buildCore();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-core-'));
  const jcfg = { router: ROUTER_WASM, ...(opts.jcfg ?? {}) };
  fs.writeFileSync(path.join(dir, 'janus.plugin.ts.jcfg'),
    `general: {\n${Object.entries(jcfg).map(([k, v]) => `\t${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}\n`).join('')}}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_CONFIG_DIR: dir };
  delete env.JANUS_TS_ROUTER;
  delete env.JANUS_TS_CONFIG_DIR;
  const child = spawn(CORE, [PLUGIN_SO], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let log = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (log += d));
  child.stdin.end(script.join('\n') + '\n');
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`fake core timed out; log:\n${log}`)); }, opts.timeoutMs ?? 15000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  fs.rmSync(dir, { recursive: true, force: true });
  const events: CoreEvent[] = out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  if (events.some((e) => e.ev === 'harness_bug')) throw new Error(`fake core printed a malformed event: ${out}`);
  const commands = new Set(script.map((l) => l.split(' ')[0]));
  return {
    events, log, code,
    of: (ev) => events.filter((e) => e.ev === ev),
    during(command, n = 0) {
      // Events since the previous command answer, up to the n-th answer of `command`.
      let start = 0;
      let seen = 0;
      for (let i = 0; i < events.length; i++) {
        if (events[i].ev === command) {
          if (seen === n) return events.slice(start, i);
          seen++;
        }
        if (commands.has(events[i].ev)) start = i + 1;
      }
      throw new Error(`no answer #${n} to ${command}`);
    },
  };
}

/** Compiles an AssemblyScript fixture (.as, copied to a .ts for asc) to a .wasm; returns its path. */
export function compileFixture(source: string, name: string, edit?: (text: string) => string): string {
  const dir = path.join(REPO_ROOT, 'build', 'test', 'fixtures');
  fs.mkdirSync(dir, { recursive: true });
  const ts = path.join(dir, `${name}.ts`);
  const wasm = path.join(dir, `${name}.wasm`);
  let text = fs.readFileSync(source, 'utf8');
  if (edit) text = edit(text);
  fs.writeFileSync(ts, text);
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'asc'),
    [ts, '--outFile', wasm, '--runtime', 'stub', '--use', 'abort=', '-O3'], { cwd: REPO_ROOT, stdio: 'inherit' });
  return wasm;
}
