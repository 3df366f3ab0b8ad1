/**
 * The global functions janus_lua gives a Lua script, with its argument conventions:
 * arguments read with lua_tonumber / lua_tostring / lua_toboolean (ids as numbers, JSON as
 * text, nil where nothing is passed), a wrong argument count or a refused call answered
 * with -1 (and a log line), success with 0. `eventsIsEnabled()` answers 1 or 0, and
 * `janusLog` answers nothing. The work is done by JanusFunctions.
 */
import { CallFailed, type JanusFunctions, type RecordingRequest } from '../script/JanusFunctions';
import type { LuaArgs, LuaIn, LuaVm } from './LuaVm';

interface LuaBinding {
	/** Accepted argument counts (janus_lua checks lua_gettop). */
	counts: number[];
	/** The call; returns a value when it answers something else than 0. */
	run(f: JanusFunctions, a: LuaArgs): LuaIn | void;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const BINDINGS: Record<string, LuaBinding> = {
	pokeScheduler: { counts: range(0, 255), run: (f) => f.pokeScheduler() },
	timeCallback: { counts: [3], run: (f, a) => f.timeCallback(a.text(1), a.text(2), a.number(3)) },
	pushEvent: { counts: [4], run: (f, a) => f.pushEvent(a.uint32(1), a.text(2), a.text(3), a.text(4)) },
	notifyEvent: { counts: [2], run: (f, a) => f.notifyEvent(a.uint32(1), a.text(2)) },
	eventsIsEnabled: { counts: [0], run: (f) => (f.eventsIsEnabled() ? 1 : 0) },
	closePc: { counts: [1], run: (f, a) => f.closePc(a.uint32(1)) },
	endSession: { counts: [1], run: (f, a) => f.endSession(a.uint32(1)) },
	configureMedium: { counts: [4], run: (f, a) => f.configureMedium(a.uint32(1), a.text(2), a.text(3), a.boolean(4)) },
	addRecipient: { counts: [2], run: (f, a) => f.addRecipient(a.uint32(1), a.uint32(2)) },
	removeRecipient: { counts: [2], run: (f, a) => f.removeRecipient(a.uint32(1), a.uint32(2)) },
	setBitrate: { counts: [2], run: (f, a) => f.setBitrate(a.uint32(1), a.uint32(2)) },
	setPliFreq: { counts: [2], run: (f, a) => f.setPliFreq(a.uint32(1), a.uint32(2)) },
	setSubstream: { counts: [2], run: (f, a) => f.setSubstream(a.uint32(1), a.uint32(2)) },
	setTemporalLayer: { counts: [2], run: (f, a) => f.setTemporalLayer(a.uint32(1), a.uint32(2)) },
	sendPli: { counts: [1], run: (f, a) => f.sendPli(a.uint32(1)) },
	relayRtp: { counts: [4], run: (f, a) => f.relayRtp(a.uint32(1), a.boolean(2), a.bytes(3), a.number(4)) },
	relayRtcp: { counts: [4], run: (f, a) => f.relayRtcp(a.uint32(1), a.boolean(2), a.bytes(3), a.number(4)) },
	relayTextData: { counts: [3, 4, 5], run: (f, a) => f.relayTextData(a.uint32(1), a.bytes(2), a.number(3), opt(a, 4), opt(a, 5)) },
	relayBinaryData: { counts: [3, 4, 5], run: (f, a) => f.relayBinaryData(a.uint32(1), a.bytes(2), a.number(3), opt(a, 4), opt(a, 5)) },
	startRecording: { counts: [5, 9, 13], run: (f, a) => f.startRecording(a.uint32(1), recordings(a)) },
	stopRecording: { counts: [2, 3, 4], run: (f, a) => f.stopRecording(a.uint32(1), range(2, a.count).map((i) => a.text(i))) },
};

/** Registers janusLog, pushEvent, ... (and the deprecated relayData) as globals of `vm`. */
export function registerLuaBindings(vm: LuaVm, functions: JanusFunctions): void {
	vm.register('janusLog', (a) => {
		if (a.count === 2) functions.janusLog(a.number(1), a.text(2));
		else functions.refused('janusLog', new CallFailed(`Wrong number of arguments: ${a.count} (expected 2)`));
	});
	for (const [name, binding] of Object.entries(BINDINGS)) vm.register(name, (a) => call(functions, name, binding, a));
	vm.register('relayData', (a) => {
		functions.refused('relayData', new CallFailed("Deprecated function 'relayData' called, invoking 'relayTextData' instead", 'warn'));
		return call(functions, 'relayTextData', BINDINGS.relayTextData, a);
	});
}

function call(functions: JanusFunctions, name: string, binding: LuaBinding, a: LuaArgs): LuaIn {
	if (!binding.counts.includes(a.count)) {
		const expected = binding.counts.length > 3 ? 'any' : binding.counts.join(', ');
		functions.refused(name, new CallFailed(`Wrong number of arguments: ${a.count} (expected ${expected})`));
		return -1;
	}
	return functions.attempt(name, () => binding.run(functions, a), () => -1);
}

/** An optional string argument (label, protocol). */
function opt(a: LuaArgs, i: number): string | null {
	return i <= a.count ? a.text(i) : null;
}

/** startRecording(id, type, codec, folder, filename [, type, codec, folder, filename]...). */
function recordings(a: LuaArgs): RecordingRequest[] {
	const out: RecordingRequest[] = [];
	for (let i = 2; i + 3 <= a.count; i += 4) {
		out.push({ type: a.text(i), codec: a.text(i + 1), folder: a.text(i + 2), filename: a.text(i + 3) });
	}
	return out;
}
