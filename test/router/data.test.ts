// Datachannel messages: relayed on every-stream routes, and on stream routes from the sender's
// datachannel m-line, to recipients with the `in` data valve open and the channel ready; the
// sender's `out` data valve gates everything.

import * as assert from "node:assert";
import { Router, Kind, Drop, Medium, Dir, EVERY, Err, Decision } from "./router-harness";

const relays = (ds: Decision[]) => ds.filter((d) => d.kind === Kind.RELAY_DATA).map((d) => d.slot).sort();

describe("router data", () => {
  let r: Router;
  beforeEach(async () => { r = await Router.create(8, 8); });
  const send = (slot: number, len = 100): Decision[] => {
    const n = r.data(slot, len);
    assert.ok(n >= 0, `data dropped: ${n}`);
    return r.decisions(n);
  };

  it("relays to every ready recipient with the data in valve open", () => {
    const a = r.live(), b = r.live(), c = r.live(), d = r.live();
    for (const x of [b, c, d]) r.x.route_add(a, EVERY, x, EVERY);
    r.x.set_data_ready(c, 0);
    r.x.set_valve(d, Medium.DATA, Dir.IN, 0);
    assert.deepStrictEqual(relays(send(a)), [b]);
    r.x.set_data_ready(c, 1);
    assert.deepStrictEqual(relays(send(a)), [b, c]);
    const [x] = send(a).filter((e) => e.kind === Kind.RELAY_DATA);
    assert.deepStrictEqual([x.mindex, x.seq, x.ts, x.flags], [EVERY, 0, 0, 0]);
  });

  it("a stream route carries data only from the sender's datachannel m-line", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, 0, b, 0);
    assert.deepStrictEqual(send(a), [], "the sender's m-lines are not known: m-line 0 is not its datachannel");
    r.streams(a, "audio", "video", "data");
    assert.deepStrictEqual(send(a), [], "m-line 0 is audio");
    r.x.route_add(a, 1, b, 1);
    assert.deepStrictEqual(send(a), [], "m-line 1 is video");
    r.x.route_add(a, 2, b, 2);
    const out = send(a);
    assert.deepStrictEqual(out.map((d) => [d.kind, d.slot, d.mindex]), [[Kind.RELAY_DATA, b, EVERY]], "m-line 2 is the datachannel");
    assert.strictEqual(r.sessionStats(b).data_out, 1);
  });

  it("a data route goes to the recipient's datachannel m-line, whatever its index", () => {
    const pub = r.live(), sub = r.live(), other = r.live();
    r.streams(pub, "audio", "video", "data");
    r.streams(sub, "video", "audio", "data", "video");
    r.streams(other, "audio", "video");
    r.x.route_add(pub, 2, sub, 2);
    r.x.route_add(pub, 2, other, 1);
    assert.deepStrictEqual(relays(send(pub)), [sub], "other has no datachannel m-line 1");
    assert.strictEqual(r.sessionStats(other).drops_nostream, 1);
    r.x.set_streams(other, 0, 0n, 0n);
    assert.deepStrictEqual(relays(send(pub)), [other, sub].sort(), "a recipient whose m-lines are not known gets it");
  });

  it("data routes obey the recipient's data valve and readiness, and the sender's valve", () => {
    const pub = r.live(), sub = r.live();
    r.streams(pub, "data");
    r.x.route_add(pub, 0, sub, 0);
    r.x.set_data_ready(sub, 0);
    assert.deepStrictEqual(relays(send(pub)), []);
    r.x.set_data_ready(sub, 1);
    r.x.set_valve(sub, Medium.DATA, Dir.IN, 0);
    assert.deepStrictEqual(relays(send(pub)), []);
    assert.strictEqual(r.sessionStats(sub).drops_valve, 2);
    r.x.set_valve(sub, Medium.DATA, Dir.IN, 1);
    r.x.set_valve(pub, Medium.DATA, Dir.OUT, 0);
    assert.strictEqual(r.data(pub, 10), Drop.VALVE);
  });

  it("a data route next to an every-stream route that carries the same data is refused", () => {
    const pub = r.live(), sub = r.live();
    r.streams(pub, "audio", "data");
    r.streams(sub, "data", "audio");
    assert.strictEqual(r.x.route_add(pub, EVERY, sub, EVERY), 0);
    assert.strictEqual(r.x.route_add(pub, 1, sub, 0), Err.DUP);
    assert.deepStrictEqual(relays(send(pub)), [sub], "once");
  });

  it("the sender's out data valve gates it", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.set_valve(a, Medium.DATA, Dir.OUT, 0);
    assert.strictEqual(r.data(a, 10), Drop.VALVE);
    assert.strictEqual(r.sessionStats(a).drops_valve, 1);
    r.x.set_valve(a, Medium.AUDIO, Dir.OUT, 0);
    r.x.set_valve(a, Medium.DATA, Dir.OUT, 1);
    assert.deepStrictEqual(relays(send(a)), [b], "audio valve does not matter");
  });

  it("records data when recording is on", () => {
    const a = r.live();
    r.x.set_recording(a, Medium.DATA, 1);
    assert.deepStrictEqual(send(a).map((d) => [d.kind, d.slot]), [[Kind.RECORD, a]]);
  });

  it("bad slots are dropped; data_in/data_out are counted", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    assert.strictEqual(r.data(7, 10), Drop.BAD_SLOT);
    assert.strictEqual(r.data(-5, 10), Drop.BAD_SLOT);
    send(a); send(a);
    assert.strictEqual(r.sessionStats(a).data_in, 2);
    assert.strictEqual(r.sessionStats(b).data_out, 2);
  });
});
