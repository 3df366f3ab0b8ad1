/**
 * What the reliability tests (test/reliability/) share:
 * - a probe app: the EchoTest example, plus an Admin API `message_plugin` request
 *   `{"probe": true}` answered with the app's live session ids (its own map, kept by
 *   createSession/destroySession), its heap after a full GC and the plugin's `stats`;
 * - Janus's RSS and thread count from /proc;
 * - raw SRTP/SRTCP from a werift peer: any bytes, protected with the peer's own SRTP keys and
 *   sent on its ICE connection, bypassing werift's packet builders (for malformed packets);
 * - echo statistics of a call: round trips and how much came back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Janus } from '../helpers/janus';
import { exampleApp } from '../helpers/ts-janus';
import { Kind, WeriftPeer } from '../helpers/werift-peer';

export { sleep } from '../helpers/wait';

/** Writes the probe app (a .js file in a temporary folder) and returns its path. */
export function writeProbeApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-probe-'));
  const file = path.join(dir, 'probe-echotest.js');
  fs.writeFileSync(file, `
'use strict';
const v8 = require('node:v8');
const vm = require('node:vm');
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc');
const echo = require(${JSON.stringify(exampleApp('echotest'))}).default;
const live = new Set();
let plugin, messages = 0;
module.exports = {
  ...echo,
  name: 'probe-echotest',
  async init(config, p, hello) { plugin = p; return echo.init.call(this, config, p, hello); },
  createSession(s) { live.add(s.id); console.log('probe: created session ' + s.id); return echo.createSession.call(this, s); },
  async resumeSession(s, info) { live.add(s.id); console.log('probe: resumed session ' + s.id); return echo.resumeSession.call(this, s, info); },
  destroySession(s) { live.delete(s.id); console.log('probe: destroyed session ' + s.id); return echo.destroySession.call(this, s); },
  handleMessage(s, m) { messages++; return echo.handleMessage.call(this, s, m); },
  async handleAdminMessage(msg) {
    if (!msg.probe) return echo.handleAdminMessage ? echo.handleAdminMessage.call(this, msg) : msg;
    gc(); gc();
    return { sessions: [...live], heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss,
      pid: process.pid, messages, stats: await plugin.stats() };
  },
};
`);
  return file;
}

export interface Probe {
  sessions: number[];
  /** handleMessage calls the app got. */
  messages: number;
  heapUsed: number;
  rss: number;
  pid: number;
  stats: any;
}

/** Asks the probe app (Admin API message_plugin → handleAdminMessage). */
export async function probe(janus: Janus, pkg: string): Promise<Probe> {
  const reply = await janus.admin({ janus: 'message_plugin', plugin: pkg, request: { probe: true } });
  const r = reply.response;
  if (!r || !Array.isArray(r.sessions)) throw new Error(`probe answered ${JSON.stringify(reply).slice(0, 500)}`);
  return r as Probe;
}

/** VmRSS (bytes) and thread count of a process. */
export function procStatus(pid: number): { rss: number; threads: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN);
  const threads = Number(status.match(/^Threads:\s+(\d+)/m)?.[1] ?? NaN);
  return { rss: kb * 1024, threads };
}

/** Janus sessions the Admin API lists. */
export async function janusSessions(janus: Janus): Promise<number[]> {
  return (await janus.admin({ janus: 'list_sessions' })).sessions;
}

// ---- raw SRTP / SRTCP from a werift peer --------------------------------------------------

function dtlsOf(peer: WeriftPeer): any {
  const t = (peer.pc as any).getTransceivers?.()[0] ?? (peer.pc as any).transceivers?.[0];
  const dtls = t?.dtlsTransport ?? t?.sender?.dtlsTransport;
  if (!dtls?.srtp || !dtls?.srtcp) throw new Error('the peer has no SRTP session yet (not connected?)');
  return dtls;
}

/** Length of the RTP header the bytes claim, when it fits (else 12, or the whole packet). */
function claimedHeader(b: Buffer): number {
  if (b.length < 12) return b.length;
  let n = 12 + 4 * (b[0] & 0x0f);
  if (b[0] & 0x10 && b.length >= n + 4) n += 4 + 4 * b.readUInt16BE(n + 2);
  return n <= b.length ? n : 12;
}

/** Sends `bytes` as one SRTP packet: protected with the peer's keys, whatever they contain. */
export function sendRawRtp(peer: WeriftPeer, bytes: Buffer): void {
  const dtls = dtlsOf(peer);
  const head = claimedHeader(bytes);
  const header = {
    ssrc: bytes.length >= 12 ? bytes.readUInt32BE(8) : 0,
    sequenceNumber: bytes.length >= 4 ? bytes.readUInt16BE(2) : 0,
    serializeSize: head,
    serialize: () => Buffer.from(bytes.subarray(0, head)),
  };
  const enc: Buffer = dtls.srtp.localContext.encryptRtp(bytes.subarray(head), header);
  void dtls.iceTransport.connection.send(enc).catch(() => undefined);
}

/** Sends `bytes` as one SRTCP packet (at least 8 bytes: the SSRC at 4 keys the index). */
export function sendRawRtcp(peer: WeriftPeer, bytes: Buffer): void {
  const dtls = dtlsOf(peer);
  const enc: Buffer = dtls.srtcp.encrypt(bytes);
  void dtls.iceTransport.connection.send(enc).catch(() => undefined);
}

/** The SSRC and payload type werift uses for `kind` on this peer (from what it sent). */
export function sendingSsrc(peer: WeriftPeer, kind: Kind): { ssrc: number; pt: number } {
  const t = (peer.pc as any).getTransceivers().find((x: any) => x.kind === kind);
  return { ssrc: t.sender.ssrc, pt: t.sender.codec?.payloadType ?? (kind === 'audio' ? 111 : 96) };
}

/** An RTP packet: 12-byte header (+ csrcs, extension words), payload, padding as given. */
export function rtpBytes(o: { ssrc: number; pt: number; seq: number; ts?: number; version?: number; csrcCount?: number;
  ext?: Buffer; extLenWords?: number; payload: Buffer; padding?: number; paddingByte?: number }): Buffer {
  const csrcs = Buffer.alloc(4 * (o.csrcCount ?? 0));
  const ext = o.ext ? Buffer.concat([Buffer.from([0xbe, 0xde, (o.extLenWords ?? o.ext.length / 4) >> 8, (o.extLenWords ?? o.ext.length / 4) & 255]), o.ext]) : Buffer.alloc(0);
  const pad = o.padding ? Buffer.alloc(o.padding) : Buffer.alloc(0);
  if (o.padding) pad[pad.length - 1] = o.paddingByte ?? o.padding;
  const h = Buffer.alloc(12);
  h[0] = ((o.version ?? 2) << 6) | (o.padding ? 0x20 : 0) | (o.ext ? 0x10 : 0) | ((o.csrcCount ?? 0) & 0x0f);
  h[1] = o.pt & 0x7f;
  h.writeUInt16BE(o.seq & 0xffff, 2);
  h.writeUInt32BE((o.ts ?? o.seq * 960) >>> 0, 4);
  h.writeUInt32BE(o.ssrc >>> 0, 8);
  return Buffer.concat([h, csrcs, ext, o.payload, pad]);
}

// ---- echo statistics ----------------------------------------------------------------------

export interface EchoStats { sent: number; back: number; p50: number; p95: number; max: number }

/** Round trips of `kind` for the counters sent in [from, to). */
export function echoStats(peer: WeriftPeer, kind: Kind, from = 0, to = Infinity): EchoStats {
  const sentAt = peer.sentAt[kind];
  const end = Math.min(to, sentAt.length);
  const rtts: number[] = [];
  const seen = new Set<number>();
  for (const { counter, rtp } of peer.echoed(kind)) {
    if (counter < from || counter >= end || seen.has(counter)) continue;
    seen.add(counter);
    rtts.push(rtp.t - sentAt[counter]);
  }
  rtts.sort((a, b) => a - b);
  const q = (f: number) => (rtts.length ? rtts[Math.min(rtts.length - 1, Math.floor(f * rtts.length))] : NaN);
  return { sent: Math.max(0, end - from), back: rtts.length, p50: q(0.5), p95: q(0.95), max: rtts.length ? rtts[rtts.length - 1] : NaN };
}

export function fmtEcho(e: EchoStats): string {
  return `${e.back}/${e.sent} back, round trip p50 ${e.p50.toFixed(1)} ms, p95 ${e.p95.toFixed(1)} ms, max ${e.max.toFixed(1)} ms`;
}
