/**
 * The cluster loop on small hand-computed cases, with a stand-in scheduler
 * (test/fakes/placeholderScheduler.ts: zero-time, least-allocated placement) so the
 * expected times are exact.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun as RunWithComponents, runCluster as runWithComponents } from "../../src/run/run.js";
import type { ClusterSpec } from "../../src/run/spec.js";
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
  it("a Deployment's replicas are bound at t=0, Running after the start-up delay, and stay", () => {
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
    for (const p of r.pods) {
      expect(p).toMatchObject({ created_s: 0, scheduled_s: 0, running_s: 2, deleted_s: null, outcome: "running", owner: "Deployment/default/web" });
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
    const waited = d.find((p) => p.scheduled_s === 11)!;
    expect(waited).toBeDefined();
    expect(waited.created_s).toBe(0);
    expect(r.summary.find((s) => s.metric === "scheduling_latency_max_ms")!.value).toBeCloseTo(11_000, -1);
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
  const base = () =>
    spec({
      durationUs: 120e6,
      nodes: [node("n0", 4000, 8 * GI), node("n1", 4000, 8 * GI), node("n2", 4000, 8 * GI)],
      templates: [template(1000, GI)],
      deployments: [{ name: "web", namespace: "default", replicas: 6, template: 0, templateHash: "h" }],
    });

  it("loses the node's pods at once; the Deployment recreates them on Ready nodes; the node gets nothing until it recovers", () => {
    const s = base();
    s.faults = [
      { atUs: 30e6, type: "node-failure", candidates: [1], count: Infinity, recoverAfterUs: -1, description: "f0", notReadyForUs: 0, controlPlaneToo: false, zone: "" },
      { atUs: 60e6, type: "node-recovery", candidates: [1], count: Infinity, recoverAfterUs: -1, description: "f1", notReadyForUs: 0, controlPlaneToo: false, zone: "" },
    ];
    const r = runCluster(s);
    const lost = r.pods.filter((p) => p.outcome === "node-failure");
    expect(lost).toHaveLength(2);
    for (const p of lost) expect(p).toMatchObject({ node: "n1", deleted_s: 30 });
    const replacements = r.pods.filter((p) => p.created_s === 30);
    expect(replacements).toHaveLength(2);
    for (const p of replacements) {
      expect(p.scheduled_s).toBe(30);
      expect(["n0", "n2"]).toContain(p.node);
    }
    const at = (t: number) => r.timeseries.find((row) => row.sim_time_s === t)!;
    expect(at(40)).toMatchObject({ nodes_ready: 2, nodes_not_ready: 1, pods_running: 6, pods_lost_total: 2 });
    expect(at(70)).toMatchObject({ nodes_ready: 3, nodes_not_ready: 0 });
    expect(r.events.map((e) => [e.sim_time_s, e.kind, e.object])).toEqual([
      [30, "NodeFailure", "node/n1"],
      [30, "ReplicasUnavailable", "deployment/default/web"],
      [30, "PodsLost", "fault/0"],
      // Replacements bound at once, Running after the 1 s start-up delay.
      [31, "ReplicasAvailable", "deployment/default/web"],
      [60, "NodeRecovery", "node/n1"],
    ]);
    expect(r.events[3].message).toBe("all 6 replicas Running again after 1.000 s");
    expect(r.summary.find((x) => x.metric === "deployment_unavailable_max_s")!.value).toBe(1);
  });

  it("pending pods go to a recovered node", () => {
    const s = base();
    s.nodes = [node("n0", 2000, 8 * GI), node("n1", 4000, 8 * GI)];
    s.deployments[0].replicas = 6;
    s.faults = [{ atUs: 10e6, type: "node-failure", candidates: [1], count: Infinity, recoverAfterUs: 20e6, description: "f", notReadyForUs: 0, controlPlaneToo: false, zone: "" }];
    const r = runCluster(s);
    // n0 holds 2, n1 held 4; after the failure 4 replacements wait until n1 is back at 30 s.
    const repl = r.pods.filter((p) => p.created_s === 10);
    expect(repl).toHaveLength(4);
    for (const p of repl) expect(p).toMatchObject({ scheduled_s: 30, node: "n1" });
    expect(r.timeseries.find((row) => row.sim_time_s === 20)!.pods_pending).toBe(4);
  });

  it("a pool fault with a count picks that many Ready nodes with the seeded stream, reproducibly", () => {
    const pick = (seed: number) => {
      const s = base();
      s.seed = seed;
      s.nodes = Array.from({ length: 20 }, (_, i) => node(`n${i}`, 4000, 8 * GI));
      s.faults = [{ atUs: 5e6, type: "node-failure", candidates: s.nodes.map((_, i) => i), count: 3, recoverAfterUs: -1, description: "f", notReadyForUs: 0, controlPlaneToo: false, zone: "" }];
      return runCluster(s)
        .events.filter((e) => e.kind === "NodeFailure")
        .map((e) => e.object);
    };
    expect(pick(1)).toHaveLength(3);
    expect(new Set(pick(1)).size).toBe(3);
    expect(pick(1)).toEqual(pick(1));
    const seeds = [1, 2, 3, 4, 5].map((s) => pick(s).join());
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
