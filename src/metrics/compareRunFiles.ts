/**
 * Comparing a run's output files with another run's, byte for byte: the rerun check.
 * The answer is either "identical" or the first difference, in the order the files are
 * listed, with the line (1-based) and both lines, so a reader sees at once what moved.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Longest line shown in a difference; longer ones end in "...". [kubesim choice] */
export const SHOWN_LINE_CHARS = 120;

export type FilesComparison =
  | { identical: true; files: number }
  | {
      identical: false;
      file: string;
      /** 1-based line of the first difference; undefined when a whole file is missing. */
      line?: number;
      /** The line in the first folder and in the second (truncated); undefined past the end of the file, or when the file is missing. */
      expected?: string;
      actual?: string;
      /** Why, when it is not a line: "missing in the rerun", "missing in the results folder". */
      note?: string;
    };

function shown(line: string | undefined): string | undefined {
  if (line === undefined) return undefined;
  return line.length > SHOWN_LINE_CHARS ? `${line.slice(0, SHOWN_LINE_CHARS)}...` : line;
}

/** The first line where two texts differ (1-based), with both lines; undefined when equal. */
export function firstDifferentLine(expected: string, actual: string): { line: number; expected?: string; actual?: string } | undefined {
  if (expected === actual) return undefined;
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, expected: shown(a[i]), actual: shown(b[i]) };
  }
  // Not reached: equal line lists make equal texts.
  return { line: a.length };
}

/** Compare `files` (relative names) in folder `expectedDir` with the same names in `actualDir`. */
export function compareRunFiles(expectedDir: string, actualDir: string, files: readonly string[]): FilesComparison {
  for (const file of files) {
    const e = join(expectedDir, file);
    const a = join(actualDir, file);
    if (!existsSync(e)) return { identical: false, file, note: "missing in the results folder" };
    if (!existsSync(a)) return { identical: false, file, note: "not written by the rerun" };
    const eb = readFileSync(e);
    const ab = readFileSync(a);
    if (eb.equals(ab)) continue;
    const d = firstDifferentLine(eb.toString("utf8"), ab.toString("utf8"));
    // Bytes that differ but decode alike (invalid UTF-8) still differ: say so without a line.
    return d ? { identical: false, file, ...d } : { identical: false, file, note: "the bytes differ" };
  }
  return { identical: true, files: files.length };
}
