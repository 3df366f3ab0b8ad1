/** Public types of Runtime (run options with defaults, events). */
import type { ConnectionOptions } from './ConnectionTypes';
import type { Logger } from './Logger';
import type { HelloResult } from './protocol/types';

export interface RunOptions extends Partial<Omit<ConnectionOptions, 'wants' | 'app'>> {
	/** Socket path. Default: env `JANUS_TS_SOCKET` (set by the plugin when it supervises the app). */
	socketPath?: string;
	/** Token. Default: env `JANUS_TS_TOKEN`. */
	token?: string;
	/** Answer a slow handleMessage this long before the plugin's own timeout, ms. Default: 10% of it, 50..500. */
	messageTimeoutMarginMs?: number;
	/** Time querySession/handleAdminMessage may take (match jcfg `query_timeout_ms`), ms. Default: 1000. */
	queryTimeoutMs?: number;
	/** Logger. Default: a Logger prefixed with the app name. */
	logger?: Logger;
}

export type RuntimeEvents = {
	/** Connected and resynced (first connect and every reconnect). */
	ready: [hello: HelloResult];
	disconnected: [error?: Error];
	/** A callback of the app threw (also logged). */
	appError: [callback: string, error: unknown];
};
