/**
 * Running counts of pods by state, kept up to date by the cluster as pods move, so a
 * sample reads them in O(1). Invariant (checked in tests):
 * created = pending + starting + running + ended.
 */
export class PodCounters {
  created = 0;
  /** Not bound to a node. */
  pending = 0;
  /** Bound, not yet Running. */
  starting = 0;
  running = 0;
  /** Ended by completing their work (Succeeded, deleted). */
  succeeded = 0;
  /** Lost with their node (node failure). */
  lost = 0;
  /** Ended otherwise: activeDeadlineSeconds exceeded, preempted by the scheduler. */
  failed = 0;
  /** Bindings so far (a pod counts once). */
  scheduled = 0;
  /** Running pods whose PodReady condition is False (marked by the node lifecycle controller, restarting). */
  notReady = 0;
  /** Pods with a deletionTimestamp, not yet gone (Terminating); they stay in their phase's count. */
  terminating = 0;
  /** Deletions by the taint eviction controller so far. */
  evicted = 0;

  get ended(): number {
    return this.succeeded + this.lost + this.failed;
  }
}
