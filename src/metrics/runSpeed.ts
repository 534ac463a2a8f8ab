/**
 * Speed of a run over real time: simulated seconds per wall-clock second. Wall values
 * are never written to a CSV of a run (manifest.json, and a sweep's sweep-timing.csv,
 * keep them), so the run's outputs stay byte-identical.
 */

/** Wall time below which a speed is not measured: the clock reads to the millisecond. [kubesim choice] */
const MIN_WALL_S = 0.001;

/** Simulated seconds per wall second, 3 significant decimals; a run under 1 ms counts as 1 ms. */
export function simulatedPerWallS(simulatedS: number, wallS: number): number {
  return Math.round((simulatedS / Math.max(wallS, MIN_WALL_S)) * 1000) / 1000;
}

/** Digits grouped by thousands, as a person writes them: 2,222. */
function grouped(n: number, fractionDigits: number): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

/**
 * "simulated 3,600 s in 1.62 s wall: 2,222× real time" for the terminal. Below 10× the
 * factor keeps a decimal (0.4× is slower than real time).
 */
export function speedLine(simulatedS: number, wallS: number): string {
  const factor = simulatedPerWallS(simulatedS, wallS);
  const sim = grouped(simulatedS, Number.isInteger(simulatedS) ? 0 : 3);
  return `simulated ${sim} s in ${grouped(wallS, 2)} s wall: ${grouped(factor, factor < 10 ? 1 : 0)}× real time`;
}
