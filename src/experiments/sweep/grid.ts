/**
 * A sweep's grid: the values of each `--param path=v1,v2,...`, the cartesian product
 * of them in the order the flags were given (the last varies fastest), the seeds, and
 * which runs a shard does.
 *
 * A value list is split at the commas outside brackets, braces and quotes, so a YAML
 * flow value keeps its own commas: `resources=[a,b],[c]` is two values, `"a,b"` one.
 * An item `1..5` is the integers 1 to 5, `1..9..2` every second one (both ends
 * inclusive, the step positive). Values stay the text the user typed (trimmed): each
 * becomes a `--set path=value`, checked there like any --set; the tables show it as typed.
 *
 * Runs are numbered r = point · seeds + seed index, the order of sweep.csv; shard i of n
 * does the runs with r mod n = i, so every shard gets a share of every point.
 */

/** A --param, --seeds or --baseline value the grid cannot use: one line naming the flag. */
export class GridInputError extends Error {}

/** The most runs (grid points × seeds) one sweep may have: far more than a day of runs. [kubesim choice] */
export const MAX_SWEEP_RUNS = 100_000;

export interface GridParam {
  /** The --set path as typed (trimmed): the column header. */
  path: string;
  /** The values as typed (trimmed), ranges expanded. */
  values: string[];
}

export interface SweepGrid {
  params: GridParam[];
  seeds: number[];
}

const RANGE = /^(-?\d+)\.\.(-?\d+)(?:\.\.(\d+))?$/;

/** Split at the commas outside [], {}, and '…' / "…" (YAML flow values and quoted scalars). */
export function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== null) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "{") depth++;
    else if ((ch === "]" || ch === "}") && depth > 0) depth--;
    else if (ch === "," && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items;
}

/** Integers of `a..b` or `a..b..step`; null when the item is not a range. */
function expandRange(flag: string, item: string, limit: number): string[] | null {
  const m = RANGE.exec(item.replace(/\s+/g, ""));
  if (!m) {
    if (/^-?\d+\s*\.\./.test(item)) throw new GridInputError(`${flag}: expected an integer range like 1..5 or 1..9..2, got ${JSON.stringify(item)}`);
    return null;
  }
  const from = Number(m[1]);
  const to = Number(m[2]);
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || !Number.isSafeInteger(step)) {
    throw new GridInputError(`${flag}: expected a range of integers a double holds exactly, got ${JSON.stringify(item)}`);
  }
  if (step < 1) throw new GridInputError(`${flag}: expected a positive step in ${JSON.stringify(item)} (a..b..step), got ${step}`);
  if (from > to) throw new GridInputError(`${flag}: expected a range from a smaller to a larger integer, got ${JSON.stringify(item)}`);
  const count = Math.floor((to - from) / step) + 1;
  if (count > limit) throw new GridInputError(`${flag}: expected at most ${limit.toLocaleString("en-US")} values, got ${count.toLocaleString("en-US")} from ${JSON.stringify(item)}`);
  const out: string[] = [];
  for (let v = from; v <= to; v += step) out.push(String(v));
  return out;
}

/** Values of a comma list: items split at top-level commas, ranges expanded; none empty, none twice. */
function valueList(flag: string, text: string): string[] {
  const values: string[] = [];
  for (const raw of splitTopLevel(text)) {
    const item = raw.trim();
    if (item === "") throw new GridInputError(`${flag}: expected a comma-separated list of values, got an empty value in ${JSON.stringify(text)}`);
    const range = expandRange(flag, item, MAX_SWEEP_RUNS);
    for (const v of range ?? [item]) {
      if (values.includes(v)) throw new GridInputError(`${flag}: expected each value once, got ${JSON.stringify(v)} twice in ${JSON.stringify(text)}`);
      values.push(v);
    }
  }
  return values;
}

/** One `--param path=v1,v2,...`. */
export function parseParam(arg: string): GridParam {
  const eq = arg.indexOf("=");
  const path = eq < 0 ? "" : arg.slice(0, eq).trim();
  if (eq < 0 || path === "") throw new GridInputError(`--param: expected path=v1,v2,... (e.g. nodePools[0].count=100,200), got ${JSON.stringify(arg)}`);
  const text = arg.slice(eq + 1);
  if (text.trim() === "") throw new GridInputError(`--param ${path}: expected a comma-separated list of values after "=", got none`);
  return { path, values: valueList(`--param ${path}`, text) };
}

/** All --param flags; a path given twice is refused (its two lists would not combine). */
export function parseParams(args: readonly string[]): GridParam[] {
  const params = args.map(parseParam);
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.path)) throw new GridInputError(`--param ${p.path}: expected each path once, got it twice (put all its values in one list)`);
    seen.add(p.path);
  }
  return params;
}

/**
 * --seeds: a count N (seeds base … base + N − 1, base the scenario's seed or --seed),
 * or a list of seeds and ranges with a comma (`1,5,9`, `1..4,10`; a single seed: `7,`).
 */
export function parseSeeds(text: string, base: number): number[] {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1) throw new GridInputError(`--seeds: expected a positive number of seeds or a list like 1,5,9, got ${JSON.stringify(text)}`);
    if (n > MAX_SWEEP_RUNS) throw new GridInputError(`--seeds: expected at most ${MAX_SWEEP_RUNS.toLocaleString("en-US")} seeds, got ${JSON.stringify(text)}`);
    if (!Number.isSafeInteger(base + n - 1)) throw new GridInputError(`--seeds: expected seeds a double holds exactly, got ${base}..${base + n - 1}`);
    return Array.from({ length: n }, (_, i) => base + i);
  }
  const items = t.endsWith(",") ? t.slice(0, -1) : t;
  const seeds = valueList("--seeds", items).map((v) => {
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new GridInputError(`--seeds: expected a count or a list of non-negative integer seeds, got ${JSON.stringify(v)} in ${JSON.stringify(text)}`);
    return Number(v);
  });
  return seeds;
}

export function pointCount(params: readonly GridParam[]): number {
  return params.reduce((n, p) => n * p.values.length, 1);
}

/** Index into each param's values of grid point p (mixed radix, the last param fastest). */
export function pointCoordinates(params: readonly GridParam[], point: number): number[] {
  const coords = new Array<number>(params.length);
  let rest = point;
  for (let i = params.length - 1; i >= 0; i--) {
    const k = params[i].values.length;
    coords[i] = rest % k;
    rest = Math.floor(rest / k);
  }
  return coords;
}

export function pointOf(params: readonly GridParam[], coords: readonly number[]): number {
  let p = 0;
  for (let i = 0; i < params.length; i++) p = p * params[i].values.length + coords[i];
  return p;
}

/** The values of grid point p, one per param. */
export function pointValues(params: readonly GridParam[], point: number): string[] {
  return pointCoordinates(params, point).map((c, i) => params[i].values[c]);
}

/** The `--set path=value` list of grid point p. */
export function pointSets(params: readonly GridParam[], point: number): string[] {
  return pointValues(params, point).map((v, i) => `${params[i].path}=${v}`);
}

export interface GridRun {
  /** r = point · seeds + seed index. */
  run: number;
  point: number;
  seed: number;
}

/** Every run of the grid in (point, seed) order. */
export function gridRuns(grid: SweepGrid): GridRun[] {
  const runs: GridRun[] = [];
  const points = pointCount(grid.params);
  for (let p = 0; p < points; p++) for (let s = 0; s < grid.seeds.length; s++) runs.push({ run: runs.length, point: p, seed: grid.seeds[s] });
  return runs;
}

/** The runs of shard i of n: r mod n = i (round robin, so each shard has some of every point). */
export function shardRuns(runs: readonly GridRun[], index: number, count: number): GridRun[] {
  return runs.filter((r) => r.run % count === index);
}

/** The folder of a run inside the sweep's runs/ folder. */
export function runFolderName(point: number, seed: number): string {
  return `p${point}-s${seed}`;
}

/**
 * The baseline point of each grid point. Without --baseline, point 0. With
 * `--baseline path=v,...`, the point with those params at those values and every
 * other param as in the point itself: naming every param names one point; naming
 * some compares each point with its neighbour that differs only in them.
 */
export function baselinePoints(params: readonly GridParam[], baseline: readonly string[]): number[] {
  const fixed = new Map<number, number>();
  for (const arg of baseline.flatMap((b) => splitTopLevel(b))) {
    const eq = arg.indexOf("=");
    const path = eq < 0 ? "" : arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1).trim();
    if (eq < 0 || path === "") throw new GridInputError(`--baseline: expected path=value with a --param path (e.g. ${params[0]?.path ?? "nodePools[0].count"}=${params[0]?.values[0] ?? "100"}), got ${JSON.stringify(arg.trim())}`);
    const i = params.findIndex((p) => p.path === path);
    if (i < 0) throw new GridInputError(`--baseline: expected the path of a --param (${params.map((p) => p.path).join(", ")}), got ${JSON.stringify(path)}`);
    const v = params[i].values.indexOf(value);
    if (v < 0) throw new GridInputError(`--baseline ${path}: expected one of its --param values (${params[i].values.join(", ")}), got ${JSON.stringify(value)}`);
    if (fixed.has(i)) throw new GridInputError(`--baseline ${path}: expected each path once, got it twice`);
    fixed.set(i, v);
  }
  const points = pointCount(params);
  const out: number[] = [];
  for (let p = 0; p < points; p++) {
    if (baseline.length === 0) {
      out.push(0);
      continue;
    }
    const coords = pointCoordinates(params, p);
    for (const [i, v] of fixed) coords[i] = v;
    out.push(pointOf(params, coords));
  }
  return out;
}
