/**
 * Node-pool upgrades (cloud/nodePoolUpgrade.ts) in whole runs: GKE's surge arithmetic
 * replayed from nodes.csv (never more than size + maxSurge nodes, never fewer than
 * size - maxUnavailable schedulable Ready ones), hand-computed timelines, PDBs holding a
 * drain until the drain timeout, and scenarios/node-pool-upgrade.yaml.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { loadScenarioFile } from "../../src/scenario/load.js";

type Row = { sim_time_s: number; node: string; kind: string; name: string; from: string; to: string };

/** Replays nodes.csv: after each instant, the Nodes that exist and those schedulable and Ready. */
function replay(rows: Row[], initial: string[]): { time: number; existing: number; available: number }[] {
  const exists = new Set(initial);
  const ready = new Set(initial);
  const cordoned = new Set<string>();
  const out: { time: number; existing: number; available: number }[] = [];
  rows.forEach((r, k) => {
    if (r.kind === "object") (r.to === "present" ? exists.add(r.node) : exists.delete(r.node));
    if (r.kind === "condition" && r.name === "Ready") (r.to === "True" ? ready.add(r.node) : ready.delete(r.node));
    if (r.kind === "spec" && r.name === "unschedulable") (r.to === "true" ? cordoned.add(r.node) : cordoned.delete(r.node));
    if (r.kind === "object" && r.to === "absent") ready.delete(r.node);
    if (k + 1 < rows.length && rows[k + 1].sim_time_s === r.sim_time_s) return;
    const available = [...exists].filter((n) => ready.has(n) && !cordoned.has(n)).length;
    out.push({ time: r.sim_time_s, existing: exists.size, available });
  });
  return out;
}

function scenario(count: number, upgrade: Record<string, unknown>, workloads: unknown[] = []) {
  return {
    name: "upgrade",
    duration: "2h",
    sampleInterval: "10s",
    nodePools: [{ name: "p", count, zones: ["a", "b"], allocatable: { cpu: "4", memory: "16Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "agent", namespace: "kube-system" },
        spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "agent:1", resources: { requests: { cpu: "100m" } } }] } } },
      },
      ...workloads,
    ],
    actions: [{ at: "60s", type: "node-pool-upgrade", pool: "p", ...upgrade }],
  };
}

const names = (n: number, pool = "p") => Array.from({ length: n }, (_, i) => `${pool}-${i}`);

describe("a node-pool upgrade", () => {
  it("GKE's example, 5 nodes with maxSurge 2 and maxUnavailable 1: one old node at once, the others as new ones are Ready; never more than 7 nodes nor fewer than 4 available", () => {
    const r = simulate(scenario(5, { maxSurge: 2, maxUnavailable: 1 }));
    const provisioned = r.events.filter((e) => e.kind === "NodeProvisioning");
    const drains = r.events.filter((e) => e.kind === "Drain").map((e) => [e.sim_time_s, e.object]);
    // By hand, the rolling window (old left + new created <= 7; a drain only while new Ready + old left - draining - 1 >= 4):
    // 60 s: p-0 may go at once (maxUnavailable 1); its daemon pod stays: drained at once, deleted, p-7 created.
    expect(drains[0]).toEqual([60, "node/p-0"]);
    // ~120 s: p-5, p-6 and p-7 Ready, each lets one old node go (p-1, p-2, p-3); the first two deletions create p-8, p-9
    // (5 new in all); ~180 s: p-8 Ready lets p-4 go.
    expect(drains.slice(1).map(([, o]) => o)).toEqual(["node/p-1", "node/p-2", "node/p-3", "node/p-4"]);
    expect(drains.slice(1, 4).every(([t]) => (t as number) > 120 && (t as number) < 120.1)).toBe(true);
    expect((drains[4][0] as number) > 180 && (drains[4][0] as number) < 180.1).toBe(true);
    expect(provisioned.map((e) => [e.sim_time_s < 61 ? 60 : 120, e.object])).toEqual([
      [60, "node/p-5"],
      [60, "node/p-6"],
      [60, "node/p-7"],
      [120, "node/p-8"],
      [120, "node/p-9"],
    ]);
    // Complete once p-9 is Ready: two boots of 60 s after the start.
    const done = r.events.find((e) => e.kind === "NodePoolUpgradeCompleted")!;
    expect(done.sim_time_s - 60).toBeGreaterThan(120);
    expect(done.sim_time_s - 60).toBeLessThan(120.2);
    for (const s of replay(r.nodes as Row[], names(5))) {
      expect(s.existing).toBeLessThanOrEqual(7);
      expect(s.available).toBeGreaterThanOrEqual(4);
    }
    const end = replay(r.nodes as Row[], names(5)).at(-1)!;
    expect(end).toMatchObject({ existing: 5, available: 5 });
    expect(r.summary.find((s) => s.metric === "node_pool_upgrade_duration_max_s")!.value).toBeCloseTo(done.sim_time_s - 60, 6);
  });

  it("GKE's defaults (maxSurge 1, maxUnavailable 0): one node at a time, each a boot of 60 s plus a drain of 30 s (the grace period)", () => {
    const web = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { replicas: 8, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "w", image: "w:1", resources: { requests: { cpu: "500m" } } }] } } },
    };
    const r = simulate(scenario(4, {}, [web]));
    const drains = r.events.filter((e) => e.kind === "DrainCompleted");
    expect(drains).toHaveLength(4);
    // Per node: 60 s boot, then the drain: the evicted pods' 30 s grace period (a node whose web pods are all gone
    // earlier, or that had none, is quicker); four nodes one after the other.
    const done = r.events.find((e) => e.kind === "NodePoolUpgradeCompleted")!;
    const seconds = done.sim_time_s - 60;
    expect(seconds).toBeGreaterThan(4 * 60);
    expect(seconds).toBeLessThanOrEqual(4 * 90 + 1);
    for (const s of replay(r.nodes as Row[], names(4))) {
      expect(s.existing).toBeLessThanOrEqual(5);
      expect(s.available).toBeGreaterThanOrEqual(4);
    }
    // Every web replica is back and on a new node.
    const live = r.pods.filter((p) => p.owner === "Deployment/default/web" && p.deleted_s === null);
    expect(live).toHaveLength(8);
    expect(live.every((p) => Number(p.node!.split("-")[1]) >= 4)).toBe(true);
  });

  it("a PDB that allows no disruption holds the drain until drainTimeout, then the pod is deleted", () => {
    const ledger = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "ledger" },
      spec: { replicas: 1, selector: { matchLabels: { app: "ledger" } }, template: { metadata: { labels: { app: "ledger" } }, spec: { containers: [{ name: "l", image: "l:1" }] } } },
    };
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "ledger" }, spec: { minAvailable: "100%", selector: { matchLabels: { app: "ledger" } } } };
    const r = simulate(scenario(2, { drainTimeout: "10m" }, [ledger, pdb]));
    const node = r.pods.find((p) => p.owner === "Deployment/default/ledger")!.node!;
    const drain = r.events.find((e) => e.kind === "Drain" && e.object === `node/${node}`)!;
    const timeout = r.events.find((e) => e.kind === "DrainTimeout")!;
    expect(timeout.object).toBe(`node/${node}`);
    expect(timeout.sim_time_s - drain.sim_time_s).toBeCloseTo(600, 6);
    const completed = r.events.find((e) => e.kind === "DrainCompleted" && e.object === `node/${node}`)!;
    // the pod's 30 s grace period after the deletion; refused every 5 s for 600 s: 120 refusals (at 0, 5, ..., 595)
    expect(completed.sim_time_s - drain.sim_time_s).toBeCloseTo(630, 6);
    expect(completed.message).toContain("120 evictions refused (default/ledger: 120)");
    expect(r.summary.find((s) => s.metric === "pods_deleted_at_drain_timeout")!.value).toBe(1);
    expect(r.events.some((e) => e.kind === "NodePoolUpgradeCompleted")).toBe(true);
  });

  it("one upgrade per pool, a pool that exists, and maxSurge + maxUnavailable of at least 1", () => {
    expect(() => simulate({ ...scenario(2, {}), actions: [{ at: "1m", type: "node-pool-upgrade", pool: "q" }] })).toThrow(/actions\[0\]\.pool: expected the name of a node pool/);
    expect(() => simulate({ ...scenario(2, {}), actions: [{ at: "1m", type: "node-pool-upgrade", pool: "p" }, { at: "2m", type: "node-pool-upgrade", pool: "p" }] })).toThrow(/actions\[1\]\.pool: expected one node-pool-upgrade per pool/);
    expect(() => simulate(scenario(2, { maxSurge: 0 }))).toThrow(/actions\[0\]\.maxSurge: expected maxSurge \+ maxUnavailable of at least 1/);
  });
});

describe("scenarios/node-pool-upgrade.yaml", () => {
  it("60 nodes replaced 3 at a time; the ledger PDB holds two drains for the hour GKE waits; web and api budgets hold", () => {
    const { scenario: s } = loadScenarioFile("scenarios/node-pool-upgrade.yaml");
    const r = simulate(s);
    const upgrade = r.events.find((e) => e.kind === "NodePoolUpgradeCompleted")!;
    expect(upgrade).toBeDefined();
    const timeouts = r.events.filter((e) => e.kind === "DrainTimeout");
    expect(timeouts).toHaveLength(2);
    for (const t of timeouts) {
      const drain = r.events.find((e) => e.kind === "Drain" && e.object === t.object)!;
      expect(t.sim_time_s - drain.sim_time_s).toBeCloseTo(3600, 6);
    }
    for (const s2 of replay(r.nodes as Row[], names(60, "general"))) {
      expect(s2.existing).toBeLessThanOrEqual(63);
      expect(s2.available).toBeGreaterThanOrEqual(60);
    }
    // The budgets held: api never below 29 available, web never below 216 (240 - 10 %), sampled every 30 s.
    for (const w of r.workloads.filter((x) => x.sim_time_s >= 600)) {
      if (w.workload === "Deployment/shop/api") expect(w.available).toBeGreaterThanOrEqual(29);
      if (w.workload === "Deployment/shop/web") expect(w.available).toBeGreaterThanOrEqual(216);
    }
  });
});
