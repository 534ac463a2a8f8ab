/**
 * The statistics of a sweep: over the seeds of one grid point, a metric's mean, its
 * sample standard deviation and the Student-t 95 % confidence interval of the mean;
 * against a baseline point, the same of the paired differences (seed by seed).
 *
 *   mean = Σx / n,  sd = √(Σ(x − mean)² / (n − 1)),  CI = mean ± t_{0.975, n−1} · sd / √n
 *
 * With common random numbers (the same seed gives both points the same arrivals,
 * failures and tie-breaks) the differences d_s = x_point,s − x_baseline,s vary less
 * than either point does, so the paired interval is the narrower one.
 * n < 2 leaves sd and the interval undefined (null): one value says nothing of spread.
 */
import { tQuantile } from "./studentT.js";

/** Two-sided 95 % intervals: the t quantile at 1 − 0.05/2. */
export const CI_LEVEL = 0.95;

export interface SampleStats {
  n: number;
  /** null when n = 0. */
  mean: number | null;
  /** Sample sd (n − 1); null when n < 2. */
  sd: number | null;
  ci95Low: number | null;
  ci95High: number | null;
}

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** The sample standard deviation (divisor n − 1), two passes for accuracy; null when n < 2. */
export function sampleSd(xs: readonly number[]): number | null {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

const tCache = new Map<number, number>();

/** t_{0.975, df}, computed once per df. */
export function t975(df: number): number {
  let t = tCache.get(df);
  if (t === undefined) {
    t = tQuantile(1 - (1 - CI_LEVEL) / 2, df);
    tCache.set(df, t);
  }
  return t;
}

export function sampleStats(xs: readonly number[]): SampleStats {
  const n = xs.length;
  const m = mean(xs);
  const sd = sampleSd(xs);
  if (m === null || sd === null) return { n, mean: m, sd: null, ci95Low: null, ci95High: null };
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, ci95Low: m - half, ci95High: m + half };
}

/**
 * Paired differences x − baseline over the keys (seeds) both have, in the order of
 * `x`'s keys; a key only one side has is left out.
 */
export function pairedStats<K>(x: ReadonlyMap<K, number>, baseline: ReadonlyMap<K, number>): SampleStats {
  const d: number[] = [];
  for (const [k, v] of x) {
    const b = baseline.get(k);
    if (b !== undefined) d.push(v - b);
  }
  return sampleStats(d);
}
