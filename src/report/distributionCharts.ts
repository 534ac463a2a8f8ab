/**
 * Latency distributions of a run: from pods.csv, pod scheduling latency (created to
 * bound) and start-up (created to all containers started, and the SLI without image
 * pulls) as a CDF and a histogram each; and any histogram file a component writes
 * (etcd_write_latency_histogram.csv: `<x>_lower_<unit>`, `<x>_upper_<unit>`, `count`)
 * as bars.
 */
import { numberCell, requireColumn, type CsvTable } from "./csvTable.js";
import { ChartIds } from "./chartIds.js";
import { cdf, histogram, MAX_CDF_POINTS } from "./distribution.js";
import type { Chart } from "./model.js";

const MS_PER_S = 1000;
/** Largest to smallest value from which a CDF gets a log x scale [kubesim choice]. */
const LOG_SCALE_RATIO = 100;

interface PodMeasure {
  title: string;
  unit: string;
  values: (row: string[], col: (name: string) => number) => number | null;
  /** Columns it needs; skipped when pods.csv lacks one. */
  columns: string[];
}

const POD_MEASURES: PodMeasure[] = [
  {
    title: "Pod scheduling latency (created to bound)",
    unit: "ms",
    columns: ["created_s", "scheduled_s"],
    values: (r, c) => {
      const created = numberCell(r[c("created_s")]);
      const bound = numberCell(r[c("scheduled_s")]);
      return created === null || bound === null ? null : (bound - created) * MS_PER_S;
    },
  },
  { title: "Pod start-up (created to all containers started)", unit: "s", columns: ["startup_s"], values: (r, c) => numberCell(r[c("startup_s")]) },
  { title: "Pod start-up SLI (without image pulls and init containers)", unit: "s", columns: ["startup_slo_s"], values: (r, c) => numberCell(r[c("startup_slo_s")]) },
];

function sameValues(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** CDF and histogram of each pod measure with at least one value. */
export function podDistributionCharts(pods: CsvTable, ids: ChartIds): Chart[] {
  const charts: Chart[] = [];
  const col = (name: string) => requireColumn(pods, name);
  let previous: number[] = [];
  for (const m of POD_MEASURES) {
    if (!m.columns.every((c) => pods.columns.includes(c))) continue;
    const values: number[] = [];
    for (const r of pods.rows) {
      const v = m.values(r, col);
      if (v !== null) values.push(v);
    }
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    // Without a containerRuntime section the SLI equals start-up: one pair of charts is enough.
    if (sameValues(values, previous)) continue;
    previous = values;
    charts.push(...distributionPair(ids, m.title, m.unit, values, `${values.length} pods`));
  }
  return charts;
}

/** A CDF and a histogram of sorted values. */
export function distributionPair(ids: ChartIds, title: string, unit: string, sorted: number[], of: string): Chart[] {
  const c = cdf(sorted);
  const h = histogram(sorted);
  // Decades apart: a log scale shows the body and the tail [kubesim choice: 100x].
  const xLog = sorted[0] > 0 && sorted[sorted.length - 1] / sorted[0] >= LOG_SCALE_RATIO;
  const reduced = c.x.length < sorted.length ? ` Drawn at ${c.x.length} of its steps (at most ${MAX_CDF_POINTS} quantiles; equal values merged), computed from all ${sorted.length} values.` : "";
  return [
    { id: ids.next(`${title}-cdf`), title: `${title}: CDF`, kind: "line", xLabel: unit, xAxis: "number", xLog, yLabel: "fraction ≤ x", yRange: [0, 1], x: c.x, series: [{ label: "fraction", values: c.y }], note: `${of}.${reduced}` },
    {
      id: ids.next(`${title}-histogram`),
      title: `${title}: histogram`,
      kind: "bars",
      xLabel: unit,
      xAxis: "number",
      yLabel: "count",
      x: h.lower,
      series: [{ label: "count", values: h.counts }],
      note: `${h.counts.length} equal bins from the smallest to the largest value${h.binWidth > 0 ? ` (${h.binWidth.toPrecision(3)} ${unit} wide)` : ""}; x is each bin's lower edge.`,
    },
  ];
}

/** A histogram file: lower and upper bound columns with the same stem and unit, and a count. */
export function histogramFileColumns(t: CsvTable): { lower: number; count: number; unit: string; stem: string } | undefined {
  const count = t.columns.indexOf("count");
  if (count < 0) return undefined;
  for (let i = 0; i < t.columns.length; i++) {
    const m = /^(.*)_lower_([a-z]+)$/.exec(t.columns[i]);
    if (m && t.columns.includes(`${m[1]}_upper_${m[2]}`)) return { lower: i, count, unit: m[2], stem: m[1] };
  }
  return undefined;
}

export function histogramFileChart(t: CsvTable, ids: ChartIds, title: string): Chart | undefined {
  const h = histogramFileColumns(t);
  if (!h || t.rows.length === 0) return undefined;
  const x = t.rows.map((r) => numberCell(r[h.lower]) ?? 0);
  const counts = t.rows.map((r) => numberCell(r[h.count]));
  const upper = numberCell(t.rows[t.rows.length - 1][t.columns.indexOf(`${h.stem}_upper_${h.unit}`)]) ?? 0;
  return {
    id: ids.next(`${t.file}-hist`),
    title,
    kind: "bars",
    xLabel: `${h.stem} (${h.unit})`,
    xAxis: "number",
    // kubesim's latency histograms are log-linear: their buckets read well on a log scale.
    xLog: x[0] > 0 && upper / x[0] >= LOG_SCALE_RATIO,
    yLabel: "count",
    x,
    series: [{ label: "count", values: counts }],
    note: `Buckets as the file has them (${t.rows.length}, non-empty ones); x is each bucket's lower bound.`,
  };
}

/**
 * Durations logged per event (elections.csv's no_leader_ms): a CDF and a histogram of
 * each column whose name ends in a time unit, over the rows that have a value.
 */
export function eventDurationCharts(t: CsvTable, ids: ChartIds, title: string): Chart[] {
  const charts: Chart[] = [];
  t.columns.forEach((name, i) => {
    const unit = /_(ms|s)$/.exec(name)?.[1];
    if (!unit || name === "sim_time_s") return;
    const values: number[] = [];
    for (const r of t.rows) {
      const v = numberCell(r[i]);
      if (v !== null) values.push(v);
    }
    if (values.length === 0) return;
    values.sort((a, b) => a - b);
    charts.push(...distributionPair(ids, `${title}: ${name}`, unit, values, `${values.length} rows of ${t.file.split("/").pop()} with a value`));
  });
  return charts;
}
