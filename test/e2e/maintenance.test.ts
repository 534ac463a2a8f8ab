/**
 * scenarios/maintenance.yaml: the drain of general-2 under a PDB of maxUnavailable 1.
 * Hand computation: at 600 s one eviction is allowed (48 healthy, 47 desired); each
 * replacement runs ~1 s later, so the next refused pod is allowed at its 5 s retry:
 * evictions at 600, 605, 610, 615 s (refused 3 + 2 + 1 times), each pod gone after its
 * 30 s grace: the drain completes at 645 s. The DaemonSet pod stays on the node.
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
});
