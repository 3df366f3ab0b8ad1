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
import { Channel, type Responder } from './Channel';
import { JanusTsError, NotConnected } from './errors';
import {
	PROTOCOL_VERSION, type AppToPluginMethod, type AppToPluginParams, type HelloResult, type JsonObject, type ResultOf,
} from './protocol/types';

export interface ConnectionOptions {
	/** Path of the plugin's control socket (jcfg `control_socket`). Required. */
	socketPath: string;
	/** Token the plugin expects (jcfg `control_token`). Default: none. */
	token?: string;
	/** App name shown in the plugin's logs and stats. Default: none. */
	app?: string;
	/** Optional callbacks the app implements (`incomingTextData`, `incomingBinaryData`). Default: []. */
	wants?: string[];
	/** Take over from a connection that is still active (a hung old process). Default: false. */
	replace?: boolean;
	/** Reconnect after the connection closes or a connect attempt fails. Default: true. */
	reconnect?: boolean;
	/** First reconnect delay, doubled at each failed attempt, ms. Default: 100. */
	minReconnectDelayMs?: number;
	/** Cap of the reconnect delay, ms. Default: 5000. */
	maxReconnectDelayMs?: number;
	/** Timeout of each request to the plugin, ms. Default: 10000. */
	requestTimeoutMs?: number;
	/** Largest frame, bytes (match jcfg `control_max_frame`). Default: 1 MiB, the plugin default. */
	maxFrame?: number;
	/** First request id of each channel (tests of the id wrap). Default: 1. */
	firstRequestId?: number;
}

export type ConnectionEvents = {
	/** Hello accepted (first connect and every reconnect). */
	ready: [hello: HelloResult];
	/** The connection was lost (it will reconnect unless closed or reconnect is off). */
	disconnected: [error?: Error];
	/** A connect or hello attempt failed; `fatal` when retrying cannot help (ProtocolVersion, Unauthorized). */
	connectError: [error: Error, fatal: boolean];
	notification: [event: string, params: JsonObject];
	request: [method: string, params: JsonObject, respond: Responder];
};

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
			if (this.#options.replace) hello.replace = true;
			channel.request<HelloResult>('hello', hello).then((result) => {
				helloDone = true;
				if (this.#closed) { channel.close(); return; }
				this.#attempt = 0;
				this.#hello = result;
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
