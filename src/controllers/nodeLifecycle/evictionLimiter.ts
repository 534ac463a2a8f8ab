/**
 * The rate limiter of a zone's NoExecute taint queue: client-go's TryAccept token bucket
 * (flowcontrol.NewTokenBucketRateLimiter(qps, burst): `qps` tokens per second, at most
 * `burst` stored, full at creation) or, for qps <= 0, flowcontrol.NewFakeNeverRateLimiter,
 * which never accepts and reports QPS() = 1 (client-go util/flowcontrol/throttle.go).
 *
 * Kept as a theoretical arrival time in integer microseconds (GCRA, equivalent to a
 * continuously refilled bucket) so that "one token per 10 s" lands exactly on the 10 s.
 */
import { US_PER_S } from "../../engine/simulation.js";

/** What fakeNeverRateLimiter.QPS() reports; SwapLimiter compares against it. */
export const NEVER_LIMITER_REPORTED_QPS = 1;

export class EvictionLimiter {
  /** Time before which the bucket is not full again, minus (burst - 1) intervals. */
  private tatUs: number;
  private readonly intervalUs: number;

  private constructor(
    private readonly configuredQps: number,
    private readonly burst: number,
    startUs: number,
  ) {
    this.intervalUs = configuredQps > 0 ? Math.round(US_PER_S / configuredQps) : Infinity;
    this.tatUs = startUs;
  }

  /** A token bucket full at `startUs`; qps <= 0 gives the never-accepting limiter. */
  static create(qps: number, burst: number, startUs: number): EvictionLimiter {
    return new EvictionLimiter(qps, burst, startUs);
  }

  /** QPS() as client-go reports it (1 for the never limiter). */
  get qps(): number {
    return this.configuredQps > 0 ? this.configuredQps : NEVER_LIMITER_REPORTED_QPS;
  }

  get never(): boolean {
    return this.configuredQps <= 0;
  }

  /** Take a token if one is there (AllowN(now, 1)). */
  tryAccept(nowUs: number): boolean {
    if (this.never) return false;
    const tat = Math.max(this.tatUs, nowUs);
    if (tat - nowUs > (this.burst - 1) * this.intervalUs) return false;
    this.tatUs = tat + this.intervalUs;
    return true;
  }
}
