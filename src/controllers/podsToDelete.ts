/**
 * Which pods a ReplicaSet deletes when it has too many (getPodsToDelete and
 * getPodsRankedByRelatedPodsOnSameNode, k/k pkg/controller/replicaset/replica_set.go;
 * ActivePodsWithRanks.Less, pkg/controller/controller_utils.go): the first `count` of its
 * pods sorted by
 *   1. not bound to a node before bound;
 *   2. Pending (bound or not) before Running;
 *   3. not ready before ready;
 *   4. more active related pods (the Deployment's pods of every ReplicaSet) on the same
 *      node before fewer ("doubled up");
 *   5. both ready: ready more recently before longer ago, on upstream's logarithmic scale
 *      (LogarithmicScaleDown, GA and locked on since 1.31): floor(log2(now - readyTime in
 *      ns)); two different times in one bucket are decided by pod UID there;
 *   6. more container restarts before fewer;
 *   7. created more recently before earlier, on the same logarithmic scale;
 * then by pod row, kubesim's stand-in for the UID comparison (upstream's UIDs are random,
 * so any fixed order is as good; the row keeps the run deterministic). The
 * pod-deletion-cost annotation is not read. The ready time is the PodReady condition's
 * last transition to True: when the pod started Running (kubesim has no readiness
 * probes yet), or when it was reported Ready again after being marked not ready.
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import { PodPhase, type PodTable } from "../model/podTable.js";

/** Nanoseconds per microsecond: upstream takes the log of a time.Duration (ns). */
const NS_PER_US = 1000;

/** podPhaseToOrdinal: Pending 0 < Unknown 1 < Running 2 (kubesim's Scheduled is a bound Pending pod; it has no Unknown). */
function phaseOrdinal(t: PodTable, p: number): number {
  return t.phase[p] === PodPhase.Running ? 2 : t.phase[p] === PodPhase.Pending || t.phase[p] === PodPhase.Scheduled ? 0 : 1;
}

function isReady(t: PodTable, p: number): boolean {
  return t.phase[p] === PodPhase.Running && t.ready[p] === 1;
}

/** controller.IsPodActive: not Succeeded or Failed (or gone), no deletionTimestamp. */
function isActive(t: PodTable, p: number): boolean {
  const ph = t.phase[p];
  return ph !== PodPhase.Succeeded && ph !== PodPhase.Failed && ph !== PodPhase.Deleted && t.deletionUs[p] < 0;
}

/**
 * The bucket logarithmicRankDiff puts a time in: floor(log2(now - time)) with the age in
 * nanoseconds, -1 for an age <= 0. Exact integer floor (powers of two are exact doubles).
 */
export function logBucket(timeUs: number, nowUs: number): number {
  const ageNs = (nowUs - timeUs) * NS_PER_US;
  if (ageNs <= 0) return -1;
  let r = Math.floor(Math.log2(ageNs));
  if (2 ** r > ageNs) r--;
  else if (2 ** (r + 1) <= ageNs) r++;
  return r;
}

/**
 * ActivePodsWithRanks.Less as a comparator: < 0 when pod `a` (with its rank) goes before
 * `b`, > 0 when after, 0 when upstream would fall through to the UID comparison (equal
 * in every field, or two ready or creation times in one logarithmic bucket).
 */
export function compareForDeletion(t: PodTable, a: number, rankA: number, b: number, rankB: number, nowUs: number): number {
  const boundA = t.node[a] >= 0 ? 1 : 0;
  const boundB = t.node[b] >= 0 ? 1 : 0;
  if (boundA !== boundB) return boundA - boundB;
  const phase = phaseOrdinal(t, a) - phaseOrdinal(t, b);
  if (phase !== 0) return phase;
  const readyA = isReady(t, a);
  const readyB = isReady(t, b);
  if (readyA !== readyB) return readyA ? 1 : -1;
  if (rankA !== rankB) return rankB - rankA;
  if (readyA && readyB && t.readyUs[a] !== t.readyUs[b]) return logBucket(t.readyUs[a], nowUs) - logBucket(t.readyUs[b], nowUs);
  if (t.restarts[a] !== t.restarts[b]) return t.restarts[b] - t.restarts[a];
  if (t.createdUs[a] !== t.createdUs[b]) return logBucket(t.createdUs[a], nowUs) - logBucket(t.createdUs[b], nowUs);
  return 0;
}

/**
 * The first `count` of `pods` in deletion order. `related` are the pods whose placement
 * ranks them (upstream's getIndirectlyRelatedPods: every pod of every ReplicaSet of the same
 * Deployment); only active ones count. It defaults to `pods`.
 */
export function podsToDelete(pods: readonly number[], count: number, cluster: ClusterState, related: Iterable<number> = pods): number[] {
  const t = cluster.pods;
  const onNode = new Map<number, number>();
  for (const p of related) if (t.node[p] >= 0 && isActive(t, p)) onNode.set(t.node[p], (onNode.get(t.node[p]) ?? 0) + 1);
  const rank = (p: number) => (t.node[p] >= 0 ? (onNode.get(t.node[p]) ?? 0) : 0);
  const now = cluster.now;
  const sorted = [...pods].sort((a, b) => compareForDeletion(t, a, rank(a), b, rank(b), now) || b - a);
  return sorted.slice(0, count);
}
