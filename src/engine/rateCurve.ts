/**
 * An event rate that changes over time (per second, against the virtual clock), and the
 * exact sampling of the non-homogeneous Poisson process it drives.
 *
 * Curves: constant (kept as its mean interval, so a constant-rate stream draws exactly
 * what it drew before curves existed), steps (piecewise constant: 0 before the first
 * step, each step's rate from its `at` on) and daily (a sinusoid with period 24 h:
 * rate(t) = (min + max) / 2 + (max - min) / 2 * cos(2π (t - peakAt) / 24 h), so max at
 * peakAt, min 12 h away; t is time since the start of the run).
 *
 * Sampling is thinning (Lewis and Shedler, 1979): candidates of a homogeneous process at
 * a bound λ* >= λ(t), each kept with probability λ(t)/λ*. The bound is piecewise: a
 * steps curve's piece is its own bound (nothing is rejected and no uniform is drawn),
 * the daily curve's bound is its max. A candidate that falls past its piece's end is
 * dropped and drawing restarts at that end, which is exact because the exponential is
 * memoryless; so a long stretch of rate 0 costs one draw, not one per candidate.
 */
import type { RandomStream } from "./random.js";
import { US_PER_S } from "./simulation.js";

/** One day in microseconds: the period of a daily curve. */
export const DAY_US = 24 * 3600 * US_PER_S;

export type RateCurve =
  | { type: "constant"; meanIntervalUs: number }
  /** Piecewise constant: 0 before atUs[0], perS[i] on [atUs[i], atUs[i+1]); atUs strictly increasing. */
  | { type: "steps"; atUs: readonly number[]; perS: readonly number[] }
  | { type: "daily"; minPerS: number; maxPerS: number; peakAtUs: number };

/** The rate at tUs, per second. */
export function rateAt(c: RateCurve, tUs: number): number {
  switch (c.type) {
    case "constant":
      return US_PER_S / c.meanIntervalUs;
    case "steps": {
      const i = stepIndex(c.atUs, tUs);
      return i < 0 ? 0 : c.perS[i];
    }
    case "daily":
      return (c.minPerS + c.maxPerS) / 2 + ((c.maxPerS - c.minPerS) / 2) * Math.cos((2 * Math.PI * (tUs - c.peakAtUs)) / DAY_US);
  }
}

/** The expected number of events in [fromUs, toUs]: the integral of the rate. */
export function expectedCount(c: RateCurve, fromUs: number, toUs: number): number {
  if (toUs <= fromUs) return 0;
  switch (c.type) {
    case "constant":
      return (toUs - fromUs) / c.meanIntervalUs;
    case "steps": {
      let n = 0;
      for (let i = 0; i < c.atUs.length; i++) {
        const lo = Math.max(fromUs, c.atUs[i]);
        const hi = Math.min(toUs, i + 1 < c.atUs.length ? c.atUs[i + 1] : Infinity);
        if (hi > lo) n += (c.perS[i] * (hi - lo)) / US_PER_S;
      }
      return n;
    }
    case "daily": {
      const omega = (2 * Math.PI) / DAY_US;
      const mean = (c.minPerS + c.maxPerS) / 2;
      const amplitude = (c.maxPerS - c.minPerS) / 2;
      const oscillation = (amplitude / omega) * (Math.sin(omega * (toUs - c.peakAtUs)) - Math.sin(omega * (fromUs - c.peakAtUs)));
      return (mean * (toUs - fromUs) + oscillation) / US_PER_S;
    }
  }
}

/** The highest rate the curve reaches (per second). */
export function maxRate(c: RateCurve): number {
  switch (c.type) {
    case "constant":
      return US_PER_S / c.meanIntervalUs;
    case "steps":
      return c.perS.reduce((m, r) => Math.max(m, r), 0);
    case "daily":
      return c.maxPerS;
  }
}

/**
 * The next event after fromUs (an integer us), rounded to the microsecond, or -1 when
 * there is none up to stopUs. Draws from `stream` only: exponentials for candidates and,
 * where the bound exceeds the rate, a uniform to keep or drop one.
 */
export function nextEventUs(c: RateCurve, stream: RandomStream, fromUs: number, stopUs: number): number {
  if (c.type === "constant") {
    const t = Math.round(fromUs + stream.exponential(c.meanIntervalUs));
    return t <= stopUs ? t : -1;
  }
  let t = fromUs;
  for (;;) {
    const boundPerS = pieceBound(c, t);
    const endUs = pieceEndUs(c, t);
    if (boundPerS > 0) {
      const candidateUs = t + stream.exponential(US_PER_S / boundPerS);
      if (candidateUs < endUs) {
        if (candidateUs > stopUs + 0.5) return -1;
        t = candidateUs;
        const rate = rateAt(c, t);
        if (rate >= boundPerS || stream.next() * boundPerS < rate) {
          const atUs = Math.round(t);
          return atUs <= stopUs ? atUs : -1;
        }
        continue;
      }
    }
    // Nothing in this piece: start again at its end (memoryless).
    if (endUs > stopUs) return -1;
    t = endUs;
  }
}

/** The thinning bound of the piece holding tUs. */
function pieceBound(c: RateCurve, tUs: number): number {
  if (c.type === "steps") {
    const i = stepIndex(c.atUs, tUs);
    return i < 0 ? 0 : c.perS[i];
  }
  return maxRate(c);
}

/** Where the piece holding tUs ends (Infinity for the last). */
function pieceEndUs(c: RateCurve, tUs: number): number {
  if (c.type !== "steps") return Infinity;
  const i = stepIndex(c.atUs, tUs);
  return i + 1 < c.atUs.length ? c.atUs[i + 1] : Infinity;
}

/** The last i with atUs[i] <= tUs, or -1 (binary search). */
function stepIndex(atUs: readonly number[], tUs: number): number {
  let lo = 0;
  let hi = atUs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (atUs[mid] <= tUs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
