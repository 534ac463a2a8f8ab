/**
 * `kubesim explain` and `kubesim run` refuse what a real API server refuses, through the
 * built CLI as a user runs it: one line naming the file, the field and upstream's
 * message, exit status 2, nothing on stdout. Each case is a bug seen on an earlier build:
 * explain answered (exit 0) or crashed with "map is not a function" (exit 1), and run
 * crashed after validate had passed.
 *
 * KUBESIM_CLI=<path to main.js> runs the same cases against another build.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const MAIN = resolve(process.env.KUBESIM_CLI ?? "dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "kubesim-validation-"));

function kubesim(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: dir, env: { ...process.env, KUBESIM_DEBUG: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

beforeAll(() => {
  if (!existsSync(MAIN)) spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], { encoding: "utf8" });
}, 120_000);

const NODES = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: n1, labels: {tier: a}}
  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
- apiVersion: v1
  kind: Node
  metadata: {name: n2, labels: {tier: b}}
  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
`;

const pod = (spec: string) => `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: p}}
spec:
${spec}
  containers: [{name: c, resources: {requests: {cpu: 100m}}}]
`;

/** A bad input: exit 2, exactly this line on stderr, nothing on stdout. */
function refused(args: string[], line: string): void {
  const r = kubesim(args);
  expect(r.stderr).toBe(`${line}\n`);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
}

describe("kubesim explain refuses what the API server refuses", () => {
  it("a negative preferred weight (explain said selected: null, exit 0)", () => {
    const p = file("neg-weight.yaml", pod(`  affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: -1, preference: {matchExpressions: [{key: tier, operator: In, values: [a]}]}}]}}`));
    refused(["explain", "--cluster", file("nodes.yaml", NODES), "--pod", p], `${p}: spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: -1: must be in the range 1-100`);
  });

  it("matchLabels: true (explain answered as if the selector were empty)", () => {
    const p = file("ml-true.yaml", pod(`  topologySpreadConstraints: [{maxSkew: 1, topologyKey: tier, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: true}}]`));
    refused(
      ["explain", "--cluster", file("nodes.yaml", NODES), "--pod", p],
      `${p}: spec.topologySpreadConstraints[0].labelSelector.matchLabels: json: cannot unmarshal bool into Go struct field LabelSelector.spec.topologySpreadConstraints.labelSelector.matchLabels of type map[string]string`,
    );
  });

  it.each([
    ["tolerations as a string", `  tolerations: "x"`, `spec.tolerations: json: cannot unmarshal string into Go struct field PodSpec.spec.tolerations of type []v1.Toleration`],
    [
      "preferred node affinity terms as a mapping",
      `  affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 1, preference: {}}}}`,
      `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution: json: cannot unmarshal object into Go struct field NodeAffinity.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution of type []v1.PreferredSchedulingTerm`,
    ],
    [
      "anti-affinity terms as a mapping",
      `  affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {topologyKey: tier}}}`,
      `spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution: json: cannot unmarshal object into Go struct field PodAntiAffinity.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution of type []v1.PodAffinityTerm`,
    ],
  ])("a pod with %s (explain crashed with an internal error)", (_, spec, message) => {
    const p = file(`pod-${message.length}.yaml`, pod(spec));
    refused(["explain", "--cluster", file("nodes.yaml", NODES), "--pod", p], `${p}: ${message}`);
  });

  it.each([
    ["images as a string", `status: {allocatable: {cpu: "4", memory: 8Gi}, images: nginx}`, `status.images: json: cannot unmarshal string into Go struct field NodeStatus.status.images of type []v1.ContainerImage`],
    ["taints as a mapping", `spec: {taints: {key: a, effect: NoSchedule}}\nstatus: {allocatable: {cpu: "4", memory: 8Gi}}`, `spec.taints: json: cannot unmarshal object into Go struct field NodeSpec.spec.taints of type []v1.Taint`],
    [
      "cpu 1E",
      `status: {allocatable: {cpu: 1E, memory: 8Gi}}`,
      `status.allocatable.cpu: Invalid value: "1E": must be no more than 9007199254740991m (kubesim's bound: amounts are exact integers up to 2^53-1 millicores; no node has more)`,
    ],
    ["negative capacity", `status: {capacity: {memory: -1Gi}, allocatable: {cpu: "4", memory: 8Gi}}`, `status.capacity.memory: Invalid value: "-1Gi": must be greater than or equal to 0`],
    ["a misspelt field", `spec: {unschedulabel: true}\nstatus: {allocatable: {cpu: "4", memory: 8Gi}}`, `spec.unschedulabel: strict decoding error: unknown field "spec.unschedulabel"`],
  ])("a node with %s", (_, body, message) => {
    const n = file(`node-${message.length}.yaml`, `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n${body}\n`);
    refused(["explain", "--cluster", n, "--pod", file("ok.yaml", pod(""))], `${n}: ${message}`);
  });

  it("errors inside a List name the item", () => {
    const n = file("list.yaml", NODES.replace("tier: b}", "tier: b c}"));
    refused(
      ["explain", "--cluster", n, "--pod", file("ok.yaml", pod(""))],
      `${n}: items[1].metadata.labels: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });

  it("a kubectl get -o yaml node and pod load unchanged", () => {
    const n = file(
      "kubectl-node.yaml",
      `apiVersion: v1
kind: Node
metadata:
  name: n1
  uid: 7c1d
  resourceVersion: "4711"
  creationTimestamp: "2025-01-01T00:00:00Z"
  labels: {kubernetes.io/hostname: n1, topology.kubernetes.io/zone: a}
  annotations: {node.alpha.kubernetes.io/ttl: "0"}
  managedFields:
  - {manager: kubelet, operation: Update, apiVersion: v1, time: "2025-01-01T00:00:00Z", fieldsType: FieldsV1, fieldsV1: {"f:status": {"f:allocatable": {}}}}
spec: {podCIDR: 10.0.0.0/24, podCIDRs: [10.0.0.0/24], providerID: "aws:///a/i-1"}
status:
  addresses: [{type: InternalIP, address: 10.0.0.1}]
  allocatable: {cpu: 3920m, ephemeral-storage: "95551679124", hugepages-2Mi: "0", memory: 15215236Ki, pods: "110"}
  capacity: {cpu: "4", ephemeral-storage: 101430960Ki, hugepages-2Mi: "0", memory: 16265860Ki, pods: "110"}
  conditions:
  - {type: Ready, status: "True", lastHeartbeatTime: "2025-01-01T00:00:00Z", lastTransitionTime: "2025-01-01T00:00:00Z", reason: KubeletReady, message: kubelet is posting ready status}
  daemonEndpoints: {kubeletEndpoint: {Port: 10250}}
  images: [{names: ["nginx@sha256:abc", "nginx:1.27"], sizeBytes: 72000000}]
  nodeInfo: {architecture: amd64, bootID: b, containerRuntimeVersion: "containerd://1.7", kernelVersion: "6.1", kubeProxyVersion: v1.33.0, kubeletVersion: v1.33.0, machineID: m, operatingSystem: linux, osImage: Linux, systemUUID: u}
`,
    );
    const p = file(
      "kubectl-pod.yaml",
      `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, uid: a1, resourceVersion: "9", creationTimestamp: "2025-01-01T00:00:00Z", labels: {app: p}}
spec:
  containers:
  - {name: c, image: nginx:1.27, imagePullPolicy: IfNotPresent, resources: {requests: {cpu: 100m}}, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File,
     volumeMounts: [{name: kube-api-access, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}]}
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
  - {effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300}
  volumes:
  - name: kube-api-access
    projected: {defaultMode: 420, sources: [{serviceAccountToken: {expirationSeconds: 3607, path: token}}, {configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}}]}
status: {phase: Pending, qosClass: Burstable}
`,
    );
    const r = kubesim(["explain", "--cluster", n, "--pod", p]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).selected).toBe("n1");
  });

  it("duplicate keys are still a YAML error (the linear check that replaced the yaml library's quadratic one)", () => {
    const p = file("dup.yaml", `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    a: x\n    b: y\n    a: z\nspec: {containers: [{name: c}]}\n`);
    refused(["explain", "--cluster", file("nodes.yaml", NODES), "--pod", p], `${p}:8:5: YAML syntax error: Map keys must be unique`);
  });
});

describe("kubesim run refuses what validate refuses", () => {
  const scenario = (cpu: string) =>
    file(
      `big-${cpu}.yaml`,
      `name: big
duration: 1m
nodePools: [{name: p, count: 1, allocatable: {cpu: ${cpu}, memory: 8Gi}}]
workloads:
- {apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}}
`,
    );
  it.each(["1E", "1e18"])("an allocatable cpu of %s (validate passed, then run crashed)", (cpu) => {
    const f = scenario(cpu);
    const line = `${f}: nodePools[0].allocatable.cpu: Invalid value: "1E": must be no more than 9007199254740991m (kubesim's bound: amounts are exact integers up to 2^53-1 millicores; no node has more)`;
    refused(["validate", f], line);
    refused(["run", f, "--out", join(dir, `out-${cpu}`), "--quiet"], line);
    expect(existsSync(join(dir, `out-${cpu}`))).toBe(false);
  });
});

describe("a pod with 100,000 labels", () => {
  // On an earlier build explain parsed it in roughly quadratic time (minutes). Upstream has
  // no label count limit; what stops such an object is etcd's request size (1.5 MiB).
  const podWith = (n: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n${Array.from({ length: n }, (_, i) => `    l${i}: v${i}`).join("\n")}\nspec:\n  containers: [{name: c, image: x}]\n`;

  it("is refused as etcd refuses it: too large", () => {
    const r = kubesim(["explain", "--cluster", file("nodes-many.yaml", NODES), "--pod", file("many.yaml", podWith(100_000))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^many\.yaml: etcdserver: request is too large \(the object is about 1\.8 MB as JSON; etcd's default --max-request-bytes is 1\.5 MiB\)\n$/);
  });

  it("one with 10,000 labels (under the size limit) is explained", () => {
    const r = kubesim(["explain", "--cluster", file("nodes-ok.yaml", NODES), "--pod", file("ten-thousand.yaml", podWith(10_000))]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
