/**
 * The latency histogram against independent expectations: bucket bounds computed by
 * hand from the layout (and, for 3 digits, HdrHistogram's own bounds as they appear in
 * earlier summary.csv files), and a sorted-array oracle for random values.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LatencyHistogram, SUB_BUCKET_BITS_3_DIGITS, SUB_BUCKET_BITS_COARSE } from "../../src/metrics/latencyHistogram.js";

const coarse = () => new LatencyHistogram(SUB_BUCKET_BITS_COARSE);
const threeDigits = () => new LatencyHistogram(SUB_BUCKET_BITS_3_DIGITS);
const bounds = (h: LatencyHistogram, v: number) => [h.bucketLower(h.bucketOf(v)), h.bucketUpper(h.bucketOf(v))];

describe("latency histogram layout", () => {
  it("coarse (4 bits): exact below 32, then 16 buckets per power of two", () => {
    const h = coarse();
    expect(bounds(h, 0)).toEqual([0, 0]);
    expect(bounds(h, 31)).toEqual([31, 31]);
    expect(bounds(h, 32)).toEqual([32, 33]); // [32, 64) in 16 buckets of 2
    expect(bounds(h, 1663)).toEqual([1600, 1663]); // [1024, 2048) in buckets of 64
    expect(bounds(h, 1664)).toEqual([1664, 1727]);
    expect(bounds(h, 50_000)).toEqual([49_152, 51_199]); // [32768, 65536) in buckets of 2048
  });

  it("3 digits (10 bits): exact below 2048, then 1024 buckets per power of two, HdrHistogram's bounds", () => {
    const h = threeDigits();
    expect(bounds(h, 2047)).toEqual([2047, 2047]);
    expect(bounds(h, 2048)).toEqual([2048, 2049]);
    expect(bounds(h, 6903)).toEqual([6900, 6903]); // [4096, 8192) in buckets of 4
    expect(bounds(h, 1_000_000)).toEqual([999_936, 1_000_447]); // [2^19, 2^20) in buckets of 512
    // HdrHistogram (3 digits) reported 243924991 us as the p99 of a run whose max was
    // 243808040 us: its bucket [2^27, 2^28) / 1024 = 131072 wide
    expect(bounds(h, 243_808_040)).toEqual([243_793_920, 243_924_991]);
  });

  for (const bits of [SUB_BUCKET_BITS_COARSE, SUB_BUCKET_BITS_3_DIGITS]) {
    it(`${bits} bits: buckets tile the integers and are at most 2^-${bits} of their lower bound wide`, () => {
      const h = new LatencyHistogram(bits);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (v) => {
          const b = h.bucketOf(v);
          const lo = h.bucketLower(b);
          const hi = h.bucketUpper(b);
          expect(lo).toBeLessThanOrEqual(v);
          expect(hi).toBeGreaterThanOrEqual(v);
          expect(hi - lo + 1).toBeLessThanOrEqual(Math.max(1, lo / 2 ** bits));
          if (b > 0) expect(h.bucketUpper(b - 1)).toBe(lo - 1);
        }),
      );
    });
  }
});

describe("latency histogram queries", () => {
  it("1..100 ms: nearest-rank quantiles report their bucket's upper bound, capped at the max; exact mean", () => {
    const h = coarse();
    for (let ms = 1; ms <= 100; ms++) h.record(ms * 1000);
    expect(h.quantileUs(0.5)).toBe(51_199); // 50 ms lies in [49152, 51199]
    expect(h.quantileUs(0.99)).toBe(100_000); // 99 ms lies in [98304, 102399], capped at the max
    expect(h.quantileUs(1)).toBe(100_000);
    expect(h.meanUs()).toBe(50_500);
    expect(h.sumUs).toBe(5_050_000);
    expect(h.maxUs).toBe(100_000);
  });

  it("a quantile in the max's bucket is the max, not the bucket's upper bound", () => {
    const h = threeDigits();
    for (let i = 0; i < 99; i++) h.record(5000);
    h.record(243_808_040);
    expect(h.quantileUs(0.99)).toBe(5003); // [5000, 5003] holds no max: its upper bound
    expect(h.quantileUs(0.995)).toBe(243_808_040); // HdrHistogram: 243924991
    expect(h.meanUs()).toBe((99 * 5000 + 243_808_040) / 100);
  });

  it("zero latencies (immediate binds) count below every other value", () => {
    const h = threeDigits();
    for (let i = 0; i < 60; i++) h.record(0);
    for (let i = 0; i < 40; i++) h.record(5000);
    expect(h.count).toBe(100);
    expect(h.quantileUs(0.5)).toBe(0);
    expect(h.quantileUs(0.6)).toBe(0);
    expect(h.quantileUs(0.61)).toBe(5000); // [5000, 5003] capped at the max
    expect(h.quantileUs(0.99)).toBe(5000);
  });

  it("an empty histogram has no quantile and no mean", () => {
    const h = coarse();
    expect(h.count).toBe(0);
    expect(h.quantileUs(0.5)).toBeNaN();
    expect(h.meanUs()).toBeNaN();
    h.record(7);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.maxUs).toBe(0);
    expect(h.quantileUs(0.99)).toBeNaN();
    expect(h.nonEmptyBuckets()).toEqual([]);
  });

  it("a fractional latency is recorded at the microsecond the clock rounds it to", () => {
    const h = coarse();
    h.record(1663.67);
    expect(h.maxUs).toBe(1664);
    expect(h.sumUs).toBe(1664);
    expect(h.nonEmptyBuckets()).toEqual([[1664, 1727, 1]]);
  });

  it("a negative latency is a caller's bug and throws", () => {
    expect(() => coarse().record(-1)).toThrow(RangeError);
    expect(() => coarse().record(NaN)).toThrow(RangeError);
  });

  it("values beyond the last bounded bucket land in the open last bucket and report the max", () => {
    const h = coarse();
    h.record(2 ** 45);
    expect(h.quantileUs(1)).toBe(2 ** 45);
    const [[, hi, n]] = h.nonEmptyBuckets();
    expect(hi).toBe(Infinity);
    expect(n).toBe(1);
  });

  for (const bits of [SUB_BUCKET_BITS_COARSE, SUB_BUCKET_BITS_3_DIGITS]) {
    it(`${bits} bits: quantiles against a sorted-array oracle are never below it and within 2^-${bits} above`, () => {
      // latencies spread over many orders of magnitude (0 us .. ~1 day), with repeats
      const latency = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 86_400_000_000 }), fc.constantFrom(0, 2047, 2048, 4095, 4096));
      fc.assert(
        fc.property(fc.array(latency, { minLength: 1, maxLength: 300 }), fc.double({ min: 0.001, max: 1, noNaN: true }), (values, q) => {
          const h = new LatencyHistogram(bits);
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          const n = sorted.length;
          const exact = sorted[Math.max(1, Math.ceil(q * n)) - 1];
          const max = sorted[n - 1];
          const got = h.quantileUs(q);
          expect(got).toBeGreaterThanOrEqual(exact);
          expect(got).toBeLessThanOrEqual(max);
          expect(got).toBeLessThanOrEqual(exact + exact / 2 ** bits);
          if (exact < 2 ** (bits + 1)) expect(got).toBe(exact);
          expect(h.count).toBe(n);
          expect(h.maxUs).toBe(max);
          expect(h.sumUs).toBe(values.reduce((a, b) => a + b, 0));
          expect(h.nonEmptyBuckets().reduce((a, [, , c]) => a + c, 0)).toBe(n);
        }),
        { numRuns: 300 },
      );
    });
  }
});
