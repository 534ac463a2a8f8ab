/**
 * `kubesim report`'s work, without the command line: tell a run folder from a sweep
 * folder, build the Report, render the page. The report layer only reads result folders;
 * no simulation code imports it (test/architecture/layers.test.ts).
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { reportHtml } from "./html.js";
import { ReportInputError } from "./errors.js";
import type { Report } from "./model.js";
import { isRunFolder, RUN_MARKERS, runReport } from "./runReport.js";
import { isSweepFolder, sweepReport } from "./sweepReport.js";
import { uplotAssets } from "./uplotAssets.js";

export function buildReport(dir: string): Report {
  if (!existsSync(dir)) throw new ReportInputError(`${dir}: expected a kubesim run or sweep folder, got a path that does not exist`);
  if (!statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: expected a kubesim run or sweep folder, got a file`);
  if (isSweepFolder(dir)) return sweepReport(dir);
  if (isRunFolder(dir)) return runReport(dir);
  const missing = RUN_MARKERS.filter((f) => !existsSync(join(dir, f)));
  if (missing.length < RUN_MARKERS.length) throw new ReportInputError(`${dir}: expected a kubesim run folder (${RUN_MARKERS.join(" and ")}), got one without ${missing.join(" and ")}`);
  throw new ReportInputError(`${dir}: expected a kubesim run folder (manifest.json and timeseries.csv) or a sweep folder (sweep-summary.csv), got a folder without them`);
}

export function reportPage(dir: string): { report: Report; html: string } {
  const report = buildReport(dir);
  return { report, html: reportHtml(report, uplotAssets()) };
}
