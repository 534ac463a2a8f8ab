/**
 * The `apply` action: objects created at a time of the run (kubectl apply), inline or
 * from manifest files, checked and bounded like the scenario's own workloads.
 * Hand-computed: creates decided at t go through the fixed-latency API (5 ms) in slow-start
 * batches of 1, 2, 4, ... (each once the previous one is answered): they exist at t + 5 ms,
 * t + 10 ms (2), ...; a pod created at t runs at t + 1 s (podStartupDelay) plus a scheduling
 * cycle and the 5 ms binding.
 */
import { describe, expect, it } from "vitest";
import { prepareScenario } from "../../src/scenario/load.js";
import { runCluster } from "../../src/run/run.js";
import { simulate } from "../../src/index.js";

const deployment = (name: string, replicas: number) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "c:1", resources: { requests: { cpu: "100m" } } }] } } },
});
const job = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "batch", annotations: { "kubesim.io/run-time": "30s" } },
  spec: { completions: 2, parallelism: 2, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "c:1" }] } } },
};

function scenario(actions: unknown[], workloads: unknown[] = []) {
  return { name: "apply", duration: "10m", sampleInterval: "10s", nodePools: [{ name: "p", count: 3, allocatable: { cpu: "4", memory: "16Gi" } }], workloads, actions };
}

describe("the apply action", () => {
  it("creates a Deployment and a Job at its time, not before; the Job's duration counts from its creation", () => {
    const r = simulate(scenario([{ at: "60s", type: "apply", workloads: [deployment("late", 3), job] }], [deployment("early", 2)]));
    const late = r.pods.filter((p) => p.owner === "Deployment/default/late");
    expect(late).toHaveLength(3);
    // 3 creates decided at 60 s: batches of 1 and 2; 'early' 2 at 0 s: batches of 1 and 1;
    // the Job controller's 2 (its own sync): batches of 1 and 1.
    expect(late.map((p) => p.created_s)).toEqual([60.005, 60.01, 60.01]);
    expect(r.pods.filter((p) => p.owner === "Deployment/default/early").map((p) => p.created_s)).toEqual([0.005, 0.01]);
    const batch = r.pods.filter((p) => p.owner === "Job/default/batch");
    expect(batch.map((p) => p.created_s)).toEqual([60.005, 60.01]);
    // Running ~61.02 s (created by 60.01 s, then a few 1 ms scheduling cycles, the 5 ms
    // binding and 1 s start-up), done 30 s later: complete ~91.02 s, 31.0x s after the Job
    // was created at 60 s
    const done = r.events.find((e) => e.kind === "JobComplete")!;
    expect(done.sim_time_s).toBeGreaterThan(91);
    expect(done.sim_time_s).toBeLessThan(91.1);
    expect(done.message).toMatch(/after 31\.0\d\d s/);
    const apply = r.events.find((e) => e.kind === "Apply")!;
    expect(apply).toMatchObject({ sim_time_s: 60, message: "actions[0]: kubectl apply: Deployment/late, Job/batch created" });
    // workloads.csv: the Deployment wants nothing before it exists
    const rows = r.workloads.filter((w) => w.workload === "Deployment/default/late");
    expect(rows.filter((w) => w.sim_time_s < 60).every((w) => w.desired === 0 && w.current === 0)).toBe(true);
    expect(rows.at(-1)).toMatchObject({ desired: 3, available: 3 });
  });

  it("a PodDisruptionBudget guards nothing before it is applied", () => {
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web" }, spec: { minAvailable: "100%", selector: { matchLabels: { app: "web" } } } };
    const base = { ...deployment("web", 3), spec: { ...deployment("web", 3).spec, template: { ...deployment("web", 3).spec.template, spec: { ...deployment("web", 3).spec.template.spec, nodeSelector: { "kubernetes.io/hostname": "p-0" } } } } };
    // drain p-0 at 60 s (before the PDB): all three evicted at once
    const before = simulate(scenario([{ at: "60s", type: "drain", node: "p-0" }, { at: "120s", type: "apply", workloads: [pdb] }], [base]));
    expect(before.pods.filter((p) => p.outcome === "drained").map((p) => p.deletion_requested_s)).toEqual([60, 60, 60]);
    // drain at 180 s (after it): every eviction refused
    const after = simulate(scenario([{ at: "120s", type: "apply", workloads: [pdb] }, { at: "180s", type: "drain", node: "p-0", timeout: "1m" }], [base]));
    expect(after.pods.filter((p) => p.outcome === "drained")).toHaveLength(0);
    expect(after.events.find((e) => e.kind === "DrainTimedOut")!.sim_time_s).toBe(240);
  });

  it("objects from a manifest file, relative to the scenario; the file's Service is created at the apply", () => {
    const p = prepareScenario(scenario([{ at: "2m", type: "apply", workloads: [{ manifests: "shop.yaml" }] }]), "apply.yaml", { baseDir: "test/scenario/fixtures" });
    const r = runCluster(p.spec);
    const web = r.pods.filter((x) => x.owner === "Deployment/shop/web");
    expect(web).toHaveLength(4);
    // 4 creates decided at 120 s: batches of 1, 2, 1 (5 ms each)
    expect(web.map((x) => x.created_s)).toEqual([120.005, 120.01, 120.01, 120.015]);
    expect(p.warnings.some((w) => w.includes("Service"))).toBe(false);
    expect(p.spec.services).toEqual([expect.objectContaining({ name: "web", namespace: "default", startUs: 120e6 })]);
  });

  it("one-line errors: kinds that cannot be applied, a name already taken, an action on the object before it exists", () => {
    const arrivals = { kind: "PoissonArrivals", name: "b", rate: 1, lifetime: "10s", template: { spec: { containers: [{ name: "c", image: "c" }] } } };
    expect(() => simulate(scenario([{ at: "1m", type: "apply", workloads: [arrivals] }]))).toThrow(/actions\[0\]\.workloads\[0\]\.kind: expected a Deployment, DaemonSet, StatefulSet, Job, Pod or PodDisruptionBudget to apply, got PoissonArrivals/);
    expect(() => simulate(scenario([{ at: "1m", type: "apply", workloads: [deployment("web", 1)] }], [deployment("web", 2)]))).toThrow(/actions\[0\]\.workloads\[0\]\.metadata\.name: expected a unique Deployment name per namespace, got default\/web twice/);
    expect(() => simulate(scenario([{ at: "1m", type: "apply", workloads: [deployment("web", 1)] }, { at: "30s", type: "scale", deployment: "web", replicas: 3 }]))).toThrow(/actions\[1\]\.at: expected a time at or after actions\[0\] \(the apply that creates deployment default\/web, at 1m\)/);
    expect(() => simulate(scenario([{ at: "1m", type: "apply", workloads: [] }]))).toThrow(/actions\[0\]\.workloads: expected at least one object to apply/);
  });
});
