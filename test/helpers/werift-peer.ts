/**
 * A werift (0.24, pure TypeScript WebRTC) client for end-to-end tests: offers opus + VP8
 * (+ a data channel), sends synthetic RTP with recognizable payloads at a steady rate and
 * records what it receives.
 *
 *   const peer = new WeriftPeer({ audio: true, video: true, data: true });
 *   const offer = await peer.offer();                      // all candidates inside
 *   const { jsep } = await handle.send({ audio: true, video: true }, offer);
 *   await peer.accept(jsep!);                              // then waits for DTLS + tracks
 *   // or, answering an offer Janus sends: const answer = await peer.answer(event.jsep);
 *   await peer.connected();
 *   peer.startSending({ audioPps: 50, videoPps: 30 });
 *   ...
 *   await peer.close();
 *
 * Half-trickle: the offer carries every local candidate (`trickle: false` in the jsep);
 * Janus answers with its own candidates in the SDP. ICE skips `lo`, so this only connects
 * inside the private network namespace of scripts/test.sh (veth 10.77.0.1 <-> 10.77.0.2).
 *
 * werift rewrites the SSRC, payload type, sequence-number and timestamp offsets of what we
 * write, so packets are matched by payload: each payload starts with a 12-byte tag
 * (see makePayload / parsePayload).
 */
import { randomBytes } from 'node:crypto';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RTCDataChannel,
  RtcpPacket,
  RtcpPayloadSpecificFeedback,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtpHeader,
  RtpPacket,
  usePLI,
  useNACK,
} from 'werift';
import { until } from './wait';

export type Kind = 'audio' | 'video';

export interface PeerOptions {
  audio?: boolean; // default true
  video?: boolean; // default true
  data?: boolean; // default true: one data channel, label "JanusDataChannel"
  /** Payload types to offer (default: werift's choice, opus 96 and VP8 97; Chromium uses 111 and 96). */
  payloadTypes?: { audio?: number; video?: number };
  /** Order of the audio/video m-lines in the offer. Default ['audio', 'video']. */
  order?: Kind[];
}

/** One received RTP packet, header fields as seen on the wire after Janus. */
export interface ReceivedRtp {
  kind: Kind;
  at: number; // Date.now()
  t: number; // performance.now(), for sub-millisecond round trips
  ssrc: number;
  seq: number;
  timestamp: number;
  payloadType: number;
  marker: boolean;
  payload: Buffer;
}

/** A payload written by this helper: magic 'JTS', kind byte, run id (4), counter (4). */
const MAGIC = Buffer.from('JTS');
const KIND_BYTE: Record<Kind, number> = { audio: 0x61, video: 0x76 };
/** VP8 payload descriptor: S=1, partition 0, so the packet is a well-formed VP8 start. */
const VP8_DESCRIPTOR = 0x10;

export function makePayload(kind: Kind, run: number, counter: number, size: number): Buffer {
  const buf = Buffer.alloc(Math.max(size, 13));
  let o = 0;
  if (kind === 'video') buf[o++] = VP8_DESCRIPTOR;
  MAGIC.copy(buf, o);
  o += 3;
  buf[o++] = KIND_BYTE[kind];
  buf.writeUInt32BE(run >>> 0, o);
  o += 4;
  buf.writeUInt32BE(counter >>> 0, o);
  o += 4;
  for (let i = o; i < buf.length; i++) buf[i] = (counter + i) & 0xff; // checkable filler
  return buf;
}

/** Decodes a payload made by makePayload, or null for anything else. */
export function parsePayload(payload: Buffer): { kind: Kind; run: number; counter: number } | null {
  const o = payload[0] === VP8_DESCRIPTOR ? 1 : 0;
  if (payload.length < o + 12 || !payload.subarray(o, o + 3).equals(MAGIC)) return null;
  const kind = payload[o + 3] === KIND_BYTE.audio ? 'audio' : payload[o + 3] === KIND_BYTE.video ? 'video' : null;
  if (!kind) return null;
  return { kind, run: payload.readUInt32BE(o + 4), counter: payload.readUInt32BE(o + 8) };
}

/** Rejects with `what` when `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

export class WeriftPeer {
  readonly pc: RTCPeerConnection;
  /** Random per-peer id carried in every payload, so stray packets never match. */
  readonly run = randomBytes(4).readUInt32BE(0);
  readonly tracks: Partial<Record<Kind, MediaStreamTrack>> = {};
  readonly channel?: RTCDataChannel;
  /** Every RTP packet received, by kind. */
  readonly received: Record<Kind, ReceivedRtp[]> = { audio: [], video: [] };
  /** Every payload sent, by kind (index = counter). */
  readonly sent: Record<Kind, Buffer[]> = { audio: [], video: [] };
  /** When each payload was written (performance.now(), ms; index = counter). */
  readonly sentAt: Record<Kind, number[]> = { audio: [], video: [] };
  /** RTCP received on each m-line (reports, PLI, REMB, NACK), in order. */
  readonly rtcp: { kind: Kind; at: number; packet: RtcpPacket }[] = [];
  /** Data channel messages received, in order. */
  readonly messages: (string | Buffer)[] = [];
  #timers: NodeJS.Timeout[] = [];
  #remoteTracks: MediaStreamTrack[] = [];

  constructor(readonly options: PeerOptions = {}) {
    const audio = options.audio ?? true;
    const video = options.video ?? true;
    this.pc = new RTCPeerConnection({
      // One ICE transport (Janus bundles everything). Without it werift keeps the sockets of
      // the unused transports open after close(), and mocha never exits.
      bundlePolicy: 'max-bundle',
      codecs: {
        audio: [new RTCRtpCodecParameters({
          mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: options.payloadTypes?.audio,
        })],
        video: [new RTCRtpCodecParameters({
          mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [useNACK(), usePLI()], payloadType: options.payloadTypes?.video,
        })],
      },
    });
    for (const kind of options.order ?? (['audio', 'video'] as Kind[])) {
      if (kind === 'audio' ? !audio : !video) continue;
      const track = new MediaStreamTrack({ kind });
      this.tracks[kind] = track;
      const transceiver = this.pc.addTransceiver(track, { direction: 'sendrecv' });
      // werift hands feedback to the sender or, when its sender SSRC is a known remote
      // stream (Janus's PLIs), to the receiver of the same m-line: record both.
      transceiver.sender.onRtcp.subscribe((packet) => this.rtcp.push({ kind, at: Date.now(), packet }));
      transceiver.receiver.onRtcp.subscribe((packet) => this.rtcp.push({ kind, at: Date.now(), packet }));
    }
    this.pc.onTrack.subscribe((track) => {
      this.#remoteTracks.push(track);
      track.onReceiveRtp.subscribe((rtp) => this.#onRtp(track.kind as Kind, rtp));
    });
    if (options.data ?? true) {
      this.channel = this.pc.createDataChannel('JanusDataChannel');
      this.channel.onMessage.subscribe((m) => this.messages.push(m));
    }
  }

  #onRtp(kind: Kind, rtp: RtpPacket): void {
    const h = rtp.header;
    this.received[kind].push({
      kind, at: Date.now(), t: performance.now(), ssrc: h.ssrc, seq: h.sequenceNumber, timestamp: h.timestamp,
      payloadType: h.payloadType, marker: h.marker, payload: Buffer.from(rtp.payload),
    });
  }

  /** Creates the offer, waits for ICE gathering, returns a jsep with every candidate. */
  async offer(): Promise<{ type: 'offer'; sdp: string; trickle: false }> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await this.#gathered();
    return { type: 'offer', sdp: this.pc.localDescription!.sdp, trickle: false };
  }

  /**
   * Answers an offer that Janus sent (e.g. the VideoCall callee's `incomingcall`): this
   * peer's tracks and data channel take the offered m-lines of their kind. Returns the
   * answer jsep with every candidate; the connection then comes up like after accept().
   */
  async answer(jsep: { type: string; sdp: string }): Promise<{ type: 'answer'; sdp: string; trickle: false }> {
    if (jsep.type !== 'offer') throw new Error(`expected an offer from Janus, got ${jsep.type}`);
    await this.pc.setRemoteDescription({ type: 'offer', sdp: jsep.sdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.#gathered();
    return { type: 'answer', sdp: this.pc.localDescription!.sdp, trickle: false };
  }

  async #gathered(): Promise<void> {
    if (this.pc.iceGatheringState !== 'complete') {
      await withTimeout(this.pc.iceGatheringStateChange.watch((s) => s === 'complete'), 5000, 'ICE gathering');
    }
  }

  /**
   * Full-trickle variant: the offer without its candidates plus the candidates to send with
   * JanusHandle.trickle() (then {completed: true}).
   */
  async trickleOffer(): Promise<{ jsep: { type: 'offer'; sdp: string }; candidates: { candidate: string; sdpMid: string; sdpMLineIndex: number }[] }> {
    const full = await this.offer();
    const candidates: { candidate: string; sdpMid: string; sdpMLineIndex: number }[] = [];
    const kept: string[] = [];
    // Split into sections (session, then one per m-line) to know each candidate's mid.
    const sections: string[][] = [[]];
    for (const line of full.sdp.split('\r\n')) {
      if (line.startsWith('m=')) sections.push([]);
      sections[sections.length - 1].push(line);
    }
    sections.forEach((lines, i) => {
      const mid = lines.find((l) => l.startsWith('a=mid:'))?.slice(6) ?? '';
      for (const line of lines) {
        if (line.startsWith('a=candidate:')) candidates.push({ candidate: line.slice(2), sdpMid: mid, sdpMLineIndex: i - 1 });
        else if (line !== 'a=end-of-candidates') kept.push(line);
      }
    });
    return { jsep: { type: 'offer', sdp: kept.join('\r\n') }, candidates };
  }

  /** Applies Janus's answer. */
  async accept(jsep: { type: string; sdp: string }): Promise<void> {
    if (jsep.type !== 'answer') throw new Error(`expected an answer from Janus, got ${jsep.type}`);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: jsep.sdp });
  }

  /** Waits for ICE + DTLS (connectionState "connected") and, with `data`, the channel open. */
  async connected(timeoutMs = 8000): Promise<void> {
    if (this.pc.connectionState !== 'connected') {
      const [state] = await withTimeout(
        this.pc.connectionStateChange.watch((s) => s === 'connected' || s === 'failed' || s === 'closed'),
        timeoutMs, `PeerConnection connect (state ${this.pc.connectionState})`);
      if (state !== 'connected') throw new Error(`PeerConnection ${state} instead of connected`);
    }
    const ch = this.channel;
    if (ch && ch.readyState !== 'open') {
      await withTimeout(ch.stateChange.watch((s) => s === 'open'), timeoutMs, `data channel open (state ${ch.readyState})`);
    }
  }

  /** Writes one RTP packet of `kind` with the next counter; returns its payload. */
  sendOne(kind: Kind, size = kind === 'audio' ? 80 : 600): Buffer {
    const track = this.tracks[kind];
    if (!track) throw new Error(`no ${kind} track on this peer`);
    const counter = this.sent[kind].length;
    const payload = makePayload(kind, this.run, counter, size);
    this.sent[kind].push(payload);
    this.sentAt[kind].push(performance.now());
    const clock = kind === 'audio' ? 960 : 3000; // 20 ms of opus, 1/30 s of video
    const header = new RtpHeader({
      payloadType: kind === 'audio' ? 111 : 96,
      sequenceNumber: counter & 0xffff,
      timestamp: (counter * clock) >>> 0,
      marker: kind === 'video',
      ssrc: 1,
    });
    track.writeRtp(new RtpPacket(header, payload));
    return payload;
  }

  /** Starts sending at a steady rate (packets per second) per kind; 0 = none. */
  startSending(rates: { audioPps?: number; videoPps?: number } = {}): void {
    const audio = rates.audioPps ?? (this.tracks.audio ? 50 : 0);
    const video = rates.videoPps ?? (this.tracks.video ? 30 : 0);
    if (audio > 0) this.#timers.push(setInterval(() => this.sendOne('audio'), 1000 / audio));
    if (video > 0) this.#timers.push(setInterval(() => this.sendOne('video'), 1000 / video));
  }

  stopSending(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  /** Received packets of `kind` whose payload came from this peer (decoded tags). */
  echoed(kind: Kind): { counter: number; payload: Buffer; rtp: ReceivedRtp }[] {
    const out = [];
    for (const rtp of this.received[kind]) {
      const tag = parsePayload(rtp.payload);
      if (tag && tag.run === this.run && tag.kind === kind) out.push({ counter: tag.counter, payload: rtp.payload, rtp });
    }
    return out;
  }

  /** Echo round trips (ms) of `kind`: receive time minus send time per echoed counter. */
  roundTrips(kind: Kind): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    for (const { counter, rtp } of this.echoed(kind)) {
      if (seen.has(counter)) continue; // a retransmission
      seen.add(counter);
      out.push(rtp.t - this.sentAt[kind][counter]);
    }
    return out;
  }

  /** Resolves when `count` more packets of `kind` arrived (after the call), or rejects. */
  async waitReceived(kind: Kind, count: number, timeoutMs = 5000): Promise<void> {
    const target = this.received[kind].length + count;
    await until(() => this.received[kind].length >= target, `${count} ${kind} packets received`, timeoutMs,
      { detail: () => `got ${this.received[kind].length - target + count}` });
  }

  /**
   * Resolves once `sent[kind].length` reaches each count (startSending's timers run late
   * on a loaded machine: wait for the packets, not for the time they should take).
   */
  async waitSent(counts: Partial<Record<Kind, number>>, timeoutMs = 20000): Promise<void> {
    const kinds = Object.keys(counts) as Kind[];
    await until(() => kinds.every((k) => this.sent[k].length >= counts[k]!), `sent ${JSON.stringify(counts)}`, timeoutMs,
      { detail: () => `sent ${kinds.map((k) => `${this.sent[k].length} ${k}`).join(', ')}` });
  }

  /** Bitrates (bps) of the REMB feedback received since index `from` of `rtcp`. */
  rembs(from = 0): number[] {
    const out: number[] = [];
    for (const { packet } of this.rtcp.slice(from)) {
      if (packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof ReceiverEstimatedMaxBitrate) {
        out.push(Number(packet.feedback.bitrate));
      }
    }
    return out;
  }

  /** Number of PLIs received on the `kind` m-line since index `from` of `rtcp`. */
  plis(kind: Kind = 'video', from = 0): number {
    return this.rtcp.slice(from).filter(({ kind: k, packet }) =>
      k === kind && packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof PictureLossIndication).length;
  }

  /** Sends a data channel message (text or binary). */
  sendData(data: string | Buffer): void {
    if (!this.channel) throw new Error('no data channel on this peer');
    this.channel.send(data);
  }

  /** Resolves with the first received message (from index `from`) matching `match`. */
  async waitMessage(match: (m: string | Buffer) => boolean, timeoutMs = 5000, from = 0): Promise<string | Buffer> {
    const find = () => this.messages.slice(from).find(match);
    await until(() => find() !== undefined, 'a matching data channel message', timeoutMs,
      { detail: () => `got ${JSON.stringify(this.messages.map(String)).slice(0, 500)}` });
    return find()!;
  }

  async close(): Promise<void> {
    this.stopSending();
    await this.pc.close();
  }
}
