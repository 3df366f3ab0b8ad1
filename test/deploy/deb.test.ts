// The Debian package (scripts/deb.sh, `npm run deb`) in the machine's REAL root, as an
// operator of Debian's Janus uses it: dpkg -i, a real Janus on a copy of Debian's own
// full /etc/janus (the README's two edits: app_command, admin_http) loading the installed
// plugin next to the stock ones, a werift echo through janus.plugin.ts with the installed
// example app, the Admin API, an upgrade that keeps the operator's edit, dpkg -r leaving
// none of its files, dpkg --purge removing the config.
// systemd does not run here: the test creates the folder the drop-in's RuntimeDirectory=
// names (what systemd would do for janus.service) and removes it afterwards.
// Shares the root with every other test: one run at a time (flock), a leftover install
// from a crashed run is purged first, and the after-hook purges whatever happens.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCall, endCall, EchoCall } from '../e2e/echotest-scenarios';
import { Janus, REPO_ROOT } from '../helpers/janus';
import { APP_CONNECTED, missingTsPieces } from '../helpers/ts-janus';
import { debField, dpkg, dpkgUnavailable, exists, machineLock, packageFiles, packageStatus, packageVersion, purgeIfPresent } from './dpkg';
import { sleep } from '../helpers/wait';

const PKG = 'janus-ts';
const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'control-ts/package.json'), 'utf8')).version;
const UPGRADE_VERSION = `${VERSION}+upgradetest1`;
const CONFFILE = '/etc/janus/janus.plugin.ts.jcfg';
const DROPIN = '/usr/lib/systemd/system/janus.service.d/janus-ts.conf';
/** The README's app_command for the installed example app. */
const APP_COMMAND = 'app_command = "exec janus-ts run /usr/share/janus-ts/examples/echotest.js"';
/** Put in the /run folder this test makes, so a later run can tell a leftover of ours. */
const RUN_DIR_MARKER = '.made-by-janus-ts-deb-test';

/** Removes `dir` if an earlier, crashed run of this test made it and nothing else uses it. */
function removeOurLeftoverRunDir(dir: string): void {
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (entries.includes(RUN_DIR_MARKER) && entries.every((e) => e === RUN_DIR_MARKER || e === 'ts.sock')) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function buildDeb(out: string, version?: string): string {
  const env = { ...process.env, ...(version ? { JANUS_TS_DEB_VERSION: version } : {}) };
  const printed = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/deb.sh'), out], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const deb = printed.trim().split('\n').pop()!;
  assert.ok(fs.existsSync(deb), `deb.sh printed ${deb}`);
  return deb;
}

/** Debian's /etc/janus as installed, copied, with the README's edits for this test. */
function debianConfigCopy(dir: string): void {
  fs.cpSync('/etc/janus', dir, { recursive: true });
  const edit = (file: string, from: RegExp, to: string) => {
    const p = path.join(dir, file);
    const text = fs.readFileSync(p, 'utf8');
    assert.match(text, from, `${file} has ${from}`);
    fs.writeFileSync(p, text.replace(from, to));
  };
  edit('janus.plugin.ts.jcfg', /^\t#app_command = .*$/m, `\t${APP_COMMAND}`);
  edit('janus.transport.http.jcfg', /admin_http = (false|true)/, 'admin_http = true');
  // Keeps the nanomsg transport's IPC socket (Debian: ipc:///tmp/janus.ipc) out of the shared /tmp.
  edit('janus.transport.nanomsg.jcfg', /address = "[^"]*"/, `address = "ipc://${dir}/janus.ipc"`);
}

describe('deploy: Debian package in the real root (dpkg -i, Janus, echo, upgrade, dpkg -r)', function () {
  this.timeout(300000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-deb-'));
  let lock: { release(): void } | undefined;
  let deb = '';
  let upgradeDeb = '';
  let janus: Janus | undefined;
  let call: EchoCall | undefined;
  let madeRunDir = '';

  before(async function () {
    const why = dpkgUnavailable() || (missingTsPieces().length ? `not built: ${missingTsPieces().join(', ')}` : '');
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    lock = await machineLock('/run/lock/janus-ts-deb-test.lock', 150000);
    if (await purgeIfPresent(PKG)) console.log('    (purged a janus-ts left installed by an earlier run)');
    removeOurLeftoverRunDir('/run/janus');
    deb = buildDeb(path.join(tmp, 'deb'));
    upgradeDeb = buildDeb(path.join(tmp, 'deb-upgrade'), UPGRADE_VERSION);
  });

  after(async () => {
    await endCall(call).catch(() => undefined);
    await janus?.stop();
    if (madeRunDir) fs.rmSync(madeRunDir, { recursive: true, force: true });
    try {
      if (lock) await purgeIfPresent(PKG);
    } finally {
      lock?.release();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('is a proper package: name, version from package.json, depends on janus (>= 1.1) and nodejs, conffile', () => {
    assert.equal(debField(deb, 'Package'), PKG);
    assert.equal(debField(deb, 'Version'), VERSION);
    assert.equal(debField(deb, 'Architecture'), execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim());
    const depends = debField(deb, 'Depends');
    assert.match(depends, /(^|, )janus \(>= 1\.1\)(,|$)/);
    assert.match(depends, /(^|, )nodejs( \([^)]*\))?(,|$)/);
    const conffiles = execFileSync('sh', ['-c', `dpkg-deb --ctrl-tarfile "${deb}" | tar -xOf - ./conffiles`], { encoding: 'utf8' });
    assert.equal(conffiles.trim(), CONFFILE);
  });

  it('installs the plugin, router, conffile, runtime with its dependencies, examples, CLI, drop-in and man page', async () => {
    await dpkg(['-i', deb]);
    assert.equal(packageVersion(PKG), VERSION);
    const files = await packageFiles(PKG);
    const plugin = files.find((f) => f.endsWith('/janus/plugins/libjanus_ts.so'));
    assert.ok(plugin && fs.existsSync(plugin), 'the plugin is in Janus\'s plugins folder');
    assert.equal(path.dirname(plugin), path.dirname(execFileSync('sh', ['-c', 'dpkg -L janus | grep -m1 libjanus_echotest'], { encoding: 'utf8' }).trim()));
    assert.deepEqual(fs.readFileSync('/usr/share/janus-ts/router.wasm').subarray(0, 4), Buffer.from([0, 0x61, 0x73, 0x6d]));
    // The conffile's socket is in the folder the drop-in has systemd create.
    const socket = fs.readFileSync(CONFFILE, 'utf8').match(/^\tcontrol_socket = "([^"]+)"/m)?.[1];
    assert.equal(socket, '/run/janus/ts.sock');
    const dropin = fs.readFileSync(DROPIN, 'utf8');
    assert.match(dropin, /^\[Service\]$/m);
    assert.equal(dropin.match(/^RuntimeDirectory=(.+)$/m)?.[1], 'janus', 'RuntimeDirectory=janus makes /run/janus');
    // The CLI is on PATH, has a --help and a man page.
    const help = execFileSync('janus-ts', ['--help'], { encoding: 'utf8' });
    assert.match(help, /usage: janus-ts run </);
    const man = execFileSync('sh', ['-c', 'gzip -dc /usr/share/man/man1/janus-ts.1.gz'], { encoding: 'utf8' });
    assert.match(man, /^\.TH JANUS-TS 1 /m);
    assert.match(man, /usage|janus-ts run/);
    // require('janus-ts') from an app folder through NODE_PATH (what /usr/bin/janus-ts sets
    // for the apps it runs), with its own dependency (the SDP helpers use sdp-transform).
    const appDir = fs.mkdtempSync(path.join(tmp, 'app-'));
    const probe = "const t = require('janus-ts'); console.log(typeof t.defineApp, typeof t.sdp.parse, require.resolve('janus-ts'));";
    const env = { ...process.env, NODE_PATH: '/usr/share/janus-ts/node_modules' };
    const out = execFileSync(process.execPath, ['-e', probe], { cwd: appDir, env, encoding: 'utf8' });
    assert.equal(out.trim(), 'function function /usr/share/janus-ts/node_modules/janus-ts/dist/src/index.js');
    // Its janus_lua layer (wasmoon, the Lua modules) loads Debian's own echotest.lua.
    if (fs.existsSync('/usr/share/janus/lua/echotest.lua')) {
      const lua = "require('janus-ts').loadScriptApp('/usr/share/janus/lua/echotest.lua', 'lua')"
        + '.then((app) => { console.log(app.definition.name); process.exit(0); })';
      const name = execFileSync(process.execPath, ['-e', lua], { cwd: appDir, env: { ...env, JANUS_TS_LOG_LEVEL: 'error' }, encoding: 'utf8' });
      assert.equal(name.trim(), 'echotest.lua');
    }
    const examples = fs.readdirSync('/usr/share/janus-ts/examples').filter((f) => f.endsWith('.js'));
    assert.ok(examples.includes('echotest.js'), `examples: ${examples}`);
  });

  it('runs in a real Janus on Debian\'s full configuration: loads next to the stock plugins, echoes a werift call through janus.plugin.ts with the installed echotest app, shows the router in the Admin API', async () => {
    assert.equal(packageVersion(PKG), VERSION, 'installed by the previous test');
    const confDir = path.join(tmp, 'etc-janus');
    debianConfigCopy(confDir);
    // What systemd does for janus.service with the drop-in.
    const runDir = `/run/${fs.readFileSync(DROPIN, 'utf8').match(/^RuntimeDirectory=(.+)$/m)![1]}`;
    if (!fs.existsSync(runDir)) {
      fs.mkdirSync(runDir, { mode: 0o755 });
      fs.writeFileSync(path.join(runDir, RUN_DIR_MARKER), '');
      madeRunDir = runDir;
    }
    janus = await Janus.start({ dir: confDir, prepared: true, startTimeoutMs: 30000 });
    const plugins = Object.keys(janus.info.plugins);
    assert.ok(plugins.includes('janus.plugin.ts'), `plugins: ${plugins}`);
    // libjanus_X.so, .so.1 and .so.1.1.2 are one plugin.
    const stock = execFileSync('sh', ['-c', 'dpkg -L janus | grep "/janus/plugins/libjanus_" | sed "s/\\.so.*//" | sort -u | wc -l'],
      { encoding: 'utf8' }).trim();
    assert.equal(plugins.length, Number(stock) + 1, `our plugin next to the ${stock} stock ones: ${plugins}`);
    await janus.waitLog(APP_CONNECTED, 15000);
    assert.match(janus.log(), /janus-ts control: listening on \/run\/janus\/ts\.sock/);

    call = await startCall(janus, 'janus.plugin.ts');
    const { peer, session, handle } = call;
    peer.startSending({ audioPps: 50, videoPps: 30 });
    await sleep(2000);
    peer.stopSending();
    await sleep(500);
    for (const kind of ['audio', 'video'] as const) {
      const echoed = peer.echoed(kind);
      for (const e of echoed) assert.ok(e.payload.equals(peer.sent[kind][e.counter]), `${kind} ${e.counter} changed`);
      const distinct = new Set(echoed.map((e) => e.counter)).size;
      assert.ok(peer.sent[kind].length >= 20 && distinct >= peer.sent[kind].length - 3,
        `${kind}: ${distinct} of ${peer.sent[kind].length} packets came back`);
    }
    // Admin API (admin_http turned on as the README says): the router's counters of this handle.
    const info = await janus.admin({ janus: 'handle_info' }, `/${session.id}/${handle.id}`);
    assert.equal(info.info.plugin, 'janus.plugin.ts');
    const router = info.info.plugin_specific.router;
    assert.ok(router.stats.rtpIn >= peer.sent.audio.length, `router counted ${router.stats.rtpIn} RTP packets in`);
    assert.deepEqual(router.valves.audio, { in: true, out: true });

    await endCall(call);
    call = undefined;
    await janus.stop();
    assert.equal(await janus.exited(), 0, 'Janus exits cleanly with the plugin and its app');
    assert.match(fs.readFileSync(janus.logFile, 'utf8'), /JANUS TypeScript plugin destroyed/);
    assert.ok(!exists('/run/janus/ts.sock'), 'the plugin removed its socket');
    janus = undefined;
  });

  it('upgrades with dpkg -i and keeps the operator\'s edit of the conffile', async () => {
    const edited = fs.readFileSync(CONFFILE, 'utf8').replace(/^\t#app_command = .*$/m, `\t${APP_COMMAND}`);
    assert.notEqual(edited, fs.readFileSync(CONFFILE, 'utf8'));
    fs.writeFileSync(CONFFILE, edited);
    await dpkg(['--force-confdef', '--force-confold', '-i', upgradeDeb]);
    assert.equal(packageVersion(PKG), UPGRADE_VERSION);
    assert.equal(fs.readFileSync(CONFFILE, 'utf8'), edited, 'the edit survived the upgrade');
    assert.deepEqual(fs.readdirSync('/etc/janus').filter((f) => f.startsWith('janus.plugin.ts.jcfg.')), [], 'no .dpkg-dist/.dpkg-new left');
  });

  it('dpkg -r removes every file it installed but the conffile; dpkg --purge removes the conffile', async () => {
    const files = await packageFiles(PKG);
    assert.ok(files.length > 20, `${files.length} paths installed`);
    await dpkg(['-r', PKG]);
    assert.match(packageStatus(PKG), /config-files/);
    // Every path it installed is gone, but the conffile and folders other packages own too.
    const left = files.filter((f) => f !== CONFFILE && exists(f) && !(fs.lstatSync(f).isDirectory() && otherPackageOwns(f)));
    assert.deepEqual(left, [], 'left behind by dpkg -r');
    for (const dir of ['/usr/share/janus-ts', '/usr/share/doc/janus-ts', path.dirname(DROPIN)]) assert.ok(!exists(dir), `${dir} removed`);
    assert.ok(exists(CONFFILE), 'dpkg -r keeps the conffile');
    await dpkg(['--purge', PKG]);
    assert.ok(!exists(CONFFILE), 'dpkg --purge removes the conffile');
    assert.doesNotMatch(packageStatus(PKG), /ok (installed|config-files|half)/);
  });
});

/** Whether a directory also belongs to another package (e.g. /usr/bin, /etc/janus). */
function otherPackageOwns(dir: string): boolean {
  return spawnSync('dpkg-query', ['-S', dir], { encoding: 'utf8' }).status === 0;
}
