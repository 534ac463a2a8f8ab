/**
 * The scaling sync (sync.go scale) on upstream's TestScale cases (k/k
 * pkg/controller/deployment/sync_test.go), rewritten as replica counts: the ReplicaSets
 * oldest first, annotated for the Deployment before the scale (newDeployment there has
 * maxSurge 0 unless given), each checked by hand below.
 */
import { describe, expect, it } from "vitest";
import { scaleReplicaSets, type ScaledRs } from "../../src/controllers/deployment/proportionalScale.js";

/** ReplicaSets of these sizes, oldest first, annotated for `before` replicas and `beforeSurge`; all available. */
const sets = (sizes: number[], before: number, beforeSurge = 0): ScaledRs[] => sizes.map((replicas) => ({ replicas, desiredAnnotation: before, maxAnnotation: before + beforeSurge, available: replicas }));

describe("scale: upstream's TestScale cases", () => {
  it("one active ReplicaSet takes every replica: 10 -> 12, 10 -> 5; none active: the newest, 0 -> 6", () => {
    expect(scaleReplicaSets(12, 0, true, 10, sets([10], 10), 0)).toEqual([12]);
    expect(scaleReplicaSets(5, 0, true, 10, sets([10], 10), 0)).toEqual([5]);
    expect(scaleReplicaSets(6, 0, true, 0, sets([0, 0, 0], 6), 2)).toEqual([0, 0, 6]);
  });

  it("proportional: 5 -> 10 (old 3, new 2): round(3*10/5) = 6, round(2*10/5) = 4", () => {
    expect(scaleReplicaSets(10, 0, true, 5, sets([3, 2], 5), 1)).toEqual([6, 4]);
  });

  it("proportional: 5 -> 3: old round(3*3/5) = 2, new round(2*3/5) = 1", () => {
    expect(scaleReplicaSets(3, 0, true, 5, sets([3, 2], 5), 1)).toEqual([2, 1]);
  });

  it("proportional: 9 -> 4 (old 1, new 8): new round(32/9) = 4, old round(4/9) = 0", () => {
    expect(scaleReplicaSets(4, 0, true, 9, sets([1, 8], 9), 1)).toEqual([0, 4]);
  });

  it("proportional: 7 -> 10 over three (2, 3, 2 oldest first): 3*10/7 -> 4, 2*10/7 -> 3 each", () => {
    expect(scaleReplicaSets(10, 0, true, 7, sets([2, 3, 2], 7), 2)).toEqual([3, 4, 3]);
  });

  it("proportional: 13 -> 8 over (3, 8, 2): 8*8/13 -> 5, 3*8/13 -> 2, 2*8/13 -> 1", () => {
    expect(scaleReplicaSets(8, 0, true, 13, sets([3, 8, 2], 13), 2)).toEqual([2, 5, 1]);
  });

  it("leftovers: 3 -> 4 to the newest of equals (scaling up), 3 -> 2 from the oldest of equals (scaling down)", () => {
    expect(scaleReplicaSets(4, 0, true, 3, sets([1, 1, 1], 3), 2)).toEqual([1, 1, 2]);
    expect(scaleReplicaSets(2, 0, true, 3, sets([1, 1, 1], 3), 2)).toEqual([0, 1, 1]);
  });

  it("no new ReplicaSet (template changed while paused): 4 -> 5 over (2, 2): round(2*5/4) = 3 to the newer", () => {
    expect(scaleReplicaSets(5, 0, true, 4, sets([2, 2], 4), -1)).toEqual([2, 3]);
  });

  it("to zero: every ReplicaSet to 0", () => {
    expect(scaleReplicaSets(0, 0, true, 6, sets([1, 2, 3], 6), 2)).toEqual([0, 0, 0]);
  });

  it("with surge: 10 -> 20, maxSurge 2 (6, 6): 6*22/12 = 11 each", () => {
    expect(scaleReplicaSets(20, 2, true, 12, sets([6, 6], 10, 2), 1)).toEqual([11, 11]);
  });

  it("surge and size change: 10 (+3) -> 50 (+6), old 8, new 5: 8*56/13 -> 34, 5*56/13 -> 22", () => {
    expect(scaleReplicaSets(50, 6, true, 13, sets([8, 5], 10, 3), 1)).toEqual([34, 22]);
  });

  it("a saturated but broken new ReplicaSet does not touch the old pods (nothing to add: 2 + 1 = 3 already)", () => {
    const list = sets([1, 2], 2, 1);
    list[1].available = 0;
    expect(scaleReplicaSets(2, 1, true, 3, list, 1)).toEqual([1, 2]);
  });

  it("a saturated new ReplicaSet (all replicas, annotated, available): the old ones to 0", () => {
    expect(scaleReplicaSets(2, 1, true, 3, sets([1, 2], 2, 1), 1)).toEqual([0, 2]);
  });
});
