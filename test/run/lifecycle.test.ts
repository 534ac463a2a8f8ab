/**
 * The cluster loop on small hand-computed cases, with a stand-in scheduler
 * (test/fakes/placeholderScheduler.ts: zero-time, least-allocated placement) so the
 * expected times are exact.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun as RunWithComponents, runCluster as runWithComponents } from "../../src/run/run.js";
import type { ClusterSpec, FaultSpec } from "../../src/run/spec.js";
import { placeholderScheduler } from "../fakes/placeholderScheduler.js";
import { GI, node, spec, taint, template } from "./helpers.js";

// The cluster loop with a stand-in scheduler (zero-time placement, test/fakes); the
// kube-scheduler component (cycle cost, binding, backoff) is tested in test/scheduler/.
const PLACEHOLDER = { components: [placeholderScheduler] };
const runCluster = (s: ClusterSpec) => runWithComponents(s, PLACEHOLDER);
class ClusterRun extends RunWithComponents {
  constructor(s: ClusterSpec) {
    super(s, PLACEHOLDER);
  }
}

describe("pod lifecycle", () => {
  it("a Deployment's replicas are created in slow-start batches (5, 10, 10, 15 ms), bound at once, Running after the start-up delay, and stay", () => {
    const r = runCluster(
      spec({
        durationUs: 60e6,
        nodes: [node("n0", 4000, 8 * GI), node("n1", 4000, 8 * GI)],
        templates: [template(1000, GI)],
        deployments: [{ name: "web", namespace: "default", replicas: 4, template: 0, templateHash: "abc" }],
        podStartupDelay: { type: "constant", value: 2 },
      }),
    );
    expect(r.pods).toHaveLength(4);
    // The ReplicaSet controller decides the 4 creates at 0; one sync sends them through the
    // fixed-latency API (5 ms) in slow-start batches of 1, 2, 1, each once the previous one
    // is answered (the rate limiter's burst of 30 lets all go at once): created at 5, 10, 10,
    // 15 ms, bound at once (stand-in scheduler), Running 2 s later.
    expect(r.pods.map((p) => p.created_s)).toEqual([0.005, 0.01, 0.01, 0.015]);
    for (const p of r.pods) {
      expect(p).toMatchObject({ scheduled_s: p.created_s, deleted_s: null, outcome: "running", owner: "Deployment/default/web" });
      expect(p.running_s).toBeCloseTo(p.created_s + 2, 9);
      expect(p.pod).toMatch(/^web-abc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
    // Least allocated: the replicas alternate between the two equal nodes.
    expect(r.pods.map((p) => p.node)).toEqual(["n0", "n1", "n0", "n1"]);
    expect(new Set(r.pods.map((p) => p.pod)).size).toBe(4);
    const last = r.timeseries.at(-1)!;
    expect(last).toMatchObject({ sim_time_s: 60, pods_running: 4, pods_pending: 0, cpu_requested_ratio: 0.5, memory_requested_ratio: 0.25 });
    expect(r.timeseries).toHaveLength(7);
  });

  it("pods that do not fit stay Pending and are bound when capacity frees", () => {
    // One node fits 2 pods of 1 cpu. The bare Pod 'a' ends by deadline at 1 s + 10 s, freeing room for the third.
    const run = new ClusterRun(
      spec({
        durationUs: 30e6,
        nodes: [node("n0", 2000, 4 * GI)],
        templates: [template(1000, GI), template(1000, GI)],
        pods: [{ name: "a", namespace: "default", template: 0, activeDeadlineUs: 10e6 }],
        deployments: [{ name: "d", namespace: "default", replicas: 2, template: 1, templateHash: "h" }],
      }),
    );
    const r = run.finish();
    const byName = Object.fromEntries(r.pods.map((p) => [p.pod, p]));
    expect(byName.a).toMatchObject({ scheduled_s: 0, running_s: 1, deleted_s: 11, outcome: "deadline-exceeded" });
    const d = r.pods.filter((p) => p.owner === "Deployment/default/d");
    // d's two creates go out in batches of 1 and 1 (5 ms API latency each): the first exists
    // at 5 ms and takes the free cpu, the second exists at 10 ms and waits for 'a' to end.
    const waited = d.find((p) => p.scheduled_s === 11)!;
    expect(waited).toBeDefined();
    expect(waited.created_s).toBe(0.01);
    // 11 s - 0.010 s = 10.99 s Pending.
    expect(r.summary.find((s) => s.metric === "scheduling_latency_max_ms")!.value).toBeCloseTo(10_990, 6);
    expect(r.summary.find((s) => s.metric === "pods_failed")!.value).toBe(1);
  });

  it("resource fit counts cpu, memory, pods, extended resources; taints and nodeSelector filter", () => {
    const r = runCluster(
      spec({
        durationUs: 10e6,
        nodes: [
          node("small", 500, GI),
          node("gpu", 8000, 16 * GI, { extended: { "nvidia.com/gpu": 1 }, taints: [taint("gpu", "NoSchedule")], labels: { "kubernetes.io/hostname": "gpu", accel: "yes" } }),
          node("two-pods", 8000, 16 * GI, { pods: 2 }),
        ],
        templates: [
          template(1000, GI), // too big for small
          template(100, GI / 4, { extended: { "nvidia.com/gpu": 1 }, tolerations: [{ key: "gpu", operator: "Exists" }], nodeSelector: { accel: "yes" } }),
        ],
        deployments: [
          { name: "big", namespace: "default", replicas: 3, template: 0, templateHash: "h" },
          { name: "gpu", namespace: "default", replicas: 2, template: 1, templateHash: "g" },
        ],
      }),
    );
    const nodes = (owner: string) => r.pods.filter((p) => p.owner === `Deployment/default/${owner}`).map((p) => p.node);
    // 'big' fits only on two-pods (not small: cpu; not gpu: untolerated taint): two fit, the third waits.
    expect(nodes("big")).toEqual(["two-pods", "two-pods", ""]);
    // One gpu on the gpu node: the second gpu pod waits.
    expect(nodes("gpu")).toEqual(["gpu", ""]);
    expect(r.timeseries.at(-1)!.pods_pending).toBe(2);
  });

  it("PreferNoSchedule taints do not filter", () => {
    const r = runCluster(
      spec({ durationUs: 1e6, nodes: [node("n", 1000, GI, { taints: [taint("soft", "PreferNoSchedule")] })], templates: [template(100, 0)], deployments: [{ name: "x", namespace: "default", replicas: 1, template: 0, templateHash: "h" }] }),
    );
    expect(r.pods[0].node).toBe("n");
  });
});

describe("node failure", () => {
  const S = 1e6;
  const base = () =>
    spec({
      durationUs: 600e6,
      nodes: [node("n0", 4000, 8 * GI), node("n1", 4000, 8 * GI), node("n2", 4000, 8 * GI)],
      templates: [template(1000, GI)],
      deployments: [{ name: "web", namespace: "default", replicas: 6, template: 0, templateHash: "h" }],
    });
  const fault = (atUs: number, type: FaultSpec["type"], candidates: number[], recoverAfterUs = -1, count = Infinity): FaultSpec => ({
    atUs,
    type,
    candidates,
    count,
    recoverAfterUs,
    description: "f",
    notReadyForUs: 0,
    controlPlaneToo: false,
    zone: "",
  });

  it("a crashed node: Unknown one grace period after the pass that saw its last Lease renewal, tainted, its pods deleted 300 s later and replaced, gone when it comes back", () => {
    const s = base();
    s.faults = [fault(30 * S, "node-failure", [1], 470 * S)];
    const run = new ClusterRun(s);
    run.advance(30 * S);
    const lastRenewalUs = run.cluster.nodes.leaseRenewUs[1];
    const victims = run.cluster.podsOn(1).map((p) => run.cluster.pods.names[p]);
    expect(victims).toHaveLength(2);
    const r = run.finish();
    // Hand computation (every API request takes 5 ms; passes every 5 s from 0):
    const observedUs = Math.ceil(lastRenewalUs / (5 * S)) * 5 * S; // the pass that saw the renewal
    const unknownUs = observedUs + 55 * S + 0.005 * S; // first pass with now > probe + 50 s, then the write
    const noExecuteUs = observedUs + 60 * S + 0.005 * S; // queued at the next pass (it saw Unknown), tainted at once (token)
    const deletionUs = noExecuteUs + 300 * S + 0.005 * S; // toleration 300 s, then the Delete
    const row = (kind: string, name: string, to: string) => r.nodes.find((n) => n.node === "n1" && n.kind === kind && n.name === name && n.to === to)!.sim_time_s * S;
    expect(row("condition", "Ready", "Unknown")).toBeCloseTo(unknownUs, 0);
    expect(row("taint", "node.kubernetes.io/unreachable:NoSchedule", "present")).toBeCloseTo(unknownUs + 0.005 * S, 0);
    expect(row("taint", "node.kubernetes.io/unreachable:NoExecute", "present")).toBeCloseTo(noExecuteUs, 0);
    const evicted = r.pods.filter((p) => victims.includes(p.pod));
    for (const p of evicted) {
      expect(p.outcome).toBe("evicted");
      expect(p.deletion_requested_s! * S).toBeCloseTo(deletionUs, 0);
      // Terminating until the kubelet is back at 500 s: registered at +5 ms, then it confirms (no container runs).
      expect(p.deleted_s).toBeCloseTo(500.005, 6);
    }
    // The ReplicaSet controller decides both replacements at the deletion; one sync sends them
    // in batches of 1 and 1 through the fixed-latency API (5 ms): created 5 and 10 ms later.
    const replacements = r.pods.filter((p) => p.created_s * S > deletionUs && p.owner !== "");
    expect(replacements.map((p) => p.created_s * S - deletionUs).map((d) => Math.round(d))).toEqual([0.005 * S, 0.01 * S]);
    for (const p of replacements) {
      expect(["n0", "n2"]).toContain(p.node);
      expect(p.running_s! - p.scheduled_s!).toBeCloseTo(1, 6);
    }
    expect(r.events.filter((e) => e.kind.startsWith("Node")).map((e) => e.kind)).toEqual(["NodeFailure", "NodeStatusUnknown", "NodeRecovery", "NodeReady"]);
    const at = (t: number) => r.timeseries.find((x) => x.sim_time_s === t)!;
    expect(at(120)).toMatchObject({ nodes_ready: 2, nodes_unknown: 1, pods_not_ready: 2, nodes_tainted_noexecute: 1 });
    expect(at(450)).toMatchObject({ pods_terminating: 2, pods_running: 8, pods_evicted_total: 2 });
    expect(at(510)).toMatchObject({ nodes_ready: 3, pods_terminating: 0, pods_running: 6, nodes_tainted_noexecute: 0 });
  });

  it("replacements that fit nowhere wait Pending; when the node comes back its Terminating pods are confirmed gone and the replacements bind to it", () => {
    const s = base();
    s.nodes = [node("n0", 2000, 8 * GI), node("n1", 4000, 8 * GI)];
    s.faults = [fault(10 * S, "node-failure", [1], 490 * S)];
    const r = runCluster(s);
    // n0 holds 2, n1 held 4; the 4 replacements of its evicted pods wait until n1 is back at 500 s.
    const evicted = r.pods.filter((p) => p.outcome === "evicted");
    expect(evicted).toHaveLength(4);
    const repl = r.pods.filter((p) => p.created_s > 300 && p.owner !== "");
    expect(repl).toHaveLength(4);
    for (const p of repl) {
      expect(p.node).toBe("n1");
      // Registered at 500.005 s, Ready stored at 500.010 s (the stand-in scheduler places on Ready nodes;
      // kube-scheduler waits for the NoSchedule taint's removal 5 ms later: test/kubelet/nodeLifecycleRun.test.ts).
      expect(p.scheduled_s).toBeGreaterThanOrEqual(500.01);
      expect(p.scheduled_s).toBeLessThan(500.1);
    }
    for (const p of evicted) expect(p.deleted_s).toBeCloseTo(500.005, 6);
    expect(r.timeseries.find((row) => row.sim_time_s === 450)!.pods_pending).toBe(4);
  });

  it("a pool fault with a count picks that many healthy nodes with the seeded stream, reproducibly", () => {
    const pick = (seed: number) => {
      const s = base();
      s.seed = seed;
      s.durationUs = 100e6;
      s.nodes = Array.from({ length: 20 }, (_, i) => node(`n${i}`, 4000, 8 * GI));
      s.faults = [fault(5 * S, "node-failure", s.nodes.map((_, i) => i), -1, 3)];
      return runCluster(s).nodes.filter((n) => n.to === "Unknown").map((n) => n.node);
    };
    expect(pick(1)).toHaveLength(3);
    expect(new Set(pick(1)).size).toBe(3);
    expect(pick(1)).toEqual(pick(1));
    const seeds = [1, 2, 3, 4, 5].map((s) => pick(s).sort().join());
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});

describe("Poisson arrivals", () => {
  it("arrive at the configured rate and end after their lifetime", () => {
    const r = runCluster(
      spec({
        durationUs: 2000e6,
        sampleIntervalUs: 100e6,
        nodes: [node("n0", 1e6, 1e6 * GI)],
        templates: [template(10, 0)],
        arrivals: [{ name: "b", namespace: "jobs", meanInterarrivalUs: 2e6, startUs: 0, stopUs: 2000e6, lifetime: { type: "constant", value: 30 }, template: 0 }],
        podStartupDelay: { type: "constant", value: 0.5 },
      }),
    );
    // 1000 expected arrivals; a Poisson count has sd ~32.
    expect(r.pods.length).toBeGreaterThan(900);
    expect(r.pods.length).toBeLessThan(1100);
    for (const p of r.pods.filter((x) => x.outcome === "completed")) {
      expect(p.deleted_s! - p.running_s!).toBeCloseTo(30, 6);
      expect(p.running_s! - p.scheduled_s!).toBeCloseTo(0.5, 6);
      expect(p.namespace).toBe("jobs");
    }
    // Little's law: ~ rate x (startup + lifetime) = 0.5 x 30.5 ~ 15 pods alive.
    const alive = r.timeseries.slice(2).map((row) => row.pods_running + row.pods_starting);
    const mean = alive.reduce((a, b) => a + b, 0) / alive.length;
    expect(mean).toBeGreaterThan(10);
    expect(mean).toBeLessThan(20);
  });

  it("the same seed gives the same arrivals whatever else the scenario contains (common random numbers)", () => {
    const arrivals = (withDeployment: boolean) => {
      const s = spec({
        durationUs: 300e6,
        nodes: [node("n0", 1e6, 1e6 * GI), node("n1", 1e6, 1e6 * GI)],
        templates: [template(10, 0), template(10, 0)],
        arrivals: [{ name: "b", namespace: "jobs", meanInterarrivalUs: 3e6, startUs: 0, stopUs: 300e6, lifetime: { type: "exponential", mean: 20 }, template: 0 }],
        deployments: withDeployment ? [{ name: "d", namespace: "default", replicas: 50, template: 1, templateHash: "h" }] : [],
      });
      return runCluster(s)
        .pods.filter((p) => p.owner.startsWith("PoissonArrivals"))
        .map((p) => [p.created_s, p.deleted_s]);
    };
    expect(arrivals(true)).toEqual(arrivals(false));
  });
});
