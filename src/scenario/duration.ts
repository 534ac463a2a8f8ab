/**
 * Durations as users write them: Go/Kubernetes style ("500ms", "30s", "90m", "1h",
 * "1h30m", "1.5s") or a plain number of seconds. Converted to integer microseconds,
 * the engine's unit.
 */
import { US_PER_S } from "../engine/simulation.js";

const UNIT_US: Record<string, number> = { ns: 1e-3, us: 1, "µs": 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 };
const PART = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)/y;

export const DURATION_EXPECTED = "expected a duration such as 500ms, 30s, 90m, 1h or a number of seconds";

/**
 * Longest duration of any time field: 100 years. [kubesim choice] The engine counts
 * integer microseconds in a double, exact up to 2^53 us (285 years); 100 years keeps
 * the sum of two times (a fault's `at` plus its `recoverAfter`) exact too.
 */
export const MAX_DURATION_US = 100 * 365 * 24 * 3600 * 1e6;
export const MAX_DURATION_TEXT = "100 years (876000h)";
export const DURATION_TOO_LONG = `expected a duration of at most ${MAX_DURATION_TEXT}, the range of kubesim's microsecond clock`;

/** Microseconds in a duration, or NaN when the text is not one. Negative durations are not accepted. */
export function durationUs(v: string | number): number {
  if (typeof v === "number") return v >= 0 && Number.isFinite(v) ? Math.round(v * US_PER_S) : NaN;
  const s = v.trim();
  if (s === "") return NaN;
  if (/^[0-9]+(\.[0-9]*)?$/.test(s)) return Math.round(Number(s) * US_PER_S);
  if (s === "0") return 0;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return NaN;
    total += Number(m[1]) * UNIT_US[m[2]];
    pos = PART.lastIndex;
  }
  return Math.round(total);
}

export function isDuration(v: unknown): boolean {
  return (typeof v === "string" || typeof v === "number") && !Number.isNaN(durationUs(v));
}

/** "1h", "90m", "30s", "500ms" for manifests and messages. */
export function formatDurationUs(us: number): string {
  if (us % 3600e6 === 0 && us > 0) return `${us / 3600e6}h`;
  if (us % 60e6 === 0 && us > 0) return `${us / 60e6}m`;
  if (us % 1e6 === 0) return `${us / 1e6}s`;
  if (us % 1e3 === 0) return `${us / 1e3}ms`;
  return `${us}us`;
}
