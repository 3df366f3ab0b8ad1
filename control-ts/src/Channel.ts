/**
 * Channel: framed JSON messages over one stream socket (docs/control-protocol.md).
 *
 * Frame = 4-byte big-endian length N (1 ≤ N ≤ maxFrame) + N bytes of UTF-8 JSON object.
 * Requests carry ids 1, 2, … wrapping after 2^31 − 1 back to 1; the pending map is
 * rejected with `NotConnected` when the socket closes. Incoming notifications and
 * requests are delivered on a later macrotask (setImmediate, FIFO) so a notification
 * never overtakes the code awaiting the response that arrived before it.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { BadArguments, NotConnected, Timeout, errorFromWire, errorToWire } from './errors';
import type { JsonObject, ResponseMessage } from './protocol/types';
import type { ChannelEvents, ChannelOptions, Responder } from './ChannelTypes';
import schema from './protocol/schema.json';

export type { ChannelEvents, ChannelOptions, Responder };

/** Largest request id before wrapping back to 1. */
export const MAX_REQUEST_ID = 0x7fffffff;

interface Pending {
	method: string;
	resolve: (result: unknown) => void;
	reject: (error: Error) => void;
	timer?: NodeJS.Timeout;
}

export class Channel extends EventEmitter<ChannelEvents> {
	/** The stream; owned: destroyed by close(). */
	readonly #socket: Duplex;
	#maxFrame: number;
	readonly #requestTimeoutMs: number;
	/** Id the next request gets. */
	#nextId: number;
	/** Requests sent and not answered yet, by id. */
	readonly #pending = new Map<number, Pending>();
	/** Bytes received and not yet parsed into frames. */
	#rx: Buffer = Buffer.alloc(0);
	#closed = false;

	constructor(socket: Duplex, options: ChannelOptions = {}) {
		super();
		this.#socket = socket;
		this.#maxFrame = options.maxFrame ?? schema.maxFrameDefault;
		this.#requestTimeoutMs = options.requestTimeoutMs ?? 10000;
		this.#nextId = options.firstRequestId ?? 1;
		if (!(this.#nextId >= 1 && this.#nextId <= MAX_REQUEST_ID)) throw new RangeError('firstRequestId must be in 1..2^31-1');
		socket.on('data', (chunk: Buffer) => this.#onData(chunk));
		socket.on('error', (err) => this.close(err));
		socket.on('close', () => this.close());
		socket.on('end', () => this.close());
	}

	get closed(): boolean { return this.#closed; }
	/** Largest frame payload accepted or sent, bytes (the Connection adopts the plugin's after hello). */
	get maxFrame(): number { return this.#maxFrame; }
	set maxFrame(bytes: number) {
		if (!(Number.isInteger(bytes) && bytes >= 1)) throw new RangeError(`janus-ts: bad maxFrame ${bytes}`);
		this.#maxFrame = bytes;
	}
	/** Number of requests waiting for their response. */
	get pendingCount(): number { return this.#pending.size; }

	/** Sends a request; resolves with its result or rejects with the typed error. */
	request<T = unknown>(method: string, params: object = {}): Promise<T> {
		if (this.#closed) return Promise.reject(new NotConnected(`janus-ts: cannot send ${method}: control connection closed`));
		const id = this.#takeId();
		return new Promise<T>((resolve, reject) => {
			const pending: Pending = { method, resolve: resolve as (r: unknown) => void, reject };
			try {
				this.#send({ id, method, params });
			} catch (err) {
				reject(err as Error);
				return;
			}
			if (this.#requestTimeoutMs > 0) {
				pending.timer = setTimeout(() => {
					this.#pending.delete(id);
					reject(new Timeout(`janus-ts: ${method} got no answer within ${this.#requestTimeoutMs} ms`));
				}, this.#requestTimeoutMs);
			}
			this.#pending.set(id, pending);
		});
	}

	/** Sends a notification (fire and forget). */
	notify(event: string, params: object = {}): void {
		if (this.#closed) throw new NotConnected(`janus-ts: cannot send ${event}: control connection closed`);
		this.#send({ event, params });
	}

	/** Closes the socket and rejects every pending request with `NotConnected`. Idempotent. */
	close(error?: Error): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#socket.destroy();
		const why = error ? `: ${error.message}` : '';
		for (const [, p] of this.#pending) {
			if (p.timer) clearTimeout(p.timer);
			p.reject(new NotConnected(`janus-ts: control connection closed before ${p.method} was answered${why}`));
		}
		this.#pending.clear();
		// Deferred like the other events so it comes after already queued deliveries.
		setImmediate(() => this.emit('close', error));
	}

	#takeId(): number {
		// Skip an id still pending after a full wrap (practically never).
		let id = this.#nextId;
		while (this.#pending.has(id)) id = id >= MAX_REQUEST_ID ? 1 : id + 1;
		this.#nextId = id >= MAX_REQUEST_ID ? 1 : id + 1;
		return id;
	}

	#send(message: object): void {
		const body = Buffer.from(JSON.stringify(message), 'utf8');
		if (body.length > this.#maxFrame) {
			throw new BadArguments(`janus-ts: frame of ${body.length} bytes exceeds the maximum of ${this.#maxFrame}`);
		}
		const header = Buffer.allocUnsafe(4);
		header.writeUInt32BE(body.length, 0);
		this.#socket.write(Buffer.concat([header, body]));
	}

	#onData(chunk: Buffer): void {
		if (this.#closed) return;
		this.#rx = this.#rx.length === 0 ? chunk : Buffer.concat([this.#rx, chunk]);
		let offset = 0;
		while (this.#rx.length - offset >= 4) {
			const length = this.#rx.readUInt32BE(offset);
			if (length === 0 || length > this.#maxFrame) {
				this.close(new Error(`janus-ts: protocol error: frame length ${length} outside 1..${this.#maxFrame}`));
				return;
			}
			if (this.#rx.length - offset - 4 < length) break;
			const payload = this.#rx.subarray(offset + 4, offset + 4 + length);
			offset += 4 + length;
			let message: unknown;
			try {
				message = JSON.parse(payload.toString('utf8'));
			} catch {
				this.close(new Error('janus-ts: protocol error: frame is not valid JSON'));
				return;
			}
			if (message === null || typeof message !== 'object' || Array.isArray(message)) {
				this.close(new Error('janus-ts: protocol error: frame is not a JSON object'));
				return;
			}
			this.#onMessage(message as JsonObject);
			if (this.#closed) return;
		}
		this.#rx = offset === this.#rx.length ? Buffer.alloc(0) : this.#rx.subarray(offset);
	}

	#onMessage(msg: JsonObject): void {
		if (typeof msg.method === 'string' && typeof msg.id === 'number') {
			const id = msg.id;
			const method = msg.method;
			const params = (msg.params ?? {}) as JsonObject;
			let answered = false;
			const respond: Responder = {
				ok: (result) => {
					if (answered || this.#closed) return;
					answered = true;
					this.#send({ id, result: result === undefined ? null : result });
				},
				fail: (error) => {
					if (answered || this.#closed) return;
					answered = true;
					this.#send({ id, ...errorToWire(error) });
				},
			};
			setImmediate(() => this.emit('request', method, params, respond));
		} else if (typeof msg.event === 'string') {
			const event = msg.event;
			const params = (msg.params ?? {}) as JsonObject;
			setImmediate(() => this.emit('notification', event, params));
		} else if (typeof msg.id === 'number') {
			this.#onResponse(msg as unknown as ResponseMessage);
		} else {
			this.close(new Error('janus-ts: protocol error: message is neither request, response nor notification'));
		}
	}

	#onResponse(msg: ResponseMessage): void {
		const pending = this.#pending.get(msg.id);
		if (!pending) return; // answered after its timeout: dropped
		this.#pending.delete(msg.id);
		if (pending.timer) clearTimeout(pending.timer);
		if (msg.error !== undefined) {
			// The plugin's reason names the session and what is wrong; the method is ours.
			const err = errorFromWire(msg.error, `${pending.method}: ${msg.reason ?? msg.error}`);
			err.method = pending.method;
			pending.reject(err);
		}
		else pending.resolve(msg.result);
	}
}

