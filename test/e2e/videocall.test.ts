// VideoCall end to end, with real media: werift peers call each other through our plugin
// running control-ts/examples/videocall.ts, and through Janus's janus_videocall as the
// reference, loaded in the same Janus (ours under janus.plugin.videocall.ts); then two
// headless Chromium tabs on the stock videocalltest.html call each other through ours
// standing in as janus.plugin.videocall.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromiumAvailable, waitInboundVideo, withDemoPages } from '../helpers/chromium';
import { TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { Kind, WeriftPeer, parsePayload } from '../helpers/werift-peer';
import { PluginScript, ScriptUser } from '../helpers/plugin-script';
import { sleep, until } from '../helpers/wait';
import { connectCall } from './videocall-scripts';

const VIDEOCALL_APP = exampleApp('videocall');

/** Payloads `to` received of `kind` that `from` sent (by run id), and any of its own. */
function heard(to: WeriftPeer, from: WeriftPeer, kind: Kind): { fromPeer: number; own: number } {
  let fromPeer = 0;
  let own = 0;
  for (const rtp of to.received[kind]) {
    const tag = parsePayload(rtp.payload);
    if (tag?.run === from.run) {
      assert.ok(rtp.payload.equals(from.sent[kind][tag.counter]), `${kind} packet ${tag.counter} arrived changed`);
      fromPeer++;
    } else if (tag?.run === to.run) own++;
  }
  return { fromPeer, own };
}

/** Waits until `to` has received `count` more of `from`'s `kind` packets. */
async function waitHeard(to: WeriftPeer, from: WeriftPeer, kind: Kind, count: number, timeoutMs = 8000): Promise<void> {
  const target = heard(to, from, kind).fromPeer + count;
  await until(() => heard(to, from, kind).fromPeer >= target, `${kind}: ${target} packets of the peer`, timeoutMs,
    { detail: () => `got ${heard(to, from, kind).fromPeer}` });
}

function mediaScenarios(label: string, pkg: string, ts: () => TsJanus): void {
  describe(label, function () {
    this.timeout(30000);
    let s: PluginScript;
    let a: ScriptUser;
    let b: ScriptUser;

    beforeEach(async () => {
      s = new PluginScript(ts().janus, pkg);
      a = await s.user('a');
      b = await s.user('b');
      for (const [u, username] of [[a, 'alice'], [b, 'bob']] as const) {
        const registered = (await s.send(u, { request: 'register', username })).plugindata?.data;
        assert.deepEqual(registered, { videocall: 'event', result: { event: 'registered', username } });
      }
      await connectCall(s, a, b, 'bob');
      a.peer!.startSending({ audioPps: 50, videoPps: 30 });
      b.peer!.startSending({ audioPps: 50, videoPps: 30 });
    });
    afterEach(async () => {
      await s.close();
    });

    it('each party gets the other\'s audio, video and data, never its own', async () => {
      await Promise.all([waitHeard(b.peer!, a.peer!, 'audio', 40), waitHeard(b.peer!, a.peer!, 'video', 25),
        waitHeard(a.peer!, b.peer!, 'audio', 40), waitHeard(a.peer!, b.peer!, 'video', 25)]);
      for (const [to, from] of [[a, b], [b, a]] as const) {
        for (const kind of ['audio', 'video'] as const) assert.equal(heard(to.peer!, from.peer!, kind).own, 0, `${to.key} got its own ${kind} back`);
      }
      // The Admin API's view of the call (handle_info's plugin_specific; janus-ts puts the
      // app's part under "app", next to the router's view of the session).
      const specific = (await a.handle.info()).plugin_specific;
      const info = specific.app ?? specific;
      assert.deepEqual([info.state, info.username, info.peer, info.incall], ['incall', 'alice', 'bob', 1], JSON.stringify(info));
      // The data channel: each side's text reaches the other unchanged (resent while the
      // plugin has not yet heard the receiving channel is ready).
      for (const [from, to] of [[a, b], [b, a]] as const) {
        const text = `hello from ${from.key}`;
        let got: string | Buffer | undefined;
        for (let i = 0; i < 10 && got === undefined; i++) {
          from.peer!.sendData(text);
          got = await to.peer!.waitMessage((m) => m === text, 500).catch(() => undefined);
        }
        assert.equal(got, text, `${to.key} got ${from.key}'s data channel text`);
        assert.ok(!from.peer!.messages.includes(text), `${from.key} got its own text back`);
      }
    });

    it('{"request": "set", "audio": false} stops the caller\'s audio to the callee, video goes on; REMB on "bitrate"', async () => {
      await waitHeard(b.peer!, a.peer!, 'audio', 10);
      await s.send(a, { request: 'set', audio: false });
      await sleep(300); // packets in flight
      const audioMark = heard(b.peer!, a.peer!, 'audio').fromPeer;
      await waitHeard(b.peer!, a.peer!, 'video', 25);
      assert.equal(heard(b.peer!, a.peer!, 'audio').fromPeer, audioMark, 'audio kept coming after {"audio": false}');
      await waitHeard(a.peer!, b.peer!, 'audio', 20); // the other way is untouched
      await s.send(a, { request: 'set', audio: true });
      await waitHeard(b.peer!, a.peer!, 'audio', 20);

      const mark = a.peer!.rtcp.length;
      await s.send(a, { request: 'set', bitrate: 96000 });
      await until(() => a.peer!.rembs(mark).some((x) => x > 0 && x <= 96000), 'REMB ≤ 96000 at the caller', 8000,
        { detail: () => `got ${a.peer!.rembs(mark)}` });
    });

    it('{"request": "set", "record": true} records what the user sends', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-vc-rec-'));
      try {
        await s.send(a, { request: 'set', record: true, filename: path.join(dir, 'alice') });
        await a.peer!.waitSent({ audio: a.peer!.sent.audio.length + 60, video: a.peer!.sent.video.length + 36 }); // 1.2 s worth
        await s.send(a, { request: 'set', record: false });
        const files = fs.readdirSync(dir).sort();
        assert.deepEqual(files, ['alice-audio.mjr', 'alice-data.mjr', 'alice-video.mjr']);
        for (const kind of ['audio', 'video'] as const) {
          const bytes = fs.readFileSync(path.join(dir, `alice-${kind}.mjr`));
          const recorded = a.peer!.sent[kind].filter((p) => bytes.includes(p)).length;
          assert.ok(recorded >= (kind === 'audio' ? 30 : 15), `${kind}: ${recorded} sent payloads in the recording`);
          assert.equal(b.peer!.sent[kind].filter((p) => bytes.includes(p)).length, 0, `the peer's ${kind} is not in alice's recording`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('after a hangup no media flows between them', async () => {
      await waitHeard(b.peer!, a.peer!, 'video', 10);
      await s.send(a, { request: 'hangup' });
      await s.waitFor(b, (d, e) => !e.transaction && d?.result?.event === 'hangup');
      // Janus closes both PeerConnections (at its next watchdog tick) and says so.
      await Promise.all([a.handle.waitEvent('hangup', 8000), b.handle.waitEvent('hangup', 8000)]);
      const before = heard(b.peer!, a.peer!, 'video').fromPeer;
      await sleep(1000);
      assert.equal(heard(b.peer!, a.peer!, 'video').fromPeer, before, 'video still flowing after the hangup');
    });
  });
}

describe('e2e: VideoCall with werift peers', function () {
  this.timeout(30000);
  let ts: TsJanus | undefined;

  before(async function () {
    skipUnlessBuilt(this, VIDEOCALL_APP);
    ts = await TsJanus.start({ app: VIDEOCALL_APP, package: 'janus.plugin.videocall.ts', plugins: ['videocall'] });
  });
  after(async () => {
    await ts?.stop();
  });

  mediaScenarios('videocall.ts (janus-ts)', 'janus.plugin.videocall.ts', () => ts!);
  mediaScenarios('janus_videocall (reference)', 'janus.plugin.videocall', () => ts!);
});

describe('e2e: stock videocalltest.html in two Chromium tabs, through videocall.ts', function () {
  this.timeout(60000);
  let ts: TsJanus | undefined;

  before(async function () {
    skipUnlessBuilt(this, VIDEOCALL_APP);
    if (!chromiumAvailable()) this.skip();
    ts = await TsJanus.start({ app: VIDEOCALL_APP, package: 'janus.plugin.videocall' });
  });
  after(async () => {
    await ts?.stop();
  });

  it('alice calls bob, bob answers, both decode the other\'s video and chat on the data channel', async () => {
    await withDemoPages(ts!.janus.httpUrl, async (demo, browser) => {
      const [alice, bob] = [await browser.open(`${demo.url}/videocalltest.html`), await browser.open(`${demo.url}/videocalltest.html`)];
      for (const [page, name] of [[alice, 'alice'], [bob, 'bob']] as const) {
        await page.click('#start');
        await page.fill('#username', name, { timeout: 10000 });
        await page.click('#register');
        await page.waitForSelector('#youok:visible', { timeout: 10000 });
      }
      await alice.fill('#peer', 'bob');
      await alice.click('#call');
      await bob.click('.bootbox button.btn-success', { timeout: 15000 }); // "Answer"
      for (const page of [alice, bob]) {
        const stats = await waitInboundVideo(page, 'videocall', 5, 20000).catch((e) => {
          throw new Error(`${e.message}\nbrowser console:\n${browser.consoleTail()}`);
        });
        assert.equal(stats.connectionState, 'connected');
      }
      await alice.waitForSelector('#datasend:not([disabled])', { timeout: 10000 });
      let got = '';
      for (let i = 0; i < 10 && got !== 'hi bob'; i++) {
        await alice.fill('#datasend', 'hi bob');
        await alice.press('#datasend', 'Enter');
        await sleep(500);
        got = await bob.inputValue('#datarecv');
      }
      assert.equal(got, 'hi bob', "bob's page shows alice's data channel message");
    });
  });
});
