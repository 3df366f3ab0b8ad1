// The stock echotest.html with ?simulcast=true in headless Chromium: janus.js offers three
// rid encodings, the page's SL buttons send {substream: N}, and Chromium keeps decoding the
// echoed video at the substream's resolution. Run against Janus's native
// janus.plugin.echotest (the reference); the janus-ts EchoTest joins once the router
// switches substreams (issue 11, phase B).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { Chromium, chromiumAvailable, startDemoServer, waitInboundVideo } from '../helpers/chromium';
import { Janus } from '../helpers/janus';

interface VideoState { framesDecoded: number; frameWidth: number; sentRids: Record<string, number> }

/** Decoded frames and width of the echoed video, and the frames Chromium encoded per rid. */
async function videoState(page: Page): Promise<VideoState> {
  return page.evaluate(async () => {
    const pc: any = (globalThis as any).echotest?.webrtcStuff?.pc;
    const out = { framesDecoded: 0, frameWidth: 0, sentRids: {} as Record<string, number> };
    if (!pc) return out;
    (await pc.getStats()).forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') { out.framesDecoded += s.framesDecoded ?? 0; out.frameWidth = s.frameWidth ?? 0; }
      if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid) out.sentRids[s.rid] = s.framesEncoded ?? 0;
    });
    return out;
  });
}

async function waitState(page: Page, pred: (s: VideoState) => boolean, timeoutMs: number, what: string): Promise<VideoState> {
  const deadline = Date.now() + timeoutMs;
  let s = await videoState(page);
  while (!pred(s)) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms, last ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 250));
    s = await videoState(page);
  }
  return s;
}

describe('e2e: stock echotest.html?simulcast=true on the native janus.plugin.echotest (reference)', function () {
  this.timeout(60000);
  let janus: Janus | undefined;
  before(async () => { janus = await Janus.start({ plugins: ['echotest'] }); });
  after(async () => { await janus?.stop(); });

  it('decodes the echoed video while the page switches substreams, at each substream\'s width', async function () {
    if (!chromiumAvailable()) this.skip();
    const demo = await startDemoServer({ port: 0, janus: janus!.httpUrl });
    const browser = await Chromium.launch();
    try {
      const page = await browser.open(`${demo.url}/echotest.html?simulcast=true`);
      await page.click('#start', { timeout: 10000 });
      await waitInboundVideo(page, 'echotest', 10, 20000).catch((e) => {
        throw new Error(`${e.message}\nbrowser console:\n${browser.consoleTail()}`);
      });
      const sending = await waitState(page, (s) => Object.keys(s.sentRids).length >= 2, 10000, 'Chromium encodes several rids');
      await page.waitForSelector('#sl-0', { timeout: 10000 });
      const top = await waitState(page, (s) => s.frameWidth > 0, 10000, 'a frame width');
      for (const sl of [0, 1, 2]) {
        await page.click(`#sl-${sl}`);
        // The page marks the button once the plugin reports the substream (or the closest one flowing).
        await page.waitForSelector(`#sl-${sl}.btn-success, #sl-${sl}.btn-info`, { timeout: 10000 });
        const before = (await videoState(page)).framesDecoded;
        const s = await waitState(page, (x) => x.framesDecoded >= before + 20, 15000, `frames after SL ${sl}`);
        console.log(`      SL ${sl}: width ${s.frameWidth}, encoded per rid ${JSON.stringify(s.sentRids)}`);
        if (sl === 0) assert.ok(s.frameWidth < top.frameWidth, `substream 0 is narrower (${s.frameWidth} < ${top.frameWidth})`);
      }
      assert.ok(Object.keys(sending.sentRids).length >= 2);
    } finally {
      await browser.close();
      await demo.close();
    }
  });
});
