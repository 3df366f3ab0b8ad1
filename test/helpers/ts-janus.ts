/**
 * A real Janus running our plugin (host-c/build/libjanus_ts.so + router-as/build/router.wasm)
 * with a control app (a compiled janus-ts app, e.g. control-ts/dist/examples/echotest.js),
 * either supervised by the plugin (jcfg `app_command`, the deployment shape) or run by the
 * test as a separate `janus-ts run` process.
 *
 *   const missing = missingTsPieces(ECHOTEST_APP);
 *   if (missing.length) this.skip();
 *   const ts = await TsJanus.start({ app: ECHOTEST_APP, package: 'janus.plugin.echotest' });
 *   ... ts.janus is a Janus (see janus.ts) ...
 *   await ts.stop();
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Janus, JanusOptions, REPO_ROOT, jcfg } from './janus';

/** The plugin Janus loads: host-c/build/libjanus_ts.so, or JANUS_TS_PLUGIN (e.g. the ASan build). */
export const TS_PLUGIN_LIB = process.env.JANUS_TS_PLUGIN || path.join(REPO_ROOT, 'host-c/build/libjanus_ts.so');
export const ROUTER_WASM = path.join(REPO_ROOT, 'router-as/build/router.wasm');
export const TS_CLI = path.join(REPO_ROOT, 'control-ts/dist/src/cli.js');
export const ECHOTEST_APP = path.join(REPO_ROOT, 'control-ts/dist/examples/echotest.js');
/** The compiled example app `name` (control-ts/examples/<name>.ts). */
export const exampleApp = (name: string): string => path.join(REPO_ROOT, `control-ts/dist/examples/${name}.js`);

/** The built files a TsJanus with `app` needs that do not exist (empty = all there). */
export function missingTsPieces(app?: string): string[] {
  return [TS_PLUGIN_LIB, ROUTER_WASM, ...(app ? [TS_CLI, app] : [])]
    .filter((f) => !fs.existsSync(f))
    .map((f) => path.relative(REPO_ROOT, f));
}

/** In a `before` hook: skips the suite, saying why, when the plugin, the runtime or `app` is not built. */
export function skipUnlessBuilt(ctx: Mocha.Context, app?: string): void {
  const missing = missingTsPieces(app);
  if (missing.length === 0) return;
  console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
  ctx.skip();
}

/** Pids of the processes whose command line mentions `text` (e.g. a socket path). */
export function processesWith(text: string): number[] {
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (pid !== String(process.pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) pids.push(Number(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

/** Log line the plugin writes when the control app's hello succeeded. */
export const APP_CONNECTED = /janus-ts control: app .* connected/;

export interface TsJanusOptions {
  /** Compiled app to run (none: the plugin runs without a control app). */
  app?: string;
  /** true (default): the plugin starts and supervises the app through `app_command`;
   *  false: the test starts `node cli.js run APP --socket PATH` itself after Janus. */
  supervised?: boolean;
  /** Plugin package (jcfg `package`), default janus.plugin.ts. */
  package?: string;
  /** Extra keys of the jcfg `general` section (app_config, message_timeout_ms, ...). */
  general?: Record<string, string | number | boolean>;
  /** Other plugins to load alongside (stock short names). */
  plugins?: string[];
  /** Wait for the app's hello before resolving (default true when there is an app). */
  waitApp?: boolean;
  janus?: Omit<JanusOptions, 'plugins' | 'tsJcfg'>;
}

export class TsJanus {
  /** The app process when started by the test (supervised: false). */
  app?: ChildProcess;
  appLog = '';

  private constructor(readonly janus: Janus, readonly socketPath: string, readonly socketDir: string) {}

  static async start(opts: TsJanusOptions = {}): Promise<TsJanus> {
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-sock-'));
    const socketPath = path.join(socketDir, 'control.sock');
    const supervised = opts.supervised ?? true;
    const general: Record<string, string | number | boolean> = {
      router: ROUTER_WASM,
      package: opts.package ?? 'janus.plugin.ts',
      control_socket: socketPath,
      ...opts.general,
    };
    if (opts.app && supervised) {
      general.app_command = `exec ${process.execPath} ${TS_CLI} run ${opts.app} --socket ${socketPath}`;
    }
    let janus: Janus;
    try {
      janus = await Janus.start({ ...opts.janus, plugins: ['ts', ...(opts.plugins ?? [])], tsJcfg: jcfg({ general }) });
    } catch (e) {
      fs.rmSync(socketDir, { recursive: true, force: true });
      throw e;
    }
    const ts = new TsJanus(janus, socketPath, socketDir);
    try {
      if (opts.app && !supervised) ts.startApp(opts.app);
      if (opts.app && (opts.waitApp ?? true)) await ts.waitApp();
    } catch (e) {
      await ts.stop();
      throw e;
    }
    return ts;
  }

  /** Starts `janus-ts run APP --socket <our socket>` (output kept in appLog); see killApp(). */
  startApp(app: string, extraArgs: string[] = []): ChildProcess {
    const child = spawn(process.execPath, [TS_CLI, 'run', app, '--socket', this.socketPath, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (this.appLog += d));
    child.stderr!.on('data', (d) => (this.appLog += d));
    this.app = child;
    return child;
  }

  /** Kills the app started by startApp() (SIGKILL by default: a crash) and waits for it. */
  async killApp(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const app = this.app;
    if (!app || app.exitCode !== null || app.signalCode !== null) return;
    const exited = new Promise((r) => app.once('exit', r));
    app.kill(signal);
    await exited;
  }

  /** Number of successful app hellos the plugin logged so far. */
  appConnections(): number {
    return this.janus.log().match(new RegExp(APP_CONNECTED.source, 'g'))?.length ?? 0;
  }

  /** Waits until the plugin has logged `n` app hellos in total. */
  async waitAppConnections(n: number, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.appConnections() < n) {
      if (Date.now() > deadline) {
        throw new Error(`${this.appConnections()} app connections, wanted ${n}, within ${timeoutMs} ms; log tail:\n${this.janus.logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until the plugin logs the app's successful hello. */
  async waitApp(timeoutMs = 8000): Promise<void> {
    await this.janus.waitLog(APP_CONNECTED, timeoutMs).catch((e) => {
      throw new Error(`${e.message}${this.appLog ? `\napp output:\n${this.appLog.slice(-2000)}` : ''}`);
    });
  }

  /** Stops the app (when ours), then Janus (which stops a supervised app). */
  async stop(): Promise<void> {
    const killer = setTimeout(() => this.app?.kill('SIGKILL'), 3000);
    await this.killApp('SIGTERM');
    clearTimeout(killer);
    await this.janus.stop();
    fs.rmSync(this.socketDir, { recursive: true, force: true });
  }
}

/**
 * A scenario target (media-scenarios.ts, echotest-simulcast-scenarios.ts, ...) for a janus-ts
 * app standing in as `pkg`: `start` skips the suite when something is not built, then starts
 * Janus with our plugin and `app`; `cleanup` stops them.
 */
export function tsAppTarget(app: string, pkg: string): { package: string; start(ctx: Mocha.Context): Promise<Janus>; cleanup(): Promise<void> } {
  let ts: TsJanus | undefined;
  return {
    package: pkg,
    async start(ctx) {
      skipUnlessBuilt(ctx, app);
      ts = await TsJanus.start({ app, package: pkg });
      return ts.janus;
    },
    async cleanup() { await ts?.stop(); ts = undefined; },
  };
}
