import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LatencyHistogram, bucketLower, bucketOf, bucketUpper } from "../../src/metrics/latencyHistogram.js";

describe("latency histogram", () => {
  it("every value lies within its bucket, and buckets are at most 1/16 wide", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 36 }), (v) => {
        const b = bucketOf(v);
        expect(bucketLower(b)).toBeLessThanOrEqual(v);
        expect(bucketUpper(b)).toBeGreaterThanOrEqual(v);
        expect(bucketUpper(b) - bucketLower(b) + 1).toBeLessThanOrEqual(Math.max(1, bucketLower(b) / 16 + 1));
      }),
    );
  });

  it("quantiles of 1..100 ms are within a bucket of the exact ones", () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 100; ms++) h.record(ms * 1000);
    // exact p50 = 50 ms, p99 = 99 ms; the histogram reports the bucket's upper bound
    expect(h.quantile_us(0.5)).toBeGreaterThanOrEqual(50_000);
    expect(h.quantile_us(0.5)).toBeLessThanOrEqual(50_000 * 1.0625);
    expect(h.quantile_us(0.99)).toBeGreaterThanOrEqual(99_000);
    expect(h.quantile_us(0.99)).toBeLessThanOrEqual(100_000);
    expect(h.quantile_us(1)).toBe(100_000);
    expect(h.mean_us()).toBe(50_500);
  });
});
