/**
 * manifest.json: what produced a run folder — kubesim version, the scenario's
 * sha256, seed, overrides, resolved parameters, counts, the input files it read (kept
 * in inputs/) — and the only place wall-clock values (start time, duration, speed) are
 * written, so the CSVs stay byte-identical between runs.
 */
import type { KeptInput } from "./keptInputs.js";

export interface Manifest {
  kubesim_version: string;
  scenario_file: string;
  scenario_sha256: string;
  scenario_name: string;
  seed: number;
  overrides: string[];
  /** What the loader accepted but reported (faults not reached, objects of manifest files skipped); [] when none. */
  warnings: string[];
  /** The validated scenario with defaults applied. */
  parameters: unknown;
  counts: Record<string, number>;
  files: string[];
  node_version: string;
  wall_clock_start: string;
  wall_clock_duration_s: number;
  /** Simulated time of the run, seconds (the scenario's duration). */
  simulated_s?: number;
  /** simulated_s / wall_clock_duration_s (runSpeed.ts). */
  simulated_s_per_wall_s?: number;
  /** Every input file the run read, kept under inputs/ (keptInputs.ts); absent in folders written before kubesim kept them. */
  inputs?: KeptInput[];
}

export function manifestJson(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
