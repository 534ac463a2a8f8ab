/**
 * End to end: the quickstart scenario through the library API with every component
 * plugged in (as `kubesim run` does), checking invariants of the whole run and
 * byte-identical output for the same seed.
 */
import { describe, expect, it } from "vitest";
import { tableCsv } from "../../src/metrics/csv.js";
import { standardTables } from "../../src/metrics/files.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { ClusterRun, type RunResult } from "../../src/run/run.js";

const FILE = "scenarios/quickstart.yaml";

function run(seed?: number, stepUs?: number): RunResult {
  const { scenario } = loadScenarioFile(FILE, { seed });
  const spec = resolveScenario(scenario);
  const r = new ClusterRun(spec);
  if (stepUs) for (let t = stepUs; t < spec.durationUs; t += stepUs) r.advance(t);
  return r.finish();
}

function csvFiles(r: RunResult): Record<string, string> {
  return Object.fromEntries(standardTables(r).map((t) => [t.file, tableCsv(t)]));
}

describe("quickstart end to end", () => {
  const r = run();
  const { scenario } = loadScenarioFile(FILE);
  const spec = resolveScenario(scenario);

  it("no node is over-committed at any sample", () => {
    expect(r.timeseries.length).toBe(121);
    for (const row of r.timeseries) {
      expect(row.nodes_overcommitted).toBe(0);
      expect(row.cpu_requested_ratio_max).toBeLessThanOrEqual(1);
    }
  });

  it("pods are conserved at every sample: created = pending + starting + running + ended", () => {
    for (const row of r.timeseries) {
      const ended = row.pods_succeeded_total + row.pods_lost_total + row.pods_failed_total;
      expect(row.pods_pending + row.pods_starting + row.pods_running + ended).toBe(row.pods_created_total);
    }
    const outcomes = new Map<string, number>();
    for (const p of r.pods) outcomes.set(p.outcome, (outcomes.get(p.outcome) ?? 0) + 1);
    const last = r.timeseries.at(-1)!;
    expect(r.pods.length).toBe(last.pods_created_total);
    expect(outcomes.get("completed") ?? 0).toBe(last.pods_succeeded_total);
    const lost = ["evicted", "pod-gc", "node-failure"].reduce((n, o) => n + (outcomes.get(o) ?? 0), 0);
    expect(lost).toBe(last.pods_lost_total);
    expect(outcomes.get("evicted") ?? 0).toBe(last.pods_evicted_total);
    expect((outcomes.get("running") ?? 0) + (outcomes.get("starting") ?? 0) + (outcomes.get("terminating") ?? 0)).toBe(last.pods_running + last.pods_starting);
  });

  // The crash at 1200 s, with upstream's defaults: the last Lease renewal is at most
  // 10.4 s earlier; the node lifecycle controller (passes every 5 s) marks the node
  // Unknown at the first pass more than 50 s after the pass that saw that renewal, so
  // within (1240, 1260]; NoExecute taints follow per zone at 0.1 nodes/s; each pod is
  // deleted when its 300 s toleration runs out; the kubelet confirms when it restarts.
  const nodes = r.nodes;
  const crashed = new Set(nodes.filter((n) => n.kind === "condition" && n.to === "Unknown").map((n) => n.node));
  const taintedAt = new Map(nodes.filter((n) => n.name === "node.kubernetes.io/unreachable:NoExecute" && n.to === "present").map((n) => [n.node, n.sim_time_s]));

  it("the 10 crashed nodes go Unknown 40–60 s after the crash, are tainted NoExecute, and are Ready again when they come back", () => {
    const at = (s: number) => r.timeseries.find((row) => row.sim_time_s === s)!;
    expect(at(1230)).toMatchObject({ nodes_ready: 300, nodes_unknown: 0, pods_lost_total: 0 });
    expect(at(1260)).toMatchObject({ nodes_ready: 290, nodes_unknown: 10 });
    expect(at(2130)).toMatchObject({ nodes_ready: 300, nodes_unknown: 0, nodes_tainted_noexecute: 0, pods_terminating: 0 });
    expect(crashed.size).toBe(10);
    for (const row of nodes.filter((n) => n.kind === "condition" && n.to === "Unknown")) {
      expect(row.sim_time_s).toBeGreaterThan(1240);
      expect(row.sim_time_s).toBeLessThanOrEqual(1260.005);
    }
    expect(taintedAt.size).toBe(10);
    // One NoExecute taint per zone per 10 s (token bucket 0.1/s, burst 1): a node is queued
    // one pass (5 s) after it went Unknown, so the k-th taint of a zone (from 0) comes at
    // least 5 + 10k s after the zone's first Unknown node (later when the controller's
    // client is busy marking pods not ready: its writes share one rate limiter).
    const zoneOf = new Map(nodes.map((n) => [n.node, n.zone]));
    for (const zone of new Set([...crashed].map((n) => zoneOf.get(n)!))) {
      const firstUnknown = Math.min(...nodes.filter((n) => n.zone === zone && n.to === "Unknown").map((n) => n.sim_time_s));
      const times = [...taintedAt].filter(([n]) => zoneOf.get(n) === zone).map(([, t]) => t).sort((a, b) => a - b);
      times.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(firstUnknown - 0.005 + 5 + 10 * k));
    }
  });

  it("each pod of a crashed node is deleted 300 s after its node's NoExecute taint (the default toleration), and gone when the node's kubelet restarts", () => {
    const evicted = r.pods.filter((p) => p.outcome === "evicted");
    expect(evicted.length).toBeGreaterThan(0);
    expect(r.pods.filter((p) => p.outcome === "node-failure")).toHaveLength(0);
    for (const p of evicted) {
      expect(crashed.has(p.node)).toBe(true);
      // taint seen at once, deletion sent 300 s later, stored one API latency (5 ms) after
      expect(p.deletion_requested_s).toBeCloseTo(taintedAt.get(p.node)! + 300 + 0.005, 6);
      // the kubelet restarts at 2100 s, registers (5 ms) and confirms: its containers are gone
      expect(p.deleted_s).toBeCloseTo(2100.005, 6);
    }
    // Every pod bound to a crashed node before the crash was evicted or had ended.
    for (const p of r.pods) {
      if (crashed.has(p.node) && p.scheduled_s! < 1200 && (p.deleted_s === null || p.deleted_s > 1200)) expect(p.outcome).toBe("evicted");
    }
  });

  it("no pod is bound to a node while it carries the unreachable NoSchedule taint", () => {
    const tainted = new Map<string, [number, number]>();
    for (const n of nodes.filter((x) => x.name === "node.kubernetes.io/unreachable:NoSchedule")) {
      const span = tainted.get(n.node) ?? [Infinity, Infinity];
      if (n.to === "present") span[0] = n.sim_time_s;
      else span[1] = n.sim_time_s;
      tainted.set(n.node, span);
    }
    expect(tainted.size).toBe(10);
    for (const p of r.pods) {
      const span = p.scheduled_s === null ? undefined : tainted.get(p.node);
      if (span) expect(p.scheduled_s! < span[0] || p.scheduled_s! >= span[1]).toBe(true);
    }
  });

  it("every Deployment keeps its replica count of pods that are not Terminating once created (by 34.505 s), and runs them all at the end", () => {
    // The two Deployments' 720 creates at 0 s share the ReplicaSet controller's client rate
    // limiter (qps 20, burst 30): token n > 30 is granted at (n - 30) / 20 s, and the slow-start
    // batches never leave it idle longer than one 5 ms answer, less than the 50 ms between
    // tokens, so no grant is late: the 720th at (720 - 30) / 20 = 34.5 s, that pod exists 5 ms
    // later. None exists at 0 s (the first is answered at 5 ms).
    const owners = new Set(spec.deployments.map((d) => `Deployment/${d.namespace}/${d.name}`));
    expect(spec.deployments.reduce((n, d) => n + d.replicas, 0)).toBe(720);
    expect(Math.max(...r.pods.filter((p) => owners.has(p.owner) && p.created_s < 1200).map((p) => p.created_s))).toBeCloseTo(34.505, 9);
    for (const d of spec.deployments) {
      const owner = `Deployment/${d.namespace}/${d.name}`;
      const active = (t: number) => r.pods.filter((p) => p.owner === owner && p.created_s <= t && (p.deletion_requested_s === null || p.deletion_requested_s > t) && (p.deleted_s === null || p.deleted_s > t));
      expect(active(0)).toHaveLength(0);
      for (const t of [35, 1199, 1260, 1600, 2000, 2200, 3600]) expect(active(t)).toHaveLength(d.replicas);
      const running = r.pods.filter((p) => p.owner === owner && p.outcome === "running");
      expect(running).toHaveLength(d.replicas);
    }
  });

  it("events.csv says when each hit Deployment lost available replicas (pods marked not ready) and when all were available again", () => {
    const down = r.events.filter((e) => e.kind === "ReplicasUnavailable");
    const up = r.events.filter((e) => e.kind === "ReplicasAvailable");
    expect(down.length).toBeGreaterThan(0);
    expect(up.map((e) => e.object).sort()).toEqual(down.map((e) => e.object).sort());
    const firstUnknown = Math.min(...nodes.filter((n) => n.to === "Unknown").map((n) => n.sim_time_s));
    for (const e of down) {
      expect(e.sim_time_s).toBeGreaterThan(firstUnknown);
      expect(e.sim_time_s).toBeLessThan(1275); // MarkPodsNotReady at 20 writes/s
    }
    // Available again once the last replacement runs: after the last eviction of its pods, within a minute of it.
    const lastEviction = Math.max(...r.pods.filter((p) => p.outcome === "evicted").map((p) => p.deletion_requested_s!));
    for (const e of up) {
      expect(e.sim_time_s).toBeGreaterThan(1500);
      expect(e.sim_time_s).toBeLessThan(lastEviction + 60);
    }
    const worst = r.summary.find((s) => s.metric === "deployment_unavailable_max_s")!.value;
    expect(worst).toBeCloseTo(Math.max(...up.map((e) => e.sim_time_s - down.find((d) => d.object === e.object)!.sim_time_s)), 6);
  });

  it("cache pods land only on highmem nodes (nodeSelector + toleration); web and batch never do (taint)", () => {
    for (const p of r.pods) {
      if (p.node === "") continue;
      if (p.owner === "Deployment/shop/cache") expect(p.node).toMatch(/^highmem-/);
      else expect(p.node).toMatch(/^general-/);
    }
  });

  it("the same seed gives byte-identical CSV files, however the run is stepped", () => {
    const a = csvFiles(r);
    const b = csvFiles(run(undefined, 7_777_777));
    expect(Object.keys(a).sort()).toEqual(["events.csv", "nodes.csv", "pods.csv", "pools.csv", "summary.csv", "timeseries.csv", "workload_summary.csv", "workloads.csv", "zones.csv"]);
    for (const f of Object.keys(a)) expect(b[f]).toBe(a[f]);
  });

  it("a different seed changes them", () => {
    const a = csvFiles(r);
    const c = csvFiles(run(2));
    expect(c["pods.csv"]).not.toBe(a["pods.csv"]);
    expect(c["timeseries.csv"]).not.toBe(a["timeseries.csv"]);
    expect(c["events.csv"]).not.toBe(a["events.csv"]);
  });
});
