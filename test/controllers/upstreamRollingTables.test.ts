/**
 * The rolling-update arithmetic against upstream's own unit-test tables, row for row:
 * - kubernetes/kubernetes pkg/controller/deployment/util/deployment_util_test.go at commit
 *   00216e4596922fe546c0e5548921d01e2d91db12: TestResolveFenceposts, TestNewRSNewReplicas,
 *   TestMaxUnavailable, TestMinAvailable;
 * - pkg/controller/deployment/rolling_test.go at commit
 *   00bdb3fade2ef1ada898bd8fae2c6a1958da3a5d (the same numbers stand in the later ktesting
 *   versions): TestDeploymentController_reconcileNewReplicaSet, _reconcileOldReplicaSets,
 *   _cleanupUnhealthyReplicas, _scaleDownOldReplicaSetsForRollingUpdate.
 * Each row names its upstream test; the inputs and expected outputs are upstream's, put
 * into kubesim's signatures (replica counts instead of ReplicaSet objects). Not carried:
 * rows that expect a parse error for a malformed intstr ("oops", "urg") and the Recreate
 * rows of TestNewRSNewReplicas, TestMaxUnavailable and TestMinAvailable (kubesim's Recreate
 * lives in replicaSet.ts and never reads these functions); the two update-error rows of
 * _reconcileOldReplicaSets (API failures are not injected; their numbers repeat rows 2-3).
 */
import { describe, expect, it } from "vitest";
import {
  cleanupUnhealthyReplicas,
  maxUnavailable,
  newReplicaSetReplicas,
  newRSNewReplicas,
  oldReplicaSetsReplicas,
  resolveFenceposts,
  scaleDownOldReplicaSetsForRollingUpdate,
} from "../../src/controllers/deployment/rollingUpdate.js";

/** An absent maxSurge/maxUnavailable reads as intstr 0 in ResolveFenceposts. */
const NIL = 0;

describe("TestResolveFenceposts", () => {
  // [maxSurge, maxUnavailable, desired, surge, unavailable]
  const rows: [number | string, number | string, number, number, number][] = [
    ["0%", "0%", 0, 0, 1],
    ["39%", "39%", 10, 4, 3],
    [NIL, "39%", 10, 0, 3],
    ["39%", NIL, 10, 4, 0],
    [NIL, NIL, 10, 0, 1],
  ];
  for (const [s, u, desired, surge, unavailable] of rows) {
    it(`${s}/${u} of ${desired}: surge ${surge}, unavailable ${unavailable}`, () => {
      expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
    });
  }
});

describe("TestNewRSNewReplicas (RollingUpdate rows; maxUnavailable 1; all ReplicaSets = one of 5 replicas)", () => {
  // [name, deployment replicas, new RS replicas, maxSurge, expected]
  const rows: [string, number, number, number, number][] = [
    ["can not scale up - to newRSReplicas", 1, 5, 1, 5],
    ["scale up - to depReplicas", 6, 2, 10, 6],
  ];
  for (const [name, desired, newReplicas, maxSurge, expected] of rows) {
    it(name, () => {
      const { surge } = resolveFenceposts(maxSurge, 1, desired);
      expect(newRSNewReplicas(desired, surge, 5, newReplicas)).toBe(expected);
    });
  }
});

describe("TestMaxUnavailable (RollingUpdate, maxSurge 1)", () => {
  // [name, replicas, maxUnavailable, MaxUnavailable]
  const rows: [string, number, number | string, number][] = [
    ["less than replicas", 10, 5, 5],
    ["equal replicas", 10, 10, 10],
    ["greater than replicas", 5, 10, 5],
    ["replicas is 0", 0, 10, 0],
    ["less than replicas with percents", 10, "50%", 5],
    ["equal replicas with percents", 10, "100%", 10],
    ["greater than replicas with percents", 5, "100%", 5],
  ];
  for (const [name, replicas, mu, expected] of rows) {
    it(`${name}: ${expected}`, () => {
      expect(maxUnavailable(1, mu, replicas)).toBe(expected);
    });
  }
});

describe("TestMinAvailable (RollingUpdate, maxSurge 1): replicas - MaxUnavailable, the minAvailable reconcileOldReplicaSets uses", () => {
  // [name, replicas, maxUnavailable, MinAvailable]
  const rows: [string, number, number | string, number][] = [
    ["replicas greater than maxUnavailable", 10, 5, 5],
    ["replicas equal maxUnavailable", 10, 10, 0],
    ["replicas less than maxUnavailable", 5, 10, 0],
    ["replicas is 0", 0, 10, 0],
    ["replicas greater than maxUnavailable with percents", 10, "60%", 4],
    ["replicas equal maxUnavailable with percents", 10, "100%", 0],
    ["replicas less than maxUnavailable with percents", 5, "100%", 0],
  ];
  for (const [name, replicas, mu, expected] of rows) {
    it(`${name}: ${expected}`, () => {
      expect(replicas - maxUnavailable(1, mu, replicas)).toBe(expected);
    });
  }
});

describe("TestDeploymentController_reconcileNewReplicaSet (maxUnavailable 0)", () => {
  // [deployment replicas, maxSurge, old replicas, new replicas, scale expected, expected new replicas]
  const rows: [number, number, number, number, boolean, number][] = [
    [10, 0, 10, 0, false, 0],
    [10, 2, 10, 0, true, 2],
    [10, 2, 5, 0, true, 7],
    [10, 2, 10, 2, false, 2],
    [10, 2, 2, 11, true, 10],
  ];
  for (const [desired, maxSurge, oldReplicas, newReplicas, scaled, expected] of rows) {
    it(`${desired} replicas, surge ${maxSurge}, old ${oldReplicas}, new ${newReplicas}: ${scaled ? `to ${expected}` : "no scaling"}`, () => {
      const { surge } = resolveFenceposts(maxSurge, 0, desired);
      const got = newReplicaSetReplicas(desired, surge, oldReplicas + newReplicas, newReplicas);
      expect(got !== newReplicas).toBe(scaled);
      expect(got).toBe(expected);
    });
  }
});

describe("TestDeploymentController_reconcileOldReplicaSets (maxSurge 0, one old ReplicaSet)", () => {
  // [deployment replicas, maxUnavailable, old replicas, new replicas, ready old, ready new, scale expected, expected old replicas]
  // Upstream's loop checks the scaled flag only; its table's expectedOldReplicas is checked here too.
  const rows: [number, number, number, number, number, number, boolean, number][] = [
    [10, 0, 10, 0, 10, 0, true, 9],
    [10, 2, 10, 0, 10, 0, true, 8],
    [10, 2, 10, 0, 8, 0, true, 8], // the unhealthy old replicas are cleaned up
    [10, 2, 10, 0, 9, 0, true, 8], // one unhealthy cleaned up, one ready scaled down
    [10, 2, 8, 2, 8, 0, false, 8], // the new ReplicaSet's unavailable pods block further scale-down
  ];
  for (const [desired, mu, oldReplicas, newReplicas, readyOld, readyNew, scaled, expected] of rows) {
    it(`${desired} replicas, maxUnavailable ${mu}, old ${oldReplicas} (${readyOld} ready), new ${newReplicas} (${readyNew} ready): ${scaled ? `to ${expected}` : "no scaling"}`, () => {
      const [got] = oldReplicaSetsReplicas(desired, maxUnavailable(0, mu, desired), [{ replicas: oldReplicas, available: readyOld }], { replicas: newReplicas, available: readyNew });
      expect(got !== oldReplicas).toBe(scaled);
      expect(got).toBe(expected);
    });
  }
});

describe("TestDeploymentController_cleanupUnhealthyReplicas (one old ReplicaSet)", () => {
  // [old replicas, ready pods, unhealthy pods, maxCleanupCount, cleaned up]
  const rows: [number, number, number, number, number][] = [
    [10, 8, 2, 1, 1],
    [10, 8, 2, 3, 2],
    [10, 8, 2, 0, 0],
    [10, 10, 0, 3, 0],
  ];
  for (const [oldReplicas, ready, unhealthy, max, cleaned] of rows) {
    it(`${oldReplicas} replicas, ${ready} ready, ${unhealthy} unhealthy, at most ${max}: ${cleaned} cleaned up`, () => {
      expect(ready + unhealthy).toBe(oldReplicas);
      const got = cleanupUnhealthyReplicas([{ replicas: oldReplicas, available: ready }], max);
      expect(got.cleaned).toBe(cleaned);
      expect(got.replicas).toEqual([oldReplicas - cleaned]);
    });
  }
});

describe("TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate (maxSurge 0, the old ReplicaSet is all there is)", () => {
  // [deployment replicas, maxUnavailable, ready pods, old replicas, scale expected, expected old replicas]
  const rows: [number, number, number, number, boolean, number][] = [
    [10, 0, 10, 10, true, 9],
    [10, 2, 10, 10, true, 8],
    [10, 2, 8, 10, false, 10],
    [10, 2, 10, 0, false, 0],
    [10, 2, 1, 10, false, 10],
  ];
  for (const [desired, mu, ready, oldReplicas, scaled, expected] of rows) {
    it(`${desired} replicas, maxUnavailable ${mu}, ${ready} ready of ${oldReplicas}: ${scaled ? `to ${expected}` : "no scaling"}`, () => {
      const got = scaleDownOldReplicaSetsForRollingUpdate(desired, maxUnavailable(0, mu, desired), ready, [oldReplicas]);
      expect(got.scaledDown > 0).toBe(scaled);
      expect(got.replicas).toEqual([expected]);
    });
  }
});
