/**
 * The HTTP Janus API as a client sees it: sessions with a long-poll loop, plugin handles,
 * errors. Used through Janus (janus.ts), which starts the server these talk to.
 */
import { randomBytes } from 'node:crypto';
import { sleep } from './wait';

/** What a session needs from the server it belongs to (implemented by Janus). */
export interface JanusEndpoint {
  /** Janus API base URL, e.g. http://127.0.0.1:8088/janus. */
  readonly httpUrl: string;
  /** False once the server process has exited (ends long polls). */
  readonly running: boolean;
  request(body: Record<string, unknown>, urlPath?: string): Promise<any>;
  admin(body: Record<string, unknown>, urlPath?: string): Promise<any>;
}

/** A Janus API error reply ({"janus": "error"} or a plugin's {"error_code", "error"}). */
export class JanusError extends Error {
  constructor(readonly code: number, reason: string, readonly reply: any) {
    super(`Janus error ${code}: ${reason}`);
    this.name = 'JanusError';
  }
}

export function transaction(): string {
  return randomBytes(6).toString('hex');
}

/** POST a JSON body, parse the JSON reply. */
export async function postJson(url: string, body: unknown, timeoutMs = 5000): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`POST ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

/** An event from a session's long poll: {janus: "event"|"webrtcup"|"media"|"hangup"|..., sender, ...}. */
export type JanusEvent = Record<string, any>;

interface Waiter {
  match: (e: JanusEvent) => boolean;
  resolve: (e: JanusEvent) => void;
}

/**
 * A Janus session. Its long-poll loop (GET /janus/<session>?maxev=10) runs from creation
 * until destroy(); events are kept in `events` and handed to waitEvent() callers.
 */
export class JanusSession {
  /** Every event received so far and not consumed by waitEvent(), in order. */
  readonly events: JanusEvent[] = [];
  /** Every event received so far (keepalives aside), consumed or not, in order. */
  readonly history: JanusEvent[] = [];
  #waiters: Waiter[] = [];
  #poll = new AbortController();
  #polling: Promise<void>;
  #closed = false;

  constructor(readonly janus: JanusEndpoint, readonly id: number) {
    this.#polling = this.#pollLoop();
  }

  get url(): string {
    return `${this.janus.httpUrl}/${this.id}`;
  }

  async #pollLoop(): Promise<void> {
    while (!this.#closed && this.janus.running) {
      try {
        const res = await fetch(`${this.url}?maxev=10&rid=${Date.now()}`, { signal: this.#poll.signal });
        const body: any = await res.json();
        if (!Array.isArray(body) && body.janus === 'error') {
          this.events.push(body); // kept for inspection, e.g. 458 after a session timeout
          if (body.error?.code === 458) break; // no such session: it is gone for good
          await sleep(200);
          continue;
        }
        for (const e of Array.isArray(body) ? body : [body]) this.#deliver(e);
      } catch {
        if (this.#closed) return;
        if (!this.janus.running) break; // Janus stopped: nothing more will come
        await sleep(200); // a transient error: retry gently
      }
    }
  }

  #deliver(e: JanusEvent): void {
    if (e.janus === 'keepalive') return;
    this.history.push(e);
    const i = this.#waiters.findIndex((w) => w.match(e));
    if (i >= 0) {
      this.#waiters.splice(i, 1)[0].resolve(e);
      return; // consumed by a waiter
    }
    this.events.push(e);
  }

  /**
   * The first event (already received and not yet consumed, or future) matching `match`;
   * it is consumed. Rejects after timeoutMs with the events seen so far.
   */
  waitEvent(match: (e: JanusEvent) => boolean, timeoutMs = 5000): Promise<JanusEvent> {
    const i = this.events.findIndex(match);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching Janus event within ${timeoutMs} ms; unconsumed events: ${JSON.stringify(this.events).slice(0, 1500)}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Janus API request on this session's path; rejects on {"janus": "error"}. */
  request(body: Record<string, unknown>): Promise<any> {
    return this.janus.request(body, `/${this.id}`);
  }

  async attach(pluginPackage: string): Promise<JanusHandle> {
    const reply = await this.request({ janus: 'attach', plugin: pluginPackage });
    return new JanusHandle(this, reply.data.id);
  }

  async keepalive(): Promise<void> {
    await this.request({ janus: 'keepalive' });
  }

  /** Destroys the session on Janus (errors ignored when Janus is gone) and ends the poll. */
  async destroy(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.janus.running) await this.request({ janus: 'destroy' });
    } catch {
      /* already gone */
    }
    this.#closed = true;
    this.#poll.abort();
    await this.#polling;
  }
}

/** A plugin handle. */
export class JanusHandle {
  constructor(readonly session: JanusSession, readonly id: number) {}

  /** Janus API request on this handle's path; rejects on {"janus": "error"}. */
  request(body: Record<string, unknown>): Promise<any> {
    return this.session.janus.request(body, `/${this.session.id}/${this.id}`);
  }

  /**
   * Sends {"janus": "message", body, jsep?}. Returns Janus's direct reply: {"janus": "success",
   * plugindata} for a synchronous plugin answer or {"janus": "ack"} for an asynchronous one.
   */
  message(body: Record<string, unknown>, jsep?: { type: string; sdp: string }): Promise<any> {
    return this.request({ janus: 'message', body, ...(jsep ? { jsep } : {}) });
  }

  /**
   * Sends a message and returns the plugin's answer, synchronous or asynchronous:
   * {data: plugindata.data, jsep?}. Rejects when the plugin answers with an error
   * (`error_code`/`error` in its data) or nothing arrives within timeoutMs.
   */
  async send(body: Record<string, unknown>, jsep?: { type: string; sdp: string }, timeoutMs = 5000):
    Promise<{ data: any; jsep?: { type: string; sdp: string } }> {
    const reply = await this.message(body, jsep);
    let answer: JanusEvent = reply;
    if (reply.janus === 'ack') {
      answer = await this.session.waitEvent(
        (e) => e.janus === 'event' && e.sender === this.id && e.transaction === reply.transaction, timeoutMs);
    }
    const data = answer.plugindata?.data;
    if (data && (data.error_code !== undefined || data.error !== undefined)) {
      throw new JanusError(data.error_code ?? -1, String(data.error), answer);
    }
    return { data, jsep: answer.jsep };
  }

  /** Trickles one candidate ({candidate, sdpMid, sdpMLineIndex}), a list, or {completed: true}. */
  trickle(candidate: unknown): Promise<any> {
    const key = Array.isArray(candidate) ? 'candidates' : 'candidate';
    return this.request({ janus: 'trickle', [key]: candidate });
  }

  /** Waits for an event about this handle, e.g. handle.waitEvent('webrtcup'). */
  waitEvent(kind: string, timeoutMs = 5000, match: (e: JanusEvent) => boolean = () => true): Promise<JanusEvent> {
    return this.session.waitEvent((e) => e.sender === this.id && e.janus === kind && match(e), timeoutMs);
  }

  hangup(): Promise<any> {
    return this.request({ janus: 'hangup' });
  }

  detach(): Promise<any> {
    return this.request({ janus: 'detach' });
  }

  /** Admin API handle_info for this handle. */
  async info(): Promise<any> {
    const reply = await this.session.janus.admin({ janus: 'handle_info' }, `/${this.session.id}/${this.id}`);
    return reply.info;
  }
}
