/**
 * What a report is made of, before it is HTML: sections of charts and tables. A chart's
 * data is uPlot's shape (one x array, a y array per series, null for a gap), so the page
 * script hands it over as is.
 */

export type ChartKind =
  /** Lines through the samples. */
  | "line"
  /** Points only: events on a timeline. */
  | "points"
  /** Bars: a histogram or counts per bin. */
  | "bars"
  /** Lines with a 95% confidence band between two of the series (a sweep). */
  | "band";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface Chart {
  /** Unique in the page; the chart's element id. */
  id: string;
  title: string;
  kind: ChartKind;
  xLabel: string;
  /** "time": x is simulated seconds, shown as durations; "category": x is an index into xCategories. */
  xAxis: "time" | "number" | "category";
  xCategories?: string[];
  /** A logarithmic x scale (a latency CDF spanning decades). */
  xLog?: boolean;
  yLabel: string;
  /** A fixed y range (a CDF: 0 to 1); otherwise the data's. */
  yRange?: [number, number];
  /** Category names of a timeline's y lanes (y is an index into them). */
  yCategories?: string[];
  x: number[];
  series: ChartSeries[];
  /** For kind "band": [upper, lower] series indices (into series, 0-based) whose space is filled. */
  bands?: [number, number][];
  /** Said under the chart: downsampling, series left out. */
  note?: string;
}

export interface TableBlock {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  /** The page offers a filter box over the rows. */
  filterable?: boolean;
  note?: string;
}

export interface Section {
  title: string;
  /** Where the section's data comes from (file names). */
  source?: string;
  charts: Chart[];
  tables: TableBlock[];
}

export interface Report {
  kind: "run" | "sweep";
  title: string;
  /** The title block: label and value. */
  facts: [string, string][];
  sections: Section[];
  /** Page-wide notes (how series were reduced). */
  notes: string[];
}
