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
// JANUS_TS_TEST_PLUGIN / JANUS_TS_TEST_CORE: other builds of both, e.g. the ThreadSanitizer
// ones of scripts/tsan.sh or the AddressSanitizer ones of scripts/sanitize.sh.
export const PLUGIN_SO = process.env.JANUS_TS_TEST_PLUGIN || path.join(REPO_ROOT, 'host-c', 'build', 'libjanus_ts.so');
export const ROUTER_WASM = path.join(REPO_ROOT, 'router-as', 'build', 'router.wasm');
const CORE = process.env.JANUS_TS_TEST_CORE || path.join(REPO_ROOT, 'build', 'test', 'harness', 'fake_core');

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
  // fake_core-tsan / fake_core-asan: also make that variant (target tsan / asan).
  const variant = path.basename(CORE).replace(/^fake_core-?/, '');
  execFileSync('make', ['-s', '-C', path.join(REPO_ROOT, 'test', 'harness'), 'all', ...(variant ? [variant] : [])],
    { stdio: 'inherit' });
  built = true;
}

export interface CoreOptions {
  /** janus.plugin.ts.jcfg keys (group general); default { router: ROUTER_WASM }. */
  jcfg?: Record<string, string | number | boolean>;
  timeoutMs?: number;
  /** Janus log level of the plugin's lines (4 = info, 5 = verb, 7 = dbg); default 4. */
  logLevel?: number;
}

function writeJcfg(dir: string, keys: CoreOptions['jcfg']): void {
  const jcfg = { router: ROUTER_WASM, ...(keys ?? {}) };
  fs.writeFileSync(path.join(dir, 'janus.plugin.ts.jcfg'),
    `general: {\n${Object.entries(jcfg).map(([k, v]) => `\t${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}\n`).join('')}}\n`);
}

export async function runCore(script: string[], opts: CoreOptions = {}): Promise<CoreRun> {
  buildCore();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-core-'));
  writeJcfg(dir, opts.jcfg);
  const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_CONFIG_DIR: dir, HARNESS_LOG_LEVEL: String(opts.logLevel ?? 4) };
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

/** Compiles an AssemblyScript fixture (.as, copied to a .ts for asc) to a .wasm with the router's
 *  memory options (a shared memory imported as env.memory); returns its path. */
export function compileFixture(source: string, name: string, edit?: (text: string) => string): string {
  const dir = path.join(REPO_ROOT, 'build', 'test', 'fixtures');
  fs.mkdirSync(dir, { recursive: true });
  const ts = path.join(dir, `${name}.ts`);
  const wasm = path.join(dir, `${name}.wasm`);
  let text = fs.readFileSync(source, 'utf8');
  if (edit) text = edit(text);
  fs.writeFileSync(ts, text);
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'asc'),
    [ts, '--outFile', wasm, '--runtime', 'stub', '--use', 'abort=', '-O3', '--enable', 'threads', '--importMemory',
      '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'], { cwd: dir, stdio: 'inherit' });
  // (cwd: not the repo root, whose asconfig.json asc would apply: it would write router.wat)
  return wasm;
}

/**
 * The fake core driven interactively: send commands one by one and wait for what it
 * prints (for tests that also talk to the plugin's control socket meanwhile).
 */
export class LiveCore {
  readonly events: CoreEvent[] = [];
  log = '';
  #child: ReturnType<typeof spawn>;
  #dir: string;
  #buf = '';
  #waiters: { match: (e: CoreEvent) => boolean; resolve: (e: CoreEvent) => void }[] = [];
  #seen = 0;
  #exited: Promise<void>;

  constructor(opts: CoreOptions = {}) {
    buildCore();
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-live-'));
    writeJcfg(this.#dir, opts.jcfg);
    const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_CONFIG_DIR: this.#dir };
    delete env.JANUS_TS_ROUTER;
    delete env.JANUS_TS_CONFIG_DIR;
    this.#child = spawn(CORE, [PLUGIN_SO], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr!.on('data', (d) => (this.log += d));
    this.#child.stdout!.on('data', (d) => this.#onData(String(d)));
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  /** A folder of this run (removed by close()), e.g. for a control socket. */
  get dir(): string {
    return this.#dir;
  }

  #onData(text: string): void {
    this.#buf += text;
    let nl: number;
    while ((nl = this.#buf.indexOf('\n')) >= 0) {
      const line = this.#buf.slice(0, nl);
      this.#buf = this.#buf.slice(nl + 1);
      if (!line.trim()) continue;
      const e = JSON.parse(line) as CoreEvent;
      this.events.push(e);
      const i = this.#waiters.findIndex((w) => w.match(e));
      if (i >= 0) this.#waiters.splice(i, 1)[0].resolve(e);
    }
  }

  /** Sends one command and waits for its answer (the event named like the command). */
  async run(command: string, timeoutMs = 5000): Promise<CoreEvent> {
    const name = command.split(' ')[0];
    const from = this.events.length;
    const answer = this.waitFor((e) => e.ev === name, timeoutMs, from);
    this.#child.stdin!.write(command + '\n');
    return answer;
  }

  /** Waits for an event printed at or after index `from` (default: after the last wait). */
  waitFor(match: (e: CoreEvent) => boolean, timeoutMs = 5000, from = this.#seen): Promise<CoreEvent> {
    const done = (e: CoreEvent) => {
      this.#seen = this.events.indexOf(e) + 1;
      return e;
    };
    const old = this.events.slice(from).find(match);
    if (old) return Promise.resolve(done(old));
    return new Promise((resolve, reject) => {
      const w = { match, resolve: (e: CoreEvent) => { clearTimeout(timer); resolve(done(e)); } };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        reject(new Error(`fake core: no matching event within ${timeoutMs} ms; log:\n${this.log}`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  async close(): Promise<void> {
    this.#child.stdin!.end();
    const t = setTimeout(() => this.#child.kill('SIGKILL'), 10000);
    await this.#exited;
    clearTimeout(t);
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
