/**
 * A case played the way the CLI plays it, in-process: the functions the commands call,
 * in their order, minus writing the results folder.
 *  - `kubesim run`: parseScenarioText + prepareScenario (= loadScenarioFile on the case's
 *    text), a ClusterRun, finish, the CSV tables and manifest.json as text. The run is
 *    bounded: simulated time capped at `limits.simUs`, at most `limits.maxEvents`
 *    events (then it stops unfinished: "truncated"), raft-election trials capped;
 *  - `kubesim explain`: explainFiles.
 * `progress.phase` says how far a case got, for a hang or an internal error.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { explainFiles } from "../../src/cli/explain.js";
import { US_PER_MS } from "../../src/engine/simulation.js";
import { tableCsv } from "../../src/metrics/csv.js";
import { standardTables } from "../../src/metrics/files.js";
import { manifestJson } from "../../src/metrics/manifest.js";
import { ClusterRun } from "../../src/run/run.js";
import type { ClusterSpec } from "../../src/run/spec.js";
import { parseScenarioText, prepareScenario } from "../../src/scenario/load.js";
import { SET_SOURCE } from "../../src/scenario/overrides.js";
import type { CaseFile, ExplainCase, FuzzCase, ScenarioCase } from "./cases.js";
import type { CaseLimits } from "./limits.js";
import type { Phase } from "./signature.js";

export interface Progress {
  phase: Phase;
}

/** A scratch folder for the files of one case at a time. */
export class CaseFolder {
  readonly dir = mkdtempSync(join(tmpdir(), "kubesim-fuzz-"));

  write(files: readonly CaseFile[]): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    for (const f of files) writeFileSync(join(this.dir, f.name), f.text);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The names a case's files appear under in messages. */
export function shownFiles(c: FuzzCase, dir: string): string[] {
  if (c.target === "explain") return c.files.map((f) => join(dir, f.name));
  // Manifests are shown relative to the working directory (src/scenario/manifests.ts):
  // the case's own files, or those beside the seed scenario.
  const manifestDir = c.files.length > 0 ? dir : (c.baseDir ?? ".");
  const manifests = c.files.length > 0 ? c.files.map((f) => f.name) : readdirSync(manifestDir).filter((f) => /\.(ya?ml|json)$/.test(f));
  return [c.file, SET_SOURCE, ...manifests.map((f) => relative(process.cwd(), join(manifestDir, f)))];
}

/** The run, made short: the duration capped; a raft-election experiment's trials, and the time each may take, capped. */
function bounded(spec: ClusterSpec, limits: CaseLimits): ClusterSpec {
  const cp = spec.controlPlane;
  const exp = cp?.experiment;
  return {
    ...spec,
    durationUs: Math.min(spec.durationUs, limits.simUs),
    controlPlane:
      cp && exp
        ? {
            ...cp,
            experiment: {
              ...exp,
              trials: Math.min(exp.trials, limits.experimentTrials),
              trialsWithoutRandomness: Math.min(exp.trialsWithoutRandomness, limits.experimentTrials),
              trialTimeoutMs: Math.min(exp.trialTimeoutMs, limits.simUs / US_PER_MS),
            },
          }
        : cp,
  };
}

export type PlayResult = "finished" | "truncated";

export function playScenario(c: ScenarioCase, dir: string, limits: CaseLimits, progress: Progress): PlayResult {
  progress.phase = "parse";
  const raw = parseScenarioText(c.file, c.text);
  progress.phase = "prepare";
  const tight = Object.entries(limits.scenarioLimits).map(([k, v]) => `limits.${k}=${v}`);
  const prepared = prepareScenario(raw, c.file, { baseDir: c.files.length > 0 ? dir : (c.baseDir ?? "."), set: [...c.set, ...tight] });
  const { scenario, spec: full } = prepared;
  progress.phase = "run";
  const spec = bounded(full, limits);
  const run = new ClusterRun(spec);
  const sim = run.sim;
  let events = 0;
  while (events < limits.maxEvents && sim.peek() <= spec.durationUs && sim.step()) events++;
  if (sim.peek() <= spec.durationUs) return "truncated";
  progress.phase = "finish";
  const result = run.finish();
  progress.phase = "output";
  const tables = standardTables(result);
  const files = tables.map((t) => ({ name: t.file, content: tableCsv(t) }));
  // Loader warnings go into manifest.json where the build has them (spread: the type need not declare them).
  const warnings = { warnings: (prepared as { warnings?: string[] }).warnings ?? [] };
  manifestJson({
    ...warnings,
    kubesim_version: "fuzz",
    scenario_file: c.file,
    scenario_sha256: "",
    scenario_name: spec.name,
    seed: spec.seed,
    overrides: c.set,
    parameters: scenario,
    counts: { ...result.counts },
    files: [...files.map((f) => f.name), "manifest.json"],
    node_version: process.version,
    wall_clock_start: "",
    wall_clock_duration_s: 0,
  });
  return "finished";
}

/**
 * explain, as the command runs it. Without plugins the whole body runs before the
 * returned promise is awaited (so inside the wall-time limit); with plugins the part
 * after the plugin import runs later and is only timed.
 */
export function explainCase(c: ExplainCase, dir: string, progress: Progress): Promise<string> {
  progress.phase = "explain";
  const notes: string[] = [];
  return explainFiles({ cluster: c.cluster.map((f) => join(dir, f)), pod: join(dir, c.pod), config: c.config ? join(dir, c.config) : undefined, plugins: c.plugins }, notes);
}
