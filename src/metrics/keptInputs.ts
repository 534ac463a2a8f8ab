/**
 * The inputs a run read, kept beside its results: `inputs/` holds an exact copy of the
 * scenario and of every file it named (manifests, KubeSchedulerConfiguration, cluster
 * exports, rate CSVs, plugin modules), and manifest.json's `inputs` lists each read with
 * its sha256, so `kubesim rerun` plays what the run read even after the originals change.
 *
 * Layout [kubesim choice]: the scenario is `inputs/<its file name>`; a file in the
 * scenario's folder or below keeps its path relative to that folder, so
 * `inputs/` is itself a runnable copy for files named relative to the scenario
 * (`manifests:`, `cluster.files`, rate CSVs). A file elsewhere (an absolute path, `../`)
 * is `inputs/outside/<n>-<file name>`. A file read twice with the same bytes is kept
 * once; manifest entries name the copy they were read from.
 */
import { createHash } from "node:crypto";
import { basename, dirname, isAbsolute, relative, sep } from "node:path";
import type { OutputFile } from "./output.js";

/** The folder of a run's kept inputs, inside the run folder. */
export const KEPT_INPUTS_FOLDER = "inputs";

/** A read input file, as the scenario loader reports it (scenario/inputHooks.ts). */
export interface ReadInput {
  shown: string;
  by?: { file: string; path: string };
  resolvedPath: string;
  bytes: Uint8Array;
}

/** One input of a run in manifest.json. */
export interface KeptInput {
  /** The path as the scenario (or the command line, for the scenario itself) wrote it. */
  path: string;
  /** The scenario file and field that named it (`workloads[1].manifests`); null for the scenario itself. */
  named_by: { file: string; field: string } | null;
  /** Where the file was when the run read it (absolute). */
  resolved_path: string;
  sha256: string;
  size_bytes: number;
  /** Its copy, relative to the run folder (`inputs/shop.yaml`). */
  kept: string;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** POSIX separators in kept paths, on any platform, so manifests compare across machines. */
function posix(p: string): string {
  return p.split(sep).join("/");
}

/**
 * The copies to write and the manifest entries, in the order the files were read. The
 * first read without `by` is the scenario; `scenarioPath` is its absolute path.
 */
export function keptInputs(reads: readonly ReadInput[], scenarioPath: string): { files: OutputFile[]; entries: KeptInput[] } {
  const scenarioDir = dirname(scenarioPath);
  const files: OutputFile[] = [];
  const entries: KeptInput[] = [];
  /** kept path by resolved path + sha256 */
  const copies = new Map<string, string>();
  const taken = new Set<string>();
  let outside = 0;
  for (const r of reads) {
    const sha = sha256Hex(r.bytes);
    const key = `${r.resolvedPath}\u0000${sha}`;
    let kept = copies.get(key);
    if (kept === undefined) {
      const rel = relative(scenarioDir, r.resolvedPath);
      const inside = rel !== "" && !isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`);
      kept = `${KEPT_INPUTS_FOLDER}/${inside ? posix(rel) : `outside/${++outside}-${basename(r.resolvedPath)}`}`;
      // The same path with other bytes (the file changed while it was read twice), or an `outside` name a file of the folder has.
      while (taken.has(kept)) kept = `${KEPT_INPUTS_FOLDER}/outside/${++outside}-${basename(r.resolvedPath)}`;
      taken.add(kept);
      copies.set(key, kept);
      files.push({ name: kept, content: r.bytes });
    }
    entries.push({
      path: r.shown,
      named_by: r.by ? { file: r.by.file, field: r.by.path } : null,
      resolved_path: r.resolvedPath,
      sha256: sha,
      size_bytes: r.bytes.length,
      kept,
    });
  }
  return { files, entries };
}
