/**
 * Every object of a scenario enters through the API server's defaulting and admission
 * (apiserver/admission): PriorityClasses and Namespaces from the scenario or its
 * manifest files, pods resolved against them; what the API server refuses is a
 * one-line error naming the file and the field, with upstream's message.
 */
import { describe, expect, it } from "vitest";
import { prepareScenario } from "../../src/scenario/load.js";

const DIR = "test/scenario/fixtures";

const base = (workloads: unknown[]) => ({
  name: "a",
  duration: "1m",
  nodePools: [{ name: "p", count: 1, allocatable: { cpu: 4, memory: "8Gi" } }],
  workloads,
});
const deployment = (spec: Record<string, unknown>, namespace = "default") => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace },
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c" }], ...spec } } },
});
const priorityClass = (name: string, value: number, extra: Record<string, unknown> = {}) => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, ...extra });

describe("scenario objects through admission", () => {
  it("a priorityClassName resolves to spec.priority, in any order of the workloads list", () => {
    const { spec } = prepareScenario(base([deployment({ priorityClassName: "high" }), priorityClass("high", 5000)]));
    expect(spec.templates[0].pod.spec).toMatchObject({ priority: 5000, priorityClassName: "high", preemptionPolicy: "PreemptLowerPriority" });
  });

  it("a globalDefault class applies to pods that name none; pods get the DefaultTolerationSeconds tolerations", () => {
    const { spec } = prepareScenario(base([deployment({}), priorityClass("normal", 10, { globalDefault: true })]));
    expect(spec.templates[0].pod.spec!.priority).toBe(10);
    expect(spec.templates[0].pod.spec!.tolerations!.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds}`)).toEqual([
      "node.kubernetes.io/not-ready:NoExecute:300",
      "node.kubernetes.io/unreachable:NoExecute:300",
    ]);
  });

  it("namespaces: the initial four, the ones given (labelled with their name), the ones pods name", () => {
    const { spec } = prepareScenario(base([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { tier: "front" } } }, deployment({}, "jobs")]));
    expect(spec.namespaces.map((n) => [n.metadata!.name, n.metadata!.labels])).toEqual([
      ["default", { "kubernetes.io/metadata.name": "default" }],
      ["kube-system", { "kubernetes.io/metadata.name": "kube-system" }],
      ["kube-public", { "kubernetes.io/metadata.name": "kube-public" }],
      ["kube-node-lease", { "kubernetes.io/metadata.name": "kube-node-lease" }],
      ["shop", { tier: "front", "kubernetes.io/metadata.name": "shop" }],
      ["jobs", { "kubernetes.io/metadata.name": "jobs" }],
    ]);
  });

  it("refusals name the field and give the API server's message", () => {
    expect(() => prepareScenario(base([deployment({ priorityClassName: "nope" })]), "s.yaml")).toThrow(
      "s.yaml: workloads[0].spec.template.spec.priorityClassName: rejected by the API server: no PriorityClass with name nope was found",
    );
    expect(() => prepareScenario(base([deployment({ priority: 7 })]), "s.yaml")).toThrow(
      "s.yaml: workloads[0].spec.template.spec.priority: rejected by the API server: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name",
    );
    expect(() => prepareScenario(base([priorityClass("big", 2e9)]), "s.yaml")).toThrow("s.yaml: workloads[0].value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
  });

  it("a refusal inside a manifest file names that file and the object's path in it", () => {
    expect(() => prepareScenario(base([{ manifests: "priority.yaml" }]), "s.yaml", { baseDir: DIR })).toThrow(
      `${DIR}/priority.yaml: items[2].spec.priorityClassName: rejected by the API server: no PriorityClass with name hihg was found`,
    );
  });
});
