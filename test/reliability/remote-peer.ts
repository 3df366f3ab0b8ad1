/**
 * A werift call in a process of its own, driven by the test over stdin/stdout (one JSON
 * command per line, one JSON answer per line), for peers whose sending would otherwise share
 * the test process's event loop with the call being measured (floods, bursts).
 *
 *   const a = await RemotePeer.start(janus.httpUrl, 'janus.plugin.echotest', { data: true });
 *   await a.do({ op: 'raw', rtp: [hex...] });  await a.do({ op: 'flood', texts: 2000, textSize: 100 });
 *   const { received, messages } = await a.do({ op: 'stats' });
 *   await a.close();
 *
 * Run as a script (node remote-peer.js URL PACKAGE OPTIONS_JSON) it is the child side.
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { JanusEndpoint, JanusSession, postJson, transaction } from '../helpers/janus-api';
import { WeriftPeer } from '../helpers/werift-peer';
import { sendRawRtcp, sendRawRtp, sendingSsrc } from './helpers';

export interface PeerOptions { audio?: boolean; video?: boolean; data?: boolean }

export class RemotePeer {
  session = 0;
  handle = 0;
  ssrc: Record<'audio' | 'video', { ssrc: number; pt: number }> = { audio: { ssrc: 0, pt: 0 }, video: { ssrc: 0, pt: 0 } };
  #child: ChildProcess;
  #lines: readline.Interface;
  #queue: ((line: string) => void)[] = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#lines = readline.createInterface({ input: child.stdout! });
    this.#lines.on('line', (line) => this.#queue.shift()?.(line));
  }

  static async start(httpUrl: string, pkg: string, opts: PeerOptions = {}): Promise<RemotePeer> {
    const child = spawn(process.execPath, [__filename, httpUrl, pkg, JSON.stringify(opts)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const peer = new RemotePeer(child);
    const ready = await peer.#next(20000);
    if (ready.error) throw new Error(`remote peer: ${ready.error}`);
    Object.assign(peer, { session: ready.session, handle: ready.handle, ssrc: ready.ssrc });
    return peer;
  }

  #next(timeoutMs: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('remote peer: no answer')), timeoutMs);
      this.#queue.push((line) => { clearTimeout(t); resolve(JSON.parse(line)); });
    });
  }

  /** One command; resolves with its answer. */
  async do(cmd: Record<string, unknown>, timeoutMs = 30000): Promise<any> {
    const answer = this.#next(timeoutMs);
    this.#child.stdin!.write(JSON.stringify(cmd) + '\n');
    const a = await answer;
    if (a.error) throw new Error(`remote peer: ${cmd.op}: ${a.error}`);
    return a;
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((r) => this.#child.once('exit', r));
    this.#child.stdin!.write(JSON.stringify({ op: 'close' }) + '\n');
    const t = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}

// ---- the child side -------------------------------------------------------------------------

async function child(httpUrl: string, pkg: string, opts: PeerOptions): Promise<void> {
  const endpoint: JanusEndpoint = {
    httpUrl, running: true,
    async request(body, urlPath = '') {
      const reply = await postJson(httpUrl + urlPath, { transaction: transaction(), ...body });
      if (reply.janus === 'error') throw new Error(`${reply.error?.code}: ${reply.error?.reason}`);
      return reply;
    },
    admin() { throw new Error('no admin here'); },
  };
  const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
  const session = new JanusSession(endpoint, (await endpoint.request({ janus: 'create' })).data.id);
  const handle = await session.attach(pkg);
  const peer = new WeriftPeer({ audio: opts.audio ?? true, video: opts.video ?? true, data: opts.data ?? false });
  const { jsep } = await handle.send({ audio: true, video: true }, await peer.offer(), 8000);
  await peer.accept(jsep!);
  await peer.connected(10000);
  await handle.waitEvent('webrtcup', 8000).catch(() => undefined);
  const ssrc = { audio: peer.tracks.audio ? sendingSsrc(peer, 'audio') : null, video: peer.tracks.video ? sendingSsrc(peer, 'video') : null };
  out({ ready: true, session: session.id, handle: handle.id, ssrc });
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const cmd = JSON.parse(line);
    try {
      if (cmd.op === 'close') {
        await peer.close();
        await session.destroy();
        process.exit(0);
      } else if (cmd.op === 'raw') {
        for (const h of cmd.rtp ?? []) sendRawRtp(peer, Buffer.from(h, 'hex'));
        for (const h of cmd.rtcp ?? []) sendRawRtcp(peer, Buffer.from(h, 'hex'));
        out({ ok: true });
      } else if (cmd.op === 'send') {
        for (let i = 0; i < (cmd.audio ?? 0); i++) peer.sendOne('audio');
        for (let i = 0; i < (cmd.video ?? 0); i++) peer.sendOne('video');
        out({ ok: true });
      } else if (cmd.op === 'flood') {
        // As fast as SCTP takes them: werift's own sender stalls for good when more than a few
        // hundred kB wait in its buffer, so keep what waits under 64 kB.
        const t0 = Date.now();
        const texts = cmd.texts ?? 0, total = texts + (cmd.binaries ?? 0);
        for (let i = 0; i < total; i++) {
          while ((peer.channel?.bufferedAmount ?? 0) > 65536) await new Promise((r) => setTimeout(r, 2));
          peer.sendData(i < texts ? `flood ${i} ${'x'.repeat(cmd.textSize ?? 100)}` : Buffer.alloc(cmd.binarySize ?? 500, i & 255));
        }
        out({ ok: true, ms: Date.now() - t0 });
      } else if (cmd.op === 'stats') {
        out({ received: { audio: peer.received.audio.length, video: peer.received.video.length },
          echoed: { audio: peer.echoed('audio').length, video: peer.echoed('video').length },
          plis: peer.tracks.video ? peer.plis('video') : 0, messages: peer.messages.length,
          bufferedAmount: peer.channel?.bufferedAmount ?? 0 });
      } else {
        out({ error: `unknown op ${cmd.op}` });
      }
    } catch (e) {
      out({ error: (e as Error).message });
    }
  }
}

if (require.main === module) {
  const [httpUrl, pkg, opts] = process.argv.slice(2);
  child(httpUrl, pkg, JSON.parse(opts ?? '{}')).catch((e) => {
    process.stdout.write(JSON.stringify({ error: (e as Error).message }) + '\n');
    process.exit(1);
  });
}
