// Datachannel messages: relayed on every-stream routes to recipients with the `in` data valve
// open and the channel ready; the sender's `out` data valve gates everything.

import * as assert from "node:assert";
import { Router, Kind, Drop, Medium, Dir, EVERY, Decision } from "./router-harness";

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

  it("only every-stream routes carry data", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, 0, b, 0);
    assert.deepStrictEqual(send(a), []);
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
