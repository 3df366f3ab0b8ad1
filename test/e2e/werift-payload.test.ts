// The tagged payloads of the werift test peer: what every echo assertion relies on.
import assert from 'node:assert/strict';
import { makePayload, parsePayload } from '../helpers/werift-peer';

describe('werift peer payload tags', () => {
  it('round-trip kind, run and counter, at the requested size', () => {
    for (const [kind, run, counter, size] of [['audio', 1, 0, 80], ['video', 0xffffffff, 123456, 600], ['audio', 7, 0xffffffff, 13]] as const) {
      const p = makePayload(kind, run, counter, size);
      assert.equal(p.length, size);
      assert.deepEqual(parsePayload(p), { kind, run, counter });
    }
  });

  it('video payloads start with a VP8 descriptor (S=1), audio ones do not', () => {
    assert.equal(makePayload('video', 1, 2, 100)[0], 0x10);
    assert.notEqual(makePayload('audio', 1, 2, 100)[0], 0x10);
  });

  it('differ by counter in the filler too, and reject foreign or truncated payloads', () => {
    const a = makePayload('video', 5, 1, 200);
    const b = makePayload('video', 5, 2, 200);
    assert.notDeepEqual(a.subarray(20), b.subarray(20));
    assert.equal(parsePayload(Buffer.from('not a tagged payload at all')), null);
    assert.equal(parsePayload(a.subarray(0, 8)), null);
    const wrongKind = Buffer.from(a);
    wrongKind[4] = 0x7a;
    assert.equal(parsePayload(wrongKind), null);
  });
});
