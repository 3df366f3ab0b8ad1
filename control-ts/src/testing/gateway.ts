/**
 * TestGateway: a simulated Janus with the janus-ts plugin, in process. It loads the
 * real router.wasm (router.ts), emulates the plugin (plugin-core.ts) behind an emulated
 * control socket (control-server.ts), plays Janus's core for every handle (handle.ts),
 * and runs the app exactly as `janus-ts run` does: a {@link Runtime} connecting to the
 * socket. Time is virtual by default (clock.ts): `advance(ms)` drives the app's timers,
 * the runtime's timeouts and the router's clock.
 *
 *   const gw = await TestGateway.start('app.ts');
 *   const h = await gw.attach();
 *   await h.send({ audio: true }, offer);
 *   await h.setupMedia();
 *   await h.sendRtp({ mindex: 0, seq: 1, ts: 960, ssrc: 1234 });
 *   assert.equal(h.rtpOn(0).length, 1);
 *   await gw.close();
 */
import { performance } from 'node:perf_hooks';
import type { AppDefinition } from '../App';
import { Logger } from '../Logger';
import { Runtime } from '../Runtime';
import type { Jsep, JsonObject, LogLevel } from '../protocol/types';
import { loadApp } from '../load-app';
import { VirtualClock } from './clock';
import { ControlServer } from './control-server';
import type { CoreSide, DataOut, RtpOut } from './core-types';
import { MessageError, TestHandle, type HandleHost, type SendResult } from './handle';
import { JANUS_ERROR_PLUGIN_MESSAGE } from './janus-sdp';
import { EmulatedPlugin, type PluginConfig } from './plugin-core';
import { RouterBinding } from './router';
import { routerWasmPath } from './wasm-path';

export interface GatewayOptions {
	/** jcfg `app_config`, handed to the app's init. Default ''. */
	config?: string;
	/** jcfg `package` (what clients attach to). Default 'janus.plugin.ts'. */
	package?: string;
	/** jcfg `name`. Default 'janus-ts'. */
	name?: string;
	/** jcfg `max_sessions`, `max_routes`, `pli_min_interval_ms`. Defaults 1024, 64, 1000. */
	maxSessions?: number;
	maxRoutes?: number;
	pliMinIntervalMs?: number;
	/** jcfg `message_timeout_ms` / `query_timeout_ms` / `setup_timeout_ms` (virtual time). Defaults 5000 / 1000 / 500. */
	messageTimeoutMs?: number;
	queryTimeoutMs?: number;
	setupTimeoutMs?: number;
	/** Janus event handlers enabled (jcfg `events` and an event handler loaded). Default true. */
	events?: boolean;
	/** jcfg `control_token`, also given to the app. */
	token?: string;
	/** router.wasm to load. Default: see wasm-path.ts (JANUS_TS_ROUTER, the package's copy, the repo build). */
	router?: string;
	/** Virtual time (default true). false: real timers, the router gets real milliseconds. */
	virtualTime?: boolean;
	/** The app's own stdout lines up to this level are printed; default 'none' (they are kept in `output`). */
	printLevel?: LogLevel | 'none';
	/** Event-loop turns without control traffic that count as quiet (settle). Default 8. */
	quietTurns?: number;
}

/** A line the plugin would write to the Janus log. */
export interface LogLine { level: LogLevel; message: string }
/** An event sent to Janus event handlers (`notifyEvent`). */
export interface HandlerEvent { handle: TestHandle | null; event: JsonObject }

export class TestGateway {
	readonly plugin: EmulatedPlugin<TestHandle>;
	readonly server: ControlServer;
	readonly clock?: VirtualClock;
	/** The app's runtime (replaced by restartApp). */
	runtime!: Runtime<any>;
	/** Every handle attached so far. */
	readonly handles: TestHandle[] = [];
	/** Lines of the Janus log: the app's `log` calls (`[app] ...`). */
	readonly logs: LogLine[] = [];
	/** The app's stdout lines (its Logger). */
	readonly output: string[] = [];
	/** What the app sent to event handlers. */
	readonly handlerEvents: HandlerEvent[] = [];
	/** Callbacks of the app that threw (also in output); `timer` for a timer callback that threw. */
	readonly appErrors: { callback: string; error: unknown }[] = [];
	readonly #options: GatewayOptions;
	readonly #start = performance.now();
	#ticker?: ReturnType<typeof setInterval>;
	/** Requests the app sent and has no answer for yet. */
	#inflight = 0;
	#app!: AppDefinition<any>;
	/** The app file, when started from one (restartApp loads it again, fresh). */
	#file?: string;

	private constructor(options: GatewayOptions, plugin: EmulatedPlugin<TestHandle>, server: ControlServer, clock?: VirtualClock) {
		this.#options = options;
		this.plugin = plugin;
		this.server = server;
		this.clock = clock;
	}

	/** Starts the gateway and the app (an app definition, or a .js/.ts file as `janus-ts run` takes). */
	static async start(app: AppDefinition<any> | string, options: GatewayOptions = {}): Promise<TestGateway> {
		const cfg: PluginConfig = {
			package: options.package ?? 'janus.plugin.ts', name: options.name ?? 'janus-ts',
			maxSessions: options.maxSessions ?? 1024, maxRoutes: options.maxRoutes ?? 64,
			messageTimeoutMs: options.messageTimeoutMs ?? 5000, queryTimeoutMs: options.queryTimeoutMs ?? 1000,
			setupTimeoutMs: options.setupTimeoutMs ?? 500, appConfig: options.config ?? '', maxFrame: 1048576,
		};
		const router = RouterBinding.load(options.router ?? routerWasmPath(), {
			maxSessions: cfg.maxSessions, maxRoutes: cfg.maxRoutes, pliMinIntervalMs: options.pliMinIntervalMs ?? 1000,
		});
		const clock = options.virtualTime === false ? undefined : new VirtualClock();
		let gw: TestGateway | undefined;
		const origin = performance.now();
		const now = () => (clock ? clock.elapsed() : performance.now() - origin);
		const plugin = new EmulatedPlugin<TestHandle>(router, coreOf(() => gw!), cfg, now);
		const server = await ControlServer.listen(plugin as EmulatedPlugin<unknown>, { ...(options.token ? { token: options.token } : {}) });
		gw = new TestGateway(options, plugin, server, clock);
		if (clock) clock.onError = (error) => gw!.appErrors.push({ callback: 'timer', error });
		clock?.install();
		gw.#ticker = setInterval(() => plugin.tick(), 100);
		if (!clock) (gw.#ticker as NodeJS.Timeout).unref();
		if (typeof app === 'string') gw.#file = app;
		try {
			await gw.#runApp(typeof app === 'string' ? await loadFresh(app) : app, false);
		} catch (err) {
			await gw.close();
			throw err;
		}
		return gw;
	}

	/** The app definition running now. */
	get app(): AppDefinition<any> { return this.#app; }

	/** Virtual (or real) ms since the gateway started: the router's `now_ms`. */
	now(): number { return this.clock ? this.clock.elapsed() : performance.now() - this.#start; }

	/** Attaches a handle (Janus create_session → the app's createSession). */
	async attach(): Promise<TestHandle> {
		const handle = new TestHandle(this.#host);
		handle.id = this.plugin.createSession(handle);
		this.handles.push(handle);
		await this.settle();
		return handle;
	}

	/** Admin API `message_plugin` → the app's handleAdminMessage. */
	async adminMessage(message: JsonObject): Promise<JsonObject> {
		const r = this.plugin.handleAdminMessage(message);
		await this.settle();
		return r;
	}

	/** The plugin's `stats` (router counters, media counters, sessions). */
	stats(): JsonObject { return this.plugin.call('stats', {}) as JsonObject; }

	/**
	 * Waits until the app is quiet: no request of its own waiting for an answer, no control
	 * traffic for `quietTurns` event-loop turns (and 1 ms), virtual timers due now fired.
	 */
	async settle(): Promise<void> {
		const turns = this.#options.quietTurns ?? 8;
		let quiet = 0;
		let since = performance.now();
		for (let i = 0; quiet < turns || performance.now() - since < 1; i++) {
			if (i > 1e6) throw new Error('janus-ts/testing: the app never went quiet');
			const before = this.server.traffic;
			await new Promise((r) => setImmediate(r));
			const fired = this.clock ? await this.clock.runDue(async () => {}) : 0;
			if (this.server.traffic !== before || fired > 0 || this.#inflight > 0) { quiet = 0; since = performance.now(); } else quiet++;
		}
	}

	/** Moves virtual time forward by `ms`, firing the app's timers and the router's ticks on the way. */
	async advance(ms: number): Promise<void> {
		if (!this.clock) throw new Error('janus-ts/testing: advance() needs virtual time (virtualTime: true)');
		await this.settle();
		await this.clock.advance(ms, () => this.settle());
		await this.settle();
	}

	/**
	 * Replaces the running app with a new Runtime, which connects with `replace: true` and
	 * resyncs from the snapshot, as a new process does on a `--watch` reload: by default the
	 * same app file loaded again with fresh module state (or the same definition object when
	 * the gateway was started with one), else the app or file given.
	 */
	async restartApp(app?: AppDefinition<any> | string): Promise<void> {
		if (typeof app === 'string') this.#file = app;
		const source = app ?? this.#file;
		const next = source === undefined ? this.#app : typeof source === 'string' ? await loadFresh(source) : source;
		const old = this.runtime;
		await this.#runApp(next, true);
		old.stop();
		await this.settle();
	}

	/** Stops the app, the socket and the clock. */
	async close(): Promise<void> {
		if (this.#ticker) clearInterval(this.#ticker);
		this.runtime?.stop();
		await this.server.close();
		this.clock?.uninstall();
	}

	async #runApp(app: AppDefinition<any>, replace: boolean): Promise<void> {
		this.#app = app;
		const level = this.#options.printLevel ?? 'none';
		const logger = new Logger({
			prefix: app.name, stdoutLevel: 'dbg',
			write: (line) => { this.output.push(line); if (level !== 'none' && printable(line, level)) process.stdout.write(line + '\n'); },
		});
		const runtime = new Runtime(app, {
			socketPath: this.server.socketPath, logger, replace,
			...(this.#options.token ? { token: this.#options.token } : {}),
			queryTimeoutMs: this.plugin.config.queryTimeoutMs,
		});
		runtime.on('appError', (callback, error) => this.appErrors.push({ callback, error }));
		this.#countRequests(runtime);
		this.runtime = runtime;
		const hellos = this.server.hellos;
		const started = runtime.start();
		await this.#waitFor(() => this.server.hellos > hellos, 'the app to connect', 10000, started);
		await started;
		await this.settle();
	}

	/** Counts the app's requests in flight (this runtime's connection only), for settle(). */
	#countRequests(runtime: Runtime<any>): void {
		const conn = runtime.connection;
		const request = conn.request.bind(conn);
		conn.request = ((method: Parameters<typeof request>[0], params: Parameters<typeof request>[1]) => {
			this.#inflight++;
			const done = () => { this.#inflight--; };
			const r = request(method, params);
			r.then(done, done);
			return r;
		}) as typeof conn.request;
	}

	/** Polls `check` between event-loop turns (real time; virtual timers due now fire). */
	async #waitFor(check: () => boolean, what: string, timeoutMs: number, failure?: Promise<unknown>): Promise<void> {
		let failed: unknown;
		failure?.catch((e) => { failed = e; });
		const deadline = performance.now() + timeoutMs;
		while (!check()) {
			if (failed) throw failed;
			if (performance.now() > deadline) throw new Error(`janus-ts/testing: timed out waiting for ${what} (${timeoutMs} ms)`);
			await new Promise((r) => setImmediate(r));
			if (this.clock) await this.clock.runDue(async () => {});
		}
	}

	/** What handles call (Janus's core on the client side). */
	readonly #host: HandleHost = {
		message: async (h, transaction, body, jsep) => {
			const outcome = this.plugin.handleMessage(h, transaction, body, jsep);
			const r = await outcome;
			await this.settle();
			if (r.type === 'error') throw new MessageError(JANUS_ERROR_PLUGIN_MESSAGE, r.error);
			return r as SendResult;
		},
		setupMedia: async (h) => { h.mediaUp = true; await this.plugin.setupMedia(h); await this.settle(); },
		hangupMedia: async (h) => this.#hangup(h),
		dataReady: async (h) => { this.plugin.dataReady(h); await this.settle(); },
		slowLink: async (h, mindex, video, uplink) => { this.plugin.slowLink(h, mindex, video, uplink); await this.settle(); },
		detach: async (h) => this.#detach(h),
		rtp: async (h, mindex, video, packet) => { this.plugin.incomingRtp(h, { mindex, video, packet }); await this.settle(); },
		rtcp: async (h, mindex, video, packet) => { this.plugin.incomingRtcp(h, { mindex, video, packet }); await this.settle(); },
		data: async (h, binary, data, label, protocol) => {
			this.plugin.incomingData(h, { binary, data, ...(label !== undefined ? { label } : {}), ...(protocol !== undefined ? { protocol } : {}) });
			await this.settle();
		},
		info: async (h) => { const r = this.plugin.querySession(h); await this.settle(); return r; },
		session: (h) => this.runtime.sessions.get(h.id),
		recordings: (h) => this.plugin.recordersOf(h),
		waitFor: (check, what, timeoutMs) => this.#waitFor(check, what, timeoutMs),
		now: () => this.now(),
	};

	async #hangup(h: TestHandle): Promise<void> {
		if (!h.mediaUp) return;
		h.mediaUp = false;
		h.hangups++;
		h.pendingOffer = undefined;
		this.plugin.hangupMedia(h);
		await this.settle();
	}

	async #detach(h: TestHandle): Promise<void> {
		if (h.detached) return;
		await this.#hangup(h);
		h.detached = true;
		this.plugin.destroySession(h);
		await this.settle();
	}

	/** @internal the core's side, for coreOf(). */
	readonly core = {
		closePc: (h: TestHandle) => { setImmediate(() => void this.#hangup(h)); },
		endSession: (h: TestHandle) => { setImmediate(() => void this.#detach(h)); },
		events: () => this.#options.events ?? true,
	};
}

/** Modules each app file brought into the require cache when the kit last loaded it. */
const loadedBy = new Map<string, string[]>();

/**
 * Loads an app file with fresh module state, as a new `janus-ts run` process would: the
 * modules it loaded last time (its own files; not those loaded before it, like janus-ts)
 * are dropped from the require cache first.
 */
async function loadFresh(file: string): Promise<AppDefinition<any>> {
	for (const key of loadedBy.get(file) ?? []) delete require.cache[key];
	const before = new Set(Object.keys(require.cache));
	const app = await loadApp(file);
	loadedBy.set(file, Object.keys(require.cache).filter((k) => !before.has(k)));
	return app;
}

/** The fake Janus core the plugin calls (janus_callbacks), delivering to TestHandles. */
function coreOf(gw: () => TestGateway): CoreSide<TestHandle> {
	return {
		pushEvent: (h, transaction, event, jsep) => h.acceptEvent(transaction, event, jsep),
		notifyEvent: (h, event) => { gw().handlerEvents.push({ handle: h, event }); },
		eventsIsEnabled: () => gw().core.events(),
		closePc: (h) => gw().core.closePc(h),
		endSession: (h) => gw().core.endSession(h),
		relayRtp: (h, p: RtpOut, fromApp) => h.deliverRtp(p.mindex, p.video, p.packet, fromApp),
		relayRtcp: (h, p: RtpOut, fromApp) => h.deliverRtcp(p.mindex, p.video, p.packet, fromApp),
		relayData: (h, d: DataOut, fromApp) => h.deliverData(d.binary, d.data, fromApp, d.label, d.protocol),
		sendPli: (h, mindex) => { if (h.mediaUp) h.plis.push(mindex); else h.droppedByCore++; },
		sendRemb: (h, bitrate) => { if (h.mediaUp) h.rembs.push(bitrate); else h.droppedByCore++; },
		log: (level, message) => { gw().logs.push({ level, message }); },
		stopped: (h) => h.detached,
	};
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'verb', 'huge', 'dbg'];
function printable(line: string, level: LogLevel): boolean {
	const m = / (FATAL|ERROR|WARN|INFO|VERB|HUGE|DBG) /.exec(line);
	return !m || LEVELS.indexOf(m[1].toLowerCase() as LogLevel) <= LEVELS.indexOf(level);
}
