/**
 * The API server's defaulting and admission (apiserver/admission), against upstream's
 * behaviour: pkg/apis/core/v1 defaults.go (SetDefaults_Pod, _PodSpec, _Namespace),
 * plugin/pkg/admission/priority and defaulttolerationseconds, and the PriorityClass
 * validation rules. Expected values are upstream's constants and messages.
 */
import { describe, expect, test } from "vitest";
import { Admission } from "../../src/apiserver/admission/admission.js";
import { imageTag } from "../../src/apiserver/admission/defaults.js";
import type { Pod, PriorityClass, Toleration } from "../../src/model/types.js";

const pod = (spec: Partial<NonNullable<Pod["spec"]>> = {}, namespace?: string): Pod => ({
  metadata: { name: "p", ...(namespace ? { namespace } : {}) },
  spec: { containers: [{ name: "c", image: "nginx:1.27" }], ...spec },
});
const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, ...extra });

describe("SetDefaults_Pod: a limit without a request becomes the request", () => {
  test("per container and per resource; explicit requests stay", () => {
    const p = new Admission().admitPod(
      pod({
        containers: [
          { name: "a", resources: { requests: { cpu: "1" } } },
          { name: "b", resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { memory: "512Mi" } } },
        ],
        initContainers: [{ name: "i", resources: { limits: { cpu: "3" } } }],
      }),
    );
    expect(p.spec!.containers[0].resources!.requests).toEqual({ cpu: "1" });
    expect(p.spec!.containers[1].resources!.requests).toEqual({ cpu: "2", memory: "512Mi" });
    expect(p.spec!.initContainers![0].resources!.requests).toEqual({ cpu: "3" });
  });

  test("pod-level limits default the missing pod-level requests: containers' aggregate for cpu/memory they request, else the limit", () => {
    const p = new Admission().admitPod(
      pod({ containers: [{ name: "a", resources: { requests: { cpu: "500m" } } }], resources: { limits: { cpu: "2", memory: "4Gi" } } }),
    );
    expect(p.spec!.resources!.requests).toEqual({ cpu: "500m", memory: "4Gi" });
  });

  test("SetDefaults_PodSpec and _Container: schedulerName, terminationGracePeriodSeconds 30, restartPolicy, imagePullPolicy by tag", () => {
    const p = new Admission().admitPod(pod({ containers: [{ name: "a", image: "nginx" }, { name: "b", image: "nginx:1.27" }, { name: "c", image: "reg:5000/x:latest" }] }));
    expect(p.spec!.schedulerName).toBe("default-scheduler");
    expect(p.spec!.terminationGracePeriodSeconds).toBe(30);
    expect(p.spec!.restartPolicy).toBe("Always");
    expect(p.spec!.containers.map((c) => c.imagePullPolicy)).toEqual(["Always", "IfNotPresent", "Always"]);
    expect(imageTag("reg:5000/x")).toBe("latest");
    expect(imageTag("x@sha256:abc")).toBe("");
  });
});

describe("Namespaces", () => {
  test("every namespace carries kubernetes.io/metadata.name; the initial four exist; one a pod names is created", () => {
    const a = new Admission();
    a.createNamespace({ metadata: { name: "shop", labels: { team: "a" } } });
    a.admitPod(pod({}, "jobs"));
    const byName = Object.fromEntries(a.namespaceList().map((n) => [n.metadata!.name, n.metadata!.labels]));
    expect(Object.keys(byName)).toEqual(["default", "kube-system", "kube-public", "kube-node-lease", "shop", "jobs"]);
    expect(byName.shop).toEqual({ team: "a", "kubernetes.io/metadata.name": "shop" });
    expect(byName.jobs).toEqual({ "kubernetes.io/metadata.name": "jobs" });
    expect(byName["kube-system"]).toEqual({ "kubernetes.io/metadata.name": "kube-system" });
  });

  test("a second Namespace of the same name is refused", () => {
    const a = new Admission();
    a.createNamespace({ metadata: { name: "shop" } });
    expect(() => a.createNamespace({ metadata: { name: "shop" } })).toThrow('namespaces "shop" already exists');
  });
});

describe("Priority admission and PriorityClasses", () => {
  test("a class name resolves priority and preemptionPolicy; no name takes the globalDefault class; none gives 0", () => {
    const a = new Admission();
    a.createPriorityClass(pc("high", 1000, { preemptionPolicy: "Never" }));
    expect(a.admitPod(pod({ priorityClassName: "high" })).spec).toMatchObject({ priority: 1000, preemptionPolicy: "Never" });
    expect(a.admitPod(pod()).spec!.priority).toBe(0);
    a.createPriorityClass(pc("normal", 7, { globalDefault: true }));
    expect(a.admitPod(pod()).spec).toMatchObject({ priority: 7, priorityClassName: "normal", preemptionPolicy: "PreemptLowerPriority" });
  });

  test("the system classes exist with upstream's values", () => {
    const a = new Admission();
    expect(a.admitPod(pod({ priorityClassName: "system-node-critical" })).spec!.priority).toBe(2_000_001_000);
    expect(a.admitPod(pod({ priorityClassName: "system-cluster-critical" })).spec!.priority).toBe(2_000_000_000);
    // as `kubectl get priorityclasses -o yaml` lists them: accepted unchanged
    a.createPriorityClass(pc("system-node-critical", 2_000_001_000));
  });

  test("upstream's refusals", () => {
    const a = new Admission();
    expect(() => a.admitPod(pod({ priorityClassName: "nope" }))).toThrow("no PriorityClass with name nope was found");
    expect(() => a.admitPod(pod({ priority: 5 }))).toThrow("the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name");
    a.createPriorityClass(pc("low", 10));
    expect(() => a.admitPod(pod({ priorityClassName: "low", preemptionPolicy: "Never" }))).toThrow("the string value of PreemptionPolicy (Never) must not be provided in pod spec");
    expect(a.admitPod(pod({ priorityClassName: "low", priority: 10 })).spec!.priority).toBe(10); // equal is fine
    expect(() => a.createPriorityClass(pc("huge", 1_000_000_001))).toThrow("maximum allowed value of a user defined priority is 1000000000");
    expect(() => a.createPriorityClass(pc("system-mine", 1))).toThrow("prefix are reserved for system use only");
    a.createPriorityClass(pc("d1", 1, { globalDefault: true }));
    expect(() => a.createPriorityClass(pc("d2", 2, { globalDefault: true }))).toThrow("PriorityClass d1 is already marked as default. Only one default can exist");
  });
});

describe("DefaultTolerationSeconds", () => {
  const noExecute = (p: Pod) => (p.spec!.tolerations ?? []).filter((t) => t.effect === "NoExecute");

  test("adds not-ready and unreachable NoExecute tolerations of 300 s", () => {
    expect(noExecute(new Admission().admitPod(pod()))).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
  });

  test("keeps a pod's own toleration for either taint; an empty key or effect covers it", () => {
    const own: Toleration = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 6000 };
    expect(noExecute(new Admission().admitPod(pod({ tolerations: [own] })))).toEqual([own, { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }]);
    const all: Toleration = { operator: "Exists" };
    expect(new Admission().admitPod(pod({ tolerations: [all] })).spec!.tolerations).toEqual([all]);
    const anyEffect: Toleration = { key: "node.kubernetes.io/not-ready", operator: "Exists" };
    expect(new Admission().admitPod(pod({ tolerations: [anyEffect] })).spec!.tolerations!.map((t) => t.key)).toEqual(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
  });
});
