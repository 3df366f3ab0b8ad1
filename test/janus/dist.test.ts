// scripts/dist.sh: the deployable folder has the plugin, the router, the sample jcfg and
// the runtime's npm tarball, and its README says where each goes. (Installing the tarball:
// test/deploy/npm-tarball.test.ts.)
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/janus';

describe('dist: npm run dist folder', function () {
  this.timeout(60000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-dist-'));
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  const version: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'control-ts/package.json'), 'utf8')).version;
  const tgz = `janus-ts-${version}.tgz`;
  /** The tarball's package folder, extracted once. */
  const unpacked = (): string => {
    const dir = path.join(out, 'unpacked');
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir);
      execFileSync('tar', ['-xzf', path.join(out, tgz), '-C', dir]);
    }
    return path.join(dir, 'package');
  };

  it('holds libjanus_ts.so, router.wasm, the jcfg, the npm tarball and a README naming where each goes', () => {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'dist.sh'), out], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (const f of ['libjanus_ts.so', 'router.wasm', 'janus.plugin.ts.jcfg', tgz, 'README.md'])
      assert.ok(fs.existsSync(path.join(out, f)), f);
    // The plugin exports Janus's entry point and no wasmtime symbols.
    const dyn = execFileSync('nm', ['-D', '--defined-only', path.join(out, 'libjanus_ts.so')], { encoding: 'utf8' });
    assert.match(dyn, / T create$/m);
    assert.doesNotMatch(dyn, / T wasmtime_/m);
    assert.deepEqual(fs.readFileSync(path.join(out, 'router.wasm')).subarray(0, 4), Buffer.from([0, 0x61, 0x73, 0x6d]));
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    for (const f of ['libjanus_ts.so', 'router.wasm', 'janus.plugin.ts.jcfg', tgz]) assert.ok(readme.includes(f), f);
    assert.match(readme, /\/usr\/lib\/x86_64-linux-gnu\/janus\/plugins/);
  });

  it('packs the runtime with its compiled code, types and example apps, and no tests or build info', () => {
    const entries = execFileSync('tar', ['-tzf', path.join(out, tgz)], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', path.join(out, tgz), 'package/package.json'], { encoding: 'utf8' }));
    assert.equal(pkg.name, 'janus-ts');
    for (const f of [pkg.main, pkg.types, pkg.bin['janus-ts'], 'dist/examples/echotest.js', 'README.md'])
      assert.ok(entries.includes(`package/${f.replace(/^\.\//, '')}`), `${f} packed`);
    // No tests of this repository and no build info (the app template's own test is part of it).
    const notOurs = entries.filter((e) => !e.startsWith('package/template/'));
    assert.deepEqual(notOurs.filter((e) => /tsbuildinfo|\.test\.|\/test\//.test(e)), []);
  });

  it('ships the Lua modules: the packed runtime runs a janus_lua script', function () {
    if (!fs.existsSync('/usr/share/janus/lua/echotest.lua')) this.skip();
    const runtime = unpacked();
    assert.ok(fs.existsSync(path.join(runtime, 'lua', 'json.lua')));
    const code = `require(${JSON.stringify(runtime)}).loadScriptApp('/usr/share/janus/lua/echotest.lua', 'lua')`
      + '.then((app) => { console.log(app.definition.name); process.exit(0); })';
    // Its dependencies (wasmoon, ...) from the repository's node_modules.
    const name = execFileSync(process.execPath, ['-e', code],
      { encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), JANUS_TS_LOG_LEVEL: 'error' } });
    assert.equal(name.trim(), 'echotest.lua');
  });

  it('ships the test kit with its router.wasm, and the app template', () => {
    const runtime = unpacked();
    for (const f of ['testing/package.json', 'router.wasm', 'template/app.ts', 'template/test/app.test.ts']) assert.ok(fs.existsSync(path.join(runtime, f)), f);
    // Its dependencies from the repository's node_modules (test/deploy/npm-tarball.test.ts installs them).
    const script = `const k = require(${JSON.stringify(path.join(runtime, 'testing'))}); console.log(k.routerWasmPath())`;
    const wasm = execFileSync(process.execPath, ['-e', script],
      { encoding: 'utf8', env: { ...process.env, JANUS_TS_ROUTER: '', NODE_PATH: path.join(REPO_ROOT, 'node_modules') } }).trim();
    assert.equal(wasm, path.join(runtime, 'router.wasm'), 'an installed package finds the router.wasm it carries');
  });
});
