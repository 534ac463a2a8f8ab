/**
 * A cluster export's controller-owned pods stay where they are (issue 12): the pods of
 * Deployments (Pod -> ReplicaSet -> Deployment), the StatefulSet and the DaemonSet of
 * scenarios/capacity/cluster.yaml exist at t=0 under their exported names, bound to their
 * exported nodes (renamed), owned by their workloads, and the controllers create only what
 * is missing. Expectations are read by hand off cluster.yaml.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

const EXPORT = "scenarios/capacity/cluster.yaml";

/** Each exported pod of a workload, its owner and its node: spec.nodeName in cluster.yaml, renamed as the load warning prints (ip-10-0-1-17 -> m6i-2xlarge-0, ...). */
const EXPORTED: [string, string, string][] = [
  ["web-6b8f7c9d4-x7k2p", "Deployment/shop/web", "m6i-2xlarge-0"], // ip-10-0-1-17
  ["web-6b8f7c9d4-q9m4t", "Deployment/shop/web", "m6i-2xlarge-1"], // ip-10-0-2-41
  ["web-6b8f7c9d4-h2w8z", "Deployment/shop/web", "m6i-2xlarge-2"], // ip-10-0-3-88
  ["coredns-5b8c7d9f6-lk4vd", "Deployment/kube-system/coredns", "m6i-2xlarge-0"],
  ["coredns-5b8c7d9f6-p7rxn", "Deployment/kube-system/coredns", "m6i-2xlarge-1"],
  ["redis-0", "StatefulSet/shop/redis", "r6i-2xlarge-0"], // ip-10-0-1-203
  ["redis-1", "StatefulSet/shop/redis", "r6i-2xlarge-1"], // ip-10-0-2-150
  ["kube-proxy-7hx2k", "DaemonSet/kube-system/kube-proxy", "m6i-2xlarge-0"],
  ["kube-proxy-9bq4m", "DaemonSet/kube-system/kube-proxy", "m6i-2xlarge-1"],
  ["kube-proxy-c5w8r", "DaemonSet/kube-system/kube-proxy", "m6i-2xlarge-2"],
  ["kube-proxy-d2n6v", "DaemonSet/kube-system/kube-proxy", "r6i-2xlarge-0"],
  ["kube-proxy-f4t9j", "DaemonSet/kube-system/kube-proxy", "r6i-2xlarge-1"],
];

/** cluster.yaml with the first occurrence of some text replaced (spec.replicas of a workload), in a temporary file. */
function exportWith(from: string, to: string, occurrences = 1): string {
  const text = readFileSync(EXPORT, "utf8");
  expect(text.split(from)).toHaveLength(occurrences + 1); // the replaced text is where the test expects it
  const file = join(mkdtempSync(join(tmpdir(), "kubesim-adopt-")), "cluster.yaml");
  writeFileSync(file, text.replace(from, to));
  return file;
}

describe("a cluster export's controller-owned pods", () => {
  it("stay on their exported nodes at t=0, owned by their workloads; with replicas as exported nothing more is created", () => {
    const r = simulate({ name: "fc", duration: "1m", cluster: { files: [EXPORT] } }, { baseDir: "." });
    const owned = r.pods.filter((p) => p.owner !== "");
    expect(owned.map((p) => [p.pod, p.owner, p.node]).sort()).toEqual([...EXPORTED].sort());
    // Running at t=0 as they were when the export was taken: no scheduling, no start-up.
    for (const p of owned) expect([p.created_s, p.scheduled_s, p.running_s]).toEqual([0, 0, 0]);
    // Nothing started: no startup latency to count (the SLI columns are empty).
    for (const p of owned) expect([p.startup_slo_s, p.startup_s]).toEqual([null, null]);
    // The bare pod too: 13 pods in all, every one Running.
    expect(r.pods).toHaveLength(13);
    for (const p of r.pods) expect(p.outcome).toBe("running");
  });

  it("scaled from 3 to 24 at 1m: the 3 exported web pods stay, only 21 are created (18 fit, 3 pending)", () => {
    const r = simulate(
      { name: "fc", duration: "2m", cluster: { files: [EXPORT] }, actions: [{ type: "scale", at: "1m", deployment: "web", namespace: "shop", replicas: 24 }] },
      { baseDir: "." },
    );
    const web = r.pods.filter((p) => p.owner === "Deployment/shop/web");
    expect(web).toHaveLength(24);
    const created = web.filter((p) => !p.pod.startsWith("web-6b8f7c9d4-"));
    expect(created).toHaveLength(21);
    for (const p of created) expect(p.created_s).toBeGreaterThanOrEqual(60);
    // Free cpu after the exported pods: 6710m on m6i-0 and -1, 6560m on m6i-2 (debug-shell):
    // 6 + 6 + 6 more 1-cpu replicas; the r6i nodes are tainted dedicated=memory.
    expect(created.filter((p) => p.node !== "")).toHaveLength(18);
    expect(created.filter((p) => p.outcome === "pending")).toHaveLength(3);
    for (const [name, , node] of EXPORTED.filter(([, o]) => o === "Deployment/shop/web")) expect(web.find((p) => p.pod === name)?.node).toBe(node);
  });

  it("a Deployment exported with 3 pods and spec.replicas 4 gets exactly one new pod", () => {
    const file = exportWith("progressDeadlineSeconds: 600\n    replicas: 3\n", "progressDeadlineSeconds: 600\n    replicas: 4\n");
    const r = simulate({ name: "fc", duration: "1m", cluster: { files: [file] } }, { baseDir: "." });
    const web = r.pods.filter((p) => p.owner === "Deployment/shop/web");
    expect(web).toHaveLength(4);
    const created = web.filter((p) => !p.pod.startsWith("web-6b8f7c9d4-"));
    expect(created).toHaveLength(1);
    expect(created[0].outcome).toBe("running");
    // Nothing else was created: 13 exported pods + 1.
    expect(r.pods).toHaveLength(14);
  });

  it("a StatefulSet exported with redis-0 and redis-1 and spec.replicas 3 creates redis-2 only", () => {
    const file = exportWith("podManagementPolicy: OrderedReady\n    replicas: 2\n", "podManagementPolicy: OrderedReady\n    replicas: 3\n");
    const r = simulate({ name: "fc", duration: "1m", cluster: { files: [file] } }, { baseDir: "." });
    const redis = r.pods.filter((p) => p.owner === "StatefulSet/shop/redis");
    expect(redis.map((p) => p.pod).sort()).toEqual(["redis-0", "redis-1", "redis-2"]);
    expect(redis.find((p) => p.pod === "redis-0")?.node).toBe("r6i-2xlarge-0");
    expect(redis.find((p) => p.pod === "redis-1")?.node).toBe("r6i-2xlarge-1");
    expect(redis.find((p) => p.pod === "redis-2")!.created_s).toBeGreaterThan(0);
  });

  it("a pod whose workload's requests no longer fit its node waits Pending, pinned there; the controller creates no other", () => {
    // web's Deployment template (the first `cpu: "1"`, before its ReplicaSet's) asks 8 cpu: more than an m6i's 7910m allocatable.
    const file = exportWith('              cpu: "1"\n', '              cpu: "8"\n', 2);
    const r = simulate({ name: "fc", duration: "1m", cluster: { files: [file] } }, { baseDir: "." });
    const web = r.pods.filter((p) => p.owner === "Deployment/shop/web");
    expect(web.map((p) => p.pod).sort()).toEqual(["web-6b8f7c9d4-h2w8z", "web-6b8f7c9d4-q9m4t", "web-6b8f7c9d4-x7k2p"]);
    for (const p of web) {
      expect([p.node, p.outcome]).toEqual(["", "pending"]);
      expect(p.last_failed_scheduling_message).toContain("1 Insufficient cpu");
      expect(p.last_failed_scheduling_message).toContain("4 node(s) didn't match the requested node name");
    }
  });

  it("a pod of an old ReplicaSet of the Deployment counts as the current one's: 4 exported for 3 replicas, one is deleted, none created", () => {
    // A fourth web pod, of an older ReplicaSet the export does not hold (found by its name <deployment>-<pod-template-hash>).
    const old = [
      "- apiVersion: v1",
      "  kind: Pod",
      "  metadata:",
      "    name: web-5f6e7d8c9-zz9qq",
      "    namespace: shop",
      "    labels: {app: web, pod-template-hash: 5f6e7d8c9}",
      "    ownerReferences:",
      "    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5f6e7d8c9, controller: true, uid: 0a0a0a0a-0000-4000-8000-000000000001}",
      "  spec:",
      "    nodeName: ip-10-0-3-88.eu-west-1.compute.internal",
      "    priorityClassName: business-critical",
      "    containers:",
      "    - {name: web, image: registry.example.com/shop/web:2.13.0, resources: {requests: {cpu: '1', memory: 2Gi}}}",
      "  status: {phase: Running}",
      "",
    ].join("\n");
    const file = join(mkdtempSync(join(tmpdir(), "kubesim-adopt-")), "cluster.yaml");
    writeFileSync(file, readFileSync(EXPORT, "utf8").replace(/\n*$/, "\n") + old);
    const r = simulate({ name: "fc", duration: "1m", cluster: { files: [file] } }, { baseDir: "." });
    const web = r.pods.filter((p) => p.owner === "Deployment/shop/web");
    expect(web.map((p) => p.pod).sort()).toEqual(["web-5f6e7d8c9-zz9qq", "web-6b8f7c9d4-h2w8z", "web-6b8f7c9d4-q9m4t", "web-6b8f7c9d4-x7k2p"]);
    expect(web.filter((p) => p.deletion_requested_s === null)).toHaveLength(3);
    expect(web.find((p) => p.pod === "web-5f6e7d8c9-zz9qq")?.node).toBe("m6i-2xlarge-2");
  });
});
