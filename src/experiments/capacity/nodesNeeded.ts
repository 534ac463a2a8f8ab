/**
 * The fewest nodes of one type to add so a workload schedules, optionally also after the
 * loss of any one zone (or node). Answered by placing the workload's pods (placement.ts)
 * on the cluster plus k new nodes, for k found by an exponential search (0, 1, 2, 4, ...
 * until the workload fits) and then a binary search between the last k that failed and
 * the first that fit. Every k tried is in the answer, with its outcome.
 *
 * The new nodes are copies of the node type (allocatable, labels, taints) named
 * <type>-<i>, spread over the cluster's zones round robin in the order the zones first
 * appear among the cluster's nodes (the node type's own zone label when the cluster has
 * none). Each new node runs the cluster's DaemonSets' pods where they fit (their
 * template with the daemon tolerations and node affinity to the node, as the DaemonSet
 * controller makes them), placed before the workload. With a loss, the lost zone's (node's) nodes, new ones included, are gone with
 * the pods bound to them; the workload must fit on what is left. The cluster's other
 * pods from the lost nodes are not placed again. [kubesim choice]
 * The search assumes more nodes never hurt (true of resource fit; placement is greedy,
 * so a required anti-affinity or spread constraint could in principle break it).
 */
import type { Node, Pod } from "../../model/types.js";
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from "../../model/wellKnown.js";
import type { SchedulerConfiguration } from "../../scheduler/config/schedulerConfig.js";
import type { ClusterObjects } from "../../scheduler/snapshot.js";
import { forNode, withDaemonTolerations } from "../../controllers/daemonSet/daemonPodTemplate.js";
import { placePods, type PodToPlace } from "./placement.js";

/** The largest number of new nodes tried when the caller sets none. [kubesim choice] */
export const DEFAULT_MAX_NEW_NODES = 1024;

export type Survive = "zone" | "node";

/** The search's input cannot be answered (no zones to lose, ...): a message for the user. */
export class CapacityInputError extends Error {}

export interface Trial {
  /** New nodes added. */
  nodes: number;
  /** Whether the whole workload fits (after every loss asked for). */
  fits: boolean;
  /** Pods placed in the case that failed (or all of them). */
  placed: number;
  /** The case that failed: "as is", "without zone eu-west-1a", "without node n-3". */
  failedCase?: string;
  /** The FailedScheduling message of the first pod that did not fit. */
  message?: string;
}

export interface NodesNeeded {
  /** Pods of the workload. */
  pods: number;
  survive: Survive | null;
  /** The fewest new nodes; null when even maxNodes do not do. */
  nodes: number | null;
  /** Every count tried, in the order tried. */
  search: Trial[];
  /** The zones the new nodes go to, round robin. */
  zones: string[];
  maxNodes: number;
}

function zoneOf(n: Node): string | undefined {
  return n.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
}

/** New node i of the type: its name and zone. */
function newNode(type: Node, base: string, i: number, zones: string[]): Node {
  const name = `${base}-${i}`;
  const labels: Record<string, string> = { ...(type.metadata?.labels ?? {}), [LABEL_HOSTNAME]: name };
  if (zones.length > 0) labels[LABEL_TOPOLOGY_ZONE] = zones[i % zones.length];
  return { ...type, metadata: { name, labels }, spec: { ...(type.spec ?? {}) }, status: { allocatable: type.status?.allocatable, capacity: type.status?.capacity ?? type.status?.allocatable } };
}

/** Where the search stands, before each placement (for a progress display). */
export interface SearchStatus {
  /** The count of new nodes being tried. */
  count: number;
  /** Cases of this count placed so far, and in all. */
  casesDone: number;
  cases: number;
  /** Counts tried before this one. */
  tried: number;
  /** The largest count known not to fit, the smallest known to fit. */
  failsAt?: number;
  fitsAt?: number;
}

export function nodesNeeded(
  cluster: ClusterObjects,
  workload: PodToPlace[],
  nodeType: Node,
  config: SchedulerConfiguration,
  opts: { survive?: Survive; maxNodes?: number; daemonSets?: Pod[]; onStatus?: (s: SearchStatus) => void } = {},
): NodesNeeded {
  const maxNodes = opts.maxNodes ?? DEFAULT_MAX_NEW_NODES;
  const survive = opts.survive ?? null;
  const clusterNodes = cluster.nodes ?? [];
  const zones: string[] = [];
  for (const n of clusterNodes) {
    const z = zoneOf(n);
    if (z !== undefined && !zones.includes(z)) zones.push(z);
  }
  if (zones.length === 0 && zoneOf(nodeType) !== undefined) zones.push(zoneOf(nodeType)!);
  if (survive === "zone" && zones.length < 2) {
    throw new CapacityInputError(`--survive zone: expected nodes in at least two zones (label ${LABEL_TOPOLOGY_ZONE}), found ${zones.length === 0 ? "none" : `only ${zones[0]}`}`);
  }
  const taken = new Set(clusterNodes.map((n) => n.metadata?.name ?? ""));
  const base = nodeType.metadata?.name || "new";
  let stem = base;
  for (let k = 2; clusterNodes.length > 0 && [...taken].some((t) => t.startsWith(`${stem}-`)); k++) stem = `${base}-${k}`;

  /** Whether the workload fits on the cluster plus `k` new nodes, without the nodes `lost` rejects. */
  const fitsWith = (k: number, lost: (n: Node) => boolean) => {
    const nodes = [...clusterNodes, ...Array.from({ length: k }, (_, i) => newNode(nodeType, stem, i, zones))].filter((n) => !lost(n));
    const names = new Set(nodes.map((n) => n.metadata!.name!));
    const pods = (cluster.pods ?? []).filter((p: Pod) => !p.spec?.nodeName || names.has(p.spec.nodeName));
    const daemons: PodToPlace[] = [];
    for (let i = 0; i < k; i++) {
      const node = `${stem}-${i}`;
      if (!names.has(node)) continue;
      for (const ds of opts.daemonSets ?? []) {
        const ns = ds.metadata?.namespace ?? "default";
        const name = `${ds.metadata?.name ?? "daemon"}-${node}`;
        daemons.push({ pod: { ...ds, metadata: { ...ds.metadata, name, namespace: ns }, spec: forNode(withDaemonTolerations(ds.spec ?? { containers: [] }), node) }, name: `${ns}/${name}`, optional: true });
      }
    }
    const all = [...daemons, ...workload];
    return placePods({ ...cluster, nodes, pods }, config, (i) => all[i] ?? null, all.length);
  };
  const search: Trial[] = [];
  const tried = new Map<number, boolean>();
  const attempt = (k: number): boolean => {
    const known = tried.get(k);
    if (known !== undefined) return known;
    const cases: { label: string; lost: (n: Node) => boolean }[] = [{ label: "as is", lost: () => false }];
    if (survive === "zone") for (const z of zones) cases.push({ label: `without zone ${z}`, lost: (n) => zoneOf(n) === z });
    if (survive === "node") {
      const all = [...clusterNodes.map((n) => n.metadata!.name!), ...Array.from({ length: k }, (_, i) => `${stem}-${i}`)];
      for (const name of all) cases.push({ label: `without node ${name}`, lost: (n) => n.metadata?.name === name });
    }
    let trial: Trial = { nodes: k, fits: true, placed: workload.length };
    for (const [i, c] of cases.entries()) {
      if (opts.onStatus) {
        const fails = search.filter((t) => !t.fits).map((t) => t.nodes);
        const fits = search.filter((t) => t.fits).map((t) => t.nodes);
        opts.onStatus({ count: k, casesDone: i, cases: cases.length, tried: search.length, failsAt: fails.length > 0 ? Math.max(...fails) : undefined, fitsAt: fits.length > 0 ? Math.min(...fits) : undefined });
      }
      const r = fitsWith(k, c.lost);
      if (r.stopped) {
        trial = { nodes: k, fits: false, placed: r.placed.length, failedCase: c.label, message: r.stopped.message };
        break;
      }
    }
    search.push(trial);
    tried.set(k, trial.fits);
    return trial.fits;
  };
  const answer = (nodes: number | null): NodesNeeded => ({ pods: workload.length, survive, nodes, search, zones, maxNodes });
  if (attempt(0)) return answer(0);
  let lo = 0;
  let hi = 1;
  while (!attempt(hi)) {
    lo = hi;
    if (hi === maxNodes) return answer(null);
    hi = Math.min(hi * 2, maxNodes);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (attempt(mid)) hi = mid;
    else lo = mid;
  }
  return answer(hi);
}
