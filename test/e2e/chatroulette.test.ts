// ChatRoulette end to end: control-ts/examples/chatroulette.ts in our plugin, werift users
// sending tagged RTP (who sees whom is read from the payloads each one receives), and two
// headless Chromium tabs on our demos/chatroulette.html page with the stock janus.js.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { chromiumAvailable, waitInboundVideo, withDemoPages } from '../helpers/chromium';
import { TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { Kind, PeerOptions, WeriftPeer, parsePayload } from '../helpers/werift-peer';
import { PluginScript, ScriptUser } from '../helpers/plugin-script';
import { sleep, until } from '../helpers/wait';

const APP = exampleApp('chatroulette');
const PKG = 'janus.plugin.chatroulette';

/** The user's handle sends {name} with a werift offer; its PeerConnection comes up and sends media. */
async function join(s: PluginScript, u: ScriptUser, name: string, options: PeerOptions = {}): Promise<void> {
  u.peer = new WeriftPeer(options);
  const reply = await s.send(u, { name }, await u.peer.offer());
  assert.deepEqual(reply.plugindata?.data, { chatroulette: 'event', result: 'ok' });
  assert.equal(reply.jsep?.type, 'answer');
  await u.peer.accept(reply.jsep);
  await u.peer.connected(10000);
  u.peer.startSending({ audioPps: 50, videoPps: 30 });
}

const matched = (name: string) => (d: any) => d?.matched === true && d.name === name;
const alone = (d: any) => d?.matched === false;

/** Whose payloads (run ids) `u` received of `kind` from index `from` on. */
function runs(u: ScriptUser, kind: Kind, from: number): number[] {
  return u.peer!.received[kind].slice(from).map((p) => parsePayload(p.payload)?.run ?? -1);
}

/**
 * Waits until `u` receives `source`'s audio and video, then checks that the next 20
 * packets of each kind it receives (≥ 0.6 s of media) are all `source`'s (its partner, or
 * itself when alone).
 */
async function seesOnly(u: ScriptUser, source: ScriptUser): Promise<void> {
  for (const kind of ['audio', 'video'] as const) {
    const mark = u.peer!.received[kind].length;
    await until(() => runs(u, kind, mark).filter((r) => r === source.peer!.run).length >= 10, `${u.key} gets ${source.key}'s ${kind}`);
  }
  const marks = { audio: u.peer!.received.audio.length, video: u.peer!.received.video.length };
  await until(() => u.peer!.received.audio.length - marks.audio >= 20 && u.peer!.received.video.length - marks.video >= 20,
    `${u.key} kept receiving audio and video`);
  for (const kind of ['audio', 'video'] as const) {
    const got = runs(u, kind, marks[kind]);
    assert.ok(got.every((r) => r === source.peer!.run), `${u.key} gets ${kind} of others than ${source.key}`);
  }
}

/** `from`'s data channel text reaches `to` (resent while the channel is not ready on Janus's side yet). */
async function chats(from: ScriptUser, to: ScriptUser): Promise<void> {
  const text = `${from.key} says ${randomBytes(3).toString('hex')}`;
  let got: unknown;
  for (let i = 0; i < 10 && got === undefined; i++) {
    from.peer!.sendData(text);
    got = await to.peer!.waitMessage((m) => m === text, 500).catch(() => undefined);
  }
  assert.equal(got, text, `${to.key} got ${from.key}'s text`);
}

describe('e2e: ChatRoulette (chatroulette.ts) with werift users', function () {
  this.timeout(90000);
  let ts: TsJanus | undefined;
  let s: PluginScript;

  before(async function () {
    skipUnlessBuilt(this, APP);
    ts = await TsJanus.start({ app: APP, package: PKG });
  });
  after(async () => {
    await ts?.stop();
  });
  beforeEach(() => {
    s = new PluginScript(ts!.janus, PKG);
  });
  afterEach(async function () {
    await s.close();
    if (this.currentTest?.state === 'failed' && ts) console.log(`Janus log tail:\n${ts.janus.logTail(40)}`);
  });

  it('three users: alone, matched, rematched after a hangup, a remembered reject, a detach', async () => {
    const [a, b, c] = [await s.user('a'), await s.user('b'), await s.user('c')];

    await join(s, a, 'alice');
    await s.waitFor(a, alone);
    await seesOnly(a, a); // alone: one's own media back

    await join(s, b, 'bob');
    await Promise.all([s.waitFor(a, matched('bob')), s.waitFor(b, matched('alice'))]);
    await Promise.all([seesOnly(a, b), seesOnly(b, a)]);
    await chats(a, b);
    await chats(b, a);
    await s.send(b, { name: 'bobby' }); // a rename reaches the partner
    await s.waitFor(a, matched('bobby'));

    await join(s, c, 'carol');
    await s.waitFor(c, alone);
    await seesOnly(c, c);
    c.peer!.sendData('anyone there?');
    await sleep(600);
    assert.ok(!c.peer!.messages.includes('anyone there?'), 'alone, the data channel is not echoed');

    // bob's PeerConnection goes down: alice is rematched with carol.
    await b.handle.hangup();
    await Promise.all([s.waitFor(a, matched('carol')), s.waitFor(c, matched('alice'))]);
    await Promise.all([seesOnly(a, c), seesOnly(c, a)]);

    // bob comes back on the same handle: nobody is free.
    await b.peer!.close();
    await join(s, b, 'bob');
    await s.waitFor(b, alone);
    await seesOnly(b, b);

    // alice rejects carol: both look again; bob is the only one free, so one of them gets him.
    await s.send(a, { reject: true });
    const bobs = await s.waitFor(b, (d) => d?.matched === true);
    const partner = bobs.plugindata.data.name === 'alice' ? a : c;
    const other = partner === a ? c : a;
    assert.ok(bobs.plugindata.data.name === 'alice' || bobs.plugindata.data.name === 'carol');
    await s.waitFor(partner, matched('bob'));
    await s.waitFor(other, alone);
    await Promise.all([seesOnly(b, partner), seesOnly(partner, b), seesOnly(other, other)]);
    await chats(partner, b);

    // bob leaves for good: his partner is free again, but alice and carol stay apart.
    const marks = [s.events(a).length, s.events(c).length];
    await b.handle.detach();
    await s.waitFor(partner, alone);
    await Promise.all([seesOnly(a, a), seesOnly(c, c)]);
    const rematched = [...s.events(a).slice(marks[0]), ...s.events(c).slice(marks[1])].filter((e) => e.plugindata?.data?.matched === true);
    assert.deepEqual(rematched, [], 'alice and carol, who rejected each other, were matched again');
  });

  it('clients that number their codecs differently are not matched; {"bitrate": N} caps with REMB; bad requests get error codes', async () => {
    const a = await s.user('a');
    const d = await s.user('d');
    const fresh = await s.user('fresh');
    await join(s, a, 'alice');
    await s.waitFor(a, alone);
    await join(s, d, 'dora', { payloadTypes: { audio: 111, video: 96 } }); // as Chromium numbers them
    await s.waitFor(d, alone);
    await Promise.all([seesOnly(a, a), seesOnly(d, d)]);
    assert.ok(![...s.events(a), ...s.events(d)].some((e) => e.plugindata?.data?.matched === true), 'alice and dora were matched');
    const mark = a.peer!.rtcp.length;
    assert.deepEqual((await s.send(a, { bitrate: 64000 })).plugindata.data, { chatroulette: 'event', result: 'ok' });
    await until(() => a.peer!.rembs(mark).some((x) => x > 0 && x <= 64000), 'REMB ≤ 64000', 8000, { detail: () => `got ${a.peer!.rembs(mark)}` });

    const error = async (u: ScriptUser, body: Record<string, unknown>, jsep?: { type: string; sdp: string }) =>
      (await s.send(u, body, jsep)).plugindata.data;
    assert.deepEqual(await error(a, { reject: true }), { chatroulette: 'event', error_code: 493, error: 'Not matched with anyone' });
    assert.deepEqual(await error(a, { name: 5 }), { chatroulette: 'event', error_code: 491, error: 'Invalid element type (name should be a non-empty string)' });
    assert.deepEqual(await error(a, { name: '' }), { chatroulette: 'event', error_code: 491, error: 'Invalid element type (name should be a non-empty string)' });
    assert.deepEqual(await error(a, { bitrate: -1 }), { chatroulette: 'event', error_code: 491, error: 'Invalid element type (bitrate should be a positive integer)' });
    assert.deepEqual(await error(fresh, {}, await s.spareOffer()), { chatroulette: 'event', error_code: 490, error: 'Missing mandatory element (name)' });
  });
});

/** Polls the text of `selector` until `ok` accepts it. */
async function waitText(page: Page, selector: string, ok: (text: string) => boolean, timeoutMs: number): Promise<void> {
  let text = '';
  await until(async () => ok(text = (await page.textContent(selector)) ?? ''), `${selector} as expected`, timeoutMs,
    { everyMs: 100, detail: () => `it shows ${JSON.stringify(text)}` });
}

describe('e2e: demos/chatroulette.html in two Chromium tabs', function () {
  this.timeout(60000);
  let ts: TsJanus | undefined;

  before(async function () {
    skipUnlessBuilt(this, APP);
    if (!chromiumAvailable()) this.skip();
    ts = await TsJanus.start({ app: APP, package: PKG });
  });
  after(async () => {
    await ts?.stop();
  });

  it('two pages are matched, decode each other\'s video, show the name and chat', async () => {
    await withDemoPages(ts!.janus.httpUrl, async (demo, browser) => {
      const pages = [await browser.open(`${demo.url}/chatroulette.html`), await browser.open(`${demo.url}/chatroulette.html`)];
      const names = ['anna', 'ben'];
      for (const [i, page] of pages.entries()) {
        await page.click('#start');
        await page.fill('#name', names[i], { timeout: 10000 });
        await page.click('#join');
      }
      for (const [i, page] of pages.entries()) {
        await waitText(page, '#peername', (t) => t === names[1 - i], 20000)
          .catch((e) => { throw new Error(`${e.message}\nbrowser console:\n${browser.consoleTail()}`); });
        const stats = await waitInboundVideo(page, 'roulette', 5, 20000);
        assert.equal(stats.connectionState, 'connected');
      }
      let log = '';
      for (let i = 0; i < 10 && !log.includes('hello ben'); i++) {
        await pages[0].fill('#chatinput', 'hello ben');
        await pages[0].press('#chatinput', 'Enter');
        await sleep(500);
        log = await pages[1].textContent('#chatlog') ?? '';
      }
      assert.match(log, /anna: hello ben/, "ben's page shows anna's message with her name");
      await pages[1].click('#reject');
      await Promise.all(pages.map((page) => waitText(page, '#status', (t) => t.startsWith('Waiting'), 10000)));
    });
  });
});
