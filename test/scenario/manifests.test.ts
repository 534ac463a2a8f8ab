/** Workloads from manifest files (multi-document YAML, kind: List, JSON), with errors naming the manifest. */
import { describe, expect, it } from "vitest";
import { loadScenarioFile, validateScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

const DIR = "test/scenario/fixtures";

describe("manifests in workloads", () => {
  it("expands Services, Deployments and Pods in file order, skipping kinds no component reads", () => {
    const { scenario } = loadScenarioFile(`${DIR}/scenario-with-manifests.yaml`);
    const kinds = scenario.workloads.map((w) => ("kind" in w ? w.kind : "?"));
    expect(kinds).toEqual(["Service", "Deployment", "PoissonArrivals", "Pod", "Pod"]);
    const spec = resolveScenario(scenario);
    // shop.yaml's Service has no namespace: it is in "default", and selects app=web there.
    expect(spec.services).toEqual([{ name: "web", namespace: "default", selector: { app: "web" }, publishNotReadyAddresses: false, startUs: 0 }]);
    expect(spec.deployments).toEqual([expect.objectContaining({ name: "web", namespace: "shop", replicas: 4 })]);
    expect(spec.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(["tools/a", "tools/b"]);
    expect(spec.templates.map((t) => t.requests.cpuMilli)).toEqual([250, 100, 1000, 2000]);
  });

  it("--set indexes refer to the scenario's own list, before expansion", () => {
    const { scenario } = loadScenarioFile(`${DIR}/scenario-with-manifests.yaml`, { set: ["workloads[1].rate=2"] });
    const arrivals = scenario.workloads.find((w) => "kind" in w && w.kind === "PoissonArrivals");
    expect(arrivals && "rate" in arrivals && arrivals.rate).toBe(2);
  });

  const scenario = (manifests: string) => ({
    name: "m",
    duration: "10m",
    nodePools: [{ name: "a", count: 1, allocatable: { cpu: 1, memory: "1Gi" } }],
    workloads: [{ kind: "PoissonArrivals", name: "x", rate: 1, lifetime: "1m", template: { spec: { containers: [{ name: "c" }] } } }, { manifests }],
  });

  it("an invalid object names the manifest file and the object's path in it", () => {
    expect(() => validateScenario(scenario("bad-replicas.yaml"), "s.yaml", { baseDir: DIR })).toThrow(
      `${DIR}/bad-replicas.yaml: documents[1].items[1].spec.replicas: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
    );
  });

  it("a workload kind kubesim does not model is an error, not silently dropped", () => {
    expect(() => validateScenario(scenario("cronjob.yaml"), "s.yaml", { baseDir: DIR })).toThrow(
      `${DIR}/cronjob.yaml: kind: expected Deployment, DaemonSet, StatefulSet, Job, Pod, PodDisruptionBudget, PriorityClass, Namespace or Service (kubesim does not model CronJob yet), got "CronJob"`,
    );
    // A StatefulSet is modelled now; this one has no selector: the API server's message.
    expect(() => validateScenario(scenario("statefulset.yaml"), "s.yaml", { baseDir: DIR })).toThrow(`${DIR}/statefulset.yaml: spec.selector: Required value`);
  });

  it("a missing file is named in the scenario's field", () => {
    expect(() => validateScenario(scenario("nope.yaml"), "s.yaml", { baseDir: DIR })).toThrow('s.yaml: workloads[1].manifests: expected a readable manifest file, got "nope.yaml" (no such file)');
  });

  it("errors in entries after a manifest still point to the scenario's index", () => {
    const s = scenario("shop.yaml");
    s.workloads.push({ kind: "PoissonArrivals", name: "y", rate: -1, lifetime: "1m", template: { spec: { containers: [{ name: "c" }] } } } as never);
    expect(() => validateScenario(s, "s.yaml", { baseDir: DIR })).toThrow("s.yaml: workloads[2].rate: expected a positive number of pods per second, got -1");
  });
});
