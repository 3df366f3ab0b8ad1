/**
 * App: what a janus-ts app file exports (default export), and `defineApp` to type it.
 *
 *   export default defineApp({
 *     name: 'echo',
 *     setupMedia(session) { return session.addRecipient(session) },
 *     handleMessage(session, { message }) { return { echo: message } },
 *   });
 *
 * Every callback is optional. Callbacks get {@link Session} objects; `this.plugin`-free
 * flat calls are on `session.plugin` (or the `plugin` argument of `init`). The callbacks of
 * one session (handleMessage included) run in the order the plugin sent the events, each
 * awaited before the next starts, like Lua's atomic calls; different sessions run
 * concurrently (`serialCallbacks: false` opts out). A callback that throws or rejects is
 * logged and never stops the runtime.
 */
import type { Plugin } from './Plugin';
import type { Session } from './Session';
import type { HelloResult, Jsep, JsonObject, SessionInfo } from './protocol/types';

/** A request from a client (Janus `message` to the plugin handle). */
export interface IncomingMessage {
	/** Janus transaction, for pushEvent of an asynchronous answer. */
	transaction: string;
	/** The `body` the client sent. */
	message: JsonObject;
	/** The client's SDP, if any. */
	jsep?: Jsep;
}

/** Datachannel metadata of incoming data. */
export interface DataChannelInfo {
	label: string | null;
	protocol: string | null;
}

/** What `handleMessage` may return: an object = synchronous reply; nothing = async ack. */
export type MessageResult = JsonObject | void | undefined | null;

/**
 * The callbacks of an app. Those whose answer Janus does not wait for may return anything
 * (e.g. `setupMedia: (s) => s.addRecipient(s)`): a promise is awaited, the value ignored.
 */
export interface AppDefinition<D extends object = Record<string, unknown>> {
	/** App name for hello and log lines. Default: the file name. */
	name?: string;
	/**
	 * true (default): the callbacks of one session run one after another, each awaited before
	 * the next starts (setupMedia, then a handleMessage that arrived meanwhile; hangupMedia,
	 * then destroySession), as Lua's calls were atomic; different sessions run concurrently.
	 * false: callbacks start in event order but interleave at each `await`.
	 */
	serialCallbacks?: boolean;
	/** Once per process, after the first hello; `config` is jcfg `app_config`. Awaited before other callbacks run. */
	init?(config: string, plugin: Plugin, hello: HelloResult): unknown;
	/** The plugin is shutting down. */
	destroy?(): unknown;
	/** A handle attached (Lua createSession). */
	createSession?(session: Session<D>): unknown;
	/** A handle detached; the plugin clears its routes. */
	destroySession?(session: Session<D>): unknown;
	/**
	 * A session that the plugin's hello snapshot reports but this process does not know
	 * (the app restarted or connected late). Default when absent: `createSession`, then
	 * `setupMedia` if the PeerConnection is up.
	 */
	resumeSession?(session: Session<D>, info: SessionInfo): unknown;
	/**
	 * Admin API handle_info: what to show as `plugin_specific.app` (next to the plugin's own
	 * `plugin_specific.router`). Answered within the plugin's query timeout; not queued behind
	 * the session's other callbacks (it only reads).
	 */
	querySession?(session: Session<D>): JsonObject | void | Promise<JsonObject | void>;
	/**
	 * A client request. Return an object → synchronous reply; return nothing → Janus
	 * acks and you answer later with `session.pushEvent(event, {transaction, jsep})`;
	 * throw → error reply carrying the message. It runs after the session's earlier
	 * callbacks have settled; from its arrival, waiting included, it has the plugin's message
	 * timeout minus a margin, then it is answered with a Timeout error (and, if it had not
	 * started yet, never run).
	 */
	handleMessage?(session: Session<D>, request: IncomingMessage): MessageResult | Promise<MessageResult>;
	/** Admin API `message_plugin`; returns the response object. */
	handleAdminMessage?(message: JsonObject): JsonObject | void | Promise<JsonObject | void>;
	/**
	 * PeerConnection up (DTLS done). Janus waits for it (at most the plugin's
	 * `setup_timeout_ms`, hello `limits.setupTimeoutMs`) before it tells the client
	 * `webrtcup` and hands the plugin the client's first packets, so the valves and routes
	 * set here are in place for them, as with janus_lua's synchronous setupMedia. Do long
	 * work without awaiting it here.
	 */
	setupMedia?(session: Session<D>): unknown;
	/** PeerConnection gone; the plugin already reset valves, bitrate and this session's routes. */
	hangupMedia?(session: Session<D>): unknown;
	/** Text on the datachannel. Defining it asks the plugin (hello `wants`) to hand data to the app instead of relaying it. */
	incomingTextData?(session: Session<D>, text: string, channel: DataChannelInfo): unknown;
	/** Binary data on the datachannel; like incomingTextData. */
	incomingBinaryData?(session: Session<D>, data: Buffer, channel: DataChannelInfo): unknown;
	/** Datachannel open, or drained and ready for more. */
	dataReady?(session: Session<D>): unknown;
	/** Janus reports a lossy link. */
	slowLink?(session: Session<D>, info: { mindex: number; video: boolean; uplink: boolean }): unknown;
	/** The simulcast substream this recipient gets changed (on its m-line `mindex`). */
	substreamChanged?(session: Session<D>, substream: number, mindex: number): unknown;
	/** The temporal layer this recipient gets changed. */
	temporalLayerChanged?(session: Session<D>, temporal: number, mindex: number): unknown;
	/** The VP9 spatial layer this recipient gets changed. */
	spatialLayerChanged?(session: Session<D>, spatial: number, mindex: number): unknown;
	/** This session started talking on its audio m-line `mindex` (configureTalkDetection); level: the window's average, -dBov. */
	talking?(session: Session<D>, info: { mindex: number; level: number }): unknown;
	/** It stopped talking. */
	stoppedTalking?(session: Session<D>, info: { mindex: number; level: number }): unknown;
}

/** Identity function that types an app definition. */
export function defineApp<D extends object = Record<string, unknown>>(app: AppDefinition<D>): AppDefinition<D> {
	return app;
}

/**
 * The optional callbacks that change what the plugin sends (hello `wants`): data handed to
 * the app instead of relayed (incomingTextData/incomingBinaryData), setupMedia asked as a
 * request that Janus waits for (bounded) instead of notified.
 */
export const WANTABLE_CALLBACKS = ['incomingTextData', 'incomingBinaryData', 'setupMedia'] as const;

/** The hello `wants` of an app: the wantable callbacks it defines. */
export function wantsOf(app: AppDefinition<any>): string[] {
	return WANTABLE_CALLBACKS.filter((name) => typeof app[name] === 'function');
}
