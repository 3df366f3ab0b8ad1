/**
 * TestHandle: one Janus handle attached to the plugin, seen from the client and the
 * network: what it sends (messages, JSEP, RTP/RTCP/data, PeerConnection up and down) and
 * what Janus would deliver to it (replies, pushed events, relayed RTP with the router's
 * seq/ts, keyframe requests, REMBs, data). Made by {@link TestGateway.attach}.
 */
import type { Session } from '../Session';
import type { Jsep, JsonObject } from '../protocol/types';
import type { Recording } from './core-types';
import {
	JANUS_ERROR_HANDLE_NOT_FOUND, JANUS_ERROR_PLUGIN_MESSAGE, JANUS_ERROR_UNEXPECTED_ANSWER, anonymizeSdp, checkJsep, clientAnswer, mlineKinds,
} from './janus-sdp';
import { buildRtp, parseRtp, type RtpFields, type RtpHeader } from './rtp';

/** Janus's error answer to a message (the plugin's error text, or the core's refusal). */
export class MessageError extends Error {
	constructor(readonly code: number, readonly reason: string) {
		super(`Janus error ${code}: ${reason}`);
		this.name = 'MessageError';
	}
}

/** An event the app pushed to this handle (`pushEvent`). */
export interface PushedEvent { transaction?: string; event: JsonObject; jsep?: Jsep }

/** An RTP packet Janus would send to this handle's peer. */
export interface RelayedRtp extends RtpHeader {
	mindex: number;
	video: boolean;
	/** The whole packet as relayed (header rewritten by the router). */
	packet: Buffer;
	/** Injected by the app (`relayRtp`) rather than routed. */
	fromApp: boolean;
	/** Virtual ms since the gateway started. */
	at: number;
}

export interface RelayedRtcp { mindex: number; video: boolean; packet: Buffer; fromApp: boolean }
export interface RelayedData { binary: boolean; data: Buffer; text?: string; label?: string; protocol?: string; fromApp: boolean }

/** Reply of `send`: a synchronous reply, or an ack (the answer comes as an event). */
export type SendResult = { type: 'reply'; reply: JsonObject } | { type: 'ack' };

/** What the gateway gives a handle to act with (internal). */
export interface HandleHost {
	message(h: TestHandle, transaction: string, body: JsonObject, jsep?: Jsep): Promise<SendResult>;
	setupMedia(h: TestHandle): Promise<void>;
	hangupMedia(h: TestHandle): Promise<void>;
	dataReady(h: TestHandle): Promise<void>;
	slowLink(h: TestHandle, mindex: number, video: boolean, uplink: boolean): Promise<void>;
	detach(h: TestHandle): Promise<void>;
	rtp(h: TestHandle, mindex: number, video: boolean, packet: Buffer): Promise<void>;
	rtcp(h: TestHandle, mindex: number, video: boolean, packet: Buffer): Promise<void>;
	data(h: TestHandle, binary: boolean, data: Buffer, label?: string, protocol?: string): Promise<void>;
	info(h: TestHandle): Promise<JsonObject | null>;
	session(h: TestHandle): Session<any> | undefined;
	recordings(h: TestHandle): (Recording | undefined)[];
	waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void>;
	now(): number;
}

let transactions = 0;

export class TestHandle {
	/** The plugin's session id of this handle (set by attach). */
	id = 0;
	readonly #host: HandleHost;
	/** Events the app pushed, in order. */
	readonly events: PushedEvent[] = [];
	readonly rtp: RelayedRtp[] = [];
	readonly rtcp: RelayedRtcp[] = [];
	readonly data: RelayedData[] = [];
	/** Keyframe requests Janus sent to this peer: the m-line, or -1 for every video stream (`send_pli`). */
	readonly plis: number[] = [];
	/** REMB bitrates Janus sent to this peer. */
	readonly rembs: number[] = [];
	/** Relays the core dropped because the PeerConnection was not up. */
	droppedByCore = 0;
	/** PeerConnection up (setupMedia) and not hung up since. */
	mediaUp = false;
	/** Hangups the client was told about (hangupMedia by the client, closePc by the app). */
	hangups = 0;
	detached = false;
	/** Kinds of the negotiated m-lines (from the last offer), index = mindex. */
	mlines: string[] = [];
	/** An offer from the client waiting for the plugin's answer, or from the plugin waiting for the client's. */
	pendingOffer?: 'client' | 'plugin';

	constructor(host: HandleHost) {
		this.#host = host;
	}

	/** The app's Session object for this handle (undefined once destroyed in the app). */
	get session(): Session<any> | undefined { return this.#host.session(this); }

	/** Sends a message (and a JSEP): the synchronous reply or an ack. Throws MessageError. */
	send(body: JsonObject, jsep?: Jsep): Promise<SendResult> {
		return this.#send(`kit-${++transactions}`, body, jsep);
	}

	async #send(transaction: string, body: JsonObject, jsep?: Jsep): Promise<SendResult> {
		if (this.detached) throw new MessageError(JANUS_ERROR_HANDLE_NOT_FOUND, 'No such handle');
		let forPlugin = jsep;
		if (jsep) {
			const code = checkJsep(jsep);
			if (code) throw new MessageError(code, `Invalid jsep (${jsep.type})`);
			if (jsep.type === 'answer' && this.pendingOffer !== 'plugin') throw new MessageError(JANUS_ERROR_UNEXPECTED_ANSWER, 'Unexpected ANSWER (did we offer?)');
			this.pendingOffer = jsep.type === 'offer' ? 'client' : undefined;
			if (jsep.type === 'offer') this.mlines = mlineKinds(jsep.sdp);
			forPlugin = { ...jsep, sdp: anonymizeSdp(jsep.sdp) };
		}
		return this.#host.message(this, transaction, body, forPlugin);
	}

	/**
	 * Sends a message and returns the plugin's answer, synchronous or pushed with the
	 * message's transaction (as janus.js and the e2e helper's JanusHandle.send match it;
	 * other events pushed meanwhile are not the answer): `{data, jsep?}`. Throws
	 * MessageError on an error reply and when the data carries `error`/`error_code`.
	 */
	async request(body: JsonObject, jsep?: Jsep, timeoutMs = 10000): Promise<{ data: JsonObject; jsep?: Jsep }> {
		const from = this.events.length;
		const transaction = `kit-${++transactions}`;
		const r = await this.#send(transaction, body, jsep);
		let answer: { data: JsonObject; jsep?: Jsep };
		if (r.type === 'reply') answer = { data: r.reply };
		else {
			const e = await this.#waitEvent((ev) => ev.transaction === transaction, timeoutMs, from, `the answer to ${JSON.stringify(body)} (transaction ${transaction})`);
			answer = { data: e.event, ...(e.jsep ? { jsep: e.jsep } : {}) };
		}
		const d = answer.data;
		if (d.error_code !== undefined || d.error !== undefined) throw new MessageError(Number(d.error_code ?? -1), String(d.error));
		return answer;
	}

	/** This client's answer to the plugin's offer (the last one pushed, or `offer`): every m-line accepted. */
	answer(offer?: Jsep): Jsep {
		const o = offer ?? [...this.events].reverse().find((e) => e.jsep?.type === 'offer')?.jsep;
		if (!o) throw new Error('janus-ts/testing: no offer to answer');
		return { type: 'answer', sdp: clientAnswer(o.sdp) };
	}

	/** The first pushed event at index ≥ `from` that matches (waits in real time, at most timeoutMs). */
	waitEvent(match: (e: PushedEvent) => boolean = () => true, timeoutMs = 10000, from = 0): Promise<PushedEvent> {
		return this.#waitEvent(match, timeoutMs, from, 'an event');
	}

	async #waitEvent(match: (e: PushedEvent) => boolean, timeoutMs: number, from: number, what: string): Promise<PushedEvent> {
		const find = () => this.events.slice(from).find(match);
		await this.#host.waitFor(() => find() !== undefined, what, timeoutMs);
		return find()!;
	}

	/** The PeerConnection came up (Janus setup_media): the router may relay to this handle. */
	setupMedia(): Promise<void> { return this.#host.setupMedia(this); }
	/** The PeerConnection went down (Janus hangup_media). */
	hangupMedia(): Promise<void> { return this.#host.hangupMedia(this); }
	/** The data channel is open (Janus data_ready). */
	dataReady(): Promise<void> { return this.#host.dataReady(this); }
	slowLink(mindex: number, video: boolean, uplink = false): Promise<void> { return this.#host.slowLink(this, mindex, video, uplink); }
	/** Detaches the handle (hangup first when media is up, as Janus does). */
	detach(): Promise<void> { return this.#host.detach(this); }
	/** Admin API handle_info's plugin part: `{router, app}`. */
	info(): Promise<JsonObject | null> { return this.#host.info(this); }

	/** Sends one RTP packet on m-line `mindex`. `video` defaults to the m-line's kind. */
	sendRtp(fields: RtpFields & { mindex?: number; video?: boolean }): Promise<void> {
		const mindex = fields.mindex ?? 0;
		const video = fields.video ?? this.mlines[mindex] === 'video';
		return this.#host.rtp(this, mindex, video, buildRtp({ pt: video ? 96 : 111, ...fields }));
	}
	/** Sends raw bytes as RTP (malformed packets included). */
	sendRtpPacket(packet: Uint8Array, mindex: number, video: boolean): Promise<void> { return this.#host.rtp(this, mindex, video, Buffer.from(packet)); }
	sendRtcp(packet: Uint8Array, mindex: number, video: boolean): Promise<void> { return this.#host.rtcp(this, mindex, video, Buffer.from(packet)); }
	sendData(data: string | Uint8Array, channel: { label?: string; protocol?: string } = {}): Promise<void> {
		const binary = typeof data !== 'string';
		return this.#host.data(this, binary, Buffer.from(data as string), channel.label ?? 'JanusDataChannel', channel.protocol);
	}

	/** Routed RTP on one m-line (not the app's relayRtp). */
	rtpOn(mindex: number): RelayedRtp[] { return this.rtp.filter((p) => p.mindex === mindex && !p.fromApp); }
	/** Text messages received on the data channel. */
	get texts(): string[] { return this.data.filter((d) => !d.binary).map((d) => d.text!); }
	/** The in-memory recordings of this handle's session (what would be in .mjr files). */
	get recordings(): { audio?: Recording; video?: Recording; data?: Recording } {
		const [audio, video, data] = this.#host.recordings(this);
		return { ...(audio ? { audio } : {}), ...(video ? { video } : {}), ...(data ? { data } : {}) };
	}

	/** Forgets what was received so far (events are kept). */
	clearReceived(): void {
		this.rtp.length = 0; this.rtcp.length = 0; this.data.length = 0; this.plis.length = 0; this.rembs.length = 0;
		this.droppedByCore = 0;
	}

	/** @internal the core delivers to this peer. */
	deliverRtp(mindex: number, video: boolean, packet: Uint8Array, fromApp: boolean): void {
		if (!this.mediaUp) { this.droppedByCore++; return; }
		const resolved = mindex >= 0 ? mindex : this.mlines.indexOf(video ? 'video' : 'audio');
		const copy = Buffer.from(packet);
		this.rtp.push({ ...parseRtp(copy), mindex: resolved, video, packet: copy, fromApp, at: this.#host.now() });
	}
	/** @internal */
	deliverRtcp(mindex: number, video: boolean, packet: Uint8Array, fromApp: boolean): void {
		if (!this.mediaUp) { this.droppedByCore++; return; }
		this.rtcp.push({ mindex: mindex >= 0 ? mindex : this.mlines.indexOf(video ? 'video' : 'audio'), video, packet: Buffer.from(packet), fromApp });
	}
	/** @internal */
	deliverData(binary: boolean, data: Buffer, fromApp: boolean, label?: string, protocol?: string): void {
		if (!this.mediaUp) { this.droppedByCore++; return; }
		this.data.push({ binary, data: Buffer.from(data), ...(binary ? {} : { text: data.toString('utf8') }), ...(label !== undefined ? { label } : {}), ...(protocol !== undefined ? { protocol } : {}), fromApp });
	}
	/** @internal Janus's push_event checks; 0 or a Janus error code. */
	acceptEvent(transaction: string | undefined, event: JsonObject, jsep: Jsep | undefined): number {
		if (this.detached) return JANUS_ERROR_HANDLE_NOT_FOUND;
		if (jsep) {
			const code = checkJsep(jsep);
			if (code) return code;
			if (jsep.type === 'answer' && this.pendingOffer !== 'client') return JANUS_ERROR_UNEXPECTED_ANSWER;
			this.pendingOffer = jsep.type === 'offer' ? 'plugin' : undefined;
			if (jsep.type === 'offer') this.mlines = mlineKinds(jsep.sdp);
		}
		this.events.push({ ...(transaction ? { transaction } : {}), event, ...(jsep ? { jsep } : {}) });
		return 0;
	}
}

export { JANUS_ERROR_PLUGIN_MESSAGE };
