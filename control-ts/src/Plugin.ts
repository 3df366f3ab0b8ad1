/**
 * Plugin: the flat, Lua-style functions of the plugin, one per `appToPlugin` method of
 * schema.json (except `hello`, which the Connection sends). Each returns a promise that
 * settles with the plugin's answer.
 *
 *   await plugin.configureMedium(id, 'audio', 'in', true)   // Lua: configureMedium(id, "audio", "in", true)
 *
 * Calls about a session (or route) that is already gone resolve `false` where Lua went on
 * quietly (pushEvent, closePc, endSession, configureMedium, removeRecipient, removeRoute,
 * setBitrate, setPliFreq, sendPli, relays, stopRecording, ...): teardown races need no
 * try/catch. Calls that cannot do anything useful then (addRecipient, addRoute,
 * startRecording, sessionInfo) reject with `UnknownSession`; misuse rejects with its typed
 * error (`BadArguments`, `Duplicate`, ...). Error messages name the method, the session id
 * and the reason.
 *
 * The object API ({@link Session}) is implemented on these functions.
 */
import type { Connection } from './Connection';
import { Logger } from './Logger';
import { Timer } from './Timer';
import type { Bytes, RecordingSpec } from './PluginTypes';
import type {
	Direction, ForwarderInfo, Jsep, JsonObject, LogLevel, Medium, RecipientResult, SessionInfo, SimulcastConfig,
} from './protocol/types';

export type { Bytes, RecordingSpec };

const b64 = (data: Bytes): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

export class Plugin {
	/** The control connection; borrowed from the runtime. */
	readonly #conn: Connection;
	/** Timers created by timeCallback and not fired or cancelled yet. */
	readonly #timers = new Set<Timer>();
	/** The app's logger (stdout + Janus log). */
	readonly logger: Logger;

	constructor(connection: Connection, logger: Logger = new Logger()) {
		this.#conn = connection;
		this.logger = logger;
	}

	/**
	 * Sends an event to the client of session `id`; with `jsep` Janus merges its ICE/DTLS into
	 * the SDP (and the plugin learns the session's m-lines from it). false: the session is gone.
	 */
	pushEvent(id: number, transaction: string | null | undefined, event: JsonObject, jsep?: Jsep | null): Promise<boolean> {
		const params: { id: number; event: JsonObject; transaction?: string | null; jsep?: Jsep | null } = { id, event };
		if (transaction !== undefined) params.transaction = transaction;
		if (jsep !== undefined && jsep !== null) params.jsep = jsep;
		return this.#conn.request('pushEvent', params);
	}

	/**
	 * Sends an event to Janus event handlers (when enabled); `id` null/0 = not tied to a
	 * session. false: session `id` is gone (the event is not sent).
	 */
	notifyEvent(id: number | null, event: JsonObject): Promise<boolean> {
		return this.#conn.request('notifyEvent', { id: id === 0 ? null : id, event });
	}

	/** Whether Janus event handlers are enabled. */
	eventsIsEnabled(): Promise<boolean> {
		return this.#conn.request('eventsIsEnabled', {});
	}

	/** Hangs up the session's PeerConnection (→ hangupMedia). false: the session is gone. */
	closePc(id: number): Promise<boolean> { return this.#conn.request('closePc', { id }); }

	/** Detaches the session's handle (→ destroySession). false: the session is gone. */
	endSession(id: number): Promise<boolean> { return this.#conn.request('endSession', { id }); }

	/**
	 * Opens or closes a valve: `in` = `id` may receive `medium`; `out` = `id`'s medium may be
	 * relayed/recorded. false: the session is gone.
	 */
	configureMedium(id: number, medium: Medium, direction: Direction, enabled: boolean): Promise<boolean> {
		return this.#conn.request('configureMedium', { id, medium, direction, enabled });
	}

	/**
	 * Lua's addRecipient: `recipient` receives every stream of `id` (`id === recipient` is an
	 * echo), each on its stream of the same kind — first audio to first audio, first video to
	 * first video, datachannel to datachannel — whatever their m-line indexes; resolved again
	 * whenever either side renegotiates. Idempotent. The result says where each stream goes
	 * and which carry nothing (also logged at debug level). Rejects with UnknownSession when
	 * either session is gone.
	 */
	async addRecipient(id: number, recipient: number): Promise<RecipientResult> {
		const result = await this.#conn.request('addRecipient', { id, recipient });
		for (const s of result.streams ?? []) {
			if (!s.carries) this.logger.debug(`addRecipient(${id}, ${recipient}): ${s.type} m-line ${s.mindex} carries nothing: ${s.reason}`);
		}
		return result;
	}

	/** Removes the route of addRecipient. false: there was none (or a session is gone). */
	removeRecipient(id: number, recipient: number): Promise<boolean> {
		return this.#conn.request('removeRecipient', { id, recipient });
	}

	/** Stream-level route: `id`'s m-line `mindex` goes to `recipient`'s m-line `recipientMindex`, exactly. */
	async addRoute(id: number, mindex: number, recipient: number, recipientMindex: number): Promise<void> {
		await this.#conn.request('addRoute', { id, mindex, recipient, recipientMindex });
	}

	/** Removes a stream-level route. false: there was none (or a session is gone). */
	removeRoute(id: number, mindex: number, recipient: number, recipientMindex: number): Promise<boolean> {
		return this.#conn.request('removeRoute', { id, mindex, recipient, recipientMindex });
	}

	/** REMB cap sent to `id`'s browser, bits per second (0 = no cap). false: the session is gone. */
	setBitrate(id: number, bitrate: number): Promise<boolean> { return this.#conn.request('setBitrate', { id, bitrate }); }

	/**
	 * The label of the datachannel messages the router relays from `id` (a VideoRoom: the
	 * publisher's id, the channel a subscriber gets its data on); null: the label the client
	 * sent them with. Kept until changed or the session is gone.
	 */
	setRelayLabel(id: number, label: string | null): Promise<boolean> { return this.#conn.request('setRelayLabel', { id, label }); }

	/** Periodic keyframe requests to `id` every `seconds` (0 = off). false: the session is gone. */
	setPliFreq(id: number, seconds: number): Promise<boolean> { return this.#conn.request('setPliFreq', { id, seconds }); }

	/** Asks `id` for a keyframe (on video m-line `mindex`, or every video stream). false: the session is gone. */
	sendPli(id: number, mindex?: number): Promise<boolean> {
		return this.#conn.request('sendPli', mindex === undefined ? { id } : { id, mindex });
	}

	/**
	 * Simulcast substream target of recipient `id`: 0 low … 2 high (2 at first), on its m-line
	 * `mindex` or every one. The switch happens at a keyframe of that substream (one is asked
	 * for); while it stops arriving (250 ms) a lower one is relayed. `substreamChanged` tells
	 * when the relayed one changes. false: the session is gone.
	 */
	setSubstream(id: number, substream: number, mindex?: number): Promise<boolean> {
		return this.#conn.request('setSubstream', { id, substream, ...opt('mindex', mindex) });
	}

	/** Temporal layer target of recipient `id`: 0 … 2 (VP8 TID, VP9 TID). false: the session is gone. */
	setTemporalLayer(id: number, temporal: number, mindex?: number): Promise<boolean> {
		return this.#conn.request('setTemporalLayer', { id, temporal, ...opt('mindex', mindex) });
	}

	/** VP9 SVC spatial layer target of recipient `id`: 0 … 2. false: the session is gone. */
	setSpatialLayer(id: number, spatial: number, mindex?: number): Promise<boolean> {
		return this.#conn.request('setSpatialLayer', { id, spatial, ...opt('mindex', mindex) });
	}

	/**
	 * Tells the router that session `id` sends simulcast (or VP9 SVC) on m-line `mindex`: its
	 * codec, and the substreams by rid and/or SSRC, lowest first (what `sdp.simulcastFromJsep`
	 * reads from the jsep Janus hands handleMessage). `codec: null` turns it off. Until then the
	 * stream's packets are relayed as one stream. false: the session is gone.
	 */
	configureSimulcast(id: number, cfg: SimulcastConfig): Promise<boolean> {
		return this.#conn.request('configureSimulcast', {
			id, mindex: cfg.mindex, codec: cfg.codec, ...opt('rids', cfg.rids), ...opt('ridExtId', cfg.ridExtId), ...opt('ssrcs', cfg.ssrcs),
		});
	}

	/**
	 * Talk detection of session `id`'s audio (m-line `mindex`, or every one), as VideoRoom's
	 * audio_active_packets / audio_level_average: the levels Janus reads from the
	 * ssrc-audio-level extension are averaged over `window` packets; an average below
	 * `threshold` (1 … 127, -dBov: lower is louder) is talking. `talking` / `stoppedTalking`
	 * come when that changes. window 0 turns it off. false: the session is gone.
	 */
	configureTalkDetection(id: number, opts: { window: number; threshold?: number; mindex?: number }): Promise<boolean> {
		return this.#conn.request('configureTalkDetection', { id, window: opts.window, ...opt('threshold', opts.threshold), ...opt('mindex', opts.mindex) });
	}

	/** Of the sessions `ids`, the one talking loudest in a window that ended at most `maxAgeMs` (default 1000) ago; level in -dBov. */
	loudestSpeaker(ids: number[], maxAgeMs?: number): Promise<{ id: number | null; level: number | null }> {
		return this.#conn.request('loudestSpeaker', { ids, ...opt('maxAgeMs', maxAgeMs) });
	}

	/**
	 * Forwards session `id`'s stream `mindex` as plain RTP to host:port (a non-blocking UDP
	 * socket in the plugin), optionally with a fixed SSRC and payload type, and only one
	 * simulcast substream. Stops with stopRtpForward, or when the session hangs up or goes.
	 * Resolves with the forwarder's id.
	 */
	async rtpForward(id: number, opts: { mindex: number; host: string; port: number; ssrc?: number; pt?: number; substream?: number }): Promise<number> {
		const r = await this.#conn.request('rtpForward', {
			id, mindex: opts.mindex, host: opts.host, port: opts.port, ...opt('ssrc', opts.ssrc), ...opt('pt', opts.pt), ...opt('substream', opts.substream),
		});
		return r.forwarder;
	}

	/** Stops a forwarder. false: there was none (stopped already, or its session went). */
	stopRtpForward(forwarder: number): Promise<boolean> { return this.#conn.request('stopRtpForward', { forwarder }); }

	/** The RTP forwarders of session `id` (of every session when omitted). */
	listForwarders(id?: number): Promise<ForwarderInfo[]> { return this.#conn.request('listForwarders', id === undefined ? {} : { id }); }

	/** Injects an RTP packet towards `id`. false: the session is gone (dropped). */
	relayRtp(id: number, video: boolean, packet: Bytes, mindex?: number): Promise<boolean> {
		return this.#conn.request('relayRtp', { id, video, data: b64(packet), ...(mindex === undefined ? {} : { mindex }) });
	}

	/** Injects an RTCP packet towards `id`. false: the session is gone (dropped). */
	relayRtcp(id: number, video: boolean, packet: Bytes, mindex?: number): Promise<boolean> {
		return this.#conn.request('relayRtcp', { id, video, data: b64(packet), ...(mindex === undefined ? {} : { mindex }) });
	}

	/**
	 * Sends text on `id`'s datachannel. false: dropped, the session is gone or its channel not
	 * open yet (neither Janus's dataReady nor data from the client on this PeerConnection).
	 */
	relayTextData(id: number, text: string, label?: string | null, protocol?: string | null): Promise<boolean> {
		return this.#conn.request('relayTextData', { id, text, ...opt('label', label), ...opt('protocol', protocol) });
	}

	/** Sends binary data on `id`'s datachannel. false: dropped, as relayTextData. */
	relayBinaryData(id: number, data: Bytes, label?: string | null, protocol?: string | null): Promise<boolean> {
		return this.#conn.request('relayBinaryData', { id, data: b64(data), ...opt('label', label), ...opt('protocol', protocol) });
	}

	/** Starts .mjr recorders of `id`'s incoming media, one per spec. */
	async startRecording(id: number, ...recordings: RecordingSpec[]): Promise<void> {
		if (recordings.length === 0) throw new TypeError('janus-ts: startRecording needs at least one recording');
		await Promise.all(recordings.map((r) => this.#conn.request('startRecording', {
			id, medium: r.medium, codec: r.codec, filename: r.filename,
			...opt('folder', r.folder), ...opt('fmtp', r.fmtp),
		})));
	}

	/** Stops the recorders of the given media (all of them when none is given). false: the session is gone. */
	async stopRecording(id: number, ...media: Medium[]): Promise<boolean> {
		if (media.length === 0) return this.#conn.request('stopRecording', { id });
		const done = await Promise.all(media.map((medium) => this.#conn.request('stopRecording', { id, medium })));
		return done.every(Boolean);
	}

	/** Writes a line in the Janus log, and on stdout. */
	async log(level: LogLevel, message: string): Promise<void> {
		if (this.logger.printsForwardedLines) this.logger.stdout(level, message);
		await this.#conn.request('log', { level, message });
	}

	/** The plugin's view of a session (valves, routes, stats). */
	sessionInfo(id: number): Promise<SessionInfo> { return this.#conn.request('sessionInfo', { id }); }

	/** The plugin's counters. */
	stats(): Promise<JsonObject> { return this.#conn.request('stats', {}); }

	/** The plugin's method table and versions. */
	describe(): Promise<JsonObject> { return this.#conn.request('describe', {}); }

	/**
	 * Lua's `timeCallback(fn, arg, ms)`: calls `fn(...args)` once after `ms`; returns a
	 * Timer you can cancel. Pending timers are cancelled when the runtime stops.
	 */
	timeCallback<A extends unknown[]>(fn: (...args: A) => unknown, ms: number, ...args: A): Timer {
		const timer = new Timer(() => {
			this.#timers.delete(timer);
			return fn(...args);
		}, ms, (err) => this.logger.error('timeCallback failed:', err));
		this.#timers.add(timer);
		timer.onCancel = () => this.#timers.delete(timer);
		return timer;
	}

	/** Cancels every pending timeCallback (used on shutdown). */
	cancelTimers(): void {
		for (const t of [...this.#timers]) t.cancel();
	}
}

/** `{[key]: value}` when value is set, `{}` otherwise (optional protocol params). */
function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
	return value === undefined || value === null ? {} : ({ [key]: value } as { [P in K]?: V });
}
