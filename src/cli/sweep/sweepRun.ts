/**
 * `kubesim sweep <scenario> --param path=v1,v2 ... --seeds N`: every grid point (the
 * cartesian product of the --param values) with every seed, each run in its own folder
 * exactly as `kubesim run` writes it, on worker processes; then sweep.csv,
 * sweep-summary.csv and sweep-timing.csv. With --shard (or JOB_COMPLETION_INDEX and
 * --shards) only that shard's runs and shard.json; `kubesim sweep merge` makes the tables.
 *
 * Every grid point is loaded and validated before the first run, so a bad value is
 * one line naming the point's params, and nothing is written.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import {
  baselinePoints,
  GridInputError,
  gridRuns,
  MAX_SWEEP_RUNS,
  parseParams,
  parseSeeds,
  pointCount,
  pointSets,
  runFolderName,
  shardRuns,
  type GridRun,
  type SweepGrid,
} from "../../experiments/sweep/grid.js";
import { ScenarioError } from "../../scenario/errors.js";
import { loadScenarioFile, type LoadedScenario } from "../../scenario/load.js";
import { canonicalOverrides, SET_SOURCE } from "../../scenario/overrides.js";
import { PluginError } from "../../scheduler/custom/pluginError.js";
import { guarded, printWarnings, UsageError } from "../errors.js";
import { flagList, flagValue, seedValue, setList, withSetOption } from "../options.js";
import { kubesimVersion } from "../version.js";
import { RunFailure, WorkerPool } from "./pool.js";
import { SweepProgress } from "./progress.js";
import { writeSweepResults, type FinishedRun } from "./results.js";
import type { RunTask } from "./runTask.js";
import { shardOf, type Shard } from "./shardOption.js";
import { checkNewFolder, prepareShardFolder, defaultSweepFolder, readRun, recordJson, RUNS_FOLDER, SHARD_RECORD, writeFilesAtomically, type SweepRecord } from "./sweepFolder.js";

/** At most this many worker processes, whatever --workers says: each holds a whole run. [kubesim choice] */
const MAX_WORKERS = 256;

/** The params of grid point p as the user wrote them: `--param a=1 --param b=x (grid point 3)`. */
export function describePoint(grid: SweepGrid, point: number): string {
  const sets = pointSets(grid.params, point);
  return `${sets.map((s) => `--param ${s}`).join(" ")}${sets.length > 0 ? " " : ""}(grid point ${point})`;
}

function workersValue(v: unknown): number {
  const text = flagValue(v, "workers", "the number of worker processes");
  if (text === undefined) return availableParallelism();
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_WORKERS) throw new UsageError(`--workers: expected a number of worker processes from 1 to ${MAX_WORKERS}, got ${JSON.stringify(text)}`);
  return n;
}

function gridFlags(paramArgs: string[], seedsText: string, baseSeed: number): SweepGrid {
  try {
    const params = parseParams(paramArgs);
    const seeds = parseSeeds(seedsText, baseSeed);
    if (params.some((p) => p.path === "seed")) throw new GridInputError("--param seed: expected a scenario field other than the seed, got seed (the seeds are --seeds)");
    for (const p of params) for (const v of p.values) canonicalOverrides([`${p.path}=${v}`]);
    const runs = pointCount(params) * seeds.length;
    if (runs > MAX_SWEEP_RUNS) throw new GridInputError(`--param: expected at most ${MAX_SWEEP_RUNS.toLocaleString("en-US")} runs (grid points × seeds), got ${pointCount(params).toLocaleString("en-US")} × ${seeds.length.toLocaleString("en-US")}`);
    return { params, seeds };
  } catch (e) {
    if (e instanceof GridInputError) throw new UsageError(e.message);
    // A value --set cannot read: name the --param it came from.
    if (e instanceof ScenarioError) throw new UsageError(`--param ${e.path}: ${e.expected}`);
    throw e;
  }
}

/** Load every grid point once (with the base seed): a bad value fails here, before any run. Returns their warnings. */
function validatePoints(scenario: string, grid: SweepGrid, set: string[], seed: number): string[] {
  const warnings = new Set<string>();
  for (let p = 0; p < pointCount(grid.params); p++) {
    try {
      for (const w of loadScenarioFile(scenario, { set: [...set, ...pointSets(grid.params, p)], seed }).warnings) warnings.add(w);
    } catch (e) {
      // A path --set cannot apply is the --param's own fault, whatever the point.
      if (e instanceof ScenarioError && e.file === SET_SOURCE && grid.params.some((q) => q.path === e.path)) throw new UsageError(`--param ${e.path}: ${e.expected}`);
      if (e instanceof ScenarioError) throw new UsageError(`${describePoint(grid, p)}: ${e.message}`);
      throw e;
    }
  }
  return [...warnings];
}

/** A run's failure in the CLI's terms, naming its grid point and seed. */
function failureOf(grid: SweepGrid, e: unknown): unknown {
  if (!(e instanceof RunFailure)) return e;
  const where = `${describePoint(grid, e.task.point)}, seed ${e.task.seed}`;
  const a = e.answer;
  if (a.kind === "plugin") return new PluginError(a.plugin, a.point, a.pod, `${a.detail} (${where})`, a.stack);
  if (a.kind === "bad-input") return new UsageError(`${where}: ${a.message}`);
  const err = new Error(`${where}: ${a.message}`);
  err.stack = a.stack;
  return err;
}

export interface SweepOptions {
  scenario: string;
  params: string[];
  seeds: string;
  workers: number;
  seed?: number;
  set: string[];
  out?: string;
  baseline: string[];
  shard: Shard | null;
  quiet: boolean;
}

export async function sweep(o: SweepOptions): Promise<void> {
  const base = loadScenarioFile(o.scenario, { set: o.set, seed: o.seed });
  const grid = gridFlags(o.params, o.seeds, base.spec.seed);
  let baselineOf: number[] = [];
  try {
    baselineOf = baselinePoints(grid.params, o.baseline);
  } catch (e) {
    throw e instanceof GridInputError ? new UsageError(e.message) : e;
  }
  if (o.shard !== null && o.baseline.length > 0) throw new UsageError("--baseline: expected with the whole sweep or with kubesim sweep merge, got it with a shard (a shard writes no tables)");
  const defaultName = defaultSweepFolder(base.spec.name, grid, o.set);
  const out = o.out ?? join("results", o.shard === null ? defaultName : `${defaultName}-shard-${o.shard.index}-of-${o.shard.count}`);
  if (o.shard === null) checkNewFolder(out);
  else {
    const identity = { scenario_sha256: sha256(base.text), scenario_name: base.spec.name, params: grid.params, seeds: grid.seeds, set: o.set, shard: o.shard };
    if (prepareShardFolder(out, identity) === "done") {
      if (!o.quiet) process.stdout.write(`shard ${o.shard.index}/${o.shard.count}: already complete (${SHARD_RECORD} of an earlier attempt)\nresults: ${resolve(out)}\n`);
      return;
    }
  }

  const all = gridRuns(grid);
  const mine = o.shard === null ? all : shardRuns(all, o.shard.index, o.shard.count);
  // The workers start loading while the grid is validated here.
  const pool = new WorkerPool(Math.min(o.workers, mine.length));
  try {
    const warnings = validatePoints(o.scenario, grid, o.set, base.spec.seed);
    if (!o.quiet) printWarnings(warnings);
    await runSweep(o, grid, base, out, all, mine, baselineOf, pool);
  } finally {
    await pool.close();
  }
}

async function runSweep(
  o: SweepOptions,
  grid: SweepGrid,
  base: LoadedScenario,
  out: string,
  all: readonly GridRun[],
  mine: readonly GridRun[],
  baselineOf: readonly number[],
  pool: WorkerPool,
): Promise<void> {
  const tasks: RunTask[] = mine.map((r) => ({
    run: r.run,
    point: r.point,
    scenario: o.scenario,
    seed: r.seed,
    set: [...o.set, ...pointSets(grid.params, r.point)],
    out: join(out, RUNS_FOLDER, runFolderName(r.point, r.seed)),
  }));
  const finished: FinishedRun[] = [];
  const progress = new SweepProgress(tasks.length, !o.quiet && process.stderr.isTTY === true);
  try {
    await pool.run(tasks, (t, dir) => {
      finished.push({ dir: t.out, ...readRun(dir, t.point, t.seed) });
      progress.runDone();
    });
  } catch (e) {
    throw failureOf(grid, e);
  } finally {
    progress.stop();
  }

  const record = {
    kubesim_version: kubesimVersion(),
    scenario_file: o.scenario,
    scenario_sha256: sha256(base.text),
    scenario_name: base.spec.name,
    params: grid.params,
    seeds: grid.seeds,
    set: o.set,
  };
  if (o.shard !== null) {
    const shardRecord: SweepRecord = {
      kind: "kubesim-sweep-shard",
      ...record,
      shard: o.shard,
      runs: mine.map((r) => ({ point: r.point, seed: r.seed, dir: join(RUNS_FOLDER, runFolderName(r.point, r.seed)) })),
    };
    writeFilesAtomically(out, [{ name: SHARD_RECORD, content: recordJson(shardRecord) }]);
    if (!o.quiet) process.stdout.write(`shard ${o.shard.index}/${o.shard.count}: ${mine.length} of ${all.length} runs\nresults: ${resolve(out)}\n`);
    return;
  }
  const table = writeSweepResults(out, grid, record, finished, baselineOf);
  if (!o.quiet) process.stdout.write(`${table}\nresults: ${resolve(out)}\n`);
}

export const sweepRunCommand: CommandModule = {
  command: "$0 <scenario>",
  describe: "run a scenario over a grid of parameters × seeds on worker processes",
  builder: (y: Argv) =>
    withSetOption(
      y
        .positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)", demandOption: true })
        .option("param", { type: "string", array: true, requiresArg: true, description: "a --set path and its values: nodePools[0].count=100,200 or =1..9..2 (repeatable; the grid is their product)" })
        .option("seeds", { type: "string", requiresArg: true, demandOption: true, description: "seeds per grid point: N (the scenario's seed and the N-1 after it) or a list 1,5,9" })
        .option("workers", { type: "string", requiresArg: true, description: "worker processes (default: the machine's available parallelism)" })
        .option("seed", { type: "string", requiresArg: true, description: "the first seed of --seeds N (default the scenario's)" })
        .option("out", { type: "string", requiresArg: true, description: "output folder, new or empty (default results/sweep-<name>-<hash>/)" })
        .option("baseline", { type: "string", array: true, requiresArg: true, description: "the point paired differences are taken against, as path=value of --param paths (default point 0)" })
        .option("shard", { type: "string", requiresArg: true, description: "run only shard i of n (i/n, from 0): runs r with r mod n = i; merge with kubesim sweep merge" })
        .option("shards", { type: "string", requiresArg: true, description: "the number of shards when JOB_COMPLETION_INDEX (an Indexed Job) gives the index" })
        .option("quiet", { alias: "q", type: "boolean", default: false, description: "print nothing but errors" }),
    ),
  handler: (argv) =>
    guarded(async () => {
      const quiet = argv.quiet === true;
      await sweep({
        scenario: flagValue(argv.scenario, "scenario", "the scenario file")!,
        params: flagList(argv.param, "param", "path=v1,v2,..."),
        seeds: flagValue(argv.seeds, "seeds", "a number of seeds or a list")!,
        workers: workersValue(argv.workers),
        seed: seedValue(argv.seed),
        set: setList(argv.set),
        out: flagValue(argv.out, "out", "the output folder"),
        baseline: flagList(argv.baseline, "baseline", "path=value"),
        shard: shardOf(flagValue(argv.shard, "shard", "i/n"), flagValue(argv.shards, "shards", "the number of shards"), process.env),
        quiet,
      });
    }),
};

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
