/**
 * The DaemonSet must-show property (issue 10): in every run with a DaemonSet, every
 * existing Ready node the DaemonSet should run on has exactly one live daemon pod, nodes
 * added later (a node-pool upgrade's new nodes) included, and no node it should not run on
 * (a taint its pods do not tolerate, a nodeSelector or node affinity they do not match)
 * has one. Random pools (labels, taints), random DaemonSet nodeSelector / node affinity /
 * tolerations, an optional node-pool upgrade and random node faults.
 *
 * Which nodes should run it is computed independently of the DaemonSet controller: by
 * kube-scheduler's own NodeAffinity and TaintToleration filters on the daemon pod (with the
 * tolerations the controller adds, as upstream's nodeShouldRunDaemonPod uses them), over
 * each node's labels and taints as the scenario gives them.
 *
 * Checked at every minute after the nodes have been still for SETTLE_S (no condition,
 * taint or object change: the daemon pod of a new node is created, bound and started;
 * PodGC has removed a deleted node's orphans, 40 s quarantine + its 20 s period), and at
 * the end of the run.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { withDaemonTolerations } from "../../src/controllers/daemonSet/daemonPodTemplate.js";
import { Code } from "../../src/scheduler/framework.js";
import { NodeAffinity } from "../../src/scheduler/plugins/NodeAffinity.js";
import { TaintToleration } from "../../src/scheduler/plugins/TaintToleration.js";
import { ClusterRun } from "../../src/run/run.js";
import { prepareScenario } from "../../src/scenario/load.js";
import { ConditionStatus } from "../../src/model/nodeTable.js";
import { PodPhase } from "../../src/model/podTable.js";
import type { PodSpec } from "../../src/model/types.js";
import { cluster, pod, runFilter } from "../scheduler/helpers.js";

const S = 1e6;
const SETTLE_S = 120;
const DURATION_S = 1500;
const KEYS = ["zone", "gpu", "tier"];
const VALUES = ["a", "b", "1", "2"];
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const DS_OWNER = "DaemonSet/kube-system/agent";

const arbLabels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const arbTaint = fc.record({ key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES), effect: fc.constantFrom(...EFFECTS) });
const arbPool = fc.record({
  count: fc.integer({ min: 1, max: 3 }),
  labels: arbLabels,
  taints: fc.uniqueArray(arbTaint, { maxLength: 2, selector: (t) => `${t.key}:${t.effect}` }),
});
const arbRequirement = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom("In", "NotIn"), values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom("Exists", "DoesNotExist") }),
);
const arbToleration = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constant("Exists"), effect: fc.constantFrom("", ...EFFECTS) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constant("Equal"), value: fc.constantFrom(...VALUES), effect: fc.constantFrom("", ...EFFECTS) }),
);
const arbDaemonSet = fc.record({
  nodeSelector: fc.option(fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 1 }), { nil: undefined }),
  terms: fc.option(fc.array(fc.array(arbRequirement, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  tolerations: fc.array(arbToleration, { maxLength: 3 }),
});
const arbFault = fc.record({
  type: fc.constantFrom("node-failure", "node-partition", "kubelet-stop", "node-deletion"),
  at: fc.integer({ min: 10, max: 600 }),
  pool: fc.nat(),
  node: fc.nat(),
  recoverAfter: fc.integer({ min: 20, max: 400 }),
});
const arbRun = fc.record({
  seed: fc.integer({ min: 1, max: 1000 }),
  pools: fc.array(arbPool, { minLength: 1, maxLength: 3 }),
  ds: arbDaemonSet,
  upgrade: fc.option(fc.record({ at: fc.integer({ min: 0, max: 400 }), pool: fc.nat(), maxSurge: fc.integer({ min: 0, max: 2 }), maxUnavailable: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
  faults: fc.array(arbFault, { maxLength: 3 }),
});
type Run = typeof arbRun extends fc.Arbitrary<infer T> ? T : never;

function daemonPodSpec(a: Run["ds"]): Record<string, unknown> {
  return {
    containers: [{ name: "agent", image: "agent:1", resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
    ...(a.nodeSelector ? { nodeSelector: a.nodeSelector } : {}),
    ...(a.terms ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: a.terms.map((t) => ({ matchExpressions: t })) } } } } : {}),
    tolerations: a.tolerations.map((t) => (t.effect === "" ? { key: t.key, operator: t.operator, ...("value" in t ? { value: t.value } : {}) } : t)),
  };
}

function scenarioOf(a: Run) {
  const pools = a.pools.map((p, i) => ({ name: `p${i}`, count: p.count, allocatable: { cpu: "4", memory: "16Gi" }, labels: p.labels, taints: p.taints }));
  const faults = a.faults.map((f) => {
    const pool = pools[f.pool % pools.length];
    const node = `${pool.name}-${f.node % pool.count}`;
    return f.type === "node-deletion" ? { type: f.type, at: `${f.at}s`, node } : { type: f.type, at: `${f.at}s`, node, recoverAfter: `${f.recoverAfter}s` };
  });
  const u = a.upgrade;
  const actions = u ? [{ at: `${u.at}s`, type: "node-pool-upgrade", pool: pools[u.pool % pools.length].name, maxSurge: u.maxSurge, maxUnavailable: u.maxSurge + u.maxUnavailable === 0 ? 1 : u.maxUnavailable }] : [];
  return {
    name: "ds-coverage",
    seed: a.seed,
    duration: `${DURATION_S}s`,
    sampleInterval: "60s",
    nodePools: pools,
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "agent", namespace: "kube-system" },
        spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: daemonPodSpec(a.ds) } },
      },
    ],
    faults,
    actions,
  };
}

/** Per node row of the run: should the daemon pod run there (scheduler filters on the scenario's labels and taints)? */
function eligibleNodes(r: ClusterRun, a: Run): boolean[] {
  const podSpec = withDaemonTolerations(daemonPodSpec(a.ds) as unknown as PodSpec);
  const nodes = r.spec.nodes;
  const snap = cluster(nodes.map((n) => ({ name: n.name, labels: n.labels, taints: n.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) })));
  const compiled = snap.compile(pod({ spec: podSpec }));
  const affinity = runFilter(new NodeAffinity(undefined, { snapshot: snap }), snap, compiled).codes;
  const taints = runFilter(new TaintToleration(), snap, compiled).codes;
  return nodes.map((_, i) => affinity[i] === Code.Success && taints[i] === Code.Success);
}

/** Live daemon pods (not ended, not Terminating) bound to each node row. */
function daemonPodsPerNode(r: ClusterRun): number[] {
  const c = r.cluster;
  const owner = c.owners.indexOf(DS_OWNER);
  const per = new Array<number>(c.nodes.count).fill(0);
  for (let p = 0; p < c.pods.count; p++) {
    if (c.pods.owner[p] !== owner || c.pods.deletionUs[p] >= 0 || c.pods.phase[p] > PodPhase.Running || c.pods.node[p] < 0) continue;
    per[c.pods.node[p]]++;
  }
  return per;
}

function check(r: ClusterRun, eligible: boolean[], label: string): void {
  const c = r.cluster;
  const per = daemonPodsPerNode(r);
  for (let n = 0; n < c.nodes.count; n++) {
    const where = `${label}: node ${c.nodes.names[n]} (exists ${c.nodes.exists[n]}, Ready condition ${["True", "False", "Unknown", "none"][c.nodes.readyCondition[n]] ?? c.nodes.readyCondition[n]}, eligible ${eligible[n]}, seed ${r.spec.seed})`;
    if (!eligible[n] || c.nodes.exists[n] === 0) expect(per[n], where).toBe(0);
    else if (c.nodes.readyCondition[n] === ConditionStatus.True) expect(per[n], where).toBe(1);
    else expect(per[n], where).toBeLessThanOrEqual(1); // a failed node keeps its pod (it tolerates unreachable)
  }
}

describe("DaemonSet coverage", () => {
  it("every existing Ready eligible node has exactly one live daemon pod, new nodes included; no ineligible or deleted node has one", () => {
    let checks = 0;
    fc.assert(
      fc.property(arbRun, (a) => {
        const r = new ClusterRun(prepareScenario(scenarioOf(a), "ds-coverage.yaml").spec);
        const eligible = eligibleNodes(r, a);
        for (let t = 60; t < DURATION_S; t += 60) {
          r.advance(t * S);
          const rows = r.cluster.nodeTransitions.rows;
          const last = rows.length > 0 ? rows[rows.length - 1].sim_time_s : 0;
          if (t - last < SETTLE_S) continue;
          check(r, eligible, `t=${t} s`);
          checks++;
        }
        r.advance(DURATION_S * S);
        check(r, eligible, "end of run");
        checks++;
      }),
      { numRuns: 150 },
    );
    expect(checks).toBeGreaterThan(150);
  }, 30_000);
});
