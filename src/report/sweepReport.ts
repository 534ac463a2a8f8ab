/**
 * A sweep folder (kubesim sweep's output) as a report. From sweep-summary.csv, for each
 * metric: its mean with the 95% confidence interval at every grid point, and the paired
 * difference to the baseline point with its interval (common random numbers: run i of
 * each point used seed i). The x axis is the swept parameter when there is one; with two,
 * the first is on x and there is one line per value of the second; with none or more
 * than two, the grid points in order. sweep.csv (one row per run) is shown as a table.
 *
 *   sweep-summary.csv: point,<param columns>,metric,n,mean,sd,ci95_low,ci95_high,
 *     baseline_point,paired_n,paired_diff_mean,paired_diff_sd,paired_ci95_low,paired_ci95_high
 * Columns are found by name; extra columns are tolerated (shown in the table).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readCsv, requireColumn, type CsvTable } from "./csvTable.js";
import { ChartIds } from "./chartIds.js";
import { ReportInputError } from "./errors.js";
import { firstRowsTable } from "./eventTimeline.js";
import type { Chart, ChartSeries, Report, Section } from "./model.js";

export const SWEEP_SUMMARY = "sweep-summary.csv";
export const SWEEP_RUNS = "sweep.csv";
/** Lines of a two-parameter chart (values of the second parameter) [kubesim choice: a readable legend]. */
export const MAX_SWEEP_LINES = 8;

/** The known columns after the parameters; everything between `point` and `metric` is a parameter. */
const STAT_COLUMNS = ["metric", "n", "mean", "sd", "ci95_low", "ci95_high", "baseline_point", "paired_n", "paired_diff_mean", "paired_diff_sd", "paired_ci95_low", "paired_ci95_high"];

export function isSweepFolder(dir: string): boolean {
  return existsSync(join(dir, SWEEP_SUMMARY));
}

interface Point {
  id: string;
  params: string[];
}

/** Where each grid point goes: an x value and a line (a value of the second parameter). */
interface Layout {
  xLabel: string;
  xAxis: "number" | "category";
  xCategories?: string[];
  x: number[];
  /** Line labels ("" when there is one line). */
  lines: string[];
  place: Map<string, { xIndex: number; line: number }>;
}

const allNumeric = (values: string[]) => values.every((v) => v !== "" && Number.isFinite(Number(v)));

function axis(values: string[]): { axis: "number" | "category"; x: number[]; categories?: string[]; index: (v: string) => number } {
  const distinct = [...new Set(values)];
  if (allNumeric(distinct)) {
    const sorted = distinct.map(Number).sort((a, b) => a - b);
    return { axis: "number", x: sorted, index: (v) => sorted.indexOf(Number(v)) };
  }
  return { axis: "category", x: distinct.map((_, i) => i), categories: distinct, index: (v) => distinct.indexOf(v) };
}

export function sweepLayout(points: Point[], params: string[]): Layout {
  const place = new Map<string, { xIndex: number; line: number }>();
  if (params.length === 1 || params.length === 2) {
    const a = axis(points.map((p) => p.params[0]));
    const lines = params.length === 2 ? [...new Set(points.map((p) => p.params[1]))].slice(0, MAX_SWEEP_LINES) : [""];
    for (const p of points) {
      const line = params.length === 2 ? lines.indexOf(p.params[1]) : 0;
      if (line >= 0) place.set(p.id, { xIndex: a.index(p.params[0]), line });
    }
    return { xLabel: params[0], xAxis: a.axis, xCategories: a.categories, x: a.x, lines: params.length === 2 ? lines.map((v) => `${params[1]}=${v}`) : lines, place };
  }
  const categories = points.map((p) => (params.length === 0 ? `point ${p.id}` : `${p.id}: ${p.params.map((v, i) => `${params[i]}=${v}`).join(", ")}`));
  points.forEach((p, i) => place.set(p.id, { xIndex: i, line: 0 }));
  return { xLabel: "grid point", xAxis: "category", xCategories: categories, x: points.map((_, i) => i), lines: [""], place };
}

function cellNumber(t: CsvTable, row: number, col: number): number | null {
  if (col < 0) return null;
  const s = t.rows[row][col];
  if (s === "") return null;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new ReportInputError(`${t.file}:${row + 2}: ${t.columns[col]}: expected a number or an empty cell, got ${JSON.stringify(s)}`);
  return n;
}

/** Lines with a band: for each line, mean, upper and lower bound, the band filling between the bounds. */
function bandChart(id: string, title: string, yLabel: string, layout: Layout, rows: number[], t: CsvTable, pointCol: number, cols: [number, number, number], fill: (point: string) => [number, number, number] | null, note?: string): Chart {
  const series: ChartSeries[] = [];
  const bands: [number, number][] = [];
  layout.lines.forEach((line, l) => {
    const suffix = line === "" ? "" : ` (${line})`;
    const mean = new Array<number | null>(layout.x.length).fill(null);
    const hi = new Array<number | null>(layout.x.length).fill(null);
    const lo = new Array<number | null>(layout.x.length).fill(null);
    for (const r of rows) {
      const at = layout.place.get(t.rows[r][pointCol]);
      if (!at || at.line !== l) continue;
      const v = fill(t.rows[r][pointCol]) ?? [cellNumber(t, r, cols[0]), cellNumber(t, r, cols[1]), cellNumber(t, r, cols[2])];
      [mean[at.xIndex], lo[at.xIndex], hi[at.xIndex]] = v;
    }
    const base = series.length;
    series.push({ label: `mean${suffix}`, values: mean }, { label: `95% CI high${suffix}`, values: hi }, { label: `95% CI low${suffix}`, values: lo });
    bands.push([base + 1, base + 2]);
  });
  return { id, title, kind: "band", xLabel: layout.xLabel, xAxis: layout.xAxis, xCategories: layout.xCategories, yLabel, x: layout.x, series, bands, note };
}

export function sweepReport(dir: string): Report {
  const t = readCsv(join(dir, SWEEP_SUMMARY));
  const pointCol = requireColumn(t, "point");
  const metricCol = requireColumn(t, "metric");
  const meanCol = requireColumn(t, "mean");
  const loCol = requireColumn(t, "ci95_low");
  const hiCol = requireColumn(t, "ci95_high");
  const col = (name: string) => t.columns.indexOf(name);
  const paramCols = t.columns.map((_, i) => i).filter((i) => i > pointCol && i < metricCol && !STAT_COLUMNS.includes(t.columns[i]));
  const params = paramCols.map((i) => t.columns[i]);

  const points: Point[] = [];
  const seen = new Set<string>();
  for (const r of t.rows) {
    if (seen.has(r[pointCol])) continue;
    seen.add(r[pointCol]);
    points.push({ id: r[pointCol], params: paramCols.map((i) => r[i]) });
  }
  const metrics = [...new Set(t.rows.map((r) => r[metricCol]))];
  const layout = sweepLayout(points, params);
  const ids = new ChartIds();
  const baselineCol = col("baseline_point");
  const baselines = [...new Set(t.rows.map((r) => (baselineCol < 0 ? "" : r[baselineCol])).filter((b) => b !== ""))];

  const charts: Chart[] = [];
  const pairedCols: [number, number, number] = [col("paired_diff_mean"), col("paired_ci95_low"), col("paired_ci95_high")];
  for (const metric of metrics) {
    const rows = t.rows.map((_, i) => i).filter((i) => t.rows[i][metricCol] === metric);
    const n = col("n") < 0 ? "" : [...new Set(rows.map((r) => t.rows[r][col("n")]))].join(", ");
    charts.push(bandChart(ids.next(`${metric}-mean`), `${metric}: mean and 95% CI`, metric, layout, rows, t, pointCol, [meanCol, loCol, hiCol], () => null, n === "" ? undefined : `n = ${n} runs per point.`));
    const paired = pairedCols[0] >= 0 && rows.some((r) => t.rows[r][pairedCols[0]] !== "");
    if (paired) {
      const baseline = baselineCol < 0 ? "" : (rows.map((r) => t.rows[r][baselineCol]).find((b) => b !== "") ?? "");
      charts.push(
        bandChart(ids.next(`${metric}-paired`), `${metric}: paired difference to baseline point ${baseline}, 95% CI`, `Δ ${metric}`, layout, rows, t, pointCol, pairedCols, (p) => (p === baseline ? [0, 0, 0] : null), `Each point's runs minus the baseline's, seed by seed (same seeds: common random numbers); the baseline point is 0 by definition.`),
      );
    }
  }

  const sections: Section[] = [{ title: "Metrics by grid point", source: SWEEP_SUMMARY, charts, tables: [] }];
  const tables = [firstRowsTable(t, ids, SWEEP_SUMMARY, true)];
  const runsFile = join(dir, SWEEP_RUNS);
  let runs: CsvTable | undefined;
  if (existsSync(runsFile)) {
    runs = readCsv(runsFile);
    tables.push(firstRowsTable(runs, ids, SWEEP_RUNS, true));
  }
  sections.push({ title: "Tables", charts: [], tables });

  const facts: [string, string][] = [
    ["Grid points", String(points.length)],
    ["Parameters", params.length === 0 ? "none" : params.join(", ")],
    ["Metrics", String(metrics.length)],
  ];
  if (runs) facts.push(["Runs", String(runs.rows.length)]);
  if (baselines.length > 0) facts.push(["Baseline point", baselines.join(", ")]);
  if (params.length === 2 && new Set(points.map((p) => p.params[1])).size > MAX_SWEEP_LINES) facts.push(["Note", `only the first ${MAX_SWEEP_LINES} values of ${params[1]} are drawn; the tables have all`]);
  return {
    kind: "sweep",
    title: `kubesim sweep: ${params.length === 0 ? dir : params.join(" × ")}`,
    facts,
    sections,
    notes: ["Intervals are the 95% confidence intervals sweep-summary.csv gives (mean over runs; paired differences over seeds), drawn as shaded bands."],
  };
}
