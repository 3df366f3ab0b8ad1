/**
 * Typed errors of the control protocol.
 *
 * Every error kind listed in `schema.json` (`errors`) has one exception class of the
 * same name, all deriving from {@link JanusTsError}. A kind crosses the socket as a
 * string (`{"error": "<Kind>", "reason": "..."}`) and comes back as the same class, in
 * both directions: an app that throws `new NotSupported('...')` from `handleMessage`
 * answers the plugin with kind `NotSupported`.
 */
import schema from './protocol/schema.json';

/** The error kinds of the protocol (schema.json `errors`). */
export type ErrorKind =
	| 'UnknownSession' | 'ClosedSession' | 'BadArguments' | 'UnknownMethod' | 'Full'
	| 'Duplicate' | 'NotFound' | 'NotSupported' | 'Timeout' | 'NotConnected'
	| 'ProtocolVersion' | 'Busy' | 'Unauthorized' | 'CoreError' | 'AppError' | 'Internal';

/** Base class of every error that has a protocol kind. */
export class JanusTsError extends Error {
	/** The protocol error kind (the class name of a typed subclass). */
	readonly kind: ErrorKind;
	/** The plugin method whose call failed (set on errors the plugin answered). */
	method?: string;

	constructor(kind: ErrorKind, message: string) {
		super(message);
		this.kind = kind;
		this.name = kind;
	}
}

/** A session id the plugin does not know (never existed or already destroyed). */
export class UnknownSession extends JanusTsError { constructor(m: string) { super('UnknownSession', m); } }
/** The session exists but is closing. */
export class ClosedSession extends JanusTsError { constructor(m: string) { super('ClosedSession', m); } }
/** Missing or mistyped parameters. */
export class BadArguments extends JanusTsError { constructor(m: string) { super('BadArguments', m); } }
/** The other side has no such method. */
export class UnknownMethod extends JanusTsError { constructor(m: string) { super('UnknownMethod', m); } }
/** A limit was reached (sessions, routes). */
export class Full extends JanusTsError { constructor(m: string) { super('Full', m); } }
/** The route or recipient exists already. */
export class Duplicate extends JanusTsError { constructor(m: string) { super('Duplicate', m); } }
/** The route or recipient does not exist. */
export class NotFound extends JanusTsError { constructor(m: string) { super('NotFound', m); } }
/** Not implemented by this version (e.g. simulcast before it lands). */
export class NotSupported extends JanusTsError { constructor(m: string) { super('NotSupported', m); } }
/** No answer within the allowed time. */
export class Timeout extends JanusTsError { constructor(m: string) { super('Timeout', m); } }
/** No control connection (the request could not be sent, or the connection closed). */
export class NotConnected extends JanusTsError { constructor(m: string) { super('NotConnected', m); } }
/** The plugin speaks another protocol version. */
export class ProtocolVersion extends JanusTsError { constructor(m: string) { super('ProtocolVersion', m); } }
/** Another control connection is active (hello without `replace`). */
export class Busy extends JanusTsError { constructor(m: string) { super('Busy', m); } }
/** Wrong token, or a request before hello. */
export class Unauthorized extends JanusTsError { constructor(m: string) { super('Unauthorized', m); } }
/** Janus refused the operation (e.g. push_event with an invalid SDP). */
export class CoreError extends JanusTsError { constructor(m: string) { super('CoreError', m); } }
/** The app's own failure (an exception thrown by a callback). */
export class AppError extends JanusTsError { constructor(m: string) { super('AppError', m); } }
/** A bug on the other side. */
export class Internal extends JanusTsError { constructor(m: string) { super('Internal', m); } }

/** One class per kind; a test checks this table against schema.json. */
export const errorClasses: { readonly [K in ErrorKind]: new (message: string) => JanusTsError } = {
	UnknownSession, ClosedSession, BadArguments, UnknownMethod, Full, Duplicate, NotFound,
	NotSupported, Timeout, NotConnected, ProtocolVersion, Busy, Unauthorized, CoreError,
	AppError, Internal,
};

/** The kinds the schema declares (kept as data so tests can compare). */
export const schemaErrorKinds: readonly string[] = schema.errors;

/** Whether a string is a known error kind. */
export function isErrorKind(kind: unknown): kind is ErrorKind {
	return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(errorClasses, kind);
}

/**
 * Builds the typed error for a wire `{error, reason}`. An unknown kind (a newer peer)
 * becomes `Internal` with the kind kept in the message.
 */
export function errorFromWire(kind: unknown, reason: unknown): JanusTsError {
	const text = typeof reason === 'string' ? reason : '';
	if (isErrorKind(kind)) return new errorClasses[kind](text);
	return new Internal(`unknown error kind ${JSON.stringify(kind)}: ${text}`);
}

/**
 * The wire form of anything an app callback threw: typed errors keep their kind,
 * anything else is `AppError` carrying the message.
 */
export function errorToWire(err: unknown): { error: ErrorKind; reason: string } {
	if (err instanceof JanusTsError) return { error: err.kind, reason: err.message };
	if (err instanceof Error) return { error: 'AppError', reason: err.message };
	return { error: 'AppError', reason: String(err) };
}
