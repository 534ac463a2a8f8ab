/**
 * `kubesim report <dir> [--out FILE]`: one self-contained HTML page (charts inline, no
 * network) of a run folder or a sweep folder (src/report/). Written to a temporary name
 * and renamed, so a failed report leaves no half file; prints the page's path.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ReportInputError } from "../report/errors.js";
import { reportPage } from "../report/report.js";
import { guarded, UsageError } from "./errors.js";
import { flagValue } from "./options.js";

export const REPORT_FILE = "report.html";

function checkOut(out: string): void {
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: expected a file to write the report to, got a folder: ${JSON.stringify(out)}`);
  const parent = dirname(out);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`--out: expected a file in an existing folder, got ${JSON.stringify(out)} (no folder ${JSON.stringify(parent)})`);
}

/** Write the report of `dir`; returns the page's path. */
export function writeReport(dir: string, out = join(dir, REPORT_FILE)): string {
  let html: string;
  try {
    html = reportPage(dir).html;
  } catch (e) {
    throw e instanceof ReportInputError ? new UsageError(e.message) : e;
  }
  checkOut(out);
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EROFS" || code === "EPERM") throw new UsageError(`--out: expected a writable file, got ${JSON.stringify(out)} (${code})`);
    throw e;
  }
  return out;
}

export const reportCommand: CommandModule = {
  command: "report <dir>",
  describe: "write one self-contained HTML report (charts, tables; no network) of a run or sweep folder",
  builder: (y: Argv) =>
    y
      .positional("dir", { type: "string", describe: "a run folder (kubesim run's output) or a sweep folder (sweep-summary.csv)", demandOption: true })
      .option("out", { type: "string", requiresArg: true, description: `the HTML file to write (default <dir>/${REPORT_FILE})` }),
  handler: (argv) =>
    guarded(() => {
      const dir = flagValue(argv.dir, "dir", "the run or sweep folder")!;
      const out = flagValue(argv.out, "out", "the HTML file");
      process.stdout.write(`${writeReport(dir, out)}\n`);
    }),
};
