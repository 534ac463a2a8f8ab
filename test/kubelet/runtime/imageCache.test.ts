/**
 * The kubelet's image GC (image_gc_manager.go GarbageCollect / freeSpace), a hand case:
 * capacity 100 GiB, thresholds 85/80, minimum age 2 min, GC at t = 10 min.
 *
 *   image  size   firstDetected  lastUsed   note
 *   a      20Gi   preloaded      0          never used
 *   b      30Gi   1 min          3 min      used once, at the 3-min pass
 *   c      20Gi   9 min          0          pulled 1 min ago: too young
 *   d      10Gi   2 min          0
 *   e      10Gi   1 min          -          in use now
 *
 * used 90 GiB, available 10 GiB: usage 90 % >= 85 % -> free 100 x 20 % - 10 = 10 GiB.
 * Eviction order by lastUsed then firstDetected: a (0, past), d (0, 2m), c (0, 9m),
 * b (3m), e (now, marked at this pass). a goes (20 GiB >= 10 GiB freed): done. With the
 * low threshold at 50 % it frees 100 x 50 % - 10 = 40 GiB: a, d (30 GiB), c is too young
 * (skipped), b (60 GiB): done, e never reached.
 */
import { describe, expect, it } from "vitest";
import { NodeImages } from "../../../src/kubelet/runtime/imageCache.js";

const GI = 2 ** 30;
const MIN = 60e6;
const A = 0, B = 1, C = 2, D = 3, E = 4;

function node(): NodeImages {
  const n = new NodeImages();
  n.add(A, 20 * GI, -Number.MAX_SAFE_INTEGER);
  n.add(B, 30 * GI, 1 * MIN);
  n.add(C, 20 * GI, 9 * MIN);
  n.add(D, 10 * GI, 2 * MIN);
  n.add(E, 10 * GI, 1 * MIN);
  n.records.get(B)!.lastUsedUs = 3 * MIN;
  return n;
}

const policy = (low: number) => ({ capacityBytes: 100 * GI, highThresholdPercent: 85, lowThresholdPercent: low, minimumAgeUs: 2 * MIN });

describe("image GC", () => {
  it("frees down to the low threshold, least recently used first", () => {
    const n = node();
    expect(n.garbageCollect(10 * MIN, new Set([E]), policy(80))).toEqual([A]);
    expect(n.usedBytes).toBe(70 * GI);
  });

  it("skips images too young, never removes an image in use", () => {
    const n = node();
    expect(n.garbageCollect(10 * MIN, new Set([E]), policy(50))).toEqual([A, D, B]);
    expect([...n.records.keys()].sort()).toEqual([C, E]);
    // the in-use image was marked used at the pass
    expect(n.records.get(E)!.lastUsedUs).toBe(10 * MIN);
  });

  it("does nothing below the high threshold (usage% = 100 - int(available x 100 / capacity))", () => {
    const n = node();
    n.remove(B); // 60 GiB used: 60 %
    expect(n.garbageCollect(10 * MIN, new Set(), policy(80))).toEqual([]);
    expect(n.usedBytes).toBe(60 * GI);
  });

  it("stops at the first image used now: everything after it in the order is in use too", () => {
    // Without the pass's marking, e (never seen in use) sorts with the unused: a, e, d, (c young), b.
    expect(node().freeSpace(100 * GI, 10 * MIN, 2 * MIN)).toEqual([A, E, D, B]);
    // b, c and e used now: asking for more than a and d hold frees just those.
    const m = node();
    for (const id of [B, C, E]) m.records.get(id)!.lastUsedUs = 10 * MIN;
    expect(m.freeSpace(100 * GI, 10 * MIN, 2 * MIN)).toEqual([A, D]);
  });
});
