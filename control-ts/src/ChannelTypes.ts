/** Public types of Channel (options, events, responder). */
import type { JsonObject } from './protocol/types';

export interface ChannelOptions {
	/** Largest frame payload accepted or sent, in bytes. Default: schema `maxFrameDefault` (1 MiB). */
	maxFrame?: number;
	/** How long a request waits for its response before rejecting with `Timeout`, ms. 0 = forever. Default 10000. */
	requestTimeoutMs?: number;
	/** Id of the first request (tests use it to exercise the wrap). Default 1. */
	firstRequestId?: number;
}

/** Answers one incoming request, exactly once (later calls are ignored). */
export interface Responder {
	ok(result: unknown): void;
	fail(error: unknown): void;
}

export type ChannelEvents = {
	/** A notification from the peer: `{event, params}`. */
	notification: [event: string, params: JsonObject];
	/** A request from the peer; answer it through `respond`. */
	request: [method: string, params: JsonObject, respond: Responder];
	/** The socket closed; `error` says why when it was not a plain close. */
	close: [error?: Error];
};
