/**
 * The plugin's control socket, emulated in process (host-c/control/): a Unix socket
 * server framing with the runtime's own {@link Channel}, hello rules (protocol version,
 * token, one active connection, `replace`), schema-driven parameter validation, and the
 * plugin → app requests with the plugin's timeouts. It counts every frame in and out so
 * the gateway can tell when the app has gone quiet.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Channel } from '../Channel';
import { JanusTsError, NotConnected, Timeout } from '../errors';
import type { JsonObject } from '../protocol/types';
import type { Responder } from '../ChannelTypes';
import { validateParams } from './params';
import type { ControlSide, EmulatedPlugin } from './plugin-core';

export interface ControlServerOptions {
	/** jcfg `control_token`. */
	token?: string;
}

export class ControlServer implements ControlSide {
	readonly socketPath: string;
	readonly #dir: string;
	readonly #server: net.Server;
	readonly #plugin: EmulatedPlugin<unknown>;
	readonly #token?: string;
	#active?: Channel;
	#wants = new Set<string>();
	/** Frames in + out so far (the gateway's quiescence test reads it). */
	traffic = 0;
	readonly #stats = { connected: false, framesIn: 0, framesOut: 0, connections: 0, refusedHellos: 0, dropped: 0, timeouts: 0 };
	/** Hello results answered so far (each app (re)connection). */
	hellos = 0;

	private constructor(plugin: EmulatedPlugin<unknown>, options: ControlServerOptions) {
		this.#plugin = plugin;
		this.#token = options.token;
		this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-kit-'));
		this.socketPath = path.join(this.#dir, 'control.sock');
		this.#server = net.createServer((socket) => this.#accept(socket));
	}

	static async listen(plugin: EmulatedPlugin<unknown>, options: ControlServerOptions = {}): Promise<ControlServer> {
		const s = new ControlServer(plugin, options);
		await new Promise<void>((resolve, reject) => {
			s.#server.once('error', reject);
			s.#server.listen(s.socketPath, () => { s.#server.off('error', reject); resolve(); });
		});
		plugin.control = s;
		return s;
	}

	get connected(): boolean { return this.#active !== undefined && !this.#active.closed; }

	async close(): Promise<void> {
		this.#active?.close();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
		fs.rmSync(this.#dir, { recursive: true, force: true });
	}

	// ---- ControlSide --------------------------------------------------------------

	notify(event: string, params: JsonObject): void {
		const c = this.#active;
		if (!c || c.closed) { this.#stats.dropped++; return; }
		this.#count(false);
		c.notify(event, params);
	}

	request(method: string, params: JsonObject, timeoutMs: number): Promise<unknown> {
		const c = this.#active;
		if (!c || c.closed) { this.#stats.dropped++; return Promise.reject(new NotConnected('janus-ts: no control app connected')); }
		this.#count(false);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => { this.#stats.timeouts++; reject(new Timeout(`janus-ts: ${method} timed out`)); }, timeoutMs);
			c.request(method, params).then(
				(r) => { clearTimeout(timer); this.#count(true); resolve(r); },
				(e) => { clearTimeout(timer); this.#count(true); reject(e); },
			);
		});
	}

	wants(callback: string): boolean { return this.connected && this.#wants.has(callback); }

	stats(): JsonObject { return { ...this.#stats, connected: this.connected }; }

	// ---- connections ----------------------------------------------------------------

	#accept(socket: net.Socket): void {
		socket.on('data', () => { this.traffic++; });
		const channel = new Channel(socket, { requestTimeoutMs: 0, maxFrame: this.#plugin.config.maxFrame });
		this.#stats.connections++;
		let authed = false;
		channel.on('request', (method, params, respond) => {
			this.#count(true);
			const answer = this.#answerer(respond);
			if (method === 'hello') {
				authed = this.#hello(channel, params, answer) || authed;
				return;
			}
			if (!authed) { answer.fail(new JanusTsError('Unauthorized', 'janus-ts: send hello first')); return; }
			try {
				answer.ok(this.#plugin.call(method, validateParams(method, params)));
			} catch (err) {
				answer.fail(err);
			}
		});
		channel.on('close', () => { if (this.#active === channel) this.#active = undefined; });
	}

	/** Answers a hello; returns whether the connection is now the active one. */
	#hello(channel: Channel, params: JsonObject, answer: Responder): boolean {
		let p: JsonObject;
		try {
			p = validateParams('hello', params);
		} catch (err) {
			answer.fail(err);
			return false;
		}
		const refuse = (kind: 'ProtocolVersion' | 'Unauthorized' | 'Busy', reason: string) => {
			this.#stats.refusedHellos++;
			answer.fail(new JanusTsError(kind, reason));
			setImmediate(() => channel.close());
			return false;
		};
		if (p.protocol !== 1) return refuse('ProtocolVersion', `janus-ts: protocol ${p.protocol as number} not supported, the plugin speaks 1`);
		if (this.#token && p.token !== this.#token) return refuse('Unauthorized', 'janus-ts: wrong or missing token');
		const old = this.#active;
		if (old && old !== channel && !old.closed) {
			if (p.replace !== true) return refuse('Busy', 'janus-ts: another control app is connected (hello with replace: true to take over)');
			old.close();
		}
		this.#active = channel;
		this.#wants = new Set(((p.wants as unknown[] | undefined) ?? []).filter((w): w is string => typeof w === 'string'));
		this.hellos++;
		answer.ok(this.#plugin.helloResult());
		return true;
	}

	#answerer(respond: Responder): Responder {
		return {
			ok: (r) => { this.#count(false); respond.ok(r); },
			fail: (e) => { this.#count(false); respond.fail(e); },
		};
	}

	#count(incoming: boolean): void {
		this.traffic++;
		if (incoming) this.#stats.framesIn++; else this.#stats.framesOut++;
	}
}
