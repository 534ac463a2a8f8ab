/**
 * `kubectl get deploy,pods,priorityclasses,namespaces -o yaml`-like lists, generated: a
 * `kind: List` of Namespaces, PriorityClasses, Deployments and Pods carrying what a real
 * cluster's output carries (uid, resourceVersion, managedFields, last-applied
 * annotations, status, defaulted spec fields), affinity and topology spread, plus kinds
 * kubesim skips (Service, ConfigMap). Before mutation a list is valid for the host
 * scenario below (4 nodes of pool `a`), so mutations reach deep fields.
 */
import fc from "fast-check";

/** The scenario the generated lists are loaded into (as `workloads: [{manifests: <file>}]`). */
export function hostScenario(manifestFile: string): string {
  return [
    "name: fuzz-manifests",
    "duration: 10m",
    "nodePools:",
    "  - name: a",
    "    count: 4",
    "    zones: [zone-a, zone-b]",
    '    allocatable: {cpu: "8", memory: 32Gi, pods: 110}',
    "workloads:",
    `  - manifests: ${JSON.stringify(manifestFile)}`,
    "",
  ].join("\n");
}

const NAMESPACES = ["default", "shop", "jobs", "kube-system"] as const;
const CPU = ["50m", "100m", "250m", "500m", "1", "2", "1.5"] as const;
const MEMORY = ["64Mi", "128Mi", "1Gi", "2G", "512M", "1.5Gi"] as const;

const stamp = fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }).map((s) => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, "Z"));
const uid = fc.uuid();

const resources = fc.record(
  {
    requests: fc.record({ cpu: fc.constantFrom(...CPU), memory: fc.constantFrom(...MEMORY) }, { requiredKeys: [] }),
    limits: fc.record({ cpu: fc.constantFrom(...CPU), memory: fc.constantFrom(...MEMORY) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const container = fc.record({
  name: fc.constantFrom("app", "sidecar", "web", "worker"),
  image: fc.constantFrom("nginx:1.27", "registry.example/api:1.4", "busybox"),
  imagePullPolicy: fc.constantFrom("IfNotPresent", "Always"),
  ports: fc.constantFrom([], [{ containerPort: 8080, protocol: "TCP" }]),
  resources,
  terminationMessagePath: fc.constant("/dev/termination-log"),
  terminationMessagePolicy: fc.constant("File"),
});

function affinityFor(app: string) {
  return fc.constantFrom(
    undefined,
    { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-a", "zone-b"] }] }] } } },
    { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app } }, topologyKey: "kubernetes.io/hostname" } }] } },
    { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] }, topologyKey: "topology.kubernetes.io/zone" }] } },
  );
}

function podSpec(app: string, priorityClasses: readonly string[]) {
  return fc
    .record({
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
      dnsPolicy: fc.constant("ClusterFirst"),
      restartPolicy: fc.constant("Always"),
      schedulerName: fc.constant("default-scheduler"),
      securityContext: fc.constant({}),
      terminationGracePeriodSeconds: fc.constantFrom(30, 0, 5),
      priorityClassName: priorityClasses.length > 0 ? fc.option(fc.constantFrom(...priorityClasses), { nil: undefined }) : fc.constant(undefined),
      nodeSelector: fc.constantFrom(undefined, { "kubernetes.io/os": "linux" }, { "topology.kubernetes.io/zone": "zone-b" }),
      tolerations: fc.constantFrom(undefined, [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ]),
      affinity: affinityFor(app),
      topologySpreadConstraints: fc.constantFrom(undefined, [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app } } }]),
    })
    .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
}

function metadata(name: string, namespace: string | undefined, labels: Record<string, string>) {
  return fc.record({ uid, resourceVersion: fc.nat().map(String), generation: fc.integer({ min: 1, max: 9 }), creationTimestamp: stamp }).map((m) => ({
    name,
    ...(namespace === undefined ? {} : { namespace }),
    labels,
    annotations: { "kubectl.kubernetes.io/last-applied-configuration": `{"metadata":{"name":"${name}"}}\n` },
    ...m,
    managedFields: [{ apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:labels": {} } }, manager: "kubectl-client-side-apply", operation: "Update", time: m.creationTimestamp }],
  }));
}

function deployment(i: number, namespace: string, priorityClasses: readonly string[]) {
  const name = `web-${i}`;
  return fc.record({
    meta: metadata(name, namespace, { app: name }),
    replicas: fc.integer({ min: 0, max: 12 }),
    spec: podSpec(name, priorityClasses),
  }).map(({ meta, replicas, spec }) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { ...meta, annotations: { ...meta.annotations, "deployment.kubernetes.io/revision": "1" } },
    spec: {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: name } },
      strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" }, type: "RollingUpdate" },
      template: { metadata: { creationTimestamp: null, labels: { app: name } }, spec },
    },
    status: { availableReplicas: replicas, observedGeneration: 1, readyReplicas: replicas, replicas, updatedReplicas: replicas, conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable" }] },
  }));
}

function pod(i: number, namespace: string, priorityClasses: readonly string[]) {
  const name = `pod-${i}`;
  return fc.record({ meta: metadata(name, namespace, { app: name }), spec: podSpec(name, priorityClasses), phase: fc.constantFrom("Pending", "Running") }).map(({ meta, spec, phase }) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: meta,
    spec,
    status: { phase, qosClass: "Burstable", conditions: [{ type: "PodScheduled", status: phase === "Running" ? "True" : "False" }] },
  }));
}

const priorityClass = (name: string) =>
  fc.record({ value: fc.integer({ min: -1000, max: 1_000_000_000 }), preemptionPolicy: fc.constantFrom("PreemptLowerPriority", "Never"), meta: metadata(name, undefined, {}) }).map(({ value, preemptionPolicy, meta }) => ({
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: meta,
    value,
    globalDefault: false,
    preemptionPolicy,
    description: `${name} workloads`,
  }));

const namespaceObject = (name: string) =>
  metadata(name, undefined, { "kubernetes.io/metadata.name": name }).map((meta) => ({ apiVersion: "v1", kind: "Namespace", metadata: meta, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } }));

const noise = fc.constantFrom(
  { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: { app: "web-0" }, ports: [{ port: 80, targetPort: 8080 }] } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "default" }, data: { key: "value" } },
);

/** A valid list: objects in an order kubectl would not guarantee (PriorityClasses may come after the pods naming them). */
export const kubectlListArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    namespaces: fc.subarray([...NAMESPACES.slice(1)]),
    priorityClasses: fc.subarray(["high", "batch-low"]),
    deployments: fc.integer({ min: 0, max: 2 }),
    pods: fc.integer({ min: 0, max: 2 }),
    ns: fc.constantFrom(...NAMESPACES),
  })
  .chain(({ namespaces, priorityClasses, deployments, pods, ns }) =>
    fc
      .tuple(
        fc.tuple(...namespaces.map(namespaceObject)),
        fc.tuple(...priorityClasses.map(priorityClass)),
        fc.tuple(...Array.from({ length: deployments }, (_, i) => deployment(i, ns, priorityClasses))),
        fc.tuple(...Array.from({ length: pods }, (_, i) => pod(i, ns, priorityClasses))),
        fc.array(noise, { maxLength: 2 }),
        fc.boolean(),
      )
      .map(([nsObjs, pcs, deps, ps, extra, pcsLast]) => ({
        apiVersion: "v1",
        kind: "List",
        metadata: { resourceVersion: "" },
        items: pcsLast ? [...nsObjs, ...deps, ...ps, ...extra, ...pcs] : [...nsObjs, ...pcs, ...deps, ...ps, ...extra],
      })),
  );
