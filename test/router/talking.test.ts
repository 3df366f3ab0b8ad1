// Talk detection from audio levels (router-as/media/talking.ts), VideoRoom-style: windows of
// `window` packets, talking while the average level is below `threshold`, events only on a
// change, and the loudness score for choosing the active speaker, on router-codecs.wasm.

import * as assert from "node:assert";
import { Codecs, Talk } from "./codecs-harness";

describe("router media: talk detection", () => {
  let c: Codecs, r: number;
  beforeEach(async () => { c = await Codecs.create(); r = c.alloc(24); });

  const feed = (levels: number[], from = 0): number[] => levels.map((l, i) => c.x.t_talk_update(r, l, BigInt(from + i * 20)));

  it("does nothing until configured, and refuses bad settings", () => {
    assert.deepStrictEqual(feed([0, 0, 0]), [0, 0, 0]);
    for (const [w, t] of [[0, 25], [65536, 25], [10, 0], [10, 128]]) assert.strictEqual(c.x.t_talk_config(r, w, t), 0, `${w}/${t}`);
    assert.strictEqual(c.x.t_talk_config(r, 100, 25), 1);
  });

  it("reports started and stopped talking at window ends, only on changes", () => {
    c.x.t_talk_config(r, 5, 25);
    const loud = [10, 20, 15, 30, 5]; // average 16 < 25
    const quiet = [90, 100, 127, 80, 60];
    assert.deepStrictEqual(feed(loud), [0, 0, 0, 0, Talk.STARTED]);
    assert.strictEqual(c.x.t_talk_talking(r), 1);
    assert.strictEqual(c.x.t_talk_average(r), 1600);
    assert.deepStrictEqual(feed(loud), [0, 0, 0, 0, Talk.NONE], "still talking: no event");
    assert.deepStrictEqual(feed(quiet), [0, 0, 0, 0, Talk.STOPPED]);
    assert.strictEqual(c.x.t_talk_average(r), 9140);
    assert.deepStrictEqual(feed(quiet), [0, 0, 0, 0, Talk.NONE]);
  });

  it("compares the exact average with the threshold (25 is not below 25), ignoring the V bit", () => {
    c.x.t_talk_config(r, 4, 25);
    assert.deepStrictEqual(feed([25, 25, 25, 25]), [0, 0, 0, Talk.NONE]);
    assert.deepStrictEqual(feed([24, 25, 25, 25].map((l) => l | 0x80)), [0, 0, 0, Talk.STARTED]);
    assert.strictEqual(c.x.t_talk_average(r), 2475);
  });

  it("scores talking senders by their last window while it is recent", () => {
    c.x.t_talk_config(r, 2, 40);
    assert.strictEqual(c.x.t_talk_score(r, 0n, 1000n), -1, "no window yet");
    feed([30, 10], 1000); // window ends at 1020
    assert.strictEqual(c.x.t_talk_score(r, 1500n, 1000n), 2000);
    assert.strictEqual(c.x.t_talk_score(r, 2020n, 1000n), 2000);
    assert.strictEqual(c.x.t_talk_score(r, 2021n, 1000n), -1, "too old");
    feed([90, 90], 3000);
    assert.strictEqual(c.x.t_talk_score(r, 3100n, 1000n), -1, "not talking");
    c.x.t_talk_reset(r);
    assert.deepStrictEqual(feed([0, 0]), [0, 0], "off after reset");
  });
});
