/**
 * `kubesim capacity` against hand-computed cases: how many copies of a pod fit, limited
 * once by cpu, once by required pod anti-affinity, once by a taint; how many nodes of a
 * type a workload needs, and how many more to survive the loss of a zone (or a node).
 */
import { describe, expect, it } from "vitest";
import { Admission } from "../../src/apiserver/admission/admission.js";
import type { Node, Pod } from "../../src/model/types.js";
import { defaultSchedulerConfiguration } from "../../src/scheduler/config/schedulerConfig.js";
import { podCapacity } from "../../src/experiments/capacity/podCapacity.js";
import { nodesNeeded } from "../../src/experiments/capacity/nodesNeeded.js";
import type { PodToPlace } from "../../src/experiments/capacity/placement.js";

const config = defaultSchedulerConfiguration();

function node(name: string, cpu: string, opts: { zone?: string; taints?: Node["spec"] extends infer S ? S extends { taints?: infer T } ? T : never : never } = {}): Node {
  const labels: Record<string, string> = { "kubernetes.io/hostname": name };
  if (opts.zone) labels["topology.kubernetes.io/zone"] = opts.zone;
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels }, spec: { taints: opts.taints }, status: { allocatable: { cpu, memory: "64Gi", pods: "110" } } } as Node;
}

function pod(name: string, cpu: string, extra: Partial<NonNullable<Pod["spec"]>> = {}, labels: Record<string, string> = { app: "x" }, nodeName?: string): Pod {
  return new Admission().admitPod({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels }, spec: { containers: [{ name: "c", image: "x", resources: { requests: { cpu } } }], ...extra, ...(nodeName ? { nodeName } : {}) } } as Pod);
}

describe("how many more copies of a pod fit", () => {
  it("limited by cpu: 4-cpu nodes, one with 1 cpu taken, 1-cpu copies: 3 + 4 + 4 = 11", () => {
    const nodes = [node("n0", "4"), node("n1", "4"), node("n2", "4")];
    const r = podCapacity({ nodes, pods: [pod("existing", "1", {}, { app: "other" }, "n0")] }, pod("web", "1"), config);
    expect(r.copies).toBe(11);
    expect(r.nodes).toEqual([{ name: "n0", copies: 3 }, { name: "n1", copies: 4 }, { name: "n2", copies: 4 }]);
    expect(r.stoppedBy?.message).toBe("0/3 nodes are available: 3 Insufficient cpu.");
    expect(r.stoppedBy?.pod).toBe("default/web-12");
  });

  it("limited by required pod anti-affinity on the hostname: one per node, not where an app=x pod runs: 5 nodes, 1 taken -> 4", () => {
    const nodes = ["n0", "n1", "n2", "n3", "n4"].map((n) => node(n, "16"));
    const anti = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "x" } }, topologyKey: "kubernetes.io/hostname" }] } } };
    const r = podCapacity({ nodes, pods: [pod("old", "1", {}, { app: "x" }, "n2")] }, pod("web", "1", anti), config);
    expect(r.copies).toBe(4);
    expect(r.nodes.map((n) => n.copies)).toEqual([1, 1, 0, 1, 1]);
    expect(r.stoppedBy?.message).toBe("0/5 nodes are available: 5 node(s) didn't match pod anti-affinity rules.");
  });

  it("limited by a taint: 2-cpu nodes, one tainted NoSchedule: 4 copies without the toleration, 6 with it", () => {
    const nodes = [node("n0", "2"), node("n1", "2"), node("n2", "2", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] })];
    const plain = podCapacity({ nodes, pods: [] }, pod("web", "1"), config);
    expect(plain.copies).toBe(4);
    expect(plain.nodes.map((n) => n.copies)).toEqual([2, 2, 0]);
    expect(plain.stoppedBy?.message).toBe("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.");
    expect(plain.stoppedBy?.nodes[2]).toEqual({ name: "n2", reasons: ["node(s) had untolerated taint(s)"] });
    const tolerating = podCapacity({ nodes, pods: [] }, pod("web", "1", { tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }] }), config);
    expect(tolerating.copies).toBe(6);
  });

  it("stops at the limit, and says so", () => {
    const r = podCapacity({ nodes: [node("n0", "64")], pods: [] }, pod("web", "1"), config, 5);
    expect([r.copies, r.stoppedBy]).toEqual([5, null]);
  });
});

function replicas(n: number, cpu: string, extra: Partial<NonNullable<Pod["spec"]>> = {}): PodToPlace[] {
  return Array.from({ length: n }, (_, i) => ({ pod: pod(`w-${i}`, cpu, extra, { app: "w" }), name: `default/w-${i}` }));
}

describe("how many nodes of a type a workload needs", () => {
  const zonal = () => [node("a0", "4", { zone: "a" }), node("b0", "4", { zone: "b" }), node("c0", "4", { zone: "c" })];
  const type = node("m", "4");

  it("20 one-cpu pods on three 4-cpu nodes (12 fit) need exactly 2 more 4-cpu nodes; the search is 0, 1, 2", () => {
    const r = nodesNeeded({ nodes: zonal(), pods: [] }, replicas(20, "1"), type, config);
    expect(r.nodes).toBe(2);
    expect(r.search.map((t) => [t.nodes, t.fits, t.placed])).toEqual([[0, false, 12], [1, false, 16], [2, true, 20]]);
    expect(r.search[0].message).toBe("0/3 nodes are available: 3 Insufficient cpu.");
    expect(r.zones).toEqual(["a", "b", "c"]);
  });

  it("an exponential then binary search: 40 pods need 7 nodes (12 + 28); tried 0, 1, 2, 4, 8, then 6, 7", () => {
    const r = nodesNeeded({ nodes: zonal(), pods: [] }, replicas(40, "1"), type, config);
    expect(r.nodes).toBe(7);
    expect(r.search.map((t) => t.nodes)).toEqual([0, 1, 2, 4, 8, 6, 7]);
  });

  it("12 pods fit as they are; to survive any one zone they need 2 new nodes (round robin a, b: losing a leaves 8 + 4)", () => {
    expect(nodesNeeded({ nodes: zonal(), pods: [] }, replicas(12, "1"), type, config).nodes).toBe(0);
    const r = nodesNeeded({ nodes: zonal(), pods: [] }, replicas(12, "1"), type, config, { survive: "zone" });
    // k new nodes go to a, b, c, a, ...; losing zone z leaves 8 + 4 (k - new nodes in z) slots.
    // k=1: losing a leaves 8 < 12. k=2 (a, b): losing either leaves 12.
    expect(r.nodes).toBe(2);
    expect(r.search.map((t) => [t.nodes, t.fits, t.failedCase ?? ""])).toEqual([[0, false, "without zone a"], [1, false, "without zone a"], [2, true, ""]]);
    expect(r.search[0].placed).toBe(8);
  });

  it("reports where the search stands before each placement: 40 pods tried 0, 1, 2, 4, 8, 6, 7, each bracketed", () => {
    const seen: string[] = [];
    nodesNeeded({ nodes: zonal(), pods: [] }, replicas(40, "1"), type, config, {
      onStatus: (s) => seen.push(`${s.count} ${s.casesDone}/${s.cases} tried ${s.tried} fails ${s.failsAt ?? "-"} fits ${s.fitsAt ?? "-"}`),
    });
    // By hand: 12 slots + 4 per node; 40 pods fit from 7 nodes. One case per count (no loss asked for).
    expect(seen).toEqual([
      "0 0/1 tried 0 fails - fits -",
      "1 0/1 tried 1 fails 0 fits -",
      "2 0/1 tried 2 fails 1 fits -",
      "4 0/1 tried 3 fails 2 fits -",
      "8 0/1 tried 4 fails 4 fits -",
      "6 0/1 tried 5 fails 4 fits 8",
      "7 0/1 tried 6 fails 6 fits 8",
    ]);
  });

  it("with --survive zone each count has a case per zone lost, reported in turn", () => {
    const seen: string[] = [];
    nodesNeeded({ nodes: zonal(), pods: [] }, replicas(12, "1"), type, config, { survive: "zone", onStatus: (s) => seen.push(`${s.count}:${s.casesDone}/${s.cases}`) });
    // k=0 and k=1 fail at "without zone a" (the second case); k=2 places all four cases.
    expect(seen).toEqual(["0:0/4", "0:1/4", "1:0/4", "1:1/4", "2:0/4", "2:1/4", "2:2/4", "2:3/4"]);
  });

  it("to survive any one node, 12 pods on 12 slots need 1 new node", () => {
    const r = nodesNeeded({ nodes: zonal(), pods: [] }, replicas(12, "1"), type, config, { survive: "node" });
    expect(r.nodes).toBe(1);
    expect(r.search[0].failedCase).toBe("without node a0");
  });

  it("the cluster's DaemonSets run on new nodes where their pods fit the node (selector, taints)", () => {
    const cluster = () => ({ nodes: [node("a0", "1", { zone: "a" })], pods: [] });
    // Two 3-cpu pods: one per new 4-cpu node, 2 nodes, with room for a daemon of up to 1 cpu.
    expect(nodesNeeded(cluster(), replicas(2, "3"), type, config).nodes).toBe(2);
    expect(nodesNeeded(cluster(), replicas(2, "3"), type, config, { daemonSets: [pod("proxy", "1", {}, { app: "proxy" })] }).nodes).toBe(2);
    const tooBig = nodesNeeded(cluster(), replicas(2, "3"), type, config, { daemonSets: [pod("proxy", "1001m", {}, { app: "proxy" })], maxNodes: 4 });
    expect([tooBig.nodes, tooBig.search.map((t) => t.nodes)]).toEqual([null, [0, 1, 2, 4]]);
    // A tainted node type: the daemon without the toleration does not run there.
    const tainted = node("m", "4", { taints: [{ key: "pool", value: "batch", effect: "NoSchedule" }] });
    const tolerating = replicas(2, "3", { tolerations: [{ key: "pool", operator: "Exists", effect: "NoSchedule" }] });
    expect(nodesNeeded(cluster(), tolerating, tainted, config, { daemonSets: [pod("proxy", "1001m", {}, { app: "proxy" })] }).nodes).toBe(2);
  });
});
