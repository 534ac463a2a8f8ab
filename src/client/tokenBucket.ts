/**
 * client-go's token-bucket rate limiter (flowcontrol.NewTokenBucketRateLimiter,
 * golang.org/x/time/rate): `qps` tokens per second, at most `burst` stored, full at
 * start. `reserve(t)` takes a token for a request wanting to start at t and returns
 * when it may start (requests are served in the order they ask, as Wait does);
 * `tryAccept(t)` takes a token only if one is there (TryAccept: no waiting).
 */
import { US_PER_S } from "../engine/simulation.js";

export class TokenBucket {
  private tokens: number;
  private lastUs: number;
  private readonly usPerToken: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    startUs = 0,
  ) {
    this.tokens = burst;
    this.lastUs = startUs;
    this.usPerToken = US_PER_S / qps;
  }

  /** Take one token for a request at `atUs`; returns the time it may proceed (>= atUs). */
  reserve(atUs: number): number {
    if (atUs > this.lastUs) {
      this.tokens = Math.min(this.burst, this.tokens + (atUs - this.lastUs) / this.usPerToken);
      this.lastUs = atUs;
    }
    this.tokens -= 1;
    if (this.tokens >= 0) return this.lastUs;
    // In debt: the request waits until the bucket has refilled to zero.
    return Math.round(this.lastUs - this.tokens * this.usPerToken);
  }

  /** TryAccept at `atUs`: take a token if the bucket holds one, else refuse (nothing is owed). */
  tryAccept(atUs: number): boolean {
    if (atUs > this.lastUs) {
      this.tokens = Math.min(this.burst, this.tokens + (atUs - this.lastUs) / this.usPerToken);
      this.lastUs = atUs;
    }
    // A token refilled to within rounding of 1 counts (1/qps in microseconds need not be exact).
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens -= 1;
    return true;
  }
}
