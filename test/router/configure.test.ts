// configure: limits, once only, buffers; and every export is safe before configure.

import * as assert from "node:assert";
import { instantiateRouter, Err, Drop } from "./router-harness";

describe("router configure", () => {
  it("refuses 0 and values above 65535, and a second call", async () => {
    const x = await instantiateRouter();
    assert.strictEqual(x.configure(0, 10), Err.CONFIG);
    assert.strictEqual(x.configure(10, 0), Err.CONFIG);
    assert.strictEqual(x.configure(65536, 10), Err.CONFIG);
    assert.strictEqual(x.configure(10, 65536), Err.CONFIG);
    assert.strictEqual(x.configure(-1, 10), Err.CONFIG);
    assert.strictEqual(x.configure(65535, 65535), Err.CONFIG, "17 GB of routes must be refused, not attempted");
    assert.strictEqual(x.configure(8, 4), 0);
    assert.strictEqual(x.configure(8, 4), Err.CONFIG);
  });

  it("lays out non-overlapping buffers inside memory", async () => {
    const x = await instantiateRouter();
    assert.strictEqual(x.configure(100, 50), 0);
    const size = x.memory.buffer.byteLength;
    assert.ok(x.in_cap() >= 1500 && x.in_cap() >= 65535, `in_cap ${x.in_cap()}`);
    assert.ok(x.out_cap() >= 50 + 3, `out_cap ${x.out_cap()} must hold one relay per route plus RECORD and PLIs`);
    assert.ok(x.in_ptr() > 0 && x.in_ptr() + x.in_cap() <= x.out_ptr());
    assert.ok(x.out_ptr() + x.out_cap() * 16 <= size);
    assert.ok(x.routes_ptr(99) + 50 * 4 <= size);
    assert.ok(x.session_stats_ptr(99) + 12 * 8 <= size);
    assert.ok(x.stream_stats_ptr(99, 15) + 6 * 8 <= size);
  });

  it("every call before configure answers an error or a drop, never a trap", async () => {
    const x = await instantiateRouter();
    assert.strictEqual(x.session_open(), Err.FULL);
    assert.strictEqual(x.session_close(0), Err.SLOT);
    assert.strictEqual(x.set_valve(0, 0, 0, 1), Err.SLOT);
    assert.strictEqual(x.route_add(0, 255, 0, 255), Err.SLOT);
    assert.strictEqual(x.route_count(0), Err.SLOT);
    assert.strictEqual(x.session_state(0), Err.SLOT);
    assert.strictEqual(x.rtp(0, 0, 1, 100, 0n), Drop.BAD_SLOT);
    assert.strictEqual(x.rtcp(0, 0, 1, 100, 0n), Drop.BAD_SLOT);
    assert.strictEqual(x.data(0, 100, 0, 0n), Drop.BAD_SLOT);
    assert.strictEqual(x.tick(0n), 0);
    assert.strictEqual(x.in_cap(), 0);
    assert.strictEqual(x.out_cap(), 0);
  });

  it("hands out every slot once, then E_FULL", async () => {
    const x = await instantiateRouter();
    assert.strictEqual(x.configure(5, 1), 0);
    const slots = [0, 1, 2, 3, 4].map(() => x.session_open());
    assert.deepStrictEqual([...slots].sort(), [0, 1, 2, 3, 4]);
    assert.strictEqual(x.session_open(), Err.FULL);
    assert.strictEqual(x.session_close(3), 0);
    assert.strictEqual(x.session_open(), 3);
  });
});
