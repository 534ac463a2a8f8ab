/** --set overrides: applied to the parsed YAML before validation, values parsed as YAML scalars. */
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { loadScenarioFile, validateScenario } from "../../src/scenario/load.js";
import { applyOverrides, parseSetPath } from "../../src/scenario/overrides.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

describe("--set paths", () => {
  it("parses fields, indexes and quoted keys", () => {
    expect(parseSetPath("nodePools[0].count")).toEqual(["nodePools", 0, "count"]);
    expect(parseSetPath("seed")).toEqual(["seed"]);
    expect(parseSetPath('nodePools[1].labels["topology.kubernetes.io/zone"]')).toEqual(["nodePools", 1, "labels", "topology.kubernetes.io/zone"]);
    expect(parseSetPath("nodePools[0].allocatable.ephemeral-storage")).toEqual(["nodePools", 0, "allocatable", "ephemeral-storage"]);
  });

  it("rejects malformed paths with a one-line error", () => {
    expect(() => parseSetPath("nodePools[x].count")).toThrow("--set: nodePools[x].count: expected a field path like nodePools[0].count");
    expect(() => applyOverrides({}, ["seed"])).toThrow("--set: seed: expected path=value, e.g. --set nodePools[0].count=500");
  });
});

describe("applyOverrides", () => {
  it("parses values as YAML scalars: numbers, booleans, strings, flow collections", () => {
    const doc = applyOverrides({ a: { b: 1 }, l: [{ x: 1 }] }, ["a.b=500", "a.c=true", "a.d=1h", "l[0].x=2.5", "a.e=[x, y]", "a.f={k: v}", "a.g='7'"]);
    expect(doc).toEqual({ a: { b: 500, c: true, d: "1h", e: ["x", "y"], f: { k: "v" }, g: "7" }, l: [{ x: 2.5 }] });
  });

  it("creates missing mappings of the scenario format on the way and appends at the next index", () => {
    expect(applyOverrides({ nodePools: [1] }, ["controlPlane.etcd.preVote=false", "nodePools[1]=2"])).toEqual({ controlPlane: { etcd: { preVote: false } }, nodePools: [1, 2] });
  });

  it("refuses an index past the end and a field inside a scalar", () => {
    expect(() => applyOverrides({ nodePools: [1] }, ["nodePools[5]=2"])).toThrow("--set: nodePools[5]: expected an index up to 1 in nodePools, got 5");
    expect(() => applyOverrides({ seed: 1 }, ["seed.x=2"])).toThrow("--set: seed.x: expected seed to be a mapping or list, got 1");
  });

  it("later overrides win", () => {
    expect(applyOverrides({}, ["seed=1", "seed=2"])).toEqual({ seed: 2 });
  });
});

describe("overrides on a scenario file", () => {
  const file = "scenarios/quickstart.yaml";

  it("change the fields they name and nothing else", () => {
    const plain = loadScenarioFile(file).scenario;
    const { scenario } = loadScenarioFile(file, { set: ["nodePools[0].count=500", "seed=7", "workloads[2].rate=0.25"] });
    expect(scenario.nodePools[0].count).toBe(500);
    expect(scenario.seed).toBe(7);
    const w = scenario.workloads[2];
    expect("kind" in w && w.kind === "PoissonArrivals" && w.rate).toBe(0.25);
    expect({ ...scenario, nodePools: plain.nodePools, seed: plain.seed, workloads: plain.workloads }).toEqual(plain);
    const spec = resolveScenario(scenario);
    expect(spec.nodes.filter((n) => n.pool === plain.nodePools[0].name)).toHaveLength(500);
    expect(spec.arrivals[0].meanInterarrivalUs).toBe(4_000_000);
  });

  it("are validated like the file: a bad value names --set's field", () => {
    expect(() => loadScenarioFile(file, { set: ["nodePools[0].count=ten"] })).toThrow(ScenarioError);
    expect(() => loadScenarioFile(file, { set: ["nodePools[0].count=ten"] })).toThrow(
      'scenarios/quickstart.yaml: nodePools[0].count: expected a positive integer, got "ten"',
    );
  });

  it("--seed applies after --set", () => {
    expect(validateScenario({ name: "s", duration: 60, nodePools: [{ name: "a", count: 1, allocatable: { cpu: 1, memory: "1Gi" } }] }, "x", { set: ["seed=3"], seed: 9 }).seed).toBe(9);
  });
});
