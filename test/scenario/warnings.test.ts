/**
 * Nothing dropped silently: what a scenario or an imported `kubectl get -o yaml` dump
 * holds that does not run as written is a warning (PreparedScenario.warnings), listed
 * once per file and reason, or an error where the run would mislead. The fixture
 * import/cluster-dump.yaml is a small cluster's nodes, a Deployment with its ReplicaSet
 * and pod, and pods owned by a ReplicaSet of another Deployment, a DaemonSet and a Job,
 * a finished pod, a bare pod bound to one of the source cluster's nodes and one bound to
 * a node the scenario has.
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { loadScenarioFile, prepareScenario } from "../../src/scenario/load.js";

const DUMP = "test/scenario/fixtures/import/cluster-dump.yaml";
const SCENARIO = "test/scenario/fixtures/import/scenario.yaml";

describe("importing a cluster dump", () => {
  it("runs the Deployment and the bare Pods, nothing else", () => {
    const loaded = loadScenarioFile(SCENARIO);
    expect(loaded.spec.deployments.map((d) => `${d.namespace}/${d.name}`)).toEqual(["shop/web"]);
    expect(loaded.spec.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(["ops/debug", "ops/pinned"]);
  });

  it("says what it skipped, one warning per reason, naming the objects", () => {
    const w = loadScenarioFile(SCENARIO).warnings;
    const about = (re: RegExp) => w.filter((x) => re.test(x));
    expect(about(/skipped 2 Nodes \(ip-10-0-1-17\.ec2\.internal, ip-10-0-2-44\.ec2\.internal\): the scenario's nodes come from nodePools$/)).toHaveLength(1);
    expect(about(/skipped 1 ReplicaSet \(web-6d4cf56db6\): each belongs to a Deployment in the scenario/)).toHaveLength(1);
    expect(about(/skipped 1 Pod \(web-6d4cf56db6-x7k2p\): replicas of a Deployment in the scenario, which creates its own$/)).toHaveLength(1);
    expect(about(/skipped 1 Pod \(api-7b9f8c6d5-q2w3e\): owned by a ReplicaSet whose Deployment is not in the scenario/)).toHaveLength(1);
    expect(about(/skipped 1 Pod \(kube-proxy-8fj2k\): owned by a DaemonSet: its DaemonSet is not in the scenario \(add it to run them\)/)).toHaveLength(1);
    expect(about(/skipped 1 Pod \(backup-28391-abcde\): owned by a Job: its Job is not in the scenario \(add it to run them\)/)).toHaveLength(1);
    expect(about(/skipped 1 Pod \(migrate-once\): in phase Succeeded or Failed/)).toHaveLength(1);
    // Services are read now (the EndpointSlice controller and kube-proxy): not skipped.
    expect(about(/Service/)).toHaveLength(0);
    for (const x of w) {
      expect(x.startsWith(`${DUMP}: `)).toBe(true);
      expect(x.split("\n")).toHaveLength(1);
    }
  });

  it("a pod bound to a node of the source cluster is placed by the simulated scheduler; one bound to a scenario node keeps it", () => {
    const loaded = loadScenarioFile(SCENARIO);
    expect(loaded.warnings.filter((x) => x.includes("bound to nodes the scenario does not have"))).toEqual([
      `${DUMP}: 1 Pod is bound to nodes the scenario does not have (debug on ip-10-0-1-17.ec2.internal): spec.nodeName cleared, the simulated kube-scheduler places it`,
    ]);
    const pods = loaded.scenario.workloads.filter((w) => "kind" in w && w.kind === "Pod") as { metadata: { name: string }; spec: { nodeName?: string } }[];
    expect(pods.map((p) => [p.metadata.name, p.spec.nodeName])).toEqual([
      ["debug", undefined],
      ["pinned", "a-1"],
    ]);
  });

  it("`kubectl get pods -o yaml` alone: controller-owned and finished pods do not become bare Pods", () => {
    const pod = (name: string, extra: { owner?: string; phase?: string } = {}) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, ...(extra.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: extra.owner, name: `${name}-owner`, uid: "u", controller: true }] } : {}) },
      spec: { containers: [{ name: "c" }] },
      status: { phase: extra.phase ?? "Running" },
    });
    const items = [pod("kube-proxy-1", { owner: "DaemonSet" }), pod("job-1", { owner: "Job" }), pod("done", { phase: "Failed" }), pod("bare")];
    const s = { name: "m", duration: "1m", nodePools: [{ name: "a", count: 1, allocatable: { cpu: 1, memory: "1Gi" } }], workloads: [{ manifests: "pods.json" }] };
    const p = prepareScenario(s, "s.yaml", { baseDir: writeJson("pods.json", { apiVersion: "v1", kind: "List", items }) });
    expect(p.spec.pods.map((x) => x.name)).toEqual(["bare"]);
    expect(p.warnings).toHaveLength(3);
  });

  it("many objects of one reason are one line", () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ apiVersion: "v1", kind: "Node", metadata: { name: `n${i}` } }));
    const s = { name: "m", duration: "1m", nodePools: [{ name: "a", count: 1, allocatable: { cpu: 1, memory: "1Gi" } }], workloads: [{ manifests: "nodes.json" }] };
    const dir = writeJson("nodes.json", { apiVersion: "v1", kind: "List", items });
    expect(prepareScenario(s, "s.yaml", { baseDir: dir }).warnings.filter((w) => w.includes("Node"))).toHaveLength(1);
    expect(prepareScenario(s, "s.yaml", { baseDir: dir }).warnings[0]).toMatch(/skipped 5 Nodes \(n0, n1, n2, \.\.\. \(5 in all\)\)/);
  });
});

describe("spec.nodeName written in the scenario", () => {
  it("naming a node the scenario does not have is an error: no kubelet would run the pod", () => {
    const s = {
      name: "m",
      duration: "1m",
      nodePools: [{ name: "a", count: 2, allocatable: { cpu: 1, memory: "1Gi" } }],
      workloads: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { nodeName: "a-2", containers: [{ name: "c" }] } }],
    };
    expect(() => prepareScenario(s, "s.yaml")).toThrow(ScenarioError);
    expect(() => prepareScenario(s, "s.yaml")).toThrow('s.yaml: workloads[0].spec.nodeName: expected the name of a node of the scenario (<pool>-<index>, such as a-0), got "a-2": no kubelet would run the pod');
    s.workloads[0].spec.nodeName = "a-1";
    expect(prepareScenario(s, "s.yaml").warnings).toEqual([]);
  });
});

describe("times after the end of the run", () => {
  it("faults, control-plane faults and arrivals after the end are not reached: warnings, not errors", () => {
    const s = {
      name: "late",
      duration: "10m",
      nodePools: [{ name: "a", count: 2, allocatable: { cpu: 1, memory: "1Gi" } }],
      workloads: [{ kind: "PoissonArrivals", name: "b", rate: 1, start: "15m", lifetime: "1m", template: { spec: { containers: [{ name: "c" }] } } }],
      faults: [
        { type: "node-failure", at: "10m", pool: "a" },
        { type: "node-recovery", at: "20m", pool: "a" },
      ],
      controlPlane: { faults: [{ type: "etcd-leader-kill", at: "1h" }] },
    };
    const p = prepareScenario(s, "s.yaml");
    expect(p.warnings).toEqual([
      "s.yaml: faults[1] (node-recovery) at 20m is after the end of the run (duration 10m): not reached",
      "s.yaml: controlPlane.faults[0] (etcd-leader-kill) at 1h is after the end of the run (duration 10m): not reached",
      "s.yaml: workloads[0] (PoissonArrivals b) starts at 15m, not before the end of the run (duration 10m): no arrivals",
    ]);
  });

  it("--set duration=10m works on every shipped scenario", () => {
    for (const f of readdirSync("scenarios").filter((x) => x.endsWith(".yaml"))) {
      const p = loadScenarioFile(`scenarios/${f}`, { set: ["duration=10m"] });
      expect(p.spec.durationUs).toBe(600e6);
    }
  });
});

function writeJson(name: string, value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "kubesim-warn-"));
  writeFileSync(join(dir, name), JSON.stringify(value));
  return dir;
}
