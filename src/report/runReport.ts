/**
 * A run folder (kubesim run's output, docs/output.md) as a report: the title block from
 * manifest.json, summary.csv as a table, every CSV with a sim_time_s column as charts
 * (timeSeriesCharts.ts), the latency distributions, the event logs as timelines, and the
 * remaining CSVs as tables. Files are found by listing the folder, so a file a component
 * adds later is in the report without a change here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { isNumericColumn, readCsv, type CsvTable } from "./csvTable.js";
import { ChartIds } from "./chartIds.js";
import { eventDurationCharts, histogramFileChart, histogramFileColumns, podDistributionCharts } from "./distributionCharts.js";
import { HISTOGRAM_BINS, MAX_CDF_POINTS } from "./distribution.js";
import { MAX_CHART_POINTS } from "./downsample.js";
import { ReportInputError } from "./errors.js";
import { firstRowsTable, MAX_TABLE_ROWS } from "./eventTimeline.js";
import type { Report, Section } from "./model.js";
import { FILE_ORDER } from "./seriesGroups.js";
import { TIME_COLUMN } from "./timeColumn.js";
import { isEventLog, sectionTitle, timeSeriesSection } from "./timeSeriesCharts.js";

export const RUN_MARKERS = ["manifest.json", "timeseries.csv"];

/** The manifest fields the title block shows; all optional, so an older or newer manifest still reads. */
interface ManifestFacts {
  kubesim_version?: unknown;
  scenario_file?: unknown;
  scenario_name?: unknown;
  seed?: unknown;
  overrides?: unknown;
  warnings?: unknown;
  node_version?: unknown;
  wall_clock_start?: unknown;
  wall_clock_duration_s?: unknown;
  /** Added by kubesim's progress work; derived from the duration when absent. */
  simulated_s_per_wall_s?: unknown;
}

function readManifest(dir: string): ManifestFacts {
  const file = join(dir, "manifest.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ReportInputError(`${file}: expected the run's manifest as JSON, got ${e instanceof SyntaxError ? `invalid JSON (${e.message})` : "an unreadable file"}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ReportInputError(`${file}: expected a JSON object, got ${Array.isArray(parsed) ? "an array" : JSON.stringify(parsed)}`);
  return parsed as ManifestFacts;
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v));
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function summaryValue(summary: CsvTable | undefined, metric: string): number | undefined {
  const row = summary?.rows.find((r) => r[0] === metric);
  return row ? num(Number(row[1])) : undefined;
}

function facts(m: ManifestFacts, summary: CsvTable | undefined, lastTimeS: number | undefined): [string, string][] {
  const out: [string, string][] = [];
  const add = (label: string, v: string | undefined) => {
    if (v !== undefined && v !== "") out.push([label, v]);
  };
  add("Scenario", [text(m.scenario_name), text(m.scenario_file) ? `(${text(m.scenario_file)})` : undefined].filter(Boolean).join(" "));
  add("Seed", text(m.seed));
  if (Array.isArray(m.overrides) && m.overrides.length > 0) add("Overrides", m.overrides.map((o) => `--set ${String(o)}`).join(" "));
  add("kubesim version", text(m.kubesim_version));
  const simS = summaryValue(summary, "sim_duration_s") ?? lastTimeS;
  add("Simulated duration", simS === undefined ? undefined : `${simS} s`);
  const wallS = num(m.wall_clock_duration_s);
  add("Wall-clock time", wallS === undefined ? undefined : `${wallS} s`);
  const speed = num(m.simulated_s_per_wall_s);
  if (speed !== undefined) add("Simulated s per wall-clock s", String(speed));
  else if (simS !== undefined && wallS !== undefined && wallS > 0) add("Simulated s per wall-clock s", `${(simS / wallS).toFixed(0)} (simulated duration / wall-clock time)`);
  add("Started", text(m.wall_clock_start));
  add("Node.js", text(m.node_version));
  if (Array.isArray(m.warnings)) add("Warnings", m.warnings.length === 0 ? "none" : m.warnings.map(String).join("\n"));
  return out;
}

function fileRank(name: string): number {
  const i = FILE_ORDER.indexOf(name);
  return i < 0 ? FILE_ORDER.length : i;
}

export function isRunFolder(dir: string): boolean {
  return RUN_MARKERS.every((f) => existsSync(join(dir, f)));
}

export function runReport(dir: string): Report {
  const manifest = readManifest(dir);
  const csvNames = readdirSync(dir)
    .filter((f) => f.endsWith(".csv"))
    .sort((a, b) => fileRank(a) - fileRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const tables = csvNames.map((f) => readCsv(join(dir, f)));
  const byName = new Map(csvNames.map((f, i) => [f, tables[i]]));
  const ids = new ChartIds();
  const summary = byName.get("summary.csv");
  const timeseries = byName.get("timeseries.csv")!;
  const tcol = timeseries.columns.indexOf(TIME_COLUMN);
  if (tcol < 0) throw new ReportInputError(`${timeseries.file}: expected a column "${TIME_COLUMN}", got columns ${timeseries.columns.join(", ")}`);
  const lastTimeS = timeseries.rows.length > 0 ? Number(timeseries.rows[timeseries.rows.length - 1][tcol]) : undefined;

  const sections: Section[] = [];
  if (summary) sections.push({ title: "Summary", source: "summary.csv", charts: [], tables: [{ id: ids.next("summary"), title: "summary.csv", columns: summary.columns, rows: summary.rows, filterable: true }] });

  const timed = tables.filter((t) => t.columns.includes(TIME_COLUMN));
  const isLog = (t: CsvTable) => isEventLog(t) || t.columns.every((c, i) => c === TIME_COLUMN || !isNumericColumn(t, i));
  for (const t of timed.filter((t) => !isLog(t))) sections.push(timeSeriesSection(t, ids));

  const distributions: Section = { title: "Latency distributions", charts: [], tables: [] };
  const pods = byName.get("pods.csv");
  if (pods) distributions.charts.push(...podDistributionCharts(pods, ids));
  for (const t of timed.filter(isLog)) distributions.charts.push(...eventDurationCharts(t, ids, sectionTitle(t)));
  for (const t of tables.filter((t) => !t.columns.includes(TIME_COLUMN) && histogramFileColumns(t))) {
    const c = histogramFileChart(t, ids, sectionTitle(t));
    if (c) distributions.charts.push(c);
  }
  distributions.source = [pods ? "pods.csv" : undefined, ...tables.filter((t) => histogramFileColumns(t)).map((t) => basename(t.file))].filter(Boolean).join(", ");
  if (distributions.charts.length > 0) sections.push(distributions);

  for (const t of timed.filter(isLog)) sections.push(timeSeriesSection(t, ids));

  const rest = tables.filter((t) => !t.columns.includes(TIME_COLUMN) && t !== summary && !histogramFileColumns(t));
  if (rest.length > 0) sections.push({ title: "Tables", charts: [], tables: rest.map((t) => firstRowsTable(t, ids, sectionTitle(t), true)) });

  const name = text(manifest.scenario_name) ?? dir;
  return {
    kind: "run",
    title: `kubesim run: ${name}, seed ${text(manifest.seed) ?? "?"}`,
    facts: facts(manifest, summary, lastTimeS),
    sections,
    notes: [
      `Time series longer than ${MAX_CHART_POINTS.toLocaleString("en-US")} samples are downsampled, keeping each interval's first, last, minimum and maximum, so spikes and extremes stay visible.`,
      `Distributions are computed from all values and drawn at up to ${MAX_CDF_POINTS} quantiles (CDF) and ${HISTOGRAM_BINS} bins (histogram).`,
      `Tables show at most the first ${MAX_TABLE_ROWS} rows of a file; the CSV files in this folder have them all.`,
    ],
  };
}
