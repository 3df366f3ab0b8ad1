// The stock Janus demo pages, unchanged, in headless Chromium against our room apps:
// videoroomtest.html and mvideoroomtest.html (two pages each see the other's video,
// decoded) with control-ts/examples/videoroom.ts standing in as janus.plugin.videoroom, and
// textroomtest.html (three pages exchange messages) with textroom.ts as janus.plugin.textroom;
// videoroomtest.html?simulcast=true: a page switches the other's substreams with its buttons
// (against the native janus_videoroom too).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { Chromium, chromiumAvailable, inboundVideo, startDemoServer, type DemoServer } from '../helpers/chromium';
import { until } from '../helpers/wait';
import { Janus } from '../helpers/janus';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { sleep } from '../helpers/wait';
import { TEXTROOM_APP, VIDEOROOM_APP } from './room-clients';

/** Frames decoded by each remote PeerConnection of the page (handles named by `expr`). */
async function decodedFrames(page: Page, expr: string): Promise<number[]> {
  return page.evaluate(async (e) => {
    const handles = ([] as any[]).concat((0, eval)(e) ?? []).filter((h) => h?.webrtcStuff?.pc);
    const out: number[] = [];
    for (const h of handles) {
      let frames = 0;
      (await h.webrtcStuff.pc.getStats()).forEach((s: any) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded ?? 0; });
      out.push(frames);
    }
    return out;
  }, expr);
}

async function waitFrames(page: Page, expr: string, browser: Chromium, what: string, timeoutMs = 25000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let last: number[] = [];
  for (;;) {
    last = await decodedFrames(page, expr).catch(() => last);
    if (last.length > 0 && last.every((f) => f >= 5)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: frames decoded ${JSON.stringify(last)}\n${browser.consoleTail()}`);
    await sleep(300);
  }
}

/** Opens a demo page, presses Start and joins with `name`. */
async function joinPage(browser: Chromium, url: string, name: string): Promise<Page> {
  const page = await browser.open(url);
  await page.click('#start', { timeout: 10000 });
  await page.fill('#username', name, { timeout: 15000 });
  await page.click('#register');
  return page;
}

describe('e2e: stock demo pages in headless Chromium against the room apps', function () {
  this.timeout(120000);

  for (const [pageName, handles] of [['videoroomtest.html', 'feeds'], ['mvideoroomtest.html', 'remoteFeed']] as const) {
    describe(`${pageName} with videoroom.ts as janus.plugin.videoroom`, () => {
      let ts: TsJanus | undefined, demo: DemoServer | undefined, browser: Chromium | undefined;
      before(async function () {
        if (!chromiumAvailable() || missingTsPieces(VIDEOROOM_APP).length) this.skip();
        ts = await TsJanus.start({ app: VIDEOROOM_APP, package: 'janus.plugin.videoroom' });
        demo = await startDemoServer({ port: 0, janus: ts.janus.httpUrl });
        browser = await Chromium.launch();
      });
      after(async () => { await browser?.close(); await demo?.close(); await ts?.stop(); });

      it('two pages join room 1234, publish, and each decodes the other\'s video', async () => {
        const one = await joinPage(browser!, `${demo!.url}/${pageName}`, 'one');
        const two = await joinPage(browser!, `${demo!.url}/${pageName}`, 'two');
        const [a, b] = [await waitFrames(one, handles, browser!, 'page one'), await waitFrames(two, handles, browser!, 'page two')];
        assert.equal(a.length, 1);
        assert.equal(b.length, 1);
      });
    });
  }

  // Our app, and Janus's own janus_videoroom as the reference.
  for (const native of [false, true]) describe(`videoroomtest.html?simulcast=true with ${native ? 'the native janus_videoroom' : 'videoroom.ts as janus.plugin.videoroom'}`, () => {
    let janus: Janus | undefined, ts: TsJanus | undefined, demo: DemoServer | undefined, browser: Chromium | undefined;
    before(async function () {
      if (!chromiumAvailable() || (!native && missingTsPieces(VIDEOROOM_APP).length)) this.skip();
      if (native) janus = await Janus.start({ plugins: ['videoroom'] });
      else janus = (ts = await TsJanus.start({ app: VIDEOROOM_APP, package: 'janus.plugin.videoroom' })).janus;
      demo = await startDemoServer({ port: 0, janus: janus.httpUrl });
      browser = await Chromium.launch();
    });
    after(async () => { await browser?.close(); await demo?.close(); await (ts ? ts.stop() : janus?.stop()); });

    it('page two switches page one\'s substreams with its SL buttons, decoding all along (narrower at SL 0)', async () => {
      // Room 1234 caps publishers at 128 kbps (REMB), under which Chromium sends one substream.
      const session = await janus!.createSession();
      const { data } = await (await session.attach('janus.plugin.videoroom')).send({ request: 'create', room: 4321, bitrate: 3000000 });
      assert.equal(data.videoroom, 'created');
      await session.destroy();
      const url = `${demo!.url}/videoroomtest.html?simulcast=true&room=4321`;
      await joinPage(browser!, url, 'one');
      const two = await joinPage(browser!, url, 'two');
      await waitFrames(two, 'feeds', browser!, 'page two');
      const index: number = await two.evaluate(() => (globalThis as any).feeds.findIndex((f: any) => f?.rfdisplay === 'one'));
      assert.ok(index > 0, 'page two subscribed to page one');
      const feed = `feeds[${index}]`;
      const video = async () => (await inboundVideo(two, feed)) ?? { framesDecoded: 0, frameWidth: 0 };
      // The buttons appear with the first substream event of the subscription.
      await two.waitForSelector(`#sl${index}-0`, { timeout: 15000 });
      await until(async () => (await video()).frameWidth > 0, 'a decoded frame width', 10000);
      const widths: number[] = [];
      for (const sl of [2, 0, 1]) {
        await two.click(`#sl${index}-${sl}`);
        // The page marks the button when the plugin reports that substream (or the closest one flowing).
        await two.waitForSelector(`#sl${index}-${sl}.btn-success, #sl${index}-${sl}.btn-info`, { timeout: 15000 });
        const before = (await video()).framesDecoded;
        await until(async () => (await video()).framesDecoded >= before + 20, `frames decoded after SL ${sl}`, 15000,
          { detail: () => browser!.consoleTail() });
        widths[sl] = (await video()).frameWidth;
      }
      console.log(`      decoded widths by substream: ${JSON.stringify(widths)}`);
      assert.ok(widths[0] < widths[2], `substream 0 is narrower than substream 2 (${widths[0]} < ${widths[2]})`);
    });
  });

  describe('textroomtest.html with textroom.ts as janus.plugin.textroom', () => {
    let ts: TsJanus | undefined, demo: DemoServer | undefined, browser: Chromium | undefined;
    before(async function () {
      if (!chromiumAvailable() || missingTsPieces(TEXTROOM_APP).length) this.skip();
      ts = await TsJanus.start({ app: TEXTROOM_APP, package: 'janus.plugin.textroom' });
      demo = await startDemoServer({ port: 0, janus: ts.janus.httpUrl });
      browser = await Chromium.launch();
    });
    after(async () => { await browser?.close(); await demo?.close(); await ts?.stop(); });

    it('three pages join room 1234 and each sees the others\' messages', async () => {
      const names = ['ann', 'ben', 'cat'];
      const pages: Page[] = [];
      for (const n of names) {
        const p = await joinPage(browser!, `${demo!.url}/textroomtest.html`, n);
        await p.waitForSelector('#datasend:not([disabled])', { timeout: 20000 });
        pages.push(p);
      }
      for (let i = 0; i < pages.length; i++) {
        await pages[i].fill('#datasend', `hello from ${names[i]}`);
        await pages[i].press('#datasend', 'Enter');
      }
      for (let i = 0; i < pages.length; i++) {
        for (let j = 0; j < pages.length; j++) {
          await pages[i].waitForFunction((t) => (globalThis as any).document.querySelector('#chatroom').textContent.includes(t), `${names[j]}: hello from ${names[j]}`, { timeout: 10000 })
            .catch(async () => { throw new Error(`page ${names[i]} lacks ${names[j]}'s message: ${await pages[i].textContent('#chatroom')}\n${browser!.consoleTail()}`); });
        }
      }
    });
  });
});
