/** Public types of Connection (options with defaults, events). */
import type { Responder } from './ChannelTypes';
import type { HelloResult, JsonObject } from './protocol/types';

export interface ConnectionOptions {
	/** Path of the plugin's control socket (jcfg `control_socket`). Required. */
	socketPath: string;
	/** Token the plugin expects (jcfg `control_token`). Default: none. */
	token?: string;
	/** App name shown in the plugin's logs and stats. Default: none. */
	app?: string;
	/** Optional callbacks the app implements (`incomingTextData`, `incomingBinaryData`). Default: []. */
	wants?: string[];
	/**
	 * Take over from a connection that is still active (a hung old process), on the first
	 * connection only: once connected, a reconnect does not take over, so an app whose
	 * connection a newer process took (a `--watch` reload) cannot take it back. Default: false.
	 */
	replace?: boolean;
	/** Reconnect after the connection closes or a connect attempt fails. Default: true. */
	reconnect?: boolean;
	/** First reconnect delay, doubled at each failed attempt, ms. Default: 100. */
	minReconnectDelayMs?: number;
	/** Cap of the reconnect delay, ms. Default: 5000. */
	maxReconnectDelayMs?: number;
	/** Timeout of each request to the plugin, ms. Default: 10000. */
	requestTimeoutMs?: number;
	/** Largest frame, bytes (match jcfg `control_max_frame`). Default: 1 MiB, the plugin default. */
	maxFrame?: number;
	/** First request id of each channel (tests of the id wrap). Default: 1. */
	firstRequestId?: number;
}

export type ConnectionEvents = {
	/** Hello accepted (first connect and every reconnect). */
	ready: [hello: HelloResult];
	/** The connection was lost (it will reconnect unless closed or reconnect is off). */
	disconnected: [error?: Error];
	/** A connect or hello attempt failed; `fatal` when retrying cannot help (ProtocolVersion, Unauthorized). */
	connectError: [error: Error, fatal: boolean];
	notification: [event: string, params: JsonObject];
	request: [method: string, params: JsonObject, respond: Responder];
};
