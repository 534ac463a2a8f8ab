/** sweep.csv and sweep-summary.csv from hand-made run summaries. */
import { describe, expect, it } from "vitest";
import { parseParams } from "../../../src/experiments/sweep/grid.js";
import { parseSummaryCsv, sweepSummaryTable, sweepTable, type RunSummary } from "../../../src/experiments/sweep/tables.js";
import { tableCsv } from "../../../src/metrics/csv.js";

const grid = { params: parseParams(["nodes=2,4"]), seeds: [1, 2, 3] };
const run = (point: number, seed: number, metrics: [string, string][]): RunSummary => ({ point, seed, metrics });

// Point 0: m = 10, 12, 14; point 1: m = 11, 12.5, 17 (d = 1, 0.5, 3); extra only in one run.
const runs = [
  run(1, 3, [["m", "17"]]),
  run(0, 1, [["m", "10"]]),
  run(0, 2, [["m", "12"]]),
  run(0, 3, [["m", "14"]]),
  run(1, 1, [
    ["m", "11"],
    ["extra", "5"],
  ]),
  run(1, 2, [["m", "12.500000"]]),
];

describe("sweep tables", () => {
  it("sweep.csv: rows in (point, seed) order, param values as typed, metrics wide in first-seen order, missing cells empty", () => {
    expect(tableCsv(sweepTable(grid, runs))).toBe(
      ["point,nodes,seed,m,extra", "0,2,1,10,", "0,2,2,12,", "0,2,3,14,", "1,4,1,11,5", "1,4,2,12.500000,", "1,4,3,17,", ""].join("\n"),
    );
  });

  it("sweep-summary.csv: mean, sd, t interval; paired differences against the baseline; n < 2 leaves sd and interval empty", () => {
    const t = sweepSummaryTable(grid, runs, [0, 0]);
    expect(t.columns.slice(0, 4)).toEqual(["point", "nodes", "metric", "n"]);
    const row = (p: number, m: string) => Object.fromEntries(t.columns.map((c, i) => [c, t.rows.find((r) => r[0] === p && r[2] === m)![i]]));
    const base = row(0, "m");
    // 10, 12, 14: mean 12, sd 2, half-width t_{0.975,2} · 2/√3 = 4.302653 · 1.154701 = 4.968275.
    expect(base).toMatchObject({ n: 3, mean: 12, sd: 2, baseline_point: 0, paired_n: null, paired_diff_mean: null });
    expect(base.ci95_low as number).toBeCloseTo(12 - 4.968275, 5);
    const other = row(1, "m");
    // d = 1, 0.5, 3: mean 1.5, sd √(((−.5)² + (−1)² + 1.5²)/2) = √1.75.
    expect(other).toMatchObject({ n: 3, baseline_point: 0, paired_n: 3, paired_diff_mean: 1.5 });
    expect(other.paired_diff_sd as number).toBeCloseTo(Math.sqrt(1.75), 12);
    expect(other.paired_ci95_high as number).toBeCloseTo(1.5 + (4.302653 * Math.sqrt(1.75)) / Math.sqrt(3), 5);
    // "extra" is in one run of point 1 only; point 0 has none of it.
    expect(row(1, "extra")).toMatchObject({ n: 1, mean: 5, sd: null, ci95_low: null, paired_n: 0, paired_diff_mean: null });
    expect(row(0, "extra")).toMatchObject({ n: 0, mean: null });
    expect(tableCsv(t).split("\n")[1]).toBe("0,2,m,3,12,2,7.031725,16.968275,0,,,,,");
  });

  it("reads summary.csv as kubesim writes it, and refuses anything else", () => {
    expect(parseSummaryCsv("metric,value\na,1\nb,0.500000\n")).toEqual([
      ["a", "1"],
      ["b", "0.500000"],
    ]);
    expect(() => parseSummaryCsv("x,y\n")).toThrow('expected the header metric,value, got "x,y"');
    expect(() => parseSummaryCsv("metric,value\na,1,2\n")).toThrow('line 2: expected metric,value, got "a,1,2"');
  });
});
