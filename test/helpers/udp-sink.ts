/**
 * A UDP socket on 127.0.0.1 that records the RTP datagrams it receives: where a test points
 * an RTP forwarder (VideoRoom `rtp_forward`, `Session.rtpForward`) to see what arrives.
 *
 *   const sink = await UdpSink.open();
 *   ... forward to sink.port ...
 *   await sink.until((p) => p.length >= 10, 'ten packets');
 *   sink.close();
 */
import * as dgram from 'node:dgram';
import { parseRtp, type RtpView } from './rtp-media';
import { until } from './wait';

export class UdpSink {
  /** Every datagram so far, parsed as RTP, in arrival order. */
  readonly packets: RtpView[] = [];

  private constructor(private readonly sock: dgram.Socket, readonly port: number) {
    sock.on('message', (m) => { if (m.length >= 12) this.packets.push(parseRtp(m)); });
  }

  static async open(): Promise<UdpSink> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => { sock.once('error', reject); sock.bind(0, '127.0.0.1', () => resolve()); });
    return new UdpSink(sock, sock.address().port);
  }

  /** Resolves once `pred` holds for the packets received. */
  until(pred: (packets: RtpView[]) => boolean, what: string, timeoutMs = 8000): Promise<void> {
    return until(() => pred(this.packets), `${what} on UDP port ${this.port}`, timeoutMs, { detail: () => `${this.packets.length} packets` });
  }

  close(): void { this.sock.close(); }
}
