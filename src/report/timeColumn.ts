/** The sim_time_s column of a time-series or event file, as numbers. */
import { type CsvTable } from "./csvTable.js";
import { ReportInputError } from "./errors.js";

export const TIME_COLUMN = "sim_time_s";

export function times(t: CsvTable, col: number): number[] {
  return t.rows.map((r, i) => {
    const s = r[col];
    const n = Number(s);
    // Row i is line i + 2 (after the header) unless a quoted field spans lines; close enough to find it.
    if (s === "" || !Number.isFinite(n)) throw new ReportInputError(`${t.file}:${i + 2}: ${TIME_COLUMN}: expected a number of seconds, got ${JSON.stringify(s)}`);
    return n;
  });
}
