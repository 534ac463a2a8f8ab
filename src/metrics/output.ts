/**
 * Writing a run's folder: every file goes into a temporary sibling folder first,
 * which is renamed to its final name only when complete, so an interrupted or failed
 * run never leaves a half-written result under the real name.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface OutputFile {
  /** Relative to the run folder; may name a subfolder (`inputs/shop.yaml`), created as needed. */
  name: string;
  content: string | Uint8Array;
}

/** Hex digits of the overrides' hash in a folder name: 8 (32 bits) keep a handful of variants apart. */
const OVERRIDES_HASH_CHARS = 8;

/**
 * The default folder name of a run: `<name>-<seed>`, and with --set overrides
 * `<name>-<seed>-<hash>`, the first hex digits of the sha256 of the overrides (in
 * their canonical form, one per line, in order), so variants of one scenario and seed
 * do not replace each other. manifest.json lists the overrides themselves.
 */
export function defaultOutputFolder(name: string, seed: number, canonicalOverrides: readonly string[]): string {
  if (canonicalOverrides.length === 0) return `${name}-${seed}`;
  const hash = createHash("sha256").update(canonicalOverrides.join("\n")).digest("hex").slice(0, OVERRIDES_HASH_CHARS);
  return `${name}-${seed}-${hash}`;
}

/** The output folder cannot be used (it exists and is not an earlier run's folder). */
export class OutputFolderError extends Error {}

/**
 * An existing folder is replaced only if it is an earlier run's (it holds a
 * manifest.json) or empty: `--out .` must never delete the working directory.
 */
export function checkOutputFolder(dir: string): void {
  const final = resolve(dir);
  if (!existsSync(final)) return;
  if (!statSync(final).isDirectory()) throw new OutputFolderError(`${dir}: expected a folder for the results, got an existing file`);
  const entries = readdirSync(final);
  if (entries.length > 0 && !entries.includes("manifest.json")) {
    throw new OutputFolderError(`${dir}: expected a new folder or an earlier kubesim results folder (with manifest.json), got a folder with other files`);
  }
}

export function writeRunFolder(dir: string, files: readonly OutputFile[]): string {
  checkOutputFolder(dir);
  const final = resolve(dir);
  const parent = dirname(final);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(final)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    for (const f of files) {
      const path = join(tmp, f.name);
      if (dirname(path) !== tmp) mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    // Replace an earlier run of the same scenario and seed.
    if (existsSync(final)) rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return final;
}
