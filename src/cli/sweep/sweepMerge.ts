/**
 * `kubesim sweep merge <shard folders...>`: the tables of a sharded sweep. Checks that
 * the folders are the n shards of one sweep (same grid, seeds, --set, scenario sha256
 * and kubesim version; every index once; every run of each shard there, with the seed
 * and overrides it should have), reads each run's summary.csv and manifest.json, and
 * writes sweep.csv, sweep-summary.csv, sweep-timing.csv and sweep.json (which records
 * where the runs are; they are not copied). The tables are byte-identical to those of
 * the same sweep run whole: both are made from the runs' summary.csv files.
 */
import { isDeepStrictEqual } from "node:util";
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { baselinePoints, GridInputError, gridRuns, pointSets, shardRuns, type SweepGrid } from "../../experiments/sweep/grid.js";
import { guarded, UsageError } from "../errors.js";
import { flagList, flagValue } from "../options.js";
import { writeSweepResults, type FinishedRun } from "./results.js";
import { checkNewFolder, defaultSweepFolder, readRun, SHARD_RECORD, type SweepRecord } from "./sweepFolder.js";

/** The fields every shard of one sweep must agree on, and how an error says they differ. */
const SAME_SWEEP: [keyof SweepRecord, string][] = [
  ["scenario_sha256", "another scenario (its sha256 differs)"],
  ["kubesim_version", "another kubesim version"],
  ["params", "another --param grid"],
  ["seeds", "other seeds"],
  ["set", "other --set overrides"],
];

const isString = (v: unknown): v is string => typeof v === "string";
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Whether a parsed shard.json has the fields merge reads, with the right types. */
function isShardRecord(r: unknown): r is SweepRecord {
  if (r === null || typeof r !== "object") return false;
  const x = r as Record<string, unknown>;
  const shard = x.shard as Record<string, unknown> | undefined;
  return (
    x.kind === "kubesim-sweep-shard" &&
    [x.kubesim_version, x.scenario_file, x.scenario_sha256, x.scenario_name].every(isString) &&
    Array.isArray(x.params) &&
    x.params.every((p) => p !== null && typeof p === "object" && isString(p.path) && Array.isArray(p.values) && p.values.length > 0 && p.values.every(isString)) &&
    Array.isArray(x.seeds) &&
    x.seeds.length > 0 &&
    x.seeds.every(isIndex) &&
    Array.isArray(x.set) &&
    x.set.every(isString) &&
    shard !== undefined &&
    shard !== null &&
    isIndex(shard.index) &&
    isIndex(shard.count) &&
    shard.index < shard.count &&
    Array.isArray(x.runs) &&
    x.runs.every((run) => run !== null && typeof run === "object" && isIndex(run.point) && isIndex(run.seed) && isString(run.dir))
  );
}

function readShard(dir: string): SweepRecord {
  const file = join(dir, SHARD_RECORD);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${dir}: expected a sweep shard's folder with ${SHARD_RECORD} (written when the shard's last run is done), got none`);
  }
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: expected a kubesim sweep shard record (JSON), got ${(e as Error).message}`);
  }
  if (!isShardRecord(r)) throw new UsageError(`${file}: expected a kubesim sweep shard record (kind kubesim-sweep-shard, scenario, params, seeds, set, shard, runs), got something else`);
  return r;
}

export interface MergeOptions {
  dirs: string[];
  out?: string;
  baseline: string[];
  quiet: boolean;
}

export function merge(o: MergeOptions): void {
  if (o.dirs.length === 0) throw new UsageError("kubesim sweep merge: expected the shard folders to merge, got none");
  const shards = o.dirs.map((dir) => ({ dir, record: readShard(dir) }));
  const first = shards[0];
  const count = first.record.shard!.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    for (const [field, what] of SAME_SWEEP) {
      if (!isDeepStrictEqual(s.record[field], first.record[field])) throw new UsageError(`${s.dir}: expected a shard of the same sweep as ${first.dir}, got ${what}`);
    }
    const { index, count: n } = s.record.shard!;
    if (n !== count) throw new UsageError(`${s.dir}: expected a shard of ${count} (as ${first.dir}), got shard ${index}/${n}`);
    const twice = byIndex.get(index);
    if (twice !== undefined) throw new UsageError(`${s.dir}: expected each shard once, got shard ${index}/${n} again (also ${twice})`);
    byIndex.set(index, s.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new UsageError(`kubesim sweep merge: expected all ${count} shards of the sweep, got ${shards.length} (missing shard ${missing.join(", ")})`);

  const grid: SweepGrid = { params: first.record.params, seeds: first.record.seeds };
  let baselineOf: number[];
  try {
    baselineOf = baselinePoints(grid.params, o.baseline);
  } catch (e) {
    throw e instanceof GridInputError ? new UsageError(e.message) : e;
  }
  const out = o.out ?? join("results", defaultSweepFolder(first.record.scenario_name, grid, first.record.set));
  checkNewFolder(out);

  const all = gridRuns(grid);
  const finished: FinishedRun[] = [];
  for (const s of shards) {
    const expected = shardRuns(all, s.record.shard!.index, count).map((r) => ({ point: r.point, seed: r.seed }));
    const listed = s.record.runs.map((r) => ({ point: r.point, seed: r.seed }));
    if (!isDeepStrictEqual(listed, expected)) throw new UsageError(`${join(s.dir, SHARD_RECORD)}: expected the ${expected.length} runs of shard ${s.record.shard!.index}/${count}, got ${listed.length} other runs`);
    for (const r of s.record.runs) {
      const dir = join(s.dir, r.dir);
      const read = readRun(dir, r.point, r.seed);
      // The run folder must be the run the record names (not a folder copied over it).
      const overrides = [...first.record.set, ...pointSets(grid.params, r.point)];
      if (read.manifestSeed !== r.seed) throw new UsageError(`${join(dir, "manifest.json")}: expected the run of seed ${r.seed}, got seed ${JSON.stringify(read.manifestSeed)}`);
      if (!isDeepStrictEqual(read.manifestOverrides, overrides)) throw new UsageError(`${join(dir, "manifest.json")}: expected the run of grid point ${r.point} (overrides ${overrides.join(" ")}), got overrides ${JSON.stringify(read.manifestOverrides)}`);
      finished.push({ dir, ...read });
    }
  }

  const { kubesim_version, scenario_file, scenario_sha256, scenario_name, params, seeds, set } = first.record;
  const table = writeSweepResults(
    out,
    grid,
    { kubesim_version, scenario_file, scenario_sha256, scenario_name, params, seeds, set, shard_folders: o.dirs.map((d) => relative(out, d)) },
    finished,
    baselineOf,
  );
  if (!o.quiet) process.stdout.write(`${table}\nresults: ${resolve(out)}\n`);
}

export const sweepMergeCommand: CommandModule = {
  command: "merge [dirs..]",
  describe: "merge the shards of a sweep (their folders) into its tables",
  builder: (y: Argv) =>
    y
      .positional("dirs", { type: "string", array: true, describe: "the shard folders (every shard of one sweep)" })
      .option("out", { type: "string", requiresArg: true, description: "output folder, new or empty (default results/sweep-<name>-<hash>/, where the whole sweep would go)" })
      .option("baseline", { type: "string", array: true, requiresArg: true, description: "the point paired differences are taken against, as path=value of --param paths (default point 0)" })
      .option("quiet", { alias: "q", type: "boolean", default: false, description: "print nothing but errors" }),
  handler: (argv) =>
    guarded(() =>
      merge({
        dirs: flagList(argv.dirs, "dirs", "a shard folder"),
        out: flagValue(argv.out, "out", "the output folder"),
        baseline: flagList(argv.baseline, "baseline", "path=value"),
        quiet: argv.quiet === true,
      }),
    ),
};
