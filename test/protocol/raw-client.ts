/**
 * A raw control-socket client for the protocol tests: plain `net`, frames built by hand
 * (4-byte big-endian length + JSON), no dependency on the janus-ts runtime, so the tests
 * see exactly what the plugin writes.
 */
import * as net from 'node:net';

export interface Frame {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: string;
  reason?: string;
  event?: string;
}

/** 4-byte big-endian length + UTF-8 JSON of `msg`. */
export function frame(msg: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(msg), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export class RawClient {
  /** Every frame received, in order (consumed by next()/waitFor()). */
  readonly inbox: Frame[] = [];
  /** Resolves when the plugin (or we) closed the connection. */
  readonly closed: Promise<void>;
  isClosed = false;
  #sock: net.Socket;
  #buf = Buffer.alloc(0);
  #waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void; reject: (e: Error) => void }[] = [];
  #nextId = 1;

  private constructor(sock: net.Socket) {
    this.#sock = sock;
    this.closed = new Promise((resolve) => {
      sock.once('close', () => {
        this.isClosed = true;
        for (const w of this.#waiters.splice(0)) w.reject(new Error('connection closed'));
        resolve();
      });
    });
    sock.on('error', () => undefined); // surfaces as 'close'
    sock.on('data', (chunk) => this.#onData(chunk));
  }

  static connect(path: string, timeoutMs = 3000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection(path);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect ${path}: timeout`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new RawClient(sock));
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Stops reading from the socket (the plugin's writes then back up). */
  pauseReading(): void {
    this.#sock.pause();
  }

  resumeReading(): void {
    this.#sock.resume();
  }

  #onData(chunk: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    while (this.#buf.length >= 4) {
      const n = this.#buf.readUInt32BE(0);
      if (this.#buf.length < 4 + n) break;
      const f = JSON.parse(this.#buf.subarray(4, 4 + n).toString('utf8')) as Frame;
      this.#buf = this.#buf.subarray(4 + n);
      const i = this.#waiters.findIndex((w) => w.match(f));
      if (i >= 0) this.#waiters.splice(i, 1)[0].resolve(f);
      else this.inbox.push(f);
    }
  }

  sendRaw(bytes: Buffer | string): void {
    this.#sock.write(bytes);
  }

  send(msg: unknown): void {
    this.#sock.write(frame(msg));
  }

  /** The first received frame matching `match` (consumed). */
  waitFor(match: (f: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const w = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(new Error(`no matching frame within ${timeoutMs} ms; inbox: ${JSON.stringify(this.inbox).slice(0, 500)}`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  /** Sends a request and resolves with its response frame (error or result). */
  async call(method: string, params: unknown = {}, timeoutMs = 3000): Promise<Frame> {
    const id = this.#nextId++;
    this.send({ id, method, params });
    return this.waitFor((f) => f.id === id && f.method === undefined, timeoutMs);
  }

  /** Like call() but rejects on an error response; resolves with the result. */
  async ok(method: string, params: unknown = {}, timeoutMs = 3000): Promise<any> {
    const f = await this.call(method, params, timeoutMs);
    if (f.error !== undefined) throw new Error(`${method}: ${f.error}: ${f.reason}`);
    return f.result;
  }

  /** hello with protocol 1 and the given extras; resolves with the response frame. */
  hello(extra: Record<string, unknown> = {}): Promise<Frame> {
    return this.call('hello', { protocol: 1, app: 'protocol-test', ...extra });
  }

  /** Resolves true if the connection closes within timeoutMs. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const r = await Promise.race([this.closed.then(() => true), t]);
    clearTimeout(timer);
    return r;
  }

  close(): Promise<void> {
    this.#sock.end();
    this.#sock.destroy();
    return this.closed;
  }
}
