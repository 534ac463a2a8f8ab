/**
 * The Deployment controller's rolling-update arithmetic (k/k pkg/controller/deployment:
 * util/deployment_util.go ResolveFenceposts and NewRSNewReplicas, rolling.go
 * reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate;
 * facts in node-controller-facts.md §5.2). Pure functions over replica counts.
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

export interface RsCounts {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

/** NewRSNewReplicas for RollingUpdate: the new ReplicaSet's replicas after one sync. */
export function newReplicaSetReplicas(desired: number, surge: number, allReplicas: number, newReplicas: number): number {
  if (newReplicas >= desired) return desired;
  const maxTotal = desired + surge;
  if (allReplicas >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - allReplicas, desired - newReplicas);
}

/**
 * reconcileOldReplicaSets: the old ReplicaSets' replicas after one sync (oldest first in
 * `old`): first their unhealthy replicas within maxScaledDown, then as many as the
 * available pods above minAvailable allow, oldest first.
 */
export function oldReplicaSetsReplicas(desired: number, unavailable: number, old: readonly RsCounts[], current: RsCounts): number[] {
  const out = old.map((r) => r.replicas);
  const oldPods = out.reduce((a, b) => a + b, 0);
  if (oldPods === 0) return out;
  const allPods = oldPods + current.replicas;
  const minAvailable = desired - unavailable;
  const newUnavailable = current.replicas - current.available;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  // cleanupUnhealthyReplicas
  let cleaned = 0;
  old.forEach((r, i) => {
    if (cleaned >= maxScaledDown || out[i] === 0) return;
    const unhealthy = out[i] - r.available;
    if (unhealthy <= 0) return;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    out[i] -= down;
    cleaned += down;
  });
  // scaleDownOldReplicaSetsForRollingUpdate
  const available = old.reduce((a, r) => a + r.available, 0) + current.available;
  if (available <= minAvailable) return out;
  const total = available - minAvailable;
  let done = 0;
  for (let i = 0; i < out.length && done < total; i++) {
    if (out[i] === 0) continue;
    const down = Math.min(out[i], total - done);
    out[i] -= down;
    done += down;
  }
  return out;
}
