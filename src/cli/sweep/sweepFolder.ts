/**
 * A sweep's folder on disk:
 *
 *   <out>/runs/p<point>-s<seed>/   each run exactly as `kubesim run` writes it
 *   <out>/sweep.json               what was swept (grid, seeds, --set, scenario sha256,
 *                                  version) and where each run's folder is
 *   <out>/sweep.csv, sweep-summary.csv, sweep-timing.csv   (tables.ts)
 *
 * A shard's folder has runs/ and shard.json (the same record plus its index and the
 * shard count, written when its last run is done) and no tables: `kubesim sweep merge`
 * reads the shards' runs back and writes them. The tables are written last, each to a
 * temporary name first and renamed when all are complete, so a failed sweep leaves
 * no sweep CSV at all.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GridParam, SweepGrid } from "../../experiments/sweep/grid.js";
import { parseSummaryCsv, SummaryCsvError, type RunSummary, type RunTiming } from "../../experiments/sweep/tables.js";
import type { OutputFile } from "../../metrics/output.js";
import { canonicalOverrides } from "../../scenario/overrides.js";
import { UsageError } from "../errors.js";

export const SWEEP_RECORD = "sweep.json";
export const SHARD_RECORD = "shard.json";
export const RUNS_FOLDER = "runs";

/** Hex digits of the sweep's hash in its default folder name (as a run's overrides hash). */
const SWEEP_HASH_CHARS = 8;

export interface SweepRunRecord {
  point: number;
  seed: number;
  /** The run's folder, relative to the folder holding this record. */
  dir: string;
}

/** sweep.json and shard.json. */
export interface SweepRecord {
  kind: "kubesim-sweep" | "kubesim-sweep-shard";
  kubesim_version: string;
  scenario_file: string;
  scenario_sha256: string;
  scenario_name: string;
  params: GridParam[];
  seeds: number[];
  /** The sweep's own --set overrides (the params come after them in each run). */
  set: string[];
  /** A shard's index (0-based) and the number of shards; absent for a whole sweep. */
  shard?: { index: number; count: number };
  /** Where merge found the shards (a merged sweep only), relative to its folder. */
  shard_folders?: string[];
  runs: SweepRunRecord[];
}

/**
 * `sweep-<name>-<hash>`: the first hex digits of the sha256 of the params (values in
 * --set's canonical form), the seeds and the --set list, so two sweeps of one
 * scenario do not share a folder and a sweep's merge lands where the sweep would.
 */
export function defaultSweepFolder(name: string, grid: SweepGrid, set: readonly string[]): string {
  const key = JSON.stringify({
    params: grid.params.map((p) => canonicalOverrides(p.values.map((v) => `${p.path}=${v}`))),
    seeds: grid.seeds,
    set: canonicalOverrides(set),
  });
  return `sweep-${name}-${createHash("sha256").update(key).digest("hex").slice(0, SWEEP_HASH_CHARS)}`;
}

/** A sweep writes into a new or empty folder only: it must never mix with or replace other results. */
export function checkNewFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out: ${dir}: expected a folder for the sweep, got an existing file`);
  if (readdirSync(dir).length > 0) throw new UsageError(`--out: ${dir}: expected a new or empty folder for the sweep, got one with files (remove it or give another --out)`);
}

/**
 * A shard's folder: new or empty, or what an earlier attempt of the same shard left. An
 * Indexed Job replaces a failed pod (backoffLimitPerIndex) and the new one writes to the
 * same folder: an unfinished attempt (runs/ and temporary files, no shard.json) is cleared
 * and the shard runs again; a finished one (shard.json of this very shard of this sweep)
 * is kept and the shard is done ("done"). Anything else is refused as checkNewFolder does.
 */
export function prepareShardFolder(dir: string, identity: Omit<SweepRecord, "kind" | "runs" | "kubesim_version" | "scenario_file">): "new" | "done" {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || readdirSync(dir).length === 0) {
    checkNewFolder(dir);
    return "new";
  }
  const entries = readdirSync(dir);
  if (entries.includes(SHARD_RECORD)) {
    let record: Partial<SweepRecord> = {};
    try {
      record = JSON.parse(readFileSync(join(dir, SHARD_RECORD), "utf8")) as Partial<SweepRecord>;
    } catch {
      // not a shard record of ours: refused below
    }
    const same = (Object.keys(identity) as (keyof typeof identity)[]).every((k) => JSON.stringify(record[k]) === JSON.stringify(identity[k]));
    if (record.kind === "kubesim-sweep-shard" && same) return "done";
    throw new UsageError(`--out: ${dir}: expected a new or empty folder, or one an earlier attempt of this shard left, got the ${SHARD_RECORD} of another sweep or shard`);
  }
  const leftover = (e: string) => e === RUNS_FOLDER || (e.startsWith(".") && e.includes(".tmp-"));
  if (!entries.every(leftover)) checkNewFolder(dir);
  for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
  return "new";
}

/** Write files into dir, all to temporary names first, then renamed: none is seen half-written. */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[]): void {
  mkdirSync(dir, { recursive: true });
  const temps = files.map((f) => join(dir, `.${f.name}.tmp-${process.pid}`));
  try {
    files.forEach((f, i) => writeFileSync(temps[i], f.content));
    files.forEach((f, i) => renameSync(temps[i], join(dir, f.name)));
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    throw e;
  }
}

export function recordJson(r: SweepRecord): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** A run's folder read back: its summary rows, wall time (manifest.json) and the seed and overrides it ran with. */
export interface RunRead {
  summary: RunSummary;
  timing: RunTiming;
  manifestSeed: unknown;
  manifestOverrides: unknown;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: expected ${what}, got no readable file`);
  }
}

export function readRun(dir: string, point: number, seed: number): RunRead {
  const summaryFile = join(dir, "summary.csv");
  let metrics: [string, string][];
  try {
    metrics = parseSummaryCsv(readText(summaryFile, "the run's summary.csv"));
  } catch (e) {
    if (e instanceof SummaryCsvError) throw new UsageError(`${summaryFile}: ${e.message}`);
    throw e;
  }
  const manifestFile = join(dir, "manifest.json");
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readText(manifestFile, "the run's manifest.json")) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SyntaxError) throw new UsageError(`${manifestFile}: expected a kubesim run manifest (JSON), got ${e.message}`);
    throw e;
  }
  const wall = manifest.wall_clock_duration_s;
  const simText = metrics.find(([m]) => m === "sim_duration_s")?.[1];
  return {
    summary: { point, seed, metrics },
    timing: { point, seed, wallS: typeof wall === "number" ? wall : NaN, simS: simText === undefined ? NaN : Number(simText) },
    manifestSeed: manifest.seed,
    manifestOverrides: manifest.overrides,
  };
}
