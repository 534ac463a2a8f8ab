/**
 * kube-apiserver's concurrency limit ("seats").
 *
 * Upstream: --max-requests-inflight 400 and --max-mutating-requests-inflight 200
 * (k8s.io/apiserver pkg/server/config.go NewConfig). With API Priority and Fairness
 * (GA in v1.29, on by default) the two are summed into one server-wide concurrency
 * limit of 600 seats, divided among priority levels. Without APF the two limits apply
 * separately (read-only vs mutating).
 *
 * Simplification (also in docs/controlplane.md "Model fidelity"): under APF we model a
 * single priority level holding all 600 seats, one seat per request, and no queuing:
 * a request that finds every seat taken is rejected at once with 429. Real APF first
 * queues it (per-level queues with shuffle sharding) and rejects only when the queues
 * are full or the queue wait times out. Long-running requests (watches) take no seat,
 * as upstream.
 */

/** kube-apiserver --max-requests-inflight default (k8s.io/apiserver server/config.go). */
export const MAX_REQUESTS_INFLIGHT = 400;
/** kube-apiserver --max-mutating-requests-inflight default (same file). */
export const MAX_MUTATING_REQUESTS_INFLIGHT = 200;

export type InflightMode = "apf" | "max-in-flight";

export interface InflightLimits {
  mode: InflightMode;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
}

export const DEFAULT_INFLIGHT_LIMITS: InflightLimits = {
  mode: "apf",
  maxRequestsInflight: MAX_REQUESTS_INFLIGHT,
  maxMutatingRequestsInflight: MAX_MUTATING_REQUESTS_INFLIGHT,
};

/** Seats of one API server. Counts only; a request holds at most one seat. */
export class InflightLimiter {
  readOnlyInUse = 0;
  mutatingInUse = 0;
  rejected = 0;

  constructor(readonly limits: InflightLimits) {}

  /** Total seats (APF) = read-only + mutating limits. */
  get seats(): number {
    return this.limits.maxRequestsInflight + this.limits.maxMutatingRequestsInflight;
  }

  /** Take a seat for a request; false means 429. */
  tryAcquire(mutating: boolean): boolean {
    const l = this.limits;
    if (l.mode === "apf") {
      if (this.readOnlyInUse + this.mutatingInUse >= l.maxRequestsInflight + l.maxMutatingRequestsInflight) {
        this.rejected++;
        return false;
      }
    } else if (mutating ? this.mutatingInUse >= l.maxMutatingRequestsInflight : this.readOnlyInUse >= l.maxRequestsInflight) {
      this.rejected++;
      return false;
    }
    if (mutating) this.mutatingInUse++;
    else this.readOnlyInUse++;
    return true;
  }

  release(mutating: boolean): void {
    if (mutating) this.mutatingInUse--;
    else this.readOnlyInUse--;
    // A negative count means a seat was released twice: a bookkeeping bug upstream of here.
    if (this.mutatingInUse < 0 || this.readOnlyInUse < 0) throw new Error("inflight seat released twice");
  }

  /** Server restart: every request in flight died with it. */
  reset(): void {
    this.readOnlyInUse = 0;
    this.mutatingInUse = 0;
  }
}
