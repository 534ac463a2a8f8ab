/**
 * kubesim as a library:
 *
 *   import { simulate } from "kubesim";
 *   const result = simulate({ name: "demo", duration: "10m", nodePools: [...], workloads: [...] }, { seed: 7 });
 *   result.summary, result.timeseries, result.pods, result.events   // rows in memory
 *   result.pools, result.zones                                       // pools.csv, zones.csv
 *
 * `simulate` validates the scenario object exactly as a file is validated (errors
 * are ScenarioError with the same one-line message), writes nothing, and returns the
 * loader's warnings with the results (`result.warnings`).
 */
import { runCluster, type RunOptions, type RunResult } from "./run/run.js";
import { prepareScenario, type LoadOptions } from "./scenario/load.js";

export interface SimulateOptions extends LoadOptions, RunOptions {
  /** Name used in error messages (default "scenario"). */
  file?: string;
}

/** A run's results, and what loading the scenario warned about (faults not reached, objects skipped). */
export interface SimulateResult extends RunResult {
  warnings: string[];
}

export function simulate(scenario: unknown, options: SimulateOptions = {}): SimulateResult {
  const prepared = prepareScenario(scenario, options.file ?? "scenario", options);
  return { ...runCluster(prepared.spec, options), warnings: prepared.warnings };
}

export type { RunResult } from "./run/run.js";
export type { ClusterSpec } from "./run/spec.js";
export { ClusterRun, runCluster } from "./run/run.js";
export { loadScenarioFile, parseScenarioText, prepareScenario, validateScenario, type LoadedScenario, type LoadOptions, type PreparedScenario } from "./scenario/load.js";
export { resolveScenario } from "./scenario/resolve.js";
export { scenarioSchema, scenarioJsonSchema, type Scenario, type ScenarioInput } from "./scenario/schema.js";
export { ScenarioError } from "./scenario/errors.js";
export { PluginError } from "./scheduler/custom/pluginError.js";
export { applyOverrides } from "./scenario/overrides.js";
export { standardTables } from "./metrics/files.js";
export { tableCsv } from "./metrics/csv.js";
export type { TimeseriesRow } from "./metrics/sampler.js";
export type { PodRow } from "./metrics/podRows.js";
export type { EventRow } from "./metrics/events.js";
export type { SummaryRow } from "./metrics/summary.js";
export type { PoolRatioRow, ZoneRatioRow } from "./metrics/groupRatios.js";
