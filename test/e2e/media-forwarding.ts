/**
 * The VideoRoom `rtp_forward` scenario of media-scenarios.ts, against any VideoRoom: a
 * publisher's opus and its three VP8 substreams forwarded as plain RTP to UDP sockets of the
 * test (UdpSink), with an SSRC and payload type override on the audio, an SSRC override on
 * substream 0 and one port per substream; `listforwarders` lists them; `stop_rtp_forward`
 * stops one while the others go on; the publisher leaving takes the rest away.
 */
import assert from 'node:assert/strict';
import type { Janus } from '../helpers/janus';
import { videoTag } from '../helpers/simulcast-peer';
import type { RtpView } from '../helpers/rtp-media';
import { UdpSink } from '../helpers/udp-sink';
import { until } from '../helpers/wait';
import type { Publisher } from './media-scenarios';

const AUDIO_SSRC = 777777, AUDIO_PT = 100, VIDEO_SSRC = 888888;

/** Every packet continues the one before it (+1). */
const continuous = (p: RtpView[]) => p.every((x, i) => i === 0 || ((x.seq - p[i - 1].seq) & 0xffff) === 1);

/** The audio packets are the publisher's own (opus TOC, then 'JTSA' and its run id). */
function assertAudio(sink: UdpSink, pub: Publisher): void {
  const p = sink.packets;
  assert.ok(p.every((x) => x.ssrc === AUDIO_SSRC && x.pt === AUDIO_PT), `audio: SSRC ${AUDIO_SSRC}, PT ${AUDIO_PT}`);
  assert.ok(p.every((x) => Buffer.from(x.payload).subarray(1, 5).toString() === 'JTSA'
    && Buffer.from(x.payload).readUInt32BE(5) === pub.peer.run), 'audio: the publisher\'s payload');
  assert.ok(continuous(p), 'audio: one continuous sequence');
}

/** The packets on a substream's port are that substream only, under one SSRC. */
function assertSubstream(sink: UdpSink, pub: Publisher, sub: number, ssrc?: number): void {
  const p = sink.packets;
  const tags = p.map((x) => videoTag(x.payload));
  assert.ok(tags.every((t) => t?.run === pub.peer.run && t.sub === sub), `port of substream ${sub}: ${tags.map((t) => t?.sub)}`);
  assert.equal(new Set(p.map((x) => x.ssrc)).size, 1, `substream ${sub}: one SSRC`);
  if (ssrc !== undefined) assert.equal(p[0].ssrc, ssrc);
  assert.ok(p.every((x) => x.pt === pub.peer.payloadTypes.video), 'video: the negotiated VP8 payload type');
}

async function listed(janus: Janus, pkg: string, room: number): Promise<any[]> {
  const session = await janus.createSession();
  try {
    const { data } = await (await session.attach(pkg)).send({ request: 'listforwarders', room });
    assert.equal(data.videoroom, 'forwarders');
    return data.publishers;
  } finally {
    await session.destroy();
  }
}

/** The scenario; `leave` ends the publisher (its PeerConnection and session). */
export async function checkForwarding(janus: Janus, pkg: string, room: number, pub: Publisher, leave: () => Promise<void>): Promise<void> {
  const [audio, v0, v1, v2] = await Promise.all([0, 1, 2, 3].map(() => UdpSink.open()));
  try {
    const { mids } = pub.peer;
    const { data } = await pub.handle.send({
      request: 'rtp_forward', room, publisher_id: pub.id, host: '127.0.0.1', streams: [
        { mid: mids.audio, port: audio.port, ssrc: AUDIO_SSRC, pt: AUDIO_PT },
        { mid: mids.video, port: v0.port, ssrc: VIDEO_SSRC, port_2: v1.port, port_3: v2.port },
      ],
    });
    assert.equal(data.videoroom, 'rtp_forward', JSON.stringify(data));
    assert.equal(data.publisher_id, pub.id);
    const made = data.forwarders as any[];
    assert.deepEqual(made.map((f) => [f.type, f.port]).sort(), [['audio', audio.port], ['video', v0.port], ['video', v1.port], ['video', v2.port]].sort());
    await Promise.all([audio, v0, v1, v2].map((s) => s.until((p) => p.length >= 20, 'forwarded RTP')));
    assertAudio(audio, pub);
    [v0, v1, v2].forEach((s, sub) => assertSubstream(s, pub, sub, sub === 0 ? VIDEO_SSRC : undefined));

    const before = await listed(janus, pkg, room);
    assert.deepEqual(before.map((p) => p.publisher_id), [pub.id]);
    assert.deepEqual(before[0].forwarders.map((f: any) => f.stream_id).sort(), made.map((f) => f.stream_id).sort());
    const a = made.find((f) => f.type === 'audio');
    assert.deepEqual([a.ssrc, a.pt], [AUDIO_SSRC, AUDIO_PT]);

    const stopped = await pub.handle.send({ request: 'stop_rtp_forward', room, publisher_id: pub.id, stream_id: a.stream_id });
    assert.deepEqual([stopped.data.videoroom, stopped.data.stream_id], ['stop_rtp_forward', a.stream_id]);
    const settle = v0.packets.length;
    await v0.until((p) => p.length >= settle + 5, 'video goes on after stop_rtp_forward');
    const audioMark = audio.packets.length, videoMark = v0.packets.length;
    await v0.until((p) => p.length >= videoMark + 20, 'video goes on (1.3 s of it)');
    assert.equal(audio.packets.length, audioMark, 'no audio after stop_rtp_forward');
    assert.equal((await listed(janus, pkg, room))[0].forwarders.length, 3);

    await leave();
    await until(async () => (await listed(janus, pkg, room)).length === 0, 'listforwarders empty once the publisher left');
  } finally {
    for (const s of [audio, v0, v1, v2]) s.close();
  }
}
