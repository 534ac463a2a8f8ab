/**
 * Probability distributions, built once from a plain description and sampled with a
 * named stream. Sampling allocates nothing.
 */
import type { RandomStream } from "./random.js";

export type DistributionSpec =
  | { type: "constant"; value: number }
  | { type: "uniform"; min: number; max: number }
  | { type: "exponential"; mean: number }
  | { type: "normal"; mean: number; stddev: number; min?: number }
  | { type: "lognormal"; p50: number; p99: number }
  | { type: "weibull"; shape: number; scale: number }
  | { type: "pareto"; shape: number; scale: number }
  | { type: "empirical"; values: number[] };

export interface Distribution {
  readonly spec: DistributionSpec;
  sample(rng: RandomStream): number;
  /** The theoretical mean (Infinity where it does not exist). */
  readonly mean: number;
}

/** z-score of the 99th percentile of the standard normal distribution. */
export const Z99 = 2.3263478740408408;

export function distribution(spec: DistributionSpec): Distribution {
  switch (spec.type) {
    case "constant": {
      const v = spec.value;
      return { spec, mean: v, sample: () => v };
    }
    case "uniform": {
      const { min, max } = spec;
      return { spec, mean: (min + max) / 2, sample: (r) => r.uniform(min, max) };
    }
    case "exponential": {
      const m = spec.mean;
      return { spec, mean: m, sample: (r) => r.exponential(m) };
    }
    case "normal": {
      const { mean, stddev } = spec;
      const lo = spec.min ?? -Infinity;
      return { spec, mean, sample: (r) => Math.max(lo, mean + stddev * r.normal01()) };
    }
    case "lognormal": {
      // ln X ~ N(mu, sigma): median = e^mu, p99 = e^(mu + Z99 sigma).
      const mu = Math.log(spec.p50);
      const sigma = (Math.log(spec.p99) - mu) / Z99;
      return { spec, mean: Math.exp(mu + (sigma * sigma) / 2), sample: (r) => Math.exp(mu + sigma * r.normal01()) };
    }
    case "weibull": {
      // Inverse CDF: scale * (-ln(1-u))^(1/shape).
      const { shape, scale } = spec;
      return {
        spec,
        mean: scale * gamma(1 + 1 / shape),
        sample: (r) => scale * Math.pow(-Math.log(1 - r.next()), 1 / shape),
      };
    }
    case "pareto": {
      // Type I: scale / (1-u)^(1/shape), support [scale, inf).
      const { shape, scale } = spec;
      return {
        spec,
        mean: shape > 1 ? (shape * scale) / (shape - 1) : Infinity,
        sample: (r) => scale / Math.pow(1 - r.next(), 1 / shape),
      };
    }
    case "empirical": {
      const values = Float64Array.from(spec.values);
      const n = values.length;
      let sum = 0;
      for (const v of values) sum += v;
      return { spec, mean: sum / n, sample: (r) => values[r.int(n)] };
    }
  }
}

/** Lanczos approximation of the gamma function (for the Weibull mean). */
function gamma(z: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gamma(1 - z));
  z -= 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (z + i);
  const t = z + g + 0.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * x;
}
