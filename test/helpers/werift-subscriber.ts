/**
 * A werift client that answers the offers of a plugin (a VideoRoom subscription): it takes
 * Janus's offer, answers recvonly with every candidate inside (half-trickle), and records the
 * RTP it receives per m-line (mid), so a test can tell which publisher's packets arrived on
 * which subscription stream (payloads carry WeriftPeer's tags: run id, kind, counter).
 *
 *   const sub = new WeriftSubscriber();
 *   const { jsep } = await handle.send({ request: 'join', ptype: 'subscriber', room, streams });
 *   await handle.send({ request: 'start' }, await sub.answer(jsep!));
 *   await sub.connected();
 *   sub.fromRun('0', publisher.run)     // packets on mid 0 sent by that publisher
 */
import {
  RTCDataChannel, RTCPeerConnection, RTCRtpCodecParameters, RtcpPayloadSpecificFeedback, PictureLossIndication, usePLI, useNACK,
} from 'werift';
import { until } from './wait';
import { parsePayload, withTimeout, type Kind, type ReceivedRtp } from './werift-peer';

export class WeriftSubscriber {
  readonly pc: RTCPeerConnection;
  /** Every RTP packet received, by the mid of the m-line it came on. */
  readonly received = new Map<string, ReceivedRtp[]>();
  /** With `data`: our data channel ("JanusDataChannel", opened once connected) and what it received. */
  readonly channel?: RTCDataChannel;
  readonly messages: string[] = [];
  /** Messages on the channels the plugin opened (a VideoRoom relays each publisher's data
   *  on a channel labelled with its id), with their channel's label. */
  readonly relayed: { label: string; data: string | Buffer }[] = [];

  constructor(options: { data?: boolean } = {}) {
    this.pc = new RTCPeerConnection({
      bundlePolicy: 'max-bundle',
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
        video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [useNACK(), usePLI()] })],
      },
    });
    this.pc.ontrack = ({ track, transceiver }) => {
      track.onReceiveRtp.subscribe((rtp) => {
        const mid = transceiver.mid ?? '?';
        const h = rtp.header;
        const list = this.received.get(mid) ?? [];
        list.push({
          kind: track.kind as Kind, at: Date.now(), t: performance.now(), ssrc: h.ssrc, seq: h.sequenceNumber,
          timestamp: h.timestamp, payloadType: h.payloadType, marker: h.marker, payload: Buffer.from(rtp.payload),
        });
        this.received.set(mid, list);
      });
    };
    if (options.data) {
      this.channel = this.pc.createDataChannel('JanusDataChannel');
      this.channel.onMessage.subscribe((m) => this.messages.push(String(m)));
    }
    this.pc.onDataChannel.subscribe((ch) => {
      ch.onMessage.subscribe((m) => this.relayed.push({ label: ch.label, data: m }));
    });
  }

  /** Waits for the data channel to open. */
  async channelOpen(timeoutMs = 8000): Promise<void> {
    const ch = this.channel;
    if (!ch) throw new Error('no data channel');
    if (ch.readyState !== 'open') await withTimeout(ch.stateChange.watch((st) => st === 'open'), timeoutMs, 'data channel open');
  }

  /** The first received message (parsed JSON) at or after index `from` that `match` accepts. */
  async waitJson(match: (m: any) => boolean, timeoutMs = 5000, from = 0): Promise<any> {
    let found: any;
    await this.until(() => {
      found = this.messages.slice(from).map((m) => { try { return JSON.parse(m); } catch { return undefined; } }).find((m) => m && match(m));
      return found !== undefined;
    }, `data channel message (got ${JSON.stringify(this.messages).slice(0, 400)})`, timeoutMs);
    return found;
  }

  /** Applies Janus's offer, returns the answer (every candidate inside). */
  async answer(offer: { type: string; sdp: string }): Promise<{ type: 'answer'; sdp: string }> {
    if (offer.type !== 'offer') throw new Error(`expected an offer from Janus, got ${offer.type}`);
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      await this.pc.setLocalDescription(await this.pc.createAnswer());
    } catch (err) {
      throw new Error(`werift could not answer (${(err as Error).message}); the offer was:\n${offer.sdp}`);
    }
    if (this.pc.iceGatheringState !== 'complete') {
      await withTimeout(this.pc.iceGatheringStateChange.watch((s) => s === 'complete'), 5000, 'ICE gathering');
    }
    return { type: 'answer', sdp: this.pc.localDescription!.sdp };
  }

  async connected(timeoutMs = 8000): Promise<void> {
    if (this.pc.connectionState === 'connected') return;
    const [state] = await withTimeout(this.pc.connectionStateChange.watch((s) => s === 'connected' || s === 'failed' || s === 'closed'),
      timeoutMs, `PeerConnection connect (state ${this.pc.connectionState})`);
    if (state !== 'connected') throw new Error(`PeerConnection ${state} instead of connected`);
  }

  /** Packets received on `mid`. */
  on(mid: string): ReceivedRtp[] {
    return this.received.get(mid) ?? [];
  }

  /** Packets received on `mid` whose payload was written by the peer with run id `run`. */
  fromRun(mid: string, run: number, kind?: Kind): { counter: number; rtp: ReceivedRtp }[] {
    const out: { counter: number; rtp: ReceivedRtp }[] = [];
    for (const rtp of this.on(mid)) {
      const tag = parsePayload(rtp.payload);
      if (tag && tag.run === run && (!kind || tag.kind === kind)) out.push({ counter: tag.counter, rtp });
    }
    return out;
  }

  /** Every tagged packet received, on any mid, with its run id. */
  runs(): Set<number> {
    const out = new Set<number>();
    for (const list of this.received.values()) for (const rtp of list) {
      const tag = parsePayload(rtp.payload);
      if (tag) out.add(tag.run);
    }
    return out;
  }

  /** Waits until `predicate()` holds (polling), or rejects with `what`. */
  until(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    return until(predicate, what, timeoutMs);
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}

/** PLIs in an RTCP list (helper for the publishers' side). */
export function isPli(packet: unknown): boolean {
  return packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof PictureLossIndication;
}
