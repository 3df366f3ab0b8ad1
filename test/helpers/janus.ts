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
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
  /** Ports and bind address (default 8088 / 8188 / 7088 on 127.0.0.1). */
  httpPort?: number;
  wsPort?: number;
  adminPort?: number;
  bind?: string;
  /** Janus debug level 0..7 (default 4). */
  debugLevel?: number;
  /** How long to wait for /janus/info (default 10000 ms). */
  startTimeoutMs?: number;
  /** Extra environment for the Janus process (e.g. for an app_command child). */
  env?: NodeJS.ProcessEnv;
}

/** Renders `{ general: { a: 1, b: "x" } }` as libconfig text for a .jcfg file. */
export function jcfg(sections: Record<string, Record<string, string | number | boolean>>): string {
  const value = (v: string | number | boolean) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  return Object.entries(sections)
    .map(([name, keys]) => `${name}: {\n${Object.entries(keys).map(([k, v]) => `\t${k} = ${value(v)}\n`).join('')}}\n`)
    .join('');
}

/** A Janus API error reply ({"janus": "error"} or a plugin's {"error_code", "error"}). */
export class JanusError extends Error {
  constructor(readonly code: number, reason: string, readonly reply: any) {
    super(`Janus error ${code}: ${reason}`);
    this.name = 'JanusError';
  }
}

export function transaction(): string {
  return randomBytes(6).toString('hex');
}

/** POST a JSON body, parse the JSON reply. */
export async function postJson(url: string, body: unknown, timeoutMs = 5000): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`POST ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A running Janus process with its own config folder. */
export class Janus {
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
      JANUS_HTTP_PORT: String(httpPort),
      JANUS_WS_PORT: String(wsPort),
      JANUS_ADMIN_PORT: String(adminPort),
      JANUS_BIND: bind,
      JANUS_DEBUG_LEVEL: String(opts.debugLevel ?? 4),
    };
    execFileSync('bash', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });

    const logFile = path.join(dir, 'janus.log');
    const log = fs.openSync(logFile, 'w');
    const child = spawn('janus', ['-C', path.join(dir, 'janus.jcfg'), '-F', dir, '-o'], {
      stdio: ['ignore', log, log],
      env: { ...process.env, ...opts.env },
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

/** An event from a session's long poll: {janus: "event"|"webrtcup"|"media"|"hangup"|..., sender, ...}. */
export type JanusEvent = Record<string, any>;

interface Waiter {
  match: (e: JanusEvent) => boolean;
  resolve: (e: JanusEvent) => void;
}

/**
 * A Janus session. Its long-poll loop (GET /janus/<session>?maxev=10) runs from creation
 * until destroy(); events are kept in `events` and handed to waitEvent() callers.
 */
export class JanusSession {
  /** Every event received so far, in order. */
  readonly events: JanusEvent[] = [];
  #waiters: Waiter[] = [];
  #poll = new AbortController();
  #polling: Promise<void>;
  #closed = false;

  constructor(readonly janus: Janus, readonly id: number) {
    this.#polling = this.#pollLoop();
  }

  get url(): string {
    return `${this.janus.httpUrl}/${this.id}`;
  }

  async #pollLoop(): Promise<void> {
    while (!this.#closed && this.janus.running) {
      try {
        const res = await fetch(`${this.url}?maxev=10&rid=${Date.now()}`, { signal: this.#poll.signal });
        const body: any = await res.json();
        if (!Array.isArray(body) && body.janus === 'error') {
          this.events.push(body); // kept for inspection, e.g. 458 after a session timeout
          if (body.error?.code === 458) break; // no such session: it is gone for good
          await sleep(200);
          continue;
        }
        for (const e of Array.isArray(body) ? body : [body]) this.#deliver(e);
      } catch {
        if (this.#closed) return;
        if (!this.janus.running) break; // Janus stopped: nothing more will come
        await sleep(200); // a transient error: retry gently
      }
    }
  }

  #deliver(e: JanusEvent): void {
    if (e.janus === 'keepalive') return;
    const i = this.#waiters.findIndex((w) => w.match(e));
    if (i >= 0) {
      this.#waiters.splice(i, 1)[0].resolve(e);
      return; // consumed by a waiter
    }
    this.events.push(e);
  }

  /**
   * The first event (already received and not yet consumed, or future) matching `match`;
   * it is consumed. Rejects after timeoutMs with the events seen so far.
   */
  waitEvent(match: (e: JanusEvent) => boolean, timeoutMs = 5000): Promise<JanusEvent> {
    const i = this.events.findIndex(match);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching Janus event within ${timeoutMs} ms; unconsumed events: ${JSON.stringify(this.events).slice(0, 1500)}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Janus API request on this session's path; rejects on {"janus": "error"}. */
  request(body: Record<string, unknown>): Promise<any> {
    return this.janus.request(body, `/${this.id}`);
  }

  async attach(pluginPackage: string): Promise<JanusHandle> {
    const reply = await this.request({ janus: 'attach', plugin: pluginPackage });
    return new JanusHandle(this, reply.data.id);
  }

  async keepalive(): Promise<void> {
    await this.request({ janus: 'keepalive' });
  }

  /** Destroys the session on Janus (errors ignored when Janus is gone) and ends the poll. */
  async destroy(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.janus.running) await this.request({ janus: 'destroy' });
    } catch {
      /* already gone */
    }
    this.#closed = true;
    this.#poll.abort();
    await this.#polling;
  }
}

/** A plugin handle. */
export class JanusHandle {
  constructor(readonly session: JanusSession, readonly id: number) {}

  /** Janus API request on this handle's path; rejects on {"janus": "error"}. */
  request(body: Record<string, unknown>): Promise<any> {
    return this.session.janus.request(body, `/${this.session.id}/${this.id}`);
  }

  /**
   * Sends {"janus": "message", body, jsep?}. Returns Janus's direct reply: {"janus": "success",
   * plugindata} for a synchronous plugin answer or {"janus": "ack"} for an asynchronous one.
   */
  message(body: Record<string, unknown>, jsep?: { type: string; sdp: string }): Promise<any> {
    return this.request({ janus: 'message', body, ...(jsep ? { jsep } : {}) });
  }

  /**
   * Sends a message and returns the plugin's answer, synchronous or asynchronous:
   * {data: plugindata.data, jsep?}. Rejects when the plugin answers with an error
   * (`error_code`/`error` in its data) or nothing arrives within timeoutMs.
   */
  async send(body: Record<string, unknown>, jsep?: { type: string; sdp: string }, timeoutMs = 5000):
    Promise<{ data: any; jsep?: { type: string; sdp: string } }> {
    const reply = await this.message(body, jsep);
    let answer: JanusEvent = reply;
    if (reply.janus === 'ack') {
      answer = await this.session.waitEvent(
        (e) => e.janus === 'event' && e.sender === this.id && e.transaction === reply.transaction, timeoutMs);
    }
    const data = answer.plugindata?.data;
    if (data && (data.error_code !== undefined || data.error !== undefined)) {
      throw new JanusError(data.error_code ?? -1, String(data.error), answer);
    }
    return { data, jsep: answer.jsep };
  }

  /** Trickles one candidate ({candidate, sdpMid, sdpMLineIndex}), a list, or {completed: true}. */
  trickle(candidate: unknown): Promise<any> {
    const key = Array.isArray(candidate) ? 'candidates' : 'candidate';
    return this.request({ janus: 'trickle', [key]: candidate });
  }

  /** Waits for an event about this handle, e.g. handle.waitEvent('webrtcup'). */
  waitEvent(kind: string, timeoutMs = 5000, match: (e: JanusEvent) => boolean = () => true): Promise<JanusEvent> {
    return this.session.waitEvent((e) => e.sender === this.id && e.janus === kind && match(e), timeoutMs);
  }

  hangup(): Promise<any> {
    return this.request({ janus: 'hangup' });
  }

  detach(): Promise<any> {
    return this.request({ janus: 'detach' });
  }

  /** Admin API handle_info for this handle. */
  async info(): Promise<any> {
    const reply = await this.session.janus.admin({ janus: 'handle_info' }, `/${this.session.id}/${this.id}`);
    return reply.info;
  }
}
