/**
 * The sweep's statistics against hand-computed values and published t tables
 * (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2, two-sided 95 %: t_{0.975,df}).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mean, pairedStats, sampleSd, sampleStats, t975 } from "../../../src/experiments/sweep/stats.js";
import { lnGamma, regularizedBeta, tQuantile, tUpperTail } from "../../../src/experiments/sweep/studentT.js";

describe("Student's t quantile", () => {
  it("matches the published two-sided 95 % table (3 decimals)", () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [5, 2.571],
      [9, 2.262],
      [10, 2.228],
      [19, 2.093],
      [29, 2.045],
      [30, 2.042],
      [40, 2.021],
      [60, 2.0],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(t975(df), `df ${df}`).toBeCloseTo(t, 3);
  });

  it("matches other levels of the table: t_{0.95,10} = 1.812, t_{0.995,5} = 4.032, t_{0.90,20} = 1.325", () => {
    expect(tQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    expect(tQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
    expect(tQuantile(0.9, 20)).toBeCloseTo(1.325, 3);
  });

  it("equals the closed forms for df 1 (Cauchy: tan(π(p − ½))) and df 2 ((2p − 1)/√(2p(1 − p)))", () => {
    for (const p of [0.6, 0.9, 0.975, 0.999]) {
      expect(tQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
      expect(tQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
  });

  it("tends to the normal quantile 1.959964 as df grows", () => {
    expect(tQuantile(0.975, 100_000)).toBeCloseTo(1.959964, 4);
  });

  it("is symmetric and inverts the upper tail", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
        const t = tQuantile(p, df);
        expect(tQuantile(1 - p, df)).toBeCloseTo(-t, 8);
        expect(1 - tUpperTail(t, df)).toBeCloseTo(p, 10);
      }),
      { numRuns: 200 },
    );
  });

  it("rests on a correct incomplete beta and ln Γ", () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.3, 3, 1)).toBeCloseTo(0.027, 12);
    expect(regularizedBeta(0.5, 7.5, 7.5)).toBeCloseTo(0.5, 12);
  });

  it("refuses p outside (0, 1) and df ≤ 0", () => {
    expect(() => tQuantile(1, 4)).toThrow(RangeError);
    expect(() => tQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe("sample statistics", () => {
  it("mean and sample sd (n − 1) of a hand example", () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    // Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32; 32/7.
    expect(sampleSd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it("the 95 % interval of 1..5 is 3 ± t_{0.975,4} · √2.5/√5 = [1.036757, 4.963243]", () => {
    const s = sampleStats([1, 2, 3, 4, 5]);
    expect(s).toMatchObject({ n: 5, mean: 3 });
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.ci95Low).toBeCloseTo(1.036757, 5);
    expect(s.ci95High).toBeCloseTo(4.963243, 5);
  });

  it("one value has a mean but no sd or interval; none has nothing", () => {
    expect(sampleStats([7])).toEqual({ n: 1, mean: 7, sd: null, ci95Low: null, ci95High: null });
    expect(sampleStats([])).toEqual({ n: 0, mean: null, sd: null, ci95Low: null, ci95High: null });
  });

  it("paired differences use the seeds both sides have: d = 1,2,1,2 → 1.5 ± t_{0.975,3} · √(1/3)/2", () => {
    const x = new Map([
      [1, 10],
      [2, 12],
      [3, 14],
      [4, 13],
    ]);
    const base = new Map([
      [1, 9],
      [2, 10],
      [3, 13],
      [4, 11],
      [5, 100],
    ]);
    const d = pairedStats(x, base);
    expect(d.n).toBe(4);
    expect(d.mean).toBe(1.5);
    expect(d.sd).toBeCloseTo(Math.sqrt(1 / 3), 12);
    // t_{0.975,3} = 3.182446; half-width 3.182446 · 0.577350 / 2 = 0.918693.
    expect(d.ci95Low).toBeCloseTo(0.581307, 5);
    expect(d.ci95High).toBeCloseTo(2.418693, 5);
    // Unpaired, x alone spreads far more than its differences do.
    expect(sampleStats([...x.values()]).sd!).toBeGreaterThan(d.sd!);
  });
});
