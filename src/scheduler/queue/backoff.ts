/**
 * Per-pod exponential backoff of the scheduling queue
 * (kubernetes pkg/scheduler/backend/queue/backoff_queue.go, calculateBackoffDuration):
 * the first failed attempt waits the initial backoff, each further attempt doubles it,
 * capped at the maximum. A pod with no attempts yet has no backoff.
 *
 *   attempts: 1    2    3    4    5+
 *   backoff:  1 s  2 s  4 s  8 s  10 s     (defaults)
 *
 * The backoff runs from the time of the last failure (QueuedPodInfo.Timestamp).
 */
import { US_PER_S } from "../../engine/simulation.js";

/** kube-scheduler podInitialBackoffSeconds default (pkg/scheduler/apis/config/v1/defaults.go). */
export const DEFAULT_POD_INITIAL_BACKOFF_US = 1 * US_PER_S;
/** kube-scheduler podMaxBackoffSeconds default (pkg/scheduler/apis/config/v1/defaults.go). */
export const DEFAULT_POD_MAX_BACKOFF_US = 10 * US_PER_S;

export function backoffDurationUs(attempts: number, initialUs: number, maxUs: number): number {
  if (attempts <= 0) return 0;
  let d = initialUs;
  for (let i = 1; i < attempts; i++) {
    if (d > maxUs - d) return maxUs;
    d += d;
  }
  return d;
}
