// Sender threads feed RTP without pause while the main thread keeps attaching a
// recipient, routing every sender to it, querying, hanging up and detaching it again
// (test/harness/stress.c), for 1.2 s and at least 60 cycles. No relay may reach a handle
// after its destroy_session() returned, and every recipient handle is released by the plugin.
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

describe('plugin: concurrency (fake core, real router)', function () {
  this.timeout(90000);
  it('never relays to a destroyed session while packets race attach/route/detach', async () => {
    const run = await runCore(['init', 'stress 1200 2 60', 'stats', 'destroy'], { jcfg: { max_sessions: 64 }, timeoutMs: 60000 });
    const s = run.of('stress')[0];
    assert.ok(s.cycles >= 60, `cycles ${s.cycles}`);
    assert.ok(s.relays > 1000, `relays ${s.relays}`);
    assert.equal(s.relaysAfterDestroy, 0);
    assert.equal(s.apiErrors, 0);
    assert.equal(s.recipientsFreed, s.recipients, 'the plugin dropped its reference on every detached handle');
    const st = run.of('stats')[0].stats;
    assert.equal(st.sessions, 0);
    assert.equal(st.host.traps + st.host.interrupts, 0);
    assert.equal(run.code, 0);
  });
});
