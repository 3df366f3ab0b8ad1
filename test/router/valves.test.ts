// The six valves (audio/video/data × in/out): closed at creation and after hangup; `out`
// gates what a sender relays, `in` what a recipient receives; started is needed to receive.

import * as assert from "node:assert";
import { Router, rtpPacket, Kind, Drop, Err, Medium, Dir, State, valveBit, EVERY } from "./router-harness";

const ALL_VALVES = [Medium.AUDIO, Medium.VIDEO, Medium.DATA].flatMap((m) => [Dir.IN, Dir.OUT].map((d) => valveBit(m, d)))
  .reduce((a, b) => a | b, 0);

describe("router valves", () => {
  let r: Router;
  beforeEach(async () => { r = await Router.create(8, 8); });

  it("all six are closed at creation", () => {
    const s = r.x.session_open();
    assert.strictEqual(r.x.session_state(s), State.OPEN);
  });

  it("set_valve sets exactly the bit of (medium, dir) and clears it again", () => {
    const s = r.x.session_open();
    for (const m of [0, 1, 2]) for (const d of [0, 1]) {
      assert.strictEqual(r.x.set_valve(s, m, d, 1), 0);
      assert.strictEqual(r.x.session_state(s), State.OPEN | valveBit(m, d), `medium ${m} dir ${d}`);
      assert.strictEqual(r.x.set_valve(s, m, d, 0), 0);
      assert.strictEqual(r.x.session_state(s), State.OPEN);
    }
    assert.strictEqual(r.x.set_valve(s, 3, 0, 1), Err.ARG);
    assert.strictEqual(r.x.set_valve(s, 0, 2, 1), Err.ARG);
    assert.strictEqual(r.x.set_valve(s, -1, 0, 1), Err.ARG);
    assert.strictEqual(r.x.set_valve(7, 0, 0, 1), Err.SLOT, "closed slot");
    assert.strictEqual(r.x.set_valve(8, 0, 0, 1), Err.SLOT, "out of range");
  });

  it("a sender's closed out valve drops its medium only", () => {
    const a = r.open({ started: true }), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    assert.strictEqual(r.rtp(a, 0, false, rtpPacket()), Drop.VALVE);
    r.x.set_valve(a, Medium.AUDIO, Dir.OUT, 1);
    assert.deepStrictEqual(r.relay(a, 0, false, rtpPacket()).map((d) => d.kind), [Kind.RELAY_RTP]);
    assert.strictEqual(r.rtp(a, 1, true, rtpPacket()), Drop.VALVE, "video out still closed");
    r.x.set_valve(a, Medium.VIDEO, Dir.OUT, 1);
    assert.strictEqual(r.relay(a, 1, true, rtpPacket()).filter((d) => d.kind === Kind.RELAY_RTP).length, 1);
    r.x.set_valve(a, Medium.AUDIO, Dir.OUT, 0);
    assert.strictEqual(r.rtp(a, 0, false, rtpPacket()), Drop.VALVE);
  });

  it("a recipient gets a medium only when started and its in valve for it is open", () => {
    const a = r.live(), b = r.open();
    r.x.route_add(a, EVERY, b, EVERY);
    const relays = (video: boolean) => r.relay(a, video ? 1 : 0, video, rtpPacket()).filter((d) => d.kind === Kind.RELAY_RTP).length;
    r.x.set_valve(b, Medium.AUDIO, Dir.IN, 1);
    assert.strictEqual(relays(false), 0, "not started");
    r.x.session_start(b);
    assert.strictEqual(relays(false), 1);
    assert.strictEqual(relays(true), 0, "video in closed");
    r.x.set_valve(b, Medium.VIDEO, Dir.IN, 1);
    assert.strictEqual(relays(true), 1);
    r.x.set_valve(b, Medium.AUDIO, Dir.IN, 0);
    assert.strictEqual(relays(false), 0);
    assert.strictEqual(relays(true), 1);
  });

  it("hangup closes all six, clears started/data ready/recording, keeps the slot open", () => {
    const s = r.live();
    for (const m of [0, 1, 2]) r.x.set_recording(s, m, 1);
    assert.strictEqual(r.x.session_state(s) & ALL_VALVES, ALL_VALVES);
    assert.strictEqual(r.x.session_hangup(s), 0);
    assert.strictEqual(r.x.session_state(s), State.OPEN);
    assert.strictEqual(r.x.session_hangup(7), Err.SLOT);
  });

  it("after hangup a former sender is dropped and a former recipient gets nothing", () => {
    const a = r.live(), b = r.live();
    r.x.route_add(a, EVERY, b, EVERY);
    r.x.session_hangup(b);
    // b is back: routes to it were removed, reopening its valves alone gives nothing.
    r.x.session_start(b);
    for (const m of [0, 1, 2]) r.x.set_valve(b, m, Dir.IN, 1);
    assert.strictEqual(r.relay(a, 0, false, rtpPacket()).length, 0);
    r.x.session_hangup(a);
    assert.strictEqual(r.rtp(a, 0, false, rtpPacket()), Drop.VALVE);
  });
});
