/**
 * Fewer points for a long series, keeping its shape: the rows are cut into equal runs
 * and each run keeps its first and last row and, for every series, the row of its
 * minimum and of its maximum (the M4 idea: a line chart drawn from these points has the
 * same pixels' extremes as one drawn from all of them). So a spike of one sample —
 * a burst of pending pods, an etcd latency p99 — survives, and so do the global minimum
 * and maximum of every series. The rows kept are returned as indices, in order, so all
 * series of a chart keep sharing one x axis.
 */

/** The most x values a chart carries into the page [kubesim choice: uPlot draws 5,000 points per series well under a frame; keeps a report of a long run to a few MB]. */
export const MAX_CHART_POINTS = 5_000;

export function downsampleIndices(rowCount: number, series: readonly (readonly (number | null)[])[], maxPoints = MAX_CHART_POINTS): number[] {
  if (rowCount <= maxPoints) return Array.from({ length: rowCount }, (_, i) => i);
  const perBucket = 2 + 2 * series.length;
  const buckets = Math.max(1, Math.floor(maxPoints / perBucket));
  const keep = new Set<number>();
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * rowCount) / buckets);
    const to = Math.floor(((b + 1) * rowCount) / buckets); // exclusive
    if (to <= from) continue;
    keep.add(from);
    keep.add(to - 1);
    for (const ys of series) {
      let minAt = -1;
      let maxAt = -1;
      for (let i = from; i < to; i++) {
        const v = ys[i];
        if (v === null || v === undefined) continue;
        if (minAt < 0 || v < (ys[minAt] as number)) minAt = i;
        if (maxAt < 0 || v > (ys[maxAt] as number)) maxAt = i;
      }
      if (minAt >= 0) keep.add(minAt);
      if (maxAt >= 0) keep.add(maxAt);
    }
  }
  return [...keep].sort((a, b) => a - b);
}

export function pick<T>(values: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => values[i]);
}
