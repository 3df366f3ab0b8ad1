// configure and attach: limits, once only, per-thread buffers; and every export is safe
// before configure and before attach.

import * as assert from "node:assert";
import { instantiateRouter, newImports, Err, Drop } from "./router-harness";

describe("router configure", () => {
  it("refuses 0 and values above 65535, and a second call", async () => {
    const x = await instantiateRouter();
    assert.strictEqual(x.configure(0, 10, 1, 4), Err.CONFIG);
    assert.strictEqual(x.configure(10, 0, 1, 4), Err.CONFIG);
    assert.strictEqual(x.configure(10, 10, 0, 4), Err.CONFIG);
    assert.strictEqual(x.configure(65536, 10, 1, 4), Err.CONFIG);
    assert.strictEqual(x.configure(10, 65536, 1, 4), Err.CONFIG);
    assert.strictEqual(x.configure(10, 10, 65536, 4), Err.CONFIG);
    assert.strictEqual(x.configure(-1, 10, 1, 4), Err.CONFIG);
    assert.strictEqual(x.configure(65535, 65535, 1, 4), Err.CONFIG, "34 GB of routes must be refused, not attempted");
    assert.strictEqual(x.configure(10, 10, 65535, 4), Err.CONFIG, "4 GB of thread buffers must be refused");
    assert.strictEqual(x.configure(10, 10, 1, 65536), Err.CONFIG, "max_forwarders above 65535");
    assert.strictEqual(x.configure(8, 4, 2, 0), 0, "no forwarders at all is a valid table");
    assert.strictEqual(x.configure(8, 4, 2, 4), Err.CONFIG);
  });

  it("gives each attached thread its own non-overlapping buffers inside memory", async () => {
    const imports = newImports();
    const a = await instantiateRouter(undefined, imports);
    const b = await instantiateRouter(undefined, imports);
    assert.strictEqual(a.configure(100, 50, 2, 4), 0);
    assert.strictEqual(a.attach(2), Err.ARG, "thread index out of range");
    assert.strictEqual(a.attach(0), 0);
    assert.strictEqual(b.attach(1), 0);
    const size = imports.memory.buffer.byteLength;
    for (const x of [a, b]) {
      assert.ok(x.in_cap() >= 65535, `in_cap ${x.in_cap()}`);
      assert.ok(x.out_cap() >= 2 * 50 + 9, `out_cap ${x.out_cap()} must hold a relay and a layer event per route plus RECORD, PLIs, PACKET_INFO, a talk event and 4 forwards`);
      assert.ok(x.out_ptr() > 0 && x.out_ptr() + x.out_cap() * 16 <= x.in_ptr());
      assert.ok(x.in_ptr() + x.in_cap() <= size);
    }
    assert.ok(a.in_ptr() + a.in_cap() <= b.out_ptr(), "thread 0's buffers end before thread 1's");
    assert.ok(a.routes_ptr(99) + 50 * 4 <= size);
    assert.ok(a.session_stats(99) + 12 * 8 <= size);
    assert.ok(b.stream_stats(99, 15) + 7 * 8 <= size);
  });

  it("every call before configure (and before attach) answers an error or a drop, never a trap", async () => {
    const imports = newImports();
    const x = await instantiateRouter(undefined, imports);
    const check = () => {
      assert.strictEqual(x.session_open(), Err.FULL);
      assert.strictEqual(x.session_close(0), Err.SLOT);
      assert.strictEqual(x.set_valve(0, 0, 0, 1), Err.SLOT);
      assert.strictEqual(x.route_add(0, 255, 0, 255), Err.SLOT);
      assert.strictEqual(x.route_count(0), Err.SLOT);
      assert.strictEqual(x.session_state(0), Err.SLOT);
      assert.strictEqual(x.session_stats(0), 0);
      assert.strictEqual(x.global_stats(), 0);
      assert.strictEqual(x.rtp(0, 0, 1, 100, 0n, -1), Drop.BAD_SLOT);
      assert.strictEqual(x.set_codecs(0, 1), Err.SLOT);
      assert.strictEqual(x.set_simulcast(0, 0), Err.SLOT);
      assert.strictEqual(x.set_layers(0, 0, 0, 1), Err.SLOT);
      assert.strictEqual(x.layers_state(0, 0), Err.SLOT);
      assert.strictEqual(x.set_talk(0, 0, 10, 20), Err.SLOT);
      assert.strictEqual(x.talk_score(0, 0, 0n, 0n), Err.SLOT);
      assert.strictEqual(x.fwd_add(0, 0, 0, 255), Err.SLOT);
      assert.strictEqual(x.fwd_remove(0), Err.ARG);
      assert.strictEqual(x.fwd_stats(0), 0);
      assert.strictEqual(x.rtcp(0, 0, 1, 100, 0n), Drop.BAD_SLOT);
      assert.strictEqual(x.data(0, 100, 0, 0n), Drop.BAD_SLOT);
      assert.strictEqual(x.tick(0n), 0);
      assert.strictEqual(x.in_cap(), 0);
      assert.strictEqual(x.out_cap(), 0);
      assert.strictEqual(x.recover(), 0);
    };
    assert.strictEqual(x.attach(0), Err.CONFIG, "attach before configure");
    check();
    const other = await instantiateRouter(undefined, imports);
    assert.strictEqual(other.configure(4, 4, 2, 4), 0);
    check(); // configured by another instance, this one not attached yet
  });

  it("hands out every slot once, then E_FULL", async () => {
    const x = await instantiateRouter();
    assert.strictEqual(x.configure(5, 1, 1, 4), 0);
    assert.strictEqual(x.attach(0), 0);
    const slots = [0, 1, 2, 3, 4].map(() => x.session_open());
    assert.deepStrictEqual([...slots].sort(), [0, 1, 2, 3, 4]);
    assert.strictEqual(x.session_open(), Err.FULL);
    assert.strictEqual(x.session_close(3), 0);
    assert.strictEqual(x.session_open(), 3);
  });

  it("a second instance on the same memory sees the tables the first one wrote", async () => {
    const imports = newImports();
    const a = await instantiateRouter(undefined, imports);
    assert.strictEqual(a.configure(4, 4, 2, 4), 0);
    assert.strictEqual(a.attach(0), 0);
    const s = a.session_open(), d = a.session_open();
    assert.strictEqual(a.route_add(s, 255, d, 255), 0);
    const b = await instantiateRouter(undefined, imports); // instantiating must not reset memory
    assert.strictEqual(b.attach(1), 0);
    assert.strictEqual(b.route_count(s), 1);
    assert.strictEqual(b.session_state(d) & 1, 1);
  });
});
