// Start-up failures of the plugin in a REAL Janus (Debian 1.1.2), each with what the
// operator reads in Janus's log and what a client gets: a control socket that cannot be
// created, an unreadable app_config file, a control_socket_mode that is not octal, an
// app_command that exits at once. In every case the plugin stays loaded (listed in
// /janus/info), the supervised app is not started (or says why it stopped), and requests
// are answered with an error naming the real cause.
// Needs the private network namespace of scripts/test.sh (fixed ports).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JanusError } from '../helpers/janus';
import { TsJanus, missingTsPieces, processesWith } from '../helpers/ts-janus';

/** A harmless app_command whose process can be found by its marker if it ever runs. */
function sleeperCommand(): { command: string; marker: string } {
  const marker = `janus-ts-never-${randomBytes(4).toString('hex')}`;
  return { command: `exec ${process.execPath} -e "setInterval(() => {}, 1000)" ${marker}`, marker };
}

/** The error a client gets for a plugin message (attach works: the plugin is loaded). */
async function clientError(ts: TsJanus): Promise<JanusError> {
  const session = await ts.janus.createSession();
  try {
    const handle = await session.attach('janus.plugin.ts');
    const err = await handle.message({ request: 'ping' }).then(
      () => assert.fail('the message was answered without an error'),
      (e) => e as JanusError,
    );
    assert.ok(err instanceof JanusError, String(err));
    return err;
  } finally {
    await session.destroy();
  }
}

describe('janus: start-up failures say why (real Janus)', function () {
  this.timeout(30000);
  let ts: TsJanus | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'janus-ts-startup-'));
  before(function () {
    const missing = missingTsPieces();
    if (missing.length) {
      console.log(`    (skipped: not built yet: ${missing.join(', ')} — run npm run build)`);
      this.skip();
    }
  });
  afterEach(async () => {
    await ts?.stop();
    ts = undefined;
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('control socket in a folder that does not exist: the log says why and what to do, the app is not started, clients get the cause', async () => {
    const socket = path.join(tmp, 'missing', 'ts.sock');
    const app = sleeperCommand();
    ts = await TsJanus.start({ general: { control_socket: socket, app_command: app.command } });
    assert.ok(ts.janus.info.plugins['janus.plugin.ts'], 'the plugin stays loaded');
    const log = ts.janus.log();
    assert.ok(log.includes(`cannot create the control socket ${socket}: No such file or directory: the folder ` +
      `${path.dirname(socket)} does not exist. What to do: create it`), log);
    assert.match(log, /or set control_socket to a path in an existing folder/);
    assert.match(log, /app_command not started: there is no control socket for it to connect to/);
    assert.doesNotMatch(log, /janus-ts app: started/);
    assert.deepEqual(processesWith(app.marker), []);
    const err = await clientError(ts);
    assert.ok(err.message.includes(`janus-ts: no control app: the control socket ${socket} could not be created ` +
      `(No such file or directory: the folder ${path.dirname(socket)} does not exist)`), err.message);
    assert.doesNotMatch(err.message, /no control_socket configured/);
  });

  it('unreadable app_config file: the log names the key, the app is not started, clients get the cause', async () => {
    const config = path.join(tmp, 'no-such-app.json');
    const app = sleeperCommand();
    ts = await TsJanus.start({ general: { app_config: config, app_command: app.command } });
    const log = ts.janus.log();
    assert.ok(log.includes(`janus.plugin.ts.jcfg: app_config = "${config}" cannot be read (No such file or directory)`), log);
    assert.match(log, /app_command not started: invalid janus\.plugin\.ts\.jcfg values/);
    assert.doesNotMatch(log, /janus-ts control: listening on/);
    assert.ok(!fs.existsSync(ts.socketPath), 'no control socket was created');
    assert.deepEqual(processesWith(app.marker), []);
    const err = await clientError(ts);
    assert.ok(err.message.includes(`janus-ts: not available: janus.plugin.ts.jcfg: app_config = "${config}" cannot be read`), err.message);
  });

  it('control_socket_mode that is not octal: the log says how to write it, no socket, clients get the cause', async () => {
    const app = sleeperCommand();
    ts = await TsJanus.start({ general: { control_socket_mode: '0689', app_command: app.command } });
    const log = ts.janus.log();
    assert.match(log, /control_socket_mode = "0689" is not an octal file mode in \[0000, 7777\] \(write it like "0660"\)/);
    assert.match(log, /app_command not started/);
    assert.ok(!fs.existsSync(ts.socketPath), 'no control socket was created');
    assert.deepEqual(processesWith(app.marker), []);
    const err = await clientError(ts);
    assert.match(err.message, /janus-ts: not available: janus\.plugin\.ts\.jcfg: control_socket_mode = "0689" is not an octal file mode/);
  });

  it('app_command that exits at once: its output and exit status are logged with a hint, clients get the cause', async () => {
    ts = await TsJanus.start({ general: { app_command: 'echo "app: missing dependency" >&2; exit 3' } });
    await ts.janus.waitLog(/app_command exited with status 3 [0-9.]+ s after its start, without connecting to/, 8000);
    const log = ts.janus.log();
    assert.match(log, /\[app:stderr\] app: missing dependency/);
    assert.match(log, /check the command and its output above/);
    const err = await clientError(ts);
    // Between two restarts it reads "...exited with status 3 ...; restarting in N s", while a
    // new run has not connected yet "...runs as pid N but is not connected; its previous run exited ...".
    assert.match(err.message, /janus-ts: no control app connected \(app_command (runs as pid \d+ but is not connected; its previous run )?exited with status 3 [0-9.]+ s after its start, without connecting/);
  });
});
