// VP9 SVC layer selection (router-as/media/layers.ts) on a generated three-spatial-layer,
// three-temporal-layer stream: a keyframe first, spatial and temporal caps, switching at
// the right frame boundaries, the marker bit on the top relayed layer, one continuous seq.

import * as assert from "node:assert";
import { Codec, L, NONE } from "./codecs-harness";
import { LayerRig, SvcSource, Recipient, runSvc, steps } from "./layers-rig";

const seqContinuous = (r: Recipient) => steps(r.relayed().map((o) => o.pkt!.seq), 65536).every((d) => d === 1);

describe("router media: VP9 SVC layer selection", () => {
  let rig: LayerRig, src: SvcSource;
  beforeEach(async () => {
    rig = await LayerRig.create(Codec.VP9);
    src = new SvcSource({ seq: 65500 });
  });

  it("relays nothing before a key picture and asks one", () => {
    const r = rig.recipient();
    runSvc(rig, src, 4);
    assert.strictEqual(r.relayed().length, 0);
    assert.strictEqual(r.flagged(L.ASK_KEYFRAME).length, 1);
    assert.deepStrictEqual(rig.state(r), [NONE, NONE, NONE]);
    runSvc(rig, src, 4, true);
    const first = r.relayed()[0];
    assert.deepStrictEqual([first.tag.key, first.tag.sid], [true, 0]);
    assert.ok(first.flags & L.SPATIAL);
    assert.deepStrictEqual(rig.state(r).slice(1), [2, 2]);
    assert.ok(seqContinuous(r));
  });

  it("caps the spatial layer, marks the end of the top relayed layer and closes the seq gaps", () => {
    const r = rig.recipient({ spatial: 1 });
    runSvc(rig, src, 8, true);
    const relayed = r.relayed();
    assert.ok(relayed.every((o) => o.tag.sid <= 1));
    assert.strictEqual(relayed.length, 8 * 2 * 2);
    // The last packet of each picture's layer-1 frame carries the marker; nothing else does.
    const marked = relayed.filter((o) => o.pkt!.marker);
    assert.strictEqual(marked.length, 8);
    assert.ok(marked.every((o) => o.tag.sid === 1 && o.tag.index === 1 && (o.flags & L.MARKER)));
    assert.ok(r.outs.filter((o) => o.tag.sid === 2).every((o) => o.flags === L.SHIFT));
    assert.ok(seqContinuous(r), "the dropped layer leaves no seq gap (and the seq wrapped)");
  });

  it("moves the spatial layer up at a keyframe or at a P = 0 frame of the next layer, down at a picture start", () => {
    const r = rig.recipient({ spatial: 0 });
    runSvc(rig, src, 4, true);
    assert.strictEqual(rig.state(r)[2], 0);
    rig.target(r, { spatial: 2 });
    runSvc(rig, src, 4);
    assert.strictEqual(rig.state(r)[2], 0, "inter-predicted frames of layers 1 and 2 are no switch points");
    runSvc(rig, src, 1, false, true); // layers 1 and 2 without inter-picture prediction
    assert.strictEqual(rig.state(r)[2], 2, "0 → 1 at layer 1's P = 0 frame, then 1 → 2 at layer 2's");
    const ups = r.flagged(L.SPATIAL).slice(1).map((o) => [o.tag.sid, o.tag.index]);
    assert.deepStrictEqual(ups, [[1, 0], [2, 0]]);
    rig.target(r, { spatial: 1 });
    const before = r.outs.length;
    runSvc(rig, src, 2);
    const down = r.outs.slice(before).filter((o) => o.flags & L.SPATIAL);
    assert.deepStrictEqual(down.map((o) => [o.tag.sid, o.tag.index]), [[0, 0]], "at the first packet of the next picture");
    assert.ok(r.outs.slice(before).every((o) => (o.tag.sid <= 1) === ((o.flags & L.RELAY) !== 0)));
    rig.target(r, { spatial: 2 });
    runSvc(rig, src, 2, true);
    assert.strictEqual(rig.state(r)[2], 2, "a key picture takes it straight to the target");
    assert.ok(seqContinuous(r));
  });

  it("caps temporal layers; up only at a switching-up picture, down at the next picture", () => {
    const r = rig.recipient({ temporal: 0 });
    runSvc(rig, src, 8, true); // pattern 0,2,1,2 ×2
    assert.ok(r.relayed().every((o) => o.tag.tid === 0));
    assert.strictEqual(r.relayed().length, 2 * 3 * 2);
    rig.target(r, { temporal: 1 });
    runSvc(rig, src, 1); // tid 0
    runSvc(rig, src, 1); // tid 2 (U): above the target, stays at 0
    assert.strictEqual(rig.state(r)[1], 0);
    runSvc(rig, src, 1); // tid 1 with U: up to 1
    assert.strictEqual(rig.state(r)[1], 1);
    const up = r.flagged(L.TEMPORAL).at(-1)!;
    assert.deepStrictEqual([up.tag.tid, up.tag.sid, up.tag.index], [1, 0, 0]);
    rig.target(r, { temporal: 0 });
    const before = r.outs.length;
    runSvc(rig, src, 4);
    assert.strictEqual(rig.state(r)[1], 0);
    assert.ok(r.outs.slice(before).every((o) => (o.tag.tid === 0) === ((o.flags & L.RELAY) !== 0)));
    assert.ok(seqContinuous(r));
  });
});
