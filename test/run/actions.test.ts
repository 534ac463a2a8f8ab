/**
 * Operators' actions on the timeline: kubectl scale (ReplicaSet scale-down in upstream's
 * deletion order), cordon, uncordon, drain. No control plane: the controllers' creates go
 * through the fixed-latency API (5 ms a request) in slow-start batches of 1, 2, 4, ... (each
 * once the previous one is answered), under kube-controller-manager's client rate limit
 * (burst 30, then 20/s); pods start 1 s after binding, containers take their 30 s grace
 * period to stop.
 */
import { describe, expect, it } from "vitest";
import { simulate, ScenarioError } from "../../src/index.js";
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { Simulation } from "../../src/engine/simulation.js";
import { podsToDelete } from "../../src/controllers/podsToDelete.js";
import { GI, node, template } from "./helpers.js";

function scenario(actions: unknown[], extra: Record<string, unknown> = {}) {
  return {
    name: "actions",
    duration: "10m",
    sampleInterval: "10s",
    nodePools: [{ name: "w", count: 3, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: { replicas: 6, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "500m" } } }] } } },
      },
    ],
    actions,
    ...extra,
  };
}

describe("which pods a ReplicaSet deletes first (ActivePodsWithRanks)", () => {
  it("unbound, then Pending, then not ready, then doubled up, then ready for less time, then more restarts, then newer", () => {
    const sim = new Simulation(1);
    const c = new ClusterState(sim, [node("n0", 8000, 8 * GI), node("n1", 8000, 8 * GI)], [template(100, 0)]);
    const make = (name: string) => c.createPod(name, "default", 0, -1, -1);
    const unbound = make("unbound");
    const pending = make("pending");
    c.bind(pending, 0);
    const notReady = make("not-ready");
    c.bind(notReady, 1);
    c.podRunning(notReady);
    c.setPodReady(notReady, false);
    const alone = make("alone"); // n1 has alone + notReady; n0 has pending + doubled
    c.bind(alone, 1);
    c.podRunning(alone);
    const doubled = make("doubled");
    c.bind(doubled, 0);
    c.podRunning(doubled);
    // n0: pending, doubled (2 of the set); n1: notReady, alone (2): make n0 hold one more
    const third = make("third");
    c.bind(third, 0);
    c.podRunning(third);
    const all = [third, doubled, alone, notReady, pending, unbound];
    const order = podsToDelete(all, all.length, c).map((p) => c.pods.names[p]);
    expect(order.slice(0, 3)).toEqual(["unbound", "pending", "not-ready"]);
    // the ready ones: n0 holds 3 of the set, n1 2: n0's first; among equals the newer one
    expect(order.slice(3)).toEqual(["third", "doubled", "alone"]);
  });
});

describe("actions", () => {
  it("scale up creates the missing replicas in slow-start batches 5, 10, 10, 15 ms later; scale down deletes the extra ones at once (Terminating for their grace)", () => {
    const r = simulate(scenario([
      { at: "60s", type: "scale", deployment: "web", replicas: 10 },
      { at: "120s", type: "scale", deployment: "web", replicas: 3 },
    ]));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    // 6 -> 10: 4 creates decided at 60 s, sent in batches of 1, 2, 1 (5 ms each, the burst of
    // 30 tokens lets them go at once): created at 60.005, 60.010 (2), 60.015 s.
    expect(web.filter((p) => p.created_s >= 60 && p.created_s < 120).map((p) => p.created_s)).toEqual([60.005, 60.01, 60.01, 60.015]);
    const deleted = web.filter((p) => p.deletion_requested_s === 120);
    expect(deleted).toHaveLength(7);
    for (const p of deleted) expect(p).toMatchObject({ outcome: "deleted", deleted_s: 150 });
    expect(r.events.filter((e) => e.kind === "ScalingReplicaSet").map((e) => e.message)).toEqual([
      expect.stringMatching(/^Scaled up replica set web-\w+ from 6 to 10$/),
      expect.stringMatching(/^Scaled down replica set web-\w+ from 10 to 3$/),
    ]);
    const at = (t: number) => r.workloads.find((w) => w.sim_time_s === t)!;
    expect(at(70)).toMatchObject({ desired: 10, current: 10, ready: 10 });
    expect(at(130)).toMatchObject({ desired: 3, current: 3, ready: 3, terminating: 7 });
    expect(at(160)).toMatchObject({ desired: 3, current: 3, terminating: 0 });
  });

  it("scale down of pods that cannot be scheduled deletes the Pending ones first, exactly the extra count", () => {
    // 3 nodes x 8 cpu = 48 pods of 500m; 60 asked: 12 stay Pending; down to 50 deletes 10 of them
    const r = simulate(scenario([
      { at: "60s", type: "scale", deployment: "web", replicas: 60 },
      { at: "120s", type: "scale", deployment: "web", replicas: 50 },
    ]));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    const gone = web.filter((p) => p.deleted_s === 120);
    expect(gone).toHaveLength(10);
    for (const p of gone) expect(p.scheduled_s).toBeNull();
    expect(r.workloads.find((w) => w.sim_time_s === 130)).toMatchObject({ desired: 50, current: 50, ready: 48 });
  });

  it("cordon keeps new pods off a node; uncordon lets them back", () => {
    const r = simulate(scenario([
      { at: "30s", type: "cordon", node: "w-0" },
      { at: "60s", type: "scale", deployment: "web", replicas: 30 },
      { at: "200s", type: "uncordon", node: "w-0" },
      { at: "210s", type: "scale", deployment: "web", replicas: 60 },
    ]));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    // 6 -> 30 at 60 s: 24 creates in batches of 1, 2, 4, 8, 9 (5 ms each, within the burst of
    // 30): created 60.005 to 60.025 s. 30 -> 60 at 210 s: 30 creates (the bucket has refilled
    // to 30 in 150 s), batches 1, 2, 4, 8, 15: created 210.005 to 210.025 s.
    const scaledAt60 = web.filter((p) => p.created_s > 60 && p.created_s < 200);
    expect(scaledAt60).toHaveLength(24);
    for (const p of scaledAt60) expect(p.created_s).toBeLessThanOrEqual(60.025);
    expect(scaledAt60.filter((p) => p.node === "w-0")).toEqual([]);
    const scaledAt210 = web.filter((p) => p.created_s > 210);
    expect(scaledAt210).toHaveLength(30);
    for (const p of scaledAt210) expect(p.created_s).toBeLessThanOrEqual(210.025);
    expect(scaledAt210.filter((p) => p.node === "w-0").length).toBeGreaterThan(0);
    expect(r.nodes.filter((n) => n.kind === "spec").map((n) => [n.sim_time_s, n.node, n.to])).toEqual([
      [30, "w-0", "true"],
      [200, "w-0", "false"],
    ]);
  });

  it("drain cordons the node and evicts every pod but DaemonSet pods; replacements start elsewhere; done when the last evicted pod is gone", () => {
    const ds = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c" }] } } },
    };
    const base = scenario([{ at: "100s", type: "drain", node: "w-1" }]);
    const r = simulate({ ...base, workloads: [...base.workloads, ds] });
    const onNode = r.pods.filter((p) => p.node === "w-1" && p.created_s < 100);
    const web = onNode.filter((p) => p.owner === "Deployment/default/web");
    expect(web.length).toBeGreaterThan(0);
    for (const p of web) expect(p).toMatchObject({ outcome: "drained", deletion_requested_s: 100, deleted_s: 130 });
    expect(onNode.find((p) => p.owner === "DaemonSet/default/agent")).toMatchObject({ outcome: "running", deletion_requested_s: null });
    // Both evictions at 100 s: one sync sends the 2 replacement creates in batches of 1 and 1
    // (5 ms each): created at 100.005 and 100.010 s.
    expect(web).toHaveLength(2);
    const replacements = r.pods.filter((p) => p.owner === "Deployment/default/web" && p.created_s > 100);
    expect(replacements.map((p) => p.created_s)).toEqual([100.005, 100.01]);
    for (const p of replacements) expect(p.node).not.toBe("w-1");
    const done = r.events.find((e) => e.kind === "DrainCompleted")!;
    expect(done).toMatchObject({ sim_time_s: 130, object: "node/w-1" });
    expect(r.summary.find((m) => m.metric === "drain_duration_max_s")!.value).toBe(30);
  });

  it("a drain honours PodDisruptionBudgets: a refused eviction is tried again every 5 s, allowed once the replacement runs", () => {
    const pdb = (spec: Record<string, unknown>) => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web" }, spec: { selector: { matchLabels: { app: "web" } }, ...spec } });
    const drain = (budget: Record<string, unknown>) => {
      const base = scenario([{ at: "100s", type: "drain", node: "w-1" }], { duration: "5m" });
      return simulate({ ...base, workloads: [...base.workloads, pdb(budget)] });
    };
    // 6 replicas, 2 per node. minAvailable 5: one disruption at a time. The first pod goes at
    // 100 s; the second is refused (5 healthy), its replacement runs at ~101 s, the retry at
    // 105 s is allowed; it stops after its 30 s grace: done at 135 s.
    const one = drain({ minAvailable: 5 });
    const evicted = one.pods.filter((p) => p.outcome === "drained").map((p) => p.deletion_requested_s).sort();
    expect(evicted).toEqual([100, 105]);
    expect(one.events.find((e) => e.kind === "DrainCompleted")!.sim_time_s).toBe(135);
    expect(one.summary.find((m) => m.metric === "evictions_refused_by_pdb")!.value).toBe(1);
    // maxUnavailable 25 % of 6, rounded up: 2 at a time: both at once, done at 130 s.
    const two = drain({ maxUnavailable: "25%" });
    expect(two.pods.filter((p) => p.outcome === "drained").map((p) => p.deletion_requested_s)).toEqual([100, 100]);
    expect(two.events.find((e) => e.kind === "DrainCompleted")!.sim_time_s).toBe(130);
    // minAvailable 6: never; refused every 5 s until the end (100 s .. 300 s: 2 pods x 41 tries).
    const none = drain({ minAvailable: 6 });
    expect(none.events.some((e) => e.kind === "DrainCompleted")).toBe(false);
    expect(none.summary.find((m) => m.metric === "evictions_refused_by_pdb")!.value).toBe(2 * 41);
  });

  it("refuses an action on a Deployment or node the scenario does not have, in one line", () => {
    expect(() => simulate(scenario([{ at: "1m", type: "scale", deployment: "api", replicas: 3 }]), { file: "s.yaml" })).toThrow(ScenarioError);
    expect(() => simulate(scenario([{ at: "1m", type: "scale", deployment: "api", replicas: 3 }]), { file: "s.yaml" })).toThrow('s.yaml: actions[0].deployment: expected the name of a Deployment of the scenario in namespace default (default/web), got "api"');
    expect(() => simulate(scenario([{ at: "1m", type: "drain", node: "w-9" }]), { file: "s.yaml" })).toThrow('s.yaml: actions[0].node: expected a node name <pool>-<index> such as w-0, got "w-9"');
    expect(() => simulate(scenario([{ at: "1m", type: "reboot", node: "w-1" }]), { file: "s.yaml" })).toThrow("s.yaml: actions[0].type: expected an action type: scale, set-image, rollout-restart, pause, resume, cordon, uncordon, drain");
    expect(() => simulate(scenario([{ at: "1m", type: "scale", deployment: "web", statefulSet: "db", replicas: 3 }]), { file: "s.yaml" })).toThrow("s.yaml: actions[0]: expected exactly one of deployment or statefulSet, got both");
    expect(() => simulate(scenario([{ at: "1m", type: "scale", statefulSet: "db", replicas: 3 }]), { file: "s.yaml" })).toThrow('s.yaml: actions[0].statefulSet: expected the name of a StatefulSet of the scenario in namespace default (none), got "db"');
  });
});

describe("kube-scheduler's preemption in a run reads the PodDisruptionBudgets' live status", () => {
  it("a high-priority pod preempts on the node whose victims no PDB guards (fewest PDB violations first)", () => {
    const deployment = (name: string, pool: string, replicas: number, priorityClassName?: string) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { ...(priorityClassName ? { priorityClassName } : {}), nodeSelector: { "kubesim.io/node-pool": pool }, containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] } },
      },
    });
    const s = {
      name: "preempt-pdb",
      duration: "3m",
      nodePools: [
        { name: "a", count: 1, allocatable: { cpu: "4", memory: "16Gi" }, labels: { tier: "x" } },
        { name: "b", count: 1, allocatable: { cpu: "4", memory: "16Gi" }, labels: { tier: "x" } },
      ],
      workloads: [
        { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000 },
        // "free" is created first, so its pods started earlier: without the PDB the
        // scheduler would pick the node whose victims started latest, b-0 (pickOneNodeForPreemption);
        // with it, b-0's victims violate the budget and a-0's do not, which comes first.
        deployment("free", "a", 4),
        deployment("guarded", "b", 4),
        { ...deployment("vip", "a", 0, "high"), spec: { ...deployment("vip", "a", 0, "high").spec, template: { metadata: { labels: { app: "vip" } }, spec: { priorityClassName: "high", nodeSelector: { tier: "x" }, containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] } } } },
        { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "guarded" }, spec: { minAvailable: 4, selector: { matchLabels: { app: "guarded" } } } },
      ],
      actions: [{ at: "60s", type: "scale", deployment: "vip", replicas: 1 }],
    };
    const r = simulate(s);
    const preempted = r.pods.filter((p) => p.outcome === "preempted");
    expect(preempted).toHaveLength(1);
    expect(preempted[0].owner).toBe("Deployment/default/free");
    expect(r.pods.find((p) => p.owner === "Deployment/default/vip")!.node).toBe("a-0");
  });
});
