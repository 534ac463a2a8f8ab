/**
 * A real cluster as a scenario's initial state (`cluster:`): the hand-written kubectl
 * export of scenarios/capacity/ is accepted, its nodes become pools with their zones,
 * allocatable and taints, a bare pod stays on its node, and unmodelled fields are named
 * once. Expectations are computed by hand from cluster.yaml.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, prepareScenario } from "../../src/scenario/load.js";
import { simulate } from "../../src/index.js";

const EXPORT = "scenarios/capacity/cluster.yaml";

describe("a cluster export as the initial state", () => {
  it("scenarios/capacity/from-cluster.yaml: nodes become pools by instance type, zones and taints kept", () => {
    const { spec, warnings } = loadScenarioFile("scenarios/capacity/from-cluster.yaml");
    // Three m6i.2xlarge (eu-west-1a/b/c), two r6i.2xlarge (a/b) tainted dedicated=memory.
    expect(spec.nodes.map((n) => [n.name, n.pool, n.zone])).toEqual([
      ["m6i-2xlarge-0", "m6i-2xlarge", "eu-west-1a"],
      ["m6i-2xlarge-1", "m6i-2xlarge", "eu-west-1b"],
      ["m6i-2xlarge-2", "m6i-2xlarge", "eu-west-1c"],
      ["r6i-2xlarge-0", "r6i-2xlarge", "eu-west-1a"],
      ["r6i-2xlarge-1", "r6i-2xlarge", "eu-west-1b"],
    ]);
    const m = spec.nodes[0];
    // 7910m cpu, 31369836Ki memory, 58 pods: status.allocatable, not capacity.
    expect([m.cpuMilli, m.memoryBytes, m.pods, m.ephemeralBytes]).toEqual([7910, 31369836 * 1024, 58, 76224326324]);
    expect(spec.nodes[3].memoryBytes).toBe(64032172 * 1024);
    expect(spec.nodes[3].taints).toEqual([{ key: "dedicated", value: "memory", effect: "NoSchedule" }]);
    expect(m.taints).toEqual([]);
    // Labels the pool's nodes share are kept; the node's own are kubesim's.
    expect(m.labels).toMatchObject({ "node.kubernetes.io/instance-type": "m6i.2xlarge", "eks.amazonaws.com/nodegroup": "general", "kubernetes.io/hostname": "m6i-2xlarge-0", "topology.kubernetes.io/zone": "eu-west-1a" });
    expect(spec.nodes[3].labels.workload).toBe("memory");
    // Owners with their replica counts; the StatefulSet and DaemonSet come along.
    expect(spec.deployments.map((d) => [`${d.namespace}/${d.name}`, d.replicas])).toEqual([["shop/web", 3], ["kube-system/coredns", 2]]);
    expect(spec.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(["shop/debug-shell"]);
    // One line names every ignored field.
    const ignored = warnings.filter((w) => w.includes("ignored, not modelled"));
    expect(ignored).toHaveLength(1);
    for (const f of ["metadata.managedFields", "metadata.resourceVersion", "status.conditions", "status.nodeInfo", "spec.providerID", "status.capacity"]) expect(ignored[0]).toContain(f);
    expect(warnings.some((w) => w.includes("ip-10-0-3-88.eu-west-1.compute.internal -> m6i-2xlarge-2"))).toBe(true);
  });

  it("runs: the bare pod stays on its node; scaled to 24, web gets 21 replicas and 3 stay pending", () => {
    const r = simulate(
      { name: "fc", duration: "3m", cluster: { files: [EXPORT] }, actions: [{ type: "scale", at: "1m", deployment: "web", namespace: "shop", replicas: 24 }] },
      { baseDir: "." },
    );
    const debug = r.pods.find((p) => p.pod === "debug-shell");
    expect(debug?.node).toBe("m6i-2xlarge-2"); // ip-10-0-3-88 (eu-west-1c)
    // Free cpu on the m6i nodes: 7910 - (1000 web + 100 coredns + 100 kube-proxy) = 6710 on a and b,
    // 7910 - (1000 + 100 + 250 debug) = 6560 on c: 6 + 6 + 6 more 1-cpu replicas, 21 in all.
    const web = r.pods.filter((p) => p.owner === "Deployment/shop/web" && p.node !== "");
    expect(web).toHaveLength(21);
    const summary = Object.fromEntries(r.summary.map((s) => [s.metric, s.value]));
    expect(Number(summary.scheduler_pending_at_end)).toBe(3);
  });

  const write = (text: string): string => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-cluster-"));
    writeFileSync(join(dir, "export.yaml"), text);
    return dir;
  };
  const node = (name: string, extra: string) =>
    `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: ${name}\n    labels: {node.kubernetes.io/instance-type: t3.large, topology.kubernetes.io/zone: z1}\n${extra}`;
  const alloc = (cpu: string) => `  status:\n    allocatable: {cpu: "${cpu}", memory: 8Gi, pods: "35"}\n`;

  it("a cordoned node keeps the unschedulable taint; nodes of one type that differ are two pools", () => {
    const dir = write(`kind: List\nitems:\n${node("n1", `  spec: {unschedulable: true}\n${alloc("2")}`)}${node("n2", alloc("2"))}${node("n3", alloc("1930m"))}`);
    const { spec } = prepareScenario({ name: "c", duration: "1m", cluster: { files: "export.yaml" } }, "s.yaml", { baseDir: dir });
    expect(spec.nodes.map((n) => [n.name, n.cpuMilli, n.pods, n.taints.map((t) => `${t.key}:${t.effect}`).join()])).toEqual([
      ["t3-large-0", 2000, 35, "node.kubernetes.io/unschedulable:NoSchedule"],
      ["t3-large-2-0", 2000, 35, ""],
      ["t3-large-3-0", 1930, 35, ""],
    ]);
  });

  it("allocatable the scheduler does not count (attachable-volumes-aws-ebs) is ignored and named; extended resources kept", () => {
    const dir = write(`kind: List\nitems:\n${node("n1", `  status:\n    allocatable: {cpu: "2", memory: 8Gi, pods: "35", attachable-volumes-aws-ebs: "25", example.com/gpu: "1"}\n`)}`);
    const { spec, warnings } = prepareScenario({ name: "c", duration: "1m", cluster: { files: "export.yaml" } }, "s.yaml", { baseDir: dir });
    expect(spec.nodes[0].extended).toEqual({ "example.com/gpu": 1 });
    expect(warnings.find((w) => w.includes("ignored, not modelled"))).toContain("status.allocatable of attachable-volumes-aws-ebs");
  });

  it("a mirror pod (owned by its Node) stays bound to its node's new name; a finished pod is skipped", () => {
    const mirror = (name: string, phase: string) =>
      `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: ${name}\n    namespace: kube-system\n    ownerReferences: [{apiVersion: v1, controller: true, kind: Node, name: n2, uid: 6f1c0e52-0b8e-4c57-9a43-0d6c1f2b3a41}]\n  spec:\n    nodeName: n2\n    containers: [{name: c, image: registry.k8s.io/kube-apiserver:v1.33.5, resources: {requests: {cpu: 250m}}}]\n  status: {phase: ${phase}}\n`;
    const dir = write(`kind: List\nitems:\n${node("n1", alloc("2"))}${node("n2", alloc("2"))}${mirror("kube-apiserver-n2", "Running")}${mirror("old-n2", "Succeeded")}`);
    const { spec } = prepareScenario({ name: "c", duration: "1m", cluster: { files: "export.yaml" } }, "s.yaml", { baseDir: dir });
    expect(spec.pods.map((p) => `${p.namespace}/${p.name} on ${spec.templates[p.template].pod.spec?.nodeName}`)).toEqual(["kube-system/kube-apiserver-n2 on t3-large-1"]);
  });

  it("poolLabel names the grouping label; nodes without it are the pool `unlabelled`", () => {
    const dir = write(`kind: List\nitems:\n${node("n1", alloc("2"))}- apiVersion: v1\n  kind: Node\n  metadata: {name: n2, labels: {pool: gpu}}\n${alloc("2")}`);
    const { spec } = prepareScenario({ name: "c", duration: "1m", cluster: { files: ["export.yaml"], poolLabel: "pool" } }, "s.yaml", { baseDir: dir });
    expect(spec.nodes.map((n) => n.name)).toEqual(["unlabelled-0", "gpu-0"]);
  });

  it("a malformed section names its field, not the nodePools it would have made", () => {
    expect(() => prepareScenario({ name: "c", duration: "1m", cluster: { files: 3 } }, "s.yaml")).toThrow(/^s\.yaml: cluster\.files: expected the path of a cluster export/);
    expect(() => prepareScenario({ name: "c", duration: "1m", cluster: ["a.yaml"] }, "s.yaml")).toThrow(/^s\.yaml: cluster: expected a mapping \{files, poolLabel\}$/);
    expect(() => prepareScenario({ name: "c", duration: "1m", cluster: { files: ["nope.yaml"] } }, "s.yaml")).toThrow(/^s\.yaml: cluster\.files\[0\]: expected a readable cluster export, got "nope\.yaml"/);
  });

  it("a node without status.allocatable: one line naming the file and the field", () => {
    const dir = write(`kind: List\nitems:\n${node("n1", "  status: {}\n")}`);
    expect(() => prepareScenario({ name: "c", duration: "1m", cluster: { files: "export.yaml" } }, "s.yaml", { baseDir: dir })).toThrow(
      /export\.yaml: items\[0\]\.status\.allocatable: expected the node's allocatable resources/,
    );
  });
});
