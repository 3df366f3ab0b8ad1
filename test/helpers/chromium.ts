/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser is
 * ever downloaded) for end-to-end tests with the stock Janus demo pages, served by
 * scripts/demo-server.js.
 *
 *   const demo = await startDemoServer({ port: 8080 });
 *   const browser = await Chromium.launch();
 *   const page = await browser.open(`${demo.url}/echotest.html`);
 *   await page.click('#start');
 *   const stats = await waitInboundVideo(page, 'echotest', 1, 15000);
 *   await browser.close(); await demo.close();
 *
 * Fake camera and microphone, permissions auto-granted, a fresh profile per launch.
 * Like every WebRTC test here it must run inside scripts/test.sh's network namespace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './janus';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags from /work/shared/notes/testing-webrtc.md (+ real host candidates, no mDNS names:
 *  Janus is configured with ignore_mdns). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export interface DemoServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts scripts/demo-server.js in this process (port 0 = any free port). */
export function startDemoServer(options: { port?: number; host?: string; janus?: string; janusPort?: number } = {}): Promise<DemoServer> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(path.join(REPO_ROOT, 'scripts/demo-server.js'));
  return mod.startDemoServer(options);
}

/**
 * Runs `use` with the demo pages served against `janus` (its HTTP API URL) and a fresh
 * headless Chromium, and closes both afterwards, whatever happens.
 */
export async function withDemoPages<T>(janus: string, use: (demo: DemoServer, browser: Chromium) => Promise<T>): Promise<T> {
  const demo = await startDemoServer({ port: 0, janus });
  try {
    const browser = await Chromium.launch();
    try {
      return await use(demo, browser);
    } finally {
      await browser.close();
    }
  } finally {
    await demo.close();
  }
}

export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class Chromium {
  /** The page's console messages and errors, for assertions and failure reports. */
  readonly console: string[] = [];

  private constructor(readonly context: BrowserContext, readonly profileDir: string) {}

  static async launch(): Promise<Chromium> {
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 20000,
    });
    return new Chromium(context, profileDir);
  }

  /** Opens a page at `url`, recording its console and uncaught errors. */
  async open(url: string): Promise<Page> {
    const page = await this.context.newPage();
    page.on('console', (m) => this.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.console.push(`pageerror: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  /** The last `n` console lines (for error messages). */
  consoleTail(n = 30): string {
    return this.console.slice(-n).join('\n');
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    fs.rmSync(this.profileDir, { recursive: true, force: true });
  }
}

export interface InboundVideoStats {
  framesDecoded: number;
  /** Width of the last decoded frame (0 before one). */
  frameWidth: number;
  packetsReceived: number;
  bytesReceived: number;
  connectionState: string;
}

/**
 * Reads getStats() of the PeerConnection of a janus.js plugin handle held by the page in
 * the global `handleVar` (the stock demos keep theirs in e.g. `echotest`,
 * `handle.webrtcStuff.pc`). Sums inbound-rtp video; null while there is no PeerConnection.
 */
export async function inboundVideo(page: Page, handleVar: string): Promise<InboundVideoStats | null> {
  return page.evaluate(async (name) => {
    const handle = (globalThis as any)[name] ?? eval(name);
    const pc: any = handle?.webrtcStuff?.pc;
    if (!pc) return null;
    const out = { framesDecoded: 0, frameWidth: 0, packetsReceived: 0, bytesReceived: 0, connectionState: pc.connectionState };
    const stats = await pc.getStats();
    stats.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && (s.kind === 'video' || s.mediaType === 'video')) {
        out.framesDecoded += s.framesDecoded ?? 0;
        out.frameWidth = s.frameWidth ?? out.frameWidth;
        out.packetsReceived += s.packetsReceived ?? 0;
        out.bytesReceived += s.bytesReceived ?? 0;
      }
    });
    return out;
  }, handleVar);
}

/** Polls inboundVideo() until framesDecoded ≥ minFrames; rejects with the last stats. */
export async function waitInboundVideo(page: Page, handleVar: string, minFrames: number, timeoutMs: number): Promise<InboundVideoStats> {
  const deadline = Date.now() + timeoutMs;
  let last: InboundVideoStats | null = null;
  for (;;) {
    last = await inboundVideo(page, handleVar).catch(() => last);
    if (last && last.framesDecoded >= minFrames) return last;
    if (Date.now() > deadline) {
      throw new Error(`inbound video: ${last ? JSON.stringify(last) : 'no PeerConnection'} after ${timeoutMs} ms (wanted ≥ ${minFrames} frames decoded)`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
