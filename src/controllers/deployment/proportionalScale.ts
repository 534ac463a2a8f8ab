/**
 * The Deployment controller's scaling sync (k/k pkg/controller/deployment/sync.go scale;
 * util/deployment_util.go FindActiveOrLatest, IsSaturated, GetReplicaSetProportion,
 * getReplicaSetFraction): what spec.replicas a change of the Deployment's replicas gives
 * each ReplicaSet, also in the middle of a rollout. Pure function over replica counts.
 *
 * - One active ReplicaSet (spec.replicas > 0), or none (then the newest): it takes them all.
 * - The new ReplicaSet saturated (all replicas, annotated for them, all available): the old
 *   ones go to 0.
 * - Else, with RollingUpdate, proportional scaling: the Deployment may have replicas +
 *   maxSurge pods (0 when scaled to 0); the difference to the ReplicaSets' sum is spread
 *   over the active ReplicaSets in proportion to their size, each getting
 *   round(replicas * (replicas + maxSurge) / its deployment.kubernetes.io/max-replicas
 *   annotation) - replicas, bounded by what is left to spread; larger ReplicaSets first (on
 *   equal sizes the newer first when scaling up, the older first when scaling down), and
 *   what rounding left over goes to the first, never below 0.
 */

export interface ScaledRs {
  /** spec.replicas */
  replicas: number;
  /** deployment.kubernetes.io/desired-replicas: the Deployment's replicas when it last scaled this ReplicaSet (0 = none). */
  desiredAnnotation: number;
  /** deployment.kubernetes.io/max-replicas: those replicas + maxSurge then (0 = none). */
  maxAnnotation: number;
  /** status.availableReplicas */
  available: number;
}

/**
 * scale(): the ReplicaSets' spec.replicas after the scaling sync. `list` is oldest first
 * (creation order), `current` the index of the new ReplicaSet (-1: none, the template
 * changed while paused); `statusReplicas` is the Deployment's status.replicas (the
 * proportion's fallback without annotation).
 */
export function scaleReplicaSets(desired: number, surge: number, rollingUpdate: boolean, statusReplicas: number, list: readonly ScaledRs[], current: number): number[] {
  const out = list.map((r) => r.replicas);
  const active: number[] = [];
  list.forEach((r, i) => r.replicas > 0 && active.push(i));
  // FindActiveOrLatest
  if (active.length <= 1) {
    const only = active.length === 1 ? active[0] : current >= 0 ? current : list.length - 1;
    if (only >= 0) out[only] = desired;
    return out;
  }
  // IsSaturated
  if (current >= 0) {
    const c = list[current];
    if (c.replicas === desired && c.desiredAnnotation === desired && c.available === desired) {
      for (const i of active) if (i !== current) out[i] = 0;
      return out;
    }
  }
  if (!rollingUpdate) return out;
  const allowed = desired > 0 ? desired + surge : 0;
  let sum = 0;
  for (const i of active) sum += list[i].replicas;
  const toAdd = allowed - sum;
  if (toAdd === 0) return out;
  // ReplicaSetsBySizeNewer (up) or ReplicaSetsBySizeOlder (down); the list index is the creation order
  active.sort((a, b) => list[b].replicas - list[a].replicas || (toAdd > 0 ? b - a : a - b));
  let added = 0;
  for (const i of active) {
    const p = proportion(list[i], desired, surge, statusReplicas, toAdd, added);
    out[i] = list[i].replicas + p;
    added += p;
  }
  const first = active[0];
  out[first] = Math.max(0, out[first] + toAdd - added);
  return out;
}

/** GetReplicaSetProportion: never more than is left to add (or remove). */
function proportion(rs: ScaledRs, desired: number, surge: number, statusReplicas: number, toAdd: number, added: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, desired, surge, statusReplicas);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** getReplicaSetFraction: integer.RoundToInt32 is math.Round (half away from zero; the value is never negative here). */
function replicaSetFraction(rs: ScaledRs, desired: number, surge: number, statusReplicas: number): number {
  if (desired === 0) return -rs.replicas;
  const maxReplicas = desired + surge;
  const before = rs.maxAnnotation > 0 ? rs.maxAnnotation : statusReplicas;
  if (before <= 0) return 0; // kubesim's guard: upstream never gets here without pods ("never proportionally scale up from zero")
  return Math.round((rs.replicas * maxReplicas) / before) - rs.replicas;
}
