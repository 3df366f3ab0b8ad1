// Random frames on the real plugin's control socket: well-framed requests with random
// methods and parameters, random bytes, stray responses, non-objects. Janus must stay
// up and answering, every request on a live connection gets an answer, and a new app
// can still connect. Deterministic (seeded) so a failure can be replayed.
import assert from 'node:assert/strict';
import { ControlJanus, janusAnswers, startControlJanus, TOKEN } from './control-janus';
import { RawClient } from './raw-client';

function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const METHODS = ['hello', 'pushEvent', 'notifyEvent', 'eventsIsEnabled', 'closePc', 'endSession', 'configureMedium',
  'addRecipient', 'removeRecipient', 'addRoute', 'removeRoute', 'setBitrate', 'setPliFreq', 'sendPli', 'setSubstream',
  'setTemporalLayer', 'relayRtp', 'relayRtcp', 'relayTextData', 'relayBinaryData', 'startRecording', 'stopRecording',
  'log', 'sessionInfo', 'stats', 'describe', 'noSuchMethod'];
const KEYS = ['id', 'medium', 'direction', 'enabled', 'recipient', 'mindex', 'recipientMindex', 'bitrate', 'seconds',
  'substream', 'temporal', 'video', 'data', 'text', 'label', 'protocol', 'codec', 'filename', 'folder', 'fmtp', 'level',
  'message', 'event', 'jsep', 'transaction', 'token', 'wants', 'replace'];

describe('protocol: random frames (fuzz)', function () {
  this.timeout(60000);
  let cj: ControlJanus;

  before(async () => {
    cj = await startControlJanus({ control_max_frame: 2048 });
  });
  after(async () => {
    await cj?.stop();
  });

  it('Janus survives 150 connections of random traffic and keeps answering', async () => {
    const rnd = prng(20261125);
    // Real session ids too, so some requests reach the core with a valid id.
    const js = await cj.janus.createSession();
    const { client: first } = await cj.connectApp();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      await js.attach('janus.plugin.ts');
      ids.push((await first.waitFor((f) => f.event === 'createSession')).params.id);
    }
    await first.close();
    const values = () => [null, true, false, 0, 1, -1, 255, 256, 2 ** 32, 1.5, 'x', '', 'AAAA', 'gAAAAAAAAAAAAAAA',
      'audio', 'video', 'data', 'in', 'out', 'info', [], [1], {}, { a: 1 }, ids[rnd(3)], ids[rnd(3)]][rnd(26)];

    let unanswered = 0;
    for (let round = 0; round < 150; round++) {
      const c = await RawClient.connect(cj.socket);
      const authed = rnd(4) !== 0;
      if (authed) await c.hello({ token: TOKEN, replace: true });
      const asked = new Set<number>();
      let broken = false;
      for (let k = 0; k < 15; k++) {
        const r = rnd(20);
        if (r < 16) {
          const params: Record<string, unknown> = {};
          for (let j = rnd(6); j > 0; j--) params[KEYS[rnd(KEYS.length)]] = values();
          const method = METHODS[rnd(METHODS.length)];
          if (method === 'endSession' || method === 'closePc') continue; // keep the sessions for later rounds
          const id = 1000 + k;
          asked.add(id);
          c.send({ id, method, params });
        } else if (r < 17) {
          c.send({ id: rnd(5), result: values(), ...(rnd(2) ? { error: values() } : {}) });
        } else if (r < 18) {
          const b = Buffer.alloc(1 + rnd(40));
          for (let i = 0; i < b.length; i++) b[i] = rnd(256);
          c.sendRaw(b);
          broken = true;
          break;
        } else {
          c.send([values(), values()]);
          broken = true;
          break;
        }
      }
      if (!broken) {
        // a well-framed session: every request is answered, in order
        for (const id of asked) {
          try {
            await c.waitFor((f) => f.id === id && f.method === undefined, 3000);
          } catch {
            unanswered++;
          }
        }
      } else {
        await c.closesWithin(500);
      }
      await c.close();
    }
    assert.equal(unanswered, 0, 'every request on a well-framed connection was answered');
    assert.ok(await janusAnswers(cj.janus), 'Janus still answers');
    const { client } = await cj.connectApp({ replace: true });
    assert.equal(typeof (await client.ok('eventsIsEnabled')), 'boolean');
    await client.close();
    await js.destroy();
  });
});
