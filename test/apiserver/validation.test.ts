/**
 * The API server's validation as a module (apiserver/admission/validation): what the
 * scenario and explain tests do not reach — the Admission methods, stored objects,
 * the objects only explain reads (Service, PodDisruptionBudget, ReplicaSet), the etcd
 * size limit, strict decoding's integer rules and the YAML duplicate-key check.
 * Expected texts are upstream's (field/errors.go ErrorBody and the validators' details).
 */
import { describe, expect, it } from "vitest";
import { Admission, AdmissionError } from "../../src/apiserver/admission/admission.js";
import { errorBody, type FieldError } from "../../src/apiserver/admission/validation/fieldError.js";
import { ETCD_MAX_REQUEST_BYTES, validateObject } from "../../src/apiserver/admission/validation/validateObject.js";
import { parseYamlDocuments } from "../../src/scenario/yamlInput.js";

/** "<path>: <body>" as upstream's field.Error.Error() prints it (paths as kubesim writes them). */
const text = (e: FieldError | undefined) => (e === undefined ? "ok" : `${e.path.join(".")}: ${errorBody(e)}`);
const pod = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = { name: "p" }) => ({ apiVersion: "v1", kind: "Pod", metadata: meta, spec: { containers: [{ name: "c" }], ...spec } });

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AdmissionError);
    const a = e as AdmissionError;
    return `${a.field}: ${a.describe()}`;
  }
  return "ok";
}

describe("Admission validates what it creates", () => {
  it("a Namespace is named by a DNS label", () => {
    expect(thrown(() => new Admission().createNamespace({ metadata: { name: "shop.eu" } }))).toBe('metadata.name: Invalid value: "shop.eu": must not contain dots');
    expect(thrown(() => new Admission().createNamespace({ metadata: { name: "shop", namespace: "x" } }))).toBe("metadata.namespace: Forbidden: not allowed on this type");
  });

  it("a pod with a name is validated as created; without one as a controller's template", () => {
    const a = new Admission();
    expect(thrown(() => a.admitPod({ metadata: { name: "P" }, spec: { containers: [{ name: "c" }] } }))).toContain('metadata.name: Invalid value: "P": a lowercase RFC 1123 subdomain');
    expect(thrown(() => a.admitPod({ metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c" }] } }))).toBe("ok");
    expect(thrown(() => a.admitPod({ metadata: { name: "p", namespace: "a_b" }, spec: { containers: [{ name: "c" }] } }))).toContain('metadata.namespace: Invalid value: "a_b": a lowercase RFC 1123 label');
    expect(thrown(() => a.admitPod({ metadata: { namespace: "jobs.eu" }, spec: { containers: [{ name: "c" }] } }))).toBe('metadata.namespace: Invalid value: "jobs.eu": must not contain dots');
  });

  it("admission plugins refuse before validation, as kube-apiserver orders them (mutating admission, then validation)", () => {
    const bad = { metadata: { name: "p" }, spec: { priorityClassName: "gold", containers: [{ name: "c", ports: [{ containerPort: 0 }] }] } };
    expect(thrown(() => new Admission().admitPod(bad))).toBe("spec.priorityClassName: rejected by the API server: no PriorityClass with name gold was found");
  });

  it("the system PriorityClasses of a `kubectl get priorityclasses -o yaml` are accepted as they are; other system- names are reserved", () => {
    const a = new Admission();
    expect(thrown(() => a.createPriorityClass({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "system-node-critical" }, value: 2_000_001_000 }))).toBe("ok");
    expect(thrown(() => a.createPriorityClass({ metadata: { name: "system-node-critical" }, value: 5 }))).toBe(
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    );
  });

  it("a stored pod (kubectl get pods -o yaml) may carry what only a create refuses", () => {
    const debugged = pod({ nodeName: "n1", ephemeralContainers: [{ name: "debug", image: "busybox", targetContainerName: "c" }] });
    expect(thrown(() => new Admission().storedPod(debugged as never))).toBe("ok");
    expect(text(validateObject(debugged))).toBe("spec.ephemeralContainers: Forbidden: cannot be set on create");
  });

  it("Nodes: taints unique by key and effect, with a known effect", () => {
    const node = (taints: unknown[]) => ({ metadata: { name: "n" }, spec: { taints } });
    expect(thrown(() => new Admission().validateNode(node([{ key: "k", effect: "NoExecute" }, { key: "k", effect: "NoExecute", value: "v" }]) as never))).toBe(
      'spec.taints[1]: Duplicate value: {"key":"k","effect":"NoExecute","value":"v"}: taints must be unique by key and effect pair',
    );
    expect(thrown(() => new Admission().validateNode(node([{ key: "k", effect: "Never" }]) as never))).toBe('spec.taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
    expect(thrown(() => new Admission().validateNode(node([{ key: "k" }]) as never))).toBe("spec.taints[0].effect: Required value");
  });
});

describe("objects only explain reads", () => {
  it("PodDisruptionBudget: not both minAvailable and maxUnavailable; percentages up to 100%", () => {
    const pdb = (spec: Record<string, unknown>) => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "b", namespace: "d" }, spec: { selector: { matchLabels: { app: "x" } }, ...spec } });
    expect(text(validateObject(pdb({ minAvailable: 1, maxUnavailable: 1 })))).toContain("spec: Invalid value: ");
    expect(text(validateObject(pdb({ minAvailable: 1, maxUnavailable: 1 })))).toContain(": minAvailable and maxUnavailable cannot be both set");
    expect(text(validateObject(pdb({ maxUnavailable: "150%" })))).toBe('spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%');
    expect(text(validateObject(pdb({ minAvailable: "50%" })))).toBe("ok");
  });

  it("Service: a DNS-1035 name and a selector of valid labels", () => {
    const svc = (name: string, selector: Record<string, string>) => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "d" }, spec: { selector, ports: [{ port: 80 }] } });
    expect(text(validateObject(svc("1web", { app: "x" })))).toContain('metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character');
    expect(text(validateObject(svc("web", { app: "x y" })))).toContain('spec.selector: Invalid value: "x y": a valid label must be an empty string');
  });

  it("ReplicaSet: the template must carry the selected labels", () => {
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r", namespace: "d" }, spec: { replicas: 1, selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "y" } }, spec: { containers: [{ name: "c" }] } } } };
    expect(text(validateObject(rs))).toBe('spec.template.metadata.labels: Invalid value: {"app":"y"}: `selector` does not match template `labels`');
  });

  it("DaemonSet: selector and template, restartPolicy Always, no activeDeadlineSeconds, update strategy", () => {
    const ds = (spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "kube-system" },
      spec: { selector: { matchLabels: { app: "a" } }, template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c" }], ...podSpec } }, ...spec },
    });
    expect(text(validateObject(ds()))).toBe("ok");
    expect(text(validateObject(ds({ selector: {} })))).toBe("spec.selector: Invalid value: {}: empty selector is invalid for daemonset");
    expect(text(validateObject(ds({}, { restartPolicy: "OnFailure" })))).toBe('spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"');
    expect(text(validateObject(ds({}, { activeDeadlineSeconds: 10 })))).toBe("spec.template.spec.activeDeadlineSeconds: Invalid value: 10: activeDeadlineSeconds must be nil for daemon set");
    expect(text(validateObject(ds({ updateStrategy: { type: "Recreate" } })))).toBe('spec.updateStrategy.type: Unsupported value: "Recreate": supported values: "OnDelete", "RollingUpdate"');
    expect(text(validateObject(ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } } })))).toBe("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
    expect(text(validateObject(ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "10%" } } })))).toBe("ok");
    expect(text(validateObject(ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "120%" } } })))).toBe('spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%');
    expect(text(validateObject(ds({ templateGeneration: 1 })))).toContain("spec.templateGeneration");
  });

  it("a kind kubesim does not read, and a wrong apiVersion", () => {
    expect(text(validateObject({ apiVersion: "v1", kind: "ConfigMap" }))).toContain('kind: no kind "ConfigMap" is served here');
    expect(text(validateObject({ ...pod(), apiVersion: "v2" }))).toBe('apiVersion: no matches for kind "Pod" in version "v2" (Pod is v1)');
  });
});

describe("strict decoding", () => {
  it("integers: Go's decoder names the number that does not fit", () => {
    expect(text(validateObject(pod({ activeDeadlineSeconds: 1.5 })))).toBe("spec.activeDeadlineSeconds: json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64");
    expect(text(validateObject(pod({ priority: 2 ** 31 })))).toBe("spec.priority: json: cannot unmarshal number 2147483648 into Go struct field PodSpec.spec.priority of type int32");
  });

  it("int-or-string ports: a number or a name", () => {
    const probe = (port: unknown) => pod({ containers: [{ name: "c", livenessProbe: { tcpSocket: { port } } }] });
    expect(text(validateObject(probe("http")))).toBe("ok");
    expect(text(validateObject(probe(true)))).toBe("spec.containers.0.livenessProbe.tcpSocket.port: json: cannot unmarshal bool into Go struct field TCPSocketAction.spec.containers.livenessProbe.tcpSocket.port of type intstr.IntOrString");
  });

  it("an object beyond etcd's request size limit (labels have no count limit upstream; the object's size does)", () => {
    const labels: Record<string, string> = {};
    for (let i = 0; i < 120_000; i++) labels[`label-${i}`] = "v";
    expect(ETCD_MAX_REQUEST_BYTES).toBe(1_572_864);
    const e = validateObject(pod({}, { name: "p", labels }));
    expect(e?.path).toEqual([]);
    expect(errorBody(e!)).toMatch(/^etcdserver: request is too large \(the object is about 2\.\d MB as JSON; etcd's default --max-request-bytes is 1\.5 MiB\)$/);
    const fewer: Record<string, string> = {};
    for (let i = 0; i < 50_000; i++) fewer[`label-${i}`] = "v";
    expect(validateObject(pod({}, { name: "p", labels: fewer }))).toBeUndefined();
  });
});

describe("YAML duplicate keys, found in one pass", () => {
  it("the first duplicate of a map, with its line and column; equal keys in different maps are fine", () => {
    expect(parseYamlDocuments("f", "a: 1\nb: {a: 1, c: 2}\nc: 3\n")[0].value).toEqual({ a: 1, b: { a: 1, c: 2 }, c: 3 });
    expect(() => parseYamlDocuments("f", "a: 1\nb:\n  x: 1\n  x: 2\n")).toThrow("f:4:3: YAML syntax error: Map keys must be unique");
    expect(() => parseYamlDocuments("f", "---\na: 1\n---\na: 1\na: 2\n")).toThrow("f:5:1: YAML syntax error: Map keys must be unique");
    expect(() => parseYamlDocuments("f", "a: [1\n")).toThrow(/flow sequence/i);
  });
});
