/**
 * Latency distributions for the page: an empirical CDF and a histogram, both computed
 * from all the values (sorted once), then carried into the page at a bounded size: the
 * CDF at most MAX_CDF_POINTS quantiles, the histogram HISTOGRAM_BINS bins. So a run of
 * 100,000 pods gives a page of the same size as one of 1,000, and no value is dropped.
 */

/** Quantiles drawn for a CDF [kubesim choice: finer than a chart's pixels]. */
export const MAX_CDF_POINTS = 500;
/** Bins of a histogram [kubesim choice]. */
export const HISTOGRAM_BINS = 40;

export interface Cdf {
  /** Values, ascending. */
  x: number[];
  /** Fraction of all values <= x. */
  y: number[];
}

/** The empirical CDF of `sorted` (ascending) at up to maxPoints of its values, always including the first and the last. */
export function cdf(sorted: readonly number[], maxPoints = MAX_CDF_POINTS): Cdf {
  const n = sorted.length;
  const x: number[] = [];
  const y: number[] = [];
  if (n === 0) return { x, y };
  const steps = Math.min(n, maxPoints);
  let last = -1;
  for (let k = 1; k <= steps; k++) {
    // The last index of each 1/steps of the values: its rank is exactly the fraction <= it.
    let i = Math.ceil((k * n) / steps) - 1;
    // Ties: a CDF value belongs to the last index holding it.
    while (i + 1 < n && sorted[i + 1] === sorted[i]) i++;
    if (i <= last) continue;
    last = i;
    x.push(sorted[i]);
    y.push((i + 1) / n);
  }
  return { x, y };
}

export interface Histogram {
  /** Lower edge of each bin; the last bin includes its upper edge. */
  lower: number[];
  binWidth: number;
  counts: number[];
}

/** Equal-width bins from the smallest to the largest value. */
export function histogram(sorted: readonly number[], bins = HISTOGRAM_BINS): Histogram {
  const n = sorted.length;
  if (n === 0) return { lower: [], binWidth: 0, counts: [] };
  const min = sorted[0];
  const max = sorted[n - 1];
  if (max === min) return { lower: [min], binWidth: 0, counts: [n] };
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  return { lower: counts.map((_, b) => min + b * width), binWidth: width, counts };
}
