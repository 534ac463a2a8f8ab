/**
 * workload_summary.csv, the summary.csv figures built from it, and the Job rows of
 * workloads.csv, on hand-computed timelines. No control plane: a controller's creates go
 * through the fixed-latency API (a pod exists 5 ms after its create is sent; a sync's creates
 * in slow-start batches of 1, 2, 4, ..., each once the previous one is answered), a
 * kube-scheduler cycle costs 1000 us + 3 us per node evaluated + 2 us per feasible node
 * scored (DEFAULT_COST_MODEL), binding takes the 5 ms API write, pods start 1 s after binding.
 */
import { describe, expect, it } from "vitest";
import { simulate, standardTables, tableCsv } from "../../src/index.js";
import { Shortfall } from "../../src/metrics/workloadSummary.js";

const S = 1e6;
const metric = (r: { summary: { metric: string; value: number }[] }, m: string) => r.summary.find((s) => s.metric === m)?.value;

describe("Shortfall: time below target after first reaching it", () => {
  it("ignores the ramp-up, sums the spells, counts an open spell to the end, keeps the minimum", () => {
    const s = new Shortfall();
    s.update(0, 0, 10);
    s.update(5 * S, 9, 10); // still ramping up
    expect(s.hasReached).toBe(false);
    s.update(7 * S, 10, 10); // reached
    s.update(10 * S, 8, 10); // below from 10 s
    s.update(11 * S, 7, 10);
    s.update(13 * S, 10, 10); // 3 s
    s.update(20 * S, 10, 12); // scaled up: below from 20 s
    s.update(21.5 * S, 12, 12); // 1.5 s
    s.update(30 * S, 5, 4); // scaled down, above
    s.update(40 * S, 3, 4); // open spell
    expect(s.belowUs(50 * S)).toBe(3 * S + 1.5 * S + 10 * S);
    expect(s.min).toBe(3);
  });
});

function rollout(strategy: Record<string, unknown>, pdb: Record<string, unknown>) {
  return {
    name: "rollout",
    duration: "3m",
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: 4, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: {
          replicas: 10,
          strategy: { type: "RollingUpdate", rollingUpdate: strategy },
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "500m" } } }] } },
        },
      },
      { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web" }, spec: { ...pdb, selector: { matchLabels: { app: "web" } } } },
    ],
    actions: [{ at: "60s", type: "set-image", deployment: "web", container: "web", image: "nginx:1.28" }],
  };
}

describe("workload_summary.csv", () => {
  it("a rollout of 10 replicas with maxSurge 0, maxUnavailable 2 under a PDB of minAvailable 9: 5.0601 s below desired, 5.0551 s below the PDB", () => {
    const r = simulate(rollout({ maxSurge: 0, maxUnavailable: 2 }, { minAvailable: 9 }));
    // At 60 s two old pods go (available 8) and two new ones are decided. Each new pod,
    // once available, lets one more old pod go and its replacement be decided at once:
    // two chains of 5 pods. A link: the create 5 ms (fixed-latency API) + one scheduling
    // cycle (1000 + 3 x 4 + 2 x 4 us = 1.02 ms) + bind 5 ms + start-up 1 s = 1.01102 s.
    // The two creates decided at 60 s are one sync: slow-start batches of 1 and 1, so the
    // second chain's first pod exists 5 ms after the first's (at 60.010 s; the scheduler is
    // idle by then): 1.01602 s. Later links of the two chains are decided 5 ms apart, each a
    // batch of 1 (a create decided while the other chain's sync is in flight is synced when
    // that sync ends, in the same instant).
    //   chain A available at 60 + 5 x 1.01102 = 65.0551
    //   chain B available at 60 + 1.01602 + 4 x 1.01102 = 65.0601 (the rollout completes)
    // Available never exceeds 9 in between (each new available pod lets an old one go in the
    // same instant) and never falls below 8, so the Deployment is below 10 from 60 s to
    // 65.0601 s, and the PDB (healthy < 9) from 60 s to 65.0551 s, when 9 new pods run and no old one is left.
    const [row] = r.workloadSummary;
    expect(row).toEqual({
      workload: "Deployment/default/web",
      rollouts_completed: 1,
      rollout_duration_max_s: expect.closeTo(5.0601, 9),
      below_desired_s: expect.closeTo(5.0601, 9),
      available_min: 8,
      pdb: "default/web",
      pdb_below_desired_healthy_s: expect.closeTo(5.0551, 9),
      pdb_evictions_refused: 0,
    });
    expect(metric(r, "rollout_duration_max_s")).toBeCloseTo(5.0601, 9);
    expect(metric(r, "workload_below_desired_max_s")).toBeCloseTo(5.0601, 9);
    // the same spell as the existing Deployment figure
    expect(metric(r, "deployment_unavailable_max_s")).toBeCloseTo(5.0601, 9);
  });

  it("maxUnavailable 25 % of 10 (2): the same; a PDB of maxUnavailable 2 (desiredHealthy 8) is never below", () => {
    const r = simulate(rollout({ maxSurge: 0, maxUnavailable: "25%" }, { maxUnavailable: 2 }));
    expect(r.workloadSummary[0]).toMatchObject({ available_min: 8, pdb_below_desired_healthy_s: 0, pdb_evictions_refused: 0 });
    expect(r.workloadSummary[0].below_desired_s).toBeCloseTo(5.0601, 9);
  });

  it("the CSV: one row per Deployment, DaemonSet, StatefulSet, empty cells for what does not apply; no rollout row without a rollout action", () => {
    const s = rollout({ maxSurge: 0, maxUnavailable: 2 }, { minAvailable: 9 });
    s.actions = [];
    s.workloads.push({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "a:1", resources: { requests: { cpu: "100m" } } }] } } },
    } as never);
    const r = simulate(s);
    const csv = tableCsv(standardTables(r).find((t) => t.file === "workload_summary.csv")!);
    expect(csv).toBe(
      [
        "workload,rollouts_completed,rollout_duration_max_s,below_desired_s,available_min,pdb,pdb_below_desired_healthy_s,pdb_evictions_refused",
        "Deployment/default/web,0,,0,10,default/web,0,0",
        "DaemonSet/default/agent,0,,0,4,,,",
        "",
      ].join("\n"),
    );
    expect(metric(r, "rollout_duration_max_s")).toBeUndefined();
    expect(metric(r, "workload_below_desired_max_s")).toBe(0);
    // workloads.csv: the Job columns are empty cells for the other kinds
    const workloads = tableCsv(standardTables(r).find((t) => t.file === "workloads.csv")!);
    // At 0 s no create is answered yet (the first exists at 5 ms): current and updated 0.
    // At 1 s all 10 exist (batches 1, 2, 4, 3: by 20 ms) and none is Running yet (the first
    // is bound at 5 + 1.02 + 5 ms, Running 1 s later).
    expect(workloads.split("\n")[1]).toBe("0,Deployment/default/web,10,0,0,0,0,0,,,");
    expect(workloads.split("\n").find((l) => l.startsWith("1,Deployment/"))).toBe("1,Deployment/default/web,10,10,10,0,0,0,,,");
  });
});

function job(name: string, annotations: Record<string, string>, spec: Record<string, unknown>) {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, annotations },
    spec: { ...spec, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }] } } },
  };
}

describe("workloads.csv: Jobs", () => {
  const r = simulate({
    name: "jobs",
    duration: "3m",
    sampleInterval: "5s",
    nodePools: [{ name: "w", count: 4, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      job("batch", { "kubesim.io/run-time": "60s" }, { completions: 4, parallelism: 2 }),
      job("flaky", { "kubesim.io/run-time": "10s", "kubesim.io/failure-probability": "1" }, { backoffLimit: 1 }),
    ],
  });
  const at = (t: number, w: string) => r.workloads.find((x) => x.sim_time_s === t && x.workload === w)!;

  it("batch (completions 4, parallelism 2, 60 s runs): none at 0 s, 2 active from 10 ms, then 2 more after the first two succeed at ~61 s, complete at ~122 s", () => {
    // The 2 creates decided at 0 go in batches of 1 and 1 through the 5 ms API: they exist at
    // 5 and 10 ms (none at the 0 s sample); bound within a few ms of creation, Running 1 s
    // later, Succeeded 60 s after that.
    const row = (current: number, ready: number, active: number, succeeded: number) => ({ desired: 4, current, updated: current, ready, available: ready, terminating: 0, active, succeeded, failed: 0 });
    expect(at(0, "Job/default/batch")).toMatchObject(row(0, 0, 0, 0));
    expect(at(5, "Job/default/batch")).toMatchObject(row(2, 2, 2, 0));
    expect(at(30, "Job/default/batch")).toMatchObject(row(2, 2, 2, 0));
    expect(at(90, "Job/default/batch")).toMatchObject(row(2, 2, 2, 2));
    expect(at(150, "Job/default/batch")).toMatchObject(row(0, 0, 0, 4));
  });

  it("flaky (a work queue, every run fails, backoffLimit 1): desired 1; fails at ~11 s, the replacement after 10 s of back-off fails at ~32 s: Job failed with 2", () => {
    const row = (active: number, failed: number) => ({ desired: 1, current: active, active, succeeded: 0, failed });
    expect(at(5, "Job/default/flaky")).toMatchObject(row(1, 0));
    expect(at(15, "Job/default/flaky")).toMatchObject(row(0, 1));
    expect(at(25, "Job/default/flaky")).toMatchObject(row(1, 1));
    expect(at(40, "Job/default/flaky")).toMatchObject(row(0, 2));
    expect(r.events.find((e) => e.kind === "JobFailed")!.sim_time_s).toBeGreaterThan(32);
    expect(r.events.find((e) => e.kind === "JobFailed")!.sim_time_s).toBeLessThan(33);
  });

  it("the columns come last; Jobs are not in workload_summary.csv", () => {
    const csv = tableCsv(standardTables(r).find((t) => t.file === "workloads.csv")!);
    expect(csv.split("\n")[0]).toBe("sim_time_s,workload,desired,current,updated,ready,available,terminating,active,succeeded,failed");
    expect(r.workloadSummary).toEqual([]);
    expect(metric(r, "workload_below_desired_max_s")).toBeUndefined();
  });
});
