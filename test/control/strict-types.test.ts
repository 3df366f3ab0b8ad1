// The runtime's public types in a user's project: a small app compiled with `strict: true`
// and no `skipLibCheck` against the built package (control-ts/dist + package.json, as
// `npm run dist` ships it), with only the package's declared `dependencies` installed next
// to it. A type the declarations need from a devDependency would be missing there.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const PKG = path.join(REPO, 'control-ts');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/** The app a Lua user would write: interface state, SDP helpers, recipients, results. */
const APP = `
import { defineApp, sdp, UnknownSession, type RecipientResult, type Session } from 'janus-ts';

interface RoomState {
  role: 'publisher' | 'subscriber' | 'none';
  feed?: Session<RoomState>;
  subscribers: Set<Session<RoomState>>;
}

export default defineApp<RoomState>({
  name: 'strict-room',
  createSession(session) {
    session.data = { role: 'none', subscribers: new Set() };
  },
  async handleMessage(session, { message, jsep }) {
    if (!jsep) return { error: 'no jsep' };
    const offer = sdp.parse(jsep.sdp);
    const audioOnly = offer.media.filter((m) => m.type === 'audio').map((m) => m.mid);
    const answer = sdp.generateAnswer(sdp.removeMLine(offer, 'video'), { audioCodec: 'opus' });
    const pushed: boolean = await session.pushEvent({ ok: true, audioOnly }, { jsep: sdp.toJsep('answer', answer) });
    return { pushed, request: String(message.request) };
  },
  async setupMedia(session) {
    const feed = session.data.feed;
    if (!feed) return;
    try {
      const routed: RecipientResult = await feed.addRecipient(session);
      const silent = routed.streams.filter((s) => !s.carries).map((s) => \`\${s.type}: \${s.reason ?? ''}\`);
      if (silent.length) session.plugin.logger.warn(silent.join(', '));
      feed.data.subscribers.add(session);
    } catch (err) {
      if (!(err instanceof UnknownSession)) throw err;
    }
  },
  async hangupMedia(session) {
    for (const sub of session.data.subscribers) {
      const removed: boolean = await session.removeRecipient(sub);
      if (!removed) session.plugin.logger.verb(\`\${sub.id} was gone\`);
    }
    const streams = session.streams.map((s) => \`\${s.mindex}:\${s.type}:\${s.mid ?? '-'}\`);
    session.plugin.logger.verb(streams.join(' '));
  },
});
`;

/** Must not compile: proves the check really type-checks the package. */
const BAD_APP = `
import { defineApp } from 'janus-ts';
export default defineApp<{ n: number }>({
  setupMedia: (session) => session.addRecipient('not a session'),
});
`;

/** The example of the README's "Write an app" (its first ts block). */
function readmeApp(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Write an app'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(m, 'README: Write an app has a ts block');
  return m[1];
}

/** A project folder with the built package installed as npm would (files + dependencies only). */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-strict-'));
  const mod = path.join(dir, 'node_modules');
  const pkgDir = path.join(mod, 'janus-ts');
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.copyFileSync(path.join(PKG, 'package.json'), path.join(pkgDir, 'package.json'));
  fs.cpSync(path.join(PKG, 'dist'), path.join(pkgDir, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.tsbuildinfo') });
  const manifest = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  // What npm installs with the package: its dependencies. The app brings its own @types/node.
  for (const dep of [...Object.keys(manifest.dependencies ?? {}), '@types/node', 'undici-types']) {
    const from = path.join(REPO, 'node_modules', dep);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(mod, dep)), { recursive: true });
    fs.symlinkSync(from, path.join(mod, dep), 'dir');
  }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, noEmit: true,
      types: ['node'], esModuleInterop: true,
    },
    include: ['*.ts'],
  }));
  return dir;
}

function tsc(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('control-ts public types in a strict user project', function () {
  this.timeout(120000);

  it('an app with interface state, SDP helpers and recipients, and the README example, compile with strict and no skipLibCheck', function () {
    if (!fs.existsSync(path.join(PKG, 'dist', 'src', 'index.d.ts'))) this.skip();
    const dir = project();
    try {
      fs.writeFileSync(path.join(dir, 'app.ts'), APP);
      fs.writeFileSync(path.join(dir, 'readme.ts'), readmeApp());
      fs.writeFileSync(path.join(dir, 'bad.ts'), BAD_APP);
      // One compiler run: the app and the package's declarations are clean, bad.ts is not.
      const { status, out } = tsc(dir);
      assert.notEqual(status, 0, 'a wrong recipient must not compile');
      const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
      assert.deepEqual(errors.filter((l) => !l.startsWith('bad.ts')), [], out);
      assert.match(out, /bad\.ts.*TS2345/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
