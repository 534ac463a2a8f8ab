/**
 * The Job controller on hand-computed timelines. No control plane: a create goes through
 * the fixed-latency API (C = 5 ms; creates decided together in slow-start batches of 1, 2,
 * 4, ..., each once the one before is answered), scheduling takes a few ms (the
 * kube-scheduler's cycle cost), pods start 1 s after binding (podStartupDelay), and each run
 * takes the Job's kubesim.io/run-time.
 */
import { describe, expect, it } from "vitest";
import { simulate, ScenarioError } from "../../src/index.js";

function scenario(jobs: Record<string, unknown>[]) {
  return { name: "jobs", duration: "30m", nodePools: [{ name: "w", count: 4, allocatable: { cpu: "8", memory: "32Gi" } }], workloads: jobs };
}
function job(name: string, annotations: Record<string, string>, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, annotations },
    spec: { ...spec, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }], ...podSpec } } },
  };
}
const SCHEDULING_S = 0.1; // a pod is created (<= 2 C for a wave of 3: batches of 1 and 2) and bound well within this of the controller's decision here
/** scheduler.apiWriteLatencyUs default: a create is answered (the pod exists) 5 ms after it is sent. */
const C = 0.005;

describe("the Job controller", () => {
  it("completions 10, parallelism 3, 60 s runs: four waves of 3, 3, 3, 1 pods, each 1 s start-up + 60 s: complete at ~244 s", () => {
    const r = simulate(scenario([job("batch", { "kubesim.io/run-time": "60s" }, { completions: 10, parallelism: 3 })]));
    const done = r.events.find((e) => e.kind === "JobComplete")!;
    expect(done.object).toBe("job/default/batch");
    expect(done.sim_time_s).toBeGreaterThan(4 * 61);
    expect(done.sim_time_s).toBeLessThan(4 * (61 + SCHEDULING_S));
    const pods = r.pods.filter((p) => p.owner === "Job/default/batch");
    expect(pods).toHaveLength(10);
    expect(pods.every((p) => p.outcome === "completed")).toBe(true);
    // never more than 3 running at once
    for (const t of [30, 90, 150, 210]) expect(pods.filter((p) => p.running_s! <= t && p.deleted_s! > t)).toHaveLength(t < 183 ? 3 : 1);
    expect(r.summary.find((s) => s.metric === "jobs_all_complete_s")!.value).toBeCloseTo(done.sim_time_s, 6);
  });

  it("restartPolicy Never, every run fails, backoffLimit 3: replacements after 10, 20, 40 s of back-off; failed after the 4th failure", () => {
    const r = simulate(scenario([job("flaky", { "kubesim.io/run-time": "10s", "kubesim.io/failure-probability": "1" }, { backoffLimit: 3 })]));
    const pods = r.pods.filter((p) => p.owner === "Job/default/flaky");
    expect(pods.map((p) => p.outcome)).toEqual(["error", "error", "error", "error"]);
    // each pod: created, bound within the scheduling latency, Running 1 s later, fails 10 s after that;
    // its replacement decided once the back-off has passed, and created C after that
    pods.forEach((p, k) => {
      expect(p.running_s! - p.scheduled_s!).toBeCloseTo(1, 6);
      expect(p.deleted_s! - p.running_s!).toBeCloseTo(10, 6);
      if (k > 0) expect(p.created_s - pods[k - 1].deleted_s!).toBeCloseTo(10 * 2 ** (k - 1) + C, 6);
    });
    const failed = r.events.find((e) => e.kind === "JobFailed")!;
    expect(failed.sim_time_s).toBeCloseTo(pods[3].deleted_s!, 6);
    expect(failed.message).toMatch(/^BackoffLimitExceeded: Job has reached the specified backoff limit \(0 succeeded, 4 failed/);
  });

  it("restartPolicy OnFailure: the kubelet restarts the container after CrashLoopBackOff (10 s, 20 s, ...); the Job fails when restarts reach backoffLimit", () => {
    const r = simulate(scenario([job("crashy", { "kubesim.io/run-time": "5s", "kubesim.io/failure-probability": "1" }, { backoffLimit: 2 }, { restartPolicy: "OnFailure" })]));
    const [pod] = r.pods.filter((p) => p.owner === "Job/default/crashy");
    // Running at ~1 s; fails at +5 s, restarts at +10 s backoff, fails +5 s, (restarts = 2 = backoffLimit): failed
    const failed = r.events.find((e) => e.kind === "JobFailed")!;
    expect(failed.sim_time_s - pod.running_s!).toBeCloseTo(5 + 10 + 5, 6);
    expect(pod).toMatchObject({ restarts: 2, outcome: "deleted" });
  });

  it("a container restarted by a kubelet coming back from a crash counts toward backoffLimit (OnFailure): the Job fails, its pod is deleted once", () => {
    // Found by the properties test: the restart's listener deleted the pod while the kubelet was starting it.
    const s = { ...scenario([job("j", { "kubesim.io/run-time": "30s" }, { backoffLimit: 0 }, { restartPolicy: "OnFailure" })]), faults: [{ type: "node-failure", at: "3s", node: "w-0", recoverAfter: "1s" }] };
    s.nodePools = [{ name: "w", count: 1, allocatable: { cpu: "8", memory: "32Gi" } }];
    const r = simulate(s);
    const [pod] = r.pods.filter((p) => p.owner === "Job/default/j");
    expect(pod).toMatchObject({ restarts: 1, outcome: "deleted", deletion_requested_s: 4.005 });
    expect(r.events.find((e) => e.kind === "JobFailed")!.message).toMatch(/^BackoffLimitExceeded/);
  });

  it("Indexed: one pod per index with names <job>-<index>-<suffix>; activeDeadlineSeconds fails a Job that runs too long", () => {
    const r = simulate(
      scenario([
        job("indexed", { "kubesim.io/run-time": "30s" }, { completions: 4, parallelism: 4, completionMode: "Indexed" }),
        job("slow", { "kubesim.io/run-time": "10m" }, { activeDeadlineSeconds: 120 }),
      ]),
    );
    const names = r.pods.filter((p) => p.owner === "Job/default/indexed").map((p) => p.pod.split("-")[1]);
    expect(names.sort()).toEqual(["0", "1", "2", "3"]);
    const failed = r.events.find((e) => e.kind === "JobFailed" && e.object === "job/default/slow")!;
    expect(failed.sim_time_s).toBe(120);
    expect(failed.message).toMatch(/^DeadlineExceeded: Job was active longer than specified deadline/);
    const slow = r.pods.find((p) => p.owner === "Job/default/slow")!;
    expect(slow).toMatchObject({ deletion_requested_s: 120, deleted_s: 150 }); // deleted, then its 30 s grace
  });

  it("a finished Job's pods stay as terminated objects: PodGC deletes those beyond --terminated-pod-gc-threshold; a Job deleted by its TTL takes its pods along", () => {
    const s = { ...scenario([job("batch", { "kubesim.io/run-time": "10s" }, { completions: 30, parallelism: 30 })]), controllerManager: { terminatedPodGcThreshold: 10 } };
    expect(simulate(s).summary.find((m) => m.metric === "podgc_deleted_terminated")!.value).toBe(20);
    const ttl = { ...scenario([job("batch", { "kubesim.io/run-time": "10s" }, { completions: 30, parallelism: 30, ttlSecondsAfterFinished: 0 })]), controllerManager: { terminatedPodGcThreshold: 10 } };
    const r = simulate(ttl);
    expect(r.events.map((e) => e.kind)).toContain("JobDeleted");
    expect(r.summary.find((m) => m.metric === "podgc_deleted_terminated")!.value).toBe(0);
    // PoissonArrivals pods are deleted when they complete: never PodGC's to delete
    const arrivals = { ...scenario([{ kind: "PoissonArrivals", name: "b", rate: 2, lifetime: "5s", template: { spec: { containers: [{ name: "c" }] } } }]), duration: "5m", controllerManager: { terminatedPodGcThreshold: 10 } };
    expect(simulate(arrivals).summary.find((m) => m.metric === "podgc_deleted_terminated")!.value).toBe(0);
  });

  it("refuses a Job without kubesim.io/run-time, a bad probability and the features it does not model, in one line naming the field", () => {
    expect(() => simulate(scenario([job("a", {})]), { file: "s.yaml" })).toThrow(ScenarioError);
    expect(() => simulate(scenario([job("a", {})]), { file: "s.yaml" })).toThrow(/^s\.yaml: workloads\[0\]\.metadata\.annotations\["kubesim\.io\/run-time"\]: expected how long each pod runs/);
    expect(() => simulate(scenario([job("a", { "kubesim.io/run-time": "soon" })]), { file: "s.yaml" })).toThrow('s.yaml: workloads[0].metadata.annotations["kubesim.io/run-time"]: expected a duration ("5m") or a distribution of durations ("{type: exponential, mean: 5m}"), got "soon"');
    expect(() => simulate(scenario([job("a", { "kubesim.io/run-time": "{" })]), { file: "s.yaml" })).toThrow('s.yaml: workloads[0].metadata.annotations["kubesim.io/run-time"]: expected a duration ("5m") or a distribution of durations ("{type: exponential, mean: 5m}"), got "{"');
    expect(() => simulate(scenario([job("a", { "kubesim.io/run-time": "1m", "kubesim.io/failure-probability": "2" })]), { file: "s.yaml" })).toThrow('s.yaml: workloads[0].metadata.annotations["kubesim.io/failure-probability"]: expected a probability from 0 to 1, got "2"');
    expect(() => simulate(scenario([job("a", { "kubesim.io/run-time": "1m" }, { suspend: true })]), { file: "s.yaml" })).toThrow("s.yaml: workloads[0].spec.suspend: kubesim does not model suspended Jobs yet: remove it or set it to false");
    expect(() => simulate(scenario([job("a", { "kubesim.io/run-time": "1m" }, {}, { restartPolicy: "Always" })]), { file: "s.yaml" })).toThrow(
      's.yaml: workloads[0].spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
    // A distribution written as YAML in the annotation.
    expect(simulate(scenario([job("d", { "kubesim.io/run-time": "{type: uniform, min: 10s, max: 20s}" })])).events.some((e) => e.kind === "JobComplete")).toBe(true);
  });
});
