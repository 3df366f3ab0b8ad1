// Janus gives each handle's PeerConnection a loop thread that lives as long as the call, so
// packet threads come and go. A thread's router instance outlives it: the next new thread
// takes it over instead of instantiating the router again (stats.host.threadInstances*).
import * as assert from 'node:assert/strict';
import { runCore } from '../harness/fakeCore';

const up = (...names: string[]) => names.flatMap((n) => [`attach ${n}`, `setup ${n}`]);

describe('plugin: router instances of packet threads (fake core, real router)', function () {
  this.timeout(60000);
  it('hands the instance of an exited thread to the next one, and every packet is relayed', async () => {
    const run = await runCore(['init', ...up('P', 'S'), 'valve P video out 1', 'valve S video in 1',
      'route P 255 S 255', 'threadrtp P 1 1 30 4', 'stats', 'destroy'], { timeoutMs: 30000 });
    const t = run.of('threadrtp')[0];
    assert.equal(t.threads, 30);
    assert.equal(t.relays, 30 * 4, 'every packet of every thread reached S');
    const host = run.of('stats')[0].stats.host;
    // The ticker thread has its own instance; the 30 senders, one at a time, share one more.
    assert.ok(host.threadInstancesMade <= 2, `instances made: ${host.threadInstancesMade}`);
    assert.ok(host.threadInstancesReused >= 29, `instances reused: ${host.threadInstancesReused}`);
    assert.equal(host.traps + host.interrupts, 0);
    assert.equal(run.code, 0);
  });

  it('makes a new instance only while more threads send at once than ever before', async () => {
    // Two threads alive at once (the harness main thread sends too) need two instances.
    const run = await runCore(['init', ...up('P', 'S'), 'valve P video out 1', 'valve S video in 1',
      'route P 255 S 255', 'bench P 1 1 10 200', 'threadrtp P 1 1 10 2', 'stats', 'destroy'], { timeoutMs: 30000 });
    assert.equal(run.of('threadrtp')[0].relays, 20);
    const host = run.of('stats')[0].stats.host;
    assert.ok(host.threadInstancesMade >= 2 && host.threadInstancesMade <= 3, `instances made: ${host.threadInstancesMade}`);
    assert.ok(host.threadInstancesReused >= 9, `instances reused: ${host.threadInstancesReused}`);
  });
});
