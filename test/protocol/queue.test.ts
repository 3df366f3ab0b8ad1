// A control app that stops reading: the plugin's bounded outbound queue
// (control_queue_bytes) fills, notifications are dropped and counted, requests that need
// the app fail at once, and no Janus thread ever waits on the socket.
import assert from 'node:assert/strict';
import { JanusSession } from '../helpers/janus';
import { ControlJanus, janusAnswers, startControlJanus } from './control-janus';

describe('protocol: outbound queue full (an app that never reads)', function () {
  this.timeout(60000);
  let cj: ControlJanus;
  let js: JanusSession;

  before(async () => {
    cj = await startControlJanus({ control_queue_bytes: 1024, message_timeout_ms: 3000 });
    js = await cj.janus.createSession();
  });
  after(async () => {
    await js?.destroy();
    await cj?.stop();
  });

  it('drops and counts notifications, fails requests at once, and Janus stays responsive', async () => {
    const { client: stuck } = await cj.connectApp();
    const before = (await stuck.ok('stats')).control;
    stuck.pauseReading();

    // Each attach/detach makes a createSession and a destroySession notification; the
    // socket buffer, then the 1 KiB queue fill up long before the loop ends.
    let slowest = 0;
    for (let i = 0; i < 700; i++) {
      const t0 = Date.now();
      const h = await js.attach('janus.plugin.ts');
      await h.detach();
      slowest = Math.max(slowest, Date.now() - t0);
    }
    assert.ok(slowest < 1000, `attach + detach never waits on the app (slowest ${slowest} ms)`);
    assert.ok(await janusAnswers(cj.janus));

    // A request that needs the app fails fast instead of waiting message_timeout_ms.
    const h = await js.attach('janus.plugin.ts');
    const t0 = Date.now();
    const err = await h.message({ request: 'anyone?' }).catch((e) => e);
    const elapsed = Date.now() - t0;
    assert.ok(err instanceof Error && /not reading|queue full/.test(err.message), `error reply, got ${err}`);
    assert.ok(elapsed < 1000, `failed in ${elapsed} ms, not after the 3000 ms timeout`);
    await h.detach();

    // Another app takes over and reads the counters.
    const { client: fresh } = await cj.connectApp({ replace: true });
    stuck.resumeReading(); // to see the end of the stream
    assert.ok(await stuck.closesWithin(3000), 'the stuck app was replaced');
    assert.ok(stuck.inbox.length > 0 && stuck.inbox.length < 1400, `it got part of the notifications (${stuck.inbox.length})`);
    const after = (await fresh.ok('stats')).control;
    // 700 pairs made ≥ 1400 notifications; a few hundred fit in the socket buffer.
    assert.ok(after.dropped - before.dropped >= 500, `dropped counted (${before.dropped} → ${after.dropped})`);
    assert.equal(after.pendingRequests, 0);
    assert.equal(after.connected, true);
    // Nothing of the stuck connection's backlog reaches the new app: it gets fresh
    // notifications only.
    const h2 = await js.attach('janus.plugin.ts');
    const created = await fresh.waitFor((f) => f.event === 'createSession');
    assert.equal(typeof created.params.id, 'number');
    await h2.detach();
    await fresh.close();
  });
});
