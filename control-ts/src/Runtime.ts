/**
 * Runtime: runs an app against the plugin. Owns the Connection, the flat Plugin API,
 * the Session objects, and dispatches every plugin → app request and notification of
 * schema.json to the app's callbacks. The callbacks of one session run one after another,
 * each awaited before the next starts (SessionQueue; `serialCallbacks: false` opts out).
 * On every (re)connect it resyncs its sessions from the hello snapshot.
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
import { SessionQueue } from './SessionQueue';
import type {
	HelloResult, Jsep, JsonObject, PluginToAppNotifications, PluginToAppRequests, SessionInfo,
} from './protocol/types';

export type { RunOptions, RuntimeEvents };

type NotificationHandlers = { [K in keyof PluginToAppNotifications]: (p: PluginToAppNotifications[K]) => Promise<void> };
/** The time a request may take: `ms` from its arrival, until `deadline` (Date.now() value). */
interface Budget { deadline: number; ms: number }
type RequestHandlers = { [K in keyof PluginToAppRequests]: (p: PluginToAppRequests[K], budget: Budget) => Promise<unknown> };

export class Runtime<D extends object = Record<string, unknown>> extends EventEmitter<RuntimeEvents> {
	readonly app: AppDefinition<D>;
	readonly connection: Connection;
	readonly plugin: Plugin;
	readonly logger: Logger;
	readonly #sessions = new Map<number, Session<D>>();
	/** Serializes the callbacks of each session. */
	readonly #queue: SessionQueue;
	readonly #options: RunOptions;
	/** Settles when init has run and the last resync is queued (events wait for it). */
	#initDone?: Promise<void>;
	/** Settles when the callbacks of the last resync have run. */
	#resynced?: Promise<void>;
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
			await this.#destroy(s);
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
		substreamChanged: async ({ id, mindex, substream }) => { await this.#call('substreamChanged', await this.#session(id), substream, mindex); },
		temporalLayerChanged: async ({ id, mindex, temporal }) => { await this.#call('temporalLayerChanged', await this.#session(id), temporal, mindex); },
		spatialLayerChanged: async ({ id, mindex, spatial }) => { await this.#call('spatialLayerChanged', await this.#session(id), spatial, mindex); },
		talking: async ({ id, mindex, level }) => { await this.#call('talking', await this.#session(id), { mindex, level }); },
		stoppedTalking: async ({ id, mindex, level }) => { await this.#call('stoppedTalking', await this.#session(id), { mindex, level }); },
		// The plugin shuts down: after the callbacks already queued for its sessions. Then the
		// app hangs up, which tells the plugin it is done (it waits a second for that before it
		// stops a supervised app); it reconnects should Janus come back.
		destroy: async () => {
			await this.#queue.drain();
			this.plugin.cancelTimers();
			await this.#call('destroy');
			this.connection.hangUp();
		},
		// A frame of ours the plugin could not use (e.g. an answer after message_timeout_ms).
		protocolError: async ({ reason }) => { this.logger.stdout('warn', `janus-ts: the plugin says: ${reason}`); },
	};

	/** Request dispatch, one entry per schema `pluginToAppRequests` (a test checks the keys). */
	readonly requestHandlers: RequestHandlers = {
		handleMessage: async ({ id, transaction, message, jsep }, budget) => {
			const handler = this.app.handleMessage;
			if (!handler) throw new NotSupported('janus-ts: this app does not handle messages');
			const request = { transaction, message: message ?? {}, ...(jsep ? { jsep: jsep as Jsep } : {}) };
			// Queued behind the session's earlier callbacks; answered Timeout in time either way.
			let expired = false;
			let started = false;
			const work = this.#queue.run(id, 'handleMessage', () => {
				if (expired) return undefined; // already answered Timeout: not run at all
				started = true;
				const session = this.#sessions.get(id);
				if (!session) throw new UnknownSession(`janus-ts: no session ${id} in the app`);
				return handler.call(this.app, session, request);
			});
			const result = await this.#bounded(work, budget.deadline, () => {
				expired = true;
				if (started) return new Timeout(`janus-ts: handleMessage did not settle within ${budget.ms} ms`);
				const blocker = this.#queue.running(id);
				return new Timeout(`janus-ts: handleMessage of session ${id} waited ${budget.ms} ms behind ${blocker ?? 'earlier callbacks'} of that session and was not run`);
			}) as MessageResult;
			if (result === undefined || result === null) return { async: true };
			if (typeof result !== 'object' || Array.isArray(result)) {
				throw new TypeError('janus-ts: handleMessage must return an object (sync reply) or nothing (async)');
			}
			return { reply: result };
		},
		handleAdminMessage: async ({ message }, budget) => {
			const handler = this.app.handleAdminMessage;
			if (!handler) throw new NotSupported('janus-ts: this app does not handle admin messages');
			const work = Promise.resolve().then(() => handler.call(this.app, message ?? {}));
			const result = await this.#bounded(work, budget.deadline, () => new Timeout(`janus-ts: handleAdminMessage did not settle within ${budget.ms} ms`));
			return result ?? {};
		},
		// Asked (not notified) because the app defines setupMedia (hello `wants`): the handle's
		// Janus thread waits for this answer, so the client's first packets find the valves and
		// routes it sets. Queued like the notification; answered Timeout at the budget (the
		// callback goes on, the plugin logs it).
		setupMedia: async ({ id }, budget) => {
			const work = this.#queue.run(id, 'setupMedia', () => this.notificationHandlers.setupMedia({ id }));
			await this.#bounded(work, budget.deadline, () => new Timeout(`janus-ts: setupMedia of session ${id} did not settle within ${budget.ms} ms`));
			return true;
		},
		// Not queued: a read-only Admin API query, answered even while a callback of the session runs.
		querySession: async ({ id }, budget) => {
			const session = this.#sessions.get(id);
			if (!session) throw new UnknownSession(`janus-ts: no session ${id} in the app`);
			const handler = this.app.querySession;
			if (!handler) return {};
			const work = Promise.resolve().then(() => handler.call(this.app, session));
			const result = await this.#bounded(work, budget.deadline, () => new Timeout(`janus-ts: querySession did not settle within ${budget.ms} ms`));
			return result ?? {};
		},
	};

	constructor(app: AppDefinition<D>, options: RunOptions = {}) {
		super();
		this.app = app;
		this.#options = options;
		this.#queue = new SessionQueue(app.serialCallbacks ?? true);
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

	/** Connects, runs init, resyncs (the callbacks of the resync included); resolves with the first hello result. */
	async start(): Promise<HelloResult> {
		const hello = await this.connection.start();
		await this.#initDone;
		await this.#resynced;
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
		let resynced!: (done: Promise<void>) => void;
		this.#resynced = new Promise<void>((r) => { resynced = r; });
		// Events wait for init and for the resync to be queued, not for its callbacks: a slow
		// callback of one session does not hold up the others.
		this.#initDone = initDone.then(() => resynced(this.#resync(hello)));
		void this.#resynced.then(() => this.emit('ready', hello));
	}

	/**
	 * Makes the session map match the snapshot of live sessions: one reconcile task per
	 * session, queued behind that session's earlier callbacks. Returns when they have run.
	 */
	#resync(hello: HelloResult): Promise<void> {
		const live = new Map((hello.sessions ?? []).map((info) => [info.id, info]));
		const ids = new Set([...this.#sessions.keys(), ...this.#queue.busy, ...live.keys()]);
		const tasks = [...ids].map((id) => this.#queue.run(id, 'resync', () => this.#reconcile(id, live.get(id))));
		return Promise.all(tasks).then(() => undefined);
	}

	/** One session after a (re)connect: gone, new to us, or known with its PeerConnection changed. */
	async #reconcile(id: number, info: SessionInfo | undefined): Promise<void> {
		let s = this.#sessions.get(id);
		if (!info) {
			if (s) await this.#destroy(s); // gone while we were away
			return;
		}
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
			return;
		}
		if (this.app.resumeSession) {
			await this.#call('resumeSession', s, info);
		} else {
			await this.#call('createSession', s);
			if (info.started) await this.#call('setupMedia', s);
		}
	}

	#onNotification(event: string, params: JsonObject): void {
		const handler = (this.notificationHandlers as unknown as Record<string, ((p: JsonObject) => Promise<void>) | undefined>)[event];
		if (!handler) { this.logger.stdout('warn', `janus-ts: ignoring unknown notification ${event}`); return; }
		const initDone = this.#initDone ?? Promise.resolve();
		const id = params.id;
		initDone
			.then(() => (typeof id === 'number' ? this.#queue.run(id, event, () => handler(params)) : handler(params)))
			.catch((err) => this.#appError(event, err));
	}

	#onRequest(method: string, params: JsonObject, respond: Responder): void {
		const handler = (this.requestHandlers as unknown as Record<string, ((p: JsonObject, b: Budget) => Promise<unknown>) | undefined>)[method];
		if (!handler) { respond.fail(new UnknownMethod(`janus-ts: the app has no method ${method}`)); return; }
		// The plugin's clock runs from now: waiting for init or a session's earlier callbacks counts.
		const ms = method === 'handleMessage' ? this.#messageTimeoutMs()
			: method === 'setupMedia' ? this.#beforeLimit(this.#hello?.limits?.setupTimeoutMs ?? 500) : this.#queryTimeoutMs();
		const budget = { deadline: Date.now() + ms, ms };
		const initDone = this.#initDone ?? Promise.resolve();
		initDone.then(() => handler(params, budget)).then((r) => respond.ok(r), (err) => {
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

	/** Forgets a session and calls destroySession. */
	async #destroy(s: Session<D>): Promise<void> {
		s.destroyed = true;
		s.started = false;
		this.#sessions.delete(s.id);
		await this.#call('destroySession', s);
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
		this.logger.logError('error', err, `${callback} failed:`, err instanceof Error ? err.message : err);
		this.emit('appError', callback, err);
	}

	/** Settles as `work` does, or rejects with `timeout()` at `deadline` (a Date.now() value). */
	#bounded<T>(work: Promise<T>, deadline: number, timeout: () => Error): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => reject(timeout()), Math.max(0, deadline - Date.now()));
			work.then(
				(r) => { clearTimeout(timer); resolve(r); },
				(e) => { clearTimeout(timer); reject(e); },
			);
		});
	}

	#messageTimeoutMs(): number {
		return this.#beforeLimit(this.#hello?.limits?.messageTimeoutMs ?? 5000);
	}

	#queryTimeoutMs(): number {
		return this.#beforeLimit(this.#options.queryTimeoutMs ?? 1000);
	}

	/** The plugin's `limit` less the margin (messageTimeoutMarginMs, default 10% of it, 50..500 ms). */
	#beforeLimit(limit: number): number {
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
