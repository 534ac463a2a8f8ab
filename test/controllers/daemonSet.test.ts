/**
 * The DaemonSet controller: which nodes run a daemon pod (against kube-scheduler's own
 * NodeAffinity and TaintToleration filters, the predicates upstream's controller shares
 * with it), one pod on every eligible node in a run, daemon pods kept through node
 * failures, and a Node deleted and registered again.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { nodeShouldRunDaemonPod } from "../../src/controllers/daemonSet/nodeShouldRun.js";
import { withDaemonTolerations } from "../../src/controllers/daemonSet/daemonPodTemplate.js";
import { Code } from "../../src/scheduler/framework.js";
import { NodeAffinity } from "../../src/scheduler/plugins/NodeAffinity.js";
import { TaintToleration } from "../../src/scheduler/plugins/TaintToleration.js";
import { ClusterRun } from "../../src/run/run.js";
import { prepareScenario } from "../../src/scenario/load.js";
import type { PodSpec } from "../../src/model/types.js";
import { cluster, pod, runFilter } from "../scheduler/helpers.js";

const KEYS = ["zone", "gpu", "tier"];
const VALUES = ["a", "b", "0", "1", "2", "3"];
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

const arbLabels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });
const arbTaint = fc.record({ key: fc.constantFrom(...KEYS, "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"), value: fc.constantFrom(...VALUES), effect: fc.constantFrom(...EFFECTS) });
const arbNode = fc.record({ labels: arbLabels, taints: fc.uniqueArray(arbTaint, { maxLength: 2, selector: (t) => `${t.key}:${t.effect}` }) });
const arbRequirement = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom("In", "NotIn"), values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom("Exists", "DoesNotExist") }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom("Gt", "Lt"), values: fc.constantFrom(["0"], ["2"]) }),
);
const arbToleration = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constant("Exists"), effect: fc.constantFrom("", ...EFFECTS) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constant("Equal"), value: fc.constantFrom(...VALUES), effect: fc.constantFrom("", ...EFFECTS) }),
);
const arbSpec = fc.record({
  nodeSelector: fc.option(arbLabels, { nil: undefined }),
  terms: fc.option(fc.array(fc.array(arbRequirement, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  tolerations: fc.array(arbToleration, { maxLength: 3 }),
});

function podSpecOf(a: { nodeSelector?: Record<string, string>; terms?: { key: string; operator: string; values?: readonly string[] }[][]; tolerations: { key: string; operator: string; value?: string; effect: string }[] }): PodSpec {
  return withDaemonTolerations({
    containers: [{ name: "c" }],
    ...(a.nodeSelector ? { nodeSelector: a.nodeSelector } : {}),
    ...(a.terms ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: a.terms.map((t) => ({ matchExpressions: t.map((e) => ({ ...e, values: e.values ? [...e.values] : undefined })) })) } } } } : {}),
    tolerations: a.tolerations.map((t) => (t.effect === "" ? { key: t.key, operator: t.operator, value: t.value } : t)),
  });
}

describe("which nodes a DaemonSet runs on", () => {
  it("exactly the nodes kube-scheduler's NodeAffinity and TaintToleration filters admit the daemon pod to (same predicates upstream)", () => {
    fc.assert(
      fc.property(fc.array(arbNode, { minLength: 1, maxLength: 6 }), arbSpec, (nodes, a) => {
        const spec = podSpecOf(a);
        const snap = cluster(nodes.map((n, i) => ({ name: `n${i}`, labels: n.labels, taints: n.taints })));
        const compiled = snap.compile(pod({ spec }));
        const affinity = runFilter(new NodeAffinity(undefined, { snapshot: snap }), snap, compiled).codes;
        const taints = runFilter(new TaintToleration(), snap, compiled).codes;
        nodes.forEach((n, i) => {
          const expected = affinity[i] === Code.Success && taints[i] === Code.Success;
          expect(nodeShouldRunDaemonPod(spec, { name: `n${i}`, labels: n.labels, taints: n.taints })).toBe(expected);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("the daemon tolerations: not-ready/unreachable NoExecute forever, pressure and unschedulable NoSchedule; network-unavailable only with hostNetwork", () => {
    const spec = withDaemonTolerations({ containers: [{ name: "c" }], tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }] });
    expect(spec.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
    ]);
    expect(withDaemonTolerations({ containers: [], hostNetwork: true }).tolerations!.at(-1)).toEqual({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  });
});

function scenario(extra: Record<string, unknown>, dsSpec: Record<string, unknown> = {}) {
  return {
    name: "ds",
    duration: "20m",
    nodePools: [
      { name: "general", count: 6, zones: ["a", "b"], allocatable: { cpu: "8", memory: "32Gi" } },
      { name: "gpu", count: 3, allocatable: { cpu: "8", memory: "32Gi" }, labels: { gpu: "true" }, taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] },
    ],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "agent", namespace: "kube-system" },
        spec: {
          selector: { matchLabels: { app: "agent" } },
          template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m", memory: "128Mi" } } }], ...dsSpec } },
        },
      },
    ],
    ...extra,
  };
}
const daemonPods = (r: ClusterRun) => Array.from({ length: r.cluster.pods.count }, (_, p) => p).filter((p) => r.cluster.owners[r.cluster.pods.owner[p]] === "DaemonSet/kube-system/agent");

describe("the DaemonSet controller in a run", () => {
  it("one Running pod on every eligible node: not on nodes whose NoSchedule taint the pods do not tolerate", () => {
    const r = new ClusterRun(prepareScenario(scenario({}), "ds.yaml").spec);
    r.advance(60e6);
    const byNode = new Map<string, number>();
    for (const p of daemonPods(r)) {
      expect(r.cluster.pods.phase[p]).toBe(2); // Running
      const n = r.cluster.nodes.names[r.cluster.pods.node[p]];
      byNode.set(n, (byNode.get(n) ?? 0) + 1);
    }
    expect([...byNode.keys()].sort()).toEqual(["general-0", "general-1", "general-2", "general-3", "general-4", "general-5"]);
    for (const c of byNode.values()) expect(c).toBe(1);
    // Tolerating the gpu taint, and selecting gpu nodes: only there.
    const g = new ClusterRun(prepareScenario(scenario({}, { nodeSelector: { gpu: "true" }, tolerations: [{ key: "gpu", operator: "Exists" }] }), "ds.yaml").spec);
    g.advance(60e6);
    expect(daemonPods(g).map((p) => g.cluster.nodes.names[g.cluster.pods.node[p]]).sort()).toEqual(["gpu-0", "gpu-1", "gpu-2"]);
  });

  it("daemon pods tolerate unreachable forever: a crashed node keeps its daemon pod, restarted when it comes back", () => {
    const r = new ClusterRun(prepareScenario(scenario({ faults: [{ type: "node-failure", at: "60s", node: "general-2", recoverAfter: "10m" }] }), "ds.yaml").spec);
    r.advance(59e6);
    const mine = daemonPods(r).find((p) => r.cluster.nodes.names[r.cluster.pods.node[p]] === "general-2")!;
    r.advance(659e6);
    expect(r.cluster.nodes.lifecycleTaints[r.cluster.nodes.byName.get("general-2")!] & 8).toBe(8); // unreachable:NoExecute
    expect(r.cluster.pods.deletionUs[mine]).toBe(-1); // never deleted
    const res = r.finish();
    expect(res.pods.find((p) => p.pod === r.cluster.pods.names[mine])).toMatchObject({ outcome: "running", restarts: 1, node: "general-2" });
    expect(daemonPods(r)).toHaveLength(6);
  });

  it("a deleted Node loses its daemon pod (PodGC); registered again by its restarted kubelet, it gets a new one", () => {
    const r = new ClusterRun(
      prepareScenario(
        scenario({
          faults: [
            { type: "node-deletion", at: "60s", node: "general-1" },
            { type: "node-failure", at: "200s", node: "general-1", recoverAfter: "100s" },
          ],
        }),
        "ds.yaml",
      ).spec,
    );
    r.advance(250e6);
    const on = (p: number) => r.cluster.nodes.names[r.cluster.pods.node[p]];
    const live = () => daemonPods(r).filter((p) => r.cluster.pods.phase[p] <= 2 && r.cluster.pods.deletionUs[p] < 0);
    expect(live().filter((p) => on(p) === "general-1")).toHaveLength(0);
    expect(live()).toHaveLength(5);
    r.advance(400e6);
    expect(live().filter((p) => on(p) === "general-1")).toHaveLength(1);
    expect(live()).toHaveLength(6);
    // workloads.csv: desired (desiredNumberScheduled) follows the Node's existence
    const rows = r.finish().workloads;
    expect(rows.find((w) => w.sim_time_s === 50)).toMatchObject({ workload: "DaemonSet/kube-system/agent", desired: 6, current: 6, ready: 6 });
    expect(rows.find((w) => w.sim_time_s === 250)).toMatchObject({ desired: 5, current: 5, ready: 5, terminating: 0 });
    expect(rows.find((w) => w.sim_time_s === 400)).toMatchObject({ desired: 6, current: 6, ready: 6 });
  });
});
