/**
 * The plugin side, emulated: what host-c does with each Janus callback and each control
 * request (host-c/plugin.c, api.c, api_info.c, media.c, messages.c, sessions.c,
 * recorder.c), on the real router through {@link RouterBinding}. Janus is the
 * {@link CoreSide} (the test gateway); the app is reached through {@link ControlSide}
 * (the control socket server). Everything here is synchronous, as on Janus's threads,
 * except the requests that wait for the app.
 */
import { JanusTsError } from '../errors';
import type { Jsep, JsonObject, SessionInfo } from '../protocol/types';
import type { CoreSide, DataOut, Recording, RtpOut } from './core-types';
import { methodNames } from './params';
import { makeMethods, type Method } from './plugin-methods';
import { EVERY_STREAM, Event, EventFlag, Flag, Kind, MAX_PACKET_LEN, StreamDesc, type Decision, type MediumIndex, type RouterBinding } from './router';
import { descriptor, parseMlines, resolveRoute, streamsJson, type MLine, type StreamRoute } from './streams';
import { CodecIds, Forwarders, audioLevelIds, audioLevelOf, packetInfo, relayCopy, sdpCodecs, type IdsAt } from './media';

const MEDIA = ['audio', 'video', 'data'] as const;
const PLUGIN_VERSION = '0.1.0';

/** The app as the plugin sees it (control-server.ts). */
export interface ControlSide {
	notify(event: string, params: JsonObject): void;
	/** A plugin → app request; rejects with the app's error or NotConnected/Timeout. */
	request(method: string, params: JsonObject, timeoutMs: number): Promise<unknown>;
	wants(callback: string): boolean;
	stats(): JsonObject;
}

export interface PluginConfig {
	package: string;
	name: string;
	maxSessions: number;
	maxRoutes: number;
	/** jcfg max_forwarders (default 256). */
	maxForwarders?: number;
	messageTimeoutMs: number;
	queryTimeoutMs: number;
	/** jcfg `setup_timeout_ms` (0: setupMedia is only notified). */
	setupTimeoutMs: number;
	appConfig: string;
	maxFrame: number;
}

/** What Janus makes of handle_message's result. */
export type MessageOutcome =
	| { type: 'reply'; reply: JsonObject }
	| { type: 'ack' }
	| { type: 'error'; error: string };

/** A plugin session (host-c's ts_session). */
export interface Sess<H = any> {
	id: number;
	slot: number;
	handle: H;
	destroyed: boolean;
	bitrate: number;
	pliFreqS: number;
	recorders: (Recording | undefined)[];
	/** Its m-lines as of the last SDP seen (none before any). */
	mlines: MLine[];
	/** Per m-line, the id of the ssrc-audio-level extension negotiated (0: none). */
	audioLevelIds: number[];
	/** The client sent data on this PeerConnection (its datachannel is open); cleared on hangup. */
	dataOpen: boolean;
	/** Label of the data the router relays from it (setRelayLabel); null = the sender's own. */
	relayLabel: string | null;
}

/** What the methods (plugin-methods.ts) use of the plugin. */
export interface PluginContext {
	router: RouterBinding;
	core: CoreSide<any>;
	forwarders: Forwarders;
	now(): number;
	session(id: number): Sess | undefined;
	info(s: Sess): JsonObject;
	resolve(s: Sess, r: Sess, context: string): { pending: boolean; streams: StreamRoute[] };
	updateStreams(s: Sess, sdp: string, fromClient: boolean): void;
	stopRecording(s: Sess, medium: number): void;
	stats(): JsonObject;
	describe(): JsonObject;
}

export class EmulatedPlugin<H> {
	readonly #router: RouterBinding;
	readonly #core: CoreSide<H>;
	readonly #cfg: PluginConfig;
	readonly #now: () => number;
	#control?: ControlSide;
	readonly #byId = new Map<number, Sess<H>>();
	readonly #byHandle = new Map<H, Sess<H>>();
	readonly #bySlot: (Sess<H> | undefined)[] = [];
	/** media.c's counters. */
	readonly #st = {
		relayRtp: 0, relayRtcp: 0, relayData: 0, pli: 0, remb: 0, record: 0, toGoneSessions: 0, badDecisions: 0, dropped: 0, trapped: 0,
		events: 0, rtpForwarded: 0, dataToApp: 0,
	};
	/** sdp_codecs.c's process-wide codec ids. */
	readonly #codecIds = new CodecIds();
	/** forwarders.c's table. */
	readonly forwarders: Forwarders;

	constructor(router: RouterBinding, core: CoreSide<H>, cfg: PluginConfig, now: () => number) {
		this.#router = router;
		this.#core = core;
		this.#cfg = cfg;
		this.#now = now;
		this.forwarders = new Forwarders(cfg.maxForwarders ?? 256);
		this.#methods = this.#makeMethods();
	}

	set control(c: ControlSide) { this.#control = c; }
	get config(): PluginConfig { return this.#cfg; }

	// ---- Janus → plugin (plugin.c) -------------------------------------------------

	/** create_session: a slot, a random id, the app told. Returns the id, or throws when full. */
	createSession(handle: H): number {
		const slot = this.#router.open();
		if (slot < 0 || slot >= this.#cfg.maxSessions || this.#bySlot[slot]) {
			throw new Error(`janus-ts: cannot create a session: router session_open() returned ${slot} (max_sessions ${this.#cfg.maxSessions})`);
		}
		let id = 0;
		while (id === 0 || this.#byId.has(id)) id = (Math.random() * 0x100000000) >>> 0;
		const s: Sess<H> = { id, slot, handle, destroyed: false, bitrate: 0, pliFreqS: 0, recorders: [], mlines: [], audioLevelIds: [], dataOpen: false, relayLabel: null };
		this.#byId.set(id, s);
		this.#byHandle.set(handle, s);
		this.#bySlot[slot] = s;
		this.#notifyId('createSession', id);
		return id;
	}

	/** setup_media: the router may relay to it; the app sets it up while Janus waits (bounded), or is told. */
	async setupMedia(handle: H): Promise<void> {
		const s = this.#fromHandle(handle);
		if (!s) return;
		this.#router.start(s.slot);
		const timeout = this.#cfg.setupTimeoutMs;
		if (timeout <= 0 || !this.#control?.wants('setupMedia')) { this.#notifyId('setupMedia', s.id); return; }
		try {
			await this.#request('setupMedia', { id: s.id }, timeout);
		} catch (err) {
			if (err instanceof JanusTsError && err.kind === 'NotConnected') return;
			this.#core.log('warn', `[janus-ts] setupMedia of session ${s.id} not done (${(err as Error).message}): the PeerConnection goes on `
				+ 'and packets that come before the app\'s valves and routes are dropped (setup_timeout_ms)');
		}
	}

	dataReady(handle: H): void {
		const s = this.#fromHandle(handle);
		if (!s) return;
		this.#router.setDataReady(s.slot, true);
		this.#notifyId('dataReady', s.id);
	}

	slowLink(handle: H, mindex: number, video: boolean, uplink: boolean): void {
		const s = this.#fromHandle(handle);
		if (s) this.#control?.notify('slowLink', { id: s.id, mindex, video, uplink });
	}

	/** As the Lua plugin: valves closed, bitrate and PLI frequency reset, routes cleared, recordings stopped. */
	hangupMedia(handle: H): void {
		const s = this.#fromHandle(handle);
		if (!s) return;
		this.#router.hangup(s.slot);
		this.forwarders.dropSession(s.id);
		s.dataOpen = false;
		s.bitrate = 0;
		s.pliFreqS = 0;
		this.#stopRecording(s, -1);
		this.#notifyId('hangupMedia', s.id);
	}

	/** destroy_session: the slot closed (routes from and to it gone), the app told. */
	destroySession(handle: H): boolean {
		const s = this.#fromHandle(handle);
		if (!s) return false;
		s.destroyed = true;
		this.#router.close(s.slot);
		this.forwarders.dropSession(s.id);
		this.#bySlot[s.slot] = undefined;
		s.recorders = [];
		this.#byId.delete(s.id);
		this.#byHandle.delete(handle);
		this.#notifyId('destroySession', s.id);
		return true;
	}

	/** The session id of a handle (undefined once destroyed). */
	idOf(handle: H): number | undefined { return this.#fromHandle(handle)?.id; }
	/** The in-memory recorders of a handle's session (audio, video, data). */
	recordersOf(handle: H): (Recording | undefined)[] { return this.#fromHandle(handle)?.recorders ?? []; }

	// ---- media.c ----------------------------------------------------------------------

	/** As Janus's core, the audio level of the ssrc-audio-level extension goes with the packet (when negotiated). */
	incomingRtp(handle: H, rtp: RtpOut): void {
		const level = (s: Sess<H>) => (rtp.video ? -1 : audioLevelOf(rtp.packet, s.audioLevelIds[rtp.mindex] ?? 0));
		this.#routePacket(handle, rtp, (slot, s) => this.#router.rtp(slot, rtp.mindex, rtp.video, rtp.packet, this.#now(), level(s)), { rtp });
	}

	incomingRtcp(handle: H, rtcp: RtpOut): void {
		this.#routePacket(handle, rtcp, (slot) => this.#router.rtcp(slot, rtcp.mindex, rtcp.video, rtcp.packet, this.#now()), { rtcp });
	}

	/** Lua semantics: when the app implements incomingTextData/incomingBinaryData, data goes to it, not to the router. */
	incomingData(handle: H, data: DataOut): void {
		if (this.#core.stopped(handle)) return;
		const cb = data.binary ? 'incomingBinaryData' : 'incomingTextData';
		const from = this.#fromHandle(handle);
		if (from) from.dataOpen = true; // before the app hears it: a reply may go out at once
		if (this.#control?.wants(cb)) {
			const s = from;
			if (!s) return;
			const p: JsonObject = { id: s.id, ...(data.label !== undefined ? { label: data.label } : {}), ...(data.protocol !== undefined ? { protocol: data.protocol } : {}) };
			if (data.binary) p.data = data.data.toString('base64'); else p.text = data.data.toString('utf8');
			this.#control.notify(cb, p);
			this.#st.dataToApp++;
			return;
		}
		const s = this.#sender(handle);
		if (!s) return;
		const r = this.#router.data(s.slot, data.data.length, data.binary, this.#now());
		this.#execute(r.code, r.decisions, { data: s.relayLabel === null ? data : { ...data, label: s.relayLabel } });
	}

	/** The router's periodic call (host-c: every 100 ms). */
	tick(): void {
		const r = this.#router.tick(this.#now());
		this.#execute(r.code, r.decisions, {});
	}

	#routePacket(handle: H, pkt: RtpOut, call: (slot: number, s: Sess<H>) => { code: number; decisions: Decision[] }, incoming: Incoming): void {
		if (this.#core.stopped(handle) || pkt.packet.length > MAX_PACKET_LEN) return;
		const s = this.#sender(handle);
		if (!s) return;
		const r = call(s.slot, s);
		this.#execute(r.code, r.decisions, incoming);
	}

	#execute(code: number, decisions: Decision[], incoming: Incoming): void {
		if (code < 0) { this.#st.dropped++; return; }
		const actions: { h: H; d: Decision; ids?: IdsAt }[] = [];
		for (const d of decisions) {
			if (d.kind >= Kind.EVENT) { this.#media(d, incoming); continue; }
			const dst = this.#bySlot[d.slot];
			if (!dst || dst.destroyed || this.#core.stopped(dst.handle)) { this.#st.toGoneSessions++; continue; }
			if (d.kind === Kind.RECORD) { this.#record(dst, d, incoming); continue; }
			const ok = d.kind === Kind.RELAY_RTP ? incoming.rtp && incoming.rtp.packet.length >= 12
				: d.kind === Kind.RELAY_RTCP ? incoming.rtcp
				: d.kind === Kind.RELAY_DATA ? incoming.data
				: d.kind === Kind.SEND_PLI || d.kind === Kind.SEND_REMB;
			if (!ok) { this.#st.badDecisions++; continue; }
			const counter = ({ [Kind.RELAY_RTP]: 'relayRtp', [Kind.RELAY_RTCP]: 'relayRtcp', [Kind.RELAY_DATA]: 'relayData', [Kind.SEND_PLI]: 'pli', [Kind.SEND_REMB]: 'remb' } as const)[d.kind as 1 | 2 | 3 | 4 | 5];
			this.#st[counter]++;
			actions.push({ h: dst.handle, d, ...(incoming.ids ? { ids: incoming.ids } : {}) });
		}
		for (const { h, d, ids } of actions) this.#run(h, d, incoming, ids);
	}

	/** media.c run_media: EVENT (a notification), PACKET_INFO, RTP_FORWARD. */
	#media(d: Decision, incoming: Incoming): void {
		if (d.kind === Kind.PACKET_INFO) {
			if (incoming.rtp) incoming.ids = packetInfo(d, incoming.rtp.packet.length); else this.#st.badDecisions++;
			return;
		}
		if (d.kind === Kind.RTP_FORWARD) {
			if (!incoming.rtp) { this.#st.badDecisions++; return; }
			this.forwarders.send(d.slot, incoming.rtp.packet, d);
			this.#st.rtpForwarded++;
			return;
		}
		const s = this.#bySlot[d.slot];
		if (d.kind !== Kind.EVENT || !s || s.destroyed) { this.#st[d.kind === Kind.EVENT ? 'toGoneSessions' : 'badDecisions']++; return; }
		this.#st.events++;
		this.#event(s.id, d);
	}

	/** plugin.c media_event: the notifications of an EVENT record. */
	#event(id: number, d: Decision): void {
		const c = this.#control;
		if (!c) return;
		if (d.seq === Event.TALKING || d.seq === Event.STOPPED_TALKING) {
			c.notify(d.seq === Event.TALKING ? 'talking' : 'stoppedTalking', { id, mindex: d.mindex, level: d.ts / 100 });
			return;
		}
		if (d.seq !== Event.LAYERS) return;
		const layer = (flag: number, event: string, key: string, v: number) => {
			if ((d.flags & flag) && v !== 0xff) c.notify(event, { id, mindex: d.mindex, [key]: v });
		};
		layer(EventFlag.SUBSTREAM, 'substreamChanged', 'substream', d.ts & 0xff);
		layer(EventFlag.TEMPORAL, 'temporalLayerChanged', 'temporal', (d.ts >>> 8) & 0xff);
		layer(EventFlag.SPATIAL, 'spatialLayerChanged', 'spatial', (d.ts >>> 16) & 0xff);
	}

	#run(h: H, d: Decision, incoming: Incoming, ids?: IdsAt): void {
		switch (d.kind) {
		case Kind.RELAY_RTP: {
			const packet = relayCopy(incoming.rtp!.packet, d, ids);	/* the rewritten copy this recipient gets */
			this.#core.relayRtp(h, { mindex: d.mindex, video: incoming.rtp!.video, packet }, false);
			break;
		}
		case Kind.RELAY_RTCP: this.#core.relayRtcp(h, { ...incoming.rtcp!, mindex: d.mindex }, false); break;
		case Kind.RELAY_DATA: this.#core.relayData(h, incoming.data!, false); break;
		case Kind.SEND_PLI: this.#core.sendPli(h, d.mindex === EVERY_STREAM ? -1 : d.mindex); break;
		case Kind.SEND_REMB: this.#core.sendRemb(h, d.ts >>> 0); break;
		}
	}

	#record(dst: Sess<H>, d: Decision, incoming: Incoming): void {
		const medium = incoming.rtp ? ((d.flags & Flag.VIDEO) ? 1 : 0) : incoming.data ? 2 : -1;
		if (medium < 0) { this.#st.badDecisions++; return; }
		const frame = incoming.rtp ? incoming.rtp.packet : incoming.data!.data;
		dst.recorders[medium]?.frames.push(Buffer.from(frame));
		this.#st.record++;
	}

	// ---- messages.c -------------------------------------------------------------------

	async handleMessage(handle: H, transaction: string, message: JsonObject | undefined, jsep: Jsep | undefined): Promise<MessageOutcome> {
		const s = this.#fromHandle(handle);
		if (!s) return { type: 'error', error: 'janus-ts: no session for this handle' };
		// Janus processed the client's SDP before calling the plugin: its m-lines are the session's now.
		if (jsep && typeof jsep.sdp === 'string') this.#updateStreams(s, jsep.sdp, true);
		const timeout = this.#cfg.messageTimeoutMs;
		try {
			const r = await this.#request('handleMessage', { id: s.id, transaction, message: message ?? null, jsep: jsep ?? null }, timeout) as JsonObject | null;
			if (r && typeof r.reply === 'object' && r.reply !== null && !Array.isArray(r.reply)) return { type: 'reply', reply: r.reply as JsonObject };
			if (r && r.async === true) return { type: 'ack' };
			return { type: 'error', error: 'janus-ts: handleMessage answered neither {reply: {...}} nor {async: true}' };
		} catch (err) {
			return { type: 'error', error: errorText(err, timeout) };
		}
	}

	async handleAdminMessage(message: JsonObject): Promise<JsonObject> {
		const timeout = this.#cfg.queryTimeoutMs;
		try {
			const r = await this.#request('handleAdminMessage', { message }, timeout);
			if (r && typeof r === 'object' && !Array.isArray(r)) return r as JsonObject;
			return { error: 'janus-ts: handleAdminMessage did not answer an object' };
		} catch (err) {
			return { error: errorText(err, timeout) };
		}
	}

	/** Admin API handle_info: the router's view of the session and the app's answer. */
	async querySession(handle: H): Promise<JsonObject | null> {
		const s = this.#fromHandle(handle);
		if (!s) return null;
		const info: JsonObject = { router: this.#info(s) };
		const timeout = this.#cfg.queryTimeoutMs;
		try {
			info.app = await this.#request('querySession', { id: s.id }, timeout);
		} catch (err) {
			info.app = { error: errorText(err, timeout) };
		}
		return info;
	}

	#request(method: string, params: JsonObject, timeout: number): Promise<unknown> {
		if (!this.#control) return Promise.reject(new JanusTsError('NotConnected', 'janus-ts: no control app connected'));
		return this.#control.request(method, params, timeout);
	}

	// ---- app → plugin (control_methods.c + api.c) --------------------------------------

	/** Carries out a validated app request; returns its result or throws the typed error. */
	call(method: string, p: JsonObject): unknown {
		const fn = (this.#methods as Record<string, ((p: JsonObject) => unknown) | undefined>)[method];
		if (!fn) throw new JanusTsError('UnknownMethod', `janus-ts: unknown method ${method}`);
		return fn(p);
	}

	/** Hello's result minus what the connection adds (control-server.ts). */
	helloResult(): JsonObject {
		return {
			protocol: 1, plugin: this.#pluginInfo(), config: this.#cfg.appConfig,
			limits: {
				maxSessions: this.#cfg.maxSessions, maxRoutes: this.#cfg.maxRoutes, maxFrame: this.#cfg.maxFrame,
				messageTimeoutMs: this.#cfg.messageTimeoutMs, setupTimeoutMs: this.#cfg.setupTimeoutMs,
			},
			sessions: [...this.#byId.values()].map((s) => this.#info(s)),
		};
	}

	readonly #methods: Record<string, Method>;

	#makeMethods(): Record<string, Method> {
		return makeMethods({
		router: this.#router, core: this.#core, forwarders: this.forwarders, now: () => this.#now(),
		session: (id) => this.#byId.get(id),
		info: (s) => this.#info(s),
		resolve: (s, r, context) => resolveRoute(this.#router, s, r, context, (line) => this.#verb(line)),
		updateStreams: (s, sdp, fromClient) => this.#updateStreams(s, sdp, fromClient),
		stopRecording: (s, m) => this.#stopRecording(s, m),
		stats: () => ({
			router: this.#router.globalCounters(), host: {}, media: { ...this.#st },
			sessions: this.#byId.size, forwarders: this.#forwarderStats(), control: this.#control?.stats() ?? {},
		}),
		describe: () => ({
			protocol: 1, methods: methodNames(), plugin: this.#pluginInfo(),
			limits: {
				maxSessions: this.#cfg.maxSessions, maxRoutes: this.#cfg.maxRoutes, maxFrame: this.#cfg.maxFrame,
				queueBytes: 8 * 1024 * 1024, messageTimeoutMs: this.#cfg.messageTimeoutMs, queryTimeoutMs: this.#cfg.queryTimeoutMs,
				setupTimeoutMs: this.#cfg.setupTimeoutMs,
			},
		}),
		});
	}

	/** streams.c ts_streams_update: the session's m-lines, in the plugin and the router; routes from and to it checked again. */
	#updateStreams(s: Sess<H>, sdp: string, fromClient: boolean): void {
		const parsed = parseMlines(sdp, fromClient);
		if (!parsed || s.destroyed) return;
		if (parsed.total > parsed.mlines.length) {
			this.#core.log('warn', `[janus-ts] session ${s.id}: SDP with ${parsed.total} m-lines, the router follows the first ${parsed.mlines.length}`);
		}
		s.mlines = parsed.mlines;
		this.#router.setStreams(s.slot, s.mlines.map(descriptor));
		this.#router.setCodecs(s.slot, sdpCodecs(sdp).map((line) => line.map(([pt, key]): [number, number] => [pt, this.#codecIds.id(key)])));
		s.audioLevelIds = audioLevelIds(sdp);
		for (const x of this.#byId.values()) {
			for (const r of this.#router.routes(x.slot)) {
				if (r.srcMindex !== EVERY_STREAM || (x !== s && r.dstSlot !== s.slot)) continue;
				const to = this.#bySlot[r.dstSlot];
				if (to && !to.destroyed) resolveRoute(this.#router, x, to, 'new SDP', (line) => this.#verb(line));
			}
		}
	}

	#verb(line: string): void { this.#core.log('verb', `[janus-ts] ${line}`); }

	#stopRecording(s: Sess<H>, medium: number): void {
		for (let m = 0; m < 3; m++) {
			if (medium !== -1 && medium !== m) continue;
			s.recorders[m] = undefined;
			this.#router.setRecording(s.slot, m as MediumIndex, false);
		}
	}

	/** SessionInfo as api_info.c builds it. */
	#info(s: Sess<H>): SessionInfo & JsonObject {
		const st = this.#router.state(s.slot);
		const valve = (m: number) => ({ in: st.valves[m].in, out: st.valves[m].out });
		return {
			id: s.id, started: st.started, dataReady: st.dataReady,
			valves: { audio: valve(0), video: valve(1), data: valve(2) },
			bitrate: s.bitrate, pliFreq: s.pliFreqS,
			routes: this.#router.routes(s.slot).map((r) => ({
				mindex: r.srcMindex, recipient: this.#bySlot[r.dstSlot]?.id ?? 0, recipientMindex: r.dstMindex,
			})),
			streams: streamsJson(s),
			recording: { audio: s.recorders[0]?.filename ?? null, video: s.recorders[1]?.filename ?? null, data: s.recorders[2]?.filename ?? null },
			stats: this.#router.sessionCounters(s.slot),
			relayLabel: s.relayLabel,
			layers: this.#layers(s),
			forwarders: this.forwarders.of(s.id).map((f) => this.forwarders.info(f)) as unknown as SessionInfo['forwarders'],
		};
	}

	/** api_info.c layers_locked: the video m-lines' layers as a recipient. */
	#layers(s: Sess<H>): SessionInfo['layers'] {
		const out: SessionInfo['layers'] = [];
		s.mlines.forEach((m, mindex) => {
			if (m.kind !== StreamDesc.VIDEO || !m.active) return;
			const st = this.#router.layersState(s.slot, mindex);
			if (st) out.push({ mindex, ...st });
		});
		return out;
	}

	/** forwarders.c ts_fwd_stats. */
	#forwarderStats(): JsonObject {
		const live = this.forwarders.of(0);
		return { live: live.length, started: this.forwarders.started, packets: this.#st.rtpForwarded, sendErrors: 0 };
	}

	#pluginInfo(): JsonObject { return { package: this.#cfg.package, name: this.#cfg.name, version: PLUGIN_VERSION }; }

	#fromHandle(handle: H): Sess<H> | undefined {
		const s = this.#byHandle.get(handle);
		return s && !s.destroyed ? s : undefined;
	}

	#sender(handle: H): Sess<H> | undefined { return this.#fromHandle(handle); }

	#notifyId(event: string, id: number): void { this.#control?.notify(event, { id }); }
}

interface Incoming { rtp?: RtpOut; rtcp?: RtpOut; data?: DataOut; ids?: IdsAt }

/** messages.c error_text: what Janus gets when the app's answer failed. */
function errorText(err: unknown, timeoutMs: number): string {
	const kind = err instanceof JanusTsError ? err.kind : undefined;
	const reason = err instanceof Error ? err.message : '';
	if (kind === 'Timeout') return `janus-ts: control app did not answer within ${timeoutMs} ms`;
	if (kind === 'NotConnected') return reason || 'janus-ts: no control app connected';
	return reason || kind || 'janus-ts: request failed';
}
