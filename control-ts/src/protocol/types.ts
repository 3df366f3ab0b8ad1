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

/** One row of a session's routing table (`mindex` 255 = every stream). */
export interface RouteInfo {
	mindex: number;
	recipient: number;
	recipientMindex: number;
}

export interface ValvePair { in: boolean; out: boolean }

/** A live session as the plugin reports it (hello snapshot, `sessionInfo`). */
export interface SessionInfo {
	id: number;
	started: boolean;
	dataReady: boolean;
	valves: { audio: ValvePair; video: ValvePair; data: ValvePair };
	bitrate: number;
	routes: RouteInfo[];
	stats: JsonObject;
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
	limits: { maxSessions: number; maxRoutes: number; maxFrame: number; messageTimeoutMs: number };
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
	setPliFreq: { id: number; seconds: number };
	sendPli: { id: number; mindex?: number };
	setSubstream: { id: number; substream: number };
	setTemporalLayer: { id: number; temporal: number };
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

/** Results of the app → plugin requests (`true` unless the schema names a value). */
export interface AppToPluginResults {
	hello: HelloResult;
	eventsIsEnabled: boolean;
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
	substreamChanged: { id: number; substream: number };
	temporalLayerChanged: { id: number; temporal: number };
	destroy: Record<string, never>;
}

/** Wire messages. */
export interface RequestMessage { id: number; method: string; params?: JsonObject }
export interface ResponseMessage { id: number; result?: unknown; error?: string; reason?: string }
export interface NotificationMessage { event: string; params?: JsonObject }
