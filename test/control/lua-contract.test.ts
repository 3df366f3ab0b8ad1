// The janus_lua contract as janus-ts runs it (ScriptApp + LuaEngine), on a fake plugin:
// every callback called with janus_lua's arguments, every function the script gets with
// its argument conventions and -1/0 answers, handleMessage's (code, json) results, and
// the scheduling of pokeScheduler → resumeScheduler and timeCallback on a fake clock.
import * as assert from 'node:assert/strict';
import type { LuaEngine } from 'janus-ts';
import { until } from './helpers/fake-plugin';
import type { Harness } from './helpers/harness';
import { scriptHarness } from './helpers/script-harness';

/** Records every callback as a line: strings quoted, numbers with their Lua subtype. */
const SCRIPT = `
json = require('json')
calls = {}
function show(v)
	if type(v) == 'string' then return '"' .. v:gsub('[%c\\128-\\255"\\\\]', function(c) return '\\\\' .. c:byte() end) .. '"' end
	return (math.type(v) or type(v)) .. ':' .. tostring(v)
end
function note(name, ...)
	local parts = { name }
	for i = 1, select('#', ...) do parts[#parts + 1] = show((select(i, ...))) end
	calls[#calls + 1] = table.concat(parts, ' ')
end
function init(config) note('init', config) end
function destroy() note('destroy') end
function createSession(id) note('createSession', id) end
function destroySession(id) note('destroySession', id) end
function querySession(id) note('querySession', id) return json.encode({ id = id, script = 'contract' }) end
function setupMedia(id) note('setupMedia', id) end
function hangupMedia(id) note('hangupMedia', id) end
function resumeScheduler() note('resumeScheduler') end
function tick(...) note('tick', ...) end
function incomingTextData(...) note('incomingTextData', ...) end
function incomingBinaryData(...) note('incomingBinaryData', ...) end
function dataReady(id) note('dataReady', id) end
function slowLink(...) note('slowLink', ...) end
function substreamChanged(...) note('substreamChanged', ...) end
function temporalLayerChanged(...) note('temporalLayerChanged', ...) end
function handleAdminMessage(msg) note('handleAdminMessage', msg) return msg end
function getPackage() return 'janus.plugin.contract' end
function handleMessage(id, tr, msg, jsep)
	note('handleMessage', id, tr, msg, jsep)
	local m = json.decode(msg)
	if m.mode == 'sync' then return 0, json.encode({ ok = true, n = 1 })
	elseif m.mode == 'async' then pokeScheduler() return 1, nil
	elseif m.mode == 'refuse' then return -1, 'not today'
	elseif m.mode == 'refuse-silently' then return -1
	elseif m.mode == 'nothing' then return
	elseif m.mode == 'string-code' then return '0', '{"viaString":true}'
	elseif m.mode == 'crash' then error('boom')
	elseif m.mode == 'spin' then while true do end
	end
end
`;

describe('control-ts janus_lua contract (ScriptApp + LuaEngine)', function () {
	this.timeout(10000);
	const script = scriptHarness('lua', { 'contract.lua': SCRIPT }, 'conf=1');
	let h: Harness<Record<string, unknown>> | undefined;
	const start = async (fakeOptions = {}) => (h = await script.start(fakeOptions));
	const app = () => script.app;
	const clockAdvance = (ms: number) => script.clock.advance(ms);
	const lua = (code: string) => (app().engine as LuaEngine).vm!.run(code, '=test');
	const calls = () => String(lua('return table.concat(calls, "\\n")')[0]).split('\n').filter(Boolean);
	const lastCall = () => calls().at(-1);
	/** Runs `code` in the script (e.g. a contract function call) and returns its first result. */
	const run = (code: string) => lua(`return ${code}`)[0];
	async function requests(method: string, count: number) { return (await h!.fake.waitForCalls(method, count)).map((r) => r.params); }

	it('calls init with the jcfg config, hellos the data callbacks it defines, and reads getPackage', async () => {
		await start();
		await h!.fake.waitFor(() => calls().includes('init "conf=1"'));
		assert.deepEqual(h!.fake.hellos[0].wants, ['incomingTextData', 'incomingBinaryData', 'setupMedia']);
		assert.equal(h!.fake.hellos[0].app, 'contract.lua');
		assert.equal(app().info().getPackage, 'janus.plugin.contract');
		await until(() => h!.logs.some((l) => /getPackage\(\) says janus\.plugin\.contract; janus-ts serves it as janus\.plugin\.ts/.test(l)));
	});

	it('init gets nil when there is no config', async () => {
		await start({ config: '' });
		await h!.fake.waitFor(() => calls().includes('init nil:nil'));
	});

	it('calls the session callbacks with the id as a Lua integer, data with janus_lua\'s five arguments', async () => {
		await start();
		const f = h!.fake;
		f.notify('createSession', { id: 5 });
		f.notify('setupMedia', { id: 5 });
		f.notify('dataReady', { id: 5 });
		f.notify('incomingTextData', { id: 5, text: 'héllo', label: 'chat', protocol: null });
		f.notify('incomingBinaryData', { id: 5, data: Buffer.from([0, 1, 255]).toString('base64'), label: null, protocol: null });
		f.notify('slowLink', { id: 5, mindex: 1, video: true, uplink: false });
		f.notify('substreamChanged', { id: 5, mindex: 1, substream: 1 });
		f.notify('temporalLayerChanged', { id: 5, mindex: 1, temporal: 2 });
		f.notify('hangupMedia', { id: 5 });
		f.notify('destroySession', { id: 5 });
		await until(() => calls().includes('destroySession integer:5'));
		assert.deepEqual(calls().slice(1), [
			'createSession integer:5', 'setupMedia integer:5', 'dataReady integer:5',
			'incomingTextData integer:5 "h\\195\\169llo" integer:6 "chat" ""',
			'incomingBinaryData integer:5 "\\0\\1\\255" integer:3 "" ""',
			'slowLink integer:5 boolean:false boolean:true',
			'substreamChanged integer:5 integer:1', 'temporalLayerChanged integer:5 integer:2',
			'hangupMedia integer:5', 'destroySession integer:5',
		]);
	});

	it('setupMedia asked as a request is answered after the calls the script made in it (Janus waits for them)', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		lua("function setupMedia(id) note('setupMedia', id) configureMedium(id, 'audio', 'out', true) addRecipient(id, id) end");
		const res = await h!.fake.request('setupMedia', { id: 5 });
		assert.equal(res.result, true);
		assert.equal(lastCall(), 'setupMedia integer:5');
		// The fake reads frames in order: both requests of the script arrived before the answer.
		assert.deepEqual([h!.fake.calls('configureMedium').length, h!.fake.calls('addRecipient').length], [1, 1]);
	});

	it('handleMessage gets (id, transaction, message JSON text, jsep JSON text or nil)', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		await h!.fake.request('handleMessage', { id: 5, transaction: 'tr1', message: { mode: 'sync', list: [1, 'a/b'] } });
		assert.equal(lastCall(), 'handleMessage integer:5 "tr1" "{\\34mode\\34: \\34sync\\34, \\34list\\34: [1, \\34a/b\\34]}" nil:nil');
		await h!.fake.request('handleMessage', { id: 5, transaction: 'tr2', message: { mode: 'sync' }, jsep: { type: 'offer', sdp: 'v=0\r\n' } });
		assert.equal(lastCall(), 'handleMessage integer:5 "tr2" "{\\34mode\\34: \\34sync\\34}" "{\\34type\\34: \\34offer\\34, \\34sdp\\34: \\34v=0\\92r\\92n\\34}"');
	});

	it('handleMessage results: 0 + JSON is the reply, 1 is async, -1 an error with the text, anything else an error', async () => {
		await start();
		const f = h!.fake;
		f.notify('createSession', { id: 5 });
		const send = (mode: string) => f.request('handleMessage', { id: 5, transaction: 't', message: { mode } });
		assert.deepEqual((await send('sync')).result, { reply: { ok: true, n: 1 } });
		assert.deepEqual((await send('async')).result, { async: true });
		assert.deepEqual(await send('refuse'), { id: 3, error: 'AppError', reason: 'not today' });
		assert.equal((await send('refuse-silently')).reason, 'Lua error');
		assert.match(String((await send('nothing')).reason), /returned 0 without a JSON object/);
		assert.deepEqual((await send('string-code')).result, { reply: { viaString: true } }, 'the code goes through lua_tonumber');
		assert.match(String((await send('crash')).reason), /^Lua error in handleMessage: \/.*contract\.lua:\d+: boom$/);
		assert.deepEqual((await send('sync')).result, { reply: { ok: true, n: 1 } }, 'the script goes on after an error');
	});

	it('a handleMessage that runs past message_timeout_ms is stopped and answered with an error; the script goes on', async () => {
		await start({ messageTimeoutMs: 400 });
		h!.fake.notify('createSession', { id: 5 });
		const started = Date.now();
		const res = await h!.fake.request('handleMessage', { id: 5, transaction: 't', message: { mode: 'spin' } });
		assert.match(String(res.reason), /handleMessage ran longer than 350 ms and was stopped/);
		assert.ok(Date.now() - started < 1500);
		assert.deepEqual((await h!.fake.request('handleMessage', { id: 5, transaction: 't', message: { mode: 'sync' } })).result, { reply: { ok: true, n: 1 } });
	});

	it('querySession and handleAdminMessage: JSON texts back to objects', async () => {
		await start();
		h!.fake.notify('createSession', { id: 9 });
		assert.deepEqual((await h!.fake.request('querySession', { id: 9 })).result, { id: 9, script: 'contract' });
		const admin = await h!.fake.request('handleAdminMessage', { message: { request: 'x', n: 2 } });
		assert.deepEqual(admin.result, { request: 'x', n: 2 });
		assert.equal(lastCall(), 'handleAdminMessage "{\\34request\\34: \\34x\\34, \\34n\\34: 2}"');
	});

	it('pokeScheduler: resumeScheduler runs after the callback that poked returned, once per poke', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		const res = await h!.fake.request('handleMessage', { id: 5, transaction: 't', message: { mode: 'async' } });
		assert.deepEqual(res.result, { async: true });
		assert.ok(!calls().includes('resumeScheduler'), 'not during handleMessage');
		assert.equal(run('pokeScheduler()'), 0);
		assert.equal(script.clock.runImmediates(), 2);
		assert.deepEqual(calls().filter((c) => c === 'resumeScheduler').length, 2);
	});

	it('timeCallback(name, arg, ms) calls the global function later, with its argument or none', async () => {
		await start();
		assert.equal(run('timeCallback("tick", "later", 100)'), 0);
		assert.equal(run('timeCallback("tick", nil, 50)'), 0);
		assert.equal(run('timeCallback(nil, "x", 10)'), -1, 'no function name');
		assert.equal(run('timeCallback("tick", "x")'), -1, 'wrong argument count');
		clockAdvance(49);
		assert.ok(!calls().some((c) => c.startsWith('tick')));
		clockAdvance(1);
		assert.equal(lastCall(), 'tick');
		clockAdvance(49);
		assert.equal(lastCall(), 'tick');
		clockAdvance(1);
		assert.equal(lastCall(), 'tick "later"');
	});

	it('pushEvent / notifyEvent / eventsIsEnabled / closePc / endSession', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		await until(() => calls().includes('createSession integer:5'));
		assert.equal(run(`pushEvent(5, "tr", '{"a":1}', '{"type":"answer","sdp":"v=0"}')`), 0);
		assert.equal(run(`pushEvent(5, nil, '{"b":2}', nil)`), 0);
		assert.equal(run(`pushEvent(5, "tr", 'not json', nil)`), -1);
		assert.equal(run(`pushEvent(5, "tr", '[1]', nil)`), -1, 'an event is an object');
		assert.equal(run(`pushEvent(77, "tr", '{}', nil)`), -1, 'unknown session');
		assert.equal(run(`pushEvent(5, "tr", '{}')`), -1, 'wrong argument count');
		assert.deepEqual(await requests('pushEvent', 2), [
			{ id: 5, transaction: 'tr', event: { a: 1 }, jsep: { type: 'answer', sdp: 'v=0' } },
			{ id: 5, transaction: null, event: { b: 2 } },
		]);
		assert.equal(run(`notifyEvent(0, '{"e":1}')`), 0);
		assert.equal(run(`notifyEvent(5, '{"e":2}')`), 0);
		assert.deepEqual(await requests('notifyEvent', 2), [{ id: null, event: { e: 1 } }, { id: 5, event: { e: 2 } }]);
		assert.equal(run('eventsIsEnabled()'), 1);
		assert.equal(String(run('math.type(eventsIsEnabled())')), 'integer');
		assert.equal(run('closePc(5)'), 0);
		assert.equal(run('endSession(5)'), 0);
		assert.equal(run('closePc(6)'), -1);
		assert.deepEqual([...await requests('closePc', 1), ...await requests('endSession', 1)], [{ id: 5 }, { id: 5 }]);
	});

	it('configureMedium / addRecipient / removeRecipient / setBitrate / setPliFreq / setSubstream / setTemporalLayer / sendPli', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		h!.fake.notify('createSession', { id: 6 });
		await until(() => calls().includes('createSession integer:6'));
		const zero = [
			'configureMedium(5, "AUDIO", "in", true)', 'configureMedium(5, "video", "out", nil)', 'configureMedium(5, "bogus", "in", true)',
			'addRecipient(5, 6)', 'removeRecipient(5, 6)', 'setBitrate(5, 128000)', 'setPliFreq(5, 2)',
			'setSubstream(5, 1)', 'setSubstream(5, 7)', 'setTemporalLayer(5, 0)', 'sendPli(5)',
		];
		for (const code of zero) assert.equal(run(code), 0, code);
		for (const code of ['addRecipient(5, 99)', 'configureMedium(99, "audio", "in", true)', 'sendPli()', 'setBitrate(5)']) {
			assert.equal(run(code), -1, code);
		}
		assert.deepEqual(await requests('configureMedium', 2), [
			{ id: 5, medium: 'audio', direction: 'in', enabled: true }, { id: 5, medium: 'video', direction: 'out', enabled: false },
		]);
		assert.deepEqual(await requests('addRecipient', 1), [{ id: 5, recipient: 6 }]);
		assert.deepEqual(await requests('removeRecipient', 1), [{ id: 5, recipient: 6 }]);
		assert.deepEqual(await requests('setBitrate', 1), [{ id: 5, bitrate: 128000 }]);
		assert.deepEqual(await requests('setPliFreq', 1), [{ id: 5, seconds: 2 }]);
		assert.deepEqual(await requests('setSubstream', 1), [{ id: 5, substream: 1 }], 'a substream above 2 is ignored');
		assert.deepEqual(await requests('setTemporalLayer', 1), [{ id: 5, temporal: 0 }]);
		assert.deepEqual(await requests('sendPli', 1), [{ id: 5 }]);
	});

	it('relayRtp / relayRtcp / relayTextData / relayBinaryData (data only once the channel is ready)', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		await until(() => calls().includes('createSession integer:5'));
		assert.equal(run('relayRtp(5, true, "\\128\\96\\0\\1xyz", 5)'), 0, 'the first len bytes');
		assert.equal(run('relayRtcp(5, false, "\\129\\201", 2)'), 0);
		assert.equal(run('relayRtp(5, true, "", 0)'), -1);
		assert.equal(run('relayTextData(5, "hi", 2)'), -1, 'datachannel not ready yet');
		h!.fake.notify('dataReady', { id: 5 });
		await until(() => calls().includes('dataReady integer:5'));
		assert.equal(run('relayTextData(5, "héllo", 6)'), 0);
		assert.equal(run('relayTextData(5, "x", 1, "chat", "")'), 0);
		assert.equal(run('relayBinaryData(5, "\\0\\1\\2", 3, "", "")'), 0);
		assert.equal(run('relayData(5, "old", 3)'), 0, 'the deprecated relayData is relayTextData');
		assert.deepEqual(await requests('relayRtp', 1), [{ id: 5, video: true, data: Buffer.from([128, 96, 0, 1, 120]).toString('base64') }]);
		assert.deepEqual(await requests('relayRtcp', 1), [{ id: 5, video: false, data: Buffer.from([129, 201]).toString('base64') }]);
		assert.deepEqual(await requests('relayTextData', 3), [{ id: 5, text: 'héllo' }, { id: 5, text: 'x', label: 'chat' }, { id: 5, text: 'old' }]);
		assert.deepEqual(await requests('relayBinaryData', 1), [{ id: 5, data: 'AAEC' }]);
	});

	it('startRecording in (type, codec, folder, filename) groups, codec/fmtp split; stopRecording by type', async () => {
		await start();
		h!.fake.notify('createSession', { id: 5 });
		await until(() => calls().includes('createSession integer:5'));
		assert.equal(run('startRecording(5, "audio", "opus", "/tmp", "f-audio", "video", "vp9/fmtp=profile-id=2", nil, "f-video")'), 0);
		assert.equal(run('startRecording(5, "audio", "opus", "/tmp")'), -1, 'wrong argument count');
		assert.equal(run('startRecording(5, nil, "opus", "/tmp", "x")'), -1, 'nothing to record');
		assert.equal(run('stopRecording(5, "audio", "video")'), 0);
		assert.deepEqual(await requests('startRecording', 2), [
			{ id: 5, medium: 'audio', codec: 'opus', filename: 'f-audio', folder: '/tmp' },
			{ id: 5, medium: 'video', codec: 'vp9', filename: 'f-video', fmtp: 'profile-id=2' },
		]);
		assert.deepEqual(await requests('stopRecording', 2), [{ id: 5, medium: 'audio' }, { id: 5, medium: 'video' }]);
	});

	it('janusLog writes the script\'s line to the Janus log at the JANUS_LOG level; destroy reaches the script', async () => {
		await start();
		await until(() => calls().includes('init "conf=1"'));
		assert.equal(run('janusLog(3, "careful")'), undefined);
		assert.equal(run('janusLog(5, "detail")'), undefined);
		const logs = await requests('log', 2);
		assert.deepEqual(logs.filter((l) => l.message === 'careful' || l.message === 'detail'),
			[{ level: 'warn', message: 'careful' }, { level: 'verb', message: 'detail' }]);
		h!.fake.notify('destroy', {});
		await until(() => calls().includes('destroy'));
	});
});
