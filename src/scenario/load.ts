/**
 * Loading a scenario: read the file, parse YAML or JSON (syntax errors name the
 * line), apply --set overrides, validate against the schema, check references
 * between sections, resolve it into the run (admission, component sections). Every
 * failure is a ScenarioError with one line of text.
 */
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseDocument } from "yaml";
import { durationUs } from "./duration.js";
import { ScenarioError, formatPath, fromZodIssue, type PathSegment } from "./errors.js";
import { expandManifests } from "./manifests.js";
import { applyOverrides } from "./overrides.js";
import { resolveScenario } from "./resolve.js";
import type { ClusterSpec } from "../run/spec.js";
import { scenarioSchema, type Scenario } from "./schema.js";

/** A scenario validated and resolved into the run it describes. */
export interface PreparedScenario {
  /** As validated, with defaults (the manifest's `parameters`). */
  scenario: Scenario;
  /** The run: objects admitted by the API server, sections resolved (run/spec.ts). */
  spec: ClusterSpec;
}

export interface LoadedScenario extends PreparedScenario {
  /** The file as given on the command line. */
  file: string;
  /** The file's exact bytes (for the manifest's sha256). */
  text: string;
}

export interface LoadOptions {
  /** --set overrides, in order. */
  set?: readonly string[];
  /** --seed, applied after --set. */
  seed?: number;
  /** Folder that manifest paths are relative to (default: the scenario file's, else the working directory). */
  baseDir?: string;
}

/** Parse YAML (JSON is YAML) text; a syntax error names the file and line. */
export function parseScenarioText(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const what = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ScenarioError(pos ? `${file}:${pos.line}:${pos.col}` : file, "", `YAML syntax error: ${what}`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, "", code === "ENOENT" ? "no such file" : `cannot read the file (${code ?? String(e)})`);
  }
  const raw = parseScenarioText(displayName(file), text);
  return { file, text, ...prepareScenario(raw, displayName(file), { baseDir: dirname(file), ...options }) };
}

/** Validate a parsed scenario object (from a file, or built in code); resolving it finds the errors only resolving can. */
export function validateScenario(raw: unknown, file = "scenario", options: LoadOptions = {}): Scenario {
  return prepareScenario(raw, file, options).scenario;
}

/**
 * Validate and resolve a parsed scenario object: the schema, the references between
 * sections, then the objects through the API server's admission and the components'
 * sections (scheduler configuration, custom plugins), each parsed once.
 */
export function prepareScenario(raw: unknown, file = "scenario", options: LoadOptions = {}): PreparedScenario {
  let doc = raw;
  if (options.set && options.set.length > 0) doc = applyOverrides(structuredClone(doc ?? {}), options.set);
  if (options.seed !== undefined) doc = { ...(doc as object), seed: options.seed };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new ScenarioError(file, "", "expected a mapping with name, duration, nodePools, workloads, ...");
  }
  const { doc: expanded, origins } = expandManifests(doc as Record<string, unknown>, file, options.baseDir ?? ".");
  // Paths into the expanded workloads list point back to the scenario entry or manifest object.
  const relocate = (path: PathSegment[]): { file: string; path: PathSegment[] } => {
    if (path[0] === "workloads" && typeof path[1] === "number" && origins[path[1]]) {
      const o = origins[path[1]];
      return { file: o.file, path: [...o.path, ...path.slice(2)] };
    }
    return { file, path };
  };
  const result = scenarioSchema.safeParse(expanded);
  if (!result.success) throw fromZodIssue(file, result.error.issues[0], expanded, relocate);
  checkReferences(file, result.data, (path, expected) => {
    const at = relocate(path);
    return new ScenarioError(at.file, formatPath(at.path), expected);
  });
  return { scenario: result.data, spec: resolveScenario(result.data, { file, locate: relocate }) };
}

/** The name used in messages: the path as given (short and recognisable). */
function displayName(file: string): string {
  return file.length > 0 ? file : basename(file);
}

/** Cross-section checks the schema cannot express: names exist, times are inside the run. */
function checkReferences(file: string, s: Scenario, workloadError: (path: PathSegment[], expected: string) => ScenarioError): void {
  const durUs = durationUs(s.duration);
  if (durUs <= 0) throw new ScenarioError(file, "duration", `expected a positive duration, got ${JSON.stringify(s.duration)}`);
  const sampleUs = durationUs(s.sampleInterval);
  if (sampleUs <= 0 || sampleUs > durUs) {
    throw new ScenarioError(file, "sampleInterval", `expected a positive duration no longer than duration, got ${JSON.stringify(s.sampleInterval)}`);
  }
  const pools = new Map<string, number>();
  const zones = new Set<string>();
  s.nodePools.forEach((p, i) => {
    if (pools.has(p.name)) throw new ScenarioError(file, `nodePools[${i}].name`, `expected a unique pool name, got ${JSON.stringify(p.name)} twice`);
    pools.set(p.name, p.count);
    for (const z of p.zones ?? []) zones.add(typeof z === "string" ? z : z.name);
  });
  const workloadNames = new Set<string>();
  s.workloads.forEach((w, i) => {
    if (!("kind" in w)) return; // a manifests entry left unexpanded cannot happen after expandManifests
    const clusterScoped = w.kind === "PriorityClass" || w.kind === "Namespace";
    const name = w.kind === "PoissonArrivals" ? `${w.namespace}/${w.name}` : clusterScoped ? w.metadata.name : `${w.metadata.namespace ?? "default"}/${w.metadata.name}`;
    if (workloadNames.has(`${w.kind}/${name}`)) {
      throw workloadError(["workloads", i, "metadata", "name"], `expected a unique ${w.kind} name${clusterScoped ? "" : " per namespace"}, got ${name} twice`);
    }
    workloadNames.add(`${w.kind}/${name}`);
    if (w.kind === "Deployment") {
      // The API server rejects a Deployment whose selector does not select its own template.
      const matchLabels = (w.spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
      const labels = w.spec.template.metadata?.labels ?? {};
      for (const [k, v] of Object.entries(matchLabels)) {
        if (labels[k] !== v) {
          throw workloadError(["workloads", i, "spec", "selector", "matchLabels", k], `expected the template's label ${k}=${JSON.stringify(v)} (spec.template.metadata.labels), got ${labels[k] === undefined ? "no such label" : JSON.stringify(labels[k])}`);
        }
      }
    }
    if (w.kind === "PoissonArrivals" && w.stop !== undefined && w.start !== undefined && durationUs(w.stop) < durationUs(w.start)) {
      throw workloadError(["workloads", i, "stop"], `expected a time after start, got ${JSON.stringify(w.stop)}`);
    }
  });
  s.faults.forEach((f, i) => {
    const at = durationUs(f.at);
    if (at > durUs) throw new ScenarioError(file, `faults[${i}].at`, `expected a time within the run (duration ${s.duration}), got ${JSON.stringify(f.at)}`);
    if (f.pool !== undefined) {
      const count = pools.get(f.pool);
      if (count === undefined) {
        throw new ScenarioError(file, `faults[${i}].pool`, `expected the name of a node pool (${[...pools.keys()].join(", ")}), got ${JSON.stringify(f.pool)}`);
      }
      if (f.count !== undefined && f.count > count) {
        throw new ScenarioError(file, `faults[${i}].count`, `expected at most ${count} (the size of pool ${f.pool}), got ${f.count}`);
      }
    }
    if (f.zone !== undefined && !zones.has(f.zone)) {
      throw new ScenarioError(file, `faults[${i}].zone`, `expected a zone of some node pool (${[...zones].join(", ") || "none defined"}), got ${JSON.stringify(f.zone)}`);
    }
    if (f.node !== undefined) {
      const m = /^(.*)-(\d+)$/.exec(f.node);
      const count = m ? pools.get(m[1]) : undefined;
      if (!m || count === undefined || Number(m[2]) >= count || String(Number(m[2])) !== m[2]) {
        throw new ScenarioError(file, `faults[${i}].node`, `expected a node name <pool>-<index> such as ${s.nodePools[0].name}-0, got ${JSON.stringify(f.node)}`);
      }
    }
  });
}
