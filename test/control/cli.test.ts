// The CLI: argument parsing, and `janus-ts run echotest.js --socket P` as a real child
// process against the fake plugin (env defaults, token, SIGTERM).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadApp, parseArgs } from 'janus-ts/dist/src/cli';
import { ECHOTEST_APP } from '../helpers/ts-janus';
import { FakePlugin, until } from './helpers/fake-plugin';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'control-ts/dist/src/cli.js');
const ECHOTEST = ECHOTEST_APP;

describe('control-ts CLI', () => {
	it('parses run <app> with --socket/--token in both spellings, and rejects mistakes', () => {
		assert.deepEqual(parseArgs(['run', 'app.js', '--socket', '/s', '--token=t', '--replace']),
			{ command: 'run', appPath: 'app.js', socketPath: '/s', token: 't', replace: true, reconnect: true, watch: false });
		assert.equal(parseArgs(['run', 'app.ts', '--watch']).watch, true);
		assert.equal(parseArgs(['--no-reconnect', 'run', 'a.js']).reconnect, false);
		assert.throws(() => parseArgs(['start', 'a.js']), /usage: janus-ts run/);
		assert.throws(() => parseArgs(['run']), /usage/);
		assert.throws(() => parseArgs(['run', 'a.js', '--socket']), /--socket needs a value/);
		assert.throws(() => parseArgs(['run', 'a.js', '--bogus']), /unknown option --bogus/);
	});

	it('prints its help on stdout with --help (exit 0), the usage on stderr for a mistake (exit 2)', () => {
		const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
		assert.equal(help.status, 0);
		assert.match(help.stdout, /^janus-ts - /);
		assert.match(help.stdout, /usage: janus-ts run </);
		for (const option of ['--watch', '--duktape', '--modules DIR', '--socket PATH', '--token T', '--replace', '--no-reconnect', 'JANUS_TS_SOCKET'])
			assert.ok(help.stdout.includes(option), option);
		const wrong = spawnSync(process.execPath, [CLI, 'start'], { encoding: 'utf8' });
		assert.equal(wrong.status, 2);
		assert.equal(wrong.stdout, '');
		assert.match(wrong.stderr, /usage: janus-ts run/);
	});

	it('loads CommonJS (default export or module.exports) and ES module apps', async () => {
		const fs = await import('node:fs');
		const os = await import('node:os');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-apps-'));
		try {
			fs.writeFileSync(path.join(dir, 'a.js'), 'exports.default = { name: "A", destroy() {} };');
			fs.writeFileSync(path.join(dir, 'b.js'), 'module.exports = { destroy() {} };');
			fs.writeFileSync(path.join(dir, 'c.mjs'), 'export default { name: "C", destroy() {} };');
			fs.writeFileSync(path.join(dir, 'd.js'), 'module.exports = 42;');
			fs.writeFileSync(path.join(dir, 'e.js'), 'exports.default = Promise.resolve({ name: "E", destroy() {} });');
			assert.equal((await loadApp(path.join(dir, 'a.js'))).name, 'A');
			assert.equal((await loadApp(path.join(dir, 'b.js'))).name, 'b', 'name defaults to the file name');
			assert.equal((await loadApp(path.join(dir, 'c.mjs'))).name, 'C');
			await assert.rejects(loadApp(path.join(dir, 'd.js')), /does not export an app/);
			assert.equal((await loadApp(path.join(dir, 'e.js'))).name, 'E', 'a promise of an app');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('runs the echotest app against the plugin socket, using JANUS_TS_TOKEN, and exits on SIGTERM', async function () {
		this.timeout(10000);
		const fake = new FakePlugin({ token: 'tok' });
		await fake.listen();
		const child = spawn(process.execPath, [CLI, 'run', ECHOTEST, '--socket', fake.socketPath], {
			env: { ...process.env, JANUS_TS_TOKEN: 'tok', JANUS_TS_SOCKET: '/nonexistent' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (c) => { out += c; });
		child.stderr.on('data', (c) => { out += c; });
		const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
		try {
			await fake.waitForCalls('notifyEvent', 1, 5000);
			assert.deepEqual(fake.hellos[0], { protocol: 1, token: 'tok', app: 'echotest', wants: ['incomingTextData', 'incomingBinaryData', 'setupMedia'] });
			fake.notify('createSession', { id: 9 });
			fake.notify('setupMedia', { id: 9 });
			await fake.waitForCalls('addRecipient', 1, 3000);
			assert.deepEqual(fake.calls('addRecipient')[0].params, { id: 9, recipient: 9 });
			await until(() => /connected to janus\.plugin\.ts/.test(out), 2000, 'ready line');
			child.kill('SIGTERM');
			assert.equal(await exited, 0);
			assert.deepEqual(fake.violations, []);
		} finally {
			child.kill('SIGKILL');
			await fake.close();
		}
	});

	it('runs a .ts app directly; a throw in it is reported at its .ts line, at load and in a callback', async function () {
		this.timeout(15000);
		const fs = await import('node:fs');
		const os = await import('node:os');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-tsapp-'));
		const fake = new FakePlugin();
		await fake.listen();
		try {
			fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
			fs.writeFileSync(path.join(dir, 'good.ts'), [
				"import { defineApp, type Session } from 'janus-ts';",
				'const echo = async (s: Session): Promise<void> => { await s.addRecipient(s); };',
				'type Msg = { request?: string };',
				"const fail = (m: Msg): never => { throw new Error(`no ${m.request} here`); };",
				'export default defineApp({ setupMedia: echo, handleMessage: (_s, { message }) => fail(message as Msg) });',
			].join('\n'));
			fs.writeFileSync(path.join(dir, 'bad.ts'), [
				'type N = number;',
				'const limit: N = 3;',
				"if (limit > 2) throw new Error('bad on purpose');",
				'export default {};',
			].join('\n'));
			const child = spawn(process.execPath, [CLI, 'run', path.join(dir, 'good.ts'), '--socket', fake.socketPath], { stdio: ['ignore', 'pipe', 'pipe'] });
			let out = '';
			child.stdout.on('data', (c) => { out += c; });
			try {
				await until(() => fake.hellos.length === 1, 8000, 'hello');
				assert.equal(fake.hellos[0].app, 'good');
				fake.notify('createSession', { id: 5 });
				fake.notify('setupMedia', { id: 5 });
				await fake.waitForCalls('addRecipient', 1, 3000);
				// A callback that throws: one short line to Janus, the stack once on stdout at the .ts line.
				const answer = await fake.request('handleMessage', { id: 5, transaction: 't', message: { request: 'x' }, jsep: null });
				assert.match(JSON.stringify(answer), /no x here/);
				await until(() => /good\.ts:4:/.test(out), 3000, 'the stack on stdout');
				assert.equal(out.match(/handleMessage failed: no x here/g)?.length, 1, out);
				assert.equal(out.match(/good\.ts:4:/g)?.length, 1, out);
				const logged = fake.calls('log').map((c) => c.params.message);
				assert.deepEqual(logged, ['[good] handleMessage failed: no x here']);
			} finally {
				child.kill('SIGKILL');
			}
			const bad = spawn(process.execPath, [CLI, 'run', path.join(dir, 'bad.ts'), '--socket', fake.socketPath], { stdio: ['ignore', 'pipe', 'pipe'] });
			let err = '';
			bad.stderr.on('data', (c) => { err += c; });
			assert.equal(await new Promise<number | null>((r) => bad.on('exit', r)), 1);
			assert.match(err, /bad on purpose/);
			assert.match(err, /bad\.ts:3:/, 'the stack names the .ts line');
		} finally {
			await fake.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('exits with status 1 and a clear message when the plugin refuses the token', async function () {
		this.timeout(10000);
		const fake = new FakePlugin({ token: 'right' });
		await fake.listen();
		try {
			const child = spawn(process.execPath, [CLI, 'run', ECHOTEST, '--token', 'wrong'], {
				env: { ...process.env, JANUS_TS_SOCKET: fake.socketPath }, stdio: ['ignore', 'pipe', 'pipe'],
			});
			let err = '';
			child.stderr.on('data', (c) => { err += c; });
			const code = await new Promise<number | null>((r) => child.on('exit', r));
			assert.equal(code, 1);
			assert.match(err, /cannot start echotest: .*bad token/);
		} finally {
			await fake.close();
		}
	});
});
