/**
 * A real cluster as a scenario's initial state (`cluster:` section, sections/cluster.ts).
 * Before validation, the export's objects become ordinary scenario input, so everything
 * downstream (validation, admission, resolve, the run) is the path every scenario takes:
 *
 * - Nodes become node pools: grouped by the value of `poolLabel` (default
 *   node.kubernetes.io/instance-type), then split where allocatable, taints or the
 *   presence of a zone differ (a pool's nodes are identical but for their zone). A
 *   pool's labels are those its nodes share; labels whose value differs between its
 *   nodes (a node's IP, a per-node id) are dropped and listed in the warning. Each pool
 *   keeps its nodes' zones exactly (zone weights = nodes per zone, spread round-robin).
 *   Nodes are renamed <pool>-<index> (the name faults and actions use) and the mapping
 *   is printed; the pool name is the label value as a DNS label (m6i.2xlarge ->
 *   m6i-2xlarge, then m6i-2xlarge-2, ... for the splits), `unlabelled` without it.
 *   A cordoned node (spec.unschedulable) keeps the node.kubernetes.io/unschedulable
 *   taint the node lifecycle controller gives it.
 * - Everything else is a `{manifests: files}` workloads entry (manifests.ts), with the
 *   export's Node objects expected there and each bare Pod's spec.nodeName renamed to
 *   its node's new name, so it stays bound where it is; mirror pods (owned by their
 *   Node) stay bound too, and the bound pods of its Deployments, StatefulSets and
 *   DaemonSets are adopted by them (manifests.ts, run/adoptedPods.ts).
 * - Fields kubesim does not model are ignored and named once, in one warning.
 */
import { isAbsolute, join, relative } from "node:path";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import { readInputFile } from "./inputFile.js";
import { parseYamlDocuments } from "./yamlInput.js";
import { spreadOverZones } from "./resolve.js";
import { examples } from "./manifests.js";
import { DEFAULT_POOL_LABEL, FILES_EXPECTED } from "./sections/cluster.js";
import { LABEL_HOSTNAME, LABEL_NODE_POOL, LABEL_TOPOLOGY_ZONE, TAINT_NODE_UNSCHEDULABLE } from "../model/wellKnown.js";

/** The deprecated zone label (v1.LabelFailureDomainBetaZone), read when the GA one is absent. */
const LABEL_BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
/** The pool of nodes without the pool label. [kubesim choice] */
const UNLABELLED_POOL = "unlabelled";
/** Longest pool name: node names <pool>-<index> stay DNS labels for pools of up to 10^6 nodes. [kubesim choice] */
const MAX_POOL_NAME = 55;

/** The Node fields kubesim reads; any other field of a Node is ignored and named in the warning. */
const NODE_FIELDS_READ = new Set(["apiVersion", "kind", "metadata.name", "metadata.labels", "spec.taints", "spec.unschedulable", "status.allocatable"]);
/** Bookkeeping every object carries and kubesim does not model (the API server's and the field manager's). */
const META_IGNORED = ["metadata.managedFields", "metadata.resourceVersion", "metadata.uid", "metadata.creationTimestamp", "metadata.generation", "metadata.selfLink"];

export interface ClusterExpansion {
  /** The document with the export's pools appended to nodePools and a manifests entry appended to workloads. */
  doc: Record<string, unknown>;
  /** Old node name -> <pool>-<index>, for the bound pods. */
  renameNodes: Map<string, string>;
  /** The export files as the manifests reader shows them: their Nodes are this section's. */
  clusterFiles: Set<string>;
  warnings: string[];
}

interface ExportNode {
  name: string;
  file: string;
  path: PathSegment[];
  labels: Record<string, string>;
  zone: string | undefined;
  allocatable: Record<string, string | number>;
  taints: { key: string; value?: string; effect: string }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Expand doc.cluster (doc is not modified); returns undefined when there is no cluster section. */
export function expandCluster(doc: Record<string, unknown>, file: string, baseDir: string): ClusterExpansion | undefined {
  const section = doc.cluster;
  if (section === undefined) return undefined;
  // The section's shape is checked here, before the pools it makes are: a wrong one would otherwise show as missing nodePools.
  if (!isObject(section)) throw new ScenarioError(file, "cluster", "expected a mapping {files, poolLabel}");
  const files = typeof section.files === "string" && section.files !== "" ? [section.files] : Array.isArray(section.files) && section.files.length > 0 && section.files.every((f) => typeof f === "string" && f !== "") ? (section.files as string[]) : undefined;
  if (files === undefined) throw new ScenarioError(file, "cluster.files", FILES_EXPECTED);
  const poolLabel = typeof section.poolLabel === "string" && section.poolLabel !== "" ? section.poolLabel : DEFAULT_POOL_LABEL;

  const nodes: ExportNode[] = [];
  const ignored = new Map<string, Set<string>>();
  const statusOf = new Set<string>();
  const shownFiles = new Set<string>();
  files.forEach((p, k) => {
    const where: PathSegment[] = typeof section.files === "string" ? ["cluster", "files"] : ["cluster", "files", k];
    const full = isAbsolute(p) ? p : join(baseDir, p);
    const shown = isAbsolute(p) ? p : relative(process.cwd(), full) || p;
    shownFiles.add(shown);
    const text = readInputFile(full, p, { file, path: formatPath(where), noun: "cluster export" });
    const docs = parseYamlDocuments(shown, text);
    for (const { value, index } of docs) {
      if (value === null || value === undefined) continue;
      const base: PathSegment[] = docs.length > 1 ? ["documents", index] : [];
      const items = isObject(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items) ? value.items.map((it, i) => ({ it, path: [...base, "items", i] })) : [{ it: value, path: base }];
      for (const { it, path } of items) {
        if (!isObject(it)) continue; // the manifests reader reports it, at its path
        const kind = typeof it.kind === "string" ? it.kind : "";
        for (const f of META_IGNORED) if (hasPath(it, f)) addIgnored(ignored, "every object", f);
        if (kind === "Node") {
          nodes.push(readNode(it, shown, path));
          for (const f of fieldPaths(it)) if (!NODE_FIELDS_READ.has(f) && !META_IGNORED.includes(f)) addIgnored(ignored, "Node", f);
        } else if (it.status !== undefined) statusOf.add(kind);
      }
    }
  });
  if (nodes.length === 0) throw new ScenarioError(file, "cluster.files", `expected at least one Node object in ${files.join(", ")} (kubectl get nodes,pods,... -o yaml)`);
  const seen = new Map<string, ExportNode>();
  for (const n of nodes) {
    const other = seen.get(n.name);
    if (other) throw new ScenarioError(n.file, formatPath([...n.path, "metadata", "name"]), `expected each node once, got ${JSON.stringify(n.name)} again (first at ${formatPath(other.path) || "the top"} of ${other.file})`);
    seen.set(n.name, n);
  }

  const existing = Array.isArray(doc.nodePools) ? (doc.nodePools as unknown[]) : [];
  const taken = new Set(existing.map((p) => (isObject(p) && typeof p.name === "string" ? p.name : "")));
  const { pools, renameNodes, differing, resources } = buildPools(nodes, poolLabel, taken);
  if (resources.size > 0) addIgnored(ignored, "Node", `status.allocatable of ${[...resources].sort().join(", ")} (not a resource the scheduler counts)`);
  if (differing.size > 0) addIgnored(ignored, "Node", `metadata.labels that differ between the nodes of a pool (${[...differing].sort().join(", ")})`);

  const workloads = Array.isArray(doc.workloads) ? (doc.workloads as unknown[]) : doc.workloads === undefined ? [] : undefined;
  const out: Record<string, unknown> = {
    ...doc,
    nodePools: [...existing, ...pools.map((p) => p.pool)],
    // A malformed workloads value is the schema's to report.
    workloads: workloads === undefined ? doc.workloads : [...workloads, { manifests: files }],
  };
  const warnings = [
    `${[...shownFiles].join(", ")}: ${nodes.length} Node${nodes.length === 1 ? "" : "s"} become ${pools.length === 1 ? "pool" : "pools"} ${pools.map((p) => `${p.pool.name} (${p.pool.count})`).join(", ")} by label ${poolLabel}; nodes are named <pool>-<index> (${examples([...renameNodes].map(([a, b]) => `${a} -> ${b}`))}) and bound pods follow them`,
  ];
  const parts = [...ignored].map(([kind, fields]) => `${kind}: ${[...fields].sort().join(", ")}`);
  if (statusOf.size > 0) parts.push(`status of ${[...statusOf].sort().join(", ")} (kubesim's components write their own)`);
  if (parts.length > 0) warnings.push(`${[...shownFiles].join(", ")}: ignored, not modelled: ${parts.join("; ")}`);
  return { doc: out, renameNodes, clusterFiles: shownFiles, warnings };
}

function addIgnored(into: Map<string, Set<string>>, kind: string, field: string): void {
  let s = into.get(kind);
  if (!s) into.set(kind, (s = new Set()));
  s.add(field);
}

function hasPath(o: Record<string, unknown>, dotted: string): boolean {
  let v: unknown = o;
  for (const k of dotted.split(".")) {
    if (!isObject(v) || !(k in v)) return false;
    v = v[k];
  }
  return true;
}

/** The fields of an object to depth two ("kind", "status.conditions"), for the ignored list. */
function fieldPaths(o: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (isObject(v) && Object.keys(v).length > 0) for (const k2 of Object.keys(v)) out.push(`${k}.${k2}`);
    else out.push(k);
  }
  return out;
}

function readNode(o: Record<string, unknown>, file: string, path: PathSegment[]): ExportNode {
  const err = (inner: PathSegment[], expected: string) => new ScenarioError(file, formatPath([...path, ...inner]), expected);
  const meta = isObject(o.metadata) ? o.metadata : {};
  if (typeof meta.name !== "string" || meta.name === "") throw err(["metadata", "name"], "expected the node's name");
  const labels: Record<string, string> = {};
  if (meta.labels !== undefined) {
    if (!isObject(meta.labels)) throw err(["metadata", "labels"], "expected a mapping of strings");
    for (const [k, v] of Object.entries(meta.labels)) {
      if (typeof v !== "string") throw err(["metadata", "labels", k], "expected a string value");
      labels[k] = v;
    }
  }
  const status = isObject(o.status) ? o.status : {};
  if (!isObject(status.allocatable)) throw err(["status", "allocatable"], "expected the node's allocatable resources (kubectl get nodes -o yaml prints them under status)");
  const allocatable: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(status.allocatable)) {
    if (typeof v !== "string" && typeof v !== "number") throw err(["status", "allocatable", k], "expected a quantity");
    allocatable[k] = v;
  }
  for (const r of ["cpu", "memory"]) if (allocatable[r] === undefined) throw err(["status", "allocatable", r], `expected the node's allocatable ${r}`);
  const spec = isObject(o.spec) ? o.spec : {};
  const taints: ExportNode["taints"] = [];
  if (spec.taints !== undefined) {
    if (!Array.isArray(spec.taints)) throw err(["spec", "taints"], "expected a list of taints");
    spec.taints.forEach((t, i) => {
      if (!isObject(t) || typeof t.key !== "string" || typeof t.effect !== "string") throw err(["spec", "taints", i], "expected a taint {key, value, effect}");
      // timeAdded is the node lifecycle controller's bookkeeping: not modelled.
      taints.push(typeof t.value === "string" && t.value !== "" ? { key: t.key, value: t.value, effect: t.effect } : { key: t.key, effect: t.effect });
    });
  }
  if (spec.unschedulable === true && !taints.some((t) => t.key === TAINT_NODE_UNSCHEDULABLE)) taints.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: "NoSchedule" });
  const zone = labels[LABEL_TOPOLOGY_ZONE] ?? labels[LABEL_BETA_ZONE];
  return { name: meta.name, file, path, labels, zone, allocatable, taints };
}

/** A label value as a pool name (a DNS label). */
function poolName(value: string | undefined): string {
  if (value === undefined) return UNLABELLED_POOL;
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_POOL_NAME)
    .replace(/-+$/, "");
  return s === "" ? UNLABELLED_POOL : s;
}

/**
 * Resources the scheduler's NodeResourcesFit counts: the native ones and extended
 * resources (domain-qualified, example.com/gpu). Others in allocatable, such as the
 * legacy attachable-volumes-aws-ebs of in-tree volume limits, are ignored (volume limits
 * are not modelled).
 */
const SCHEDULED_RESOURCE = /^(cpu|memory|pods|ephemeral-storage|hugepages-.+|.+\/.+)$/;

/** Zero quantities ("0", 0, "0Ki"): a resource of none allocatable is the resource absent. */
const ZERO = /^0+(\.0*)?([a-zA-Z]+)?$/;

/**
 * status.allocatable as the nodePools section takes it: pods as an integer (a count), and
 * resources of zero left out (hugepages-1Gi: "0" on most nodes), so nodes that list them
 * and nodes that do not are one pool.
 */
function poolAllocatable(a: Record<string, string | number>, ignored?: Set<string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(a)) {
    if (k !== "cpu" && k !== "memory" && k !== "pods" && ZERO.test(String(v))) continue;
    if (!SCHEDULED_RESOURCE.test(k)) {
      ignored?.add(k);
      continue;
    }
    out[k] = k === "pods" && typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

function buildPools(nodes: ExportNode[], poolLabel: string, taken: Set<string>) {
  // Groups in order of first appearance: by label value, then by what makes nodes differ.
  const groups = new Map<string, { value: string | undefined; nodes: ExportNode[] }>();
  for (const n of nodes) {
    const value = n.labels[poolLabel];
    const key = JSON.stringify([value ?? null, Object.entries(poolAllocatable(n.allocatable)).sort(), n.taints, n.zone === undefined]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { value, nodes: [] }));
    g.nodes.push(n);
  }
  const renameNodes = new Map<string, string>();
  const differing = new Set<string>();
  const resources = new Set<string>();
  const pools: { pool: Record<string, unknown> }[] = [];
  const used = new Set(taken);
  for (const g of groups.values()) {
    const stem = poolName(g.value);
    let name = stem;
    for (let k = 2; used.has(name); k++) name = `${stem}-${k}`;
    used.add(name);
    // Labels every node of the pool has with the same value; the per-node ones are kubesim's to set.
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(g.nodes[0].labels)) {
      if (k === LABEL_HOSTNAME || k === LABEL_TOPOLOGY_ZONE || k === LABEL_BETA_ZONE || k === LABEL_NODE_POOL) continue;
      if (g.nodes.every((n) => n.labels[k] === v)) labels[k] = v;
      else differing.add(k);
    }
    for (const n of g.nodes) for (const k of Object.keys(n.labels)) if (!(k in labels) && k !== LABEL_HOSTNAME && k !== LABEL_TOPOLOGY_ZONE && k !== LABEL_BETA_ZONE && k !== LABEL_NODE_POOL) differing.add(k);
    const pool: Record<string, unknown> = { name, count: g.nodes.length, allocatable: poolAllocatable(g.nodes[0].allocatable, resources) };
    if (Object.keys(labels).length > 0) pool.labels = labels;
    if (g.nodes[0].taints.length > 0) pool.taints = g.nodes[0].taints;
    if (g.nodes[0].zone !== undefined) {
      // Zone weights are the node counts: one round of the smooth round-robin gives each zone exactly its nodes.
      const counts = new Map<string, number>();
      for (const n of g.nodes) counts.set(n.zone!, (counts.get(n.zone!) ?? 0) + 1);
      const zones = [...counts].map(([zone, weight]) => ({ name: zone, weight }));
      pool.zones = zones.every((z) => z.weight === zones[0].weight) ? zones.map((z) => z.name) : zones;
      const order = spreadOverZones(zones, g.nodes.length);
      const free = new Map<string, number[]>();
      order.forEach((z, i) => {
        if (!free.has(z)) free.set(z, []);
        free.get(z)!.push(i);
      });
      for (const n of g.nodes) renameNodes.set(n.name, `${name}-${free.get(n.zone!)!.shift()!}`);
    } else {
      g.nodes.forEach((n, i) => renameNodes.set(n.name, `${name}-${i}`));
    }
    pools.push({ pool });
  }
  return { pools, renameNodes, differing, resources };
}
