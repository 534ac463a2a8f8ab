/**
 * The Deployment controller's rolling-update arithmetic (k/k pkg/controller/deployment:
 * util/deployment_util.go ResolveFenceposts, MaxUnavailable and NewRSNewReplicas, rolling.go
 * reconcileNewReplicaSet, reconcileOldReplicaSets, cleanupUnhealthyReplicas,
 * scaleDownOldReplicaSetsForRollingUpdate; facts in node-controller-facts.md §5.2). Pure
 * functions over replica counts, one per upstream function, so upstream's unit-test tables
 * carry over row for row (test/controllers/upstreamRollingTables.test.ts).
 */

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  const x = (Number(v.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1. */
export function resolveFenceposts(maxSurge: number | string, maxUnavailable: number | string, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/**
 * MaxUnavailable of a RollingUpdate Deployment: ResolveFenceposts' unavailable, 0 when
 * spec.replicas is 0 and never more than spec.replicas (upstream clamps it there, so
 * minAvailable = replicas - maxUnavailable is never negative).
 */
export function maxUnavailable(maxSurge: number | string, maxUnavailableValue: number | string, replicas: number): number {
  if (replicas === 0) return 0;
  return Math.min(resolveFenceposts(maxSurge, maxUnavailableValue, replicas).unavailable, replicas);
}

export interface RsCounts {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

/**
 * NewRSNewReplicas, RollingUpdate branch: the new ReplicaSet grows by what maxSurge leaves
 * above spec.replicas, never past spec.replicas; it stays as it is when all ReplicaSets
 * already hold replicas + maxSurge (even above spec.replicas: reconcileNewReplicaSet scales
 * that case down before asking).
 */
export function newRSNewReplicas(desired: number, surge: number, allReplicas: number, newReplicas: number): number {
  const maxTotal = desired + surge;
  if (allReplicas >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - allReplicas, desired - newReplicas);
}

/** reconcileNewReplicaSet: the new ReplicaSet's replicas after one sync (back to spec.replicas when above it). */
export function newReplicaSetReplicas(desired: number, surge: number, allReplicas: number, newReplicas: number): number {
  if (newReplicas >= desired) return desired;
  return newRSNewReplicas(desired, surge, allReplicas, newReplicas);
}

/**
 * cleanupUnhealthyReplicas: old ReplicaSets (oldest first) lose their unavailable replicas,
 * at most `maxCleanupCount` in all. Returns their new replicas and how many went.
 */
export function cleanupUnhealthyReplicas(old: readonly RsCounts[], maxCleanupCount: number): { replicas: number[]; cleaned: number } {
  const replicas = old.map((r) => r.replicas);
  let cleaned = 0;
  for (let i = 0; i < old.length && cleaned < maxCleanupCount; i++) {
    const unhealthy = old[i].replicas - old[i].available;
    if (old[i].replicas === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxCleanupCount - cleaned, unhealthy);
    replicas[i] -= down;
    cleaned += down;
  }
  return { replicas, cleaned };
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate: with `available` pods in all ReplicaSets and
 * minAvailable = desired - maxUnavailable, the old ReplicaSets (spec.replicas, oldest
 * first) give up available - minAvailable replicas, oldest first.
 */
export function scaleDownOldReplicaSetsForRollingUpdate(desired: number, maxUnavailableCount: number, available: number, old: readonly number[]): { replicas: number[]; scaledDown: number } {
  const replicas = [...old];
  const minAvailable = desired - maxUnavailableCount;
  if (available <= minAvailable) return { replicas, scaledDown: 0 };
  const total = available - minAvailable;
  let scaledDown = 0;
  for (let i = 0; i < replicas.length && scaledDown < total; i++) {
    if (replicas[i] === 0) continue;
    const down = Math.min(replicas[i], total - scaledDown);
    replicas[i] -= down;
    scaledDown += down;
  }
  return { replicas, scaledDown };
}

/**
 * reconcileOldReplicaSets: the old ReplicaSets' replicas after one sync (oldest first in
 * `old`; `maxUnavailableCount` as MaxUnavailable gives it): first their unhealthy replicas
 * within maxScaledDown, then as many as the available pods above minAvailable allow.
 */
export function oldReplicaSetsReplicas(desired: number, maxUnavailableCount: number, old: readonly RsCounts[], current: RsCounts): number[] {
  const oldPods = old.reduce((n, r) => n + r.replicas, 0);
  if (oldPods === 0) return old.map((r) => r.replicas);
  const allPods = oldPods + current.replicas;
  const minAvailable = desired - maxUnavailableCount;
  const newUnavailable = current.replicas - current.available;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return old.map((r) => r.replicas);
  const { replicas } = cleanupUnhealthyReplicas(old, maxScaledDown);
  // The cleaned ReplicaSets keep their status: availableReplicas is read as before the cleanup.
  const available = old.reduce((n, r) => n + r.available, 0) + current.available;
  return scaleDownOldReplicaSetsForRollingUpdate(desired, maxUnavailableCount, available, replicas).replicas;
}
