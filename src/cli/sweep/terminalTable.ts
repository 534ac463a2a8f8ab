/**
 * The short table a sweep prints at the end: per grid point, its params, the mean of
 * a few headline metrics with the half-width of their 95 % interval, and how fast its
 * runs went (simulated seconds per wall-clock second). The CSVs hold everything else.
 */
import { pointValues, type SweepGrid } from "../../experiments/sweep/grid.js";
import { sampleStats } from "../../experiments/sweep/stats.js";
import type { RunSummary, RunTiming } from "../../experiments/sweep/tables.js";
import { formatCell } from "../../metrics/tables.js";

/** The metrics shown when a run has them, in this order; at most HEADLINE_COUNT. [kubesim choice] */
const HEADLINE_METRICS = ["scheduling_latency_p99_ms", "pod_startup_p99_s", "pods_pending_max", "deployment_unavailable_max_s", "cpu_requested_ratio_mean"];
const HEADLINE_COUNT = 3;
const DECIMALS = 3;

export function sweepTerminalTable(grid: SweepGrid, runs: readonly RunSummary[], timings: readonly RunTiming[]): string {
  const present = new Set(runs.flatMap((r) => r.metrics.map(([m]) => m)));
  const headline = HEADLINE_METRICS.filter((m) => present.has(m)).slice(0, HEADLINE_COUNT);
  const header = ["point", ...grid.params.map((p) => p.path), "runs", ...headline.map((m) => `${m} (95% CI)`), "sim_s/wall_s"];
  const points = [...new Set(runs.map((r) => r.point))].sort((a, b) => a - b);
  const rows = points.map((p) => {
    const own = runs.filter((r) => r.point === p);
    const cells = headline.map((m) => {
      const xs = own.flatMap((r) => r.metrics.filter(([name, v]) => name === m && v !== "").map(([, v]) => Number(v)));
      const s = sampleStats(xs);
      if (s.mean === null) return "";
      const half = s.ci95High === null ? "" : ` ± ${formatCell(s.ci95High - s.mean, DECIMALS)}`;
      return `${formatCell(s.mean, DECIMALS)}${half}`;
    });
    const speeds = timings.filter((t) => t.point === p && t.wallS > 0).map((t) => t.simS / t.wallS);
    const speed = sampleStats(speeds).mean;
    return [String(p), ...pointValues(grid.params, p), String(own.length), ...cells, speed === null ? "" : formatCell(Math.round(speed), 0)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()}`).join("\n");
}
