/**
 * The shipped node-failure scenarios end to end, against the timeline upstream's
 * defaults imply (../shared/reference/node-controller-facts.md §4): kubelet Lease every
 * 10 s; node lifecycle controller passes every 5 s, grace 50 s, NoExecute taints per zone
 * through a token bucket (0.1/s, burst 1; 0.01/s in a partially disrupted zone of more
 * than 50 nodes; none when every zone is fully disrupted); taint eviction after the
 * default 300 s toleration. Every API request takes the fixed 5 ms (no controlPlane
 * section), except in the control-plane outage case; the ReplicaSet controller's creates
 * decided at one instant go in slow-start batches of 1, 2, 4, ..., each sent once the
 * previous one is answered.
 */
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { ClusterRun, type RunResult } from "../../src/run/run.js";
import { prepareScenario } from "../../src/scenario/load.js";

const S = 1e6;
const API_S = 0.005;

function load(file: string): ClusterRun {
  return new ClusterRun(resolveScenario(loadScenarioFile(file).scenario));
}
const metric = (r: RunResult, m: string) => r.summary.find((s) => s.metric === m)!.value;
const transitions = (r: RunResult, name: string, to: string) => r.nodes.filter((n) => n.name === name && n.to === to);
const NO_EXECUTE = "node.kubernetes.io/unreachable:NoExecute";

describe("scenarios/node-failure.yaml: one node partitioned at 10 min for 10 min", () => {
  const run = load("scenarios/node-failure.yaml");
  run.advance(600 * S);
  const node = run.cluster.nodes.byName.get("general-3")!;
  const lastRenewalUs = run.cluster.nodes.leaseRenewUs[node];
  const victims = run.cluster.podsOn(node).map((p) => run.cluster.pods.names[p]);
  const r = run.finish();
  // The pass that saw the last renewal, then the first pass with now > probe + 50 s.
  const observed = Math.ceil(lastRenewalUs / (5 * S)) * 5;
  const unknown = observed + 55 + API_S;
  const noExecute = observed + 60 + API_S;
  const deletion = noExecute + 300 + API_S;

  it("the node is Unknown at the first monitor pass more than 50 s after the one that saw its last Lease renewal", () => {
    expect(lastRenewalUs).toBeGreaterThan(589.6 * S);
    expect(transitions(r, "Ready", "Unknown").map((n) => n.sim_time_s)).toEqual([unknown]);
    expect(metric(r, "fault_to_node_not_ready_s")).toBeCloseTo(unknown - 600, 6);
  });

  it("its pods are marked not ready in the same pass, NoSchedule tainted at once, NoExecute one pass later", () => {
    expect(transitions(r, "node.kubernetes.io/unreachable:NoSchedule", "present")[0].sim_time_s).toBeCloseTo(unknown + API_S, 6);
    expect(transitions(r, NO_EXECUTE, "present")[0].sim_time_s).toBeCloseTo(noExecute, 6);
    const at = (t: number) => r.timeseries.find((x) => x.sim_time_s === t)!;
    const after = Math.ceil(unknown / 5) * 5 + 5;
    expect(at(after)).toMatchObject({ nodes_unknown: 1, pods_not_ready: victims.length, nodes_tainted_noexecute: 1 });
    expect(r.events.find((e) => e.kind === "ReplicasUnavailable")!.sim_time_s).toBeCloseTo(unknown + API_S, 6);
  });

  it("its pods are deleted 300 s after the taint, replaced 5-10 ms later, and stay Terminating until the node is back (then 30 s of grace)", () => {
    expect(victims.length).toBe(3);
    for (const name of victims) {
      const p = r.pods.find((x) => x.pod === name)!;
      expect(p).toMatchObject({ outcome: "evicted", node: "general-3" });
      expect(p.deletion_requested_s).toBeCloseTo(deletion, 6);
      // partition heals at 1200 s: the kubelet sees the deletion and stops the containers (grace 30 s)
      expect(p.deleted_s).toBeCloseTo(1230, 6);
    }
    // The 3 replacements are decided at the deletion; one sync sends them in batches of 1
    // and 2 (5 ms each): created 5 ms and 10 ms (2) after it.
    const replacements = r.pods.filter((p) => p.created_s > deletion && p.owner === "Deployment/shop/web");
    expect(replacements.map((p) => Math.round((p.created_s - deletion) * S))).toEqual([API_S * S, 2 * API_S * S, 2 * API_S * S]);
    for (const p of replacements) expect(p.node).not.toBe("general-3");
    expect(metric(r, "fault_to_first_eviction_s")).toBeCloseTo(deletion - 600, 6);
    // available again when the last replacement runs (created 10 ms after the deletion, a
    // scheduling cycle or two, 5 ms binding, 1 s start-up)
    const back = r.events.find((e) => e.kind === "ReplicasAvailable")!.sim_time_s;
    expect(back).toBeCloseTo(Math.max(...replacements.map((p) => p.running_s!)), 6);
    expect(back - deletion).toBeGreaterThan(1);
    expect(back - deletion).toBeLessThan(1.1);
  });

  it("workloads.csv follows it: 3 not ready from the Unknown pass, 3 Terminating beside 36 ready once replaced, none after the grace", () => {
    const at = (t: number) => r.workloads.find((w) => w.sim_time_s === t)!;
    const row = (desired: number, current: number, ready: number, terminating: number) => ({ workload: "Deployment/shop/web", desired, current, updated: current, ready, available: ready, terminating });
    expect(at(600)).toMatchObject(row(36, 36, 36, 0));
    expect(at(Math.ceil(unknown / 5) * 5)).toMatchObject(row(36, 36, 33, 0));
    expect(at(Math.floor(deletion / 5) * 5)).toMatchObject(row(36, 36, 33, 0));
    expect(at(Math.ceil(deletion / 5) * 5 + 5)).toMatchObject(row(36, 36, 36, 3));
    expect(at(1225)).toMatchObject(row(36, 36, 36, 3));
    expect(at(1230)).toMatchObject(row(36, 36, 36, 0));
  });

  it("after the partition heals the node is Ready at the kubelet's next status sync and loses its taints", () => {
    const ready = transitions(r, "Ready", "True")[0].sim_time_s;
    expect(ready).toBeGreaterThan(1200);
    expect(ready).toBeLessThanOrEqual(1210 + 2 * API_S);
    expect(transitions(r, NO_EXECUTE, "absent")[0].sim_time_s).toBeLessThanOrEqual(ready + 5 + API_S);
    expect(r.timeseries.at(-1)).toMatchObject({ nodes_ready: 12, pods_terminating: 0, pods_running: 36 });
  });
});

describe("scenarios/zone-outage.yaml: zone-b (60 of 180 nodes) cut off at 10 min for 30 min", () => {
  const r = load("scenarios/zone-outage.yaml").finish();
  const zoneOf = new Map(r.nodes.map((n) => [n.node, n.zone]));
  const taints = transitions(r, NO_EXECUTE, "present").map((n) => n.sim_time_s);

  it("zone-b is fully disrupted while the others stay Normal: its nodes are tainted at the normal rate, one per 10 s", () => {
    expect(r.events.filter((e) => e.kind === "ZoneStateChanged").map((e) => `${e.object} ${e.message}`)).toEqual(["zone/zone-b Normal -> FullDisruption", "zone/zone-b FullDisruption -> Normal"]);
    for (const n of transitions(r, NO_EXECUTE, "present")) expect(n.zone).toBe("zone-b");
    expect(new Set(transitions(r, NO_EXECUTE, "present").map((n) => n.node)).size).toBe(60);
    // A node is queued one pass (5 s) after it went Unknown and takes a token (10 s apart);
    // its write may wait behind the controller's other writes (one client, 20 qps).
    const firstUnknown = transitions(r, "Ready", "Unknown")[0].sim_time_s - API_S;
    taints.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(firstUnknown + 5 + 10 * k));
    expect(taints.at(-1)!).toBeLessThan(firstUnknown + 5 + 10 * 61 + 1);
  });

  it("each evicted pod is deleted 300 s after its node's taint; no pod outside zone-b is evicted", () => {
    const taintOf = new Map(transitions(r, NO_EXECUTE, "present").map((n) => [n.node, n.sim_time_s]));
    // (a batch pod may finish its work while Terminating: deleted, it ends "completed")
    const evicted = r.pods.filter((p) => p.deletion_requested_s !== null);
    expect(evicted.length).toBe(metric(r, "pods_evicted"));
    for (const p of evicted) {
      expect(zoneOf.get(p.node)).toBe("zone-b");
      expect(p.deletion_requested_s).toBeCloseTo(taintOf.get(p.node)! + 300 + API_S, 6);
    }
    expect(r.timeseries.at(-1)).toMatchObject({ pods_terminating: 0, nodes_ready: 180 });
    expect(metric(r, "fault_replacement_pods_not_running_at_end")).toBe(0);
  });
});

describe("scenarios/zone-outage-partial.yaml: 36 of zone-b's 60 nodes (60 %) cut off for 30 min", () => {
  const r = load("scenarios/zone-outage-partial.yaml").finish();
  const taints = transitions(r, NO_EXECUTE, "present").map((n) => n.sim_time_s);

  it("zone-b is partially disrupted (more than 2 and at least 55 % not Ready) and larger than 50 nodes: one taint per 100 s", () => {
    expect(r.events.filter((e) => e.kind === "ZoneStateChanged").map((e) => e.message)).toEqual(["Normal -> PartialDisruption", "PartialDisruption -> Normal"]);
    const partialAt = r.events.find((e) => e.kind === "ZoneStateChanged")!.sim_time_s;
    const before = taints.filter((t) => t < partialAt);
    const after = taints.filter((t) => t > partialAt);
    // At the normal rate before the zone's state flips (first node at once), then 0.01/s.
    for (let k = 1; k < after.length; k++) expect(after[k] - after[k - 1]).toBeGreaterThanOrEqual(100 - 1);
    expect(after.length).toBeGreaterThanOrEqual(Math.floor((2400 - partialAt) / 100) - 1);
    expect(after.length).toBeLessThanOrEqual(Math.floor((2400 - partialAt) / 100) + 1);
    expect(before.length).toBeLessThanOrEqual(2);
  });
});

describe("scenarios/zone-outage-control-plane-link.yaml: every node cut off for 5 min", () => {
  const r = load("scenarios/zone-outage-control-plane-link.yaml").finish();

  it("every zone fully disrupted: master disruption mode removes the few NoExecute taints added before it, long before any toleration runs out; nothing is evicted", () => {
    const enter = r.events.find((e) => e.kind === "MasterDisruptionMode" && e.message.includes("Entering"))!.sim_time_s;
    const added = transitions(r, NO_EXECUTE, "present");
    expect(added.length).toBeGreaterThan(0);
    const removed = transitions(r, NO_EXECUTE, "absent");
    expect(removed.map((n) => n.node).sort()).toEqual(added.map((n) => n.node).sort());
    // Removals queue behind MarkPodsNotReady's writes in the controller's one client (20 qps).
    for (const n of removed) expect(n.sim_time_s).toBeLessThan(enter + 60);
    expect(metric(r, "pods_evicted")).toBe(0);
    expect(r.pods.filter((p) => p.deletion_requested_s !== null)).toEqual([]);
  });

  it("when the nodes are back the controller resets every probe timestamp: no node goes Unknown again", () => {
    const exit = r.events.find((e) => e.kind === "MasterDisruptionMode" && e.message.includes("Exiting"))!.sim_time_s;
    expect(exit).toBeGreaterThan(900);
    expect(exit).toBeLessThan(915);
    expect(transitions(r, "Ready", "Unknown").every((n) => n.sim_time_s < 900)).toBe(true);
    expect(r.timeseries.at(-1)).toMatchObject({ nodes_ready: 180, nodes_tainted_noexecute: 0, pods_not_ready: 0 });
  });
});

describe("a control-plane outage (etcd without quorum for 3 min) does not evict the cluster when it ends", () => {
  const scenario = {
    name: "cp-outage",
    duration: "15m",
    nodePools: [{ name: "w", count: 30, zones: ["zone-a", "zone-b", "zone-c"], allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: { replicas: 60, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }] } } },
      },
    ],
    controlPlane: {
      topology: "stacked",
      controlPlaneHosts: 3,
      zones: ["zone-a", "zone-b", "zone-c"],
      faults: [
        { type: "etcd-member-loss", at: "2m", member: "control-plane-1", recoverAfter: "3m" },
        { type: "etcd-member-loss", at: "2m", member: "control-plane-2", recoverAfter: "3m" },
      ],
    },
  };
  const r = new ClusterRun(prepareScenario(scenario, "cp-outage.yaml").spec).finish();

  it("kube-controller-manager loses its lease; the new holder observes every node afresh and none is marked Unknown", () => {
    const leases = r.tables.find((t) => t.file === "leases.csv")!;
    const kcm = leases.rows.filter((row) => row[leases.columns.indexOf("lease")] === "kube-controller-manager").map((row) => row[leases.columns.indexOf("event")]);
    expect(kcm).toContain("lost");
    expect(kcm.at(-1)).toBe("acquired");
    expect(metric(r, "nodes_marked_unknown")).toBe(0);
    expect(metric(r, "pods_evicted")).toBe(0);
    expect(r.timeseries.at(-1)).toMatchObject({ nodes_ready: 30, pods_running: 60 });
  });
});

describe("kubectl delete node (node-deletion): PodGC removes the node's pods after its quarantine", () => {
  const scenario = {
    name: "node-deletion",
    duration: "5m",
    nodePools: [{ name: "w", count: 4, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: { replicas: 8, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }] } } },
      },
    ],
    faults: [{ type: "node-deletion", at: "100s", node: "w-1" }],
  };
  const r = new ClusterRun(prepareScenario(scenario, "node-deletion.yaml").spec).finish();

  it("the orphaned pods are force-deleted at the first 20 s pass at least 40 s after a pass saw the Node missing (40-60 s), and replaced then", () => {
    expect(r.nodes.filter((n) => n.kind === "object").map((n) => [n.sim_time_s, n.node, n.to])).toEqual([[100, "w-1", "absent"]]);
    const gone = r.pods.filter((p) => p.outcome === "pod-gc");
    expect(gone.length).toBe(2);
    // PodGC passes at 0, 20, 40, ...: first sees it at 100 s, confirms at 140 s; one Delete each (5 ms).
    for (const p of gone) expect(p).toMatchObject({ node: "w-1", deleted_s: 140.005, deletion_requested_s: null });
    // Both replacements are decided at 140.005 s; one sync sends them in batches of 1 and 1
    // (5 ms each): created at 140.010 and 140.015 s.
    const replacements = r.pods.filter((p) => p.created_s > 140);
    expect(replacements.map((p) => p.created_s)).toEqual([140.01, 140.015]);
    for (const p of replacements) expect(p.node).not.toBe("w-1");
    expect(r.timeseries.at(-1)).toMatchObject({ pods_running: 8 });
    expect(metric(r, "podgc_deleted_orphaned")).toBe(2);
  });
});
