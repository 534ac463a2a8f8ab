/**
 * Workloads from Kubernetes manifest files: a workloads entry `{manifests: path}` (or a
 * list of paths, relative to the scenario file) is replaced by the Deployments and
 * Pods (and the PriorityClasses and Namespaces they refer to) in those files before
 * validation. A file may hold several YAML documents, a `kind: List` (as
 * `kubectl get -o yaml` writes), or JSON.
 *
 * Nothing is dropped without a word. What an import holds besides runnable objects is
 * decided per case, as a cluster would see it, and each skip is one warning per file
 * and reason (PreparedScenario.warnings):
 * - a Pod controlled by a ReplicaSet of a Deployment in the scenario is one of its
 *   replicas: skipped, the Deployment creates its own (as it would in a new cluster);
 *   so is that ReplicaSet;
 * - a Pod controlled by a DaemonSet or Job in the scenario is one of its pods: skipped,
 *   it creates its own;
 * - a Pod controlled by anything else (a ReplicaSet without its Deployment, a DaemonSet
 *   not in the import, Job, StatefulSet, ...) would become a bare Pod nobody recreates:
 *   skipped, with the owner named, until those controllers are modelled;
 * - a Pod in phase Succeeded or Failed has finished and holds no resources: skipped
 *   (re-creating it would run it again);
 * - Node objects: nodes come from nodePools; skipped;
 * - kinds that run no pods and that no modelled component reads (ConfigMap, ...): skipped.
 * Workload kinds kubesim does not model (CronJob, ReplicationController, a ReplicaSet of
 * no Deployment, ...) given on their own are an error: their pods would be lost.
 * A Pod's spec.nodeName naming a node the scenario lacks is handled once the nodes are
 * known (load.ts).
 *
 * A cluster export (clusterExport.ts) is the exception to the first two rules: its bound
 * Pods of a Deployment (through a ReplicaSet), StatefulSet or DaemonSet in the scenario
 * are adopted, not skipped (`adopted`, AdoptedPodSpec): they start the run on their
 * (renamed) node, owned by their workload, whose controller creates only what is missing.
 *
 * Each expanded entry remembers where it came from, so an error names the manifest
 * file and the object's path in it.
 */
import { isAbsolute, join, relative } from "node:path";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import { readInputFile } from "./inputFile.js";
import { parseYamlDocuments } from "./yamlInput.js";
import type { AdoptedPodSpec } from "../run/adoptedPods.js";

/** Where an expanded workloads entry came from: a file and the path of the object in it. */
export interface Origin {
  file: string;
  path: PathSegment[];
}

/** Kinds kubesim reads: workloads that run pods, and the objects pods refer to. */
const RUN_KINDS = new Set(["Deployment", "DaemonSet", "StatefulSet", "Job", "Pod", "PodDisruptionBudget", "PriorityClass", "Namespace", "Service"]);
const NOT_MODELLED = new Set(["ReplicaSet", "CronJob", "ReplicationController"]);
/** Pods in these phases have ended (v1 PodPhase). */
const TERMINAL_PHASES = new Set(["Succeeded", "Failed"]);
/** Object names quoted in one warning, then "...". */
const WARNING_EXAMPLES = 3;

export function isManifestsEntry(v: unknown): v is { manifests: string | string[] } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && "manifests" in v && !("kind" in v);
}

interface Found {
  value: Record<string, unknown>;
  file: string;
  path: PathSegment[];
}

/** "a, b, c, ..." for a warning. */
export function examples(names: readonly string[]): string {
  return names.slice(0, WARNING_EXAMPLES).join(", ") + (names.length > WARNING_EXAMPLES ? `, ... (${names.length} in all)` : "");
}

/** Skipped objects, grouped per file, kind of object and reason, so each reason is one warning. */
class Skips {
  private readonly groups = new Map<string, { file: string; noun: string; reason: string; names: string[] }>();

  /** `noun` is singular ("Pod"); `reason` reads after "skipped N Pods (names): ". */
  add(file: string, noun: string, reason: string, name: string): void {
    const key = `${file}\u0000${noun}\u0000${reason}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { file, noun, reason, names: [] }));
    g.names.push(name);
  }

  warnings(): string[] {
    return [...this.groups.values()].map((g) => `${g.file}: skipped ${g.names.length} ${g.noun}${g.names.length === 1 ? "" : "s"} (${examples(g.names)}): ${g.reason}`);
  }
}

/**
 * Expand `{manifests: ...}` entries of doc.workloads (doc is not modified). Returns the
 * new document, the origin of each entry of its workloads list, and the warnings about
 * what was skipped.
 */
export function expandManifests(doc: Record<string, unknown>, file: string, baseDir: string, cluster?: ClusterFiles): { doc: Record<string, unknown>; origins: Origin[]; warnings: string[]; entryOf: number[]; adopted: AdoptedPodSpec[] } {
  const workloads = doc.workloads;
  if (!Array.isArray(workloads)) return { doc, origins: [], warnings: [], entryOf: [], adopted: [] };
  // First every object, then the decisions that depend on the others (owners).
  const entries: ({ inline: unknown; origin: Origin; entry: number } | { found: Found; entry: number })[] = [];
  const skips = new Skips();
  workloads.forEach((entry, i) => {
    if (!isManifestsEntry(entry)) {
      entries.push({ inline: entry, origin: { file, path: ["workloads", i] }, entry: i });
      return;
    }
    const paths = Array.isArray(entry.manifests) ? entry.manifests : [entry.manifests];
    paths.forEach((p, k) => {
      const where: PathSegment[] = Array.isArray(entry.manifests) ? ["workloads", i, "manifests", k] : ["workloads", i, "manifests"];
      if (typeof p !== "string" || p === "") throw new ScenarioError(file, formatPath(where), "expected the path of a manifest file (YAML or JSON)");
      for (const found of readManifest(p, baseDir, file, where, skips, cluster)) entries.push({ found, entry: i });
    });
  });
  const deployments = new Set<string>();
  // DaemonSets and Jobs of the import: their pods are theirs to create.
  const daemonSets = new Set<string>();
  for (const e of entries) {
    const v = "found" in e ? e.found.value : e.inline;
    if (isObject(v) && v.kind === "Deployment") deployments.add(nsName(v));
    if (isObject(v) && (v.kind === "DaemonSet" || v.kind === "Job" || v.kind === "StatefulSet")) daemonSets.add(`${v.kind}/${nsName(v)}`);
  }
  const replicaSets = new Map<string, Record<string, unknown>>();
  for (const e of entries) if ("found" in e && e.found.value.kind === "ReplicaSet") replicaSets.set(nsName(e.found.value), e.found.value);

  const out: unknown[] = [];
  const origins: Origin[] = [];
  /** Per object out: the index of the workloads entry it came from. */
  const entryOf: number[] = [];
  const adopted: AdoptedPodSpec[] = [];
  const adoptedNames: string[] = [];
  for (const e of entries) {
    if ("inline" in e) {
      out.push(e.inline);
      origins.push(e.origin);
      entryOf.push(e.entry);
      continue;
    }
    const { value, file: from, path } = e.found;
    if (value.kind === "ReplicaSet") {
      checkReplicaSet(e.found, deployments, skips);
      continue;
    }
    // A mirror pod (a static pod the kubelet runs, owned by its Node) of a cluster export stays on its node: nothing reschedules it.
    const phase = isObject(value.status) ? value.status.phase : undefined;
    const mirror = value.kind === "Pod" && cluster?.files.has(from) === true && controllerOf(value)?.kind === "Node" && !(typeof phase === "string" && TERMINAL_PHASES.has(phase));
    const adopt = value.kind === "Pod" && !mirror && cluster?.files.has(from) === true ? adoptedPod(renamedNode(value, cluster.renameNodes), deployments, daemonSets, replicaSets) : undefined;
    if (adopt) {
      adopted.push(adopt);
      adoptedNames.push(adopt.name);
      continue;
    }
    if (value.kind === "Pod" && !mirror && skipPod(value, from, deployments, daemonSets, replicaSets, skips)) continue;
    out.push(value.kind === "Pod" && cluster?.files.has(from) ? renamedNode(value, cluster.renameNodes) : value);
    origins.push({ file: from, path });
    entryOf.push(e.entry);
  }
  const warnings = skips.warnings();
  if (adopted.length > 0) warnings.push(`${[...cluster!.files].join(", ")}: ${adopted.length} Pod${adopted.length === 1 ? "" : "s"} of Deployments, StatefulSets and DaemonSets (${examples(adoptedNames)}) stay on their nodes, adopted by their workloads`);
  return { doc: { ...doc, workloads: out }, origins, warnings, entryOf, adopted };
}

/**
 * A bound, not finished Pod of a cluster export whose controller chain ends at a workload
 * of the scenario: a Deployment (Pod -> ReplicaSet -> Deployment, or the ReplicaSet named
 * <deployment>-<pod-template-hash>), a StatefulSet or a DaemonSet. Every pod of a
 * Deployment counts as its current ReplicaSet's: kubesim starts a Deployment with one
 * ReplicaSet, so an export caught mid-rollout starts with the rollout done. [kubesim choice]
 */
function adoptedPod(pod: Record<string, unknown>, deployments: Set<string>, workloads: Set<string>, replicaSets: Map<string, Record<string, unknown>>): AdoptedPodSpec | undefined {
  const spec = pod.spec;
  if (!isObject(spec) || typeof spec.nodeName !== "string" || spec.nodeName === "") return undefined;
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  if (typeof phase === "string" && TERMINAL_PHASES.has(phase)) return undefined;
  const owner = controllerOf(pod);
  if (!owner) return undefined;
  const ns = meta(pod).namespace;
  const namespace = typeof ns === "string" && ns !== "" ? ns : "default";
  const base = { name: nameOf(pod), namespace, nodeName: spec.nodeName };
  if (owner.kind === "ReplicaSet") {
    const deployment = deploymentOfReplicaSet(pod, owner.name, replicaSets);
    return deployment !== undefined && deployments.has(nsName(pod, deployment)) ? { ...base, owner: `Deployment/${namespace}/${deployment}` } : undefined;
  }
  if ((owner.kind === "StatefulSet" || owner.kind === "DaemonSet") && workloads.has(`${owner.kind}/${nsName(pod, owner.name)}`)) return { ...base, owner: `${owner.kind}/${namespace}/${owner.name}` };
  return undefined;
}

/**
 * The files of a scenario's `cluster` section (clusterExport.ts): their Nodes are the
 * section's pools, and their bound Pods' nodes have new names.
 */
export interface ClusterFiles {
  files: Set<string>;
  renameNodes: Map<string, string>;
}

/** A bound pod of a cluster export, on its node's new name (a copy). */
function renamedNode(pod: Record<string, unknown>, renameNodes: Map<string, string>): Record<string, unknown> {
  const spec = pod.spec;
  if (!isObject(spec) || typeof spec.nodeName !== "string") return pod;
  const to = renameNodes.get(spec.nodeName);
  return to === undefined ? pod : { ...pod, spec: { ...spec, nodeName: to } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function meta(o: Record<string, unknown>): Record<string, unknown> {
  return isObject(o.metadata) ? o.metadata : {};
}

function nameOf(o: Record<string, unknown>): string {
  const n = meta(o).name;
  return typeof n === "string" ? n : "(unnamed)";
}

/** "namespace/name", the default namespace when none is given. */
function nsName(o: Record<string, unknown>, name = nameOf(o)): string {
  const ns = meta(o).namespace;
  return `${typeof ns === "string" && ns !== "" ? ns : "default"}/${name}`;
}

/** The ownerReference with controller: true (the object's managing controller), if any. */
function controllerOf(o: Record<string, unknown>): { kind: string; name: string } | undefined {
  const refs = meta(o).ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (isObject(r) && r.controller === true && typeof r.kind === "string" && typeof r.name === "string") return { kind: r.kind, name: r.name };
  }
  return undefined;
}

/** A ReplicaSet of a Deployment is skipped (the Deployment makes its own); any other is not modelled. */
function checkReplicaSet(f: Found, deployments: Set<string>, skips: Skips): void {
  const owner = controllerOf(f.value);
  if (owner?.kind !== "Deployment") throw notModelled(f.file, f.path, "ReplicaSet");
  if (deployments.has(nsName(f.value, owner.name))) {
    skips.add(f.file, "ReplicaSet", "each belongs to a Deployment in the scenario, which makes its own ReplicaSet", nameOf(f.value));
  } else {
    skips.add(f.file, "ReplicaSet", "their Deployment is not in the scenario and kubesim does not model bare ReplicaSets (add the Deployment to run their pods)", nameOf(f.value));
  }
}

/** Whether an imported Pod is skipped (and why, into skips). */
function skipPod(pod: Record<string, unknown>, file: string, deployments: Set<string>, daemonSets: Set<string>, replicaSets: Map<string, Record<string, unknown>>, skips: Skips): boolean {
  const name = nameOf(pod);
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  if (typeof phase === "string" && TERMINAL_PHASES.has(phase)) {
    skips.add(file, "Pod", "in phase Succeeded or Failed, they have finished and hold no resources", name);
    return true;
  }
  const owner = controllerOf(pod);
  if (!owner) return false;
  if (owner.kind === "ReplicaSet") {
    const deployment = deploymentOfReplicaSet(pod, owner.name, replicaSets);
    if (deployment !== undefined && deployments.has(nsName(pod, deployment))) {
      skips.add(file, "Pod", "replicas of a Deployment in the scenario, which creates its own", name);
    } else {
      skips.add(file, "Pod", "owned by a ReplicaSet whose Deployment is not in the scenario, and kubesim does not model bare ReplicaSets (add the Deployment to run them)", name);
    }
    return true;
  }
  if ((owner.kind === "DaemonSet" || owner.kind === "Job" || owner.kind === "StatefulSet") && daemonSets.has(`${owner.kind}/${nsName(pod, owner.name)}`)) {
    skips.add(file, "Pod", `pods of a ${owner.kind} in the scenario, which creates its own`, name);
    return true;
  }
  const modelled = owner.kind === "DaemonSet" || owner.kind === "Job" || owner.kind === "StatefulSet";
  skips.add(file, "Pod", `owned by a ${owner.kind}: ${modelled ? `its ${owner.kind} is not in the scenario (add it to run them)` : `kubesim does not model ${owner.kind}s yet`}, and as bare Pods nothing would recreate them`, name);
  return true;
}

/**
 * The Deployment behind a pod's ReplicaSet: the ReplicaSet's own controller when it is
 * in the import, else the name the Deployment controller gives its ReplicaSets,
 * `<deployment>-<pod-template-hash>` (pkg/controller/deployment/sync.go).
 */
function deploymentOfReplicaSet(pod: Record<string, unknown>, rsName: string, replicaSets: Map<string, Record<string, unknown>>): string | undefined {
  const rs = replicaSets.get(nsName(pod, rsName));
  if (rs) {
    const owner = controllerOf(rs);
    return owner?.kind === "Deployment" ? owner.name : undefined;
  }
  const labels = meta(pod).labels;
  const hash = isObject(labels) ? labels["pod-template-hash"] : undefined;
  if (typeof hash === "string" && rsName.endsWith(`-${hash}`)) return rsName.slice(0, -hash.length - 1);
  return undefined;
}

function notModelled(file: string, path: PathSegment[], kind: string): ScenarioError {
  return new ScenarioError(file, formatPath([...path, "kind"]), `expected Deployment, DaemonSet, StatefulSet, Job, Pod, PodDisruptionBudget, PriorityClass, Namespace or Service (kubesim does not model ${kind} yet), got ${JSON.stringify(kind)}`);
}

function readManifest(p: string, baseDir: string, scenarioFile: string, where: PathSegment[], skips: Skips, cluster?: ClusterFiles): Found[] {
  const full = isAbsolute(p) ? p : join(baseDir, p);
  const shown = isAbsolute(p) ? p : relative(process.cwd(), full) || p;
  const text = readInputFile(full, p, { file: scenarioFile, path: formatPath(where), noun: "manifest file" });
  const docs = parseYamlDocuments(shown, text);
  const objects: Found[] = [];
  const multi = docs.length > 1;
  for (const { value, index } of docs) {
    if (value === null || value === undefined) continue; // an empty document ("---" at the end)
    const base: PathSegment[] = multi ? ["documents", index] : [];
    const kind = isObject(value) ? value.kind : undefined;
    if (typeof kind === "string" && kind.endsWith("List") && Array.isArray((value as { items?: unknown }).items)) {
      ((value as { items: unknown[] }).items).forEach((item, ii) => collect(item, shown, [...base, "items", ii], objects, skips, cluster));
    } else {
      collect(value, shown, base, objects, skips, cluster);
    }
  }
  return objects;
}

function collect(value: unknown, file: string, path: PathSegment[], out: Found[], skips: Skips, cluster?: ClusterFiles): void {
  if (!isObject(value)) throw new ScenarioError(file, formatPath(path), "expected a Kubernetes object (a mapping with apiVersion and kind)");
  const kind = value.kind;
  if (typeof kind !== "string") throw new ScenarioError(file, formatPath([...path, "kind"]), "expected the kind of a Kubernetes object");
  if (RUN_KINDS.has(kind) || kind === "ReplicaSet") out.push({ value, file, path });
  else if (NOT_MODELLED.has(kind)) throw notModelled(file, path, kind);
  else if (kind === "Node" && cluster?.files.has(file)) return; // the cluster section's pools
  else if (kind === "Node") skips.add(file, "Node", "the scenario's nodes come from nodePools", nameOf(value));
  else skips.add(file, "object", "kinds that run no pods; kubesim reads Deployment, DaemonSet, StatefulSet, Job, Pod, PodDisruptionBudget, PriorityClass, Namespace and Service", `${kind} ${nameOf(value)}`);
}
