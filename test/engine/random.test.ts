import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/random.js";
import { distribution, type DistributionSpec } from "../../src/engine/distribution.js";

function draws(streams: RandomStreams, name: string, n: number): number[] {
  const s = streams.stream(name);
  return Array.from({ length: n }, () => s.next());
}

describe("random streams", () => {
  it("are reproducible from the seed", () => {
    expect(draws(new RandomStreams(42), "a", 10)).toEqual(draws(new RandomStreams(42), "a", 10));
  });

  it("differ between seeds and between names", () => {
    expect(draws(new RandomStreams(42), "a", 10)).not.toEqual(draws(new RandomStreams(43), "a", 10));
    expect(draws(new RandomStreams(42), "a", 10)).not.toEqual(draws(new RandomStreams(42), "b", 10));
  });

  it("are independent: drawing from a new stream does not shift another", () => {
    const alone = new RandomStreams(7);
    const mixed = new RandomStreams(7);
    const a1 = draws(alone, "arrivals", 50);
    const a2: number[] = [];
    const extra = mixed.stream("etcd.fsync");
    const arrivals = mixed.stream("arrivals");
    for (let i = 0; i < 50; i++) {
      extra.next();
      extra.next();
      a2.push(arrivals.next());
    }
    expect(a2).toEqual(a1);
  });
});

describe("distributions", () => {
  const N = 200_000;
  function moments(spec: DistributionSpec): { mean: number; sd: number; sorted: Float64Array } {
    const d = distribution(spec);
    const r = new RandomStreams(99).stream("moments");
    const xs = new Float64Array(N);
    let sum = 0;
    for (let i = 0; i < N; i++) sum += xs[i] = d.sample(r);
    const mean = sum / N;
    let ss = 0;
    for (const x of xs) ss += (x - mean) ** 2;
    return { mean, sd: Math.sqrt(ss / (N - 1)), sorted: xs.sort() };
  }
  const q = (s: Float64Array, p: number) => s[Math.floor(p * (s.length - 1))];

  it("constant", () => {
    const m = moments({ type: "constant", value: 3 });
    expect(m.mean).toBe(3);
    expect(m.sd).toBe(0);
  });
  it("uniform: mean (a+b)/2, sd (b-a)/sqrt(12)", () => {
    const m = moments({ type: "uniform", min: 2, max: 8 });
    expect(m.mean).toBeCloseTo(5, 1);
    expect(m.sd).toBeCloseTo(6 / Math.sqrt(12), 1);
  });
  it("exponential: mean = sd = 1/lambda", () => {
    const m = moments({ type: "exponential", mean: 4 });
    expect(Math.abs(m.mean - 4) / 4).toBeLessThan(0.01);
    expect(Math.abs(m.sd - 4) / 4).toBeLessThan(0.02);
  });
  it("normal", () => {
    const m = moments({ type: "normal", mean: 10, stddev: 2 });
    expect(m.mean).toBeCloseTo(10, 1);
    expect(m.sd).toBeCloseTo(2, 1);
  });
  it("lognormal from p50 and p99 reproduces those quantiles", () => {
    const m = moments({ type: "lognormal", p50: 2, p99: 10 });
    expect(Math.abs(q(m.sorted, 0.5) - 2) / 2).toBeLessThan(0.02);
    expect(Math.abs(q(m.sorted, 0.99) - 10) / 10).toBeLessThan(0.05);
  });
  it("weibull: mean = scale * Gamma(1 + 1/shape)", () => {
    // shape 2, scale 1: mean = sqrt(pi)/2 = 0.8862, sd = sqrt(1 - pi/4) = 0.4633
    const m = moments({ type: "weibull", shape: 2, scale: 1 });
    expect(m.mean).toBeCloseTo(0.8862, 2);
    expect(m.sd).toBeCloseTo(0.4633, 2);
    expect(distribution({ type: "weibull", shape: 2, scale: 1 }).mean).toBeCloseTo(0.886227, 5);
  });
  it("pareto: mean = shape*scale/(shape-1), minimum = scale", () => {
    const m = moments({ type: "pareto", shape: 3, scale: 2 });
    expect(Math.abs(m.mean - 3) / 3).toBeLessThan(0.02);
    expect(m.sorted[0]).toBeGreaterThanOrEqual(2);
  });
  it("empirical draws only the given values, with their frequencies", () => {
    const m = moments({ type: "empirical", values: [1, 1, 1, 5] });
    expect(new Set(m.sorted)).toEqual(new Set([1, 5]));
    expect(m.mean).toBeCloseTo(2, 1);
  });
});
