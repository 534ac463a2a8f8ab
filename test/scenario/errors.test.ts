/**
 * Scenario validation errors: each bad input yields exactly the one-line message
 * `<file>: <field path>: <what was expected>, got <what>`.
 */
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { parseScenarioText, validateScenario } from "../../src/scenario/load.js";

const FILE = "scenario.yaml";

function base(): Record<string, unknown> {
  return {
    name: "t",
    duration: "1h",
    nodePools: [
      { name: "a", count: 3, zones: ["z1", "z2"], allocatable: { cpu: "4", memory: "8Gi" } },
      { name: "b", count: 2, allocatable: { cpu: "4", memory: "8Gi" } },
      { name: "c", count: 1, allocatable: { cpu: "4", memory: "8Gi" } },
    ],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }] } } },
      },
      { kind: "PoissonArrivals", name: "batch", rate: 1, lifetime: "5m", template: { spec: { containers: [{ name: "w" }] } } },
    ],
  };
}

function message(mutate: (s: any) => void): string {
  const s = base();
  mutate(s);
  try {
    validateScenario(s, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = (e as Error).message;
    expect(m.split("\n")).toHaveLength(1);
    return m;
  }
  throw new Error("expected a validation error");
}

describe("scenario validation errors", () => {
  it("accepts the base scenario", () => {
    expect(validateScenario(base(), FILE).nodePools).toHaveLength(3);
  });

  const cases: [string, (s: any) => void, string][] = [
    ["a count written as a word", (s) => (s.nodePools[2].count = "ten"), 'scenario.yaml: nodePools[2].count: expected a positive integer, got "ten"'],
    ["a zero count", (s) => (s.nodePools[0].count = 0), "scenario.yaml: nodePools[0].count: expected a positive integer, got 0"],
    ["a missing name", (s) => delete s.name, "scenario.yaml: name: required field is missing (expected a lowercase name of letters, digits, '-' and '.' (a Kubernetes DNS subdomain))"],
    [
      "a bad duration",
      (s) => (s.duration = "forever"),
      'scenario.yaml: duration: expected a duration such as 500ms, 30s, 90m, 1h or a number of seconds, got "forever"',
    ],
    [
      "a bad cpu quantity",
      (s) => (s.nodePools[1].allocatable.cpu = "4 cores"),
      'scenario.yaml: nodePools[1].allocatable.cpu: expected a Kubernetes quantity such as 500m, 2, 4Gi or 1e3, got "4 cores"',
    ],
    [
      "a quantity with a unit Kubernetes does not know",
      (s) => (s.workloads[0].spec.template.spec.containers[0].resources.requests.memory = "1KiB"),
      `scenario.yaml: workloads[0].spec.template.spec.containers[0].resources.requests.memory: Invalid value: "1KiB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ],
    ["a misspelt field", (s) => (s.nodePools[0].colour = "red"), "scenario.yaml: nodePools[0].colour: unknown field (check the spelling; see `kubesim schema`)"],
    [
      "an unknown taint effect",
      (s) => (s.nodePools[0].taints = [{ key: "k", effect: "NoSchedul" }]),
      'scenario.yaml: nodePools[0].taints[0].effect: expected a taint effect: NoSchedule, PreferNoSchedule or NoExecute, got "NoSchedul"',
    ],
    [
      "an unknown workload kind",
      (s) => (s.workloads[0].kind = "StatefulSett"),
      'scenario.yaml: workloads[0].kind: expected kind Deployment (apps/v1), DaemonSet (apps/v1), StatefulSet (apps/v1), Job (batch/v1), Pod (v1), PoissonArrivals, PodDisruptionBudget (policy/v1), PriorityClass (scheduling.k8s.io/v1), Namespace (v1) or Service (v1), got "StatefulSett"',
    ],
    [
      "a Deployment with the wrong apiVersion",
      (s) => (s.workloads[0].apiVersion = "extensions/v1beta1"),
      `scenario.yaml: workloads[0].apiVersion: no matches for kind "Deployment" in version "extensions/v1beta1" (Deployment is apps/v1)`,
    ],
    [
      "negative replicas",
      (s) => (s.workloads[0].spec.replicas = -1),
      "scenario.yaml: workloads[0].spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ],
    [
      "a pod without containers",
      (s) => (s.workloads[0].spec.template.spec.containers = []),
      "scenario.yaml: workloads[0].spec.template.spec.containers: Required value",
    ],
    [
      "arrivals with both rate and meanInterarrival",
      (s) => (s.workloads[1].meanInterarrival = "2s"),
      "scenario.yaml: workloads[1]: expected exactly one of rate (pods per second), meanInterarrival (a duration), steps, daily or csv, got rate and meanInterarrival",
    ],
    [
      "a lifetime distribution with a bad mean",
      (s) => (s.workloads[1].lifetime = { type: "exponential", mean: "soon" }),
      'scenario.yaml: workloads[1].lifetime.mean: expected a duration such as 500ms, 30s, 90m, 1h or a number of seconds, got "soon"',
    ],
    [
      "a fault naming an unknown pool",
      (s) => (s.faults = [{ type: "node-failure", at: "10m", pool: "gpu" }]),
      'scenario.yaml: faults[0].pool: expected the name of a node pool (a, b, c), got "gpu"',
    ],
    [
      "a fault naming no nodes",
      (s) => (s.faults = [{ type: "node-failure", at: "10m" }]),
      "scenario.yaml: faults[0]: expected exactly one of node, pool or zone, got none",
    ],
    [
      "a fault naming a node that does not exist",
      (s) => (s.faults = [{ type: "node-recovery", at: "10m", node: "b-2" }]),
      'scenario.yaml: faults[0].node: expected a node name <pool>-<index> such as a-0, got "b-2"',
    ],
    [
      "a fault count larger than its pool",
      (s) => (s.faults = [{ type: "node-failure", at: "10m", pool: "b", count: 3 }]),
      "scenario.yaml: faults[0].count: expected at most 2 (the size of pool b), got 3",
    ],
    [
      "an unknown fault type",
      (s) => (s.faults = [{ type: "zone-down", at: "10m", zone: "z1" }]),
      'scenario.yaml: faults[0].type: expected a fault type: node-failure, node-partition, kubelet-stop, zone-outage, node-deletion, node-recovery, zone-capacity-exhausted, got "zone-down"',
    ],
    [
      "a zone outage that cuts off control-plane hosts in a scenario without any",
      (s) => (s.faults = [{ type: "zone-outage", at: "10m", zone: "z1", controlPlane: true }]),
      "scenario.yaml: faults[0].controlPlane: expected false without a controlPlane section (there are no control-plane hosts to cut off)",
    ],
    [
      "a zone that no pool has",
      (s) => (s.faults = [{ type: "node-failure", at: "10m", zone: "z9" }]),
      'scenario.yaml: faults[0].zone: expected a zone of some node pool (z1, z2), got "z9"',
    ],
    [
      "an extended resource without a domain",
      (s) => (s.nodePools[0].allocatable.gpu = 1),
      "scenario.yaml: nodePools[0].allocatable.gpu: expected cpu, memory, pods, ephemeral-storage, hugepages-<size> or an extended resource name like example.com/gpu, got 1",
    ],
    ["two pools with one name", (s) => (s.nodePools[1].name = "a"), 'scenario.yaml: nodePools[1].name: expected a unique pool name, got "a" twice'],
    ["a pool name that is not a DNS label", (s) => (s.nodePools[0].name = "Big_Pool"), expect.stringContaining("scenario.yaml: nodePools[0].name: expected a lowercase name") as unknown as string],
    [
      "a sample interval longer than the run",
      (s) => (s.sampleInterval = "2h"),
      'scenario.yaml: sampleInterval: expected a positive duration no longer than duration, got "2h"',
    ],
    ["a label value that is a number", (s) => (s.nodePools[0].labels = { tier: 1 }), "scenario.yaml: nodePools[0].labels.tier: expected a string value (quote numbers and booleans), got 1"],
  ];

  it.each(cases)("%s", (_what, mutate, expected) => {
    expect(message(mutate)).toEqual(expected);
  });

  it("a Deployment whose selector does not select its template (the API server rejects it)", () => {
    expect(
      message((s) => {
        s.workloads[0].spec.selector = { matchLabels: { app: "web" } };
        s.workloads[0].spec.template.metadata = { labels: { app: "api" } };
      }),
    ).toBe('scenario.yaml: workloads[0].spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`');
  });

  it("a label key with dots and slashes is quoted in the path", () => {
    expect(message((s) => (s.nodePools[0].labels = { "node.kubernetes.io/instance-type": true }))).toBe(
      'scenario.yaml: nodePools[0].labels["node.kubernetes.io/instance-type"]: expected a string value (quote numbers and booleans), got true',
    );
  });

  it("a scenario that is not a mapping", () => {
    expect(() => validateScenario([1, 2], FILE)).toThrow("scenario.yaml: expected a mapping with name, duration, nodePools, workloads, ...");
  });

  it("YAML syntax errors name the file and the line", () => {
    expect(() => parseScenarioText(FILE, "name: x\nnodePools:\n  - name: a\n    count: [1\n")).toThrow(/^scenario\.yaml:5:1: YAML syntax error: /);
    expect(() => parseScenarioText(FILE, "name: x\nname: y\n")).toThrow("scenario.yaml:2:1: YAML syntax error: Map keys must be unique");
  });

  it("a byte quantity of the container runtime that is not a quantity is one line, not an internal error (found by the fuzzer)", () => {
    expect(message((s) => (s.containerRuntime = { pullBandwidth: " " }))).toMatch(/^scenario\.yaml: containerRuntime\.pullBandwidth: expected a Kubernetes quantity/);
    expect(message((s) => (s.containerRuntime = { imageFilesystemSize: "ten" }))).toMatch(/^scenario\.yaml: containerRuntime\.imageFilesystemSize: expected a Kubernetes quantity/);
  });
});
