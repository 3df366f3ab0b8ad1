// Router faults never take Janus down: a router of the wrong ABI version is refused at
// init with a clear log line; a trap or a runaway loop in rtp() drops that packet, is
// counted, and later packets still flow through the same instance.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileFixture, REPO_ROOT, runCore } from '../harness/fakeCore';

const SOURCE = path.join(REPO_ROOT, 'test', 'plugin', 'fixtures', 'fault-router.as');

describe('plugin: router faults (fake core, fixture routers)', function () {
  this.timeout(60000);
  let faulty = '';
  let wrongAbi = '';
  before(() => {
    faulty = compileFixture(SOURCE, 'fault-router');
    wrongAbi = compileFixture(SOURCE, 'fault-router-abi7', (t) => t.replace('const ABI_VERSION: u32 = 4;', 'const ABI_VERSION: u32 = 7;'));
  });

  it('refuses a router.wasm whose abi_version() differs, with a clear log line', async () => {
    const run = await runCore(['init', 'attach A', 'destroy'], { jcfg: { router: wrongAbi } });
    assert.ok(run.of('init')[0].rc < 0, 'init fails');
    assert.match(run.log, /router\.wasm has ABI version 7, this plugin needs 4/);
    assert.notEqual(run.of('attach')[0].error, 0, 'no sessions without a router');
  });

  it('refuses a file that is not a router', async () => {
    const run = await runCore(['init'], { jcfg: { router: SOURCE } });
    assert.ok(run.of('init')[0].rc < 0);
    assert.match(run.log, /fault-router\.as/);
  });

  it('contains a trap: the packet is dropped and counted, later packets still flow', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'rtp A 0 0 100 1000 1 20 01', 'rtp A 0 0 101 1000 1 20 EE',
      'rtp A 0 0 102 1000 1 20 02', 'stats', 'destroy'], { jcfg: { router: faulty } });
    assert.deepEqual(run.of('relay_rtp').map((e) => [e.seq, e.b0]), [[101, 1], [103, 2]]);
    const host = run.of('stats')[0].stats.host;
    assert.equal(host.traps, 1);
    assert.equal(host.interrupts, 0);
    assert.match(host.lastTrap, /unreachable/);
    assert.match(run.log, /router trapped in rtp/);
    // Header restored after the echo rewrite (seq + 1), and left as is after the trap.
    assert.deepEqual(run.of('rtp').map((e) => e.seq), [100, 101, 102]);
  });

  it('refuses a grace period asked from a packet call (it could wait on itself): a contained trap', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'attach B', 'rtp A 0 0 300 1000 1 20 ED', 'detach B',
      'rtp A 0 0 301 1000 1 20 04', 'stats', 'destroy'], { jcfg: { router: faulty } });
    assert.deepEqual(run.of('relay_rtp').map((e) => [e.seq, e.b0]), [[302, 4]]);
    const host = run.of('stats')[0].stats.host;
    assert.equal(host.traps, 1);
    assert.match(host.lastTrap, /sync from a packet call/);
    assert.equal(run.of('detach')[0].error, 0, 'session_close, a control call, may sync');
  });

  it('counts decisions it cannot use (too many, no such slot, unknown kind, m-line out of range) and runs none', async () => {
    const run = await runCore(['init', 'attach A', 'setup A', 'rtp A 0 0 400 1000 1 20 EC', 'rtp A 0 0 401 1000 1 20 05',
      'stats', 'destroy'], { jcfg: { router: faulty } });
    // Only the second packet's echo: nothing of the 64 records the host was handed (of 164 announced).
    assert.deepEqual(run.of('relay_rtp').map((e) => [e.seq, e.b0]), [[402, 5]]);
    assert.equal(run.of('pli').length, 0);
    const media = run.of('stats')[0].stats.media;
    assert.equal(media.toGoneSessions, 16, 'RELAY_RTP to a slot without a session');
    assert.equal(media.badDecisions, 48, 'unknown kind, SEND_PLI on m-line 77, RELAY_RTP on m-line 200');
    assert.equal(run.of('stats')[0].stats.host.traps, 0);
  });

  it('interrupts a runaway call (epoch deadline) and keeps going', async () => {
    const t0 = Date.now();
    const run = await runCore(['init', 'attach A', 'setup A', 'rtp A 0 0 200 1000 1 20 EF', 'rtp A 0 0 201 1000 1 20 EF',
      'rtp A 0 0 202 1000 1 20 03', 'stats', 'destroy'], { jcfg: { router: faulty } });
    assert.ok(Date.now() - t0 < 10000, 'the loops were cut short');
    assert.deepEqual(run.of('relay_rtp').map((e) => [e.seq, e.b0]), [[203, 3]]);
    const st = run.of('stats')[0].stats;
    assert.equal(st.host.interrupts, 2);
    assert.equal(st.media.trapped, 2);
    assert.match(st.host.lastTrap, /interrupt/);
  });
});
