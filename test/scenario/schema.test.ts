/** The committed JSON Schema matches the zod schema, and example scenarios point to it. */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { scenarioJsonSchema } from "../../src/scenario/schema.js";

const SCHEMA_FILE = "scenarios/kubesim.schema.json";

describe("JSON Schema", () => {
  it("scenarios/kubesim.schema.json is up to date (regenerate: node dist/src/cli/main.js schema > scenarios/kubesim.schema.json)", () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, "utf8"))).toEqual(scenarioJsonSchema());
  });

  it("describes the sections and their required fields", () => {
    const s = scenarioJsonSchema() as { properties: Record<string, unknown>; required: string[]; anyOf: unknown; additionalProperties: boolean };
    for (const key of ["name", "seed", "duration", "sampleInterval", "nodePools", "workloads", "faults", "scheduler", "controlPlane"]) {
      expect(s.properties).toHaveProperty(key);
    }
    expect(s.required).toEqual(expect.arrayContaining(["name", "duration"]));
    // Node pools come from nodePools or from a cluster export (or both).
    expect(s.anyOf).toEqual([{ required: ["nodePools"] }, { required: ["cluster"] }]);
    expect(s.additionalProperties).toBe(false);
  });

  it("quickstart.yaml carries the yaml-language-server modeline and validates", () => {
    const text = readFileSync("scenarios/quickstart.yaml", "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./kubesim.schema.json");
    expect(loadScenarioFile("scenarios/quickstart.yaml").scenario.name).toBe("quickstart");
  });

  it("every scenario listed in scenarios/README.md exists", () => {
    const readme = readFileSync("scenarios/README.md", "utf8");
    const listed = [...readme.matchAll(/\]\(\.\/([\w.-]+\.ya?ml)\)/g)].map((m) => m[1]);
    expect(listed).toContain("quickstart.yaml");
    const files = readdirSync("scenarios");
    for (const f of listed) expect(files).toContain(f);
  });
});
