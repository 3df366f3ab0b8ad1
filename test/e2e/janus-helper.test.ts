// The Janus test helper itself, against Janus's native echotest plugin: start, /info,
// session + attach + message, admin API, stop.
import assert from 'node:assert/strict';
import { Janus, JanusError } from '../helpers/janus';

describe('e2e: Janus helper (native echotest)', function () {
  this.timeout(20000);
  let janus: Janus;

  before(async () => {
    janus = await Janus.start({ plugins: ['echotest'] });
  });
  after(async () => {
    await janus?.stop();
  });

  it('starts Janus with only the named plugin and reads /info', () => {
    assert.ok(janus.running);
    assert.deepEqual(Object.keys(janus.info.plugins), ['janus.plugin.echotest']);
    assert.match(janus.log(), /Janus version/i);
  });

  it('creates a session, attaches, and gets the plugin answer to a message', async () => {
    const session = await janus.createSession();
    const handle = await session.attach('janus.plugin.echotest');
    const { data } = await handle.send({ audio: false });
    assert.equal(data.echotest, 'event');
    assert.equal(data.result, 'ok');
    const sessions = await janus.admin({ janus: 'list_sessions' });
    assert.ok(sessions.sessions.includes(session.id), `admin lists session ${session.id}`);
    const info = await handle.info();
    assert.equal(info.plugin, 'janus.plugin.echotest');
    await handle.detach();
    await session.destroy();
  });

  it('rejects with JanusError for an unknown plugin package', async () => {
    const session = await janus.createSession();
    await assert.rejects(session.attach('janus.plugin.nope'), JanusError);
    await session.destroy();
  });

  it('stops Janus within 3 s', async () => {
    const t0 = Date.now();
    await janus.stop();
    assert.equal(janus.running, false);
    assert.ok(Date.now() - t0 < 3500);
  });
});
