/**
 * How many more copies of a pod fit on a cluster (cluster-capacity's question): copies
 * `<name>-1`, `<name>-2`, ... are placed one by one (placement.ts) until one does not
 * fit; the answer is the count, where they landed (per node) and why the next one does
 * not fit (the FailedScheduling message and each node's reasons).
 */
import type { Pod } from "../../model/types.js";
import type { SchedulerConfiguration } from "../../scheduler/config/schedulerConfig.js";
import type { ClusterObjects } from "../../scheduler/snapshot.js";
import { placePods, type Unschedulable } from "./placement.js";

/**
 * At most this many copies when the caller sets no limit. [kubesim choice] Every copy
 * takes one of a node's allocatable pods (kubelet maxPods, 110 by default), so the count
 * is bounded anyway; this bounds the run time for pods of no requests on big clusters.
 */
export const DEFAULT_MAX_COPIES = 10_000;

export interface PodCapacity {
  /** The pod as "namespace/name". */
  pod: string;
  /** Copies that fit. */
  copies: number;
  /** Copies per node, every node of the cluster in its order (0 where none landed). */
  nodes: { name: string; copies: number }[];
  /** Why copy copies+1 does not fit; null when the limit stopped the search. */
  stoppedBy: Unschedulable | null;
  /** The limit on copies that was in force. */
  limit: number;
}

export function podCapacity(objs: ClusterObjects, pod: Pod, config: SchedulerConfiguration, limit = DEFAULT_MAX_COPIES): PodCapacity {
  const ns = pod.metadata?.namespace ?? "default";
  const base = pod.metadata?.name ?? "pod";
  const name = `${ns}/${base}`;
  const copy = (i: number): Pod => ({ ...pod, metadata: { ...pod.metadata, name: `${base}-${i + 1}`, namespace: ns } });
  const r = placePods(objs, config, (i) => ({ pod: copy(i), name: `${ns}/${base}-${i + 1}` }), limit);
  const perNode = new Map<string, number>();
  for (const n of r.snapshot.nodes.names) perNode.set(n, 0);
  for (const p of r.placed) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
  return { pod: name, copies: r.placed.length, nodes: [...perNode].map(([n, c]) => ({ name: n, copies: c })), stoppedBy: r.stopped, limit };
}
