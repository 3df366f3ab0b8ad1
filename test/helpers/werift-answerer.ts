/**
 * A werift peer that answers an offer instead of making one: a subscriber to media that
 * Janus sends (VideoRoom-style subscriptions, where the plugin offers). It records what it
 * receives like WeriftPeer and sends nothing.
 *
 *   const sub = new WeriftAnswerer();
 *   const { jsep } = await handle.send({ request: 'join', ptype: 'subscriber', feed }, undefined);
 *   await handle.send({ request: 'start' }, await sub.answer(jsep));
 *   await sub.connected();
 *   sub.from(publisher, 'video')      // packets the publisher (a WeriftPeer) sent, in arrival order
 */
import { Kind, ReceivedRtp, WeriftPeer, parsePayload } from './werift-peer';

export class WeriftAnswerer extends WeriftPeer {
  constructor() {
    super({ audio: false, video: false, data: false });
  }

  /** Applies Janus's offer, answers it, waits for ICE gathering; returns the answer with every candidate. */
  async answer(offer: { type: string; sdp: string }): Promise<{ type: 'answer'; sdp: string; trickle: false }> {
    if (offer.type !== 'offer') throw new Error(`expected an offer from Janus, got ${offer.type}`);
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    if (this.pc.iceGatheringState !== 'complete') {
      await this.pc.iceGatheringStateChange.watch((s) => s === 'complete');
    }
    return { type: 'answer', sdp: this.pc.localDescription!.sdp, trickle: false };
  }

  /** Received packets of `kind` that carry `sender`'s payloads (checked byte for byte). */
  from(sender: WeriftPeer, kind: Kind): { counter: number; rtp: ReceivedRtp }[] {
    const out = [];
    for (const rtp of this.received[kind]) {
      const tag = parsePayload(rtp.payload);
      if (!tag || tag.run !== sender.run || tag.kind !== kind) continue;
      if (!rtp.payload.equals(sender.sent[kind][tag.counter])) throw new Error(`${kind} packet ${tag.counter} arrived changed`);
      out.push({ counter: tag.counter, rtp });
    }
    return out;
  }
}
