/**
 * A table of results: named columns and rows of numbers/strings. Every output CSV
 * is one; components (control plane, scheduler) add their own through the same type.
 * Numbers are written with a fixed number of decimals so files are byte-identical
 * across runs and machines.
 */
export type Cell = number | string | null;

export interface Table {
  /** File name, e.g. "timeseries.csv". */
  file: string;
  columns: string[];
  rows: Cell[][];
  /** Decimals for non-integer numbers (default 6). */
  decimals?: number;
}

export function tableOf<T extends object>(file: string, columns: (keyof T & string)[], rows: readonly T[], decimals?: number): Table {
  return { file, columns, rows: rows.map((r) => columns.map((c) => (r as Record<string, Cell>)[c] ?? null)), decimals };
}

/** Deterministic text of a cell: integers as is, other numbers with fixed decimals, null empty. */
export function formatCell(v: Cell, decimals = 6): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
  if (Number.isInteger(v)) return String(v);
  const s = v.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}
