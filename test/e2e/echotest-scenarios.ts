/**
 * The EchoTest scenarios, written once and run against every EchoTest implementation:
 * Janus's native janus.plugin.echotest and janus_lua + echotest.lua (the references) and
 * our plugin running control-ts/examples/echotest.ts. A target says how to start Janus
 * and where the implementations legitimately differ (text echo prefix, keyframe request,
 * recordings folder). Clients are werift peers sending tagged RTP (see werift-peer.ts)
 * and headless Chromium on the stock echotest.html.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromiumAvailable, waitInboundVideo, withDemoPages } from '../helpers/chromium';
import { Janus, JanusHandle, JanusSession } from '../helpers/janus';
import { Kind, WeriftPeer } from '../helpers/werift-peer';
import { sleep, until } from '../helpers/wait';

export interface EchoTarget {
  /** Starts Janus with the implementation loaded; calls ctx.skip() when it cannot exist yet. */
  start(ctx: Mocha.Context): Promise<Janus>;
  /** Plugin package the client attaches to. */
  package: string;
  /** Query string for the stock echotest.html (e.g. '?plugin=lua'); default none. */
  pageQuery?: string;
  /** The text the plugin sends back for `text` on the data channel. */
  textEcho(text: string): string;
  /** Whether the plugin echoes the client's first text, sent as the channel opens (before
   *  Janus's data_ready): the native EchoTest and ours do; janus_lua/janus_duktape scripts
   *  (and our runs of them) drop what they send before dataReady. */
  echoesFirstText?: boolean;
  /** Whether the plugin takes {"keyframe": true} (the Lua echotest's request; the native
   *  plugin refuses it as an unsupported attribute). */
  keyframeRequest?: boolean;
  /** Folder the plugin puts recordings in, when it ignores absolute filenames (echotest.lua
   *  records under /tmp); the filename sent is then relative to it. */
  recordFolder?: string;
  /** Called after each Janus stop (e.g. to stop an app process). */
  cleanup?(): Promise<void>;
}

/** One connected client: Janus session + handle + werift peer, media flowing both ways. */
export interface EchoCall {
  session: JanusSession;
  handle: JanusHandle;
  peer: WeriftPeer;
}

export async function startCall(janus: Janus, pkg: string, opts = { audio: true, video: true, data: true }): Promise<EchoCall> {
  const session = await janus.createSession();
  const handle = await session.attach(pkg);
  const peer = new WeriftPeer(opts);
  try {
    const offer = await peer.offer();
    // `data` is the Lua echotest's request (its valves start closed); the native plugin ignores it.
    const { data, jsep } = await handle.send({ audio: opts.audio, video: opts.video, data: opts.data }, offer);
    assert.ok(jsep, `the plugin answered the offer with a jsep (data: ${JSON.stringify(data)})`);
    await peer.accept(jsep);
    await peer.connected(8000);
    // No wait for the app: Janus sends webrtcup after the plugin's setup_media, which waits for
    // our app's setupMedia (valves, echo route) as janus_lua runs the script's inside it.
    await handle.waitEvent('webrtcup', 8000);
  } catch (e) {
    await peer.close();
    await session.destroy();
    throw e;
  }
  return { session, handle, peer };
}

/** Lets the last packets come back (at most `ms`): the checks that follow name any that do not. */
export async function lastEchoes(peer: WeriftPeer, ms = 3000): Promise<void> {
  const allBack = (kind: Kind) => new Set(peer.echoed(kind).map((p) => p.counter)).size >= peer.sent[kind].length;
  await until(() => allBack('audio') && allBack('video'), 'every packet echoed', ms).catch(() => undefined);
}

export async function endCall(call: EchoCall | undefined): Promise<void> {
  if (!call) return;
  await call.peer.close();
  await call.session.destroy();
}

/**
 * Checks that every packet sent of `kind` came back with its payload intact, except up to
 * `inFlight` of the last ones; returns how many came back.
 */
function assertEchoedIntact(peer: WeriftPeer, kind: Kind, inFlight = 3): number {
  const sent = peer.sent[kind];
  const got = new Map<number, Buffer>();
  for (const { counter, payload } of peer.echoed(kind)) {
    assert.ok(counter < sent.length, `${kind} echo with counter ${counter} that was never sent`);
    assert.ok(payload.equals(sent[counter]), `${kind} packet ${counter}: payload changed on the way back`);
    got.set(counter, payload);
  }
  const missing = [];
  for (let i = 0; i < sent.length - inFlight; i++) if (!got.has(i)) missing.push(i);
  assert.deepEqual(missing, [], `${kind}: ${missing.length} of ${sent.length} packets never came back`);
  return got.size;
}

/**
 * Checks the echoed headers of `kind`: one SSRC, and sequence numbers and timestamps that
 * advance exactly as the sent ones did (an echo rewrites nothing but may shift offsets).
 */
function assertHeadersContinuous(peer: WeriftPeer, kind: Kind, clockPerPacket: number): void {
  const echoed = peer.echoed(kind);
  const first = echoed[0];
  assert.ok(first, `no ${kind} echo`);
  const ssrcs = new Set(echoed.map((p) => p.rtp.ssrc));
  assert.equal(ssrcs.size, 1, `${kind} echo came with SSRCs ${[...ssrcs]}`);
  for (const p of echoed) {
    const d = p.counter - first.counter;
    assert.equal((p.rtp.seq - first.rtp.seq) & 0xffff, d & 0xffff, `${kind} packet ${p.counter}: sequence number not continuous`);
    assert.equal((p.rtp.timestamp - first.rtp.timestamp) >>> 0, (d * clockPerPacket) >>> 0, `${kind} packet ${p.counter}: timestamp not continuous`);
  }
}

export function echotestScenarios(name: string, target: EchoTarget): void {
  describe(name, function () {
    this.timeout(30000);
    let janus: Janus | undefined;
    let call: EchoCall | undefined;

    before(async function () {
      janus = await target.start(this);
    });
    after(async () => {
      await janus?.stop();
      await target.cleanup?.();
    });
    afterEach(async function () {
      await endCall(call);
      call = undefined;
      if (this.currentTest?.state === 'failed' && janus) console.log(`Janus log tail:\n${janus.logTail(30)}`);
    });

    it('echoes every audio and video RTP packet with its payload intact', async () => {
      call = await startCall(janus!, target.package);
      const { peer } = call;
      peer.startSending({ audioPps: 50, videoPps: 30 });
      await peer.waitSent({ audio: 100, video: 60 }); // 2 s worth, however late the timers run
      peer.stopSending();
      await lastEchoes(peer);
      assert.ok(peer.sent.audio.length >= 80 && peer.sent.video.length >= 45, 'sent enough packets');
      const audio = assertEchoedIntact(peer, 'audio');
      const video = assertEchoedIntact(peer, 'video');
      assert.ok(audio >= peer.sent.audio.length - 3 && video >= peer.sent.video.length - 3);
      assertHeadersContinuous(peer, 'audio', 960);
      assertHeadersContinuous(peer, 'video', 3000);
      const rtt = [...peer.roundTrips('audio'), ...peer.roundTrips('video')].sort((x, y) => x - y);
      const pct = (q: number) => rtt[Math.min(rtt.length - 1, Math.floor(q * rtt.length))];
      console.log(`      echo round trip over ${rtt.length} packets: p50 ${pct(0.5).toFixed(2)} ms, p95 ${pct(0.95).toFixed(2)} ms, max ${rtt[rtt.length - 1].toFixed(2)} ms`);
      assert.ok(pct(0.5) < 50, `median echo round trip ${pct(0.5).toFixed(2)} ms (loopback: should be a few ms)`);
    });

    it('echoes data channel text with the plugin prefix and binary unchanged', async () => {
      call = await startCall(janus!, target.package);
      const { peer } = call;
      // The channel opens on our side (DCEP ack) a moment before Janus tells the plugin it
      // is ready; the Lua and Duktape plugins drop what they would send before that
      // ("Datachannel not ready yet"): resend, each time with a new text, until one comes
      // back. Plugins that answer at once (echoesFirstText) must echo the first.
      const texts: string[] = [];
      let reply: string | Buffer | undefined;
      for (let attempt = 0; attempt < 10 && reply === undefined; attempt++) {
        const text = `hello ${attempt} ${randomBytes(4).toString('hex')}`;
        texts.push(text);
        peer.sendData(text);
        reply = await peer.waitMessage((m) => typeof m === 'string', 500).catch(() => undefined);
      }
      assert.ok(typeof reply === 'string', `no text came back for ${texts.length} messages`);
      const echoed = texts.find((t) => reply === target.textEcho(t));
      assert.ok(echoed, `text echo ${JSON.stringify(reply)} is none of ${JSON.stringify(texts.map(target.textEcho))}`);
      if (target.echoesFirstText) assert.equal(echoed, texts[0], 'the first text, sent as the channel opened, came back');
      const bin = randomBytes(64);
      peer.sendData(bin);
      const back = await peer.waitMessage((m) => Buffer.isBuffer(m));
      assert.ok(Buffer.isBuffer(back) && back.equals(bin), 'binary message echoed byte for byte');
    });

    it('stops the video echo on {"video": false} while audio continues, and resumes it', async () => {
      call = await startCall(janus!, target.package);
      const { peer, handle } = call;
      peer.startSending({ audioPps: 50, videoPps: 30 });
      await peer.waitReceived('video', 10, 4000);

      await handle.send({ video: false });
      await sleep(300); // packets already in flight may still come back
      const videoMark = peer.sent.video.length;
      const audioBefore = peer.echoed('audio').length;
      await peer.waitSent({ video: videoMark + 36 }); // 1.2 s of video sent after the mark
      await until(() => peer.echoed('audio').length - audioBefore >= 40, 'audio kept coming back', 10000);
      const videoAfterOff = peer.echoed('video').filter((p) => p.counter >= videoMark);
      assert.equal(videoAfterOff.length, 0, `video kept coming back after {"video": false}`);
      assert.ok(peer.sent.video.length - videoMark >= 25, 'video was still being sent');
      assert.ok(peer.echoed('audio').length - audioBefore >= 40, 'audio kept coming back');

      await handle.send({ video: true });
      const resumeMark = peer.sent.video.length;
      const resumed = () => peer.echoed('video').filter((p) => p.counter >= resumeMark).length;
      await until(() => resumed() >= 15, 'video echo resumed after {"video": true}', 10000, { detail: () => `${resumed()} packets` });
      peer.stopSending();
    });

    it('caps the bitrate with REMB on {"bitrate": N} and sends a PLI when video resumes', async () => {
      call = await startCall(janus!, target.package);
      const { peer, handle } = call;
      peer.startSending({ audioPps: 50, videoPps: 30 });
      await peer.waitReceived('video', 5, 4000);

      const mark = peer.rtcp.length;
      await handle.send({ bitrate: 96000 });
      await until(() => peer.rembs(mark).some((b) => b > 0 && b <= 96000), 'REMB at most 96000 bps after {"bitrate": 96000}', 8000,
        { detail: () => `got ${JSON.stringify(peer.rembs(mark))}` });

      const requests: Record<string, unknown>[] = [{ video: false }, { video: true }];
      if (target.keyframeRequest) requests.push({ keyframe: true });
      for (const request of requests) {
        const pliMark = peer.rtcp.length;
        await handle.send(request);
        if (request.video === false) continue;
        await until(() => peer.plis('video', pliMark) >= 1, `a PLI reached the video sender after ${JSON.stringify(request)}`, 8000, {
          detail: () => `RTCP since: ${peer.rtcp.slice(pliMark).map((r) => `${r.kind}:${r.packet.constructor.name}/${(r.packet as any).feedback?.constructor?.name ?? ''}`).join(' ')}`,
        });
      }
      peer.stopSending();
    });

    it('records audio and video to .mjr files on {"record": true, "filename": ...}', async () => {
      call = await startCall(janus!, target.package);
      const { peer, handle } = call;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-rec-'));
      try {
        const base = path.join(dir, 'echo');
        const filename = target.recordFolder ? path.relative(target.recordFolder, base) : base;
        await handle.send({ record: true, filename });
        peer.startSending({ audioPps: 50, videoPps: 30 });
        await peer.waitSent({ audio: 60, video: 36 }); // 1.2 s worth
        await handle.send({ record: false });
        peer.stopSending();
        await sleep(200);
        const files = fs.readdirSync(dir).filter((f) => f.endsWith('.mjr'));
        for (const medium of ['audio', 'video']) {
          const file = files.find((f) => f.startsWith(`echo-${medium}`));
          assert.ok(file, `a ${medium} recording among ${JSON.stringify(files)}`);
          const bytes = fs.readFileSync(path.join(dir, file));
          assert.equal(bytes.subarray(0, 8).toString('latin1'), 'MJR00002', `${file} is a Janus recording`);
          // Every RTP packet sent while recording ends up in the file, payload and all.
          const sent = peer.sent[medium as 'audio' | 'video'];
          const recorded = sent.filter((payload) => bytes.includes(payload));
          assert.ok(recorded.length >= (medium === 'audio' ? 40 : 20),
            `${file}: ${recorded.length} of ${sent.length} sent payloads recorded (${bytes.length} bytes)`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('stock echotest.html in headless Chromium decodes the echoed video and echoes its data channel text', async function () {
      if (!chromiumAvailable()) this.skip(); // setup.sh installs it; only a bare machine lacks it
      await withDemoPages(janus!.httpUrl, async (demo, browser) => {
        const page = await browser.open(`${demo.url}/echotest.html${target.pageQuery ?? ''}`);
        await page.click('#start', { timeout: 10000 });
        const stats = await waitInboundVideo(page, 'echotest', 5, 15000).catch((e) => {
          throw new Error(`${e.message}\nbrowser console:\n${browser.consoleTail()}`);
        });
        assert.ok(stats.framesDecoded >= 5 && stats.packetsReceived > 0, JSON.stringify(stats));
        assert.equal(stats.connectionState, 'connected');

        // The page's data channel box: type, Enter, read the echo in #datarecv. Resend
        // while the plugin has not yet heard the channel is ready (see the data test).
        await page.waitForSelector('#datasend:not([disabled])', { timeout: 10000 });
        let echoed = '';
        const sentTexts: string[] = [];
        for (let attempt = 0; attempt < 10 && !echoed; attempt++) {
          const text = `from chromium ${attempt} ${randomBytes(3).toString('hex')}`;
          sentTexts.push(text);
          await page.fill('#datasend', text);
          await page.press('#datasend', 'Enter');
          const deadline = Date.now() + 700;
          while (!echoed && Date.now() < deadline) {
            echoed = await page.inputValue('#datarecv');
            if (!echoed) await sleep(50);
          }
        }
        assert.ok(sentTexts.some((t) => echoed === target.textEcho(t)),
          `#datarecv shows ${JSON.stringify(echoed)}, not an echo of ${JSON.stringify(sentTexts)}`);
      });
    });
  });
}
