/**
 * The global functions janus_duktape gives a JavaScript script, with its conventions:
 * each argument's type is checked (a TypeError "Invalid argument (expected number, got
 * string)" otherwise), a refused call throws an Error ("Session 123 doesn't exist",
 * "JSON error: ..."), success returns 0, `eventsIsEnabled()` returns 1 or 0. Errors are
 * made in the script's own realm, so `e instanceof Error` holds in the script. Binary
 * data crosses as strings of bytes (one character per byte), as Duktape strings do.
 */
import { CallFailed, type JanusFunctions, type RecordingRequest } from '../script/JanusFunctions';

/** Expected types of a binding's arguments ('?' suffix: also undefined or null). */
type ArgType = 'number' | 'string' | 'boolean' | 'string?' | 'number?';

interface DuktapeBinding {
	types: ArgType[];
	run(f: JanusFunctions, a: unknown[]): unknown;
}

/** The Error constructors of the script's realm. */
export interface RealmErrors {
	Error: ErrorConstructor;
	TypeError: TypeErrorConstructor;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const id = (v: unknown) => (Number.isFinite(v) ? Math.trunc(v as number) >>> 0 : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
/** Text as its UTF-8 bytes. */
const textBytes = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : null);
/** A Duktape byte string as bytes. */
export const bytesOf = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : null);

const BINDINGS: Record<string, DuktapeBinding> = {
	pokeScheduler: { types: [], run: (f) => f.pokeScheduler() },
	timeCallback: { types: ['string', 'string?', 'number?'], run: (f, a) => f.timeCallback(str(a[0]), str(a[1]), num(a[2])) },
	pushEvent: { types: ['number', 'string?', 'string', 'string?'], run: (f, a) => f.pushEvent(id(a[0]), str(a[1]), str(a[2]), str(a[3])) },
	notifyEvent: { types: ['number', 'string'], run: (f, a) => f.notifyEvent(id(a[0]), str(a[1])) },
	eventsIsEnabled: { types: [], run: (f) => (f.eventsIsEnabled() ? 1 : 0) },
	closePc: { types: ['number'], run: (f, a) => f.closePc(id(a[0])) },
	endSession: { types: ['number'], run: (f, a) => f.endSession(id(a[0])) },
	configureMedium: { types: ['number', 'string', 'string', 'boolean'], run: (f, a) => f.configureMedium(id(a[0]), str(a[1]), str(a[2]), a[3] === true) },
	addRecipient: { types: ['number', 'number'], run: (f, a) => f.addRecipient(id(a[0]), id(a[1])) },
	removeRecipient: { types: ['number', 'number'], run: (f, a) => f.removeRecipient(id(a[0]), id(a[1])) },
	setBitrate: { types: ['number', 'number'], run: (f, a) => f.setBitrate(id(a[0]), id(a[1])) },
	setPliFreq: { types: ['number', 'number'], run: (f, a) => f.setPliFreq(id(a[0]), id(a[1])) },
	setSubstream: { types: ['number', 'number'], run: (f, a) => f.setSubstream(id(a[0]), id(a[1])) },
	setTemporalLayer: { types: ['number', 'number'], run: (f, a) => f.setTemporalLayer(id(a[0]), id(a[1])) },
	sendPli: { types: ['number'], run: (f, a) => f.sendPli(id(a[0])) },
	relayRtp: { types: ['number', 'boolean', 'string', 'number'], run: (f, a) => f.relayRtp(id(a[0]), a[1] === true, bytesOf(a[2]), num(a[3])) },
	relayRtcp: { types: ['number', 'boolean', 'string', 'number'], run: (f, a) => f.relayRtcp(id(a[0]), a[1] === true, bytesOf(a[2]), num(a[3])) },
	relayTextData: {
		types: ['number', 'string', 'number', 'string?', 'string?'],
		// The text as UTF-8; the declared length only has to be >= 1 (scripts pass text.length,
		// which counts UTF-16 units, not bytes: janus_duktape would cut non-ASCII text short).
		run: (f, a) => f.relayTextData(id(a[0]), textBytes(a[1]), num(a[2]) >= 1 ? Infinity : num(a[2]), str(a[3]), str(a[4])),
	},
	relayBinaryData: {
		types: ['number', 'string', 'number', 'string?', 'string?'],
		run: (f, a) => f.relayBinaryData(id(a[0]), bytesOf(a[1]), num(a[2]), str(a[3]), str(a[4])),
	},
	startRecording: { types: ['number'], run: (f, a) => f.startRecording(id(a[0]), recordings(a)) },
	stopRecording: { types: ['number'], run: (f, a) => f.stopRecording(id(a[0]), a.slice(1, 4).map(str)) },
};

/** The bindings as functions to put on the script's global object. */
export function duktapeBindings(functions: JanusFunctions, errors: RealmErrors): Record<string, (...a: unknown[]) => unknown> {
	const out: Record<string, (...a: unknown[]) => unknown> = {};
	for (const [name, binding] of Object.entries(BINDINGS)) out[name] = (...a) => call(functions, errors, name, binding, a);
	out.relayData = (...a) => {
		functions.refused('relayData', new CallFailed("Deprecated function 'relayData' called, invoking 'relayTextData' instead", 'warn'));
		return out.relayTextData(...a);
	};
	return out;
}

function call(functions: JanusFunctions, errors: RealmErrors, name: string, binding: DuktapeBinding, a: unknown[]): unknown {
	binding.types.forEach((type, i) => {
		if (!accepts(type, a[i])) {
			throw new errors.TypeError(`Invalid argument (expected ${type.replace('?', '')}, got ${typeName(a[i])})`);
		}
	});
	return functions.attempt(name, () => binding.run(functions, a), (err) => { throw new errors.Error(err.message); });
}

function accepts(type: ArgType, v: unknown): boolean {
	if (type.endsWith('?') && (v === undefined || v === null)) return true;
	return typeof v === type.replace('?', '');
}

/** Duktape's type names (janus_duktape_type_string). */
function typeName(v: unknown): string {
	if (v === null) return 'null';
	if (typeof v === 'function') return 'object';
	return typeof v;
}

/** startRecording(id, type, codec, folder, filename [, ...]): up to three groups. */
function recordings(a: unknown[]): RecordingRequest[] {
	const out: RecordingRequest[] = [];
	for (let i = 1; i + 3 < Math.min(a.length, 13); i += 4) {
		out.push({ type: str(a[i]), codec: str(a[i + 1]), folder: str(a[i + 2]), filename: str(a[i + 3]) });
	}
	return out;
}
