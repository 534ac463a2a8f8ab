/**
 * PoissonArrivals' rates over time in a scenario: steps, a daily curve and a CSV column
 * resolve to the curve the run samples (the CSV read row by row as written), bad input is
 * one line naming the file and the field or row, and a run's pods follow a step.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareScenario } from "../../src/scenario/load.js";
import { ClusterRun } from "../../src/run/run.js";

const S = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), "kubesim-rates-"));
const csv = (name: string, text: string) => writeFileSync(join(dir, name), text);

const scenario = (rate: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: "r",
  duration: "2h",
  nodePools: [{ name: "a", count: 2, allocatable: { cpu: 64, memory: "256Gi" } }],
  workloads: [{ kind: "PoissonArrivals", name: "b", lifetime: "1m", template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: "10m" } } }] } }, ...rate, ...extra }],
});
const prepare = (rate: Record<string, unknown>, extra?: Record<string, unknown>) => prepareScenario(scenario(rate, extra), "s.yaml", { baseDir: dir });
const err = (rate: Record<string, unknown>, extra?: Record<string, unknown>): string => {
  try {
    prepare(rate, extra);
  } catch (e) {
    return (e as Error).message;
  }
  return "accepted";
};

describe("rate curves of PoissonArrivals", () => {
  it("a constant rate stays a mean interval, with no curve", () => {
    const a = prepare({ rate: 4 }).spec.arrivals[0];
    expect(a.meanInterarrivalUs).toBe(250_000);
    expect(a.rate).toBeUndefined();
  });

  it("steps and daily resolve to microseconds and pods per second", () => {
    expect(prepare({ steps: [{ at: "0s", rate: 1 }, { at: "30m", rate: 4.5 }] }).spec.arrivals[0].rate).toEqual({ type: "steps", atUs: [0, 1800 * S], perS: [1, 4.5] });
    expect(prepare({ daily: { min: 0.5, max: 2, peakAt: "14h" } }).spec.arrivals[0].rate).toEqual({ type: "daily", minPerS: 0.5, maxPerS: 2, peakAtUs: 14 * 3600 * S });
  });

  it("a CSV without a time column: row i from i x interval, scaled, none after the last row", () => {
    csv("plain.csv", "hour,rps,note\n0,10,night\n1,25.5,\"morning, busy\"\r\n2,0,quiet\n\n");
    const a = prepare({ csv: { file: "plain.csv", column: "rps", interval: "5m", scale: 0.1 } }).spec.arrivals[0];
    expect(a.rate!.type).toBe("steps");
    const r = a.rate as { atUs: readonly number[]; perS: readonly number[] };
    expect(r.atUs).toEqual([0, 300 * S, 600 * S, 900 * S]);
    expect(r.perS.map((x) => Math.round(x * 1000) / 1000)).toEqual([1, 2.55, 0, 0]);
  });

  it("a CSV time column in Unix seconds counts from the first row; the last row lasts the last gap", () => {
    csv("unix.csv", "\ufefftimestamp,value\n1733220000,3\n1733220060,6\n1733220120,9\n");
    const a = prepare({ csv: { file: "unix.csv", column: "value", timeColumn: "timestamp" } }).spec.arrivals[0];
    expect(a.rate).toEqual({ type: "steps", atUs: [0, 60 * S, 120 * S, 180 * S], perS: [3, 6, 9, 0] });
    expect(a.meanInterarrivalUs).toBeCloseTo(S / 9, 6);
  });

  it("a CSV time column of durations, with an interval for the last row", () => {
    csv("dur.csv", "at,pods\n10m,1\n1h,2\n");
    expect(prepare({ csv: { file: "dur.csv", column: "pods", timeColumn: "at", interval: "15m" } }).spec.arrivals[0].rate).toEqual({ type: "steps", atUs: [0, 3000 * S, 3900 * S], perS: [1, 2, 0] });
  });

  it("a CSV that ends before the run is a warning naming the file and when it ends", () => {
    csv("short-day.csv", "rps\n1\n2\n");
    expect(prepare({ csv: { file: "short-day.csv", column: "rps", interval: "10m" } }).warnings).toEqual([
      "s.yaml: workloads[0] (PoissonArrivals b): short-day.csv ends at 20m (its last row's rate lasts until then), before the end of the run (duration 2h): no arrivals after 20m",
    ]);
    expect(prepare({ csv: { file: "short-day.csv", column: "rps", interval: "10m" } }, { stop: "20m" }).warnings).toEqual([]);
  });

  it("the pods bound counts the integral of the curve", () => {
    // 2 h of a daily curve between 100 and 300 pods/s peaking at 1 h: 200/s x 7,200 s + (100/ω)(sin(ω 1h) - sin(-ω 1h)),
    // ω = 2π / 86,400 s: 1,440,000 + 2 x 1,375,098.7 x sin(π/12) = 2,151,803
    expect(err({ daily: { min: 100, max: 300, peakAt: "1h" } })).toBe(
      "s.yaml: workloads[0].daily: expected at most 500,000 pods created over the run (limits.pods), got 2,151,803 expected arrivals (the integral of the daily rate over 2h); raise the limit with --set limits.pods=2200000 or in the scenario's limits section",
    );
    expect(err({ steps: [{ at: "0s", rate: 0 }, { at: "1h55m", rate: 100 }] })).toBe("accepted"); // 5 min x 100/s = 30,000
  });
});

describe("bad rates are one line naming the field, the file and the row", () => {
  it.each([
    [{}, "s.yaml: workloads[0]: expected exactly one of rate (pods per second), meanInterarrival (a duration), steps, daily or csv, got none"],
    [{ rate: 1, daily: { min: 0, max: 1, peakAt: "1h" } }, "s.yaml: workloads[0]: expected exactly one of rate (pods per second), meanInterarrival (a duration), steps, daily or csv, got rate and daily"],
    [{ steps: [{ at: "1h", rate: 1 }, { at: "30m", rate: 2 }] }, 's.yaml: workloads[0].steps[1].at: expected a time after steps[0].at, got "30m"'],
    [{ steps: [{ at: "1h", rate: -1 }] }, "s.yaml: workloads[0].steps[0].rate: expected a number of pods per second (0 or more), got -1"],
    [{ daily: { min: 3, max: 2, peakAt: "14h" } }, "s.yaml: workloads[0].daily.max: expected a rate no lower than min (3), got 2"],
    [{ daily: { min: 1, max: 2, peakAt: "25h" } }, 's.yaml: workloads[0].daily.peakAt: expected a time of day before 24h, got "25h"'],
    [{ csv: { file: "plain.csv", column: "rps" } }, "s.yaml: workloads[0].csv.interval: expected how long each row's rate lasts, such as 1m (required without a timeColumn)"],
    [{ csv: { file: "nope.csv", column: "rps", interval: "1m" } }, 's.yaml: workloads[0].csv.file: expected a readable CSV file, got "nope.csv" (no such file)'],
    [{ csv: { file: "plain.csv", column: "RPS", interval: "1m" } }, 's.yaml: workloads[0].csv.column: expected a column of PLAIN ("hour", "rps", "note"), got "RPS"'],
  ])("%j", (rate, expected) => {
    csv("plain.csv", "hour,rps,note\n0,10,a\n");
    const shown = relative(process.cwd(), join(dir, "plain.csv"));
    expect(err(rate)).toBe(expected.replace("PLAIN", shown));
  });

  it("a bad cell names the CSV file, the row as a spreadsheet counts it, and the column", () => {
    csv("bad.csv", "t,rps\n0,1\n60,fast\n");
    const shown = relative(process.cwd(), join(dir, "bad.csv"));
    expect(err({ csv: { file: "bad.csv", column: "rps", timeColumn: "t" } })).toBe(`${shown}: row 3: column "rps": expected a number of pods per second (0 or more), got "fast"`);
    csv("order.csv", "t,rps\n0,1\n60,2\n30,3\n");
    expect(err({ csv: { file: "order.csv", column: "rps", timeColumn: "t" } })).toBe(`${shown.replace("bad", "order")}: row 4: column "t": expected a time after row 3's, got "30"`);
    csv("short.csv", "t,rps\n0,1\n60\n");
    expect(err({ csv: { file: "short.csv", column: "rps", timeColumn: "t" } })).toBe(`${shown.replace("bad", "short")}: row 3: expected 2 fields as in the header, got 1`);
    csv("one.csv", "t,rps\n0,1\n");
    expect(err({ csv: { file: "one.csv", column: "rps", timeColumn: "t" } })).toBe("s.yaml: workloads[0].csv.interval: required field is missing (a CSV of one row needs the interval its rate lasts)");
    csv("empty.csv", "t,rps\n");
    expect(err({ csv: { file: "empty.csv", column: "rps", interval: "1m" } })).toBe(`${shown.replace("bad", "empty")}: expected at least one row of rates after the header, got none`);
  });
});

describe("a run follows the curve", () => {
  it("steps 0 -> 2/s at 10 min -> 0 at 20 min: every arrival is created in [10 min, 20 min], about 1,200 of them", () => {
    const { spec } = prepare({ steps: [{ at: "0s", rate: 0 }, { at: "10m", rate: 2 }, { at: "20m", rate: 0 }] }, { lifetime: "30s" });
    const r = new ClusterRun({ ...spec, durationUs: 30 * 60 * S }).finish();
    const created = r.pods.filter((p) => p.owner === "PoissonArrivals/default/b").map((p) => p.created_s);
    expect(Math.min(...created)).toBeGreaterThanOrEqual(600);
    expect(Math.max(...created)).toBeLessThanOrEqual(1200.1); // created through the API: at most its latency after the arrival
    expect(Math.abs(created.length - 1200)).toBeLessThan(4 * Math.sqrt(1200));
  });
});
