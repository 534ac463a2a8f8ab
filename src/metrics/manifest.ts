/**
 * manifest.json: what produced a run folder — kubesim version, the scenario's
 * sha256, seed, overrides, resolved parameters, counts — and the only place
 * wall-clock values (start time, duration) are written, so the CSVs stay
 * byte-identical between runs.
 */
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
}

export function manifestJson(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
