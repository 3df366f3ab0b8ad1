/**
 * Media-feature scenarios of a VideoRoom, written once to run against every VideoRoom
 * implementation: Janus's native janus.plugin.videoroom now (the reference), the janus-ts
 * VideoRoom app once it routes simulcast (issue 11, phase B). Clients are werift peers from
 * test/helpers/simulcast-peer.ts: a publisher sending three VP8 simulcast substreams
 * (rids or an SSRC group) with real payload descriptors and opus with the audio-level
 * extension, and subscribers recording every packet with its tag.
 *
 * What the scenarios check, on the VideoRoom protocol (join/publish/subscribe/configure):
 * - simulcast: a subscriber gets one substream, starting with a key frame; after
 *   `configure {substream}` only the new substream, from a key frame on, with one
 *   continuous sequence number, forward timestamps and continuous VP8 picture ids; the
 *   `substream` event; `temporal` caps the VP8 temporal layer; when the publisher stops the
 *   substream a subscriber gets, it falls back to a lower one.
 * - RTP forwarding (media-forwarding.ts): `rtp_forward` of audio and each substream to UDP
 *   sockets of the test, `listforwarders`, `stop_rtp_forward`, forwarders gone with the publisher.
 * - audio levels: with `audiolevel_event`, loud audio gives `talking`, silence
 *   `stopped-talking` (with `audio-level-dBov-avg`).
 */
import assert from 'node:assert/strict';
import { Janus, JanusHandle, JanusSession } from '../helpers/janus';
import { SimulcastPublisher, taggedVideo, type ReceivedVideo, type PublisherOptions } from '../helpers/simulcast-peer';
import { WeriftSubscriber } from '../helpers/werift-subscriber';
import { sleep } from '../helpers/wait';
import { checkForwarding } from './media-forwarding';

export interface RoomTarget {
  /** Starts Janus with the implementation loaded; calls ctx.skip() when it cannot exist yet. */
  start(ctx: Mocha.Context): Promise<Janus>;
  /** Plugin package clients attach to. */
  package: string;
  /** Called after each Janus stop. */
  cleanup?(): Promise<void>;
}


/** Room settings: VP8, talk detection over 25 packets (0.5 s of opus) below level 40. */
export const ROOM = { publishers: 6, videocodec: 'vp8', audiolevel_event: true, audio_active_packets: 25, audio_level_average: 40 };

export interface Publisher { session: JanusSession; handle: JanusHandle; peer: SimulcastPublisher; id: number }
export interface Subscriber {
  session: JanusSession; handle: JanusHandle; peer: WeriftSubscriber; videoMid: string;
  /** The video received so far, tagged. */
  video(): ReceivedVideo[];
  /** Resolves once `pred` holds for the received video. */
  waitVideo(pred: (v: ReceivedVideo[]) => boolean, timeoutMs: number, what: string): Promise<void>;
}

export async function createRoom(janus: Janus, pkg: string, room: number): Promise<void> {
  const session = await janus.createSession();
  try {
    const handle = await session.attach(pkg);
    const { data } = await handle.send({ request: 'create', room, ...ROOM });
    assert.equal(data.videoroom, 'created', JSON.stringify(data));
  } finally {
    await session.destroy();
  }
}

export async function publish(janus: Janus, pkg: string, room: number, options: PublisherOptions = {}): Promise<Publisher> {
  const session = await janus.createSession();
  const peer = new SimulcastPublisher(options);
  try {
    const handle = await session.attach(pkg);
    const joined = await handle.send({ request: 'join', ptype: 'publisher', room, display: 'simulcast publisher' });
    assert.equal(joined.data.videoroom, 'joined', JSON.stringify(joined.data));
    const { data, jsep } = await handle.send({ request: 'publish', audio: true, video: true }, await peer.offer(), 10000);
    assert.ok(jsep, `publish answered with a jsep (${JSON.stringify(data)})`);
    await peer.accept(jsep);
    await peer.connected();
    await handle.waitEvent('webrtcup', 8000);
    return { session, handle, peer, id: joined.data.id };
  } catch (e) {
    await peer.close();
    await session.destroy();
    throw e;
  }
}

export async function subscribe(janus: Janus, pkg: string, room: number, feed: number, stream: Record<string, number> = {}): Promise<Subscriber> {
  const session = await janus.createSession();
  const peer = new WeriftSubscriber();
  try {
    const handle = await session.attach(pkg);
    const { data, jsep } = await handle.send({ request: 'join', ptype: 'subscriber', room, streams: [{ feed, ...stream }] }, undefined, 10000);
    assert.equal(data.videoroom, 'attached', JSON.stringify(data));
    assert.ok(jsep, 'the subscription comes with an offer');
    const videoMid = String(data.streams.find((s: any) => s.type === 'video').mid);
    await handle.send({ request: 'start' }, await peer.answer(jsep), 10000);
    await peer.connected();
    const video = () => taggedVideo(peer.on(videoMid));
    const waitVideo = (pred: (v: ReceivedVideo[]) => boolean, timeoutMs: number, what: string) =>
      peer.until(() => pred(video()), `${what} (${video().length} video packets)`, timeoutMs);
    return { session, handle, peer, videoMid, video, waitVideo };
  } catch (e) {
    await peer.close();
    await session.destroy();
    throw e;
  }
}

async function leave(p: { session: JanusSession; peer: { close(): Promise<void> } } | undefined): Promise<void> {
  if (!p) return;
  await p.peer.close();
  await p.session.destroy();
}

/** Folds consecutive packets of the same substream: [2, 0] for "2 then 0". */
const runsOf = (v: ReceivedVideo[]) => v.map((p) => p.tag?.sub ?? -1).filter((s, i, a) => i === 0 || a[i - 1] !== s);

/** Asserts that the first packet and every packet where the substream changes start a key frame. */
export function assertSwitchesAtKeyframes(video: ReceivedVideo[]): void {
  video.forEach((p, i) => {
    if (i > 0 && p.tag?.sub === video[i - 1].tag?.sub) return;
    assert.deepEqual([p.tag?.key, p.tag?.index], [true, 0], `packet ${i} (substream ${p.tag?.sub}) starts a key frame`);
  });
}

/** Asserts one continuous stream: seq +1, timestamps forward, picture ids +1 per frame. */
export function assertContinuous(video: ReceivedVideo[]): void {
  assert.ok(video.every((p) => p.tag), 'every packet carries a publisher tag');
  assert.equal(new Set(video.map((p) => p.ssrc)).size, 1, 'one SSRC');
  video.slice(1).forEach((p, i) => {
    const prev = video[i];
    assert.equal((p.seq - prev.seq) & 0xffff, 1, `seq continues at packet ${i + 1} (${prev.seq} → ${p.seq})`);
    const dts = (p.ts - prev.ts) >>> 0;
    assert.ok(dts < 2 ** 31, `timestamp goes forward at packet ${i + 1} (${prev.ts} → ${p.ts})`);
  });
  const firsts = video.filter((p) => p.tag!.index === 0);
  firsts.slice(1).forEach((p, i) => {
    assert.equal((p.picId - firsts[i].picId) & 0x7fff, 1, `picture id continues at frame ${i + 1} (${firsts[i].picId} → ${p.picId})`);
  });
}

export function videoroomMediaScenarios(name: string, target: RoomTarget): void {
  describe(name, function () {
    this.timeout(60000);
    let janus: Janus | undefined;
    let pub: Publisher | undefined;
    const subs: Subscriber[] = [];
    let room = 4200;

    before(async function () { janus = await target.start(this); });
    after(async () => { await janus?.stop(); await target.cleanup?.(); });
    beforeEach(async () => { room++; await createRoom(janus!, target.package, room); });
    afterEach(async function () {
      for (const s of subs.splice(0)) await leave(s);
      await leave(pub);
      pub = undefined;
      if (this.currentTest?.state === 'failed' && janus) console.log(`Janus log tail:\n${janus.logTail(40)}`);
    });

    for (const mode of ['rid', 'ssrc'] as const) {
      it(`simulcast by ${mode}: one substream from a key frame, switched by configure with one continuous stream`, async () => {
        pub = await publish(janus!, target.package, room, { mode });
        pub.peer.startSending({ fps: 15 });
        const sub = await subscribe(janus!, target.package, room, pub.id);
        subs.push(sub);
        await sub.waitVideo((v) => v.filter((p) => p.tag?.sub === 2).length >= 20, 10000, 'substream 2 (the default target)');
        // The native plugin starts on the first key frame of any substream, then moves to
        // the target at its key frame: every substream change is at a key frame.
        assertSwitchesAtKeyframes(sub.video());
        assert.equal(runsOf(sub.video()).at(-1), 2);

        const mark = sub.video().length;
        await sub.handle.send({ request: 'configure', streams: [{ mid: sub.videoMid, substream: 0 }] });
        const event = await sub.session.waitEvent((e) => e.sender === sub.handle.id && e.plugindata?.data?.substream === 0, 8000);
        assert.equal(event.plugindata.data.mid, sub.videoMid);
        await sub.waitVideo((v) => v.slice(mark).filter((p) => p.tag?.sub === 0).length >= 20, 8000, 'substream 0 after configure');
        const video = sub.video();
        const after = video.slice(mark);
        const switchAt = after.findIndex((p) => p.tag?.sub === 0);
        assert.deepEqual([after[switchAt].tag?.key, after[switchAt].tag?.index], [true, 0], 'the switch happens on a key frame');
        assert.ok(after.slice(switchAt).every((p) => p.tag?.sub === 0), 'only substream 0 after the switch');
        assert.deepEqual(runsOf(video).slice(-2), [2, 0]);
        assertSwitchesAtKeyframes(video);
        assertContinuous(video);
        assert.ok(pub.peer.keyframeRequests.length >= 2, 'keyframes were asked (subscription, switch)');
      });
    }

    it('temporal: caps the VP8 temporal layer of a subscriber', async () => {
      pub = await publish(janus!, target.package, room);
      pub.peer.startSending({ fps: 15 });
      const sub = await subscribe(janus!, target.package, room, pub.id, { substream: 1 });
      subs.push(sub);
      await sub.waitVideo((v) => v.length >= 30, 10000, 'video');
      assert.ok(sub.video().some((p) => p.tag!.tid === 2), 'all temporal layers at first');
      await sub.handle.send({ request: 'configure', streams: [{ mid: sub.videoMid, temporal: 0 }] });
      await sub.session.waitEvent((e) => e.sender === sub.handle.id && e.plugindata?.data?.temporal === 0, 8000);
      const mark = sub.video().length;
      await sub.waitVideo((v) => v.length - mark >= 20, 10000, 'video goes on'); // ≥ 1.3 s of it
      const after = sub.video().slice(mark);
      assert.ok(after.every((p) => p.tag!.tid === 0), `only temporal layer 0: ${after.map((p) => p.tag!.tid)}`);
      assert.ok(after.every((p) => p.tag!.sub === 1));
    });

    it('falls back to a lower substream when the one a subscriber gets stops', async () => {
      pub = await publish(janus!, target.package, room);
      pub.peer.startSending({ fps: 15 });
      const sub = await subscribe(janus!, target.package, room, pub.id);
      subs.push(sub);
      await sub.waitVideo((v) => v.filter((p) => p.tag?.sub === 2).length >= 10, 10000, 'substream 2');
      const mark = sub.video().length;
      pub.peer.setActive(2, false);
      await sub.waitVideo((v) => v.slice(mark).filter((p) => p.tag?.sub === 1).length >= 10, 8000, 'substream 1 after 2 stopped');
      const video = sub.video();
      assertSwitchesAtKeyframes(video);
      assert.equal(runsOf(video).at(-1), 1);
      assertContinuous(video);
    });

    it('rtp_forward: plain RTP to UDP ports (overrides, a port per substream), listed; stop_rtp_forward and leaving stop it', async () => {
      pub = await publish(janus!, target.package, room);
      pub.peer.startSending({ fps: 15 });
      await checkForwarding(janus!, target.package, room, pub, async () => { await leave(pub); pub = undefined; });
    });

    it('audio levels: talking when loud, stopped-talking when silent', async () => {
      pub = await publish(janus!, target.package, room);
      assert.ok(pub.peer.extensionIds.audioLevel > 0, 'the answer kept the audio-level extension');
      pub.peer.audioLevel = 127;
      pub.peer.startSending({ fps: 5 });
      await sleep(1200);
      const isTalk = (kind: string) => (e: any) => e.sender === pub!.handle.id && e.plugindata?.data?.videoroom === kind;
      assert.equal(pub.session.events.filter(isTalk('talking')).length, 0, 'silence: no talking event');
      pub.peer.audioLevel = 10;
      const talking = await pub.session.waitEvent(isTalk('talking'), 5000);
      assert.equal(talking.plugindata.data.id, pub.id);
      assert.ok(talking.plugindata.data['audio-level-dBov-avg'] < 40);
      pub.peer.audioLevel = 127;
      const stopped = await pub.session.waitEvent(isTalk('stopped-talking'), 5000);
      assert.ok(stopped.plugindata.data['audio-level-dBov-avg'] >= 40);
    });
  });
}
