// scripts/dist.sh: the deployable folder has the plugin, the router, the sample jcfg and
// a requireable runtime, and its README says where each goes.
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

  it('holds libjanus_ts.so, router.wasm, the jcfg, runtime/ and a README naming where each goes', () => {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'dist.sh'), out], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (const f of ['libjanus_ts.so', 'router.wasm', 'janus.plugin.ts.jcfg', 'runtime/package.json', 'README.md'])
      assert.ok(fs.existsSync(path.join(out, f)), f);
    // The plugin exports Janus's entry point and no wasmtime symbols.
    const dyn = execFileSync('nm', ['-D', '--defined-only', path.join(out, 'libjanus_ts.so')], { encoding: 'utf8' });
    assert.match(dyn, / T create$/m);
    assert.doesNotMatch(dyn, / T wasmtime_/m);
    assert.deepEqual(fs.readFileSync(path.join(out, 'router.wasm')).subarray(0, 4), Buffer.from([0, 0x61, 0x73, 0x6d]));
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    for (const f of ['libjanus_ts.so', 'router.wasm', 'janus.plugin.ts.jcfg', 'runtime/']) assert.ok(readme.includes(f), f);
    assert.match(readme, /\/usr\/lib\/x86_64-linux-gnu\/janus\/plugins/);
  });

  it('ships a runtime package that loads from its folder', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'runtime', 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'janus-ts');
    assert.ok(fs.existsSync(path.join(out, 'runtime', pkg.main)), pkg.main);
    // Loads with the repository's node_modules on the path (its dependencies, sdp-transform and wasmoon).
    const keys = execFileSync(process.execPath, ['-e', `console.log(Object.keys(require(${JSON.stringify(path.join(out, 'runtime'))})).length)`],
      { encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') } });
    assert.ok(Number(keys) > 0);
  });

  it('ships the Lua modules: the runtime runs a janus_lua script from its folder', function () {
    if (!fs.existsSync('/usr/share/janus/lua/echotest.lua')) this.skip();
    assert.ok(fs.existsSync(path.join(out, 'runtime', 'lua', 'json.lua')));
    const code = `require(${JSON.stringify(path.join(out, 'runtime'))}).loadScriptApp('/usr/share/janus/lua/echotest.lua', 'lua')`
      + '.then((app) => { console.log(app.definition.name); process.exit(0); })';
    const name = execFileSync(process.execPath, ['-e', code],
      { encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), JANUS_TS_LOG_LEVEL: 'error' } });
    assert.equal(name.trim(), 'echotest.lua');
  });

  it('ships the test kit with its router.wasm, and the app template', () => {
    const runtime = path.join(out, 'runtime');
    for (const f of ['testing/package.json', 'router.wasm', 'template/app.ts', 'template/test/app.test.ts']) assert.ok(fs.existsSync(path.join(runtime, f)), f);
    const script = `const k = require(${JSON.stringify(path.join(runtime, 'testing'))}); console.log(k.routerWasmPath())`;
    const wasm = execFileSync(process.execPath, ['-e', script],
      { encoding: 'utf8', env: { ...process.env, JANUS_TS_ROUTER: '', NODE_PATH: path.join(REPO_ROOT, 'node_modules') } }).trim();
    assert.equal(wasm, path.join(runtime, 'router.wasm'), 'an installed package finds the router.wasm it carries');
  });
});
