/**
 * scenarios/maintenance.yaml: the drain of general-2 under a PDB of maxUnavailable 1.
 * Hand computation: at 600 s one eviction is allowed (48 healthy, 47 desired); each
 * replacement runs ~1 s later, so the next refused pod is allowed at its 5 s retry:
 * evictions at 600, 605, 610, 615 s (refused 3 + 2 + 1 times), each pod gone after its
 * 30 s grace: the drain completes at 645 s. The DaemonSet pod stays on the node.
 *
 * workload_summary.csv by hand. A scheduling cycle costs 1000 us + 3 us per node evaluated
 * + 2 us per feasible node (12 nodes: 1.06 ms; 11 feasible while general-2 is cordoned:
 * 1.058 ms), binding 5 ms, start-up 1 s. Spells of web below its desired available count:
 * - the scale to 48 at 300 s: 12 pods created at once, the k-th available at
 *   300 + k x 0.00106 + 0.005 + 1: all 48 at 301.01772 (1.01772 s);
 * - each of the 4 evictions: its replacement is available 0.001058 + 0.005 + 1 = 1.006058 s later;
 * - the rollout at 1620 s (24 replicas, 25 %: surge 6, unavailable 6): 6 old pods go and
 *   12 new ones are created at once; the k-th is available at 1621.005 + k x 0.00106 and
 *   lets one old pod go and one more new pod be created, available 1.00606 s later: the
 *   24th new pod at 1621.005 + 12 x 0.00106 + 1.00606 = 1622.02378 (2.02378 s).
 * In all 1.01772 + 4 x 1.006058 + 2.02378 = 7.065732 s, fewest available 18 (24 - 6).
 * The PDB (maxUnavailable 1: desiredHealthy = replicas - 1) is below only where healthy <
 * replicas - 1: never in the drain (an eviction needs healthy > desiredHealthy), from 300 s
 * to the 11th new pod (1.01666 s) and from 1620 s to the 23rd new pod of the rollout (1620
 * + 1.005 + 11 x 0.00106 + 1.00606 = 1622.02272): 1.01666 + 2.02272 = 3.03938 s.
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

  it("workload_summary.csv: web 7.065732 s below desired (scale-up, 4 evictions, rollout), its PDB 3.03938 s below desiredHealthy and 6 refusals", () => {
    const [web, agent, cache] = r.workloadSummary;
    expect(web).toEqual({
      workload: "Deployment/shop/web",
      rollouts_completed: 1,
      rollout_duration_max_s: expect.closeTo(2.02378, 9),
      below_desired_s: expect.closeTo(1.01772 + 4 * 1.006058 + 2.02378, 9),
      available_min: 18,
      pdb: "shop/web",
      pdb_below_desired_healthy_s: expect.closeTo(1.01666 + 2.02272, 9),
      pdb_evictions_refused: 3 + 2 + 1,
    });
    // the agent pod stays on the drained node; the StatefulSet's pods are never disrupted
    expect(agent).toMatchObject({ workload: "DaemonSet/kube-system/node-agent", below_desired_s: 0, available_min: 12, pdb: "" });
    expect(cache).toMatchObject({ workload: "StatefulSet/shop/cache", below_desired_s: 0, available_min: 3, pdb: "" });
    const metric = (m: string) => r.summary.find((s) => s.metric === m)!.value;
    expect(metric("rollout_duration_max_s")).toBeCloseTo(2.02378, 9);
    expect(metric("workload_below_desired_max_s")).toBeCloseTo(7.065732, 9);
  });
});
