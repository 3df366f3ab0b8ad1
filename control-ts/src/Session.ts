/**
 * Session: one plugin session (a Janus handle attached to the plugin), with the
 * plugin's functions as methods. Implemented on the flat {@link Plugin} functions:
 * `session.configureMedium('audio', 'in', true)` is `plugin.configureMedium(session.id, ...)`.
 */
import type { Bytes, Plugin, RecordingSpec } from './Plugin';
import type { Direction, Jsep, JsonObject, Medium, RecipientResult, SessionInfo, StreamInfo } from './protocol/types';

/**
 * A session or its id, where a recipient is expected: any `Session<State>` whatever its
 * state type (or anything with the session's `id`).
 */
export type SessionRef = { readonly id: number } | number;
const idOf = (s: SessionRef): number => (typeof s === 'number' ? s : s.id);

export class Session<D extends object = Record<string, unknown>> {
	/** The plugin's random non-zero uint32 id. */
	readonly id: number;
	/** The app's own per-session state; starts empty, never touched by the runtime. */
	data: D = {} as D;
	/** The last snapshot the plugin gave of this session (hello resync), if any. */
	info?: SessionInfo;
	/** Whether the PeerConnection is up (setupMedia seen, hangupMedia not yet). */
	started = false;
	/** Whether the datachannel is ready to send (dataReady seen since setupMedia). */
	dataReady = false;
	/** Whether destroySession was seen. */
	destroyed = false;
	/** The flat API this session delegates to; borrowed. */
	readonly #plugin: Plugin;

	constructor(plugin: Plugin, id: number) {
		this.#plugin = plugin;
		this.id = id;
	}

	/** The flat API (for calls about other sessions). */
	get plugin(): Plugin { return this.#plugin; }

	/** Sends an event (and SDP) to the client. false: the session is gone. */
	pushEvent(event: JsonObject, options: { transaction?: string | null; jsep?: Jsep | null } = {}): Promise<boolean> {
		return this.#plugin.pushEvent(this.id, options.transaction, event, options.jsep);
	}
	notifyEvent(event: JsonObject): Promise<boolean> { return this.#plugin.notifyEvent(this.id, event); }
	closePc(): Promise<boolean> { return this.#plugin.closePc(this.id); }
	/** Detaches the handle (Lua `endSession`). false: the session is gone. */
	end(): Promise<boolean> { return this.#plugin.endSession(this.id); }
	configureMedium(medium: Medium, direction: Direction, enabled: boolean): Promise<boolean> {
		return this.#plugin.configureMedium(this.id, medium, direction, enabled);
	}
	/** Opens or closes both valves (`in` and `out`) of a medium. false: the session is gone. */
	async setMedium(medium: Medium, enabled: boolean): Promise<boolean> {
		const done = await Promise.all([this.configureMedium(medium, 'in', enabled), this.configureMedium(medium, 'out', enabled)]);
		return done.every(Boolean);
	}
	/** Lua's addRecipient: `recipient` gets this session's streams, by kind (see Plugin.addRecipient). */
	addRecipient(recipient: SessionRef): Promise<RecipientResult> { return this.#plugin.addRecipient(this.id, idOf(recipient)); }
	removeRecipient(recipient: SessionRef): Promise<boolean> { return this.#plugin.removeRecipient(this.id, idOf(recipient)); }
	addRoute(mindex: number, recipient: SessionRef, recipientMindex: number): Promise<void> {
		return this.#plugin.addRoute(this.id, mindex, idOf(recipient), recipientMindex);
	}
	removeRoute(mindex: number, recipient: SessionRef, recipientMindex: number): Promise<boolean> {
		return this.#plugin.removeRoute(this.id, mindex, idOf(recipient), recipientMindex);
	}
	setBitrate(bitrate: number): Promise<boolean> { return this.#plugin.setBitrate(this.id, bitrate); }
	/** See Plugin.setRelayLabel. */
	setRelayLabel(label: string | null): Promise<boolean> { return this.#plugin.setRelayLabel(this.id, label); }
	setPliFreq(seconds: number): Promise<boolean> { return this.#plugin.setPliFreq(this.id, seconds); }
	sendPli(mindex?: number): Promise<boolean> { return this.#plugin.sendPli(this.id, mindex); }
	setSubstream(substream: number): Promise<boolean> { return this.#plugin.setSubstream(this.id, substream); }
	setTemporalLayer(temporal: number): Promise<boolean> { return this.#plugin.setTemporalLayer(this.id, temporal); }
	relayRtp(video: boolean, packet: Bytes, mindex?: number): Promise<boolean> { return this.#plugin.relayRtp(this.id, video, packet, mindex); }
	relayRtcp(video: boolean, packet: Bytes, mindex?: number): Promise<boolean> { return this.#plugin.relayRtcp(this.id, video, packet, mindex); }
	relayTextData(text: string, label?: string | null, protocol?: string | null): Promise<boolean> {
		return this.#plugin.relayTextData(this.id, text, label, protocol);
	}
	relayBinaryData(data: Bytes, label?: string | null, protocol?: string | null): Promise<boolean> {
		return this.#plugin.relayBinaryData(this.id, data, label, protocol);
	}
	startRecording(...recordings: RecordingSpec[]): Promise<void> { return this.#plugin.startRecording(this.id, ...recordings); }
	stopRecording(...media: Medium[]): Promise<boolean> { return this.#plugin.stopRecording(this.id, ...media); }
	/** Asks the plugin for this session's current state (valves, routes, m-lines, counters). */
	async fetchInfo(): Promise<SessionInfo> {
		const info = await this.#plugin.sessionInfo(this.id);
		this.info = info;
		return info;
	}
	/** The session's m-lines as of the last snapshot or fetchInfo() (empty when unknown). */
	get streams(): StreamInfo[] { return this.info?.streams ?? []; }
}
