/**
 * A scenario's Kubernetes objects are rejected as a real API server rejects them, with
 * upstream's field path and message (pkg/apis/core/validation, pkg/apis/apps/validation,
 * pkg/apis/scheduling/validation, apimachinery's name and label rules, strict decoding),
 * prefixed by the file and the object's place in it. Each case was accepted by kubesim
 * before (and then gave quietly wrong results, or crashed the run).
 *
 * Expected messages are written from upstream's rules and texts, not from kubesim's output.
 * KUBESIM_LIB=<path to dist/src/index.js> runs the same cases against another build.
 */
import { describe, expect, it } from "vitest";

const LIB = process.env.KUBESIM_LIB ?? "../../src/index.js";
const { prepareScenario } = (await import(LIB)) as typeof import("../../src/index.js");

const F = "s.yaml";
const LABEL_KEY_REGEX = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_REGEX = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

type Obj = Record<string, any>;

function scenario(): Obj {
  return {
    name: "v",
    duration: "1m",
    nodePools: [{ name: "p", count: 2, zones: ["a", "b"], allocatable: { cpu: "8", memory: "32Gi" }, labels: { tier: "x" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "shop" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx:1.27", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } },
        },
      },
      { kind: "PoissonArrivals", name: "batch", rate: 1, lifetime: "1m", template: { spec: { containers: [{ name: "w" }] } } },
      { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000 },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
    ],
  };
}

/** The one-line error for a scenario changed by `mutate`. */
function error(mutate: (s: Obj, podSpec: Obj) => void): string {
  const s = scenario();
  mutate(s, s.workloads[0].spec.template.spec);
  try {
    prepareScenario(s, F);
  } catch (e) {
    const m = (e as Error).message;
    expect(m.split("\n")).toHaveLength(1);
    return m;
  }
  return "(accepted)";
}

const POD = `${F}: workloads[0].spec.template.spec`;
const nodeAffinity = (terms: Obj) => ({ nodeAffinity: terms });
const required = (expr: Obj) => nodeAffinity({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } });

describe("node affinity (validateNodeAffinity, ValidateNodeSelectorRequirement)", () => {
  it.each([
    [-1, "Invalid value: -1: must be in the range 1-100"],
    [0, "Invalid value: 0: must be in the range 1-100"],
    [101, "Invalid value: 101: must be in the range 1-100"],
  ])("a preferred term of weight %d", (weight, msg) => {
    expect(error((_, p) => (p.affinity = nodeAffinity({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight, preference: { matchExpressions: [{ key: "tier", operator: "In", values: ["x"] }] } }] })))).toBe(
      `${POD}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: ${msg}`,
    );
  });

  const REQ = `${POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]`;
  it.each([
    [{ key: "tier", operator: "Equals", values: ["x"] }, `${REQ}.operator: Invalid value: "Equals": not a valid selector operator`],
    [{ key: "tier", operator: "In" }, `${REQ}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`],
    [{ key: "tier", operator: "Exists", values: ["x"] }, `${REQ}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`],
    [{ key: "cores", operator: "Gt", values: ["1", "2"] }, `${REQ}.values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`],
    [{ key: "tier", operator: "In", values: ["a b"] }, `${REQ}.values[0]: Invalid value: "a b": ${LABEL_VALUE_REGEX}`],
    [{ key: "bad key", operator: "Exists" }, `${REQ}.key: Invalid value: "bad key": ${LABEL_KEY_REGEX}`],
  ])("required term %j", (expr, msg) => {
    expect(error((_, p) => (p.affinity = required(expr)))).toBe(msg);
  });

  it("a required node affinity with no terms", () => {
    expect(error((_, p) => (p.affinity = nodeAffinity({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } })))).toBe(
      `${POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term`,
    );
  });

  it("matchFields: only metadata.name, with one value", () => {
    const fields = (rq: Obj) => nodeAffinity({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [rq] }] } });
    const at = `${POD}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]`;
    expect(error((_, p) => (p.affinity = fields({ key: "metadata.labels", operator: "In", values: ["p-0"] })))).toBe(`${at}.key: Invalid value: "metadata.labels": not a valid field selector key`);
    expect(error((_, p) => (p.affinity = fields({ key: "metadata.name", operator: "In", values: ["p-0", "p-1"] })))).toBe(
      `${at}.values: Required value: must be only one value when \`operator\` is 'In' or 'NotIn' for node field selector`,
    );
    expect(error((_, p) => (p.affinity = fields({ key: "metadata.name", operator: "Exists" })))).toBe(`${at}.operator: Invalid value: "Exists": not a valid selector operator`);
  });
});

describe("pod (anti-)affinity (validatePodAffinityTerm, validateWeightedPodAffinityTerms)", () => {
  const term = { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "topology.kubernetes.io/zone" };
  it("a required term without a topologyKey", () => {
    expect(error((_, p) => (p.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: term.labelSelector }] } }))).toBe(
      `${POD}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty`,
    );
  });
  it("a preferred term of weight 0 or 200", () => {
    for (const weight of [0, 200]) {
      expect(error((_, p) => (p.affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term }] } }))).toBe(
        `${POD}.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: ${weight}: must be in the range 1-100`,
      );
    }
  });
  it("a term's label selector with an unknown operator", () => {
    const bad = { ...term, labelSelector: { matchExpressions: [{ key: "app", operator: "Equals", values: ["web"] }] } };
    expect(error((_, p) => (p.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [bad] } }))).toBe(
      `${POD}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator`,
    );
  });
});

describe("topology spread (validateTopologySpreadConstraints)", () => {
  const c = (over: Obj) => [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } }, ...over }];
  const AT = `${POD}.topologySpreadConstraints[0]`;
  it.each([
    [{ maxSkew: 0 }, `${AT}.maxSkew: Invalid value: 0: must be greater than zero`],
    [{ topologyKey: "" }, `${AT}.topologyKey: Required value: can not be empty`],
    [{ whenUnsatisfiable: "Never" }, `${AT}.whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"`],
    [{ minDomains: 0 }, `${AT}.minDomains: Invalid value: 0: must be greater than zero`],
    [{ whenUnsatisfiable: "ScheduleAnyway", minDomains: 2 }, `${AT}.minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`],
    [{ nodeTaintsPolicy: "Always" }, `${AT}.nodeTaintsPolicy: Unsupported value: "Always": supported values: "Honor", "Ignore"`],
    [{ matchLabelKeys: ["app"] }, `${AT}.matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`],
    [
      { labelSelector: { matchLabels: true } },
      `${AT}.labelSelector.matchLabels: json: cannot unmarshal bool into Go struct field LabelSelector.spec.template.spec.topologySpreadConstraints.labelSelector.matchLabels of type map[string]string`,
    ],
  ])("%j", (over, msg) => {
    expect(error((_, p) => (p.topologySpreadConstraints = c(over)))).toBe(msg);
  });
  it("two constraints on the same {topologyKey, whenUnsatisfiable}", () => {
    expect(error((_, p) => (p.topologySpreadConstraints = [...c({}), ...c({ maxSkew: 2 })]))).toBe(
      `${AT}["{topologyKey, whenUnsatisfiable}"]: Duplicate value: "{topology.kubernetes.io/zone, DoNotSchedule}"`,
    );
  });
});

describe("tolerations (ValidateTolerations)", () => {
  const AT = `${POD}.tolerations[0]`;
  it.each([
    [{ key: "k", operator: "Equals", value: "v" }, `${AT}.operator: Unsupported value: "Equals": supported values: "Equal", "Exists"`],
    [{ key: "k", operator: "Exists", value: "v" }, `${AT}.operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`],
    [{ key: "k", operator: "Equal", value: "v", effect: "NoSchedule", tolerationSeconds: 60 }, `${AT}.effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`],
    [{ key: "k", operator: "Exists", effect: "NoSchedul" }, `${AT}.effect: Unsupported value: "NoSchedul": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`],
    [{ operator: "Equal", value: "v" }, `${AT}.operator: Invalid value: "Equal": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`],
  ])("%j", (t, msg) => {
    expect(error((_, p) => (p.tolerations = [t]))).toBe(msg);
  });
});

describe("containers (validateContainers, validateContainerPorts)", () => {
  it("two containers with one name", () => {
    expect(error((_, p) => p.containers.push({ name: "c" }))).toBe(`${POD}.containers[1].name: Duplicate value: "c"`);
    expect(error((_, p) => (p.initContainers = [{ name: "c" }]))).toBe(`${POD}.initContainers[0].name: Duplicate value: "c"`);
  });
  it("a container name that is not a DNS label", () => {
    expect(error((_, p) => (p.containers[0].name = "Web_1"))).toBe(
      `${POD}.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });
  it("host ports 1-65535, and not twice", () => {
    expect(error((_, p) => (p.containers[0].ports = [{ containerPort: 80, hostPort: 70000 }]))).toBe(`${POD}.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive`);
    expect(error((_, p) => (p.containers[0].ports = [{ containerPort: 0 }]))).toBe(`${POD}.containers[0].ports[0].containerPort: Required value`);
    expect(
      error((_, p) => {
        p.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
        p.containers.push({ name: "d", ports: [{ containerPort: 81, hostPort: 8080 }] });
      }),
    ).toBe(`${POD}.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"`);
  });
});

describe("resources (ValidateResourceQuantityValue, validateResourceRequirements)", () => {
  const R = `${POD}.containers[0].resources`;
  it.each([
    [{ requests: { cpu: "-1" } }, `${R}.requests.cpu: Invalid value: "-1": must be greater than or equal to 0`],
    [{ requests: { memory: "-512Mi" } }, `${R}.requests.memory: Invalid value: "-512Mi": must be greater than or equal to 0`],
    [{ limits: { cpu: "-500m" } }, `${R}.limits.cpu: Invalid value: "-500m": must be greater than or equal to 0`],
    [{ requests: { cpu: "2" }, limits: { cpu: "1" } }, `${R}.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`],
    [{ requests: { memory: "2Gi" }, limits: { memory: "1024Mi" } }, `${R}.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi`],
    [{ requests: { "nvidia.com/gpu": "1" } }, `${R}.limits: Required value: Limit must be set for non overcommitable resources`],
    [{ requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "2" } }, `${R}.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2`],
    [{ requests: { "nvidia.com/gpu": "0.5" }, limits: { "nvidia.com/gpu": "0.5" } }, `${R}.limits["nvidia.com/gpu"]: Invalid value: "500m": must be an integer`],
    [{ requests: { gpu: "1" } }, `${R}.requests.gpu: Invalid value: "gpu": must be a standard resource type or fully qualified`],
    [{ requests: { cpu: "1E" } }, `${R}.requests.cpu: Invalid value: "1E": must be no more than 9007199254740991m (kubesim's bound: amounts are exact integers up to 2^53-1 millicores; no node has more)`],
  ])("%j", (resources, msg) => {
    expect(error((_, p) => (p.containers[0].resources = resources))).toBe(msg);
  });
  it("negative overhead and pod-level requests", () => {
    expect(error((_, p) => (p.overhead = { memory: "-1Gi" }))).toBe(`${POD}.overhead.memory: Invalid value: "-1Gi": must be greater than or equal to 0`);
    expect(error((_, p) => (p.resources = { requests: { cpu: "-500m" } }))).toBe(`${POD}.resources.requests.cpu: Invalid value: "-500m": must be greater than or equal to 0`);
  });
  it("pod-level requests below the containers' aggregate", () => {
    expect(error((_, p) => (p.resources = { requests: { cpu: "100m" } }))).toBe(`${POD}.resources.requests.cpu: Invalid value: "100m": must be greater than or equal to aggregate container requests of 500m`);
  });
  it("a malformed quantity gets resource.ParseQuantity's message", () => {
    expect(error((_, p) => (p.containers[0].resources = { requests: { memory: "1GB" } }))).toBe(
      `${R}.requests.memory: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
    expect(error((_, p) => (p.containers[0].resources = { requests: { memory: "1mi" } }))).toBe(`${R}.requests.memory: Invalid value: "1mi": unable to parse quantity's suffix`);
  });
  it("'Gi', '.Gi' and '.' are zero, as upstream's scanner reads them (quantity_test.go: {\".\", \"0\"})", () => {
    for (const q of ["Gi", ".Gi", "."]) {
      const s = scenario();
      s.workloads[0].spec.template.spec.containers[0].resources = { requests: { cpu: q } };
      expect(prepareScenario(s, F).spec.templates[0].requests.cpuMilli).toBe(0);
    }
  });
});

describe("names, namespaces, labels, annotations (ValidateObjectMeta)", () => {
  it("object names are DNS subdomains, namespaces DNS labels", () => {
    expect(error((s) => (s.workloads[0].metadata.name = "Web"))).toBe(
      `${F}: workloads[0].metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    expect(error((s) => (s.workloads[0].metadata.namespace = "shop.eu"))).toBe(`${F}: workloads[0].metadata.namespace: Invalid value: "shop.eu": must not contain dots`);
    expect(error((s) => (s.workloads[3].metadata.name = "a.b"))).toBe(`${F}: workloads[3].metadata.name: Invalid value: "a.b": must not contain dots`);
    expect(error((s) => (s.workloads[3].metadata.name = "x".repeat(64)))).toContain(`${F}: workloads[3].metadata.name: Invalid value: "${"x".repeat(64)}": must be no more than 63 characters`);
  });
  it("label keys are qualified names with an optional DNS prefix; values at most 63 characters of a restricted set", () => {
    expect(error((s) => (s.workloads[0].metadata.labels = { "bad key": "v" }))).toBe(`${F}: workloads[0].metadata.labels: Invalid value: "bad key": ${LABEL_KEY_REGEX}`);
    expect(error((s) => (s.workloads[0].metadata.labels = { "Example.com/x": "v" }))).toContain(`${F}: workloads[0].metadata.labels: Invalid value: "Example.com/x": prefix part a lowercase RFC 1123 subdomain`);
    expect(error((s) => (s.workloads[0].metadata.labels = { "a/b/c": "v" }))).toContain(`Invalid value: "a/b/c": a valid label key must consist of`);
    expect(error((s) => (s.workloads[0].metadata.labels = { k: "v".repeat(64) }))).toBe(`${F}: workloads[0].metadata.labels: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`);
    expect(error((s) => (s.workloads[0].metadata.labels = { k: "a b" }))).toBe(`${F}: workloads[0].metadata.labels: Invalid value: "a b": ${LABEL_VALUE_REGEX}`);
    expect(error((_, p) => (p.nodeSelector = { k: "-x" }))).toBe(`${POD}.nodeSelector: Invalid value: "-x": ${LABEL_VALUE_REGEX}`);
  });
  it("annotations: 256 KiB of keys and values in all", () => {
    expect(error((s) => (s.workloads[0].metadata.annotations = { a: "x".repeat(256 * 1024) }))).toBe(`${F}: workloads[0].metadata.annotations: Too long: may not be more than 262144 bytes`);
    expect(error((s) => (s.workloads[0].metadata.annotations = { a: "x".repeat(256 * 1024 - 1) }))).toBe("(accepted)");
  });
});

describe("label selectors (ValidateLabelSelector)", () => {
  it("matchLabels must be a mapping; requirements need values by operator", () => {
    expect(error((s) => (s.workloads[0].spec.selector = { matchLabels: true }))).toBe(
      `${F}: workloads[0].spec.selector.matchLabels: json: cannot unmarshal bool into Go struct field LabelSelector.spec.selector.matchLabels of type map[string]string`,
    );
    expect(error((s) => (s.workloads[0].spec.selector = { matchExpressions: [{ key: "app", operator: "In", values: [] }] }))).toBe(
      `${F}: workloads[0].spec.selector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    );
    expect(error((s) => (s.workloads[0].spec.selector = {}))).toBe(`${F}: workloads[0].spec.selector: Invalid value: {}: empty selector is invalid for deployment`);
  });
});

describe("unknown fields (strict decoding, as kubectl --validate=strict)", () => {
  it("a misspelt field is named", () => {
    expect(error((_, p) => (p.containers[0].imag = "nginx"))).toBe(`${POD}.containers[0].imag: strict decoding error: unknown field "spec.template.spec.containers[0].imag"`);
    expect(error((_, p) => (p.tolerations = [{ key: "k", operator: "Exists", efect: "NoSchedule" }]))).toBe(`${POD}.tolerations[0].efect: strict decoding error: unknown field "spec.template.spec.tolerations[0].efect"`);
    expect(error((s) => (s.workloads[2].valu = 5))).toBe(`${F}: workloads[2].valu: strict decoding error: unknown field "valu"`);
  });
  it("kubectl get -o yaml output (status, managedFields, uid, resourceVersion, creationTimestamp) loads unchanged", () => {
    expect(
      error((s) => {
        const d = s.workloads[0];
        d.metadata = { ...d.metadata, uid: "0e1c", resourceVersion: "123", generation: 2, creationTimestamp: "2025-01-01T00:00:00Z", annotations: { "deployment.kubernetes.io/revision": "1" }, managedFields: [{ manager: "kubectl", operation: "Update", apiVersion: "apps/v1", time: "2025-01-01T00:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:replicas": {} } } }] };
        d.spec = { ...d.spec, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } };
        d.spec.template.metadata.creationTimestamp = null;
        Object.assign(d.spec.template.spec, { dnsPolicy: "ClusterFirst", restartPolicy: "Always", schedulerName: "default-scheduler", securityContext: {}, terminationGracePeriodSeconds: 30 });
        Object.assign(d.spec.template.spec.containers[0], { imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", ports: [{ containerPort: 80, protocol: "TCP" }] });
        d.status = { availableReplicas: 2, observedGeneration: 2, readyReplicas: 2, replicas: 2, updatedReplicas: 2, conditions: [{ type: "Available", status: "True", lastTransitionTime: "2025-01-01T00:00:00Z", lastUpdateTime: "2025-01-01T00:00:00Z", reason: "MinimumReplicasAvailable", message: "ok" }] };
      }),
    ).toBe("(accepted)");
  });
  it("a number where a string belongs", () => {
    expect(error((s) => (s.workloads[0].metadata.labels = { version: 1.5 }))).toBe(
      `${F}: workloads[0].metadata.labels.version: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string (quote numbers and booleans in YAML)`,
    );
  });
});

describe("PriorityClass (ValidatePriorityClass)", () => {
  it("values, the system- prefix and the preemption policy", () => {
    expect(error((s) => (s.workloads[2].value = 1_000_000_001))).toBe(`${F}: workloads[2].value: Forbidden: maximum allowed value of a user defined priority is 1000000000`);
    expect(error((s) => (s.workloads[2].metadata.name = "system-mine"))).toBe(
      `${F}: workloads[2].metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class`,
    );
    expect(error((s) => (s.workloads[2].preemptionPolicy = "Sometimes"))).toBe(`${F}: workloads[2].preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"`);
    expect(error((s) => (s.workloads[2].value = 2 ** 31))).toBe(`${F}: workloads[2].value: json: cannot unmarshal number 2147483648 into Go struct field PriorityClass.value of type int32`);
  });
});

describe("Deployment replicas", () => {
  it("a billion replicas is refused with kubesim's named limit instead of hanging the run", () => {
    expect(error((s) => (s.workloads[0].spec.replicas = 1e9))).toBe(
      `${F}: workloads[0].spec.replicas: Invalid value: 1000000000: must be no more than 1000000 (kubesim's limit for one Deployment: its pods take about 1.6 KB of memory each in a run; Kubernetes' tested limits are 150,000 pods per cluster and 3,000 per namespace)`,
    );
  });
  it("beyond int32 is the decoder's error", () => {
    expect(error((s) => (s.workloads[0].spec.replicas = 3e9))).toBe(`${F}: workloads[0].spec.replicas: json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32`);
  });
});

describe("node pools are registered as v1 Nodes (ValidateNode)", () => {
  it("cpu 1E or 1e18 exceeds what kubesim holds exactly (it crashed the run)", () => {
    const bound = "must be no more than 9007199254740991m (kubesim's bound: amounts are exact integers up to 2^53-1 millicores; no node has more)";
    expect(error((s) => (s.nodePools[0].allocatable.cpu = "1E"))).toBe(`${F}: nodePools[0].allocatable.cpu: Invalid value: "1E": ${bound}`);
    expect(error((s) => (s.nodePools[0].allocatable.cpu = 1e18))).toBe(`${F}: nodePools[0].allocatable.cpu: Invalid value: "1E": ${bound}`);
    expect(error((s) => (s.nodePools[0].allocatable.cpu = "9007199254740991m"))).toBe("(accepted)");
  });
  it("negative allocatable", () => {
    expect(error((s) => (s.nodePools[0].allocatable.memory = "-8Gi"))).toBe(`${F}: nodePools[0].allocatable.memory: Invalid value: "-8Gi": must be greater than or equal to 0`);
  });
  it("pods beyond the kubelet's int32 maxPods", () => {
    expect(error((s) => (s.nodePools[0].allocatable.pods = 3e9))).toBe(`${F}: nodePools[0].allocatable.pods: Invalid value: "3G": must be no more than 2147483647 (kubesim's bound: the kubelet's maxPods is an int32)`);
  });
  it("labels and taints", () => {
    expect(error((s) => (s.nodePools[0].labels = { "bad key": "x" }))).toBe(`${F}: nodePools[0].labels: Invalid value: "bad key": ${LABEL_KEY_REGEX}`);
    expect(error((s) => (s.nodePools[0].taints = [{ key: "a b", effect: "NoSchedule" }]))).toBe(`${F}: nodePools[0].taints[0].key: Invalid value: "a b": ${LABEL_KEY_REGEX}`);
    expect(error((s) => (s.nodePools[0].taints = [{ key: "k", value: "1", effect: "NoSchedule" }, { key: "k", value: "2", effect: "NoSchedule" }]))).toBe(
      `${F}: nodePools[0].taints[1]: Duplicate value: {"key":"k","value":"2","effect":"NoSchedule"}: taints must be unique by key and effect pair`,
    );
  });
});

describe("PoissonArrivals templates are validated as pod templates", () => {
  it("a negative weight in an arrivals template", () => {
    expect(
      error((s) => (s.workloads[1].template.spec.affinity = nodeAffinity({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: -5, preference: { matchExpressions: [{ key: "tier", operator: "Exists" }] } }] }))),
    ).toBe(`${F}: workloads[1].template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: -5: must be in the range 1-100`);
  });
});
