/**
 * One model of a pod, through the built CLI as a user runs it: the API server's
 * defaulting and admission is the one door every pod goes through, so the scheduler
 * and the cluster's accounting read the same numbers. Each case is a bug seen on an
 * earlier build (README "Model fidelity"), with the answer upstream gives:
 *
 * 1. A pod whose second container sets only `limits: {cpu: 2}` requests 2 cpu
 *    (SetDefaults_Pod): with a first container requesting 1 cpu, it needs 3 cpu and
 *    never binds to a 2-cpu node; nothing is over-committed.
 * 2. `explain` on a pod with only limits (1 cpu, 2Gi) against a 500m / 1Gi node says
 *    Insufficient cpu and Insufficient memory.
 * 3. A namespace a pod names but no Namespace object creates carries the
 *    kubernetes.io/metadata.name label, so a namespaceSelector on it matches (a
 *    `kubectl get nodes,pods -A -o yaml` export holds no Namespace objects).
 * 4. ImageLocality uses one size per image name, the first node's report (the scheduler
 *    cache's imageStates), not each node's own.
 *
 * KUBESIM_CLI=<path to main.js> runs the same cases against another build.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const MAIN = resolve(process.env.KUBESIM_CLI ?? "dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "kubesim-pod-model-"));

function kubesim(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, KUBESIM_DEBUG: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Rows of a CSV file as objects (values as strings). */
function csv(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const cols = head.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [cols[i], v])));
}

beforeAll(() => {
  if (!existsSync(MAIN)) spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], { encoding: "utf8" });
}, 120_000);

describe("kubesim run: limits without requests are requests", () => {
  const scenario = (cpu: string) =>
    file(
      `limits-${cpu}.yaml`,
      `name: limits
duration: 1m
sampleInterval: 10s
nodePools:
  - name: small
    count: 1
    allocatable: {cpu: "${cpu}", memory: 8Gi}
workloads:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: app}
    spec:
      replicas: 1
      selector: {matchLabels: {app: app}}
      template:
        metadata: {labels: {app: app}}
        spec:
          containers:
            - {name: main, image: app:1, resources: {requests: {cpu: "1"}}}
            - {name: side, image: side:1, resources: {limits: {cpu: "2"}}}
`,
    );

  it("a pod needing 1 + 2 cpu stays Pending on a 2-cpu node: nothing over-committed", () => {
    const out = join(dir, "run-2cpu");
    const r = kubesim(["run", scenario("2"), "--out", out, "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(csv(join(out, "pods.csv")).map((p) => p.outcome)).toEqual(["pending"]);
    for (const row of csv(join(out, "timeseries.csv"))) {
      expect(row.nodes_overcommitted).toBe("0");
      expect(Number(row.cpu_requested_ratio_max)).toBe(0);
    }
  });

  it("on a 4-cpu node it binds and accounts 3 cpu (cpu_requested_ratio_max 0.75)", () => {
    const out = join(dir, "run-4cpu");
    expect(kubesim(["run", scenario("4"), "--out", out, "--quiet"]).code).toBe(0);
    expect(csv(join(out, "pods.csv")).map((p) => p.outcome)).toEqual(["running"]);
    expect(Number(csv(join(out, "timeseries.csv")).at(-1)!.cpu_requested_ratio_max)).toBe(0.75);
  });
});

describe("kubesim run: namespaces carry kubernetes.io/metadata.name", () => {
  it("pod affinity with a namespaceSelector on the name finds pods of a namespace no Namespace object created", () => {
    // db runs in "shop" (named only by its Deployment); web requires a db pod of namespace
    // shop on its node: both land on one node, so web binds. Without the label, web stays Pending.
    const dep = (name: string, namespace: string, extra: string) => `  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}, namespace: ${namespace}}
    spec:
      replicas: 1
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:
          containers: [{name: c, image: x:1, resources: {requests: {cpu: 100m}}}]
${extra}`;
    const affinity = `          affinity:
            podAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: db}}
                  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
                  topologyKey: kubernetes.io/hostname
`;
    const scenario = file("ns.yaml", `name: ns
duration: 1m
nodePools:
  - {name: n, count: 3, allocatable: {cpu: "4", memory: 8Gi}}
workloads:
${dep("db", "shop", "")}${dep("web", "front", affinity)}`);
    const out = join(dir, "run-ns");
    expect(kubesim(["run", scenario, "--out", out, "--quiet"]).code).toBe(0);
    const pods = csv(join(out, "pods.csv"));
    expect(pods.map((p) => p.outcome)).toEqual(["running", "running"]);
    expect(pods[0].node).toBe(pods[1].node);
  });
});

describe("kubesim explain: the pod as the API server admits it", () => {
  const node = (name: string, cpu: string, memory: string, images = "") => `- apiVersion: v1
  kind: Node
  metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}
  status:
    allocatable: {cpu: "${cpu}", memory: ${memory}, pods: "110"}
${images}`;

  it("a pod with only limits (1 cpu, 2Gi) does not fit a 500m / 1Gi node: Insufficient cpu, Insufficient memory", () => {
    const cluster = file("small.yaml", `apiVersion: v1\nkind: List\nitems:\n${node("small", "500m", "1Gi")}`);
    const pod = file(
      "limits-pod.yaml",
      `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - {name: c, image: app:1, resources: {limits: {cpu: "1", memory: 2Gi}}}
`,
    );
    const r = kubesim(["explain", "--cluster", cluster, "--pod", pod]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.selected).toBeNull();
    expect(out.nodes[0]).toMatchObject({ name: "small", feasible: false });
    expect(out.nodes[0].reasons).toEqual(expect.arrayContaining(["Insufficient cpu", "Insufficient memory"]));
  });

  it("namespaceSelector on kubernetes.io/metadata.name matches a namespace known only from its pods", () => {
    const cluster = file(
      "export.yaml",
      `apiVersion: v1
kind: List
items:
${node("n1", "4", "8Gi")}
${node("n2", "4", "8Gi")}
- apiVersion: v1
  kind: Pod
  metadata: {name: db-0, namespace: shop, labels: {app: db}}
  spec:
    nodeName: n1
    containers: [{name: db, image: db:1}]
  status: {phase: Running}
`,
    );
    const pod = file(
      "affine.yaml",
      `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: front}
spec:
  containers: [{name: web, image: web:1}]
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: {matchLabels: {app: db}}
          namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
          topologyKey: kubernetes.io/hostname
`,
    );
    const r = kubesim(["explain", "--cluster", cluster, "--pod", pod]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.nodes.map((n: { feasible: boolean }) => n.feasible)).toEqual([true, false]);
    expect(out.selected).toBe("n1");
  });

  it("a pod naming a PriorityClass the input does not hold is refused as the API server would: one line, exit 2", () => {
    const cluster = file("one.yaml", `apiVersion: v1\nkind: List\nitems:\n${node("n1", "4", "8Gi")}`);
    const pod = file("gold.yaml", `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  priorityClassName: gold\n  containers: [{name: c}]\n`);
    const r = kubesim(["explain", "--cluster", cluster, "--pod", pod]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${pod}: spec.priorityClassName: rejected by the API server: no PriorityClass with name gold was found (give the cluster's PriorityClasses with --cluster, e.g. kubectl get priorityclasses -o yaml)\n`);
    const withClass = file("gold-class.yaml", `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: gold}\nvalue: 100\n`);
    expect(kubesim(["explain", "--cluster", cluster, "--cluster", withClass, "--pod", pod]).code).toBe(0);
  });

  it("ImageLocality scores two nodes reporting one image with different sizes the same (the first size counts)", () => {
    // 2 of 2 nodes have nginx:1.27; the first report says 500 MiB: sum = 500 MiB x 2/2 on
    // both nodes -> 100 x (500 - 23) div (1000 - 23) = 48 on both (n2's own 100 MiB would give 7).
    const img = (size: number) => `    images:\n    - names: ["nginx:1.27"]\n      sizeBytes: ${size}\n`;
    const cluster = file("images.yaml", `apiVersion: v1\nkind: List\nitems:\n${node("n1", "4", "8Gi", img(500 * 2 ** 20))}${node("n2", "4", "8Gi", img(100 * 2 ** 20))}`);
    const pod = file("nginx.yaml", `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "nginx:1.27"}]\n`);
    const r = kubesim(["explain", "--cluster", cluster, "--pod", pod]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.nodes.map((n: { scores: Record<string, number> }) => n.scores.ImageLocality)).toEqual([48, 48]);
  });
});
