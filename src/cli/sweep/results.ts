/**
 * The end of a sweep (or of a merge): its tables from the runs' summaries, written
 * with sweep.json into the sweep's folder all at once, and the terminal table.
 */
import { relative } from "node:path";
import type { SweepGrid } from "../../experiments/sweep/grid.js";
import { sweepSummaryTable, sweepTable, sweepTimingTable } from "../../experiments/sweep/tables.js";
import { tableCsv } from "../../metrics/csv.js";
import type { RunRead, SweepRecord } from "./sweepFolder.js";
import { recordJson, SWEEP_RECORD, writeFilesAtomically } from "./sweepFolder.js";
import { sweepTerminalTable } from "./terminalTable.js";

export interface FinishedRun extends RunRead {
  /** The run's folder (absolute or relative to the working directory). */
  dir: string;
}

export function writeSweepResults(
  out: string,
  grid: SweepGrid,
  record: Omit<SweepRecord, "kind" | "runs" | "shard">,
  runs: readonly FinishedRun[],
  baselineOf: readonly number[],
): string {
  const seedIndex = new Map(grid.seeds.map((s, i) => [s, i]));
  const ordered = [...runs].sort((a, b) => a.summary.point - b.summary.point || seedIndex.get(a.summary.seed)! - seedIndex.get(b.summary.seed)!);
  const summaries = ordered.map((r) => r.summary);
  const timings = ordered.map((r) => r.timing);
  const full: SweepRecord = {
    kind: "kubesim-sweep",
    ...record,
    runs: ordered.map((r) => ({ point: r.summary.point, seed: r.summary.seed, dir: relative(out, r.dir) })),
  };
  writeFilesAtomically(out, [
    ...[sweepTable(grid, summaries), sweepSummaryTable(grid, summaries, baselineOf), sweepTimingTable(grid, timings)].map((t) => ({ name: t.file, content: tableCsv(t) })),
    { name: SWEEP_RECORD, content: recordJson(full) },
  ]);
  return sweepTerminalTable(grid, summaries, timings);
}
