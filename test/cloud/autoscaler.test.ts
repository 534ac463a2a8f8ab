/**
 * The Cluster Autoscaler and the cloud-controller-manager in whole runs, against
 * timelines computed by hand from upstream's defaults: scan every 10 s (first at 10 s),
 * provisioning delay, the uninitialized taint until the cloud node controller's write,
 * scale-down after 10 min unneeded and not within 10 min of a scale-up, a PDB holding a
 * scale-down, max-node-provision-time, the cloud node lifecycle controller's delete.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { standardTables } from "../../src/metrics/files.js";
import { m5Group, web } from "./helpers.js";


function scenario(over: Record<string, unknown> = {}, pool: Record<string, unknown> = {}) {
  return {
    name: "autoscaling",
    duration: "40m",
    sampleInterval: "30s",
    nodePools: [
      m5Group(pool),
    ],
    cloudControllerManager: {},
    clusterAutoscaler: {},
    workloads: [web(2)],
    actions: [
      { at: "2m", type: "scale", deployment: "web", replicas: 6 },
      { at: "10m", type: "scale", deployment: "web", replicas: 1 },
    ],
    ...over,
  };
}

const summary = (r: ReturnType<typeof simulate>, metric: string) => r.summary.find((s) => s.metric === metric)?.value;

describe("the Cluster Autoscaler", () => {
  it("scales up at the first scan after the pods became unschedulable, by the FFD estimate; the nodes register after the provisioning delay, and pods wait for the cloud node controller to remove the uninitialized taint", () => {
    const r = simulate(scenario());
    // 6 pods of 1.5 cpu on 4-cpu nodes: 2 per node; the existing node holds 2, so 4 pods need 2 new nodes.
    const up = r.events.filter((e) => e.kind === "ScaledUpGroup");
    expect(up.map((e) => e.sim_time_s)).toEqual([130]); // scaled at 120 s; scans at 10 s, 20 s, ... -> 130 s
    expect(up[0].message).toContain("size to 3 instead of 1 (max: 5)");
    const registered = r.nodes.filter((n) => n.kind === "object" && n.to === "present");
    expect(registered.map((n) => n.node)).toEqual(["general-1", "general-2"]);
    for (const n of registered) expect(n.sim_time_s).toBeGreaterThanOrEqual(130 + 45);
    for (const n of registered) expect(n.sim_time_s).toBeLessThan(130 + 45 + 1);
    // Registered with the taint, initialized a moment later (one API write); nothing binds before.
    for (const name of ["general-1", "general-2"]) {
      const taint = r.nodes.filter((n) => n.node === name && n.kind === "taint" && n.name === "node.cloudprovider.kubernetes.io/uninitialized:NoSchedule");
      expect(taint.map((t) => [t.from, t.to])).toEqual([["absent", "present"], ["present", "absent"]]);
      const initializedS = taint[1].sim_time_s;
      const bound = r.pods.filter((p) => p.node === name);
      expect(bound.length).toBe(2);
      for (const p of bound) expect(p.scheduled_s).toBeGreaterThan(initializedS);
    }
    expect(summary(r, "ccm_nodes_initialized")).toBe(2);
    // Their last failure: the two new Nodes registered but still tainted; the rows of machines
    // not created (general-3, general-4) are not nodes to the scheduler.
    const waited = r.pods.find((p) => p.node === "general-1")!;
    expect(waited.last_failed_scheduling_message).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    );
  });

  it("template nodes carry the DaemonSet pods that would run on them: the estimate counts the room they leave", () => {
    const agent = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "kube-system" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "agent", resources: { requests: { cpu: "1500m" } } }] } } },
    };
    // 4 cpu - 1.5 (agent) = 2.5 cpu: one 1.5-cpu web pod per node. Scaled 1 -> 5: 4 pending pods,
    // 4 new nodes (without the agent on the template: 2).
    const r = simulate(scenario({ workloads: [agent, web(1)], actions: [{ at: "2m", type: "scale", deployment: "web", replicas: 5 }] }, { autoscaling: { minSize: 1, maxSize: 10 } }));
    const up = r.events.filter((e) => e.kind === "ScaledUpGroup");
    expect(up.map((e) => [e.sim_time_s, e.message.slice(0, e.message.indexOf(" ["))])).toEqual([[130, "Scale-up: setting group general size to 5 instead of 1 (max: 10)"]]);
  });

  it("without a cloud-controller-manager the Nodes carry no uninitialized taint", () => {
    const s = scenario();
    delete (s as Record<string, unknown>).cloudControllerManager;
    const r = simulate(s);
    expect(r.nodes.some((n) => n.name.startsWith("node.cloudprovider.kubernetes.io/uninitialized"))).toBe(false);
    expect(r.events.filter((e) => e.kind === "ScaledUpGroup").length).toBe(1);
  });

  it("scales down only after 10 min below the threshold: empty nodes go 600 s after their pods left; the CCM deletes the Node once it is NotReady and its instance is gone", () => {
    const r = simulate(scenario());
    // Scaled to 1 at 600 s: the 5 pods go after their 30 s grace period (630 s); the scan at 630 s
    // finds general-1 and general-2 empty: unneeded from 630 s, removed at 1230 s. general-0 keeps
    // the last pod (min size 1).
    const removed = r.events.filter((e) => e.kind === "ScaleDown" && e.message === "nodes removed by cluster autoscaler");
    expect(removed.map((e) => [e.sim_time_s, e.object])).toEqual([
      [1230, "node/general-1"],
      [1230, "node/general-2"],
    ]);
    const log = r.events.find((e) => e.kind === "ScaleDown" && e.object === "nodepool/general")!;
    expect(log.message).toBe("Scale-down: removing empty node general-1, utilization: 0.000 (below 0.5 for 600.000 s), pods to reschedule: ");
    // The kubelet stops posting: Unknown after node-monitor-grace-period (50 s after its last post);
    // the cloud node lifecycle controller (every 5 s) deletes the Node at its next pass.
    for (const name of ["general-1", "general-2"]) {
      const unknown = r.nodes.find((n) => n.node === name && n.kind === "condition" && n.to === "Unknown")!;
      const deleting = r.events.find((e) => e.kind === "DeletingNode" && e.object === `node/${name}`)!;
      expect(deleting.sim_time_s).toBe(Math.ceil(unknown.sim_time_s / 5) * 5);
      expect(deleting.message).toBe(`Deleting node ${name} because it does not exist in the cloud provider`);
    }
    // Node-hours by hand: general-0 the whole 40 min; general-1 and -2 from the create (130 s) to the delete (1230 s).
    const hours = (2400 + 2 * 1100) / 3600;
    expect(summary(r, "node_hours{pool=general}")).toBeCloseTo(hours, 9);
    expect(summary(r, "cost{pool=general}")).toBeCloseTo(hours * 0.192, 9);
  });

  it("does not scale down within scale-down-delay-after-add (10 min) of a scale-up, even when the nodes were unneeded long enough", () => {
    // Unneeded time 1 min; the load goes at 200 s (pods gone at 230 s): unneeded from 230 s,
    // due at 290 s, but the scale-up at 130 s holds scale-down until 730 s.
    const r = simulate(scenario({ clusterAutoscaler: { scaleDownUnneededTime: "1m" }, actions: [
      { at: "2m", type: "scale", deployment: "web", replicas: 6 },
      { at: "200s", type: "scale", deployment: "web", replicas: 2 },
    ] }));
    const down = r.events.filter((e) => e.kind === "ScaleDown" && e.message === "nodes removed by cluster autoscaler");
    expect(down.map((e) => e.sim_time_s)).toEqual([730, 730]);
  });

  it("a PodDisruptionBudget that allows no disruption keeps an under-utilized node; without it the node is drained and removed", () => {
    const base = { workloads: [web(2)], actions: [] };
    const pool = { count: 2, autoscaling: { minSize: 1, maxSize: 2 } };
    // One 1.5-cpu pod on each 4-cpu node (the scheduler spreads them): 0.375 < 0.5, and one fits beside the other.
    const free = simulate(scenario(base, pool));
    const freeDown = free.events.filter((e) => e.kind === "ScaleDown" && e.object.startsWith("node/"));
    // Unneeded from the first scan (10 s), due at 610 s: tainted ToBeDeletedByClusterAutoscaler
    // (not cordoned: --cordon-node-before-terminating is false) and drained, then the machine deleted.
    expect(freeDown[0].sim_time_s).toBe(610);
    const drained = freeDown[0].object.slice("node/".length);
    const marks = free.nodes.filter((n) => n.node === drained && n.sim_time_s <= 640 && (n.kind === "taint" || n.kind === "unschedulable"));
    expect(marks.map((n) => [n.sim_time_s, n.kind, n.name, n.to])).toEqual([[610, "taint", "ToBeDeletedByClusterAutoscaler:NoSchedule", "present"]]);
    expect(freeDown[0].message).toBe("marked the node as toBeDeleted/unschedulable");
    expect(freeDown[1].message).toBe("nodes removed by cluster autoscaler");
    expect(freeDown[1].sim_time_s).toBeGreaterThan(610); // after the evicted pod is gone (30 s grace)
    expect(free.events.some((e) => e.kind === "DrainCompleted")).toBe(true);
    expect(summary(free, "autoscaler_nodes_removed")).toBe(1);
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web" }, spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } } };
    const held = simulate(scenario({ ...base, workloads: [web(2), pdb] }, pool));
    expect(held.events.filter((e) => e.kind === "ScaleDown")).toEqual([]);
    expect(summary(held, "autoscaler_nodes_removed")).toBe(0);
  });

  it("gives up a machine that never registers after max-node-provision-time (15 min)", () => {
    const r = simulate(scenario({}, { bootFailureProbability: 1 }));
    const out = r.events.filter((e) => e.kind === "ScaleUpTimedOut");
    // Created at 130 s; 130 + 900 = 1030 s is a scan instant: both machines given up, one event for the group.
    expect(out.map((e) => [e.sim_time_s, e.message])).toEqual([[1030, "Nodes added to group general failed to register within 15m0s"]]);
    expect(summary(r, "autoscaler_provision_timeouts")).toBe(2);
    expect(summary(r, "machine_launch_failures")).toBeGreaterThanOrEqual(2);
    expect(r.nodes.some((n) => n.node === "general-1")).toBe(false);
  });

  it("backs a group off after a failed scale-up: 5 min, then 10 min after the next failure", () => {
    const r = simulate(scenario({ duration: "1h", actions: [{ at: "2m", type: "scale", deployment: "web", replicas: 6 }] }, { bootFailureProbability: 1 }));
    // 130 s: scale-up; 1030 s: given up, backed off until 1330 s (a group is backed off while
    // the time is before backoffUntil): the scan at 1330 s tries again; 2230 s: given up again,
    // the previous backoff over: doubled to 10 min, next try at 2830 s.
    expect(r.events.filter((e) => e.kind === "ScaledUpGroup").map((e) => e.sim_time_s)).toEqual([130, 1330, 2830]);
    expect(r.events.filter((e) => e.kind === "ScaleUpTimedOut").map((e) => e.sim_time_s)).toEqual([1030, 2230]);
    // In the backoff, the pods' NotTriggerScaleUp says why (once per pod).
    const not = r.events.filter((e) => e.kind === "NotTriggerScaleUp");
    expect(not.length).toBe(4);
    for (const e of not) expect([e.sim_time_s, e.message]).toEqual([1030, "pod didn't trigger scale-up: 1 in backoff after failed scale-up"]);
  });

  it("pods no group can take get NotTriggerScaleUp once, with the filters' reason on the template node", () => {
    const r = simulate(scenario({ workloads: [web(1, "6")], actions: [] }));
    const not = r.events.filter((e) => e.kind === "NotTriggerScaleUp");
    expect(not.map((e) => e.message)).toEqual(["pod didn't trigger scale-up: 1 Insufficient cpu"]);
    expect(not[0].sim_time_s).toBe(10);
    expect(r.events.some((e) => e.kind === "ScaledUpGroup")).toBe(false);
  });

  it("a group at its max size is skipped with upstream's reason", () => {
    const r = simulate(scenario({ workloads: [web(3)], actions: [] }, { autoscaling: { minSize: 1, maxSize: 1 } }));
    expect(r.events.filter((e) => e.kind === "NotTriggerScaleUp").map((e) => e.message)).toEqual(["pod didn't trigger scale-up: 1 max node group size reached"]);
  });
});

describe("cost per sample in pools.csv", () => {
  it("a cloud run appends nodes_provisioned and cost_total; a run without one keeps pools.csv's columns", () => {
    const r = simulate(scenario());
    const at = (t: number) => r.pools.find((p) => p.sim_time_s === t)!;
    expect(at(120).nodes_provisioned).toBe(1);
    expect(at(150).nodes_provisioned).toBe(3); // created at 130 s, booting: billed already
    expect(at(150).cost_total).toBeCloseTo(((150 + 2 * 20) / 3600) * 0.192, 12);
    expect(at(1260).nodes_provisioned).toBe(1); // deleted at 1230 s; the Node objects go later
    expect(at(2400).cost_total).toBeCloseTo(summary(r, "cost{pool=general}")!, 12);
    const columns = (x: ReturnType<typeof simulate>) => standardTables(x).find((t) => t.file === "pools.csv")!.columns;
    expect(columns(r).slice(-2)).toEqual(["nodes_provisioned", "cost_total"]);
    const plain = simulate({ name: "plain", duration: "1m", nodePools: [{ name: "p", count: 1, allocatable: { cpu: "1", memory: "1Gi" } }] });
    expect(columns(plain)).toEqual(["sim_time_s", "pool", "nodes_ready", "nodes_not_ready", "cpu_requested_ratio", "memory_requested_ratio", "pods_requested_ratio"]);
  });
});

describe("cloud scenario errors", () => {
  it("a count outside [minSize, maxSize] is refused with the field path", () => {
    expect(() => simulate(scenario({}, { count: 6 }))).toThrow("nodePools[0].count: expected at most autoscaling.maxSize (5), got 6");
    expect(() => simulate(scenario({}, { autoscaling: { minSize: 3, maxSize: 2 } }))).toThrow("nodePools[0].autoscaling.maxSize: expected at least minSize (3), got 2");
    expect(() => simulate(scenario({ clusterAutoscaler: { expander: "cheapest" } }))).toThrow(/clusterAutoscaler\.expander: expected an expander/);
  });
});
