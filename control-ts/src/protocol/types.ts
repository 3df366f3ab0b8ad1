/**
 * TypeScript types of the control protocol messages (docs/control-protocol.md).
 * schema.json is the single source; these types mirror it and a test checks that the
 * method names agree.
 */

/** Protocol version this runtime speaks (schema.json `protocol`). */
export const PROTOCOL_VERSION = 1;

export type Medium = 'audio' | 'video' | 'data';
export type Direction = 'in' | 'out';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'verb' | 'huge' | 'dbg';

/** A JSON object as carried on the socket. */
export type JsonObject = { [key: string]: unknown };

/** A WebRTC session description as Janus carries it (`jsep`). */
export interface Jsep {
	type: 'offer' | 'answer' | string;
	sdp: string;
	/** Janus adds e.g. `e2ee`, `simulcast` hints; kept as-is. */
	[key: string]: unknown;
}

/** Kind of an m-line: `data` is the datachannel (`m=application`), `other` anything else. */
export type StreamType = 'audio' | 'video' | 'data' | 'other';

/**
 * One m-line of a session, as the plugin learnt it from the last SDP it saw (the client's
 * JSEP of handleMessage, or the app's of pushEvent). `send`/`recv` are the client's side:
 * `send` = the client sends media on it (it can feed routes), `recv` = it receives (routes
 * can deliver to it).
 */
export interface StreamInfo {
	mindex: number;
	type: StreamType;
	mid: string | null;
	/** Not rejected (port ≠ 0). */
	active: boolean;
	send: boolean;
	recv: boolean;
}

/** Where an every-stream route (`addRecipient`) takes one stream of the sender, now. */
export interface StreamRoute {
	/** The sender's m-line. */
	mindex: number;
	type: 'audio' | 'video' | 'data';
	/** The recipient's m-line it goes to: the one of the same kind and rank (first audio to first audio...), or null. */
	recipientMindex: number | null;
	/** Whether media can flow on it now. */
	carries: boolean;
	/** Why not, when `carries` is false. */
	reason?: string;
}

/** What `addRecipient` made: resolved again whenever either side renegotiates. */
export interface RecipientResult {
	/** false: the route existed already (addRecipient is idempotent, as in Lua). */
	added: boolean;
	/** The sender's or the recipient's m-lines are not known yet (no SDP seen): resolved when they are. */
	pending: boolean;
	/** One entry per active audio, video and datachannel m-line of the sender. */
	streams: StreamRoute[];
}

/** One row of a session's routing table (`mindex` 255 = every stream, Lua's addRecipient). */
export interface RouteInfo {
	mindex: number;
	recipient: number;
	recipientMindex: number;
}

export interface ValvePair { in: boolean; out: boolean }

/** Simulcast / SVC layers a session's video m-line gets as a recipient (SessionInfo.layers). */
export interface LayerInfo {
	mindex: number;
	/** What it gets now; null until the first packet of a layered source was relayed. */
	substream: number | null;
	temporal: number | null;
	spatial: number | null;
	/** What it aims at (setSubstream/setTemporalLayer/setSpatialLayer; 2 each at first). */
	targets: { substream: number; temporal: number; spatial: number };
}

/** An RTP forwarder (rtpForward): plain RTP copies of a session's stream to host:port. */
export interface ForwarderInfo {
	forwarder: number;
	/** The session whose stream it copies. */
	session: number;
	mindex: number;
	host: string;
	port: number;
	/** Written into every packet instead of the stream's own (absent: kept). */
	ssrc?: number;
	pt?: number;
	/** Only this simulcast substream (absent: every packet of the stream). */
	substream?: number;
	/** Packets sent, and sends the socket refused (never retried). */
	packets: number;
	sendErrors: number;
}

/** The simulcast description of one sender stream (configureSimulcast; sdp.simulcastFromJsep gives it). */
export interface SimulcastConfig {
	mindex: number;
	/** Codec whose payload descriptors the router reads; null turns layering off. */
	codec: 'vp8' | 'vp9' | 'h264' | null;
	/** rids, lowest quality first, and the id of the rid header extension. */
	rids?: string[];
	ridExtId?: number;
	/** SSRCs, lowest quality first. */
	ssrcs?: number[];
}

/** A live session as the plugin reports it (hello snapshot, `sessionInfo`; schema type SessionInfo). */
export interface SessionInfo {
	id: number;
	started: boolean;
	dataReady: boolean;
	valves: { audio: ValvePair; video: ValvePair; data: ValvePair };
	/** REMB cap (setBitrate), bps. */
	bitrate: number;
	/** Periodic keyframe requests (setPliFreq), seconds. */
	pliFreq: number;
	routes: RouteInfo[];
	/** The session's m-lines (empty until the plugin saw an SDP of it). */
	streams: StreamInfo[];
	/** File names of the running recordings. */
	recording: { audio: string | null; video: string | null; data: string | null };
	/** Router counters of the session. */
	stats: JsonObject;
	/** Label of the datachannel messages the router relays from it (setRelayLabel), null: the sender's own. */
	relayLabel: string | null;
	/** The simulcast/SVC layers each video m-line gets. */
	layers: LayerInfo[];
	/** The session's RTP forwarders. */
	forwarders: ForwarderInfo[];
}

export interface HelloParams {
	protocol: number;
	token?: string;
	app?: string;
	wants?: string[];
	replace?: boolean;
}

export interface HelloResult {
	protocol: number;
	plugin: { package: string; name: string; version: number | string };
	/** The jcfg `app_config` string, handed to the app's `init`. */
	config: string;
	/** `setupTimeoutMs`: how long the plugin waits for a `setupMedia` request (absent from
	 *  older plugins, which only notify it). */
	limits: { maxSessions: number; maxRoutes: number; maxFrame: number; messageTimeoutMs: number; setupTimeoutMs?: number };
	/** Snapshot of the live sessions, to resync after a (re)connect. */
	sessions: SessionInfo[];
}

/** Parameters of every app → plugin request (schema `appToPlugin`). */
export interface AppToPluginParams {
	hello: HelloParams;
	pushEvent: { id: number; transaction?: string | null; event: JsonObject; jsep?: Jsep | JsonObject | null };
	notifyEvent: { id?: number | null; event: JsonObject };
	eventsIsEnabled: Record<string, never>;
	closePc: { id: number };
	endSession: { id: number };
	configureMedium: { id: number; medium: Medium; direction: Direction; enabled: boolean };
	addRecipient: { id: number; recipient: number };
	removeRecipient: { id: number; recipient: number };
	addRoute: RouteInfo & { id: number };
	removeRoute: RouteInfo & { id: number };
	setBitrate: { id: number; bitrate: number };
	setRelayLabel: { id: number; label?: string | null };
	setPliFreq: { id: number; seconds: number };
	sendPli: { id: number; mindex?: number };
	setSubstream: { id: number; substream: number; mindex?: number };
	setTemporalLayer: { id: number; temporal: number; mindex?: number };
	setSpatialLayer: { id: number; spatial: number; mindex?: number };
	configureSimulcast: { id: number; mindex: number; codec?: 'vp8' | 'vp9' | 'h264' | null; rids?: string[]; ridExtId?: number; ssrcs?: number[] };
	configureTalkDetection: { id: number; mindex?: number; window: number; threshold?: number };
	loudestSpeaker: { ids: number[]; maxAgeMs?: number };
	rtpForward: { id: number; mindex: number; host: string; port: number; ssrc?: number; pt?: number; substream?: number };
	stopRtpForward: { forwarder: number };
	listForwarders: { id?: number | null };
	relayRtp: { id: number; video: boolean; mindex?: number; data: string };
	relayRtcp: { id: number; video: boolean; mindex?: number; data: string };
	relayTextData: { id: number; text: string; label?: string; protocol?: string };
	relayBinaryData: { id: number; data: string; label?: string; protocol?: string };
	startRecording: { id: number; medium: Medium; codec: string; folder?: string; filename: string; fmtp?: string };
	stopRecording: { id: number; medium?: Medium };
	log: { level: LogLevel; message: string };
	sessionInfo: { id: number };
	stats: Record<string, never>;
	describe: Record<string, never>;
}

/**
 * Results of the app → plugin requests (schema `result`; `true` when it names none).
 * `boolean`: false = nothing to do, the session or route is gone (where Lua went on quietly).
 */
export interface AppToPluginResults {
	hello: HelloResult;
	pushEvent: boolean;
	notifyEvent: boolean;
	eventsIsEnabled: boolean;
	closePc: boolean;
	endSession: boolean;
	configureMedium: boolean;
	addRecipient: RecipientResult;
	removeRecipient: boolean;
	removeRoute: boolean;
	setBitrate: boolean;
	setRelayLabel: boolean;
	setPliFreq: boolean;
	sendPli: boolean;
	setSubstream: boolean;
	setTemporalLayer: boolean;
	setSpatialLayer: boolean;
	configureSimulcast: boolean;
	configureTalkDetection: boolean;
	loudestSpeaker: { id: number | null; level: number | null };
	rtpForward: { forwarder: number };
	stopRtpForward: boolean;
	listForwarders: ForwarderInfo[];
	relayRtp: boolean;
	relayRtcp: boolean;
	relayTextData: boolean;
	relayBinaryData: boolean;
	stopRecording: boolean;
	sessionInfo: SessionInfo;
	stats: JsonObject;
	describe: JsonObject;
}

export type AppToPluginMethod = keyof AppToPluginParams;
export type ResultOf<M extends AppToPluginMethod> = M extends keyof AppToPluginResults ? AppToPluginResults[M] : true;

/** Parameters of the plugin → app requests (Janus waits for the answer, bounded). */
export interface PluginToAppRequests {
	handleMessage: { id: number; transaction: string; message: JsonObject; jsep?: Jsep | null };
	handleAdminMessage: { message: JsonObject };
	querySession: { id: number };
	/** Asked (instead of notified) when the app wants it (hello `wants`): answered once the
	 *  app's setupMedia has run, while Janus waits up to `limits.setupTimeoutMs`. */
	setupMedia: { id: number };
}

/** Parameters of the plugin → app notifications (never answered). */
export interface PluginToAppNotifications {
	createSession: { id: number };
	destroySession: { id: number };
	setupMedia: { id: number };
	hangupMedia: { id: number };
	dataReady: { id: number };
	slowLink: { id: number; mindex: number; video: boolean; uplink: boolean };
	incomingTextData: { id: number; label: string | null; protocol: string | null; text: string };
	incomingBinaryData: { id: number; label: string | null; protocol: string | null; data: string };
	substreamChanged: { id: number; mindex: number; substream: number };
	temporalLayerChanged: { id: number; mindex: number; temporal: number };
	spatialLayerChanged: { id: number; mindex: number; spatial: number };
	/** level: the window's average audio level in -dBov (0 loudest, 127 silence). */
	talking: { id: number; mindex: number; level: number };
	stoppedTalking: { id: number; mindex: number; level: number };
	destroy: Record<string, never>;
	/** A frame of the app the plugin could not use (why, in words); after a framing error the
	 *  plugin closes the connection. For the runtime (it logs it), not an app callback. */
	protocolError: { reason: string };
}

/** Wire messages. */
export interface RequestMessage { id: number; method: string; params?: JsonObject }
export interface ResponseMessage { id: number; result?: unknown; error?: string; reason?: string }
export interface NotificationMessage { event: string; params?: JsonObject }
