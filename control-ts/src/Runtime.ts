/**
 * Runtime: runs an app against the plugin. Owns the Connection, the flat Plugin API,
 * the Session objects, and dispatches every plugin → app request and notification of
 * schema.json to the app's callbacks. On every (re)connect it resyncs its sessions
 * from the hello snapshot.
 */
import { EventEmitter } from 'node:events';
import type { AppDefinition, MessageResult } from './App';
import { wantsOf } from './App';
import type { Responder } from './ChannelTypes';
import { Connection } from './Connection';
import type { RunOptions, RuntimeEvents } from './RuntimeTypes';
import { NotSupported, Timeout, UnknownMethod, UnknownSession } from './errors';
import { Logger } from './Logger';
import { Plugin } from './Plugin';
import { Session } from './Session';
import type {
	HelloResult, Jsep, JsonObject, PluginToAppNotifications, PluginToAppRequests,
} from './protocol/types';

export type { RunOptions, RuntimeEvents };

type NotificationHandlers = { [K in keyof PluginToAppNotifications]: (p: PluginToAppNotifications[K]) => Promise<void> };
type RequestHandlers = { [K in keyof PluginToAppRequests]: (p: PluginToAppRequests[K]) => Promise<unknown> };

export class Runtime<D extends object = Record<string, unknown>> extends EventEmitter<RuntimeEvents> {
	readonly app: AppDefinition<D>;
	readonly connection: Connection;
	readonly plugin: Plugin;
	readonly logger: Logger;
	readonly #sessions = new Map<number, Session<D>>();
	readonly #options: RunOptions;
	/** Settles when init has run (callbacks wait for it). */
	#initDone?: Promise<void>;
	#hello?: HelloResult;
	/** stop() was called: a closed connection is expected. */
	#stopped = false;

	/** Notification dispatch, one entry per schema `pluginToAppNotifications` (a test checks the keys). */
	readonly notificationHandlers: NotificationHandlers = {
		createSession: async ({ id }) => {
			// A session created while hello was answered is both in the snapshot and notified: no-op.
			if (this.#sessions.has(id)) return;
			const s = new Session<D>(this.plugin, id);
			this.#sessions.set(id, s);
			await this.#call('createSession', s);
		},
		destroySession: async ({ id }) => {
			const s = this.#sessions.get(id);
			if (!s) return;
			s.destroyed = true;
			this.#sessions.delete(id);
			await this.#call('destroySession', s);
		},
		setupMedia: async ({ id }) => { const s = await this.#session(id); s.started = true; await this.#call('setupMedia', s); },
		hangupMedia: async ({ id }) => {
			const s = await this.#session(id);
			s.started = false;
			s.dataReady = false;
			await this.#call('hangupMedia', s);
		},
		dataReady: async ({ id }) => { const s = await this.#session(id); s.dataReady = true; await this.#call('dataReady', s); },
		slowLink: async ({ id, mindex, video, uplink }) => { await this.#call('slowLink', await this.#session(id), { mindex, video, uplink }); },
		incomingTextData: async ({ id, text, label, protocol }) => {
			await this.#call('incomingTextData', await this.#session(id), text, { label: label ?? null, protocol: protocol ?? null });
		},
		incomingBinaryData: async ({ id, data, label, protocol }) => {
			await this.#call('incomingBinaryData', await this.#session(id), Buffer.from(data, 'base64'), { label: label ?? null, protocol: protocol ?? null });
		},
		substreamChanged: async ({ id, substream }) => { await this.#call('substreamChanged', await this.#session(id), substream); },
		temporalLayerChanged: async ({ id, temporal }) => { await this.#call('temporalLayerChanged', await this.#session(id), temporal); },
		destroy: async () => { this.plugin.cancelTimers(); await this.#call('destroy'); },
	};

	/** Request dispatch, one entry per schema `pluginToAppRequests` (a test checks the keys). */
	readonly requestHandlers: RequestHandlers = {
		handleMessage: async ({ id, transaction, message, jsep }) => {
			const handler = this.app.handleMessage;
			if (!handler) throw new NotSupported('janus-ts: this app does not handle messages');
			const session = this.#sessions.get(id);
			if (!session) throw new UnknownSession(`janus-ts: no session ${id} in the app`);
			const request = { transaction, message: message ?? {}, ...(jsep ? { jsep: jsep as Jsep } : {}) };
			const result = await this.#bounded('handleMessage', this.#messageTimeoutMs(),
				() => handler.call(this.app, session, request)) as MessageResult;
			if (result === undefined || result === null) return { async: true };
			if (typeof result !== 'object' || Array.isArray(result)) {
				throw new TypeError('janus-ts: handleMessage must return an object (sync reply) or nothing (async)');
			}
			return { reply: result };
		},
		handleAdminMessage: async ({ message }) => {
			const handler = this.app.handleAdminMessage;
			if (!handler) throw new NotSupported('janus-ts: this app does not handle admin messages');
			const result = await this.#bounded('handleAdminMessage', this.#queryTimeoutMs(), () => handler.call(this.app, message ?? {}));
			return result ?? {};
		},
		querySession: async ({ id }) => {
			const session = this.#sessions.get(id);
			if (!session) throw new UnknownSession(`janus-ts: no session ${id} in the app`);
			const handler = this.app.querySession;
			if (!handler) return {};
			const result = await this.#bounded('querySession', this.#queryTimeoutMs(), () => handler.call(this.app, session));
			return result ?? {};
		},
	};

	constructor(app: AppDefinition<D>, options: RunOptions = {}) {
		super();
		this.app = app;
		this.#options = options;
		const socketPath = options.socketPath ?? process.env.JANUS_TS_SOCKET;
		if (!socketPath) throw new TypeError('janus-ts: no control socket: pass socketPath (--socket) or set JANUS_TS_SOCKET');
		const token = options.token ?? process.env.JANUS_TS_TOKEN;
		// Under the plugin's app_command (socket from its env, stdout a pipe the plugin copies
		// into the Janus log), lines sent with `log` are not printed too.
		const supervised = process.env.JANUS_TS_SOCKET === socketPath && !process.stdout.isTTY
			&& process.env.JANUS_TS_LOG_STDOUT !== 'always';
		this.logger = options.logger ?? new Logger({ prefix: app.name, quietWhenForwarded: supervised });
		this.connection = new Connection({
			...options, socketPath, app: app.name, wants: wantsOf(app),
			...(token ? { token } : {}),
		});
		this.plugin = new Plugin(this.connection, this.logger);
		this.logger.setSink({
			send: (level, message) => this.connection.request('log', { level, message }),
			connected: () => this.connection.connected,
		});
		this.connection.on('ready', (hello) => this.#onReady(hello));
		this.connection.on('disconnected', (err) => {
			if (this.#stopped) return;
			this.logger.stdout('warn', `janus-ts: control connection lost${err ? `: ${err.message}` : ''}; reconnecting`);
			this.emit('disconnected', err);
		});
		let waitingLogged = false;
		this.connection.on('connectError', (err, fatal) => {
			if (fatal) this.logger.stdout('fatal', `janus-ts: the plugin refused the app: ${err.message}`);
			else if (!waitingLogged) this.logger.stdout('warn', `janus-ts: cannot connect to ${socketPath} yet (${err.message}); retrying`);
			waitingLogged = true;
		});
		this.connection.on('ready', () => { waitingLogged = false; });
		this.connection.on('notification', (event, params) => this.#onNotification(event, params));
		this.connection.on('request', (method, params, respond) => this.#onRequest(method, params, respond));
	}

	/** Live sessions by id. */
	get sessions(): ReadonlyMap<number, Session<D>> { return this.#sessions; }
	get hello(): HelloResult | undefined { return this.#hello; }

	/** Connects, runs init, resyncs; resolves with the first hello result. */
	async start(): Promise<HelloResult> {
		const hello = await this.connection.start();
		await this.#initDone;
		return hello;
	}

	/** Cancels timers and closes the connection (the plugin keeps routing media). */
	stop(): void {
		this.#stopped = true;
		this.plugin.cancelTimers();
		this.connection.close();
	}

	#onReady(hello: HelloResult): void {
		this.#hello = hello;
		const first = this.#initDone === undefined;
		const init = this.app.init;
		const initDone = first && init
			? Promise.resolve().then(() => init.call(this.app, hello.config ?? '', this.plugin, hello)).catch((err) => this.#appError('init', err))
			: (this.#initDone ?? Promise.resolve());
		this.#initDone = initDone.then(() => this.#resync(hello));
		this.#initDone.then(() => this.emit('ready', hello));
	}

	/** Makes the session map match the snapshot of live sessions. */
	async #resync(hello: HelloResult): Promise<void> {
		const live = new Map((hello.sessions ?? []).map((info) => [info.id, info]));
		for (const [id, s] of [...this.#sessions]) {
			if (live.has(id)) continue;
			// Gone while we were away.
			s.destroyed = true;
			this.#sessions.delete(id);
			await this.#call('destroySession', s);
		}
		for (const [id, info] of live) {
			let s = this.#sessions.get(id);
			const known = s !== undefined;
			if (!s) { s = new Session<D>(this.plugin, id); this.#sessions.set(id, s); }
			const wasStarted = s.started;
			s.info = info;
			s.started = info.started;
			s.dataReady = info.dataReady;
			if (known) {
				// The PeerConnection came up or went down while we were away.
				if (!wasStarted && info.started) await this.#call('setupMedia', s);
				if (wasStarted && !info.started) await this.#call('hangupMedia', s);
				continue;
			}
			if (this.app.resumeSession) {
				await this.#call('resumeSession', s, info);
			} else {
				await this.#call('createSession', s);
				if (info.started) await this.#call('setupMedia', s);
			}
		}
	}

	#onNotification(event: string, params: JsonObject): void {
		const handler = (this.notificationHandlers as unknown as Record<string, ((p: JsonObject) => Promise<void>) | undefined>)[event];
		if (!handler) { this.logger.stdout('warn', `janus-ts: ignoring unknown notification ${event}`); return; }
		const initDone = this.#initDone ?? Promise.resolve();
		initDone.then(() => handler(params)).catch((err) => this.#appError(event, err));
	}

	#onRequest(method: string, params: JsonObject, respond: Responder): void {
		const handler = (this.requestHandlers as unknown as Record<string, ((p: JsonObject) => Promise<unknown>) | undefined>)[method];
		if (!handler) { respond.fail(new UnknownMethod(`janus-ts: the app has no method ${method}`)); return; }
		const initDone = this.#initDone ?? Promise.resolve();
		initDone.then(() => handler(params)).then((r) => respond.ok(r), (err) => {
			if (!(err instanceof Timeout)) this.#appError(method, err);
			respond.fail(err);
		});
	}

	/**
	 * The Session of an id. An id the app never saw (an event raced the hello snapshot)
	 * gets a Session and the app's createSession first, so callbacks always find their state.
	 */
	async #session(id: number): Promise<Session<D>> {
		const known = this.#sessions.get(id);
		if (known) return known;
		const s = new Session<D>(this.plugin, id);
		this.#sessions.set(id, s);
		this.logger.stdout('verb', `janus-ts: event for session ${id} the app had not seen: creating it`);
		await this.#call('createSession', s);
		return s;
	}

	/** Calls an app callback if defined; errors are logged, never thrown. */
	async #call(name: keyof AppDefinition<D>, ...args: unknown[]): Promise<void> {
		const fn = this.app[name] as ((...a: unknown[]) => unknown) | undefined;
		if (typeof fn !== 'function') return;
		try {
			await fn.apply(this.app, args);
		} catch (err) {
			this.#appError(String(name), err);
		}
	}

	#appError(callback: string, err: unknown): void {
		this.logger.error(`${callback} failed:`, err instanceof Error ? err.message : err);
		this.emit('appError', callback, err);
	}

	/** Runs `fn` and rejects with Timeout when it does not settle within `ms`. */
	#bounded<T>(what: string, ms: number, fn: () => T | Promise<T>): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Timeout(`janus-ts: ${what} did not settle within ${ms} ms`)), ms);
			Promise.resolve().then(fn).then(
				(r) => { clearTimeout(timer); resolve(r); },
				(e) => { clearTimeout(timer); reject(e); },
			);
		});
	}

	#messageTimeoutMs(): number {
		const limit = this.#hello?.limits?.messageTimeoutMs ?? 5000;
		const margin = this.#options.messageTimeoutMarginMs ?? Math.min(500, Math.max(50, Math.round(limit / 10)));
		return Math.max(1, limit - margin);
	}

	#queryTimeoutMs(): number {
		const limit = this.#options.queryTimeoutMs ?? 1000;
		const margin = this.#options.messageTimeoutMarginMs ?? Math.min(500, Math.max(50, Math.round(limit / 10)));
		return Math.max(1, limit - margin);
	}
}

/** Creates a Runtime for `app` and starts it. */
export async function run<D extends object>(app: AppDefinition<D>, options: RunOptions = {}): Promise<Runtime<D>> {
	const runtime = new Runtime(app, options);
	await runtime.start();
	return runtime;
}
