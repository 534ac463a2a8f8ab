/**
 * Writing a run's folder: every file goes into a temporary sibling folder first,
 * which is renamed to its final name only when complete, so an interrupted or failed
 * run never leaves a half-written result under the real name.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface OutputFile {
  name: string;
  content: string;
}

export function writeRunFolder(dir: string, files: readonly OutputFile[]): string {
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
