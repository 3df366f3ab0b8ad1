/**
 * Connection: the app's control connection to the plugin, kept alive.
 *
 * Connects to the plugin's Unix socket, sends `hello` (protocol version, token, app
 * name, `wants`), and on every successful hello emits `ready` with the hello result,
 * whose session snapshot lets the app resync. When the socket closes it reconnects
 * with exponential backoff (the plugin keeps routing media meanwhile). Requests made
 * while disconnected reject at once with `NotConnected`.
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { Channel } from './Channel';
import type { ConnectionEvents, ConnectionOptions } from './ConnectionTypes';
import { JanusTsError, NotConnected } from './errors';
import {
	PROTOCOL_VERSION, type AppToPluginMethod, type AppToPluginParams, type HelloResult, type ResultOf,
} from './protocol/types';

export type { ConnectionEvents, ConnectionOptions };

/** Hello refusals that retrying cannot fix. */
const FATAL_KINDS = new Set(['ProtocolVersion', 'Unauthorized']);

export class Connection extends EventEmitter<ConnectionEvents> {
	readonly #options: Required<Omit<ConnectionOptions, 'token' | 'app' | 'firstRequestId'>> & ConnectionOptions;
	/** The channel after a successful hello; undefined while (re)connecting. */
	#channel?: Channel;
	/** The last hello result. */
	#hello?: HelloResult;
	#closed = false;
	#attempt = 0;
	#retryTimer?: NodeJS.Timeout;

	constructor(options: ConnectionOptions) {
		super();
		if (!options.socketPath) throw new TypeError('janus-ts: socketPath is required');
		this.#options = {
			wants: [], replace: false, reconnect: true, minReconnectDelayMs: 100,
			maxReconnectDelayMs: 5000, requestTimeoutMs: 10000, maxFrame: 1048576, ...options,
		};
	}

	get connected(): boolean { return this.#channel !== undefined && !this.#channel.closed; }
	get hello(): HelloResult | undefined { return this.#hello; }

	/**
	 * Connects; resolves with the first hello result. Rejects on a fatal refusal, or on
	 * the first failure when `reconnect` is off; otherwise keeps trying.
	 */
	start(): Promise<HelloResult> {
		return new Promise((resolve, reject) => {
			const onReady = (hello: HelloResult) => { this.off('connectError', onError); resolve(hello); };
			const onError = (err: Error, fatal: boolean) => {
				if (fatal || !this.#options.reconnect) { this.off('ready', onReady); this.off('connectError', onError); reject(err); }
			};
			this.once('ready', onReady);
			this.on('connectError', onError);
			this.#connect();
		});
	}

	/** Sends a request to the plugin. */
	request<M extends AppToPluginMethod>(method: M, params: AppToPluginParams[M]): Promise<ResultOf<M>> {
		const channel = this.#channel;
		if (!channel || channel.closed) {
			return Promise.reject(new NotConnected(`janus-ts: ${method}: not connected to the plugin`));
		}
		return channel.request<ResultOf<M>>(method, params);
	}

	/** Closes the current connection and goes on reconnecting (the plugin is going away and may come back). */
	hangUp(): void {
		this.#channel?.close();
	}

	/** Stops reconnecting and closes the connection. */
	close(): void {
		this.#closed = true;
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		this.#channel?.close();
	}

	#connect(): void {
		if (this.#closed) return;
		const socket = net.createConnection(this.#options.socketPath);
		const channel = new Channel(socket, {
			maxFrame: this.#options.maxFrame,
			requestTimeoutMs: this.#options.requestTimeoutMs,
			firstRequestId: this.#options.firstRequestId,
		});
		let helloDone = false;
		channel.on('close', (error) => {
			if (this.#channel === channel) {
				this.#channel = undefined;
				this.emit('disconnected', error);
			} else if (!helloDone && error) {
				this.emit('connectError', error, false);
			}
			this.#scheduleRetry();
		});
		channel.on('notification', (event, params) => { if (this.#channel === channel) this.emit('notification', event, params); });
		channel.on('request', (method, params, respond) => {
			if (this.#channel === channel) this.emit('request', method, params, respond);
			else respond.fail(new NotConnected('janus-ts: app not ready'));
		});
		socket.once('connect', () => {
			const hello: AppToPluginParams['hello'] = { protocol: PROTOCOL_VERSION, wants: this.#options.wants };
			if (this.#options.token !== undefined) hello.token = this.#options.token;
			if (this.#options.app !== undefined) hello.app = this.#options.app;
			if (this.#options.replace && !this.#hello) hello.replace = true; // first connection only
			channel.request<HelloResult>('hello', hello).then((result) => {
				helloDone = true;
				if (this.#closed) { channel.close(); return; }
				this.#attempt = 0;
				this.#hello = result;
				// Both sides must agree on the limit: adopt the plugin's control_max_frame.
				const limit = result.limits?.maxFrame;
				if (Number.isInteger(limit) && limit > 0) channel.maxFrame = limit;
				this.#channel = channel;
				this.emit('ready', result);
			}, (err: Error) => {
				const fatal = err instanceof JanusTsError && FATAL_KINDS.has(err.kind);
				helloDone = true;
				this.emit('connectError', err, fatal);
				if (fatal) this.#closed = true;
				channel.close();
			});
		});
	}

	#scheduleRetry(): void {
		if (this.#closed || !this.#options.reconnect || this.#retryTimer) return;
		const delay = Math.min(this.#options.maxReconnectDelayMs, this.#options.minReconnectDelayMs * 2 ** this.#attempt);
		this.#attempt++;
		this.#retryTimer = setTimeout(() => { this.#retryTimer = undefined; this.#connect(); }, delay);
	}
}
