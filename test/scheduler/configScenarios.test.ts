/**
 * The scheduler-compare-*.yaml scenarios: valid, identical apart from the scheduler
 * section (so a comparison sees the same arrivals), and each profile actually runs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runCluster } from "../../src/run/run.js";

const VARIANTS = ["default", "binpacking", "plugin"];
const file = (v: string) => `scenarios/scheduler-compare-${v}.yaml`;

describe("scheduler comparison scenarios", () => {
  it("differ only in name and scheduler section (common random numbers)", () => {
    const docs = VARIANTS.map((v) => parse(readFileSync(file(v), "utf8")) as Record<string, unknown>);
    const rest = docs.map(({ name: _n, scheduler: _s, ...r }) => r);
    expect(rest[1]).toEqual(rest[0]);
    expect(rest[2]).toEqual(rest[0]);
    expect(docs.map((d) => d.name)).toEqual(VARIANTS.map((v) => `scheduler-compare-${v}`));
  });

  it("the profiles place differently on the same arrivals (first 5 simulated minutes)", () => {
    const placements = VARIANTS.map((v) => {
      const { scenario } = loadScenarioFile(file(v), { set: ["duration=5m"] });
      const r = runCluster(resolveScenario(scenario));
      return r.pods.map((p) => `${p.pod}@${p.node}`);
    });
    // Same pods created (same arrival streams) ...
    const names = placements.map((ps) => ps.map((p) => p.split("@")[0]));
    expect(names[1]).toEqual(names[0]);
    expect(names[2]).toEqual(names[0]);
    // ... placed differently by each policy.
    expect(placements[1]).not.toEqual(placements[0]);
    expect(placements[2]).not.toEqual(placements[0]);
    expect(placements[2]).not.toEqual(placements[1]);
  });

  it("a bad inline profile is a one-line scenario error with the field path", () => {
    expect(() => loadScenarioFile(file("binpacking"), { set: ["scheduler.config.profiles[0].pluginConfig[0].args.scoringStrategy.type=Packed"] })).toThrow(
      'scheduler-compare-binpacking.yaml: scheduler.config.profiles[0].pluginConfig[0].args.scoringStrategy.type: expected one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, got "Packed"',
    );
  });
});

describe("custom plugin args", () => {
  it("args the plugin's create() rejects are a one-line configuration error", () => {
    expect(() =>
      loadScenarioFile(file("plugin"), { set: ["scheduler.config.profiles[0].pluginConfig[0].args.maxUtilizationPercent=0"] }),
    ).toThrow(
      "scheduler-compare-plugin.yaml: scheduler.config.profiles[0].pluginConfig[0].args.maxUtilizationPercent: expected an integer 1..100, got 0",
    );
  });
});
