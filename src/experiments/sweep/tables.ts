/**
 * The sweep's tables, from each run's summary.csv text (as the run wrote it, so a
 * sweep and the merge of its shards, which reads the files back, give the same bytes):
 *
 * - sweep.csv: one row per run in (point, seed) order: point, one column per --param
 *   (its path as typed, its value as typed), seed, then every summary metric (wide, in
 *   summary.csv order; a metric missing in a run is an empty cell);
 * - sweep-summary.csv: one row per (point, metric): n, mean, sd, 95 % t interval, and
 *   the paired differences to the baseline point (stats.ts);
 * - sweep-timing.csv: wall-clock seconds per run and simulated seconds per wall second,
 *   the only wall-clock figures (not deterministic, so apart from the two above).
 */
import type { Cell, Table } from "../../metrics/tables.js";
import { pointCount, pointValues, type SweepGrid } from "./grid.js";
import { pairedStats, sampleStats } from "./stats.js";

/** A run's summary: metric names and values as summary.csv wrote them. */
export interface RunSummary {
  point: number;
  seed: number;
  metrics: readonly (readonly [string, string])[];
}

export interface RunTiming {
  point: number;
  seed: number;
  wallS: number;
  simS: number;
}

/** A summary.csv that is not the metric,value table kubesim writes. */
export class SummaryCsvError extends Error {}

/** [metric, value] rows of a summary.csv (two columns, no quoting: kubesim writes names and numbers). */
export function parseSummaryCsv(text: string): [string, string][] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines[0] !== "metric,value") throw new SummaryCsvError(`expected the header metric,value, got ${JSON.stringify(lines[0] ?? "")}`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== 2 || cells[0] === "") throw new SummaryCsvError(`line ${i + 2}: expected metric,value, got ${JSON.stringify(line)}`);
    return [cells[0], cells[1]];
  });
}

/** A summary value as a number; "inf"/"-inf"/"nan" as formatCell writes them; "" is missing. */
function numberOf(text: string): number | null {
  if (text === "") return null;
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  if (text === "nan") return NaN;
  return Number(text);
}

/** Runs sorted by (point, seed position in the grid), and the metric names in first-seen order. */
function ordered(grid: SweepGrid, runs: readonly RunSummary[]): { runs: RunSummary[]; metrics: string[] } {
  const seedIndex = new Map(grid.seeds.map((s, i) => [s, i]));
  const sorted = [...runs].sort((a, b) => a.point - b.point || seedIndex.get(a.seed)! - seedIndex.get(b.seed)!);
  const metrics: string[] = [];
  const seen = new Set<string>();
  for (const r of sorted)
    for (const [m] of r.metrics)
      if (!seen.has(m)) {
        seen.add(m);
        metrics.push(m);
      }
  return { runs: sorted, metrics };
}

export function sweepTable(grid: SweepGrid, runs: readonly RunSummary[]): Table {
  const o = ordered(grid, runs);
  const rows: Cell[][] = o.runs.map((r) => {
    const byName = new Map(r.metrics);
    return [r.point, ...pointValues(grid.params, r.point), r.seed, ...o.metrics.map((m) => byName.get(m) ?? null)];
  });
  return { file: "sweep.csv", columns: ["point", ...grid.params.map((p) => p.path), "seed", ...o.metrics], rows };
}

export const SWEEP_SUMMARY_STATS = [
  "metric",
  "n",
  "mean",
  "sd",
  "ci95_low",
  "ci95_high",
  "baseline_point",
  "paired_n",
  "paired_diff_mean",
  "paired_diff_sd",
  "paired_ci95_low",
  "paired_ci95_high",
] as const;

/** One row per (point, metric); `baselineOf[p]` is point p's baseline (itself: no paired figures). */
export function sweepSummaryTable(grid: SweepGrid, runs: readonly RunSummary[], baselineOf: readonly number[]): Table {
  const o = ordered(grid, runs);
  // values[point][metric] = seed → value (present and numeric cells only).
  const values = Array.from({ length: pointCount(grid.params) }, () => new Map<string, Map<number, number>>());
  for (const r of o.runs)
    for (const [m, text] of r.metrics) {
      const v = numberOf(text);
      if (v === null) continue;
      const perMetric = values[r.point];
      if (!perMetric.has(m)) perMetric.set(m, new Map());
      perMetric.get(m)!.set(r.seed, v);
    }
  const rows: Cell[][] = [];
  const points = new Set(o.runs.map((r) => r.point));
  for (const p of [...points].sort((a, b) => a - b)) {
    const b = baselineOf[p];
    for (const m of o.metrics) {
      const x = values[p].get(m) ?? new Map<number, number>();
      const s = sampleStats([...x.values()]);
      const row: Cell[] = [p, ...pointValues(grid.params, p), m, s.n, s.mean, s.sd, s.ci95Low, s.ci95High, b];
      if (b === p) row.push(null, null, null, null, null);
      else {
        const d = pairedStats(x, values[b]?.get(m) ?? new Map());
        row.push(d.n, d.mean, d.sd, d.ci95Low, d.ci95High);
      }
      rows.push(row);
    }
  }
  return { file: "sweep-summary.csv", columns: ["point", ...grid.params.map((p) => p.path), ...SWEEP_SUMMARY_STATS], rows };
}

/** Decimals of the timing table: milliseconds are all the wall clock resolves here. */
const TIMING_DECIMALS = 3;

export function sweepTimingTable(grid: SweepGrid, timings: readonly RunTiming[]): Table {
  const seedIndex = new Map(grid.seeds.map((s, i) => [s, i]));
  const sorted = [...timings].sort((a, b) => a.point - b.point || seedIndex.get(a.seed)! - seedIndex.get(b.seed)!);
  return {
    file: "sweep-timing.csv",
    columns: ["point", "seed", "wall_s", "sim_s_per_wall_s"],
    rows: sorted.map((t) => [t.point, t.seed, t.wallS, t.wallS > 0 ? t.simS / t.wallS : null]),
    decimals: TIMING_DECIMALS,
  };
}
