/**
 * The inputs the fuzzer starts from, read once: every shipped scenario
 * (scenarios/*.yaml), the scenario and manifest fixtures (test/scenario/fixtures), and
 * the explain fixtures (test/scheduler/fixtures/explain). Paths are relative to the
 * repository root, which is the working directory of `npm test` and of the runners.
 * A file is held as its list of YAML documents, so a mutation can also add, drop or
 * repeat a document.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export const SCENARIOS_DIR = "scenarios";
export const SCENARIO_FIXTURES_DIR = "test/scenario/fixtures";
export const EXPLAIN_FIXTURES_DIR = "test/scheduler/fixtures/explain";
/** The example custom plugin, for the explain configuration that enables it. */
export const EXAMPLE_PLUGIN = "scenarios/plugins/dominantResourceFit.mjs";

export interface ScenarioSeed {
  /** The path as given on the command line (the name errors show). */
  file: string;
  doc: unknown;
  /** Where its manifest files are. */
  baseDir: string;
}

export interface FileSeed {
  name: string;
  documents: unknown[];
  json: boolean;
}

function documentsOf(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((d) => d.toJS({ maxAliasCount: -1 }) as unknown)
    .filter((v) => v !== null && v !== undefined);
}

let cache: { scenarios: ScenarioSeed[]; manifests: FileSeed[]; explain: Map<string, FileSeed> } | undefined;

export function corpus(): { scenarios: ScenarioSeed[]; manifests: FileSeed[]; explain: Map<string, FileSeed> } {
  if (cache) return cache;
  const yamlIn = (dir: string) => readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const scenarios: ScenarioSeed[] = yamlIn(SCENARIOS_DIR).filter((f) => !f.endsWith(".json")).map((f) => ({ file: join(SCENARIOS_DIR, f), doc: documentsOf(join(SCENARIOS_DIR, f))[0], baseDir: SCENARIOS_DIR }));
  const manifests: FileSeed[] = [];
  for (const f of yamlIn(SCENARIO_FIXTURES_DIR)) {
    const documents = documentsOf(join(SCENARIO_FIXTURES_DIR, f));
    // A fixture with nodePools is a scenario (its manifests are the other fixtures).
    if (documents.length === 1 && typeof documents[0] === "object" && documents[0] !== null && "nodePools" in documents[0]) {
      scenarios.push({ file: join(SCENARIO_FIXTURES_DIR, f), doc: documents[0], baseDir: SCENARIO_FIXTURES_DIR });
    } else {
      manifests.push({ name: f, documents, json: f.endsWith(".json") });
    }
  }
  const explain = new Map(yamlIn(EXPLAIN_FIXTURES_DIR).map((f) => [f, { name: f, documents: documentsOf(join(EXPLAIN_FIXTURES_DIR, f)), json: false }]));
  cache = { scenarios, manifests, explain };
  return cache;
}
