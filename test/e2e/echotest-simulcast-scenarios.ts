/**
 * EchoTest simulcast scenarios, written once to run against every EchoTest: Janus's native
 * janus.plugin.echotest now (the reference), our plugin with the echotest app once the
 * router switches substreams (issue 11, phase B).
 * - werift: a SimulcastPublisher (sendrecv) sends three VP8 substreams; the echo is one
 *   substream from a key frame; {"substream": 0} switches it at a key frame of 0 with one
 *   continuous stream, and the plugin reports the substream in an event.
 * - Chromium: the stock echotest.html?simulcast=true; the page's SL buttons send
 *   {substream: N} and Chromium keeps decoding the echo at that substream's width.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { chromiumAvailable, waitInboundVideo, withDemoPages } from '../helpers/chromium';
import { Janus } from '../helpers/janus';
import { SimulcastPublisher, type ReceivedVideo } from '../helpers/simulcast-peer';
import { assertContinuous, assertSwitchesAtKeyframes } from './media-scenarios';

export interface EchoSimulcastTarget {
  start(ctx: Mocha.Context): Promise<Janus>;
  package: string;
  /** Query string the stock page needs besides simulcast=true (e.g. '&plugin=...'). */
  pageQuery?: string;
  cleanup?(): Promise<void>;
}

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

const echoedVideo = (peer: SimulcastPublisher): ReceivedVideo[] =>
  peer.received.filter((p) => p.tag?.run === peer.run).map((p) => ({ at: 0, tid: p.tag!.tid, ...p }));

export function echotestSimulcastScenarios(name: string, target: EchoSimulcastTarget): void {
  describe(name, function () {
    this.timeout(60000);
    let janus: Janus | undefined;
    before(async function () { janus = await target.start(this); });
    after(async () => { await janus?.stop(); await target.cleanup?.(); });

    it('werift: echoes one substream from a key frame, {"substream": 0} switches it with one continuous stream', async () => {
      const session = await janus!.createSession();
      const peer = new SimulcastPublisher({ mode: 'rid', sendrecv: true });
      try {
        const handle = await session.attach(target.package);
        const { jsep } = await handle.send({ audio: true, video: true }, await peer.offer(), 10000);
        await peer.accept(jsep!);
        await peer.connected();
        peer.startSending({ fps: 15 });
        const waitEcho = async (pred: (v: ReceivedVideo[]) => boolean, what: string) => {
          const deadline = Date.now() + 10000;
          while (!pred(echoedVideo(peer))) {
            if (Date.now() > deadline) throw new Error(`${what}: not within 10 s (${peer.received.length} packets)`);
            await new Promise((r) => setTimeout(r, 20));
          }
        };
        await waitEcho((v) => v.filter((p) => p.tag?.sub === 2).length >= 20, 'substream 2 echoed');
        const mark = echoedVideo(peer).length;
        await handle.send({ substream: 0 });
        const event = await session.waitEvent((e) => e.sender === handle.id && e.plugindata?.data?.substream === 0, 8000);
        assert.equal(event.plugindata.data.echotest, 'event');
        await waitEcho((v) => v.slice(mark).filter((p) => p.tag?.sub === 0).length >= 20, 'substream 0 echoed');
        const video = echoedVideo(peer);
        const at = mark + video.slice(mark).findIndex((p) => p.tag?.sub === 0);
        assert.ok(video.slice(at).every((p) => p.tag?.sub === 0), 'only substream 0 after the switch');
        assertSwitchesAtKeyframes(video);
        assertContinuous(video);
      } finally {
        await peer.close();
        await session.destroy();
      }
    });

    it('Chromium: the stock page decodes the echo while its SL buttons switch substreams', async function () {
      if (!chromiumAvailable()) this.skip();
      await withDemoPages(janus!.httpUrl, async (demo, browser) => {
        const page = await browser.open(`${demo.url}/echotest.html?simulcast=true${target.pageQuery ?? ''}`);
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
      });
    });
  });
}
