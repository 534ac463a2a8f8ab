/**
 * `kubesim run <scenario>`: load and validate the scenario (nothing is written if it
 * is bad), print its warnings, run it, write results/<name>-<seed>[-<overrides hash>]/
 * (or --out) atomically, print a summary. The folder keeps a copy of every input file
 * the run read (inputs/, metrics/keptInputs.ts), which `kubesim rerun` plays again.
 */
import { US_PER_S } from "../engine/simulation.js";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ClusterRun } from "../run/run.js";
import { tableCsv } from "../metrics/csv.js";
import { standardTables } from "../metrics/files.js";
import { manifestJson } from "../metrics/manifest.js";
import { keptInputs } from "../metrics/keptInputs.js";
import { simulatedPerWallS, speedLine } from "../metrics/runSpeed.js";
import { withInputHooks, type InputFileRead, type InputNamedBy } from "../scenario/inputHooks.js";
import { checkOutputFolder, defaultOutputFolder, OutputFolderError, writeRunFolder } from "../metrics/output.js";
import { loadScenarioFile } from "../scenario/load.js";
import { canonicalOverrides } from "../scenario/overrides.js";
import { guarded, printWarnings, UsageError } from "./errors.js";
import { flagValue, seedValue, setList, withSetOption } from "./options.js";
import { RunProgress } from "./progress.js";
import { summaryTable } from "./summaryTable.js";
import { kubesimVersion } from "./version.js";

/** Virtual-time steps between progress updates. */
const PROGRESS_STEPS = 200;

export interface RunCommandOptions {
  scenario: string;
  seed?: number;
  out?: string;
  set?: string[];
  quiet?: boolean;
  /**
   * Read the scenario and every file it names from kept copies instead of their paths
   * (`kubesim rerun`): the path of the copy of the file `shown` named by `by`.
   */
  readInputsFrom?: (shown: string, by: InputNamedBy | undefined) => string;
  /** The progress bar on a terminal (default: unless quiet). */
  progress?: boolean;
}

export interface RunCommandResult {
  dir: string;
  summary: { metric: string; value: number }[];
  /** Simulated seconds, and the wall seconds the run took (load, simulation, CSVs): for speed figures (metrics/runSpeed.ts). */
  simulatedS: number;
  wallS: number;
}

export function runScenarioToFolder(o: RunCommandOptions): RunCommandResult {
  const startedAt = new Date();
  const wallStartMs = performance.now();
  const reads: InputFileRead[] = [];
  const loaded = withInputHooks({ record: (r) => reads.push(r), redirect: o.readInputsFrom }, () => loadScenarioFile(o.scenario, { set: o.set, seed: o.seed }));
  const spec = loaded.spec;
  if (!o.quiet) printWarnings(loaded.warnings);
  const dir = o.out ?? join("results", defaultOutputFolder(spec.name, spec.seed, canonicalOverrides(o.set ?? [])));
  // Refuse a folder we must not replace before spending time on the run.
  try {
    checkOutputFolder(dir);
  } catch (e) {
    throw e instanceof OutputFolderError ? new UsageError(`--out: ${e.message}`) : e;
  }

  const run = new ClusterRun(spec);
  const progress = new RunProgress(spec.durationUs / US_PER_S, (o.progress ?? !o.quiet) && process.stderr.isTTY === true);
  const step = Math.max(1, Math.ceil(spec.durationUs / PROGRESS_STEPS));
  for (let t = step; t < spec.durationUs; t += step) {
    run.advance(t);
    progress.update(t / US_PER_S);
  }
  const result = run.finish();
  progress.update(spec.durationUs / US_PER_S);
  progress.stop();

  const tables = standardTables(result);
  const files = tables.map((t) => ({ name: t.file, content: tableCsv(t) }));
  const inputs = keptInputs(reads, resolve(o.scenario));
  const simulatedS = spec.durationUs / US_PER_S;
  const wallS = Math.round(performance.now() - wallStartMs) / 1000;
  const manifest = manifestJson({
    kubesim_version: kubesimVersion(),
    scenario_file: o.scenario,
    scenario_sha256: createHash("sha256").update(loaded.text).digest("hex"),
    scenario_name: spec.name,
    seed: spec.seed,
    overrides: o.set ?? [],
    warnings: loaded.warnings,
    parameters: loaded.scenario,
    counts: { ...result.counts },
    files: [...files.map((f) => f.name), "manifest.json"],
    node_version: process.version,
    wall_clock_start: startedAt.toISOString(),
    wall_clock_duration_s: wallS,
    simulated_s: simulatedS,
    simulated_s_per_wall_s: simulatedPerWallS(simulatedS, wallS),
    inputs: inputs.entries,
  });
  const written = writeRunFolder(dir, [...files, { name: "manifest.json", content: manifest }, ...inputs.files]);
  return { dir: written, summary: result.summary, simulatedS, wallS };
}

export const runCommand: CommandModule = {
  command: "run <scenario>",
  describe: "run a scenario and write its results folder",
  builder: (y: Argv) =>
    withSetOption(
      y
        .positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)", demandOption: true })
        .option("seed", { type: "string", requiresArg: true, description: "random seed, a non-negative integer (overrides the scenario's seed)" })
        .option("out", { type: "string", requiresArg: true, description: "output folder (default results/<name>-<seed>/, plus -<hash of the --set overrides> when there are any)" })
        .option("quiet", { alias: "q", type: "boolean", default: false, description: "print nothing but errors (warnings still go into manifest.json)" }),
    ),
  handler: (argv) =>
    guarded(() => {
      const seed = seedValue(argv.seed);
      const out = flagValue(argv.out, "out", "the output folder");
      const scenario = flagValue(argv.scenario, "scenario", "the scenario file")!;
      const quiet = argv.quiet === true;
      const r = runScenarioToFolder({ scenario, seed, out, set: setList(argv.set), quiet });
      if (!quiet) process.stdout.write(`${summaryTable(r.summary)}\n${speedLine(r.simulatedS, r.wallS)}\nresults: ${r.dir}\n`);
    }),
};
