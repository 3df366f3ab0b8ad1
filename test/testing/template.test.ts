// The app template (control-ts/template): a project made from it in a temp folder, with
// janus-ts installed from the packed npm tarball (so the tarball must carry the compiled
// kit and router.wasm), passes its own `npm test` and type-checks under strict tsc.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './fixtures';

function run(cmd: string, args: string[], cwd: string): string {
	const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120000, env: { ...process.env, JANUS_TS_ROUTER: '' } });
	assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
	return r.stdout;
}

describe('app template', function () {
	this.timeout(180000);
	let tmp: string;
	before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-template-')); });
	after(() => fs.rmSync(tmp, { recursive: true, force: true }));

	it('makes a project whose kit test passes against the packed package, and which type-checks', () => {
		const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp], path.join(REPO, 'control-ts')))[0];
		const files = new Set((packed.files as { path: string }[]).map((f) => f.path));
		for (const f of ['router.wasm', 'testing/package.json', 'dist/src/testing/index.js', 'dist/src/testing/index.d.ts', 'dist/src/cli.js', 'template/app.ts']) {
			assert.ok(files.has(f), `the tarball has ${f}`);
		}
		const project = path.join(tmp, 'my-app');
		fs.cpSync(path.join(REPO, 'control-ts/template'), project, { recursive: true });
		const modules = path.join(project, 'node_modules');
		fs.mkdirSync(modules);
		// The package from the tarball; its dependencies (and the template's dev tools) from this checkout.
		run('tar', ['-xzf', path.join(tmp, packed.filename), '-C', tmp], tmp);
		fs.renameSync(path.join(tmp, 'package'), path.join(modules, 'janus-ts'));
		for (const name of fs.readdirSync(path.join(REPO, 'node_modules'))) {
			if (name !== 'janus-ts' && name !== '.bin' && !name.startsWith('.')) fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name));
		}
		const out = run('npm', ['test'], project);
		assert.match(out, /# pass 1/);
		assert.match(out, /# fail 0/);
		run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', project], project);
	});
});
