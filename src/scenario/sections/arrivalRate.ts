/**
 * A PoissonArrivals' rate over time: besides a constant `rate` or `meanInterarrival`,
 *
 *   steps: [{at: 0s, rate: 2}, {at: 1h, rate: 10}]     # pods/s from each `at` on (0 before the first)
 *   daily: {min: 0.5, max: 5, peakAt: 14h}             # a sinusoid over 24 h (t = 0 is midnight)
 *   csv: {file: load.csv, column: pods_per_s, interval: 5m}   # one rate per row
 *
 * Times are since the start of the run, as everywhere in a scenario.
 */
import { z } from "zod";
import { durationUs } from "../duration.js";
import { duration, positiveNumber } from "../fields.js";

const RATE_EXPECTED = "expected a number of pods per second (0 or more)";
const rate = z.number({ error: RATE_EXPECTED }).nonnegative({ error: RATE_EXPECTED }).finite({ error: RATE_EXPECTED });
const HOURS_24_US = 24 * 3600 * 1_000_000;

/** A daily curve of `what` per second (pods, requests): a sinusoid over 24 h, max at peakAt. */
export function dailyCurve(what: string) {
  const expected = `expected a number of ${what} per second (0 or more)`;
  const perS = z.number({ error: expected }).nonnegative({ error: expected }).finite({ error: expected });
  return z
    .strictObject({
      min: perS.describe(`${what} per second at the trough, 12 h from the peak`),
      max: perS.describe(`${what} per second at the peak`),
      peakAt: duration.refine((v) => durationUs(v) < HOURS_24_US, { error: "expected a time of day before 24h" }).describe("time of day of the peak; the run starts at 00:00"),
    })
    .describe("a daily curve: a sinusoid with period 24 h between min and max, max at peakAt");
}

/** min <= max, and a max above 0 (a curve that is 0 all day is no load). */
export function checkDaily(d: { min: number; max: number } | undefined, ctx: z.RefinementCtx): void {
  if (d && d.max < d.min) ctx.addIssue({ code: "custom", path: ["daily", "max"], message: `expected a rate no lower than min (${d.min}), got ${d.max}` });
  else if (d && d.max === 0) ctx.addIssue({ code: "custom", path: ["daily", "max"], message: "expected a positive number per second, got 0" });
}

export const arrivalRateFields = {
  steps: z
    .array(z.strictObject({ at: duration, rate }), { error: "expected a list of {at, rate}" })
    .min(1, { error: "expected at least one step" })
    .optional()
    .describe("the rate over time: from each step's `at` on, its rate in pods per second (0 before the first)"),
  daily: dailyCurve("pods").optional(),
  csv: z
    .strictObject({
      file: z.string({ error: "expected a CSV file name" }).min(1, { error: "expected a CSV file name" }).describe("CSV file with a header row, relative to the scenario file"),
      column: z.string({ error: "expected a column name of the CSV header" }).describe("the column of rates, pods per second (times `scale`)"),
      timeColumn: z.string({ error: "expected a column name of the CSV header" }).optional().describe("a column of times (seconds, e.g. Unix time, or durations) at which each row's rate begins, counted from the first row's; without it row i begins at i x interval"),
      interval: duration.optional().describe("how long each row's rate lasts; with timeColumn only the last row's (default: the gap between the last two rows)"),
      scale: positiveNumber("a positive number").optional().describe("multiplies every rate (default 1): e.g. 0.01 for one pod per 100 requests"),
    })
    .optional()
    .describe("the rate from a CSV column, one rate per row; after the last row, none"),
};

/** The fields that say what the rate is: exactly one is given. */
export const ARRIVAL_RATE_KINDS = ["rate", "meanInterarrival", "steps", "daily", "csv"] as const;

type RateFields = { [K in keyof typeof arrivalRateFields]?: z.output<(typeof arrivalRateFields)[K]> };

/** What the schema can check of a rate on its own: steps in time order, min <= max, an interval where one is needed. */
export function checkArrivalRate(w: RateFields, ctx: z.RefinementCtx): void {
  if (w.steps) {
    for (let k = 1; k < w.steps.length; k++) {
      if (durationUs(w.steps[k].at) <= durationUs(w.steps[k - 1].at)) {
        ctx.addIssue({ code: "custom", path: ["steps", k, "at"], message: `expected a time after steps[${k - 1}].at, got ${JSON.stringify(w.steps[k].at)}` });
        return;
      }
    }
  }
  checkDaily(w.daily, ctx);
  if (w.csv && w.csv.timeColumn === undefined && w.csv.interval === undefined) {
    ctx.addIssue({ code: "custom", path: ["csv", "interval"], message: "expected how long each row's rate lasts, such as 1m (required without a timeColumn)" });
  }
  if (w.csv?.interval !== undefined && durationUs(w.csv.interval) <= 0) {
    ctx.addIssue({ code: "custom", path: ["csv", "interval"], message: `expected a positive duration, got ${JSON.stringify(w.csv.interval)}` });
  }
}
