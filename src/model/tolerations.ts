/**
 * Toleration matching, as k8s.io/api core/v1 Toleration.ToleratesTaint and the taint
 * eviction controller's getMinTolerationTime (pkg/controller/tainteviction) define it.
 * Not for hot loops: the callers precompute per template and taint.
 */
import type { Toleration } from "./types.js";

export interface TaintLike {
  key: string;
  value?: string;
  effect: string;
}

/**
 * ToleratesTaint: effect (empty = all), key (empty with Exists = all), operator Equal
 * (also when absent or "", as upstream's switch reads it) or Exists; any other operator
 * (Gt/Lt without their alpha gate) never matches.
 */
export function toleratesTaint(t: Toleration, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? "";
  if (op === "Exists") return true;
  if (op === "" || op === "Equal") return (t.value ?? "") === (taint.value ?? "");
  return false;
}

/** The taint is not tolerated: evict at once. */
export const NOT_TOLERATED = -2;
/** Tolerated with no tolerationSeconds: never evicted. */
export const TOLERATED_FOREVER = -1;

/**
 * For NoExecute taints: NOT_TOLERATED if some taint has no matching toleration,
 * TOLERATED_FOREVER if none of the first matching tolerations has tolerationSeconds,
 * else the smallest tolerationSeconds (0 for a value <= 0), in seconds. Each taint
 * takes the first toleration that matches it (v1helper.GetMatchingTolerations), so a
 * later toleration of the same taint with a smaller tolerationSeconds does not count.
 * Every taint is checked before the time is read: a tolerationSeconds of 0 on one taint
 * does not hide another taint that is not tolerated (upstream decides allTolerated first).
 * No taints at all gives 0, as getMinTolerationTime of an empty list (the controller
 * never asks: a node without NoExecute taints cancels instead).
 */
export function noExecuteToleration(tolerations: readonly Toleration[], taints: readonly TaintLike[]): number {
  let min = Infinity;
  let zero = false;
  for (const taint of taints) {
    const used = tolerations.find((t) => toleratesTaint(t, taint));
    if (!used) return NOT_TOLERATED;
    if (used.tolerationSeconds !== undefined && used.tolerationSeconds !== null) {
      if (used.tolerationSeconds <= 0) zero = true;
      else min = Math.min(min, used.tolerationSeconds);
    }
  }
  if (taints.length === 0 || zero) return 0;
  return min === Infinity ? TOLERATED_FOREVER : min;
}
