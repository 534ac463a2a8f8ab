/**
 * Which pods a ReplicaSet deletes when it has too many (getPodsToDelete with
 * ActivePodsWithRanks, k/k pkg/controller/controller_utils.go; order recalled from upstream):
 * the first `count` of its pods sorted by
 *   1. not bound to a node before bound;
 *   2. Pending before Running;
 *   3. not ready before ready;
 *   4. more of the ReplicaSet's pods on the same node before fewer ("doubled up");
 *   5. ready for less time before longer;
 *   6. more container restarts before fewer;
 *   7. created later before earlier;
 * then by pod row, so the order is total. The pod-deletion-cost annotation is not read.
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import { PodPhase } from "../model/podTable.js";

export function podsToDelete(pods: readonly number[], count: number, cluster: ClusterState): number[] {
  const t = cluster.pods;
  const onNode = new Map<number, number>();
  for (const p of pods) if (t.node[p] >= 0) onNode.set(t.node[p], (onNode.get(t.node[p]) ?? 0) + 1);
  const bound = (p: number) => (t.node[p] >= 0 ? 1 : 0);
  const phase = (p: number) => (t.phase[p] === PodPhase.Running ? 2 : t.phase[p] === PodPhase.Pending || t.phase[p] === PodPhase.Scheduled ? 0 : 1);
  const ready = (p: number) => (t.phase[p] === PodPhase.Running && t.ready[p] === 1 ? 1 : 0);
  const rank = (p: number) => (t.node[p] >= 0 ? onNode.get(t.node[p])! : 0);
  const sorted = [...pods].sort(
    (a, b) =>
      bound(a) - bound(b) ||
      phase(a) - phase(b) ||
      ready(a) - ready(b) ||
      rank(b) - rank(a) ||
      (ready(a) && ready(b) ? t.runningUs[b] - t.runningUs[a] : 0) ||
      t.restarts[b] - t.restarts[a] ||
      t.createdUs[b] - t.createdUs[a] ||
      b - a,
  );
  return sorted.slice(0, count);
}
