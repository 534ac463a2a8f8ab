/**
 * Each PoissonArrivals' rate over time as the engine's RateCurve, resolved once per
 * scenario (its CSV file read once) and handed to both the size check (expected pods)
 * and the run. A CSV's rows become steps: row i's rate from its time on, and none after
 * the last row's interval.
 */
import { isAbsolute, join, relative } from "node:path";
import { US_PER_S } from "../engine/simulation.js";
import { maxRate, type RateCurve } from "../engine/rateCurve.js";
import { durationUs, formatDurationUs, isDuration } from "./duration.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import { parseCsv } from "./csvTable.js";
import { readInputFile } from "./inputFile.js";
import type { Scenario } from "./schema.js";
import type { WorkloadObject } from "./workloadEntries.js";

type Arrivals = Extract<WorkloadObject, { kind: "PoissonArrivals" }>;

/** The curve of each PoissonArrivals object of a scenario (by object identity). */
export type ArrivalRates = Map<object, RateCurve>;

/** Maps a path of the validated scenario to where the user wrote it (a manifest file). */
type Locate = (path: PathSegment[]) => { file: string; path: PathSegment[] };

/** PoissonArrivals are only in `workloads` (an apply action refuses them). */
export function resolveArrivalRates(s: Scenario, baseDir: string, locate: Locate): ArrivalRates {
  const out: ArrivalRates = new Map();
  s.workloads.forEach((w, i) => {
    if ("kind" in w && w.kind === "PoissonArrivals") out.set(w, arrivalRateCurve(w, ["workloads", i], baseDir, locate));
  });
  return out;
}

/**
 * A CSV that ends before the arrivals would stop (its `stop`, else the end of the run):
 * no arrivals after its last row, which the user may not expect. One warning each.
 */
export function csvEndWarnings(s: Scenario, rates: ArrivalRates, file: string): string[] {
  const out: string[] = [];
  const runUs = durationUs(s.duration);
  s.workloads.forEach((w, i) => {
    if (!("kind" in w) || w.kind !== "PoissonArrivals" || !w.csv) return;
    const c = rates.get(w);
    if (c?.type !== "steps") return;
    const endUs = c.atUs[c.atUs.length - 1];
    const stopUs = Math.min(runUs, w.stop === undefined ? runUs : durationUs(w.stop));
    if (endUs < stopUs) {
      out.push(`${file}: workloads[${i}] (PoissonArrivals ${w.name}): ${w.csv.file} ends at ${formatDurationUs(endUs)} (its last row's rate lasts until then), before ${w.stop === undefined ? `the end of the run (duration ${s.duration})` : `stop (${w.stop})`}: no arrivals after ${formatDurationUs(endUs)}`);
    }
  });
  return out;
}

/** The run's fields for a curve (run/spec.ts ArrivalSpec): a constant stays a mean interval. */
export function arrivalRate(c: RateCurve): { meanInterarrivalUs: number; rate?: RateCurve } {
  if (c.type === "constant") return { meanInterarrivalUs: c.meanIntervalUs };
  return { meanInterarrivalUs: US_PER_S / maxRate(c), rate: c };
}

export function arrivalRateCurve(w: Arrivals, at: PathSegment[], baseDir: string, locate: Locate): RateCurve {
  if (w.rate !== undefined) return { type: "constant", meanIntervalUs: US_PER_S / w.rate };
  if (w.meanInterarrival !== undefined) return { type: "constant", meanIntervalUs: durationUs(w.meanInterarrival) };
  if (w.steps) return { type: "steps", atUs: w.steps.map((x) => durationUs(x.at)), perS: w.steps.map((x) => x.rate) };
  if (w.daily) return { type: "daily", minPerS: w.daily.min, maxPerS: w.daily.max, peakAtUs: durationUs(w.daily.peakAt) };
  return csvCurve(w.csv!, [...at, "csv"], baseDir, locate);
}

function csvCurve(c: NonNullable<Arrivals["csv"]>, at: PathSegment[], baseDir: string, locate: Locate): RateCurve {
  const where = locate(at);
  const fieldError = (field: string, expected: string) => new ScenarioError(where.file, formatPath([...where.path, field]), expected);
  const full = isAbsolute(c.file) ? c.file : join(baseDir, c.file);
  const shown = isAbsolute(c.file) ? c.file : relative(process.cwd(), full) || c.file;
  const table = parseCsv(readInputFile(full, c.file, { file: where.file, path: formatPath([...where.path, "file"]), noun: "CSV file" }), shown);
  const columnIndex = (field: "column" | "timeColumn", name: string): number => {
    const k = table.header.indexOf(name);
    if (k < 0) throw fieldError(field, `expected a column of ${shown} (${table.header.map((h) => JSON.stringify(h)).join(", ")}), got ${JSON.stringify(name)}`);
    return k;
  };
  const rateColumn = columnIndex("column", c.column);
  const timeColumn = c.timeColumn === undefined ? -1 : columnIndex("timeColumn", c.timeColumn);
  if (table.rows.length === 0) throw new ScenarioError(shown, "", "expected at least one row of rates after the header, got none");
  const cellError = (r: number, column: string, expected: string, got: string) =>
    new ScenarioError(shown, "", `row ${table.rowNumbers[r]}: column ${JSON.stringify(column)}: ${expected}, got ${JSON.stringify(got)}`);
  const scale = c.scale ?? 1;
  const perS = table.rows.map((row, r) => {
    const v = row[rateColumn].trim();
    const n = NUMBER.test(v) ? Number(v) : NaN;
    if (!(Number.isFinite(n) && n >= 0)) throw cellError(r, c.column, "expected a number of pods per second (0 or more)", row[rateColumn]);
    return n * scale;
  });
  const intervalUs = c.interval === undefined ? -1 : durationUs(c.interval);
  let atUs: number[];
  if (timeColumn < 0) {
    atUs = perS.map((_, r) => r * intervalUs);
  } else {
    const times = table.rows.map((row, r) => {
      const v = row[timeColumn].trim();
      if (NUMBER.test(v)) return { seconds: Number(v), us: NaN };
      if (isDuration(v)) return { seconds: NaN, us: durationUs(v) };
      throw cellError(r, c.timeColumn!, "expected a time in seconds (such as Unix time 1733220000) or a duration (such as 90s or 1h30m)", row[timeColumn]);
    });
    // Counted from the first row: seconds (Unix time from an export) or durations, not both.
    atUs = times.map((t, r) => {
      const bySeconds = !Number.isNaN(times[0].seconds);
      if (bySeconds !== !Number.isNaN(t.seconds)) {
        throw cellError(r, c.timeColumn!, `expected a time written as row ${table.rowNumbers[0]}'s (${bySeconds ? "seconds" : "a duration"})`, table.rows[r][timeColumn]);
      }
      return bySeconds ? Math.round((t.seconds - times[0].seconds) * US_PER_S) : t.us - times[0].us;
    });
    for (let r = 1; r < atUs.length; r++) {
      if (atUs[r] <= atUs[r - 1]) throw cellError(r, c.timeColumn!, `expected a time after row ${table.rowNumbers[r - 1]}'s`, table.rows[r][timeColumn]);
    }
  }
  const n = atUs.length;
  const lastUs = intervalUs > 0 ? intervalUs : n >= 2 ? atUs[n - 1] - atUs[n - 2] : -1;
  if (lastUs <= 0) throw fieldError("interval", "required field is missing (a CSV of one row needs the interval its rate lasts)");
  return { type: "steps", atUs: [...atUs, atUs[n - 1] + lastUs], perS: [...perS, 0] };
}

/** A plain decimal number as a CSV cell holds one (no hex, no Infinity, no empty cell). */
const NUMBER = /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/;
