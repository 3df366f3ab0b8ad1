// Every-stream routes (Lua addRecipient) by stream kind: the sender's k-th active audio
// (video) m-line goes to the recipient's k-th active audio (video) m-line, whatever their
// indexes; set_streams gives the m-lines, stream_resolve reports where a stream goes.

import * as assert from "node:assert";
import { Router, rtpPacket, Kind, EVERY, Err } from "./router-harness";

/** [recipient slot, recipient mindex] of the RELAY_RTP decisions of one packet. */
function relays(r: Router, slot: number, mindex: number, video: boolean, seq = 1): [number, number][] {
  return r.relay(slot, mindex, video, rtpPacket({ seq, ssrc: 0x100 + mindex }))
    .filter((d) => d.kind === Kind.RELAY_RTP).map((d) => [d.slot, d.mindex]);
}

describe("router every-stream routes by kind", () => {
  let r: Router;
  beforeEach(async () => { r = await Router.create(16, 16); });

  it("a subscriber with only a video m-line gets the publisher's video on its m-line 0, and no audio", () => {
    const pub = r.live(), sub = r.live();
    assert.strictEqual(r.streams(pub, "audio", "video"), 0);
    assert.strictEqual(r.streams(sub, "video"), 0);
    assert.strictEqual(r.x.route_add(pub, EVERY, sub, EVERY), 0);
    assert.deepStrictEqual(relays(r, pub, 1, true), [[sub, 0]]);
    assert.deepStrictEqual(relays(r, pub, 0, false), []);
    assert.strictEqual(r.sessionStats(sub).drops_nostream, 1, "the audio packet had no stream to go to");
    assert.strictEqual(r.streamStats(sub, 0).packets_out, 1);
    assert.strictEqual(r.x.stream_resolve(pub, 1, sub), 0);
    assert.strictEqual(r.x.stream_resolve(pub, 0, sub), Err.NOSTREAM);
  });

  it("m-lines in another order: audio to audio, video to video", () => {
    const pub = r.live(), sub = r.live();
    r.streams(pub, "audio", "video");
    r.streams(sub, "video", "audio");
    r.x.route_add(pub, EVERY, sub, EVERY);
    assert.deepStrictEqual(relays(r, pub, 0, false), [[sub, 1]]);
    assert.deepStrictEqual(relays(r, pub, 1, true), [[sub, 0]]);
    assert.deepStrictEqual([0, 1].map((m) => r.x.stream_resolve(pub, m, sub)), [1, 0]);
  });

  it("the k-th stream of a kind goes to the k-th one; rejected m-lines do not count", () => {
    const pub = r.live(), sub = r.live();
    r.streams(pub, "audio", "video", "video");
    r.streams(sub, "-video", "video", "audio", "video");
    r.x.route_add(pub, EVERY, sub, EVERY);
    assert.deepStrictEqual(relays(r, pub, 0, false), [[sub, 2]]);
    assert.deepStrictEqual(relays(r, pub, 1, true), [[sub, 1]]);
    assert.deepStrictEqual(relays(r, pub, 2, true), [[sub, 3]]);
    // A second audio stream of the sender has no counterpart.
    r.streams(pub, "audio", "video", "video", "audio");
    assert.deepStrictEqual(relays(r, pub, 3, false), []);
    assert.strictEqual(r.x.stream_resolve(pub, 3, sub), Err.NOSTREAM);
  });

  it("packets on a sender m-line that is rejected, unknown or not audio/video take no every-stream route", () => {
    const pub = r.live(), sub = r.live();
    r.streams(pub, "-audio", "video", "data");
    r.streams(sub, "audio", "video");
    r.x.route_add(pub, EVERY, sub, EVERY);
    assert.deepStrictEqual(relays(r, pub, 0, false), []);
    assert.deepStrictEqual(relays(r, pub, 2, false), []);
    assert.deepStrictEqual(relays(r, pub, 5, false), []);
    assert.deepStrictEqual(relays(r, pub, 1, true), [[sub, 1]]);
    assert.strictEqual(r.sessionStats(sub).drops_nostream, 3);
    // An explicit stream route still relays whatever the kinds say.
    assert.strictEqual(r.x.route_add(pub, 5, sub, 0), 0);
    assert.deepStrictEqual(relays(r, pub, 5, false), [[sub, 0]]);
  });

  it("while either side's m-lines are unknown, an every-stream route keeps the same index (ABI v1)", () => {
    const known = r.live(), unknown = r.live();
    r.streams(known, "video", "audio");
    r.x.route_add(known, EVERY, unknown, EVERY);
    r.x.route_add(unknown, EVERY, known, EVERY);
    assert.deepStrictEqual(relays(r, known, 0, true), [[unknown, 0]]);
    assert.deepStrictEqual(relays(r, unknown, 3, false), [[known, 3]]);
    assert.strictEqual(r.x.stream_resolve(unknown, 3, known), 3);
    assert.strictEqual(r.x.stream_resolve(known, 1, unknown), 1);
  });

  it("follows renegotiation on either side, and forgets the m-lines with count 0", () => {
    const pub = r.live(), sub = r.live();
    r.streams(pub, "audio", "video");
    r.streams(sub, "audio", "video");
    r.x.route_add(pub, EVERY, sub, EVERY);
    assert.deepStrictEqual(relays(r, pub, 1, true, 1), [[sub, 1]]);
    r.streams(sub, "audio", "-video", "video");
    assert.deepStrictEqual(relays(r, pub, 1, true, 2), [[sub, 2]]);
    r.streams(pub, "video", "audio");
    assert.deepStrictEqual(relays(r, pub, 0, true, 3), [[sub, 2]]);
    assert.deepStrictEqual(relays(r, pub, 1, false, 4), [[sub, 0]]);
    assert.strictEqual(r.x.set_streams(sub, 0, 0n, 0n), 0);
    assert.deepStrictEqual(relays(r, pub, 0, true, 5), [[sub, 0]], "recipient unknown again: same index");
    // A hangup keeps the m-lines (the next SDP replaces them); a closed slot forgets them.
    r.streams(sub, "video");
    r.x.session_hangup(sub);
    r.x.session_start(sub);
    for (const m of [0, 1]) r.x.set_valve(sub, m, 0, 1);
    r.x.route_add(pub, EVERY, sub, EVERY);
    assert.deepStrictEqual(relays(r, pub, 0, true, 6), [[sub, 0]]);
    assert.strictEqual(r.x.stream_resolve(pub, 1, sub), Err.NOSTREAM);
    r.x.session_close(sub);
    const again = r.live();
    assert.strictEqual(again, sub, "the slot is reused");
    assert.strictEqual(r.x.stream_resolve(pub, 1, again), 1, "a reused slot starts unknown");
  });

  it("echo of a session with two videos and one audio maps each stream onto itself", () => {
    const a = r.live();
    r.streams(a, "video", "audio", "video");
    r.x.route_add(a, EVERY, a, EVERY);
    assert.deepStrictEqual([0, 1, 2].map((m) => relays(r, a, m, m !== 1)), [[[a, 0]], [[a, 1]], [[a, 2]]]);
  });

  it("stream_resolve maps the datachannel to the recipient's datachannel m-line", () => {
    const a = r.live(), b = r.live(), c = r.live(), u = r.live();
    r.streams(a, "audio", "video", "data");
    r.streams(b, "data", "video");
    r.streams(c, "audio", "-data");
    r.x.route_add(a, EVERY, b, EVERY);
    assert.strictEqual(r.x.stream_resolve(a, 2, b), 0);
    assert.strictEqual(r.x.stream_resolve(a, 2, c), Err.NOSTREAM);
    assert.strictEqual(r.x.stream_resolve(a, 2, u), 2, "unknown recipient: same index");
    assert.strictEqual(r.x.stream_resolve(a, 3, b), Err.NOSTREAM, "beyond the sender's m-lines");
  });

  it("refuses bad arguments and closed slots", () => {
    const a = r.live();
    assert.strictEqual(r.x.set_streams(a, 17, 0n, 0n), Err.ARG);
    assert.strictEqual(r.x.set_streams(9, 1, 0n, 0n), Err.SLOT);
    assert.strictEqual(r.x.set_streams(a, 16, -1n, -1n), 0, "any descriptor byte is accepted");
    assert.strictEqual(r.x.stream_resolve(a, 16, a), Err.ARG);
    assert.strictEqual(r.x.stream_resolve(a, 0, 9), Err.SLOT);
    assert.strictEqual(r.x.stream_resolve(-1, 0, a), Err.SLOT);
  });

  it("a stream route that duplicates what the every-stream route does now is refused, others are not", () => {
    const a = r.live(), b = r.live();
    r.streams(a, "audio", "video");
    r.streams(b, "video");
    assert.strictEqual(r.x.route_add(a, EVERY, b, EVERY), 0);
    assert.strictEqual(r.x.route_add(a, 1, b, 0), Err.DUP, "a's video already goes to b's m-line 0");
    assert.strictEqual(r.x.route_add(a, 1, b, 1), 0, "a's video to b's m-line 1 is another stream");
    assert.strictEqual(r.x.route_remove(a, EVERY, b, EVERY), 0);
    assert.strictEqual(r.x.route_add(a, 0, b, 0), 0);
    assert.strictEqual(r.x.route_add(a, EVERY, b, EVERY), 0, "a's audio 0→0 is not what the every-stream route does");
    assert.strictEqual(r.x.route_remove(a, EVERY, b, EVERY), 0);
    assert.strictEqual(r.x.route_remove(a, 0, b, 0), 0);
    assert.strictEqual(r.x.route_add(a, 1, b, 0), 0);
    assert.strictEqual(r.x.route_add(a, EVERY, b, EVERY), Err.DUP);
  });
});
