/**
 * `kubesim rerun <results dir> [--out DIR] [--keep]`: play a run again from what its
 * folder kept — the scenario and every file it named (inputs/), the seed and the --set
 * overrides of manifest.json — and compare every output file with the folder's, byte
 * for byte. A run is a pure function of (scenario, seed, version), so on the same
 * kubesim version anything but `identical` is a bug (or an edited results file).
 *
 * Exit status: 0 identical, 1 a file differs (named with its first differing line), 2
 * the folder cannot be rerun (no manifest.json, a kept input missing or changed, ...).
 * A different kubesim version is said in the report and does not change the status.
 * A folder written before inputs were kept reruns from the scenario's path when its
 * sha256 still matches the manifest's (the files it names are then read from their
 * paths, unchecked); otherwise it is refused with the reason.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, normalize, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { compareRunFiles, type FilesComparison } from "../metrics/compareRunFiles.js";
import { sha256Hex, type KeptInput } from "../metrics/keptInputs.js";
import type { InputNamedBy } from "../scenario/inputHooks.js";
import { guarded, UsageError } from "./errors.js";
import { flagValue } from "./options.js";
import { runScenarioToFolder } from "./run.js";
import { kubesimVersion } from "./version.js";

/** Exit status when a file differs. */
export const EXIT_RERUN_DIFFERS = 1;

/** What rerun needs of manifest.json (metrics/manifest.ts), checked field by field. */
interface RerunManifest {
  kubesim_version: string;
  scenario_file: string;
  scenario_sha256: string;
  seed: number;
  overrides: string[];
  files: string[];
  inputs?: KeptInput[];
}

export interface RerunOptions {
  /** The results folder. */
  dir: string;
  /** Where the rerun writes its folder (kept); default a temporary folder, deleted unless `keep`. */
  out?: string;
  keep?: boolean;
  /** The progress bar on a terminal. */
  progress?: boolean;
}

export interface RerunReport {
  /** What to print, one line each. */
  lines: string[];
  comparison: FilesComparison;
  /** The rerun's folder, when it is kept. */
  rerunDir?: string;
}

function readManifest(dir: string): RerunManifest {
  if (!existsSync(dir)) throw new UsageError(`${dir}: expected a kubesim results folder, got no such folder`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir}: expected a kubesim results folder, got a file`);
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) throw new UsageError(`${dir}: expected a kubesim results folder with a manifest.json, found none`);
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${path}: expected JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (m === null || typeof m !== "object" || Array.isArray(m)) throw new UsageError(`${path}: expected a JSON object`);
  const field = (name: string, ok: (v: unknown) => boolean, expected: string) => {
    if (!ok(m[name])) throw new UsageError(`${path}: ${name}: expected ${expected}, got ${JSON.stringify(m[name]) ?? "nothing"}`);
  };
  const isString = (v: unknown) => typeof v === "string" && v !== "";
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  field("kubesim_version", isString, "a version");
  field("scenario_file", isString, "the scenario's path");
  field("scenario_sha256", (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v), "a sha256 in hex");
  field("seed", (v) => Number.isSafeInteger(v) && (v as number) >= 0, "a non-negative integer");
  field("overrides", strings, "a list of path=value strings");
  field("files", (v) => strings(v) && (v as string[]).every(insideFolder), "a list of the folder's files");
  if (m.inputs !== undefined) {
    field("inputs", Array.isArray, "a list of the run's input files");
    (m.inputs as unknown[]).forEach((e, i) => {
      const x = e as Record<string, unknown> | null;
      const by = x?.named_by as Record<string, unknown> | null | undefined;
      const ok =
        x !== null && typeof x === "object" && isString(x.path) && isString(x.resolved_path) && typeof x.sha256 === "string" && typeof x.kept === "string" && insideFolder(x.kept) &&
        (by === null || (typeof by === "object" && by !== undefined && typeof by.file === "string" && typeof by.field === "string"));
      if (!ok) throw new UsageError(`${path}: inputs[${i}]: expected {path, named_by, resolved_path, sha256, size_bytes, kept}, got ${JSON.stringify(e)}`);
    });
  }
  return m as unknown as RerunManifest;
}

/** A relative path that stays inside the folder (a manifest must not point the rerun elsewhere). */
function insideFolder(v: unknown): boolean {
  if (typeof v !== "string" || v === "" || isAbsolute(v)) return false;
  const n = normalize(v);
  return n !== ".." && !n.startsWith("../") && !n.startsWith("..\\");
}

function sameNamer(e: KeptInput, by: InputNamedBy | undefined): boolean {
  return by === undefined ? e.named_by === null : e.named_by !== null && e.named_by.field === by.path;
}

/**
 * The kept copies, checked against their sha256, as the run's redirect: the copy of the
 * file `shown` named by `by` (the scenario file and field must match; the file only when
 * two entries share the field).
 */
function keptCopies(dir: string, inputs: readonly KeptInput[]): (shown: string, by: InputNamedBy | undefined) => string {
  const manifestPath = join(dir, "manifest.json");
  inputs.forEach((e, i) => {
    const copy = join(dir, e.kept);
    if (!existsSync(copy)) throw new UsageError(`${manifestPath}: inputs[${i}].kept: expected the kept copy of ${e.path} at ${copy}, found none`);
    const sha = sha256Hex(readFileSync(copy));
    if (sha !== e.sha256) throw new UsageError(`${manifestPath}: inputs[${i}].kept: the kept copy ${copy} has changed since the run (sha256 ${sha}, the run read ${e.sha256})`);
  });
  return (shown, by) => {
    const candidates = inputs.filter((e) => e.path === shown && sameNamer(e, by));
    const exact = candidates.filter((e) => by === undefined || e.named_by?.file === by.file);
    const found = exact[0] ?? candidates[0];
    if (!found) {
      const namer = by ? ` named by ${by.file}: ${by.path}` : "";
      throw new UsageError(`${manifestPath}: inputs: expected a kept copy of ${shown}${namer} (the rerun reads a file the run did not)`);
    }
    return resolve(dir, found.kept);
  };
}

/** Notes on originals that changed or went away since the run (their kept copies were used). */
function changedOriginals(inputs: readonly KeptInput[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const e of inputs) {
    if (seen.has(e.resolved_path)) continue;
    seen.add(e.resolved_path);
    if (!existsSync(e.resolved_path)) notes.push(`note: ${e.path} is no longer at ${e.resolved_path}; its kept copy was used`);
    else if (!statSync(e.resolved_path).isFile() || sha256Hex(readFileSync(e.resolved_path)) !== e.sha256) notes.push(`note: ${e.path} has changed since the run; its kept copy was used`);
  }
  return notes;
}

/** The same for a folder without kept inputs: the scenario at its path must be the run's. */
function checkOldScenario(dir: string, m: RerunManifest): void {
  const why = (reason: string) =>
    new UsageError(`${dir}: the run kept no copy of its inputs (written before kubesim kept them) and its scenario ${m.scenario_file} ${reason}: cannot rerun it`);
  if (!existsSync(m.scenario_file) || !statSync(m.scenario_file).isFile()) throw why("is no longer there");
  const sha = sha256Hex(readFileSync(m.scenario_file));
  if (sha !== m.scenario_sha256) throw why(`has changed since the run (sha256 ${sha}, the run's ${m.scenario_sha256})`);
}

function comparisonLines(c: FilesComparison): string[] {
  if (c.identical) return [`identical: ${c.files} files`];
  if (c.line === undefined) return [`differs: ${c.file}: ${c.note}`];
  return [
    `differs: ${c.file} line ${c.line}`,
    `  results: ${c.expected ?? "(no such line)"}`,
    `  rerun:   ${c.actual ?? "(no such line)"}`,
  ];
}

export function rerunFolder(o: RerunOptions): RerunReport {
  const m = readManifest(o.dir);
  const lines: string[] = [];
  const overrides = m.overrides.length === 0 ? "no overrides" : `${m.overrides.length} override${m.overrides.length === 1 ? "" : "s"} (${m.overrides.map((s) => `--set ${s}`).join(" ")})`;
  let readInputsFrom: ((shown: string, by: InputNamedBy | undefined) => string) | undefined;
  if (m.inputs !== undefined) {
    readInputsFrom = keptCopies(o.dir, m.inputs);
    lines.push(`rerun of ${o.dir}: ${m.scenario_file}, seed ${m.seed}, ${overrides}, from its ${m.inputs.length} kept input file${m.inputs.length === 1 ? "" : "s"}`);
    lines.push(...changedOriginals(m.inputs));
  } else {
    checkOldScenario(o.dir, m);
    lines.push(`rerun of ${o.dir}: ${m.scenario_file}, seed ${m.seed}, ${overrides}`);
    lines.push(`note: the run kept no copy of its inputs; ${m.scenario_file} still has its sha256, the files it names are read from their paths unchecked`);
  }
  const version = kubesimVersion();
  if (m.kubesim_version !== version) lines.push(`note: the results were written by kubesim ${m.kubesim_version}, this is ${version}: outputs may differ for that reason alone`);

  if (o.out !== undefined && resolve(o.out) === resolve(o.dir)) throw new UsageError(`--out: expected a folder other than the results folder being rerun, got ${o.out}`);
  const keep = o.keep === true || o.out !== undefined;
  const out = o.out ?? mkdtempSync(join(tmpdir(), "kubesim-rerun-"));
  try {
    const r = runScenarioToFolder({ scenario: m.scenario_file, seed: m.seed, set: m.overrides, out, quiet: true, progress: o.progress, readInputsFrom });
    const rerunManifest = JSON.parse(readFileSync(join(r.dir, "manifest.json"), "utf8")) as { files: string[] };
    // Every file of the results folder, then any the rerun wrote that the folder lacks.
    const files = [...m.files, ...rerunManifest.files.filter((f) => !m.files.includes(f))].filter((f) => f !== "manifest.json");
    const comparison = compareRunFiles(o.dir, r.dir, files);
    lines.push(...comparisonLines(comparison));
    if (keep) lines.push(`rerun: ${r.dir}`);
    return { lines, comparison, rerunDir: keep ? r.dir : undefined };
  } finally {
    if (!keep) rmSync(out, { recursive: true, force: true });
  }
}

export const rerunCommand: CommandModule = {
  // Optional here so that a missing folder gets rerun's own message, not the generic "expected a scenario file".
  command: "rerun [results]",
  describe: "run a results folder's scenario again from its kept inputs, seed and overrides, and compare every output file byte for byte (exit 0 identical, 1 a file differs)",
  builder: (y: Argv) =>
    y
      .positional("results", { type: "string", describe: "a results folder written by kubesim run (with manifest.json)" })
      .option("out", { type: "string", requiresArg: true, description: "write the rerun's folder here and keep it (default: a temporary folder, deleted after the comparison)" })
      .option("keep", { type: "boolean", default: false, description: "keep the rerun's folder (its path is printed)" }),
  handler: (argv) =>
    guarded(() => {
      const dir = flagValue(argv.results, "results", "the results folder");
      if (dir === undefined) throw new UsageError("kubesim rerun: expected a results folder after the command (see kubesim rerun --help)");
      const out = flagValue(argv.out, "out", "the rerun's output folder");
      const r = rerunFolder({ dir, out, keep: argv.keep === true, progress: true });
      process.stdout.write(`${r.lines.join("\n")}\n`);
      if (!r.comparison.identical) process.exitCode = EXIT_RERUN_DIFFERS;
    }),
};
