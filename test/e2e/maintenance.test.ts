/**
 * scenarios/maintenance.yaml: the drain of general-2 under a PDB of maxUnavailable 1.
 * Hand computation: at 600 s one eviction is allowed (48 healthy, 47 desired); each
 * replacement runs ~1.01 s later, so the next refused pod is allowed at its 5 s retry:
 * evictions at 600, 605, 610, 615 s (refused 3 + 2 + 1 times), each pod gone after its
 * 30 s grace: the drain completes at 645 s. The DaemonSet pod stays on the node.
 *
 * workload_summary.csv by hand. A controller's creates go through the fixed-latency API
 * (5 ms), one sync's in slow-start batches of 1, 2, 4, 8, ... each sent once the previous
 * one is answered; a create decided while a sync of the same ReplicaSet is in flight waits
 * for that sync to end. A scheduling cycle costs 1000 us + 3 us per node evaluated + 2 us
 * per feasible node (12 nodes: 1.06 ms; 11 feasible while general-2 is cordoned: 1.058 ms),
 * pods created together are scheduled one cycle after another, binding 5 ms, start-up 1 s.
 * Spells of web below its desired available count:
 * - the scale to 48 at 300 s: 12 creates in batches 1, 2, 4, 5 exist at 300.005, .010 (2),
 *   .015 (4), .020 (5); the scheduler is idle when each batch arrives, so the 5 of the last
 *   batch are bound at 300.020 + k x 0.00106 + 0.005 (k = 1..5), the 12th available at
 *   300.020 + 5 x 0.00106 + 0.005 + 1 = 301.0303 (1.0303 s);
 * - each of the 4 evictions: its replacement is created 5 ms later and available
 *   0.005 + 0.001058 + 0.005 + 1 = 1.011058 s after the eviction;
 * - the rollout at 1620 s (24 replicas, 25 %: surge 6, unavailable 6): 6 old pods go and
 *   12 new ones are decided, available as in the scale-up: 1621.01106, .01606, .01712,
 *   .02106, .02212, .02318, .02424, .02606, .02712, .02818, .02924, .0303. Each lets one old
 *   pod go and one more new pod be decided at that instant; the ReplicaSet's syncs: [1] at
 *   .01106 (created .01606), [2] at .01606 (.02106), [3, 4] at .02106 (batch 1 .02606,
 *   batch 1 .03106), [5..12] at .03106 (batches 1, 2, 4, 1: .03606, .04106 (2), .04606 (4),
 *   .05106). The last one (alone, the scheduler idle) is available at 1621.05106 + 0.00106
 *   + 0.005 + 1 = 1622.05712 (2.05712 s).
 * In all 1.0303 + 4 x 1.011058 + 2.05712 = 7.131652 s, fewest available 18 (24 - 6).
 * The PDB (maxUnavailable 1: desiredHealthy = replicas - 1) is below only where healthy <
 * replicas - 1: never in the drain (an eviction needs healthy > desiredHealthy), from 300 s
 * to the 11th new pod (300.020 + 4 x 0.00106 + 1.005 = 301.02924: 1.02924 s) and from 1620 s
 * to the 23rd new pod of the rollout, the 11th of the chain: the 4th of the batch created at
 * 1621.04606, available at 1621.04606 + 4 x 0.00106 + 1.005 = 1622.0553 (2.0553 s):
 * 1.02924 + 2.0553 = 3.08454 s.
 */
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runCluster } from "../../src/run/run.js";

describe("scenarios/maintenance.yaml", () => {
  const r = runCluster(resolveScenario(loadScenarioFile("scenarios/maintenance.yaml").scenario));

  it("evicts general-2's web pods one at a time, 5 s apart, as the PDB allows; the DaemonSet pod stays", () => {
    const drained = r.pods.filter((p) => p.outcome === "drained" && p.owner === "Deployment/shop/web");
    expect(drained.map((p) => p.deletion_requested_s).sort((a, b) => a! - b!)).toEqual([600, 605, 610, 615]);
    for (const p of drained) expect(p.deleted_s! - p.deletion_requested_s!).toBe(30);
    expect(r.events.find((e) => e.kind === "DrainCompleted")!.sim_time_s).toBe(645);
    expect(r.summary.find((m) => m.metric === "evictions_refused_by_pdb")!.value).toBe(3 + 2 + 1);
    expect(r.pods.find((p) => p.node === "general-2" && p.owner === "DaemonSet/kube-system/node-agent")).toMatchObject({ outcome: "running" });
  });

  it("workloads.csv: never more than one web pod unavailable during the drain; 24 after the scale-down", () => {
    for (const w of r.workloads.filter((x) => x.workload === "Deployment/shop/web" && x.sim_time_s >= 600 && x.sim_time_s <= 650)) expect(w.desired - w.available).toBeLessThanOrEqual(1);
    expect(r.workloads.filter((x) => x.workload === "Deployment/shop/web").at(-1)).toMatchObject({ desired: 24, current: 24, updated: 24, ready: 24, terminating: 0 });
    // the rollout at 27 min: never below 24 - 6 available, never above 24 + 6 pods
    for (const w of r.workloads.filter((x) => x.workload === "Deployment/shop/web" && x.sim_time_s >= 1620)) {
      expect(w.available).toBeGreaterThanOrEqual(18);
      expect(w.current).toBeLessThanOrEqual(30);
    }
    expect(r.events.find((e) => e.kind === "RolloutComplete")!.sim_time_s).toBeLessThan(1620 + 30);
  });

  it("workload_summary.csv: web 7.131652 s below desired (scale-up, 4 evictions, rollout), its PDB 3.08454 s below desiredHealthy and 6 refusals", () => {
    const [web, agent, cache] = r.workloadSummary;
    expect(web).toEqual({
      workload: "Deployment/shop/web",
      rollouts_completed: 1,
      rollout_duration_max_s: expect.closeTo(2.05712, 9),
      below_desired_s: expect.closeTo(1.0303 + 4 * 1.011058 + 2.05712, 9),
      available_min: 18,
      pdb: "shop/web",
      pdb_below_desired_healthy_s: expect.closeTo(1.02924 + 2.0553, 9),
      pdb_evictions_refused: 3 + 2 + 1,
    });
    // the agent pod stays on the drained node; the StatefulSet's pods are never disrupted
    expect(agent).toMatchObject({ workload: "DaemonSet/kube-system/node-agent", below_desired_s: 0, available_min: 12, pdb: "" });
    expect(cache).toMatchObject({ workload: "StatefulSet/shop/cache", below_desired_s: 0, available_min: 3, pdb: "" });
    const metric = (m: string) => r.summary.find((s) => s.metric === m)!.value;
    expect(metric("rollout_duration_max_s")).toBeCloseTo(2.05712, 9);
    expect(metric("workload_below_desired_max_s")).toBeCloseTo(7.131652, 9);
  });
});
