// Security of the plugin in a real Janus (docs/reliability.md, threat model):
//  - the control socket's folder is checked: not if other users can write it (without the
//    sticky bit) or it belongs to another user; a sticky folder such as /tmp is accepted;
//  - a peer whose uid is not allowed (SO_PEERCRED, control_allowed_uids; default Janus's own
//    uid and root) is refused even when the socket's mode lets it connect;
//  - the app cannot reach a handle it does not own (another plugin's, a detached one), and
//    parameters that would reach outside a packet or the router's tables are refused;
//  - recordings are written only under recordings_folder: `..`, absolute paths elsewhere and a
//    symlink inside that leads out are refused, with the reason;
//  - Janus's API secret and token authentication keep working in front of the plugin: a
//    request without them never reaches the app.
// (The token of the control hello is tested in test/protocol/hello.test.ts, the socket's mode in
// hello.test.ts and framing.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Janus, JanusError, jcfg, postJson, transaction } from '../helpers/janus';
import { ROUTER_WASM, TsJanus, exampleApp, skipUnlessBuilt } from '../helpers/ts-janus';
import { RawClient } from '../protocol/raw-client';
import { probe, writeProbeApp } from './helpers';
import { until } from '../helpers/wait';

const PKG = 'janus.plugin.echotest';
const NOBODY = 65534;

/** Connects to `socket` as uid `uid` and says hello; resolves with what happened. */
function helloAs(uid: number, socket: string): Promise<{ answered: boolean; closed: boolean; error?: string }> {
  const script = `
const net = require('node:net');
const s = net.createConnection(process.argv[1]);
const out = { answered: false, closed: false };
s.on('error', (e) => { out.error = e.code; });
s.on('connect', () => { const b = Buffer.from(JSON.stringify({ id: 1, method: 'hello', params: { protocol: 1 } })); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); s.write(Buffer.concat([h, b])); });
s.on('data', () => { out.answered = true; s.end(); });
s.on('close', () => { out.closed = true; process.stdout.write(JSON.stringify(out)); process.exit(0); });
setTimeout(() => { process.stdout.write(JSON.stringify(out)); process.exit(0); }, 3000);
`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, socket], { uid, gid: uid, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', () => resolve(JSON.parse(out || '{}')));
  });
}

describe('reliability: security of the plugin in a real Janus', function () {
  this.timeout(60000);
  const cleanups: (() => Promise<void> | void)[] = [];
  before(function () {
    skipUnlessBuilt(this, exampleApp('echotest'));
    if (process.getuid?.() !== 0) {
      console.log('    (skipped: needs root, to act as another user)');
      this.skip();
    }
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A folder for the control socket, with `mode` and owner `uid`. */
  function socketFolder(mode: number, uid = 0): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-sec-'));
    fs.chmodSync(dir, mode);
    fs.chownSync(dir, uid, uid);
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  async function janusWithSocket(socket: string, more: Record<string, string | number | boolean> = {}): Promise<Janus> {
    const janus = await Janus.start({ plugins: ['ts'], tsJcfg: jcfg({ general: { router: ROUTER_WASM, control_socket: socket, ...more } }) });
    cleanups.push(() => janus.stop());
    return janus;
  }

  for (const [what, mode, uid, reason] of [
    ['writable by other users', 0o777, 0, /can be written by other users and has no sticky bit/],
    ['writable by its group', 0o770, 0, /can be written by other users and has no sticky bit/],
    ['owned by another user', 0o755, NOBODY, /belongs to uid 65534, neither Janus's user \(uid 0\) nor root/],
  ] as const) {
    it(`refuses to create the control socket in a folder ${what}; the log and the clients say why`, async () => {
      const socket = path.join(socketFolder(mode, uid), 'ts.sock');
      const janus = await janusWithSocket(socket);
      await janus.waitLog(/cannot create the control socket/, 5000);
      assert.match(janus.log(), reason);
      assert.equal(fs.existsSync(socket), false);
      const s = await janus.createSession();
      const h = await s.attach('janus.plugin.ts');
      await assert.rejects(h.message({ hi: 1 }), (e: unknown) => e instanceof JanusError && reason.test(e.message));
      await s.destroy();
    });
  }

  it('accepts a sticky folder writable by all (like /tmp), and creates the socket 0600', async () => {
    const socket = path.join(socketFolder(0o1777), 'ts.sock');
    await janusWithSocket(socket);
    await until(() => fs.existsSync(socket), 'the control socket', 10000);
    assert.equal(fs.statSync(socket).mode & 0o777, 0o600);
  });

  it('refuses a peer whose uid is not allowed (SO_PEERCRED), even when the socket mode lets it in', async () => {
    const socket = path.join(socketFolder(0o755), 'ts.sock');
    const janus = await janusWithSocket(socket, { control_socket_mode: '0666' });
    await until(() => fs.existsSync(socket), 'the control socket', 10000);
    const r = await helloAs(NOBODY, socket);
    assert.deepEqual({ answered: r.answered, closed: r.closed }, { answered: false, closed: true }, JSON.stringify(r));
    await janus.waitLog(/refused a connection from uid 65534 \(pid \d+\): not an allowed user/, 3000);
    const root = await RawClient.connect(socket);
    const hello = await root.hello();
    assert.equal(hello.error, undefined, 'Janus\'s own user (root here) is allowed');
    const stats = await root.ok('stats');
    assert.equal(stats.control.refusedPeers, 1);
    await root.close();
  });

  it('lets in the users control_allowed_uids names (by number or name), and only those', async () => {
    const socket = path.join(socketFolder(0o755), 'ts.sock');
    const janus = await janusWithSocket(socket, { control_socket_mode: '0666', control_allowed_uids: 'nobody' });
    await until(() => fs.existsSync(socket), 'the control socket', 10000);
    assert.equal((await helloAs(NOBODY, socket)).answered, true, 'nobody (65534) is allowed');
    const root = await RawClient.connect(socket);
    assert.ok(await root.closesWithin(2000), 'root is not in the list: refused');
    await janus.waitLog(/refused a connection from uid 0/, 3000);
  });

  it('the app reaches only its own sessions, and nothing outside a packet or the tables', async () => {
    // Janus's native EchoTest runs next to ours (janus.plugin.ts): its handles are not the app's.
    const ts = await TsJanus.start({ plugins: ['echotest'], waitApp: false });
    cleanups.push(() => ts.stop());
    const app = await RawClient.connect(ts.socketPath);
    await app.hello();
    const js = await ts.janus.createSession();
    cleanups.push(() => js.destroy());
    const mine = await js.attach('janus.plugin.ts');
    const id = (await app.waitFor((f) => f.event === 'createSession')).params.id as number;
    const gone = await js.attach('janus.plugin.ts');
    const goneId = (await app.waitFor((f) => f.event === 'createSession')).params.id as number;
    await gone.detach();
    const native = await js.attach('janus.plugin.echotest');
    const low32 = (n: number) => (n % 2 ** 32) || 1;
    const rtp = Buffer.alloc(40, 1).toString('base64');
    const calls: [string, Record<string, unknown>, RegExp][] = [
      // Janus's own ids (its session, our handle, the native plugin's handle) are not session ids.
      ['sessionInfo', { id: low32(mine.id) }, /UnknownSession/],
      ['sessionInfo', { id: low32(js.id) }, /UnknownSession/],
      ['pushEvent', { id: low32(native.id), event: { hijack: true } }, /^false$/],
      ['closePc', { id: low32(native.id) }, /^false$/],
      ['sessionInfo', { id: goneId }, /UnknownSession/],
      ['relayRtp', { id: goneId, video: false, data: rtp }, /^false$/],
      ['relayRtp', { id, video: false, mindex: 16, data: rtp }, /BadArguments: mindex: 16 is out of range \[0, 15\]/],
      ['relayRtp', { id, video: false, mindex: -2, data: rtp }, /BadArguments: mindex/],
      ['relayRtp', { id, video: false, data: Buffer.alloc(70000).toString('base64') }, /BadArguments: data: 70000 bytes/],
      ['relayRtp', { id, video: false, data: 'AAAA' }, /BadArguments: data: 3 bytes; an RTP packet has 12/],
      ['relayRtcp', { id, video: false, data: 'AA' }, /BadArguments: data: 1 bytes; an RTCP packet has 4/],
      ['addRoute', { id, mindex: 255, recipient: id, recipientMindex: 0 }, /BadArguments|Duplicate/],
      ['addRoute', { id, mindex: 256, recipient: id, recipientMindex: 0 }, /BadArguments: mindex: 256 is out of range/],
      ['addRoute', { id, mindex: 0, recipient: goneId, recipientMindex: 0 }, /UnknownSession/],
      ['addRoute', { id, mindex: 0, recipient: 2 ** 32, recipientMindex: 0 }, /BadArguments: recipient/],
      ['sendPli', { id, mindex: 300 }, /BadArguments/],
      ['pushEvent', { id: goneId, event: {} }, /^false$/],
      ['closePc', { id: goneId }, /^false$/],
    ];
    for (const [method, params, expect] of calls) {
      const f = await app.call(method, params);
      const got = f.error !== undefined ? `${f.error}: ${f.reason}` : JSON.stringify(f.result);
      assert.match(got, expect, `${method} ${JSON.stringify(params).slice(0, 80)} → ${got}`);
    }
    assert.ok(ts.janus.running);
    await app.close();
  });

  it('writes recordings only under recordings_folder', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-rec-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-outside-'));
    cleanups.push(() => { fs.rmSync(base, { recursive: true, force: true }); fs.rmSync(outside, { recursive: true, force: true }); });
    fs.symlinkSync(outside, path.join(base, 'escape'));
    fs.symlinkSync(path.join(outside, 'target.mjr'), path.join(base, 'link.mjr'));
    const ts = await TsJanus.start({ package: PKG, waitApp: false, general: { recordings_folder: base } });
    cleanups.push(() => ts.stop());
    const app = await RawClient.connect(ts.socketPath);
    await app.hello();
    const js = await ts.janus.createSession();
    cleanups.push(() => js.destroy());
    await js.attach(PKG);
    const id = (await app.waitFor((f) => f.event === 'createSession')).params.id as number;
    const record = async (folder: string | undefined, filename: string) => {
      const f = await app.call('startRecording', { id, medium: 'audio', codec: 'opus', filename, ...(folder ? { folder } : {}) });
      if (f.error === undefined) await app.ok('stopRecording', { id });
      return f.error === undefined ? 'ok' : `${f.error}: ${f.reason}`;
    };
    const refused = [
      [undefined, '../../etc/janus-ts-evil'], [undefined, `${outside}/x`], ['/etc', 'x'], ['..', 'x'],
      ['sub/../../..', 'x'], [undefined, 'escape/x'], ['escape', 'x'], [undefined, 'link'],
    ] as const;
    for (const [folder, filename] of refused) {
      assert.match(await record(folder, filename), /BadArguments: recording refused: .*(outside the recordings folder|not a regular file)/,
        `folder ${folder} filename ${filename}`);
    }
    for (const [folder, filename] of [[undefined, 'a'], [undefined, `${base}/b`], ['sub/dir', 'c'], [base, 'd'], [undefined, 'x/../e']] as const) {
      assert.equal(await record(folder, filename), 'ok', `folder ${folder} filename ${filename}`);
    }
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]);
    assert.deepEqual(files(outside), [], 'nothing was written outside');
    assert.deepEqual(files(base).filter((f) => f.endsWith('.mjr') && f !== 'link.mjr').sort(),
      ['a.mjr', 'b.mjr', 'd.mjr', 'e.mjr', path.join('sub', 'dir', 'c.mjr')].sort());
    assert.ok(!fs.existsSync('/etc/janus-ts-evil.mjr'));
    await app.close();
  });

  /** A Janus with the probe app and these janus.jcfg keys; raw Janus API calls. */
  async function guarded(general: Record<string, string | boolean>) {
    const app = writeProbeApp();
    cleanups.push(() => fs.rmSync(path.dirname(app), { recursive: true, force: true }));
    const ts = await TsJanus.start({ app, package: PKG, janus: { general } });
    cleanups.push(() => ts.stop());
    const call = (where: string, body: Record<string, unknown>) => postJson(ts.janus.httpUrl + where, { transaction: transaction(), ...body });
    const messages = async () => (await probe(ts.janus, PKG)).messages;
    return { ts, call, messages };
  }

  it('Janus\'s api_secret keeps working in front of the plugin: a request without it never reaches the app', async () => {
    const { call, messages } = await guarded({ api_secret: 's3cret' });
    for (const body of [{}, { apisecret: 'wrong' }]) {
      const r = await call('', { janus: 'create', ...body });
      assert.equal(r.error?.code, 403, JSON.stringify(r));
    }
    const session = (await call('', { janus: 'create', apisecret: 's3cret' })).data.id;
    const handle = (await call(`/${session}`, { janus: 'attach', plugin: PKG, apisecret: 's3cret' })).data.id;
    const before = await messages();
    for (const body of [{}, { apisecret: 'wrong' }]) {
      const r = await call(`/${session}/${handle}`, { janus: 'message', body: { video: true }, ...body });
      assert.equal(r.error?.code, 403, JSON.stringify(r));
    }
    assert.equal(await messages(), before, 'no request without the secret reached the app');
    assert.equal((await call(`/${session}/${handle}`, { janus: 'message', body: { video: true }, apisecret: 's3cret' })).janus, 'ack');
    await until(async () => await messages() > before, 'the request reaches the app', 10000).catch(() => undefined);
    assert.equal(await messages(), before + 1, 'the authorized request reached the app');
    await call(`/${session}`, { janus: 'destroy', apisecret: 's3cret' });
  });

  it('Janus\'s token_auth keeps working in front of the plugin, including the per-plugin token rights', async () => {
    const { ts, call, messages } = await guarded({ token_auth: true });
    await ts.janus.admin({ janus: 'add_token', token: 'good', plugins: [PKG] });
    await ts.janus.admin({ janus: 'add_token', token: 'elsewhere', plugins: ['janus.plugin.videoroom'] });
    for (const body of [{}, { token: 'bad' }]) {
      const r = await call('', { janus: 'create', ...body });
      assert.equal(r.error?.code, 403, JSON.stringify(r));
    }
    // A token that does not give this plugin cannot attach to it.
    const other = (await call('', { janus: 'create', token: 'elsewhere' })).data.id;
    const refused = await call(`/${other}`, { janus: 'attach', plugin: PKG, token: 'elsewhere' });
    assert.equal(refused.error?.code, 405, JSON.stringify(refused));
    const session = (await call('', { janus: 'create', token: 'good' })).data.id;
    const handle = (await call(`/${session}`, { janus: 'attach', plugin: PKG, token: 'good' })).data.id;
    const before = await messages();
    // (Janus checks a token's plugin rights when attaching only: a message to a handle that
    // exists is let through with any valid token, e.g. 'elsewhere'. That is Janus's rule.)
    for (const body of [{}, { token: 'bad' }]) {
      const r = await call(`/${session}/${handle}`, { janus: 'message', body: { video: true }, ...body });
      assert.equal(r.error?.code, 403, `message with ${JSON.stringify(body)}: ${JSON.stringify(r)}`);
    }
    assert.equal(await messages(), before, 'no request without a valid token reached the app');
    assert.equal((await call(`/${session}/${handle}`, { janus: 'message', body: { video: true }, token: 'good' })).janus, 'ack');
    await until(async () => await messages() > before, 'the request reaches the app', 10000).catch(() => undefined);
    assert.equal(await messages(), before + 1);
    await call(`/${session}`, { janus: 'destroy', token: 'good' });
    await call(`/${other}`, { janus: 'destroy', token: 'elsewhere' });
  });
});
