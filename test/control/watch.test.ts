// `janus-ts run --watch` against the fake plugin: a save starts the new version with
// hello replace: true; a save that does not load leaves the running version alone; SIGTERM
// stops the watcher and its app; a watcher killed outright leaves no orphan app.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakePlugin, sessionInfo, until } from './helpers/fake-plugin';

const CLI = path.resolve(__dirname, '../../../control-ts/dist/src/cli.js');

describe('control-ts CLI --watch', function () {
	this.timeout(30000);

	it('reloads on save with replace, survives a broken save, stops on SIGTERM', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-watch-unit-'));
		const app = path.join(dir, 'app.js');
		const helper = path.join(dir, 'helper.js');
		fs.writeFileSync(helper, 'module.exports = "v1";');
		fs.writeFileSync(app, 'module.exports = { name: require("./helper") };');
		const fake = new FakePlugin();
		await fake.listen();
		const child = spawn(process.execPath, [CLI, 'run', app, '--watch', '--socket', fake.socketPath], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (c) => { out += c; });
		child.stderr.on('data', (c) => { out += c; });
		try {
			await until(() => fake.hellos.length === 1, 10000, 'first hello');
			assert.equal(fake.hellos[0].app, 'v1');
			assert.equal(fake.hellos[0].replace, undefined);
			await new Promise((r) => setTimeout(r, 300));	// the watcher arms on the child's file list

			fs.writeFileSync(app, 'module.exports = { name: require("./helper") ');	// syntax error
			await until(() => /did not start/.test(out), 10000, 'the broken version reported');
			assert.equal(fake.hellos.length, 1, 'no new hello from the broken version');

			fs.writeFileSync(helper, 'module.exports = "v2";');	// a module the app imports
			fs.writeFileSync(app, 'module.exports = { name: require("./helper") };');
			await until(() => fake.hellos.length === 2, 10000, 'second hello');
			assert.equal(fake.hellos[1].app, 'v2');
			assert.equal(fake.hellos[1].replace, true);
			await until(() => /reload 1 connected, previous version stopped/.test(out), 5000, 'reload reported');

			const exited = new Promise<number | null>((r) => child.on('exit', r));
			child.kill('SIGTERM');
			assert.equal(await exited, 0);
		} finally {
			child.kill('SIGKILL');
			await fake.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('reloads a janus_lua script on save; the new script gets the live sessions', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-watch-lua-'));
		const script = path.join(dir, 'w.lua');
		const source = (v: number) => `function init() end function destroy() end function resumeScheduler() end
			function createSession(id) end function destroySession(id) end function querySession(id) end
			function setupMedia(id) end function hangupMedia(id) end
			function handleMessage(id, tr, msg, jsep) return 0, '{"version":${v}}' end`;
		fs.writeFileSync(script, source(1));
		const fake = new FakePlugin();
		await fake.listen();
		const child = spawn(process.execPath, [CLI, 'run', script, '--watch', '--socket', fake.socketPath], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (c) => { out += c; });
		child.stderr.on('data', (c) => { out += c; });
		const ask = async () => (await fake.request('handleMessage', { id: 3, transaction: 't', message: {} })).result;
		try {
			await until(() => fake.hellos.length === 1, 10000, 'first hello');
			fake.notify('createSession', { id: 3 });
			fake.sessions = [sessionInfo(3)];
			assert.deepEqual(await ask(), { reply: { version: 1 } });
			await new Promise((r) => setTimeout(r, 300));	// the watcher arms
			fs.writeFileSync(script, source(2));
			await until(() => fake.hellos.length === 2, 10000, 'second hello');
			assert.equal(fake.hellos[1].replace, true);
			await until(() => /reload 1 connected/.test(out), 5000, 'reload reported');
			assert.deepEqual(await ask(), { reply: { version: 2 } }, 'the new script serves the live session');
		} finally {
			child.kill('SIGKILL');
			await fake.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
	it('a watcher killed with SIGKILL leaves no app behind (the app stops when its IPC channel closes)', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-watch-kill-'));
		const app = path.join(dir, 'app.js');
		fs.writeFileSync(app, 'module.exports = { name: "orphan-check" };');
		const fake = new FakePlugin();
		await fake.listen();
		const child = spawn(process.execPath, [CLI, 'run', app, '--watch', '--socket', fake.socketPath], { stdio: 'ignore' });
		try {
			await until(() => fake.hellos.length === 1 && fake.client !== undefined, 10000, 'first hello');
			child.kill('SIGKILL');
			await until(() => fake.client === undefined, 10000, 'the app closed its control connection');
		} finally {
			child.kill('SIGKILL');
			await fake.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
