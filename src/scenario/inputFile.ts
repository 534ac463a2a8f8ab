/**
 * Reading an input file (scenario, manifests, KubeSchedulerConfiguration, explain's
 * --cluster/--pod/--config, plugin modules): it must be a regular file no larger than
 * the input-file limit, checked before a byte is read, so `manifests: /dev/zero` or a
 * named pipe is a one-line error instead of a read that never ends or runs out of memory.
 * It is also the one place where a run's inputs are recorded (to be kept beside its
 * results) and where a rerun reads their kept copies instead (inputHooks.ts).
 */
import { closeSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { resolve } from "node:path";
import { parseQuantity, quantityValue } from "../model/quantity.js";
import { ScenarioError } from "./errors.js";
import { inputHooks } from "./inputHooks.js";

/**
 * Largest input file, in bytes. [kubesim choice] The YAML parser needs about 0.5 s and
 * 55 MB of memory per MB of input (measured: a 10.8 MB `kubectl get pods -o yaml`
 * style List of 5,000 pods took 5.2 s and 571 MB of heap), so 16 MiB keeps one file
 * under ~10 s and ~1 GB. Raise it with the environment variable below.
 */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;
/** Environment variable that raises (or lowers) MAX_INPUT_FILE_BYTES: bytes or a quantity such as 64Mi. */
export const MAX_INPUT_FILE_ENV = "KUBESIM_MAX_FILE_BYTES";

/** Read size of one step (any size works; 1 MiB keeps the steps few). */
const READ_CHUNK_BYTES = 1 << 20;

/** The limit in force: the environment variable when set, else the default. */
export function inputFileLimitBytes(): number {
  const v = process.env[MAX_INPUT_FILE_ENV];
  if (v === undefined || v.trim() === "") return MAX_INPUT_FILE_BYTES;
  let n = NaN;
  try {
    n = quantityValue(parseQuantity(v.trim()));
  } catch {
    // reported below
  }
  if (!(Number.isSafeInteger(n) && n > 0)) {
    throw new ScenarioError(MAX_INPUT_FILE_ENV, "", `expected a positive number of bytes such as 67108864 or 64Mi, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** "16 MiB" for messages. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} bytes`;
}

/**
 * Who named the file, for messages: the scenario file and field (`scenario.yaml:
 * workloads[1].manifests: expected a readable manifest file, got "x.yaml" (no such
 * file)`); without it the message starts with the file itself (`x.yaml: no such file`).
 */
export interface NamedBy {
  file: string;
  path: string;
  /** "manifest file", "plugin module", ... */
  noun: string;
}

/** An input-file problem as one line; `reason` is what is wrong with the file. */
function inputError(shown: string, reason: string, by?: NamedBy): ScenarioError {
  if (by) return new ScenarioError(by.file, by.path, `expected a readable ${by.noun}, got ${JSON.stringify(shown)} (${reason})`);
  return new ScenarioError(shown, "", reason);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a named pipe";
  if (st.isSocket()) return "a socket";
  return "something other than a regular file";
}

function tooLarge(limit: number, size?: number): string {
  const got = size === undefined ? "it is larger" : `it has ${formatBytes(size)}`;
  const raise = size === undefined ? `${MAX_INPUT_FILE_ENV}=<bytes>` : `${MAX_INPUT_FILE_ENV}=${quantityAbove(size)}`;
  return `${got}; input files are limited to ${formatBytes(limit)}: raise the limit with ${raise}`;
}

/**
 * Check that `path` is a regular file within the limit (nothing is read). `shown` is
 * the file as the user wrote it.
 */
export function checkInputFile(path: string, shown: string, by?: NamedBy): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(shown, code === "ENOENT" ? "no such file" : `cannot read the file (${code ?? String(e)})`, by);
  }
  if (!st.isFile()) throw inputError(shown, `expected a regular file, got ${kindOf(st)}`, by);
  const limit = inputFileLimitBytes();
  if (st.size > limit) throw inputError(shown, tooLarge(limit, st.size), by);
}

/**
 * checkInputFile, then the text (UTF-8). The read itself stops one byte past the limit,
 * so a file that grows after the check, or a /proc file that reports size 0, cannot
 * make it read without end. Inside a load with input hooks (inputHooks.ts) the file is
 * recorded, or read from its kept copy.
 */
export function readInputFile(path: string, shown: string, by?: NamedBy): string {
  return readInputBytes(path, shown, by).toString("utf8");
}

/**
 * A plugin module, which Node loads itself: checked as an input file and recorded like
 * the others; the path to load (its kept copy on a rerun).
 */
export function inputModulePath(path: string, shown: string, by?: NamedBy): string {
  readInputBytes(path, shown, by);
  return inputHooks()?.redirect?.(shown, by && { file: by.file, path: by.path }) ?? path;
}

function readInputBytes(path: string, shown: string, by?: NamedBy): Buffer {
  const hooks = inputHooks();
  const source = hooks?.redirect?.(shown, by && { file: by.file, path: by.path }) ?? path;
  const bytes = readBytesWithinLimit(source, shown, by);
  hooks?.record?.({ shown, by: by && { file: by.file, path: by.path }, resolvedPath: resolve(path), bytes });
  return bytes;
}

function readBytesWithinLimit(path: string, shown: string, by?: NamedBy): Buffer {
  checkInputFile(path, shown, by);
  const limit = inputFileLimitBytes();
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw inputError(shown, tooLarge(limit), by);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw inputError(shown, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, by);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A limit that admits `size`, as the user would write it: 32Mi, 64Mi, ... */
function quantityAbove(size: number): string {
  let mi = 1;
  while (mi * 2 ** 20 < size) mi *= 2;
  return `${mi}Mi`;
}
