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

  get ended(): number {
    return this.succeeded + this.lost + this.failed;
  }
}
