/**
 * summary.csv rows of pod startup latency, from pods.csv's startup_s and startup_slo_s:
 * nearest-rank p50, p90 and p99 over the pods that started (exact values, no histogram:
 * one sort at the end of the run); 0 when no pod started, as the scheduling latency rows.
 */
import type { PodRow } from "./podRows.js";
import type { SummaryRow } from "./summary.js";

/** Nearest-rank q-quantile of ascending values (rank = ceil(q x n)). */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

export function startupSummary(rows: readonly PodRow[]): SummaryRow[] {
  const full: number[] = [];
  const slo: number[] = [];
  for (const r of rows) {
    if (r.startup_s !== null) full.push(r.startup_s);
    if (r.startup_slo_s !== null) slo.push(r.startup_slo_s);
  }
  full.sort((a, b) => a - b);
  slo.sort((a, b) => a - b);
  return [
    { metric: "pod_startup_slo_p50_s", value: nearestRank(slo, 0.5) },
    { metric: "pod_startup_slo_p90_s", value: nearestRank(slo, 0.9) },
    { metric: "pod_startup_slo_p99_s", value: nearestRank(slo, 0.99) },
    { metric: "pod_startup_p50_s", value: nearestRank(full, 0.5) },
    { metric: "pod_startup_p90_s", value: nearestRank(full, 0.9) },
    { metric: "pod_startup_p99_s", value: nearestRank(full, 0.99) },
  ];
}
