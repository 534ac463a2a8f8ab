/**
 * Writing a run's folder: every file goes into a temporary sibling folder first,
 * which is renamed to its final name only when complete, so an interrupted or failed
 * run never leaves a half-written result under the real name.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface OutputFile {
  name: string;
  content: string;
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
    for (const f of files) writeFileSync(join(tmp, f.name), f.content);
    // Replace an earlier run of the same scenario and seed.
    if (existsSync(final)) rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return final;
}
