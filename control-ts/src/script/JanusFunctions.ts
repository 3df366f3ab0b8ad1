/**
 * JanusFunctions: the functions janus_lua and janus_duktape give a script (pushEvent,
 * configureMedium, addRecipient, ...), implemented on the janus-ts Plugin API with the
 * checks the C plugins make before acting: the session must exist, JSON texts must parse,
 * data needs a ready datachannel, recordings come in (type, codec, folder, filename)
 * groups. Each language adapter (luaBindings, duktapeBindings) reads the script's
 * arguments, calls these, and turns a CallFailed into the language's way of failing
 * (Lua: return -1; Duktape: throw).
 *
 * The plugin calls themselves are asynchronous (a request over the control socket): a
 * function returns as soon as the request is sent, in call order, and a failure the
 * plugin reports later is logged with the function's name.
 */
import type { Plugin } from '../Plugin';
import type { Session } from '../Session';
import type { Direction, Jsep, JsonObject, LogLevel, Medium } from '../protocol/types';
import { simulcastConfigs } from '../sdp/simulcast';
import type { Scheduler } from './Scheduler';

/** A call the C plugin would have refused (Lua: -1, Duktape: an exception). */
export class CallFailed extends Error {
	override name = 'CallFailed';
	/** How loudly the refusal is logged. */
	readonly level: LogLevel;
	/** Duktape throws a TypeError for an argument of the wrong type. */
	readonly typeError: boolean;
	constructor(message: string, level: LogLevel = 'error', typeError = false) {
		super(message);
		this.level = level;
		this.typeError = typeError;
	}
}

/** What the functions need from the script app around them. */
export interface FunctionsHost {
	/** The plugin API; undefined until the control connection is up. */
	readonly plugin: Plugin | undefined;
	/** A live session (created, not destroyed), by id. */
	session(id: number): Session | undefined;
	/** Whether Janus event handlers are enabled (asked once at init). */
	readonly eventsEnabled: boolean;
	readonly scheduler: Scheduler;
	/** A line of janus-ts's own in the Janus log (and on stdout), prefixed with the script name. */
	log(level: LogLevel, message: string): void;
	/** A line of the script's own (janusLog, console.log), as the script wrote it. */
	scriptLog(level: LogLevel, message: string): void;
	/** The jsep of the last offer handleMessage got for this session (for its simulcast list). */
	lastOffer(id: number): Jsep | undefined;
}

/** One (type, codec, folder, filename) group of startRecording. */
export interface RecordingRequest {
	type: string | null;
	codec: string | null;
	folder: string | null;
	filename: string | null;
}

/** Janus log levels (JANUS_LOG's numbers) → protocol levels. */
const LOG_LEVELS: Record<number, LogLevel> = { 0: 'info', 1: 'fatal', 2: 'error', 3: 'warn', 4: 'info', 5: 'verb', 6: 'huge', 7: 'dbg' };
const MEDIA: Medium[] = ['audio', 'video', 'data'];

export class JanusFunctions {
	readonly #host: FunctionsHost;

	constructor(host: FunctionsHost) {
		this.#host = host;
	}

	/** A line of the script's own in the Janus log (and on stdout), e.g. from its console. */
	scriptLog(level: LogLevel, message: string): void {
		this.#host.scriptLog(level, message);
	}

	/**
	 * Runs one of these functions for a language adapter: its result, or 0 when it returns
	 * nothing; a CallFailed is logged and answered by `onRefused` (Lua: -1; Duktape: throw).
	 */
	attempt<T>(name: string, run: () => T | void, onRefused: (err: CallFailed) => T): T | 0 {
		try {
			const result = run();
			return result === undefined ? 0 : result;
		} catch (err) {
			if (!(err instanceof CallFailed)) throw err;
			this.refused(name, err);
			return onRefused(err);
		}
	}

	/** Logs a refused call (the language adapter then answers -1 or throws). */
	refused(name: string, err: CallFailed): void {
		this.#host.log(err.level, `${name}: ${err.message}`);
	}

	/** janusLog(level, text): a line in the Janus log at JANUS_LOG level `level`. */
	janusLog(level: number, text: string | null): void {
		if (text === null) return;
		this.#host.scriptLog(LOG_LEVELS[Math.trunc(level)] ?? (level > 7 ? 'dbg' : 'info'), text);
	}

	pokeScheduler(): void { this.#host.scheduler.poke(); }

	timeCallback(name: string | null, argument: string | null, ms: number): void {
		if (name === null) throw new CallFailed('Invalid argument (missing function name)');
		this.#host.scheduler.later(name, argument, ms);
	}

	pushEvent(id: number, transaction: string | null, eventText: string | null, jsepText: string | null): void {
		const event = parseJson(eventText, 'event');
		const jsep = jsepText === null ? null : parseJson(jsepText, 'jsep');
		const plugin = this.#live(id);
		this.#send('pushEvent', plugin.pushEvent(id, transaction, event, jsep as Jsep | null));
		const answer = jsep as Jsep | null;
		const offer = this.#host.lastOffer(id);
		if (answer?.type === 'answer' && typeof answer.sdp === 'string' && offer) this.#simulcast(plugin, id, offer, answer.sdp);
	}

	/**
	 * As janus_lua: the first simulcast description of the client's offer (Janus's jsep list),
	 * with the video codec the answer negotiated; only VP8 and H.264 (else none). The script's
	 * setSubstream/setTemporalLayer then select from it.
	 */
	#simulcast(plugin: Plugin, id: number, offer: Jsep, answer: string): void {
		const [first] = simulcastConfigs(offer, answer);
		if (!first) return;
		const codec = first.codec === 'vp8' || first.codec === 'h264' ? first.codec : null;
		this.#send('pushEvent (simulcast)', plugin.configureSimulcast(id, { ...first, codec }));
	}

	notifyEvent(id: number, eventText: string | null): void {
		if (!this.#host.eventsEnabled) return; // as in C: nothing to do, and no error
		const event = parseJson(eventText, 'event');
		const plugin = this.#plugin();
		this.#send('notifyEvent', plugin.notifyEvent(this.#host.session(id) ? id : null, event));
	}

	eventsIsEnabled(): boolean { return this.#host.eventsEnabled; }

	closePc(id: number): void { this.#send('closePc', this.#live(id).closePc(id)); }

	endSession(id: number): void { this.#send('endSession', this.#live(id).endSession(id)); }

	/** `in`: this session may receive `medium`; anything else is `out` (as the C plugins read it). */
	configureMedium(id: number, medium: string | null, direction: string | null, enabled: boolean): void {
		const plugin = this.#live(id);
		const m = MEDIA.find((x) => x === medium?.toLowerCase());
		if (!m || direction === null) return; // C ignores an unknown medium and still answers 0
		const dir: Direction = direction.toLowerCase() === 'in' ? 'in' : 'out';
		this.#send('configureMedium', plugin.configureMedium(id, m, dir, enabled));
	}

	addRecipient(id: number, recipient: number): void {
		const plugin = this.#live(id);
		this.#live(recipient);
		this.#send('addRecipient', plugin.addRecipient(id, recipient));
	}

	removeRecipient(id: number, recipient: number): void {
		const plugin = this.#live(id);
		this.#live(recipient);
		this.#send('removeRecipient', plugin.removeRecipient(id, recipient));
	}

	setBitrate(id: number, bitrate: number): void {
		this.#send('setBitrate', this.#live(id).setBitrate(id, bitrate >>> 0));
	}

	setPliFreq(id: number, seconds: number): void {
		this.#send('setPliFreq', this.#live(id).setPliFreq(id, seconds & 0xffff));
	}

	/** Values above 2 are ignored (C keeps the previous target and answers 0). */
	setSubstream(id: number, substream: number): void {
		const plugin = this.#live(id);
		if ((substream & 0xffff) <= 2) this.#send('setSubstream', plugin.setSubstream(id, substream & 0xffff));
	}

	setTemporalLayer(id: number, temporal: number): void {
		const plugin = this.#live(id);
		if ((temporal & 0xffff) <= 2) this.#send('setTemporalLayer', plugin.setTemporalLayer(id, temporal & 0xffff));
	}

	sendPli(id: number): void { this.#send('sendPli', this.#live(id).sendPli(id)); }

	relayRtp(id: number, video: boolean, packet: Uint8Array | null, length: number): void {
		const bytes = payload(packet, length, 'payload');
		this.#send('relayRtp', this.#live(id).relayRtp(id, video, bytes));
	}

	relayRtcp(id: number, video: boolean, packet: Uint8Array | null, length: number): void {
		const bytes = payload(packet, length, 'payload');
		this.#send('relayRtcp', this.#live(id).relayRtcp(id, video, bytes));
	}

	/** Text on the session's datachannel; an empty label or protocol means none. */
	relayTextData(id: number, data: Uint8Array | null, length: number, label: string | null, protocol: string | null): void {
		const bytes = payload(data, length, 'data');
		const plugin = this.#ready(id);
		this.#send('relayTextData', plugin.relayTextData(id, Buffer.from(bytes).toString('utf8'), label || null, protocol || null));
	}

	relayBinaryData(id: number, data: Uint8Array | null, length: number, label: string | null, protocol: string | null): void {
		const bytes = payload(data, length, 'data');
		const plugin = this.#ready(id);
		this.#send('relayBinaryData', plugin.relayBinaryData(id, bytes, label || null, protocol || null));
	}

	/** Groups with no type or codec are skipped; a codec "vp9/fmtp=profile-id=2" carries its fmtp. */
	startRecording(id: number, requests: RecordingRequest[]): void {
		const plugin = this.#live(id);
		const seen = new Set<Medium>();
		const specs = [];
		for (const r of requests) {
			if (r.type === null || r.codec === null) continue;
			const medium = MEDIA.find((m) => m === r.type!.toLowerCase());
			if (!medium) { this.#host.log('warn', `startRecording: unknown type '${r.type}', skipping`); continue; }
			if (seen.has(medium)) { this.#host.log('warn', `Duplicate ${medium} recording, skipping`); continue; }
			seen.add(medium);
			const [codec, fmtp] = r.codec.split('/fmtp=', 2);
			specs.push({ medium, codec, filename: r.filename ?? '', ...(r.folder ? { folder: r.folder } : {}), ...(fmtp ? { fmtp } : {}) });
		}
		if (specs.length === 0) throw new CallFailed('janus-ts: startRecording: nothing to record');
		this.#send('startRecording', plugin.startRecording(id, ...specs));
	}

	stopRecording(id: number, types: (string | null)[]): void {
		const plugin = this.#live(id);
		const media = MEDIA.filter((m) => types.some((t) => t?.toLowerCase() === m));
		if (media.length) this.#send('stopRecording', plugin.stopRecording(id, ...media));
	}

	#plugin(): Plugin {
		const plugin = this.#host.plugin;
		if (!plugin) throw new CallFailed('janus-ts: not connected to the plugin yet', 'warn');
		return plugin;
	}

	/** The plugin, after checking that session `id` exists (C: "Session N doesn't exist"). */
	#live(id: number): Plugin {
		const plugin = this.#plugin();
		if (!this.#host.session(id)) throw new CallFailed(`Session ${id} doesn't exist`, 'verb');
		return plugin;
	}

	#ready(id: number): Plugin {
		const plugin = this.#live(id);
		if (!this.#host.session(id)!.dataReady) {
			throw new CallFailed(`Datachannel not ready yet for session ${id}, dropping data`, 'warn');
		}
		return plugin;
	}

	/** Logs a failure the plugin reports later (a session gone meanwhile is not worth a warning). */
	#send(what: string, request: Promise<unknown>): void {
		request.catch((err: Error & { kind?: string }) => {
			const gone = err.kind === 'UnknownSession' || err.kind === 'ClosedSession';
			this.#host.log(gone ? 'verb' : 'warn', `${what} failed in the plugin: ${err.message}`);
		});
	}
}

/** Parses a JSON text the script passed; Janus wants an object (C: json_loads). */
function parseJson(text: string | null, what: string): JsonObject {
	if (text === null) throw new CallFailed(`JSON error: no ${what}`);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (err) {
		throw new CallFailed(`JSON error: ${what}: ${(err as Error).message}`);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new CallFailed(`JSON error: ${what} is not a JSON object`);
	}
	return value as JsonObject;
}

/** The first `length` bytes of a payload (C: invalid when missing or length < 1). */
function payload(bytes: Uint8Array | null, length: number, what: string): Uint8Array {
	if (bytes === null || !(length >= 1)) throw new CallFailed(`Invalid ${what}`);
	return bytes.subarray(0, Math.min(bytes.length, Math.trunc(length)));
}
