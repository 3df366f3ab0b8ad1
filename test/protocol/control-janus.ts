/**
 * Starts the REAL Janus with the REAL janus-ts plugin (host-c/build/libjanus_ts.so) and a
 * janus.plugin.ts.jcfg whose control socket lives in the test's own folder, for the
 * protocol tests' raw socket clients.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Janus, jcfg, REPO_ROOT } from '../helpers/janus';
import { RawClient } from './raw-client';

export const TOKEN = 'protocol-test-token';
export const ROUTER_WASM = path.join(REPO_ROOT, 'router-as/build/router.wasm');
export const SCHEMA_PATH = path.join(REPO_ROOT, 'control-ts/src/protocol/schema.json');

export interface ControlJanus {
  janus: Janus;
  socket: string;
  dir: string;
  /** The Janus log, also after stop() removed the folder. */
  log(): string;
  /** Connects a raw client and says hello (token included); rejects if refused. */
  connectApp(extra?: Record<string, unknown>): Promise<{ client: RawClient; hello: any }>;
  stop(): Promise<void>;
}

/** `general` keys of janus.plugin.ts.jcfg on top of the defaults used here. */
export async function startControlJanus(general: Record<string, string | number | boolean> = {}): Promise<ControlJanus> {
  for (const f of [ROUTER_WASM, path.join(REPO_ROOT, 'host-c/build/libjanus_ts.so')]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run bash scripts/build.sh first`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-proto-'));
  const socket = path.join(dir, 'control.sock');
  const janus = await Janus.start({
    plugins: ['ts'],
    dir,
    tsJcfg: jcfg({
      general: {
        router: ROUTER_WASM,
        control_socket: socket,
        control_token: TOKEN,
        app_config: '{"room":"protocol-test"}',
        ...general,
      },
    }),
  });
  const deadline = Date.now() + 5000;
  while (!fs.existsSync(socket)) {
    if (Date.now() > deadline) {
      await janus.stop();
      throw new Error(`control socket ${socket} did not appear; log tail:\n${janus.logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let finalLog: string | undefined;
  return {
    janus,
    socket,
    dir,
    log: () => finalLog ?? janus.log(),
    async connectApp(extra = {}) {
      const client = await RawClient.connect(socket);
      const f = await client.hello({ token: TOKEN, ...extra });
      if (f.error !== undefined) throw new Error(`hello refused: ${f.error}: ${f.reason}`);
      return { client, hello: f.result };
    },
    async stop() {
      await janus.stop();
      finalLog ??= janus.log();
      if (process.env.JANUS_TS_KEEP_DIRS !== '1') fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** /janus/info answers (Janus alive and its HTTP transport responsive). */
export async function janusAnswers(janus: Janus, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`${janus.httpUrl}/info`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok && ((await res.json()) as any).janus === 'server_info';
  } catch {
    return false;
  }
}

export { sleep } from '../helpers/wait';
