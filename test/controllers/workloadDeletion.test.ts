/**
 * `kubectl delete <kind>/<name>` (a `delete` action) on hand-computed timelines. No control
 * plane: deletes are immediate, a controller's creates take the fixed-latency API's 5 ms (in
 * slow-start batches of 1, 2, 4, ...), pods start 1 s after binding. The garbage
 * collector acts at the instant of the owner's delete (kubesim has no watch delay; upstream
 * it is a watch event and a workqueue hop per level, milliseconds), so every pod of the
 * workload gets its deletionTimestamp at the action's time and is gone its
 * terminationGracePeriodSeconds later (default 30 s: the kubelet's SIGTERM, then the end of
 * the grace period, as containerStopTime is unset).
 */
import { describe, expect, it } from "vitest";
import { ScenarioError, simulate } from "../../src/index.js";

const container = { name: "c", image: "x", resources: { requests: { cpu: "100m" } } };
function deployment(name: string, replicas: number, podSpec: Record<string, unknown> = {}) {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container], ...podSpec } } } };
}
function scenario(workloads: unknown[], actions: unknown[]) {
  return { name: "delete", duration: "3m", sampleInterval: "10s", nodePools: [{ name: "w", count: 2, allocatable: { cpu: "8", memory: "32Gi" } }], workloads, actions };
}

describe("kubectl delete of a workload", () => {
  it("a Deployment of 4 deleted at 60 s: every pod gets its deletion at 60 s, gone at 90 s, no replacement; another Deployment untouched", () => {
    const r = simulate(scenario([deployment("web", 4), deployment("other", 2)], [{ at: "60s", type: "delete", kind: "Deployment", name: "web" }]));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    expect(web).toHaveLength(4); // no pod created after the delete
    for (const p of web) {
      expect(p.deletion_requested_s).toBe(60);
      expect(p.deleted_s).toBe(90);
      expect(p.outcome).toBe("deleted");
    }
    const other = r.pods.filter((p) => p.owner === "Deployment/default/other");
    expect(other.map((p) => [p.deletion_requested_s, p.deleted_s])).toEqual([[null, null], [null, null]]);
    const deleted = r.events.find((e) => e.kind === "WorkloadDeleted")!;
    expect(deleted).toMatchObject({ sim_time_s: 60, object: "deployment/default/web" });
    expect(deleted.message).toContain("its 4 pod(s)");
    const gone = r.events.find((e) => e.kind === "WorkloadPodsGone")!;
    expect(gone).toMatchObject({ sim_time_s: 90, object: "deployment/default/web" });
    expect(gone.message).toContain("30.000 s after its delete");
    // nothing about its availability: it was deleted, not degraded
    expect(r.events.some((e) => e.kind === "ReplicasUnavailable")).toBe(false);
    // workloads.csv: desired 0 from the delete on, the 4 pods Terminating until 90 s, then nothing
    const at = (t: number) => r.workloads.find((w) => w.sim_time_s === t && w.workload === "Deployment/default/web")!;
    expect(at(50)).toMatchObject({ desired: 4, current: 4, ready: 4, terminating: 0 });
    expect(at(70)).toMatchObject({ desired: 0, current: 0, ready: 0, available: 0, terminating: 4 });
    expect(at(100)).toMatchObject({ desired: 0, current: 0, terminating: 0 });
  });

  it("terminationGracePeriodSeconds 10: the pods are gone at 70 s", () => {
    const r = simulate(scenario([deployment("web", 3, { terminationGracePeriodSeconds: 10 })], [{ at: "60s", type: "delete", kind: "Deployment", name: "web" }]));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    expect(web.map((p) => p.deleted_s)).toEqual([70, 70, 70]);
    expect(r.events.find((e) => e.kind === "WorkloadPodsGone")!.sim_time_s).toBe(70);
  });

  it("a StatefulSet of 3 (OrderedReady): all pods at once (background propagation has no ordinal order), none created again", () => {
    const sts = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { replicas: 3, serviceName: "db", selector: { matchLabels: { app: "db" } }, template: { metadata: { labels: { app: "db" } }, spec: { containers: [container] } } } };
    const r = simulate(scenario([sts], [{ at: "60s", type: "delete", kind: "StatefulSet", name: "db" }]));
    const db = r.pods.filter((p) => p.owner === "StatefulSet/default/db");
    expect(db.map((p) => p.pod)).toEqual(["db-0", "db-1", "db-2"]);
    expect(db.map((p) => [p.deletion_requested_s, p.deleted_s])).toEqual([[60, 90], [60, 90], [60, 90]]);
  });

  it("a DaemonSet on 2 nodes: both pods gone at 90 s, not created again", () => {
    const ds = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent" }, spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [container] } } } };
    const r = simulate(scenario([ds], [{ at: "60s", type: "delete", kind: "DaemonSet", name: "agent" }]));
    const agent = r.pods.filter((p) => p.owner === "DaemonSet/default/agent");
    expect(agent.map((p) => [p.deletion_requested_s, p.deleted_s])).toEqual([[60, 90], [60, 90]]);
    expect(r.workloads.filter((w) => w.sim_time_s >= 60 && w.workload === "DaemonSet/default/agent").every((w) => w.desired === 0)).toBe(true);
  });

  it("a Job (parallelism 2, 100 s runs) deleted at 60 s: its 2 pods gone at 90 s, no new one, neither complete nor failed nor running", () => {
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "batch", annotations: { "kubesim.io/run-time": "100s" } }, spec: { completions: 10, parallelism: 2, template: { spec: { restartPolicy: "Never", containers: [container] } } } };
    const r = simulate(scenario([job], [{ at: "60s", type: "delete", kind: "Job", name: "batch" }]));
    const pods = r.pods.filter((p) => p.owner === "Job/default/batch");
    // both decided at 0 in one sync: batch 1 answered at 5 ms, batch 2 at 10 ms
    expect(pods.map((p) => [p.created_s, p.deletion_requested_s, p.deleted_s])).toEqual([[0.005, 60, 90], [0.01, 60, 90]]);
    expect(r.events.some((e) => e.kind === "JobComplete" || e.kind === "JobFailed")).toBe(false);
    const m = Object.fromEntries(r.summary.map((s) => [s.metric, s.value]));
    expect(m).toMatchObject({ jobs: 1, jobs_complete: 0, jobs_failed: 0, jobs_running_at_end: 0 });
  });

  it("with a control plane: the delete at 60 s, gone at 90 s, no create after it", () => {
    const s = { ...scenario([deployment("web", 4)], [{ at: "60s", type: "delete", kind: "Deployment", name: "web" }]), controlPlane: { topology: "stacked", controlPlaneHosts: 1 } };
    const r = simulate(s);
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    expect(web).toHaveLength(4);
    expect(web.map((p) => [p.deletion_requested_s, p.deleted_s])).toEqual([[60, 90], [60, 90], [60, 90], [60, 90]]);
  });
});

describe("delete actions are checked when the scenario is read", () => {
  const err = (workloads: unknown[], actions: unknown[]) => {
    try {
      simulate(scenario(workloads, actions));
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error("no ScenarioError");
  };

  it("the workload must exist in that namespace", () => {
    expect(err([deployment("web", 1)], [{ at: "60s", type: "delete", kind: "Deployment", name: "api" }])).toBe(
      'scenario: actions[0].name: expected the name of a Deployment of the scenario in namespace default (default/web), got "api"',
    );
    expect(err([deployment("web", 1)], [{ at: "60s", type: "delete", kind: "StatefulSet", name: "web" }])).toContain("actions[0].name: expected the name of a StatefulSet");
    expect(err([deployment("web", 1)], [{ at: "60s", type: "delete", kind: "Pod", name: "web" }])).toContain("actions[0].kind");
  });

  it("no action names a workload deleted before it", () => {
    expect(err([deployment("web", 1)], [{ at: "60s", type: "delete", kind: "Deployment", name: "web" }, { at: "90s", type: "scale", deployment: "web", replicas: 3 }])).toBe(
      "scenario: actions[1].deployment: expected a Deployment that still exists at 90s, got Deployment default/web: actions[0] (delete) deletes it at 1m",
    );
    expect(err([deployment("web", 1)], [{ at: "60s", type: "delete", kind: "Deployment", name: "web" }, { at: "60s", type: "delete", kind: "Deployment", name: "web" }])).toContain("actions[1].name: expected a Deployment that still exists");
  });
});
