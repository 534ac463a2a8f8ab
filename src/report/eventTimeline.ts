/**
 * An event log (events.csv, nodes.csv, leases.csv: rows with a time and no numeric
 * column) as a timeline: one lane per reason (events.csv's `kind`), a point where an event
 * of that reason happened; and the first rows as a filterable table.
 */
import { type CsvTable } from "./csvTable.js";
import { ChartIds } from "./chartIds.js";
import { MAX_CHART_POINTS } from "./downsample.js";
import type { Chart, TableBlock } from "./model.js";
import { EVENT_CATEGORY_COLUMNS } from "./seriesGroups.js";
import { TIME_COLUMN, times } from "./timeColumn.js";

/** Lanes of a timeline; the rarer reasons beyond share the last lane [kubesim choice: a readable chart]. */
export const MAX_LANES = 20;
/** Rows of an event log shown as a table [kubesim choice: the page stays light; the CSV has them all]. */
export const MAX_TABLE_ROWS = 500;
/** The shared lane; parenthesised so it cannot be a reason's own name. */
const OTHER_LANE = "(other)";

/** The column whose values name the lanes: a known one, else the first text column with few values. */
function categoryColumn(t: CsvTable, timeCol: number): number {
  for (const name of EVENT_CATEGORY_COLUMNS) {
    const i = t.columns.indexOf(name);
    if (i >= 0 && i !== timeCol) return i;
  }
  for (let i = 0; i < t.columns.length; i++) {
    if (i === timeCol) continue;
    if (new Set(t.rows.map((r) => r[i])).size <= MAX_LANES) return i;
  }
  return -1;
}

export function eventTimeline(t: CsvTable, ids: ChartIds, title: string): Chart | undefined {
  if (t.rows.length === 0) return undefined;
  const timeCol = t.columns.indexOf(TIME_COLUMN);
  const at = times(t, timeCol);
  const catCol = categoryColumn(t, timeCol);
  const category = (r: string[]) => (catCol < 0 ? "events" : r[catCol] || "(empty)");
  const counts = new Map<string, number>();
  for (const r of t.rows) counts.set(category(r), (counts.get(category(r)) ?? 0) + 1);
  // The most frequent reasons get lanes of their own (ties: first seen first).
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const own = new Set(byCount.slice(0, counts.size > MAX_LANES ? MAX_LANES - 1 : MAX_LANES).map(([k]) => k));
  const lanes = [...counts.keys()].filter((k) => own.has(k));
  if (counts.size > lanes.length) lanes.push(OTHER_LANE);
  const laneIndex = new Map(lanes.map((k, i) => [k, i]));
  const laneOf = (r: string[]) => laneIndex.get(category(r)) ?? lanes.length - 1;

  // x: the distinct instants; binned when there are more than a chart carries.
  const sorted = [...new Set(at)].sort((a, b) => a - b);
  let x = sorted;
  let slot: (s: number) => number;
  let note: string | undefined;
  if (sorted.length > MAX_CHART_POINTS) {
    const min = sorted[0];
    const width = (sorted[sorted.length - 1] - min) / (MAX_CHART_POINTS - 1);
    x = Array.from({ length: MAX_CHART_POINTS }, (_, b) => min + b * width);
    slot = (s) => Math.round((s - min) / width);
    note = `${sorted.length} distinct instants shown in ${MAX_CHART_POINTS} time bins of ${width.toFixed(3)} s: a point means at least one event in the bin.`;
  } else {
    const index = new Map(sorted.map((s, i) => [s, i]));
    slot = (s) => index.get(s)!;
  }
  const values = lanes.map(() => new Array<number | null>(x.length).fill(null));
  t.rows.forEach((r, i) => {
    const lane = laneOf(r);
    values[lane][slot(at[i])] = lane;
  });
  const laneCount = (k: string) => (k === OTHER_LANE ? t.rows.length - [...own].reduce((s, o) => s + counts.get(o)!, 0) : counts.get(k)!);
  return {
    id: ids.next(`${t.file}-timeline`),
    title: `${title}: ${t.rows.length} by ${catCol < 0 ? "time" : t.columns[catCol]}`,
    kind: "points",
    xLabel: "simulated time",
    xAxis: "time",
    yLabel: catCol < 0 ? "" : t.columns[catCol],
    yCategories: lanes,
    x,
    series: lanes.map((k, i) => ({ label: `${k} (${laneCount(k)})`, values: values[i] })),
    note,
  };
}

export function firstRowsTable(t: CsvTable, ids: ChartIds, title: string, filterable: boolean): TableBlock {
  const shown = t.rows.slice(0, MAX_TABLE_ROWS);
  return {
    id: ids.next(`${t.file}-table`),
    title,
    columns: t.columns,
    rows: shown,
    filterable,
    note: t.rows.length > shown.length ? `The first ${shown.length} of ${t.rows.length} rows; ${t.file} has them all.` : undefined,
  };
}
