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
    expect(outcomes.get("node-failure") ?? 0).toBe(last.pods_lost_total);
    expect((outcomes.get("running") ?? 0) + (outcomes.get("starting") ?? 0)).toBe(last.pods_running + last.pods_starting);
  });

  it("the node failure takes 10 nodes away for 15 minutes and loses their pods", () => {
    const at = (s: number) => r.timeseries.find((row) => row.sim_time_s === s)!;
    expect(at(1170)).toMatchObject({ nodes_ready: 300, pods_lost_total: 0 });
    expect(at(1230)).toMatchObject({ nodes_ready: 290, nodes_not_ready: 10 });
    expect(at(2130)).toMatchObject({ nodes_ready: 300, nodes_not_ready: 0 });
    expect(r.events.filter((e) => e.kind === "NodeFailure")).toHaveLength(10);
    expect(r.events.filter((e) => e.kind === "NodeRecovery")).toHaveLength(10);
    const lost = r.pods.filter((p) => p.outcome === "node-failure");
    expect(lost.length).toBeGreaterThan(0);
    const failed = new Set(r.events.filter((e) => e.kind === "NodeFailure").map((e) => e.object.replace("node/", "")));
    for (const p of lost) {
      expect(p.deleted_s).toBe(1200);
      expect(failed.has(p.node)).toBe(true);
    }
    // No pod is bound to a failed node while it is NotReady.
    for (const p of r.pods) if (failed.has(p.node) && p.scheduled_s !== null) expect(p.scheduled_s < 1200 || p.scheduled_s >= 2100).toBe(true);
  });

  it("every Deployment is back to its replica count after the failure, and stays there", () => {
    for (const d of spec.deployments) {
      const owner = `Deployment/${d.namespace}/${d.name}`;
      const alive = (t: number) => r.pods.filter((p) => p.owner === owner && p.created_s <= t && (p.deleted_s === null || p.deleted_s > t));
      for (const t of [0, 1199, 1200, 1260, 3600]) expect(alive(t)).toHaveLength(d.replicas);
      const running = r.pods.filter((p) => p.owner === owner && p.outcome === "running");
      expect(running).toHaveLength(d.replicas);
    }
  });

  it("events.csv says when each hit Deployment lost replicas and when all ran again", () => {
    const down = r.events.filter((e) => e.kind === "ReplicasUnavailable");
    const up = r.events.filter((e) => e.kind === "ReplicasAvailable");
    expect(down.length).toBeGreaterThan(0);
    expect(up.map((e) => e.object).sort()).toEqual(down.map((e) => e.object).sort());
    for (const e of down) expect(e.sim_time_s).toBe(1200);
    // Replacements need a scheduling cycle, binding and the 1 s start-up delay: back within a minute.
    for (const e of up) {
      expect(e.sim_time_s).toBeGreaterThan(1200);
      expect(e.sim_time_s).toBeLessThan(1260);
    }
    const worst = r.summary.find((s) => s.metric === "deployment_unavailable_max_s")!.value;
    expect(worst).toBeCloseTo(Math.max(...up.map((e) => e.sim_time_s)) - 1200, 6);
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
    expect(Object.keys(a).sort()).toEqual(["events.csv", "pods.csv", "pools.csv", "summary.csv", "timeseries.csv", "zones.csv"]);
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
