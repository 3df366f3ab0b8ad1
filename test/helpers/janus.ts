/**
 * A real Janus for tests: generates a config folder of its own (scripts/janus-config.sh),
 * runs `janus -C DIR/janus.jcfg -F DIR -o` with its log in DIR/janus.log, and talks to it
 * through the HTTP Janus API (port 8088) and the admin API (port 7088).
 *
 *   const janus = await Janus.start({ plugins: ['echotest'] });
 *   const session = await janus.createSession();
 *   const handle = await session.attach('janus.plugin.echotest');
 *   const { data, jsep } = await handle.request({ audio: true }, offer);
 *   ...
 *   await janus.stop();
 *
 * Ports are the usual fixed ones, so tests that start Janus must run inside the private
 * network namespace of scripts/test.sh (each run gets its own loopback); Janus.start()
 * refuses to start when something already answers on the HTTP port.
 */
import { spawn, execFileSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JanusEndpoint, JanusError, JanusSession, postJson, transaction } from './janus-api';
import { sleep } from './wait';

export * from './janus-api';

/** Repository root (this file compiles to build/test/helpers/janus.js). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const ADMIN_SECRET = 'janusoverlord';

export interface JanusOptions {
  /** Plugins to load: 'ts' (our host-c/build/libjanus_ts.so) or stock short names
   *  ('echotest', 'videoroom', 'lua', 'duktape', ...). Default: none. */
  plugins?: string[];
  /** Contents of janus.plugin.ts.jcfg (text; see jcfg() to render an object). */
  tsJcfg?: string;
  /** Lua / Duktape script for the stock lua / duktape plugins. */
  luaScript?: string;
  duktapeScript?: string;
  /** Config folder; default: a fresh temporary folder, removed by stop() unless
   *  JANUS_TS_KEEP_DIRS=1 is set in the environment. */
  dir?: string;
  /** `dir` already holds a complete configuration (janus.jcfg and the plugins' and
   *  transports' files, e.g. a copy of Debian's /etc/janus): run Janus on it as is instead
   *  of generating one (plugins, tsJcfg, scripts and debugLevel are then not used; the
   *  ports only tell where to reach it). */
  prepared?: boolean;
  /** Ports and bind address (default 8088 / 8188 / 7088 on 127.0.0.1). */
  httpPort?: number;
  wsPort?: number;
  adminPort?: number;
  bind?: string;
  /** Janus debug level 0..7 (default: env JANUS_TS_DEBUG_LEVEL, else 4). */
  debugLevel?: number;
  /** janus.jcfg `event_loops`: handles share this many static loop threads (default: a
   *  thread per handle, Janus's default). */
  eventLoops?: number;
  /** How long to wait for /janus/info (default 10000 ms). */
  startTimeoutMs?: number;
  /** Extra environment for the Janus process (e.g. for an app_command child). */
  env?: NodeJS.ProcessEnv;
  /** More keys of janus.jcfg's `general` section, e.g. { api_secret: 'x', token_auth: true }. */
  general?: Record<string, string | number | boolean>;
}

/** Renders `{ general: { a: 1, b: "x" } }` as libconfig text for a .jcfg file. */
export function jcfg(sections: Record<string, Record<string, string | number | boolean>>): string {
  const value = (v: string | number | boolean) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  return Object.entries(sections)
    .map(([name, keys]) => `${name}: {\n${Object.entries(keys).map(([k, v]) => `\t${k} = ${value(v)}\n`).join('')}}\n`)
    .join('');
}
/** JANUS_TS_JANUS_PRELOAD (scripts/sanitize.sh: the ASan runtime) becomes Janus's LD_PRELOAD,
 *  for the Janus process only, not for the test runner. */
function janusPreload(): NodeJS.ProcessEnv {
  const preload = process.env.JANUS_TS_JANUS_PRELOAD;
  return preload ? { LD_PRELOAD: preload } : {};
}

/** A running Janus process with its own config folder. */
export class Janus implements JanusEndpoint {
  /** Janus's /info answer (name, version, plugins, transports, ...). */
  info: any = null;
  #child: ChildProcess;
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined = undefined;
  #ownsDir: boolean;

  private constructor(
    /** The config folder (janus.jcfg, plugin configs, plugins/ and transports/ links). */
    readonly dir: string,
    /** Janus's combined stdout/stderr. */
    readonly logFile: string,
    readonly httpUrl: string,
    readonly adminUrl: string,
    readonly wsUrl: string,
    child: ChildProcess,
    ownsDir: boolean,
  ) {
    this.#child = child;
    this.#ownsDir = ownsDir;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitCode = code ?? (signal ? -1 : null);
        resolve(this.#exitCode);
      });
    });
  }

  /** Generates the config folder, starts Janus and waits until /janus/info answers. */
  static async start(opts: JanusOptions = {}): Promise<Janus> {
    const ownsDir = !opts.dir;
    const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-e2e-'));
    fs.mkdirSync(dir, { recursive: true });
    const bind = opts.bind ?? '127.0.0.1';
    const httpPort = opts.httpPort ?? 8088;
    const adminPort = opts.adminPort ?? 7088;
    const wsPort = opts.wsPort ?? 8188;
    const httpUrl = `http://${bind}:${httpPort}/janus`;

    if (await Janus.#answers(`${httpUrl}/info`)) {
      throw new Error(`Janus.start: something already answers on ${httpUrl} — run the test inside ` +
        `scripts/test.sh (private network namespace) or stop the other Janus`);
    }

    if (!opts.prepared) Janus.#generateConfig(dir, opts, { httpPort, wsPort, adminPort, bind });

    const logFile = path.join(dir, 'janus.log');
    const log = fs.openSync(logFile, 'w');
    const child = spawn('janus', ['-C', path.join(dir, 'janus.jcfg'), '-F', dir, '-o'], {
      stdio: ['ignore', log, log],
      env: { ...process.env, ...janusPreload(), ...opts.env },
    });
    fs.closeSync(log);
    const janus = new Janus(dir, logFile, httpUrl, `http://${bind}:${adminPort}/admin`,
      `ws://${bind}:${wsPort}`, child, ownsDir);
    child.once('error', () => undefined); // reported through the exit/timeout path below

    const deadline = Date.now() + (opts.startTimeoutMs ?? 10000);
    while (Date.now() < deadline) {
      if (janus.#exitCode !== undefined) {
        const tail = janus.logTail();
        await janus.stop(); // removes a temporary folder
        throw new Error(`Janus exited (code ${janus.#exitCode}) while starting; log tail:\n${tail}`);
      }
      try {
        const res = await fetch(`${httpUrl}/info`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          janus.info = await res.json();
          return janus;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    const tail = janus.logTail(); // read before stop() removes a temporary folder
    await janus.stop();
    throw new Error(`Janus did not answer ${httpUrl}/info within ${opts.startTimeoutMs ?? 10000} ms; log tail:\n${tail}`);
  }

  /** Writes the config folder with scripts/janus-config.sh. */
  static #generateConfig(dir: string, opts: JanusOptions,
    at: { httpPort: number; wsPort: number; adminPort: number; bind: string }): void {
    const args = [path.join(REPO_ROOT, 'scripts/janus-config.sh'), dir];
    for (const p of opts.plugins ?? []) args.push('--plugin', p);
    if (opts.tsJcfg !== undefined) {
      const file = path.join(dir, 'ts-plugin.input.jcfg');
      fs.writeFileSync(file, opts.tsJcfg);
      args.push('--ts-jcfg', file);
    }
    if (opts.luaScript) args.push('--lua-script', opts.luaScript);
    if (opts.duktapeScript) args.push('--duktape-script', opts.duktapeScript);
    const env = {
      ...process.env,
      JANUS_HTTP_PORT: String(at.httpPort),
      JANUS_WS_PORT: String(at.wsPort),
      JANUS_ADMIN_PORT: String(at.adminPort),
      JANUS_BIND: at.bind,
      JANUS_DEBUG_LEVEL: String(opts.debugLevel ?? (Number(process.env.JANUS_TS_DEBUG_LEVEL) || 4)),
      JANUS_GENERAL_EXTRA: Object.entries(opts.general ?? {})
        .map(([k, v]) => `\t${k} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join('\n'),
      JANUS_EVENT_LOOPS: opts.eventLoops ? String(opts.eventLoops) : '',
    };
    execFileSync('bash', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  static async #answers(url: string): Promise<boolean> {
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return true;
    } catch {
      return false;
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True while the Janus process runs. */
  get running(): boolean {
    return this.#exitCode === undefined;
  }

  /** The whole log so far. */
  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last `lines` lines of the log (for error messages). */
  logTail(lines = 40): string {
    return this.log().split('\n').slice(-lines - 1).join('\n');
  }

  /** Resolves when the log matches `pattern` (polled every 100 ms); rejects with the log tail. */
  async waitLog(pattern: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.log().match(pattern);
      if (m) return m;
      if (!this.running) throw new Error(`Janus exited before its log matched ${pattern}; log tail:\n${this.logTail()}`);
      if (Date.now() > deadline) throw new Error(`Janus log did not match ${pattern} within ${timeoutMs} ms; log tail:\n${this.logTail()}`);
      await sleep(100);
    }
  }

  /** Janus API request on the root path (e.g. {janus: "create"}); rejects on {"janus": "error"}. */
  async request(body: Record<string, unknown>, urlPath = ''): Promise<any> {
    const reply = await postJson(this.httpUrl + urlPath, { transaction: transaction(), ...body });
    if (reply.janus === 'error') throw new JanusError(reply.error?.code ?? -1, reply.error?.reason ?? 'unknown', reply);
    return reply;
  }

  /** Creates a Janus session with a background long-poll loop. */
  async createSession(): Promise<JanusSession> {
    const reply = await this.request({ janus: 'create' });
    return new JanusSession(this, reply.data.id);
  }

  /**
   * Admin API call, e.g. admin({janus: 'list_sessions'}) or
   * admin({janus: 'handle_info'}, `/${session}/${handle}`). Rejects on {"janus": "error"}.
   */
  async admin(body: Record<string, unknown>, urlPath = ''): Promise<any> {
    const reply = await postJson(this.adminUrl + urlPath, { transaction: transaction(), admin_secret: ADMIN_SECRET, ...body });
    if (reply.janus === 'error') throw new JanusError(reply.error?.code ?? -1, reply.error?.reason ?? 'unknown', reply);
    return reply;
  }

  /** SIGTERM, wait for exit (SIGKILL after 3 s); removes a temporary folder. Idempotent. */
  async stop(): Promise<void> {
    if (this.#exitCode === undefined) {
      this.#child.kill('SIGTERM');
      const killer = setTimeout(() => this.#child.kill('SIGKILL'), 3000);
      await this.#exited;
      clearTimeout(killer);
    }
    if (this.#ownsDir && process.env.JANUS_TS_KEEP_DIRS !== '1') {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** Resolves with the exit code when Janus exits by itself or is stopped. */
  exited(): Promise<number | null> {
    return this.#exited;
  }
}
