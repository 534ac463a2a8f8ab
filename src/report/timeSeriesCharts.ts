/**
 * A CSV with a sim_time_s column as charts, whatever its other columns are:
 * - one row per instant ("wide", timeseries.csv, controlplane.csv): the known columns in
 *   their groups (seriesGroups.ts), every other numeric column in a chart of its own, and
 *   text columns (the etcd leader, a lease holder) as their cumulative number of changes;
 * - several rows per instant, told apart by a text column ("long", pools.csv by pool,
 *   api_requests.csv by verb): a chart per numeric column, a series per key;
 * - no numeric column at all: an event log (eventTimeline.ts).
 * Series longer than MAX_CHART_POINTS are downsampled keeping each run's min and max.
 */
import { basename } from "node:path";
import { isNumericColumn, numberCell, type CsvTable } from "./csvTable.js";
import { ChartIds } from "./chartIds.js";
import { downsampleIndices, pick } from "./downsample.js";
import { eventTimeline, firstRowsTable } from "./eventTimeline.js";
import type { Chart, ChartSeries, Section } from "./model.js";
import { EVENT_LOG_FILES, FILE_TITLES, KEY_COLUMNS, SERIES_GROUPS } from "./seriesGroups.js";
import { TIME_COLUMN, times } from "./timeColumn.js";

/** Series of one chart of a long file; the keys beyond are named in the note [kubesim choice: a readable legend]. */
export const MAX_SERIES_PER_CHART = 12;

export function sectionTitle(t: CsvTable): string {
  return FILE_TITLES[basename(t.file)] ?? basename(t.file);
}

/** A chart of time series, downsampled when long. */
export function timeChart(id: string, title: string, yLabel: string, x: number[], series: ChartSeries[], note?: string): Chart {
  const keep = downsampleIndices(x.length, series.map((s) => s.values));
  const reduced = keep.length < x.length;
  const notes = [note, reduced ? `Downsampled from ${x.length} to ${keep.length} instants (each interval's first, last, minimum and maximum kept).` : undefined].filter(Boolean);
  return {
    id,
    title,
    kind: "line",
    xLabel: "simulated time",
    xAxis: "time",
    yLabel,
    x: reduced ? pick(x, keep) : x,
    series: reduced ? series.map((s) => ({ label: s.label, values: pick(s.values, keep) })) : series,
    note: notes.length > 0 ? notes.join(" ") : undefined,
  };
}

interface Columns {
  timeCol: number;
  numeric: number[];
  text: number[];
}

function classify(t: CsvTable): Columns {
  const timeCol = t.columns.indexOf(TIME_COLUMN);
  const numeric: number[] = [];
  const text: number[] = [];
  t.columns.forEach((_, i) => {
    if (i === timeCol) return;
    if (t.rows.every((r) => r[i] === "")) return; // nothing to draw
    (isNumericColumn(t, i) ? numeric : text).push(i);
  });
  return { timeCol, numeric, text };
}

function wideCharts(t: CsvTable, cols: Columns, at: number[], ids: ChartIds): Chart[] {
  const charts: Chart[] = [];
  const name = basename(t.file);
  const column = (i: number): ChartSeries => ({ label: t.columns[i], values: t.rows.map((r) => numberCell(r[i])) });
  const grouped = new Set<number>();
  for (const g of SERIES_GROUPS[name] ?? []) {
    const present = g.columns.map((c) => t.columns.indexOf(c)).filter((i) => cols.numeric.includes(i));
    if (present.length === 0) continue;
    present.forEach((i) => grouped.add(i));
    charts.push(timeChart(ids.next(`${name}-${g.title}`), g.title, g.yLabel, at, present.map(column)));
  }
  for (const i of cols.numeric) {
    if (grouped.has(i)) continue;
    const grouping = SERIES_GROUPS[name] ? " (other series)" : "";
    charts.push(timeChart(ids.next(`${name}-${t.columns[i]}`), `${t.columns[i]}${grouping}`, t.columns[i], at, [column(i)]));
  }
  if (cols.text.length > 0) {
    const series = cols.text.map((i) => {
      let changes = 0;
      const values = t.rows.map((r, k) => {
        if (k > 0 && r[i] !== t.rows[k - 1][i]) changes++;
        return changes;
      });
      return { label: `${t.columns[i]} changes`, values };
    });
    charts.push(timeChart(ids.next(`${name}-changes`), `Changes of ${cols.text.map((i) => t.columns[i]).join(", ")} (cumulative)`, "changes", at, series, "A change is a sample whose value differs from the previous sample's (a new leader, a lost one)."));
  }
  return charts;
}

function longCharts(t: CsvTable, cols: Columns, at: number[], ids: ChartIds): Chart[] {
  const name = basename(t.file);
  const keyCol = cols.text[0];
  const x = [...new Set(at)].sort((a, b) => a - b);
  const slot = new Map(x.map((s, i) => [s, i]));
  const keys = [...new Set(t.rows.map((r) => r[keyCol]))];
  const shown = keys.slice(0, MAX_SERIES_PER_CHART);
  const keyIndex = new Map(shown.map((k, i) => [k, i]));
  const left = keys.length - shown.length;
  const note = left > 0 ? `The first ${shown.length} of ${keys.length} ${t.columns[keyCol]} values (${left} more in ${name}).` : undefined;
  return cols.numeric.map((i) => {
    const values = shown.map(() => new Array<number | null>(x.length).fill(null));
    t.rows.forEach((r, k) => {
      const s = keyIndex.get(r[keyCol]);
      if (s !== undefined) values[s][slot.get(at[k])!] = numberCell(r[i]);
    });
    const series = shown.map((key, s) => ({ label: key === "" ? "(none)" : key, values: values[s] }));
    return timeChart(ids.next(`${name}-${t.columns[i]}`), `${t.columns[i]} by ${t.columns[keyCol]}`, t.columns[i], x, series, note);
  });
}

export function isEventLog(t: CsvTable): boolean {
  return EVENT_LOG_FILES.includes(basename(t.file));
}

/** The charts (and, for an event log, the table) of one file with a sim_time_s column. */
export function timeSeriesSection(t: CsvTable, ids: ChartIds): Section {
  const title = sectionTitle(t);
  const section: Section = { title, source: basename(t.file), charts: [], tables: [] };
  if (t.rows.length === 0) {
    section.tables.push({ ...firstRowsTable(t, ids, `${title}: no rows in this run`, false), note: `${basename(t.file)} has its header only.` });
    return section;
  }
  const cols = classify(t);
  let at = times(t, cols.timeCol);
  if (at.some((s, k) => k > 0 && s < at[k - 1])) {
    // uPlot needs x ascending; a file written out of order is charted in time order (stable).
    const order = at.map((_, k) => k).sort((a, b) => at[a] - at[b] || a - b);
    t = { ...t, rows: order.map((k) => t.rows[k]) };
    at = order.map((k) => at[k]);
  }
  if (cols.numeric.length === 0 || isEventLog(t)) {
    const timeline = eventTimeline(t, ids, title);
    if (timeline) section.charts.push(timeline);
    section.tables.push(firstRowsTable(t, ids, `${title}: first rows`, true));
    return section;
  }
  const keyed = cols.text.length > 0 && KEY_COLUMNS.includes(t.columns[cols.text[0]]);
  const wide = !keyed && (new Set(at).size === at.length || cols.text.length === 0);
  if (wide && new Set(at).size !== at.length) {
    // Repeated instants and no key to tell the rows apart: the last row of each instant.
    const last = new Map<number, number>();
    at.forEach((s, k) => last.set(s, k));
    const rows = [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, k]) => t.rows[k]);
    const deduped = { ...t, rows };
    section.charts.push(...wideCharts(deduped, cols, times(deduped, cols.timeCol), ids));
  } else if (wide) section.charts.push(...wideCharts(t, cols, at, ids));
  else section.charts.push(...longCharts(t, cols, at, ids));
  return section;
}
