// The janus-ts npm tarball (`npm run dist` writes dist/janus-ts-<version>.tgz) installed
// as an app developer would: `npm install ./janus-ts-<version>.tgz` into an empty folder
// outside the repository, its dependencies from the public npm registry (fresh npm cache,
// no access to the repository's node_modules), then the app compiled with the package's
// types and run with `npx janus-ts run app.js` against a real Janus with our plugin.
// Skipped with a message when the registry cannot be reached (offline machine).
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/janus';
import { TsJanus, missingTsPieces } from '../helpers/ts-janus';
import { isNetworkFailure, runOutsideNetns } from './outside-netns';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'control-ts/package.json'), 'utf8')).version;
const TGZ = `janus-ts-${VERSION}.tgz`;

/** A TypeScript app using the package's types: a sync reply carrying an SDP helper's result. */
const APP_TS = `import { defineApp, sdp, type Session } from 'janus-ts';

const offer = 'v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n';

export default defineApp({
  name: 'tarball-app',
  handleMessage(session: Session, { message }) {
    if (message.request === 'ping') return { pong: true, id: session.id, sdpVersion: sdp.parse(offer).version };
    throw new Error('unknown request');
  },
});
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, types: ['node'] },
  files: ['app.ts'],
};

describe('deploy: npm tarball installs anywhere with its dependencies and types', function () {
  this.timeout(240000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-tgz-'));
  const appDir = path.join(tmp, 'app');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_PATH; // nothing but the app folder's node_modules
  let ts: TsJanus | undefined;
  let app: ChildProcess | undefined;

  before(function () {
    if (missingTsPieces().length) {
      console.log(`    (skipped: not built: ${missingTsPieces().join(', ')})`);
      this.skip();
    }
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts/dist.sh'), path.join(tmp, 'dist')], { stdio: ['ignore', 'ignore', 'inherit'] });
    fs.mkdirSync(appDir);
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'tarball-app', private: true }));
    // Exact versions the repository pins for its own TypeScript build.
    const rootPkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const install = runOutsideNetns('npm', ['install', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache'),
      path.join(tmp, 'dist', TGZ), `typescript@${rootPkg.devDependencies.typescript}`, `@types/node@${rootPkg.devDependencies['@types/node']}`],
      { cwd: appDir, env, timeout: 200000 });
    const output = `${install.stdout ?? ''}${install.stderr ?? ''}`;
    if (install.status !== 0 && isNetworkFailure(output)) {
      console.log(`    (skipped: the npm registry cannot be reached from here:\n${output.split('\n').slice(0, 3).join('\n')})`);
      this.skip();
    }
    assert.equal(install.status, 0, `npm install failed:\n${output}`);
  });

  after(async () => {
    if (app && app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((r) => app!.once('exit', r));
      process.kill(-app.pid!, 'SIGTERM');	// npx and the node it started: the whole group
      await exited;
    }
    await ts?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('installs janus-ts with its dependencies from the registry, without tests or build info', () => {
    const pkgDir = path.join(appDir, 'node_modules', 'janus-ts');
    assert.ok(!fs.lstatSync(pkgDir).isSymbolicLink(), 'a copy, not a link to the repository');
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    assert.equal(pkg.version, VERSION);
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      assert.ok(fs.existsSync(path.join(appDir, 'node_modules', dep, 'package.json')), `dependency ${dep} installed`);
    // No tests of this repository and no build info (the app template's own test is part of it).
    const all = fs.readdirSync(pkgDir, { recursive: true }).map(String).filter((f) => !f.startsWith('template/'));
    assert.deepEqual(all.filter((f) => /tsbuildinfo|\.test\.|(^|\/)test\//.test(f)), []);
    assert.ok(fs.existsSync(path.join(pkgDir, pkg.types)), `types ${pkg.types}`);
    assert.ok(fs.existsSync(path.join(appDir, 'node_modules', '.bin', 'janus-ts')), 'the janus-ts command');
  });

  it('compiles a TypeScript app against the package\'s types (strict)', () => {
    fs.writeFileSync(path.join(appDir, 'app.ts'), APP_TS);
    fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = runOutsideNetns(process.execPath, [path.join(appDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: appDir, env });
    assert.equal(tsc.status, 0, `tsc:\n${tsc.stdout}${tsc.stderr}`);
    assert.ok(fs.existsSync(path.join(appDir, 'app.js')));
  });

  it('the app template inside it installs from the tarball and its test passes', () => {
    const templateDir = path.join(tmp, 'my-app');
    fs.cpSync(path.join(appDir, 'node_modules', 'janus-ts', 'template'), templateDir, { recursive: true });
    const install = runOutsideNetns('npm', ['install', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache'),
      path.join(tmp, 'dist', TGZ)], { cwd: templateDir, env, timeout: 200000 });
    assert.equal(install.status, 0, `npm install in the template:\n${install.stdout}${install.stderr}`);
    for (const script of ['test', 'typecheck']) {
      const run = runOutsideNetns('npm', ['run', script], { cwd: templateDir, env, timeout: 120000 });
      assert.equal(run.status, 0, `npm run ${script} in the template:\n${run.stdout}${run.stderr}`);
    }
  });

  it('runs the app with npx janus-ts run app.js against a real Janus, and it answers a client', async () => {
    ts = await TsJanus.start({});
    let out = '';
    app = spawn('npx', ['janus-ts', 'run', 'app.js', '--socket', ts.socketPath], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    app.stdout!.on('data', (d) => (out += d));
    app.stderr!.on('data', (d) => (out += d));
    await ts.waitApp(15000).catch((e) => { throw new Error(`${e.message}\napp output:\n${out}`); });
    assert.match(ts.janus.log(), /app 'tarball-app' connected/);
    const session = await ts.janus.createSession();
    try {
      const handle = await session.attach('janus.plugin.ts');
      const { data } = await handle.send({ request: 'ping' });
      assert.equal(data.pong, true);
      assert.equal(data.sdpVersion, 0, 'sdp.parse (the sdp-transform dependency) worked');
    } finally {
      await session.destroy();
    }
  });
});
