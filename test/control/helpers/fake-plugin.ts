/**
 * A fake janus-ts plugin in Node: a Unix socket server speaking the control protocol
 * (docs/control-protocol.md) with its own framing code, validating every request of
 * the runtime against schema.json. Tests drive the runtime through it.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { appToPlugin, checkParams, pluginToAppNotifications, pluginToAppRequests } from './schema-check';
import { until as waitUntil } from '../../helpers/wait';

export interface Received { method: string; params: Record<string, unknown>; id: number }

/** Throw from a handler to answer with `{error: kind, reason}`. */
export class FakeError extends Error {
	constructor(readonly kind: string, reason: string) { super(reason); }
}

/** Answers a request: a value (the result), a promise of one (answered when it settles), or NO_ANSWER. */
export type Handler = (params: Record<string, unknown>) => unknown;

export interface FakeOptions {
	token?: string;
	/** Answer every hello with this error kind (e.g. 'ProtocolVersion'). */
	refuseHello?: string;
	config?: string;
	messageTimeoutMs?: number;
	/** hello `limits.setupTimeoutMs`; undefined: left out (an older plugin). */
	setupTimeoutMs?: number;
	maxFrame?: number;
	sessions?: unknown[];
}

let counter = 0;

/** Returned by a handler: the fake sends no answer at all. */
export const NO_ANSWER = Symbol('no answer');

export class FakePlugin {
	readonly socketPath: string;
	readonly server: net.Server;
	/** Every request received, in order (hello included). */
	readonly received: Received[] = [];
	/** Schema violations seen (a test fails when not empty). */
	readonly violations: string[] = [];
	/** Every hello params received. */
	readonly hellos: Record<string, unknown>[] = [];
	/** Answers per method; default answers `true` (or a sensible value). */
	readonly handlers = new Map<string, Handler>();
	options: FakeOptions;
	/** Sessions reported in the next hello snapshot. */
	sessions: unknown[];
	#client?: net.Socket;
	#nextId = 1;
	#pending = new Map<number, (msg: Record<string, unknown>) => void>();
	#waiters: Array<() => void> = [];
	connections = 0;

	constructor(options: FakeOptions = {}) {
		this.options = options;
		this.sessions = options.sessions ?? [];
		this.socketPath = path.join(os.tmpdir(), `janus-ts-fake-${process.pid}-${++counter}.sock`);
		try { fs.unlinkSync(this.socketPath); } catch { /* none */ }
		this.server = net.createServer((socket) => this.#accept(socket));
	}

	listen(): Promise<void> {
		return new Promise((resolve) => this.server.listen(this.socketPath, () => resolve()));
	}

	async close(): Promise<void> {
		this.#client?.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
		try { fs.unlinkSync(this.socketPath); } catch { /* gone */ }
	}

	get client(): net.Socket | undefined { return this.#client; }

	/** Drops the current connection (the runtime should reconnect). */
	dropClient(): void { this.#client?.destroy(); this.#client = undefined; }

	/** Writes raw bytes to the client (framing tests). */
	writeRaw(bytes: Buffer): void { this.#client!.write(bytes); }

	/** Sends one message as a frame. */
	send(message: unknown): void { this.writeRaw(frame(message)); }

	/** Sends a notification, after checking it against the schema. */
	notify(event: string, params: Record<string, unknown>): void {
		const spec = pluginToAppNotifications[event];
		if (!spec) throw new Error(`fake plugin: ${event} is not a schema notification`);
		const problems = checkParams(spec, params);
		if (problems.length) throw new Error(`fake plugin: bad ${event} params: ${problems.join(', ')}`);
		this.send({ event, params });
	}

	/** Sends a request to the app; resolves with the raw response message. */
	request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
		const spec = pluginToAppRequests[method];
		if (spec) {
			const problems = checkParams(spec.params, params);
			if (problems.length) throw new Error(`fake plugin: bad ${method} params: ${problems.join(', ')}`);
		}
		const id = this.#nextId++;
		return new Promise((resolve) => {
			this.#pending.set(id, resolve);
			this.send({ id, method, params });
		});
	}

	/** Requests received with this method. */
	calls(method: string): Received[] { return this.received.filter((r) => r.method === method); }

	/** Resolves when `predicate` holds (checked after each received request), or rejects after `ms`. */
	waitFor(predicate: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
		if (predicate()) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#waiters = this.#waiters.filter((w) => w !== check);
				reject(new Error(`fake plugin: timed out waiting for ${what}; received ${this.received.map((r) => r.method).join(',')}`));
			}, ms);
			const check = () => {
				if (!predicate()) return;
				clearTimeout(timer);
				this.#waiters = this.#waiters.filter((w) => w !== check);
				resolve();
			};
			this.#waiters.push(check);
		});
	}

	/** Waits until `count` requests of `method` arrived. */
	waitForCalls(method: string, count = 1, ms = 3000): Promise<Received[]> {
		return this.waitFor(() => this.calls(method).length >= count, ms, `${count}× ${method}`).then(() => this.calls(method));
	}

	#accept(socket: net.Socket): void {
		this.connections++;
		let helloDone = false;
		let rx = Buffer.alloc(0);
		socket.on('error', () => {});
		socket.on('data', (chunk) => {
			rx = Buffer.concat([rx, chunk]);
			while (rx.length >= 4) {
				const n = rx.readUInt32BE(0);
				if (n === 0 || n > (this.options.maxFrame ?? 1048576)) { this.violations.push(`bad frame length ${n}`); socket.destroy(); return; }
				if (rx.length < 4 + n) break;
				const msg = JSON.parse(rx.subarray(4, 4 + n).toString('utf8')) as Record<string, unknown>;
				rx = rx.subarray(4 + n);
				if (typeof msg.method === 'string') {
					if (!helloDone && msg.method !== 'hello') {
						reply(socket, msg.id as number, { error: 'Unauthorized', reason: 'hello first' });
						continue;
					}
					if (msg.method === 'hello') helloDone = this.#hello(socket, msg);
					else this.#onRequest(socket, msg);
				} else if (typeof msg.id === 'number') {
					const resolve = this.#pending.get(msg.id);
					this.#pending.delete(msg.id);
					resolve?.(msg);
				} else {
					this.violations.push(`unexpected message ${JSON.stringify(msg)}`);
				}
			}
		});
	}

	#hello(socket: net.Socket, msg: Record<string, unknown>): boolean {
		const params = (msg.params ?? {}) as Record<string, unknown>;
		this.received.push({ method: 'hello', params, id: msg.id as number });
		this.hellos.push(params);
		const problems = checkParams(appToPlugin.hello.params, params);
		if (problems.length) this.violations.push(`hello: ${problems.join(', ')}`);
		this.#wake();
		if (this.options.refuseHello) { reply(socket, msg.id as number, { error: this.options.refuseHello, reason: 'refused' }); socket.end(); return false; }
		if (params.protocol !== 1) { reply(socket, msg.id as number, { error: 'ProtocolVersion', reason: 'protocol 1 only' }); socket.end(); return false; }
		if (this.options.token !== undefined && params.token !== this.options.token) {
			reply(socket, msg.id as number, { error: 'Unauthorized', reason: 'bad token' }); socket.end(); return false;
		}
		if (this.#client && !this.#client.destroyed && params.replace !== true) {
			reply(socket, msg.id as number, { error: 'Busy', reason: 'another app is connected' }); socket.end(); return false;
		}
		this.#client?.destroy();
		this.#client = socket;
		socket.on('close', () => { if (this.#client === socket) this.#client = undefined; });
		reply(socket, msg.id as number, {
			result: {
				protocol: 1,
				plugin: { package: 'janus.plugin.ts', name: 'fake', version: 1 },
				config: this.options.config ?? '',
				limits: {
					maxSessions: 100, maxRoutes: 100, maxFrame: this.options.maxFrame ?? 1048576, messageTimeoutMs: this.options.messageTimeoutMs ?? 5000,
					...(this.options.setupTimeoutMs !== undefined ? { setupTimeoutMs: this.options.setupTimeoutMs } : {}),
				},
				sessions: this.sessions,
			},
		});
		return true;
	}

	#onRequest(socket: net.Socket, msg: Record<string, unknown>): void {
		const method = msg.method as string;
		const params = (msg.params ?? {}) as Record<string, unknown>;
		const id = msg.id as number;
		this.received.push({ method, params, id });
		const spec = appToPlugin[method];
		let answer: Record<string, unknown>;
		if (!spec) {
			this.violations.push(`unknown method ${method}`);
			answer = { error: 'UnknownMethod', reason: method };
		} else {
			const problems = checkParams(spec.params, params);
			if (problems.length) {
				this.violations.push(`${method}: ${problems.join(', ')}`);
				answer = { error: 'BadArguments', reason: problems.join(', ') };
			} else {
				try {
					const handler = this.handlers.get(method);
					const result = handler ? handler(params) : defaultResult(method, params);
					if (result === NO_ANSWER) { this.#wake(); return; }
					if (result instanceof Promise) {
						// A slow plugin call: answered when the handler's promise settles.
						result.then((r) => reply(socket, id, { result: r }),
							(err) => reply(socket, id, err instanceof FakeError ? { error: err.kind, reason: err.message } : { error: 'Internal', reason: String(err) }));
						this.#wake();
						return;
					}
					answer = { result };
				} catch (err) {
					answer = err instanceof FakeError ? { error: err.kind, reason: err.message } : { error: 'Internal', reason: String(err) };
				}
			}
		}
		reply(socket, id, answer);
		this.#wake();
	}

	#wake(): void { for (const w of [...this.#waiters]) w(); }
}

function defaultResult(method: string, params: Record<string, unknown>): unknown {
	switch (method) {
		case 'eventsIsEnabled': return true;
		case 'sessionInfo': return sessionInfo(params.id as number);
		case 'addRecipient': return { added: true, pending: true, streams: [] };
		case 'loudestSpeaker': return { id: null, level: null };
		case 'rtpForward': return { forwarder: 0x10001 };
		case 'listForwarders': return [];
		case 'stats': case 'describe': return {};
		default: return true;
	}
}

/** A SessionInfo as the plugin reports it. */
export function sessionInfo(id: number, started = false): Record<string, unknown> {
	const closed = { in: false, out: false };
	return {
		id, started, dataReady: false, valves: { audio: closed, video: closed, data: closed },
		bitrate: 0, pliFreq: 0, routes: [], streams: [], recording: { audio: null, video: null, data: null }, stats: {},
		layers: [], forwarders: [],
	};
}

export function frame(message: unknown): Buffer {
	const body = Buffer.from(JSON.stringify(message), 'utf8');
	const header = Buffer.alloc(4);
	header.writeUInt32BE(body.length, 0);
	return Buffer.concat([header, body]);
}

function reply(socket: net.Socket, id: number, body: Record<string, unknown>): void {
	if (!socket.destroyed) socket.write(frame({ id, ...body }));
}

/** Polls `predicate` every 5 ms until it holds; rejects after `ms` (helpers/wait's until, arguments in this suite's order). */
export function until(predicate: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
	return waitUntil(predicate, `timed out waiting for ${what}`, ms, { everyMs: 5 });
}

export { sleep } from '../../helpers/wait';
