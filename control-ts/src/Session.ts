/**
 * Session: one plugin session (a Janus handle attached to the plugin), with the
 * plugin's functions as methods. Implemented on the flat {@link Plugin} functions:
 * `session.configureMedium('audio', 'in', true)` is `plugin.configureMedium(session.id, ...)`.
 */
import type { SessionDescription } from 'sdp-transform';
import type { Bytes, Plugin, RecordingSpec } from './Plugin';
import type {
	Direction, ForwarderInfo, Jsep, JsonObject, Medium, RecipientResult, SessionInfo, SimulcastConfig, StreamInfo,
} from './protocol/types';
import { simulcastConfigs } from './sdp/simulcast';

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
	/** Simulcast substream this session receives (m-line `mindex`, or every one); see Plugin.setSubstream. */
	setSubstream(substream: number, mindex?: number): Promise<boolean> { return this.#plugin.setSubstream(this.id, substream, mindex); }
	setTemporalLayer(temporal: number, mindex?: number): Promise<boolean> { return this.#plugin.setTemporalLayer(this.id, temporal, mindex); }
	setSpatialLayer(spatial: number, mindex?: number): Promise<boolean> { return this.#plugin.setSpatialLayer(this.id, spatial, mindex); }
	/**
	 * The simulcast this session sends, from its offer (the jsep of handleMessage) and the
	 * answer you send back (`sdp.simulcastConfigs`); `svc`: VP9 m-lines without simulcast get
	 * their SVC layers selected too. Resolves with what was configured.
	 */
	async configureSimulcast(offer: Jsep, answer: Jsep | SessionDescription | string, options: { svc?: boolean } = {}): Promise<SimulcastConfig[]> {
		const configs = simulcastConfigs(offer, typeof answer === 'object' && 'sdp' in answer && typeof answer.sdp === 'string' ? answer.sdp : answer as SessionDescription | string, options);
		for (const c of configs) await this.#plugin.configureSimulcast(this.id, c);
		return configs;
	}
	/** Talk detection of this session's audio; see Plugin.configureTalkDetection. */
	configureTalkDetection(opts: { window: number; threshold?: number; mindex?: number }): Promise<boolean> {
		return this.#plugin.configureTalkDetection(this.id, opts);
	}
	/** A plain-RTP forwarder of this session's stream; see Plugin.rtpForward. */
	rtpForward(opts: { mindex: number; host: string; port: number; ssrc?: number; pt?: number; substream?: number }): Promise<number> {
		return this.#plugin.rtpForward(this.id, opts);
	}
	listForwarders(): Promise<ForwarderInfo[]> { return this.#plugin.listForwarders(this.id); }
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
