/**
 * werift peers for the media-feature tests (simulcast, SVC-free VP8 temporal layers, audio
 * levels), inside the private network namespace of scripts/test.sh:
 *
 * - `SimulcastPublisher`: offers opus + VP8 and sends three simulcast substreams with
 *   their own SSRCs, announced by rids (`a=rid`/`a=simulcast`, werift's own offer) or by an
 *   SSRC group (`a=ssrc-group:SIM`, added to the offer). werift 0.24 cannot send simulcast
 *   itself (its sender stamps one SSRC and no rid), so packets are built here
 *   (test/helpers/rtp-media.ts: real VP8 payload descriptors with picture ids, TL0PICIDX,
 *   temporal layers 0,2,1,2 with layer-sync bits, key frames with a valid frame header)
 *   and written through the DTLS transport's SRTP session with the payload types Janus
 *   answered (a real client sends only negotiated ones), with the mid and rid header
 *   extensions at the ids Janus answered. Audio is opus-shaped with the ssrc-audio-level
 *   extension at a level the test sets (loud / silent). A PLI or FIR makes the next frame
 *   of the named substream (all of them for an unknown SSRC) a key frame.
 * - `taggedVideo(sub.on(mid))`: what a WeriftSubscriber (werift-subscriber.ts) received,
 *   with the tag the publisher put in each payload (substream, frame, packet index, key
 *   frame, temporal layer) and the VP8 ids, so a test knows what it got.
 *
 * Payload tags: video data starts (after descriptor and frame header) with 'JTSV', the
 * publisher's run id u32, substream u8, frame u32, packet index u8, key u8, tid u8;
 * audio with an opus TOC byte, then 'JTSA', run id, counter u32.
 */
import { randomBytes } from 'node:crypto';
import {
  MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RTCRtpHeaderExtensionParameters,
  RtpHeader, RtcpPayloadSpecificFeedback, PictureLossIndication, RtpPacket, useNACK, usePLI,
  type RtcpPacket, type RTCDtlsTransport,
} from 'werift';
import { parse } from 'sdp-transform';
import { vp8Descriptor, vp8FrameHeader, vp8Ids, concatBytes, audioLevelData, sdesData } from './rtp-media';
import { withTimeout } from './werift-peer';

export const URI = {
  AUDIO_LEVEL: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  MID: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  RID: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
} as const;

/** Header-extension ids the offer uses (the same on every m-line of the bundle). */
const EXT_IDS: Record<string, number> = { [URI.AUDIO_LEVEL]: 1, [URI.MID]: 4, [URI.RID]: 10 };

const VIDEO_MAGIC = Buffer.from('JTSV');
const AUDIO_MAGIC = Buffer.from('JTSA');
/** Temporal layer per frame position (L1T3) and which positions are layer syncs (Y). */
const TL_PATTERN = [0, 2, 1, 2];
const SYNC_AT = [false, true, true, false];

export interface VideoTag { run: number; sub: number; frame: number; index: number; key: boolean; tid: number }

/** The tag of a video payload made by SimulcastPublisher, or null. */
export function videoTag(payload: Uint8Array): VideoTag | null {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const o = b.indexOf(VIDEO_MAGIC);
  if (o < 0 || b.length < o + 16) return null;
  return {
    run: b.readUInt32BE(o + 4), sub: b[o + 8], frame: b.readUInt32BE(o + 9), index: b[o + 13],
    key: b[o + 14] === 1, tid: b[o + 15] === 255 ? -1 : b[o + 15],
  };
}

async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState !== 'complete') {
    await withTimeout(pc.iceGatheringStateChange.watch((s) => s === 'complete'), 5000, 'ICE gathering');
  }
}

async function connectedPc(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.connectionState === 'connected') return;
  const [state] = await withTimeout(pc.connectionStateChange.watch((s) => s === 'connected' || s === 'failed' || s === 'closed'),
    timeoutMs, `PeerConnection connect (state ${pc.connectionState})`);
  if (state !== 'connected') throw new Error(`PeerConnection ${state} instead of connected`);
}

const codecs = () => ({
  audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
  video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [useNACK(), usePLI()] })],
});

/** One substream's running numbers. */
interface Layer { ssrc: number; seq: number; ts0: number; picId: number; tl0: number; frame: number; wantKey: boolean; active: boolean }

export interface PublisherOptions {
  /** How the substreams are announced (default 'rid'). */
  mode?: 'rid' | 'ssrc';
  /** rids, highest first as janus.js sends them (default h, m, l). */
  rids?: string[];
  /** Also receive (EchoTest) instead of sendonly. */
  sendrecv?: boolean;
  /** VP8 temporal layers in the descriptors (default true). */
  temporal?: boolean;
}

/** One video packet as sent. */
export interface SentVideo { sub: number; ssrc: number; seq: number; ts: number; frame: number; index: number; key: boolean; tid: number; picId: number; tl0: number }

export class SimulcastPublisher {
  readonly pc: RTCPeerConnection;
  readonly run = randomBytes(4).readUInt32BE(0);
  readonly mode: 'rid' | 'ssrc';
  readonly rids: string[];
  /** Substreams, lowest first (index = substream). */
  readonly layers: Layer[];
  readonly audioTrack = new MediaStreamTrack({ kind: 'audio' });
  readonly videoTrack = new MediaStreamTrack({ kind: 'video' });
  /** Audio level sent from now on: 0 loudest .. 127 silence. */
  audioLevel = 127;
  readonly sentVideo: SentVideo[] = [];
  audioSent = 0;
  /** Keyframe requests received (PLI/FIR), with the media SSRC they named. */
  readonly keyframeRequests: { at: number; ssrc: number }[] = [];
  /** RTP received (EchoTest, audio and video), with the tag of its video payload. */
  readonly received: { ssrc: number; seq: number; ts: number; marker: boolean; picId: number; tl0: number; tag: VideoTag | null }[] = [];
  #ext = { audioLevel: 0, audioMid: 0, videoMid: 0, rid: 0 };
  #mids = { audio: '0', video: '1' };
  /** Payload types Janus's answer negotiated (opus, VP8), written on every packet. */
  #pts = { audio: 111, video: 96 };
  #timers: NodeJS.Timeout[] = [];
  #start = 0;
  #audioSeq = 0;
  #audioSsrc = 0;
  #dtls?: RTCDtlsTransport;

  constructor(readonly options: PublisherOptions = {}) {
    this.mode = options.mode ?? 'rid';
    this.rids = options.rids ?? ['h', 'm', 'l'];
    this.pc = new RTCPeerConnection({
      bundlePolicy: 'max-bundle',
      codecs: codecs(),
      headerExtensions: {
        audio: [URI.AUDIO_LEVEL, URI.MID].map((uri) => new RTCRtpHeaderExtensionParameters({ uri })),
        video: [URI.MID, URI.RID].map((uri) => new RTCRtpHeaderExtensionParameters({ uri })),
      },
    });
    const direction = options.sendrecv ? 'sendrecv' : 'sendonly';
    const audio = this.pc.addTransceiver(this.audioTrack, { direction });
    const video = this.pc.addTransceiver(this.videoTrack, {
      direction,
      ...(this.mode === 'rid' ? { simulcast: this.rids.map((rid) => ({ rid, direction: 'send' as const })) } : {}),
    });
    this.#audioSsrc = audio.sender.ssrc;
    const base = video.sender.ssrc;
    this.layers = [0, 1, 2].map((i) => ({
      ssrc: i === 0 ? base : randomBytes(4).readUInt32BE(0), seq: 1000 * (i + 1), ts0: 100000 * (i + 1),
      picId: 1000 * (i + 1), tl0: 50 * i, frame: 0, wantKey: true, active: true,
    }));
  }

  #onRtp(rtp: RtpPacket): void {
    const h = rtp.header;
    const ids = vp8Ids(rtp.payload);
    this.received.push({ ssrc: h.ssrc, seq: h.sequenceNumber, ts: h.timestamp, marker: h.marker, picId: ids.picId, tl0: ids.tl0, tag: videoTag(rtp.payload) });
  }

  /** The offer (all candidates inside); SSRC mode adds the SIM group of the three SSRCs. */
  async offer(): Promise<{ type: 'offer'; sdp: string; trickle: false }> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await gathered(this.pc);
    // werift numbers the extensions 1, 2, 3, ... across m-lines, giving the mid extension
    // two ids in one bundle (Janus then cannot map unknown SSRCs by mid): one id per URI.
    let sdp = this.pc.localDescription!.sdp.replace(/a=extmap:\d+ (\S+)/g, (line, uri: string) =>
      (uri in EXT_IDS ? `a=extmap:${EXT_IDS[uri]} ${uri}` : line));
    if (this.mode === 'ssrc') sdp = this.#withSimGroup(sdp);
    return { type: 'offer', sdp, trickle: false };
  }

  #withSimGroup(sdp: string): string {
    const [s0, s1, s2] = this.layers.map((l) => l.ssrc);
    const cname = /a=ssrc:\d+ cname:(\S+)/.exec(sdp)?.[1] ?? 'janus-ts';
    const lines = [`a=ssrc-group:SIM ${s0} ${s1} ${s2}`, ...[s1, s2].map((s) => `a=ssrc:${s} cname:${cname}`)];
    return sdp.replace(new RegExp(`(a=ssrc:${s0} cname:[^\\r\\n]*\\r\\n)`), `$1${lines.join('\r\n')}\r\n`);
  }

  /** Applies Janus's answer and learns the header-extension ids it kept. */
  async accept(jsep: { type: string; sdp: string }): Promise<void> {
    if (jsep.type !== 'answer') throw new Error(`expected an answer from Janus, got ${jsep.type}`);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: jsep.sdp });
    const answer = parse(jsep.sdp);
    const audio = answer.media.find((m) => m.type === 'audio');
    const video = answer.media.find((m) => m.type === 'video');
    const id = (m: typeof audio, uri: string) => m?.ext?.find((e) => e.uri === uri)?.value ?? 0;
    this.#ext = { audioLevel: id(audio, URI.AUDIO_LEVEL), audioMid: id(audio, URI.MID), videoMid: id(video, URI.MID), rid: id(video, URI.RID) };
    const pt = (m: typeof audio, codec: string, dflt: number) => m?.rtp.find((r) => r.codec.toLowerCase() === codec)?.payload ?? dflt;
    this.#pts = { audio: pt(audio, 'opus', this.#pts.audio), video: pt(video, 'vp8', this.#pts.video) };
    if (audio?.mid !== undefined) this.#mids.audio = String(audio.mid);
    if (video?.mid !== undefined) this.#mids.video = String(video.mid);
  }

  /** The mids of the audio and video m-lines (as Janus answered them). */
  get mids(): { audio: string; video: string } { return { ...this.#mids }; }

  /** Payload types Janus answered for opus and VP8 (what every packet is sent with). */
  get payloadTypes(): { audio: number; video: number } { return { ...this.#pts }; }

  /** Header-extension ids Janus's answer kept (0 = refused). */
  get extensionIds(): { audioLevel: number; audioMid: number; videoMid: number; rid: number } { return { ...this.#ext }; }

  async connected(timeoutMs = 8000): Promise<void> {
    await connectedPc(this.pc, timeoutMs);
    this.#dtls = this.pc.getTransceivers()[0].sender.dtlsTransport;
    this.#dtls.onRtcp.subscribe((p) => this.#onRtcp(p));
    // Echoed RTP straight from the transport: werift routes a rid-simulcast transceiver's
    // incoming packets by rid, which Janus's echo does not carry.
    this.#dtls.onRtp.subscribe((rtp) => this.#onRtp(rtp));
  }

  #onRtcp(packet: RtcpPacket): void {
    if (!(packet instanceof RtcpPayloadSpecificFeedback)) return;
    const fb = packet.feedback;
    let ssrc: number;
    if (fb instanceof PictureLossIndication) ssrc = fb.mediaSsrc;
    else if ('fir' in fb) ssrc = fb.fir[0]?.ssrc ?? 0; // FIR (PSFB FMT 4)
    else return;
    this.keyframeRequests.push({ at: Date.now(), ssrc });
    const layer = this.layers.find((l) => l.ssrc === ssrc);
    for (const l of layer ? [layer] : this.layers) l.wantKey = true;
  }

  /** Sends `fps` frames/s on each active substream and `audioPps` audio packets/s. */
  startSending(o: { fps?: number; audioPps?: number } = {}): void {
    this.#start = performance.now();
    const fps = o.fps ?? 15, audioPps = o.audioPps ?? 50;
    if (fps > 0) this.#timers.push(setInterval(() => this.sendFrame(), 1000 / fps));
    if (audioPps > 0) this.#timers.push(setInterval(() => this.sendAudio(), 1000 / audioPps));
  }

  stopSending(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  /** Stops or resumes substream `sub` (a resumed one starts with a key frame). */
  setActive(sub: number, active: boolean): void {
    const l = this.layers[sub];
    if (active && !l.active) l.wantKey = true;
    l.active = active;
  }

  /** One frame on each active substream: 2 packets (3 for a key frame). */
  sendFrame(): void {
    const ts = Math.round((performance.now() - this.#start) * 90);
    this.layers.forEach((l, sub) => { if (l.active) this.#sendLayerFrame(l, sub, ts); });
  }

  #sendLayerFrame(l: Layer, sub: number, ts90: number): void {
    const key = l.wantKey;
    l.wantKey = false;
    if (key) l.frame = 0;
    const temporal = this.options.temporal ?? true;
    const pos = l.frame % 4;
    const tid = temporal ? TL_PATTERN[pos] : -1;
    if (tid === 0) l.tl0 = (l.tl0 + 1) & 0xff;
    const ts = (l.ts0 + ts90) >>> 0;
    const count = key ? 3 : 2;
    for (let index = 0; index < count; index++) {
      const d = { start: index === 0, picId: l.picId, tl0: tid >= 0 ? l.tl0 : undefined, tid: tid >= 0 ? tid : undefined, sync: tid > 0 && SYNC_AT[pos] };
      const head = vp8Descriptor(d);
      if (index === 0) head.push(...vp8FrameHeader(key, 320 >> (2 - sub), 180 >> (2 - sub)));
      const tag = Buffer.alloc(16 + 200);
      VIDEO_MAGIC.copy(tag, 0);
      tag.writeUInt32BE(this.run, 4); tag[8] = sub; tag.writeUInt32BE(l.frame, 9); tag[13] = index; tag[14] = key ? 1 : 0; tag[15] = tid < 0 ? 255 : tid;
      for (let i = 16; i < tag.length; i++) tag[i] = (i * 7 + l.frame) & 0xff;
      const payload = Buffer.from(concatBytes(Uint8Array.from(head), tag));
      const extensions = [{ id: this.#ext.videoMid, payload: Buffer.from(sdesData(this.#mids.video)) }];
      if (this.mode === 'rid' && this.#ext.rid) extensions.push({ id: this.#ext.rid, payload: Buffer.from(sdesData(this.rids[2 - sub])) });
      this.#write(new RtpHeader({
        payloadType: this.#pts.video, sequenceNumber: l.seq, timestamp: ts, marker: index === count - 1, ssrc: l.ssrc,
        extension: true, extensions: extensions.filter((e) => e.id > 0),
      }), payload);
      this.sentVideo.push({ sub, ssrc: l.ssrc, seq: l.seq, ts, frame: l.frame, index, key, tid, picId: l.picId, tl0: d.tl0 ?? -1 });
      l.seq = (l.seq + 1) & 0xffff;
    }
    l.picId = (l.picId + 1) & 0x7fff;
    l.frame++;
  }

  /** One opus-shaped packet with the audio level extension at `audioLevel`. */
  sendAudio(): void {
    const payload = Buffer.alloc(60);
    payload[0] = 0xfc; // TOC: CELT FB 20 ms, one frame
    AUDIO_MAGIC.copy(payload, 1);
    payload.writeUInt32BE(this.run, 5);
    payload.writeUInt32BE(this.audioSent, 9);
    const extensions = [
      { id: this.#ext.audioMid, payload: Buffer.from(sdesData(this.#mids.audio)) },
      { id: this.#ext.audioLevel, payload: Buffer.from(audioLevelData(this.audioLevel, this.audioLevel < 127)) },
    ].filter((e) => e.id > 0);
    this.#write(new RtpHeader({
      payloadType: this.#pts.audio, sequenceNumber: this.#audioSeq, timestamp: (this.audioSent * 960) >>> 0, ssrc: this.#audioSsrc,
      extension: extensions.length > 0, extensions,
    }), payload);
    this.#audioSeq = (this.#audioSeq + 1) & 0xffff;
    this.audioSent++;
  }

  #write(header: RtpHeader, payload: Buffer): void {
    if (!this.#dtls) throw new Error('not connected');
    void this.#dtls.sendRtp(payload, header);
  }

  async close(): Promise<void> {
    this.stopSending();
    await this.pc.close();
  }
}

/** One video packet a subscriber received, with the publisher's tag. */
export interface ReceivedVideo { at: number; ssrc: number; seq: number; ts: number; marker: boolean; picId: number; tl0: number; tid: number; tag: VideoTag | null }

/** The video packets a WeriftSubscriber received (e.g. `sub.on(mid)`), with tags and VP8 ids. */
export function taggedVideo(packets: { at: number; ssrc: number; seq: number; timestamp: number; marker: boolean; payload: Buffer }[]): ReceivedVideo[] {
  return packets.map((p) => ({ at: p.at, ssrc: p.ssrc, seq: p.seq, ts: p.timestamp, marker: p.marker, ...vp8Ids(p.payload), tag: videoTag(p.payload) }));
}
