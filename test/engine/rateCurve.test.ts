/**
 * Rates over time and the non-homogeneous Poisson process drawn from them: integrals
 * against hand computation, counts per window against the integral (within 4 sigma, a
 * Poisson count's sigma being the square root of its mean), a step's instant, and the
 * constant rate drawing exactly what exponential inter-arrival times draw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/random.js";
import { DAY_US, expectedCount, maxRate, nextEventUs, rateAt, type RateCurve } from "../../src/engine/rateCurve.js";

const S = 1_000_000;
const H = 3600 * S;

/** Every event of the curve in [fromUs, stopUs], as a generator sees them (each drawn from the last). */
function events(c: RateCurve, seed: number, fromUs: number, stopUs: number, name = "arrivals.x"): number[] {
  const stream = new RandomStreams(seed).stream(name);
  const out: number[] = [];
  for (let t = nextEventUs(c, stream, fromUs, stopUs); t >= 0; t = nextEventUs(c, stream, t, stopUs)) out.push(t);
  return out;
}

const countIn = (ts: number[], lo: number, hi: number) => ts.filter((t) => t >= lo && t < hi).length;

describe("rate curves", () => {
  it("steps: 0 before the first, each rate from its at on; the integral sums the pieces", () => {
    const c: RateCurve = { type: "steps", atUs: [10 * S, 100 * S], perS: [2, 10] };
    expect([rateAt(c, 0), rateAt(c, 10 * S - 1), rateAt(c, 10 * S), rateAt(c, 99 * S), rateAt(c, 100 * S), rateAt(c, 1e6 * S)]).toEqual([0, 0, 2, 2, 10, 10]);
    // [50 s, 150 s]: 50 s at 2/s + 50 s at 10/s = 100 + 500
    expect(expectedCount(c, 50 * S, 150 * S)).toBeCloseTo(600, 9);
    // [0, 20 s]: 10 s at 0, 10 s at 2/s
    expect(expectedCount(c, 0, 20 * S)).toBeCloseTo(20, 9);
    expect(maxRate(c)).toBe(10);
  });

  it("daily: max at peakAt, min 12 h away, mean (min + max) / 2 over a day", () => {
    const c: RateCurve = { type: "daily", minPerS: 1, maxPerS: 3, peakAtUs: 14 * H };
    expect(rateAt(c, 14 * H)).toBeCloseTo(3, 12);
    expect(rateAt(c, 2 * H)).toBeCloseTo(1, 12);
    expect(rateAt(c, 26 * H)).toBeCloseTo(1, 12);
    expect(rateAt(c, 8 * H)).toBeCloseTo(2, 12); // a quarter period before the peak: the mean
    expect(expectedCount(c, 0, DAY_US)).toBeCloseTo(2 * 86400, 6);
    // 8 h..20 h, the half day around the peak: 2/s x 43,200 s + (1/ω)(sin(π/2) - sin(-π/2)), ω = 2π / 86,400 s
    expect(expectedCount(c, 8 * H, 20 * H)).toBeCloseTo(2 * 43200 + 86400 / Math.PI, 6);
  });
});

describe("non-homogeneous Poisson arrivals (thinning)", () => {
  it("a constant rate draws exactly exponential inter-arrival times, each from the last arrival rounded to the microsecond", () => {
    const c: RateCurve = { type: "constant", meanIntervalUs: 250_000 };
    const got = events(c, 7, 5 * S, 60 * S);
    const stream = new RandomStreams(7).stream("arrivals.x");
    const expected: number[] = [];
    for (let t = Math.round(5 * S + stream.exponential(250_000)); t <= 60 * S; t = Math.round(t + stream.exponential(250_000))) expected.push(t);
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThan(150);
  });

  it("daily: arrivals per hour match the integral of the rate within 4 sigma, over two days", () => {
    const c: RateCurve = { type: "daily", minPerS: 0.2, maxPerS: 3, peakAtUs: 14 * H };
    const ts = events(c, 1, 0, 48 * H);
    for (let h = 0; h < 48; h++) {
      const mean = expectedCount(c, h * H, (h + 1) * H);
      expect(Math.abs(countIn(ts, h * H, (h + 1) * H) - mean)).toBeLessThan(4 * Math.sqrt(mean));
    }
    // the busiest hours are around 14:00, the quietest around 02:00
    expect(countIn(ts, 13.5 * H, 14.5 * H)).toBeGreaterThan(5 * countIn(ts, 1.5 * H, 2.5 * H));
  });

  it("steps: counts per piece match rate x length within 4 sigma", () => {
    const c: RateCurve = { type: "steps", atUs: [0, 600 * S, 1200 * S, 1800 * S], perS: [1, 20, 0, 5] };
    const ts = events(c, 3, 0, 2400 * S);
    for (let i = 0; i < 4; i++) {
      const lo = c.atUs[i];
      const hi = lo + 600 * S;
      const mean = c.perS[i] * 600;
      const n = countIn(ts, lo, hi);
      if (mean === 0) expect(n).toBe(0);
      else expect(Math.abs(n - mean)).toBeLessThan(4 * Math.sqrt(mean));
    }
  });

  it("a step changes the rate at its instant: nothing before a step from 0, nothing after a step to 0", () => {
    const c: RateCurve = { type: "steps", atUs: [300 * S, 360 * S], perS: [50, 0] };
    for (const seed of [1, 2, 3]) {
      const ts = events(c, seed, 0, 3600 * S);
      expect(ts[0]).toBeGreaterThanOrEqual(300 * S);
      expect(ts[ts.length - 1]).toBeLessThan(360 * S);
      // 60 s at 50/s: 3,000 expected, sigma 55
      expect(Math.abs(ts.length - 3000)).toBeLessThan(4 * Math.sqrt(3000));
      // the first arrival comes within a few mean gaps (20 ms) of the step
      expect(ts[0] - 300 * S).toBeLessThan(200_000);
    }
  });

  it("a step up from 1/s to 100/s shows at once: the 10 s after it hold ~1,000, the 10 s before ~10", () => {
    const c: RateCurve = { type: "steps", atUs: [0, 100 * S], perS: [1, 100] };
    const ts = events(c, 11, 0, 200 * S);
    expect(Math.abs(countIn(ts, 90 * S, 100 * S) - 10)).toBeLessThan(4 * Math.sqrt(10));
    expect(Math.abs(countIn(ts, 100 * S, 110 * S) - 1000)).toBeLessThan(4 * Math.sqrt(1000));
  });

  it("is deterministic: the same seed and stream give the same arrivals, another seed others", () => {
    const c: RateCurve = { type: "daily", minPerS: 0, maxPerS: 2, peakAtUs: 12 * H };
    expect(events(c, 5, 0, 4 * H)).toEqual(events(c, 5, 0, 4 * H));
    expect(events(c, 6, 0, 4 * H)).not.toEqual(events(c, 5, 0, 4 * H));
  });

  it("property: arrivals are in order, inside (from, stop], never where the rate is 0", () => {
    const curve = fc
      .array(fc.record({ gapS: fc.integer({ min: 1, max: 100 }), rate: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 5, noNaN: true })) }), { minLength: 1, maxLength: 8 })
      .map((steps): RateCurve => {
        let at = 0;
        return { type: "steps", atUs: steps.map((s) => (at += s.gapS * S)), perS: steps.map((s) => s.rate) };
      });
    fc.assert(
      fc.property(curve, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (c, seed, stopS) => {
        const ts = events(c, seed, 0, stopS * S);
        for (let i = 0; i < ts.length; i++) {
          expect(Number.isInteger(ts[i])).toBe(true);
          expect(ts[i]).toBeGreaterThanOrEqual(i === 0 ? 0 : ts[i - 1]);
          expect(ts[i]).toBeLessThanOrEqual(stopS * S);
          expect(rateAt(c, ts[i])).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});
