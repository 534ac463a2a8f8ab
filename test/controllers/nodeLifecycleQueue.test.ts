/** RateLimitedTimedQueue and its limiter swap (nodelifecycle/scheduler/rate_limited_queue.go), hand-computed. */
import { describe, expect, it } from "vitest";
import { EvictionLimiter, NEVER_LIMITER_REPORTED_QPS } from "../../src/controllers/nodeLifecycle/evictionLimiter.js";
import { RateLimitedTimedQueue, TRY_DONE } from "../../src/controllers/nodeLifecycle/rateLimitedQueue.js";
import { computeZoneState, ZoneState } from "../../src/controllers/nodeLifecycle/zoneState.js";

const S = 1_000_000;

describe("SwapLimiter", () => {
  it("keeps a full new bucket when the old one had a token (and takes that token)", () => {
    const q = new RateLimitedTimedQueue(EvictionLimiter.create(0.1, 1, 0));
    const old = q.limiter;
    q.swapLimiter(0.01, 1, 5 * S);
    expect(old.tryAccept(5 * S)).toBe(false); // its token went in the swap
    expect(q.limiter.tryAccept(5 * S)).toBe(true);
    expect(q.limiter.tryAccept(104 * S)).toBe(false);
    expect(q.limiter.tryAccept(105 * S)).toBe(true); // 1 / 0.01 = 100 s later
  });

  it("drains the new bucket when the old one had no token", () => {
    const q = new RateLimitedTimedQueue(EvictionLimiter.create(0.1, 1, 0));
    expect(q.limiter.tryAccept(0)).toBe(true);
    q.swapLimiter(0.01, 1, 5 * S);
    expect(q.limiter.tryAccept(5 * S)).toBe(false);
    expect(q.limiter.tryAccept(104 * S)).toBe(false);
    expect(q.limiter.tryAccept(105 * S)).toBe(true);
  });

  it("from the never limiter (qps <= 0) the new bucket is always drained; same qps is a no-op", () => {
    const q = new RateLimitedTimedQueue(EvictionLimiter.create(0.1, 1, 0));
    q.swapLimiter(0, 1, 0);
    expect(q.limiter.qps).toBe(NEVER_LIMITER_REPORTED_QPS);
    expect(q.limiter.tryAccept(1000 * S)).toBe(false);
    q.swapLimiter(0.1, 1, 1000 * S);
    expect(q.limiter.tryAccept(1000 * S)).toBe(false);
    const same = q.limiter;
    q.swapLimiter(0.1, 1, 1005 * S);
    expect(q.limiter).toBe(same);
    expect(q.limiter.tryAccept(1010 * S)).toBe(true);
  });
});

describe("the unique timed queue", () => {
  it("Add is a no-op while a processed value is still in the set; Remove lets it in again", () => {
    const q = new RateLimitedTimedQueue(EvictionLimiter.create(1000, 1, 0));
    const seen: number[] = [];
    q.add(7, 0);
    q.tryDrain(0, 1, (v) => (seen.push(v), TRY_DONE));
    expect([seen, q.size, q.has(7)]).toEqual([[7], 0, true]);
    expect(q.add(7, S)).toBe(false);
    q.remove(7);
    expect(q.add(7, S)).toBe(true);
  });

  it("a head that is not due yet still uses up the token", () => {
    const q = new RateLimitedTimedQueue(EvictionLimiter.create(0.1, 1, 0));
    q.add(1, 0);
    q.tryDrain(0, 1, () => 50_000); // retry in 50 ms: re-queued at 50.001 ms, token gone
    q.tryDrain(100_000, 1, () => TRY_DONE);
    expect(q.size).toBe(1); // no token until 10 s
    let done = -1;
    q.tryDrain(10 * S, 1, (v) => ((done = v), TRY_DONE));
    expect(done).toBe(1);
  });
});

describe("ComputeZoneState", () => {
  const T = 0, F = 1, U = 2, N = 3;
  it("follows the upstream thresholds", () => {
    expect(computeZoneState([U, N], 0.55)).toBe(ZoneState.FullDisruption);
    expect(computeZoneState([U, U, T, T, T], 0.55)).toBe(ZoneState.Normal); // 2 not ready: never partial
    expect(computeZoneState([U, U, F, T, T], 0.55)).toBe(ZoneState.PartialDisruption); // 3/5 = 0.6
    expect(computeZoneState([...Array(11).fill(U), ...Array(9).fill(T)], 0.55)).toBe(ZoneState.PartialDisruption); // 11/20 = 0.55
    expect(computeZoneState([...Array(10).fill(U), ...Array(9).fill(T)], 0.55)).toBe(ZoneState.Normal); // 10/19 < 0.55
    expect(computeZoneState([], 0.55)).toBe(ZoneState.Normal);
  });
});
