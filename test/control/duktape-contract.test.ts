// The janus_duktape contract as janus-ts runs it (ScriptApp + DuktapeEngine in a Node vm
// context), on a fake plugin: callbacks with their arguments, the functions with
// janus_duktape's type checks and exceptions, handleMessage's results (a JSON string, a
// number), console, Duktape.modSearch + require, and a loop stopped by the vm timeout.
import * as assert from 'node:assert/strict';
import type { DuktapeEngine } from 'janus-ts';
import { until } from './helpers/fake-plugin';
import type { Harness } from './helpers/harness';
import { scriptHarness } from './helpers/script-harness';

const SCRIPT = `
var calls = [];
function note() { calls.push(Array.prototype.slice.call(arguments).map(function (v) { return JSON.stringify(v); }).join(' ')); }
Duktape.modSearch = function (id) { return readFile(getModulesFolder() + '/' + id + '.js'); };
var helper = require('helper');
function init(config) { note('init', config); console.log('hello from', helper.name, { a: 1 }); }
function destroy() { note('destroy'); }
function createSession(id) { note('createSession', id); }
function destroySession(id) { note('destroySession', id); }
function querySession(id) { return JSON.stringify({ id: id }); }
function setupMedia(id) { note('setupMedia', id); }
function hangupMedia(id) { note('hangupMedia', id); }
function resumeScheduler() { note('resumeScheduler'); }
function incomingBinaryData(id, buf, len, label, protocol) { note('incomingBinaryData', id, buf, len, label, protocol); }
function handleMessage(id, tr, msg, jsep) {
	note('handleMessage', id, tr, msg, jsep);
	var m = JSON.parse(msg);
	if (m.mode === 'sync') return JSON.stringify({ ok: true });
	if (m.mode === 'async') { pokeScheduler(); return 1; }
	if (m.mode === 'refuse') return -1;
	if (m.mode === 'throw') throw new Error('boom');
	if (m.mode === 'spin') { for (;;) { try { for (;;) {} } catch (e) {} } }
	return { not: 'a string' };
}
function attempt(code) { try { return 'ok:' + eval(code); } catch (e) { return (e instanceof TypeError ? 'TypeError:' : e instanceof Error ? 'Error:' : '?:') + e.message; } }
`;

describe('control-ts janus_duktape contract (ScriptApp + DuktapeEngine)', function () {
	this.timeout(10000);
	const script = scriptHarness('duktape', { 'contract.js': SCRIPT, 'helper.js': 'exports.name = "the helper module";' }, 'c');
	let h: Harness<Record<string, unknown>> | undefined;
	const start = async (fakeOptions = {}) => (h = await script.start(fakeOptions));
	const clock = { runImmediates: () => script.clock.runImmediates(), advance: (ms: number) => script.clock.advance(ms) };
	const context = () => (script.app.engine as DuktapeEngine).context!;
	const calls = (): string[] => context().calls.slice();
	const attempt = (code: string): string => context().attempt(code);

	it('loads modules through Duktape.modSearch + require, logs console lines, calls init with the config', async () => {
		await start();
		await until(() => calls().includes('"init" "c"'));
		const logs = await h!.fake.waitForCalls('log', 1);
		assert.ok(logs.some((l) => l.params.message === 'hello from the helper module {"a":1}' && l.params.level === 'info'), JSON.stringify(logs));
		assert.deepEqual(h!.fake.hellos[0].wants, ['incomingBinaryData', 'setupMedia'], 'text data is relayed by the plugin: no incomingTextData');
	});

	it('handleMessage: a JSON string is the reply, a number >= 0 async, < 0 an error, a throw an error; the script goes on', async () => {
		await start();
		h!.fake.notify('createSession', { id: 4 });
		const send = (mode: string, jsep?: unknown) => h!.fake.request('handleMessage', { id: 4, transaction: 't', message: { mode }, ...(jsep ? { jsep } : {}) });
		assert.deepEqual((await send('sync')).result, { reply: { ok: true } });
		assert.equal(calls().at(-1), '"handleMessage" 4 "t" "{\\"mode\\": \\"sync\\"}" null');
		assert.deepEqual((await send('async', { type: 'offer', sdp: 'v=0' })).result, { async: true });
		assert.equal(calls().at(-1), '"handleMessage" 4 "t" "{\\"mode\\": \\"async\\"}" "{\\"type\\": \\"offer\\", \\"sdp\\": \\"v=0\\"}"');
		assert.ok(!calls().includes('"resumeScheduler"'));
		clock.runImmediates();
		assert.ok(calls().includes('"resumeScheduler"'), 'pokeScheduler → resumeScheduler');
		assert.equal((await send('refuse')).reason, 'Duktape error');
		assert.equal((await send('throw')).reason, 'Duktape error in handleMessage: boom');
		assert.match(String((await send('other')).reason), /neither a number nor a JSON object/);
		assert.deepEqual((await send('sync')).result, { reply: { ok: true } });
	});

	it('a loop that even catches what stops it is ended by the vm timeout; the context keeps its state', async () => {
		await start({ messageTimeoutMs: 400 });
		h!.fake.notify('createSession', { id: 4 });
		await until(() => calls().includes('"createSession" 4'));
		const before = calls().length;
		const res = await h!.fake.request('handleMessage', { id: 4, transaction: 't', message: { mode: 'spin' } });
		assert.equal(res.reason, 'Duktape error in handleMessage: ran longer than 350 ms and was stopped');
		assert.deepEqual((await h!.fake.request('handleMessage', { id: 4, transaction: 't', message: { mode: 'sync' } })).result, { reply: { ok: true } });
		assert.equal(calls().length, before + 2, 'same context, same calls array');
	});

	it('functions check argument types (TypeError) and sessions (Error), and answer 0', async () => {
		await start();
		h!.fake.notify('createSession', { id: 4 });
		await until(() => calls().includes('"createSession" 4'));
		assert.equal(attempt('pushEvent(4, "tr", \'{"a":1}\', null)'), 'ok:0');
		assert.equal(attempt('pushEvent(4, undefined, \'{"b":2}\')'), 'ok:0');
		assert.equal(attempt('pushEvent("4", "tr", "{}", null)'), 'TypeError:Invalid argument (expected number, got string)');
		assert.equal(attempt('pushEvent(4, "tr", 5, null)'), 'TypeError:Invalid argument (expected string, got number)');
		assert.equal(attempt('pushEvent(9, "tr", "{}", null)'), "Error:Session 9 doesn't exist");
		assert.match(attempt('pushEvent(4, "tr", "nope", null)'), /^Error:JSON error: event:/);
		assert.equal(attempt('configureMedium(4, "audio", "in", 1)'), 'TypeError:Invalid argument (expected boolean, got number)');
		assert.equal(attempt('configureMedium(4, "audio", "in", true)'), 'ok:0');
		assert.equal(attempt('eventsIsEnabled()'), 'ok:1');
		assert.equal(attempt('relayTextData(4, "hi", 2)'), 'Error:Datachannel not ready yet for session 4, dropping data');
		assert.equal(attempt('startRecording(4, "audio", "opus", "/tmp", "f")'), 'ok:0');
		assert.equal(attempt('timeCallback("resumeScheduler", undefined, 10)'), 'ok:0');
		assert.equal(attempt('getDuktapeVersion()'), 'ok:20700');
		assert.deepEqual((await h!.fake.waitForCalls('pushEvent', 2)).map((r) => r.params), [
			{ id: 4, transaction: 'tr', event: { a: 1 } }, { id: 4, transaction: null, event: { b: 2 } },
		]);
		assert.deepEqual((await h!.fake.waitForCalls('configureMedium', 1)).map((r) => r.params), [{ id: 4, medium: 'audio', direction: 'in', enabled: true }]);
		assert.deepEqual((await h!.fake.waitForCalls('startRecording', 1)).map((r) => r.params), [{ id: 4, medium: 'audio', codec: 'opus', folder: '/tmp', filename: 'f' }]);
		clock.advance(10);
		assert.ok(calls().includes('"resumeScheduler"'), 'timeCallback called the named function');
	});

	it('binary data crosses as byte strings both ways, text as UTF-8', async () => {
		await start();
		h!.fake.notify('createSession', { id: 4 });
		h!.fake.notify('dataReady', { id: 4 });
		h!.fake.notify('incomingBinaryData', { id: 4, data: Buffer.from([0, 200, 255]).toString('base64'), label: 'l', protocol: null });
		await until(() => calls().some((c) => c.startsWith('"incomingBinaryData"')));
		assert.equal(calls().at(-1), '"incomingBinaryData" 4 "\\u0000Èÿ" 3 "l" ""');
		assert.equal(attempt('relayBinaryData(4, "\\u0000\\u00c8\\u00ff", 3)'), 'ok:0');
		assert.equal(attempt('relayTextData(4, "héllo €", 7)'), 'ok:0');
		assert.deepEqual((await h!.fake.waitForCalls('relayBinaryData', 1)).map((r) => r.params), [{ id: 4, data: Buffer.from([0, 200, 255]).toString('base64') }]);
		assert.deepEqual((await h!.fake.waitForCalls('relayTextData', 1)).map((r) => r.params), [{ id: 4, text: 'héllo €' }]);
	});
});
