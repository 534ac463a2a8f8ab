/**
 * Fuzz failures, as signatures (signature.ts) with a minimal input each.
 *
 * FIXED_FAILURES: the 59 distinct failures the fuzzer found on main before issue 8's
 * fixes (5f11c2a), and 2 found by a later campaign (seed 909, during issue 9), kept as a
 * regression corpus: every input must now be accepted or rejected with one line
 * (regressions.test.ts).
 *
 * KNOWN_FAILURES: failures found and not fixed yet (empty when the suite is clean). The
 * fuzz tests tolerate what is listed here; knownFailures.test.ts checks that each entry
 * still fails, so a fixed one is moved to FIXED_FAILURES.
 */
import type { FuzzCase } from "./cases.js";

export type Area =
  /** API validation of objects (Deployments, Pods, PriorityClasses, Namespaces as the API server checks them). */
  | "api-validation"
  /** Bounds on sizes and numbers; the loader's and the CLI's error handling. */
  | "bounds-loader-cli"
  /** Custom scheduler plugins and their arguments. */
  | "custom-plugins";

export interface KnownFailure {
  signature: string;
  area: Area;
  /** What goes wrong, for the person fixing it. */
  note: string;
  input: FuzzCase;
}

/** A scenario given as text (`scenario.yaml`), with optional --set overrides and manifest files beside it. */
export function scenarioInput(text: string, opts: { set?: string[]; files?: Record<string, string>; loci?: string[] } = {}): FuzzCase {
  return {
    target: "scenario",
    file: "scenario.yaml",
    text,
    set: opts.set ?? [],
    files: Object.entries(opts.files ?? {}).map(([name, t]) => ({ name, text: t })),
    about: "known failure",
    loci: opts.loci ?? [],
  };
}

/** explain on the given files (name -> text); cluster and pod name files among them. */
export function explainInput(files: Record<string, string>, cluster: string[], pod: string, opts: { config?: string; plugins?: string[]; loci?: string[] } = {}): FuzzCase {
  return {
    target: "explain",
    files: Object.entries(files).map(([name, text]) => ({ name, text })),
    cluster,
    pod,
    config: opts.config,
    plugins: opts.plugins ?? [],
    about: "known failure",
    loci: opts.loci ?? [],
  };
}

/** The smallest scenario kubesim accepts, for the inputs below. */
const BASE = 'name: repro\nduration: 10s\nnodePools:\n  - {name: a, count: 2, allocatable: {cpu: "4", memory: 8Gi}}\n';
/** 10 x 10 x 10 nodes from three anchors: over the loaders' maxAliasCount of 1000 (100 for explain). */
const ALIAS_BOMB = `a0: &a0 x\n${[1, 2, 3].map((i) => `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`).join("")}`;
/** A scenario running `pod` (YAML lines of a v1 Pod's spec, indented 6) as a bare Pod. */
const withPod = (spec: string) => `${BASE}workloads:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      containers: [{name: c, resources: {requests: {cpu: 100m}}}]\n${spec}`;
/** explain's inputs: one node, one pod; `pod` and `node` override the files. */
const NODE = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/hostname: n1}}\nstatus:\n  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}\n';
const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m}}}]\n";
const explainOn = (files: { node?: string; pod?: string; bound?: string; config?: string }, plugins: string[] = []) =>
  explainInput(
    { "node.yaml": files.node ?? NODE, "pod.yaml": files.pod ?? POD, ...(files.bound ? { "bound.yaml": files.bound } : {}), ...(files.config ? { "config.yaml": files.config } : {}) },
    files.bound ? ["node.yaml", "bound.yaml"] : ["node.yaml"],
    "pod.yaml",
    { config: files.config ? "config.yaml" : undefined, plugins },
  );
/** A scheduler configuration enabling one custom plugin. */
const pluginConfig = (name: string) =>
  `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: default-scheduler\n    plugins: {multiPoint: {enabled: [{name: ${name}, weight: 5}]}}\n`;
const withPlugin = (file: string, name: string) =>
  `${BASE}scheduler:\n  customPlugins: [{module: ${file}}]\n  config:\n${pluginConfig(name).trimEnd().replace(/^/gm, "    ")}\nworkloads:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}\n`;

export const FIXED_FAILURES: readonly KnownFailure[] = [
  // --- found by the seed-909 campaign during issue 9 (kept with the 59 before it) --
  {
    signature: "hang at nodePools[*].count",
    area: "bounds-loader-cli",
    note: "the check of a fault's count against its zone spread every pool's nodes over its zones before the node bound was checked: 2^31 nodes",
    input: scenarioInput('name: repro\nduration: 10s\nnodePools:\n  - {name: a, count: 2147483647, zones: [z1, z2], allocatable: {cpu: "4", memory: 8Gi}}\n'),
  },
  {
    signature: "hang at nodePools[*].count (zone count check)",
    area: "bounds-loader-cli",
    note: "the same with a zone fault that has a count: the zone's size is only computed for pools within limits.nodes",
    input: scenarioInput('name: repro\nduration: 10s\nnodePools:\n  - {name: a, count: 50000000, zones: [z1, z2], allocatable: {cpu: "4", memory: 8Gi}}\nfaults:\n  - {type: node-failure, at: 5s, zone: z1, count: 3}\n'),
  },
  // --- bounds, loader and CLI ----------------------------------------------------
  {
    signature: "internal(parse) ReferenceError: Excessive alias count indicates a resource exhaustion attack @ load:parseScenarioText",
    area: "bounds-loader-cli",
    note: "the yaml library's alias-bomb guard (maxAliasCount) throws from doc.toJS(), outside the syntax-error handling: exit 1 instead of a one-line error",
    input: scenarioInput(BASE + ALIAS_BOMB),
  },
  {
    signature: "internal(parse) ReferenceError: Unresolved alias (the anchor must be set before the alias): … @ load:parseScenarioText",
    area: "bounds-loader-cli",
    note: "an alias with no anchor is only found by doc.toJS(), which throws a ReferenceError",
    input: scenarioInput(`${BASE}description: *nowhere\n`),
  },
  {
    signature: "internal(prepare) ReferenceError: Excessive alias count indicates a resource exhaustion attack @ manifests:<anonymous>",
    area: "bounds-loader-cli",
    note: "the same in a manifests file (src/scenario/manifests.ts readManifest)",
    input: scenarioInput(`${BASE}workloads: [{manifests: list.yaml}]\n`, { files: { "list.yaml": `apiVersion: v1\nkind: List\nitems: []\n${ALIAS_BOMB}` } }),
  },
  {
    signature: "internal(prepare) ReferenceError: Unresolved alias (the anchor must be set before the alias): … @ manifests:<anonymous>",
    area: "bounds-loader-cli",
    note: "the same in a manifests file",
    input: scenarioInput(`${BASE}workloads: [{manifests: list.yaml}]\n`, { files: { "list.yaml": "apiVersion: v1\nkind: List\nitems: *nowhere\n" } }),
  },
  {
    signature: 'stderr-warning(scenario): Keys with collection values will be stringified due to JS Object restrictions: "…". Set mapAsMap: true to use object keys.',
    area: "bounds-loader-cli",
    note: "a mapping used as a key: the yaml library prints a Node warning on stderr besides kubesim's own line",
    input: scenarioInput(`${BASE}? [a, b]\n: 1\n`),
  },
  {
    signature: "stderr-warning(scenario): YAMLWarning TAG_RESOLVE_FAILED",
    area: "bounds-loader-cli",
    note: "a --set value with an unknown tag: yaml.parse() prints a 6-line Node warning on stderr (src/scenario/overrides.ts parseSet), and the run goes on (exit 0)",
    input: scenarioInput(BASE, { set: ["name=!custom x"] }),
  },
  {
    signature: "stderr-warning(scenario): YAMLWarning BAD_DIRECTIVE",
    area: "bounds-loader-cli",
    note: "a --set value that starts like a YAML directive: yaml.parse() prints a Node warning",
    input: scenarioInput(BASE, { set: ["name=%x"] }),
  },
  {
    signature: "internal(prepare) TypeError: Method get %TypedArray%.prototype.buffer called on incompatible receiver [object Object] @ load:prepareScenario",
    area: "bounds-loader-cli",
    note: "--set <mapping>.__proto__=<value> replaces that mapping's prototype (here by a Uint8Array from !!binary); validation then trips over it",
    input: scenarioInput(withPod(""), { set: ["workloads[0].metadata.__proto__=!!binary aGk="] }),
  },
  {
    signature: "prototype-pollution of Object.prototype",
    area: "bounds-loader-cli",
    note: "--set walks into __proto__ (applyOverrides: node[seg] on a plain object) and writes Object.prototype.polluted for the whole process; the CLI then rejects the valid scenario with `nodePools[0].allocatable.polluted: expected cpu, memory, ...`",
    input: scenarioInput(BASE, { set: ["__proto__.polluted=1"] }),
  },
  {
    signature: "message(no --set path named): <file>: expected a field path like nodePools[*].count",
    area: "bounds-loader-cli",
    note: "--set ' =1': the path is trimmed to nothing and the message names no path (`--set: expected a field path ...`)",
    input: scenarioInput(BASE, { set: [" =1"] }),
  },
  {
    signature: "hang at nodePools[*].count",
    area: "bounds-loader-cli",
    note: "count has no upper bound (positiveInt up to 2^53): 10^8 nodes are built one by one while resolving",
    input: scenarioInput(BASE.replace("count: 2", "count: 100000000"), { loci: ["nodePools[*].count"] }),
  },
  {
    signature: "hang at workloads[*].spec.replicas",
    area: "bounds-loader-cli",
    note: "replicas has no upper bound: the ReplicaSet controller creates 10^8 pods at start",
    input: scenarioInput(`${BASE}workloads:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: 100000000, template: {spec: {containers: [{name: c}]}}}\n`, { loci: ["workloads[*].spec.replicas"] }),
  },
  {
    signature: "hang at controlPlane.controlPlaneHosts",
    area: "bounds-loader-cli",
    note: "controlPlaneHosts has no upper bound: the CLI spends ~12 s building 3,000,000 hosts, then exits 1 with `internal error: network: more than 4096 hosts`",
    input: scenarioInput(`${BASE}controlPlane: {topology: stacked, controlPlaneHosts: 3000000, etcdHosts: 3}\n`, { loci: ["controlPlane.controlPlaneHosts"] }),
  },
  {
    signature: "internal(run) Error: etcd: at most N members are modelled (vote bitmasks) @ members:new Members",
    area: "bounds-loader-cli",
    note: "a stacked control plane of 40 hosts is accepted, then the etcd model refuses 40 members at run time",
    input: scenarioInput(`${BASE}controlPlane: {topology: stacked, controlPlaneHosts: 40}\n`),
  },
  {
    signature: "internal(finish) Error: network: more than N hosts @ network:Network.addHost",
    area: "bounds-loader-cli",
    note: "a raft-election experiment of 5000 members is accepted; the network refuses more than 4096 hosts when the experiment runs",
    input: scenarioInput(`${BASE}controlPlane: {experiment: {type: raft-election, members: 5000, trials: 1, trialsWithoutRandomness: 1}}\n`),
  },
  {
    signature: "internal(finish) RangeError: Invalid array length @ raftElection:runSeries",
    area: "bounds-loader-cli",
    note: "the same with 5,000,000,000 members: the experiment runner sizes an array by it",
    input: scenarioInput(`${BASE}controlPlane: {experiment: {type: raft-election, members: 5000000000, trials: 1, trialsWithoutRandomness: 1}}\n`),
  },
  {
    signature: "internal(run) RangeError: Array buffer allocation failed @ nodeLease:NodeLeases.start",
    area: "bounds-loader-cli",
    note: "controlPlane.load.nodeLeases: 2^32 is accepted; the kubelets' lease table asks for 32 GiB",
    input: scenarioInput(`${BASE}controlPlane: {topology: stacked, load: {nodeLeases: 4294967296}}\n`),
  },
  {
    signature: "internal(prepare) TypeError: catalog.points(...).includes is not a function @ schedulerConfig:resolveProfile",
    area: "bounds-loader-cli",
    note: "a plugin named __proto__ in a KubeSchedulerConfiguration is looked up on a plain object's prototype",
    input: scenarioInput(`${BASE}scheduler:\n  config:\n${pluginConfig("__proto__").trimEnd().replace(/^/gm, "    ")}\n`),
  },
  {
    signature: `internal(run) Error: quantities must match the regular expression '^([+-]?[N-N]+)([eEinumkKMGTP]*[-+]?[N-N]*)$' (got "…") @ quantity:scan`,
    area: "bounds-loader-cli",
    note: 'cpu "8e300" passes the schema (isQuantity), then kubesim writes it as "8e+303m" and cannot read that back',
    input: scenarioInput(BASE.replace('cpu: "4"', 'cpu: "8e300"')),
  },
  {
    signature: "internal(run) Error: node … over-committed by pod …: requested … N > N bytes allocatable @ clusterState:ClusterState.checkAllocatable",
    area: "bounds-loader-cli",
    note: "a negative allocatable (memory: -1; ephemeral-storage alike) is accepted; the first pod bound there trips the over-commit invariant",
    input: scenarioInput(withPod("").replace("memory: 8Gi", "memory: -1")),
  },

  // --- API validation of objects (fields the loose schemas pass through unchecked) -----------
  {
    signature: "internal(run) TypeError: own.map is not a function @ constraints:compilePodConstraints",
    area: "api-validation",
    note: "spec.topologySpreadConstraints is not checked to be a list (the API server: must be a list of TopologySpreadConstraint)",
    input: scenarioInput(withPod("      topologySpreadConstraints: x\n")),
  },
  {
    signature: "internal(run) TypeError: … is not iterable (cannot read property Symbol(Symbol.iterator)) @ compiled:new CompiledPod",
    area: "api-validation",
    note: "containers[].ports is not checked to be a list (0, true, {} alike)",
    input: scenarioInput(withPod("").replace("{name: c, resources", "{name: c, ports: 0, resources")),
  },
  {
    signature: "internal(run) TypeError: (ts ?? []).map is not a function @ affinityTerm:compileWeightedTerms",
    area: "api-validation",
    note: "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution is not checked to be a list",
    input: scenarioInput(withPod("      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: x}}\n")),
  },
  {
    signature: "internal(run) TypeError: (ts ?? []).map is not a function @ affinityTerm:compileRequiredTerms",
    area: "api-validation",
    note: "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution is not checked to be a list",
    input: scenarioInput(withPod("      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: x}}\n")),
  },
  {
    signature: "internal(run) TypeError: exprs.map is not a function @ nodeSelector:compileNodeSelectorTerm",
    area: "api-validation",
    note: "nodeSelectorTerms[].matchExpressions is not checked to be a list",
    input: scenarioInput(withPod("      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: {}}]}}}\n")),
  },
  {
    signature: "internal(run) TypeError: (sel.nodeSelectorTerms ?? []).map is not a function @ nodeSelector:compileNodeSelector",
    area: "api-validation",
    note: "nodeAffinity...nodeSelectorTerms is not checked to be a list",
    input: scenarioInput(withPod("      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: x}}}\n")),
  },
  {
    signature: "internal(run) TypeError: vals.map is not a function @ requirement:compileRequirement",
    area: "api-validation",
    note: "matchExpressions[].values is not checked to be a list of strings",
    input: scenarioInput(withPod("      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: k, operator: In, values: x}]}]}}}\n")),
  },
  {
    signature: "internal(run) TypeError: vals is not iterable @ requirement:compileRequirement",
    area: "api-validation",
    note: "the same with values: a mapping",
    input: scenarioInput(withPod("      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: k, operator: In, values: {a: 1}}]}]}}}\n")),
  },
  {
    signature: "internal(prepare) TypeError: Converting circular structure to JSON @ podTemplateHash:podTemplateHash",
    area: "api-validation",
    note: "a cyclic Deployment template (YAML alias): the pod-template-hash JSON-encodes it",
    input: scenarioInput(`${BASE}workloads:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: 1, template: {spec: {containers: [{name: c, resources: &r {x: *r}}]}}}\n`),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'hostPort') @ compiled:new CompiledPod",
    area: "api-validation",
    note: "a null entry in containers[].ports",
    input: scenarioInput(withPod("").replace("{name: c, resources", "{name: c, ports: [null], resources")),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'matchExpressions') @ nodeSelector:compileNodeSelectorTerm",
    area: "api-validation",
    note: "a null entry in nodeAffinity...nodeSelectorTerms",
    input: scenarioInput(withPod("      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [null]}}}\n")),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'key') @ labelSelector:compileLabelSelector",
    area: "api-validation",
    note: "a null entry in a pod affinity term's labelSelector.matchExpressions",
    input: scenarioInput(withPod("      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchExpressions: [null]}, topologyKey: zone}]}}\n")),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'podAffinityTerm') @ affinityTerm:<anonymous>",
    area: "api-validation",
    note: "a null entry in podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution",
    input: scenarioInput(withPod("      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [null]}}\n")),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'namespaces') @ affinityTerm:compileAffinityTerm",
    area: "api-validation",
    note: "a null pod affinity term (or a weighted term without podAffinityTerm)",
    input: scenarioInput(withPod("      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [null]}}\n")),
  },
  {
    signature: "internal(run) TypeError: … is not iterable (cannot read property Symbol(Symbol.iterator)) @ labelSelector:compileLabelSelector",
    area: "api-validation",
    note: "a pod affinity term's labelSelector.matchExpressions is not checked to be a list",
    input: scenarioInput(withPod("      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchExpressions: 0}, topologyKey: zone}]}}\n")),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'length') @ requirement:isValidLabelValue",
    area: "api-validation",
    note: "a labelSelector.matchLabels value that is not a string (null)",
    input: scenarioInput(withPod("      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: null}}, topologyKey: zone}]}}\n")),
  },
  {
    signature: "internal(run) TypeError: Converting circular structure to JSON @ snapshot:Snapshot.compile",
    area: "api-validation",
    note: "a YAML alias makes a pod spec cyclic through a field kubesim does not read; compiling the template JSON-encodes it",
    input: scenarioInput(withPod("      extra: &e {self: *e}\n")),
  },
  {
    signature: "internal(output) TypeError: Converting circular structure to JSON @ manifest:manifestJson",
    area: "api-validation",
    note: "a cyclic field outside the pod template (a Deployment's status) passes validation and breaks manifest.json at the end of the run",
    input: scenarioInput(`${BASE}workloads:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: 1, template: {spec: {containers: [{name: c}]}}}\n    status: &s {self: *s}\n`),
  },

  // --- explain's readers (cluster, pod and configuration files) -------------------
  {
    signature: "message(no field named): <file>: not valid YAML or JSON …",
    area: "bounds-loader-cli",
    note: "explain reports a YAML syntax error as `<file>: not valid YAML or JSON (... at line L, column C:)`, not `<file>:<line>:<col>: ...` as the scenario loader does",
    input: explainOn({ pod: "apiVersion: v1\napiVersion: v1\n" }),
  },
  {
    signature: "internal(explain) ReferenceError: Excessive alias count indicates a resource exhaustion attack @ explain:<anonymous>",
    area: "bounds-loader-cli",
    note: "explain's readObjects calls doc.toJS() (maxAliasCount 100) outside its error handling",
    input: explainOn({ pod: POD + ALIAS_BOMB }),
  },
  {
    signature: "internal(explain) ReferenceError: Unresolved alias (the anchor must be set before the alias): … @ explain:<anonymous>",
    area: "bounds-loader-cli",
    note: "the same for an alias without anchor",
    input: explainOn({ pod: `${POD}extra: *nowhere\n` }),
  },
  {
    signature: 'stderr-warning(explain): Keys with collection values will be stringified due to JS Object restrictions: "…". Set mapAsMap: true to use object keys.',
    area: "bounds-loader-cli",
    note: "a mapping used as a key in an explain input: a Node warning on stderr",
    input: explainOn({ pod: `${POD}? [a]\n: 1\n` }),
  },
  {
    signature: "stderr-warning(explain): YAMLWarning TAG_RESOLVE_FAILED",
    area: "bounds-loader-cli",
    note: "an unknown tag in a KubeSchedulerConfiguration file: a Node warning on stderr",
    input: explainOn({ config: pluginConfig("NodeResourcesFit").replace("kind: KubeSchedulerConfiguration", "kind: !custom KubeSchedulerConfiguration") }),
  },
  {
    signature: "internal(explain) TypeError: image.includes is not a function @ defaults:imageTag",
    area: "api-validation",
    note: "explain does not check containers[].image is a string before defaulting imagePullPolicy",
    input: explainOn({ pod: POD.replace("image: nginx", "image: 5") }),
  },
  {
    signature: "internal(explain) TypeError: Cannot read properties of null/undefined (reading 'includes') @ defaults:imageTag",
    area: "api-validation",
    note: "the same with image: null",
    input: explainOn({ pod: POD.replace("image: nginx", "image: null") }),
  },
  {
    signature: "internal(explain) TypeError: Cannot read properties of null/undefined (reading 'resources') @ defaults:defaultContainer",
    area: "api-validation",
    note: "a bound pod (a --cluster file) with a null container: defaulting reads it",
    input: explainOn({ bound: POD.replace("name: p,", "name: b,").replace("containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m}}}]", "nodeName: n1\n  containers: [null]") }),
  },
  {
    signature: "internal(explain) TypeError: Converting circular structure to JSON @ snapshot:Snapshot.compile",
    area: "api-validation",
    note: "a cyclic pod (YAML alias) in explain",
    input: explainOn({ pod: `${POD}  extra: &e {self: *e}\n` }),
  },
  {
    signature: "internal(explain) TypeError: Converting circular structure to JSON @ explain:checkQuantities",
    area: "api-validation",
    note: "a cyclic quantity: the error message itself JSON-encodes the value",
    input: explainOn({ node: NODE.replace('allocatable: {cpu: "4"', "allocatable: &a {cpu: *a") }),
  },
  {
    signature: "internal(explain) TypeError: … is not iterable (cannot read property Symbol(Symbol.iterator)) @ snapshot:Snapshot.addNode",
    area: "api-validation",
    note: "a Node's status.images and images[].names are not checked to be lists",
    input: explainOn({ node: `${NODE}  images: [{names: 5, sizeBytes: 1}]\n` }),
  },
  {
    signature: "internal(explain) TypeError: Cannot read properties of null/undefined (reading 'names') @ snapshot:Snapshot.addNode",
    area: "api-validation",
    note: "a null entry in a Node's status.images",
    input: explainOn({ node: `${NODE}  images: [null]\n` }),
  },
  {
    signature: "internal(explain) TypeError: ((intermediate value) ?? []).map is not a function @ snapshot:Snapshot.addNode",
    area: "api-validation",
    note: "a Node's spec.taints is not checked to be a list",
    input: explainOn({ node: `${NODE}spec: {taints: x}\n` }),
  },
  {
    signature: "internal(explain) TypeError: Cannot read properties of null/undefined (reading 'key') @ snapshot:<anonymous>",
    area: "api-validation",
    note: "a Node's spec.taints entries are not checked to be mappings",
    input: explainOn({ node: `${NODE}spec: {taints: [null]}\n` }),
  },
  {
    signature: "message(no field named): <file>: unknown field …",
    area: "bounds-loader-cli",
    note: "an empty key in a KubeSchedulerConfiguration: `<file>: unknown field (known: ...)` names no field",
    input: explainOn({ config: `${pluginConfig("NodeResourcesFit")}"": 1\n` }),
  },

  // --- custom plugins --------------------------------------------------------------
  {
    signature: "internal(run) Error: filter failed on N nodes @ filter:FilterRunner.runFilter",
    area: "custom-plugins",
    note: "a plugin's filter throws: exit 1 as kubesim's own bug, the plugin and its module not named",
    input: scenarioInput(withPlugin("test/fuzz/plugins/throwsInFilter.mjs", "ThrowsInFilter")),
  },
  {
    signature: "internal(explain) Error: filter failed on N nodes @ filter:FilterRunner.runFilter",
    area: "custom-plugins",
    note: "the same in explain",
    input: explainOn({ config: pluginConfig("ThrowsInFilter") }, ["test/fuzz/plugins/throwsInFilter.mjs"]),
  },
  {
    signature: "internal(run) TypeError: Cannot read properties of null/undefined (reading 'value') @ prioritize:Prioritizer.prioritize",
    area: "custom-plugins",
    note: "a plugin's score throws a TypeError",
    input: scenarioInput(withPlugin("test/fuzz/plugins/throwsInScore.mjs", "ThrowsInScore")),
  },
  {
    signature: "internal(explain) TypeError: Cannot read properties of null/undefined (reading 'value') @ prioritize:Prioritizer.prioritize",
    area: "custom-plugins",
    note: "the same in explain",
    input: explainOn({ config: pluginConfig("ThrowsInScore") }, ["test/fuzz/plugins/throwsInScore.mjs"]),
  },
  {
    signature: "internal(explain) TypeError: Cannot read properties of null/undefined (reading 'length') @ diagnosis:CycleDiagnosis.reasons",
    area: "custom-plugins",
    note: "a filter writing a status code that does not exist: explain's diagnosis looks up a reason list that is not there",
    input: explainOn({ config: pluginConfig("BadVerdicts") }, ["test/fuzz/plugins/badVerdicts.mjs"]),
  },
  {
    signature: "explain-output: a score outside 0..100 (BadScores)",
    area: "custom-plugins",
    note: "a plugin scoring NaN, -1, 1e9: explain prints the score (-1), totals of -1 and `selected: null` with feasible nodes, exit 0; kube-scheduler fails the cycle (\"returns an invalid score\"). In a run the bad scores silently steer placement",
    input: explainOn({ node: `${NODE}---\n${NODE.replace(/n1/g, "n2")}`, config: pluginConfig("BadScores") }, ["test/fuzz/plugins/badScores.mjs"]),
  },
];


/** Still open: none. */
export const KNOWN_FAILURES: readonly KnownFailure[] = [];

const bySignature = new Map(KNOWN_FAILURES.map((k) => [k.signature, k]));

export function knownFailure(signature: string): KnownFailure | undefined {
  return bySignature.get(signature);
}

/**
 * What a hang or a blow-up is filed under: `<kind> at <locus>`, with the first of the
 * case's loci that is a known failure of that kind (a case changes several places and
 * only one of them is why it hangs), else its first locus.
 */
export function filedUnder(kind: string, loci: readonly string[]): string {
  const known = loci.find((l) => bySignature.has(`${kind} at ${l}`));
  return `${kind} at ${known ?? loci[0] ?? "(none)"}`;
}
