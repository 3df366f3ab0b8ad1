// Data races on the packet path (test/harness/race.c): four sender threads send at full
// speed while the main thread adds and removes a second feeder of one recipient stream
// (lock-free → locked → lock-free under traffic) and attaches, routes, hangs up and
// destroys other recipients. Every delivered packet is checked: payload and SSRC intact,
// every packet of a permanent feeder delivered exactly once, the output seqs of each
// checked stream one gapless run, no repeated seq elsewhere, nothing after a destroy.
// Run it under ThreadSanitizer with scripts/tsan.sh.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: parallel senders, checked deliveries (fake core, real router)', function () {
  this.timeout(120000);
  it('delivers every packet once, with gapless seqs, while routes and sessions change under the senders', async () => {
    const run = await runCore(['init', 'race 1500 40', 'stats', 'destroy'], { jcfg: { max_sessions: 64 }, timeoutMs: 100000 });
    const r = run.of('race')[0];
    assert.ok(r, `no race result; log:\n${run.log}`);
    assert.equal(r.apiErrors, 0);
    assert.ok(r.cycles >= 40, `cycles ${r.cycles}`);
    const [p0, p1, p2] = r.sent;
    assert.ok(p0 > 10000 && p1 > 10000 && p2 > 10000, `sent ${r.sent}`);
    // x1: P0 all along (+ P3 at times); x2: P1 and P2 all along.
    assert.equal(r.x1.from[0], p0, 'x1 got every packet of P0 once');
    assert.ok(r.x1.from[3] > 0, 'the second feeder of x1 was live at times');
    assert.deepEqual([r.x2.from[1], r.x2.from[2]], [p1, p2], 'x2 got every packet of P1 and P2 once');
    for (const x of [r.x1, r.x2]) {
      assert.equal(x.bad, 0, 'payload, SSRC and mindex intact');
      assert.equal(x.offValues, 0);
      assert.equal(x.gapless, true);
    }
    assert.ok(r.churnRelays > 0);
    assert.equal(r.churnDups, 0);
    assert.equal(r.churnBad, 0);
    assert.equal(r.relaysAfterDestroy, 0);
    const st = run.of('stats')[0].stats;
    assert.equal(st.host.traps + st.host.interrupts, 0);
    assert.equal(st.media.trapped, 0);
    assert.equal(st.sessions, 0);
    assert.equal(run.code, 0);
  });
});
