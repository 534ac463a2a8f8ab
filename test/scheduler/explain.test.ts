/**
 * kubesim explain on a fixture cluster, against scores computed by hand from the
 * upstream formulas (kube-scheduler-semantics.md §2.3, §3, §4, §9):
 *
 * Pod: cpu 500m, memory 1Gi, image nginx:1.25. Nodes (allocatable):
 *   n1: 4 cpu, 8Gi, runs web-0 (1 cpu, 2Gi), has the 500 MiB nginx image
 *   n2: 2 cpu, 8Gi
 *   n3: NoSchedule taint -> "node(s) had untolerated taint(s)"
 *   n4: 400m cpu -> "Insufficient cpu"
 *
 * NodeResourcesFit LeastAllocated, (alloc - req) * 100 div alloc, mean of cpu/mem:
 *   n1: cpu (4000-1500)*100/4000 = 62, mem (8-3)*100/8 = 62 -> 62
 *   n2: cpu (2000-500)*100/2000 = 75, mem (8-1)*100/8 = 87 -> (75+87) div 2 = 81
 * BalancedAllocation, (1 - |f_cpu - f_mem| / 2) * 100 truncated:
 *   n1: 0.375 / 0.375 -> 100;  n2: 0.25 / 0.125 -> std 0.0625 -> 93
 * TaintToleration: no PreferNoSchedule taints -> 100 everywhere (weight 3).
 * ImageLocality: n1 has the image: 500 MiB * 1 node / 4 nodes = 125 MiB;
 *   100 * (125 MiB - 23 MiB) div (1000 MiB - 23 MiB) = 10; n2: 0.
 * Totals: n1 = 3*100 + 62 + 100 + 10 = 472; n2 = 300 + 81 + 93 = 474 -> n2.
 *
 * With MostAllocated: n1: cpu 1500*100/4000 = 37, mem 3*100/8 = 37 -> 37;
 *   n2: 25, 12 -> 18. Totals n1 = 300 + 37 + 100 + 10 = 447, n2 = 300 + 18 + 93 = 411 -> n1.
 */
import { describe, expect, it } from "vitest";
import { explainFiles, type ExplainOutput } from "../../src/cli/explain.js";

const F = "test/scheduler/fixtures/explain";

async function run(opts: { config?: string; cluster?: string[] } = {}): Promise<{ out: ExplainOutput; notes: string[] }> {
  const notes: string[] = [];
  const text = await explainFiles({ cluster: opts.cluster ?? [`${F}/cluster.yaml`, `${F}/pods.yaml`], pod: `${F}/pod.yaml`, config: opts.config }, notes);
  return { out: JSON.parse(text) as ExplainOutput, notes };
}

describe("kubesim explain", () => {
  it("default profile: filter reasons, per-plugin normalized scores and weighted totals", async () => {
    const { out, notes } = await run();
    expect(out.pod).toBe("default/api-7");
    expect(out.profile).toBe("default-scheduler");
    expect(out.numFeasibleNodesToFind).toBe(4);
    expect(out.nodes.map((n) => n.name)).toEqual(["n1", "n2", "n3", "n4"]);
    const [n1, n2, n3, n4] = out.nodes;
    expect(n1).toMatchObject({ feasible: true, reasons: [], total: 472 });
    expect(n1.scores).toMatchObject({ TaintToleration: 100, NodeResourcesFit: 62, NodeResourcesBalancedAllocation: 100, ImageLocality: 10 });
    expect(n2).toMatchObject({ feasible: true, reasons: [], total: 474 });
    expect(n2.scores).toMatchObject({ TaintToleration: 100, NodeResourcesFit: 81, NodeResourcesBalancedAllocation: 93, ImageLocality: 0 });
    expect(n3).toMatchObject({ feasible: false, reasons: ["node(s) had untolerated taint(s)"], scores: {}, total: 0 });
    expect(n4).toMatchObject({ feasible: false, reasons: ["Insufficient cpu"], scores: {} });
    expect(out.selected).toBe("n2");
    // The ConfigMap is noted on stderr, not an error.
    expect(notes.some((n) => n.includes("ignoring ConfigMap settings"))).toBe(true);
  });

  it("total is the weighted sum of the listed scores", async () => {
    const { out } = await run();
    const weights: Record<string, number> = { TaintToleration: 3, NodeAffinity: 2, PodTopologySpread: 2, InterPodAffinity: 2 };
    for (const n of out.nodes.filter((x) => x.feasible)) {
      const sum = Object.entries(n.scores).reduce((s, [p, v]) => s + v * (weights[p] ?? 1), 0);
      expect(n.total).toBe(sum);
    }
  });

  it("a MostAllocated profile from --config packs onto the busier node", async () => {
    const { out } = await run({ config: `${F}/mostallocated.yaml` });
    expect(out.nodes[0].scores.NodeResourcesFit).toBe(37);
    expect(out.nodes[1].scores.NodeResourcesFit).toBe(18);
    expect(out.nodes[0].total).toBe(447);
    expect(out.nodes[1].total).toBe(411);
    expect(out.selected).toBe("n1");
  });

  it("bad input: one line naming the file and field", async () => {
    await expect(run({ cluster: [`${F}/bad-node.yaml`] })).rejects.toThrow(
      `${F}/bad-node.yaml: status.allocatable.cpu: Invalid value: "four": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
    await expect(run({ cluster: [`${F}/missing.yaml`] })).rejects.toThrow(`${F}/missing.yaml: no such file`);
    await expect(run({ config: `${F}/pod.yaml` })).rejects.toThrow(`${F}/pod.yaml: metadata: unknown field`);
  });
});

describe("kubesim explain with a custom plugin", () => {
  it("the example DominantResourceFit filters and scores by the dominant share after placement", async () => {
    // maxUtilizationPercent 30. n1 after placement: cpu 1.5/4 = 37.5%, mem 3/8 = 37.5% -> over the cap.
    // n2: cpu 0.5/2 = 25%, mem 1/8 = 12.5% -> fits; score 100 * 0.25 = 25.
    const notes: string[] = [];
    const text = await explainFiles(
      {
        cluster: [`${F}/cluster.yaml`, `${F}/pods.yaml`],
        pod: `${F}/pod.yaml`,
        config: `${F}/plugin-config.yaml`,
        plugins: ["scenarios/plugins/dominantResourceFit.mjs"],
      },
      notes,
    );
    const out = JSON.parse(text) as ExplainOutput;
    expect(out.nodes[0]).toMatchObject({ name: "n1", feasible: false, reasons: ["node(s) would exceed 30% cpu or memory requested"] });
    expect(out.nodes[1].feasible).toBe(true);
    expect(out.nodes[1].scores.DominantResourceFit).toBe(25);
    // Only one node is feasible, so it is selected.
    expect(out.selected).toBe("n2");
  });

  it("a config naming the plugin without loading it is a one-line error", async () => {
    await expect(run({ config: `${F}/plugin-config.yaml` })).rejects.toThrow(
      `${F}/plugin-config.yaml: profiles[0].plugins.multiPoint.enabled[0].name: expected a registered plugin (in-tree or loaded with --plugin / scheduler.customPlugins), got "DominantResourceFit"`,
    );
  });
});

describe("explain and the simulation share one cycle", () => {
  it("the scheduler component binds the pod where explain says", async () => {
    const { Simulation } = await import("../../src/engine/simulation.js");
    const { snapshotFromObjects } = await import("../../src/scheduler/snapshot.js");
    const { defaultSchedulerConfiguration } = await import("../../src/scheduler/config/schedulerConfig.js");
    const { buildRuntimes } = await import("../../src/scheduler/config/runtime.js");
    const { Scheduler } = await import("../../src/scheduler/scheduler.js");
    const { clusterObjects, readPod } = await import("../../src/cli/explain.js");
    const notes: string[] = [];
    const { objects: objs, admission } = clusterObjects([`${F}/cluster.yaml`, `${F}/pods.yaml`], notes);
    const pod = readPod(`${F}/pod.yaml`, notes, admission);
    objs.namespaces = admission.namespaceList();
    const { out } = await run();
    const sim = new Simulation(1);
    const snapshot = snapshotFromObjects(objs);
    const runtimes = buildRuntimes(defaultSchedulerConfiguration(), snapshot, { random: sim.rng.stream("scheduler.selectHost") });
    let boundTo = "";
    const sched = new Scheduler(sim, snapshot, runtimes, { bound: (_p, n) => void (boundTo = snapshot.nodes.names[n]) });
    sched.addPod(0, snapshot.compile(pod), "default/api-7");
    sim.run();
    expect(boundTo).toBe(out.selected);
  });
});
