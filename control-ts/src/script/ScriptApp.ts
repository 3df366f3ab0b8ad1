/**
 * ScriptApp: a janus-ts app definition that runs a janus_lua or janus_duktape script
 * (through a ScriptEngine) with the plugin contract of those plugins: the script's global
 * functions are called as Janus's plugin calls them (ids as numbers, JSON as text, nil /
 * null where C passes nothing), and the script gets the plugin's functions
 * (JanusFunctions, bound by each language's adapter).
 *
 * On top of what the C plugins do: an error in a callback is logged (handleMessage answers
 * it with an error reply) instead of taking Janus down; a callback that runs past the
 * message timeout is stopped; if the interpreter had to be torn down for that, it is
 * started again with the script reloaded and `init` + `createSession`/`setupMedia`
 * replayed for the live sessions, while the plugin keeps routing the media of established
 * calls with the valves and recipients it already has.
 */
import * as path from 'node:path';
import type { AppDefinition, IncomingMessage } from '../App';
import { Logger } from '../Logger';
import type { Plugin } from '../Plugin';
import type { Session } from '../Session';
import type { HelloResult, Jsep, JsonObject, LogLevel } from '../protocol/types';
import { JanusFunctions, type FunctionsHost } from './JanusFunctions';
import { janssonDumps } from './jansson';
import { Scheduler, type Clock } from './Scheduler';
import {
	INFO_FUNCTIONS, REQUIRED_FUNCTIONS, ScriptError, ScriptVmLost, asText, jsonObject,
	type ScriptEngine, type ScriptIn, type ScriptOut,
} from './ScriptEngine';

export interface ScriptAppOptions {
	/** Timers for pokeScheduler/timeCallback (tests use a fake clock). Default: Node's. */
	clock?: Clock;
	/** Logger used until the plugin connection exists. Default: stdout, prefixed with the script name. */
	logger?: Logger;
	/** Time querySession/handleAdminMessage may take, ms (the plugin's query_timeout_ms). Default 1000. */
	queryTimeoutMs?: number;
}

export class ScriptApp implements FunctionsHost {
	readonly engine: ScriptEngine;
	readonly scheduler: Scheduler;
	readonly functions: JanusFunctions;
	/** The app definition to hand to the Runtime. */
	readonly definition: AppDefinition;
	#plugin?: Plugin;
	#hello?: HelloResult;
	#config: string | null = null;
	#eventsEnabled = false;
	/** Live sessions in creation order (replayed after a restart). */
	readonly #sessions = new Map<number, Session>();
	/** The jsep of each session's last offer (simulcast, JanusFunctions.pushEvent). */
	readonly #offers = new Map<number, Jsep>();
	readonly #fallbackLogger: Logger;
	readonly #queryTimeoutMs: number;
	/** Set while a torn-down interpreter is being replaced without a spare instance. */
	#down?: Promise<void>;

	constructor(engine: ScriptEngine, options: ScriptAppOptions = {}) {
		this.engine = engine;
		this.#fallbackLogger = options.logger ?? new Logger({ prefix: path.basename(engine.file) });
		this.#queryTimeoutMs = options.queryTimeoutMs ?? 1000;
		this.scheduler = new Scheduler((name, args) => this.#deferred(name, args), options.clock);
		this.functions = new JanusFunctions(this);
		engine.load(this.functions, this.#messageBudget());
		const missing = REQUIRED_FUNCTIONS.filter((name) => !engine.defines(name));
		if (missing.length) {
			throw new Error(`janus-ts: ${missing.map((f) => `function '${f}'`).join(', ')} missing in ${engine.file} `
				+ `(${engine.language === 'Lua' ? 'janus_lua' : 'janus_duktape'} requires it too)`);
		}
		this.#notePacketCallbacks();
		this.definition = this.#define();
	}

	/** janus_lua hands every packet to incomingRtp/incomingRtcp when defined; janus-ts never does. */
	#notePacketCallbacks(): void {
		const defined = ['incomingRtp', 'incomingRtcp'].filter((name) => this.engine.defines(name));
		if (!defined.length) return;
		this.log('warn', `the script defines ${defined.join(' and ')}: janus-ts does not call per-packet script `
			+ 'callbacks. Media is routed by the plugin\'s router with the valves and recipients the script sets '
			+ '(configureMedium, addRecipient); to inject packets use relayRtp/relayRtcp; to process packets, port '
			+ 'that part to the router or to TypeScript.');
	}

	get plugin(): Plugin | undefined { return this.#plugin; }
	get eventsEnabled(): boolean { return this.#eventsEnabled; }
	session(id: number): Session | undefined { return this.#sessions.get(id); }
	lastOffer(id: number): Jsep | undefined { return this.#offers.get(id); }

	log(level: LogLevel, message: string): void {
		(this.#plugin?.logger ?? this.#fallbackLogger).log(level, message);
	}

	scriptLog(level: LogLevel, message: string): void {
		const plugin = this.#plugin;
		if (!plugin) { this.#fallbackLogger.stdout(level, message); return; }
		plugin.log(level, message).catch(() => { /* printed on stdout already unless it reached Janus: best effort */ });
	}

	/** The values of the script's getVersion/getName/getPackage/... that it defines. */
	info(): Record<string, string | number> {
		const out: Record<string, string | number> = {};
		for (const name of INFO_FUNCTIONS) {
			const [v] = this.#call(name, [], 1) ?? [];
			if (typeof v === 'string' || typeof v === 'number') out[name] = v;
		}
		return out;
	}

	#define(): AppDefinition {
		const id = (s: Session) => s.id;
		const app: AppDefinition = {
			name: path.basename(this.engine.file),
			init: (config, plugin, hello) => this.#init(config, plugin, hello),
			destroy: () => { this.scheduler.cancelAll(); this.#call('destroy', []); },
			createSession: (s) => { this.#sessions.set(s.id, s); this.#call('createSession', [s.id]); },
			destroySession: (s) => {
				try { this.#call('destroySession', [s.id]); } finally { this.#sessions.delete(s.id); this.#offers.delete(s.id); }
			},
			querySession: (s) => this.#querySession(s),
			handleMessage: (s, request) => this.#handleMessage(s, request),
			setupMedia: (s) => { this.#call('setupMedia', [id(s)]); },
			hangupMedia: (s) => { this.#call('hangupMedia', [id(s)]); },
		};
		if (this.engine.defines('handleAdminMessage')) app.handleAdminMessage = (m) => this.#handleAdminMessage(m);
		this.#defineOptional(app);
		return app;
	}

	/** Optional callbacks exist only when the script defines them (the plugin relays data otherwise). */
	#defineOptional(app: AppDefinition): void {
		const has = (name: string) => this.engine.defines(name);
		const text = has('incomingTextData') ? 'incomingTextData' : has('incomingData') ? 'incomingData' : null;
		if (text) {
			app.incomingTextData = (s, data, ch) => {
				this.#call(text, [s.id, data, Buffer.byteLength(data), ch.label ?? '', ch.protocol ?? '']);
			};
		}
		if (has('incomingBinaryData')) {
			app.incomingBinaryData = (s, data, ch) => {
				this.#call('incomingBinaryData', [s.id, data, data.length, ch.label ?? '', ch.protocol ?? '']);
			};
		}
		if (has('dataReady')) app.dataReady = (s) => { this.#call('dataReady', [s.id]); };
		if (has('slowLink')) app.slowLink = (s, { uplink, video }) => { this.#call('slowLink', [s.id, uplink, video]); };
		if (has('substreamChanged')) app.substreamChanged = (s, n) => { this.#call('substreamChanged', [s.id, n]); };
		if (has('temporalLayerChanged')) app.temporalLayerChanged = (s, n) => { this.#call('temporalLayerChanged', [s.id, n]); };
	}

	async #init(config: string, plugin: Plugin, hello: HelloResult): Promise<void> {
		this.#plugin = plugin;
		this.#hello = hello;
		this.#config = config === '' ? null : config;
		this.#eventsEnabled = await plugin.eventsIsEnabled().catch(() => false);
		this.#notePackage(hello);
		this.#call('init', [this.#config]);
	}

	/** janus_lua's getPackage decides the attach name; here the plugin's jcfg `package` does. */
	#notePackage(hello: HelloResult): void {
		const info = this.info();
		if (Object.keys(info).length) this.log('verb', `script information: ${Object.entries(info).map(([k, v]) => `${k}() = ${v}`).join(', ')}`);
		const wanted = info.getPackage;
		const served = hello.plugin?.package;
		if (typeof wanted === 'string' && served && wanted !== served) {
			this.log('info', `the script's getPackage() says ${wanted}; janus-ts serves it as ${served} `
				+ '(the plugin\'s jcfg `package`): clients attach to that');
		}
	}

	#handleMessage(s: Session, { transaction, message, jsep }: IncomingMessage): JsonObject | undefined {
		if (jsep?.type === 'offer') this.#offers.set(s.id, jsep);
		const args: ScriptIn[] = [s.id, transaction, janssonDumps(message), jsep ? janssonDumps(jsep) : null];
		const results = this.#call('handleMessage', args, this.engine.messageResults) ?? [];
		const outcome = this.engine.messageOutcome(results);
		if ('error' in outcome) throw new Error(outcome.error);
		return 'reply' in outcome ? outcome.reply : undefined;
	}

	#querySession(s: Session): JsonObject {
		const [info] = this.#call('querySession', [s.id], 1, this.#queryBudget()) ?? [];
		return jsonObject(asText(info)) ?? {};
	}

	#handleAdminMessage(message: JsonObject): JsonObject {
		const [answer] = this.#call('handleAdminMessage', [janssonDumps(message)], 1, this.#queryBudget()) ?? [];
		const reply = jsonObject(asText(answer));
		if (!reply) throw new Error(`${this.engine.language} error: handleAdminMessage did not return a JSON object text`);
		return reply;
	}

	/** resumeScheduler() and timeCallback functions: errors are logged, nothing else waits on them. */
	#deferred(name: string, args: (string | null)[]): void {
		try {
			if (this.#call(name, args) === undefined) this.log('error', `timeCallback: ${name} is not a function of the script`);
		} catch (err) {
			this.log('error', (err as Error).message);
		}
	}

	/** Calls a script function; a torn-down interpreter is restarted before the error goes on. */
	#call(name: string, args: ScriptIn[], results = 0, budgetMs = this.#messageBudget()): ScriptOut[] | undefined {
		if (this.#down) throw new ScriptError(`${this.engine.language}: the interpreter is restarting; ${name} was not called`);
		try {
			return this.engine.call(name, args, { results, budgetMs });
		} catch (err) {
			if (err instanceof ScriptError && err.detail) this.log('verb', `${name}: ${err.detail}`);
			if (err instanceof ScriptVmLost) this.#restart(err);
			throw err;
		}
	}

	#restart(cause: ScriptVmLost): void {
		this.log('error', `${cause.message}: starting a new ${this.engine.language} interpreter with the script reloaded; `
			+ 'the plugin keeps routing the media of established calls meanwhile');
		const pending = this.engine.restart(this.#messageBudget());
		if (!pending) { this.#replay(); return; }
		this.#down = pending.then(() => { this.#down = undefined; this.#replay(); }, (err) => {
			this.#down = undefined;
			this.log('fatal', `cannot restart the ${this.engine.language} interpreter: ${(err as Error).message}`);
		});
	}

	/** Brings the new interpreter to where the plugin is: init, then every live session. */
	#replay(): void {
		const steps: [string, ScriptIn[]][] = [['init', [this.#config]]];
		for (const s of this.#sessions.values()) {
			steps.push(['createSession', [s.id]]);
			if (s.started) steps.push(['setupMedia', [s.id]]);
		}
		for (const [name, args] of steps) {
			try { this.#call(name, args); } catch (err) { this.log('error', (err as Error).message); }
		}
		this.log('warn', `${this.engine.language} interpreter restarted: init and ${this.#sessions.size} live session(s) replayed`);
	}

	/** Budget of a callback: the plugin's message timeout minus the runtime's margin. */
	#messageBudget(): number {
		return withMargin(this.#hello?.limits?.messageTimeoutMs ?? 5000);
	}

	#queryBudget(): number {
		return withMargin(this.#queryTimeoutMs);
	}
}

/** The Runtime's own margin: 10 % of the limit, between 50 and 500 ms. */
export function withMargin(limitMs: number): number {
	return Math.max(1, limitMs - Math.min(500, Math.max(50, Math.round(limitMs / 10))));
}
