import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

function cluster(topology: string) {
  return {
    name: "gate",
    duration: "90s",
    sampleInterval: "10s",
    nodePools: [{ name: "w", count: 20, zones: ["a", "b"], allocatable: { cpu: "16", memory: "64Gi", pods: 110 } }],
    workloads: [
      {
        kind: "PoissonArrivals",
        name: "batch",
        rate: 5,
        lifetime: "20s",
        template: { spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } },
      },
    ],
    controlPlane: { topology, load: { nodeLeases: 0, podStatusUpdatesPerSecond: 0, bindingsPerSecond: 0, cachedReadsPerSecond: 0, quorumReadsPerSecond: 0 }, faults: [{ type: "host-loss", at: "30s", host: "control-plane-0" }] },
  };
}

describe("the kube-scheduler binds only while it holds its lease", () => {
  it("single control plane: no pod is bound after its host is lost", () => {
    const r = simulate(cluster("single-control-plane"));
    const scheduled = r.pods.map((p) => p.scheduled_s).filter((t): t is number => typeof t === "number");
    expect(scheduled.filter((t) => t < 30).length).toBeGreaterThan(100);
    expect(scheduled.filter((t) => t > 30)).toEqual([]);
  });

  it("stacked 3: binding pauses while the lease moves, then resumes", () => {
    const r = simulate(cluster("stacked"));
    const scheduled = r.pods.map((p) => p.scheduled_s).filter((t): t is number => typeof t === "number").sort((a, b) => a - b);
    const after = scheduled.filter((t) => t > 30);
    // nothing between the loss and the lease moving (>= 13 s); bindings again afterwards
    expect(after.length).toBeGreaterThan(50);
    expect(after[0]).toBeGreaterThan(30 + 13);
    expect(after[0]).toBeLessThan(30 + 24 + 10); // + the scheduler's error back-off (max 10 s)
  });
});
