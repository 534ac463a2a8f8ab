/**
 * --set paths must name something: a value the scenario has, a field the scenario
 * format has where it is created, or the next list index. A path that names nothing is
 * a one-line error saying which part did not match (never a field silently added and
 * ignored), and the names JavaScript objects inherit are refused.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { loadScenarioFile, parseScenarioText, prepareScenario } from "../../src/scenario/load.js";
import { applyOverrides } from "../../src/scenario/overrides.js";

const QUICKSTART = "scenarios/quickstart.yaml";

function error(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as Error).message.split("\n")).toHaveLength(1);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("reserved names", () => {
  it.each(["__proto__.x=1", "constructor.x=1", "nodePools[0].prototype=1", 'nodePools[0]["__proto__"].polluted=1'])("%s is refused and pollutes nothing", (arg) => {
    expect(error(() => loadScenarioFile(QUICKSTART, { set: [arg] }))).toMatch(/^--set: .*: expected a field path like nodePools\[0\]\.count, got "(__proto__|constructor|prototype)" \(a name reserved by JavaScript objects, never a scenario field\)$/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("a path that names nothing", () => {
  it("a field of the wrong workload kind: the Deployment at workloads[1] has no rate (the API server's strict decoding says so)", () => {
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["workloads[1].rate=4"] }))).toBe('scenarios/quickstart.yaml: workloads[1].rate: strict decoding error: unknown field "rate"');
  });

  it("a misspelt field inside a Kubernetes object and inside the scenario format", () => {
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["workloads[0].spec.replica=4"] }))).toBe('scenarios/quickstart.yaml: workloads[0].spec.replica: strict decoding error: unknown field "spec.replica"');
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["controlPlane.etcd.prevote=false"] }))).toMatch(/^--set: controlPlane\.etcd\.prevote: expected a field of controlPlane\.etcd \(a mapping: heartbeatInterval, .*preVote.*\), got "prevote"$/);
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["nodePool[0].count=1"] }))).toMatch(/^--set: nodePool\[0\]\.count: expected a field of the scenario \(a mapping: .*nodePools.*\), got "nodePool"$/);
  });

  it("an index on a mapping, a field on a list, a field inside a scalar", () => {
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["controlPlane[0]=1"] }))).toBe("--set: controlPlane[0]: expected controlPlane to be a list, got a mapping");
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["nodePools.count=1"] }))).toBe('--set: nodePools.count: expected an index [n] after nodePools (a list), got "count"');
    expect(error(() => loadScenarioFile(QUICKSTART, { set: ["name.first=x"] }))).toBe('--set: name.first: expected name to be a mapping or list, got "quickstart"');
  });

  it("a {manifests} entry has no fields of the objects in its file", () => {
    const s = { name: "m", duration: "10m", nodePools: [{ name: "a", count: 1, allocatable: { cpu: 1, memory: "1Gi" } }], workloads: [{ manifests: "shop.yaml" }] };
    expect(error(() => prepareScenario(s, "s.yaml", { set: ["workloads[0].spec.replicas=3"], baseDir: "test/scenario/fixtures" }))).toBe(
      '--set: workloads[0].spec.replicas: expected a field of workloads[0] (a {manifests} entry: manifests), got "spec"',
    );
  });
});

describe("paths that name something", () => {
  it("the README's override example works on the excerpt it is written for, and on the file", () => {
    const readme = readFileSync("README.md", "utf8");
    // The example as printed under "### Overrides".
    const example = /```sh\nnpx kubesim run scenarios\/quickstart\.yaml --seed 7 \\\n  --set (\S+) --set (\S+) \\\n  --set '([^']+)'\n```/.exec(readme);
    expect(example).not.toBeNull();
    const set = [example![1], example![2], example![3]];
    // The excerpt under "## A scenario", read as a scenario itself, and the file it excerpts.
    const excerpt = /## A scenario\n\n```yaml\n([\s\S]*?)```/.exec(readme);
    expect(excerpt).not.toBeNull();
    for (const { scenario, spec } of [prepareScenario(parseScenarioText("README.md", excerpt![1]), "README.md", { set, seed: 7 }), loadScenarioFile(QUICKSTART, { set, seed: 7 })]) {
      expect(spec.nodes.filter((n) => n.pool === "general")).toHaveLength(500);
      const batch = scenario.workloads[2];
      expect("kind" in batch && batch.kind === "PoissonArrivals" && batch.name === "batch" && batch.rate).toBe(4);
      expect(scenario.faults[0]).toMatchObject({ type: "node-failure", zone: "zone-b" });
    }
  });

  it("creates a section the scenario leaves out, keys of free mappings, and appends", () => {
    const doc = applyOverrides(
      { name: "x", nodePools: [{ name: "a", labels: {} }], workloads: [] },
      ["controlPlane.etcd.preVote=false", "nodePools[0].labels.tier=web", 'nodePools[0].allocatable["nvidia.com/gpu"]=1', "scheduler.config.percentageOfNodesToScore=50", "limits.nodes=7", "faults[0]={type: heal}"],
    );
    expect(doc).toMatchObject({
      controlPlane: { etcd: { preVote: false } },
      nodePools: [{ labels: { tier: "web" }, allocatable: { "nvidia.com/gpu": 1 } }],
      scheduler: { config: { percentageOfNodesToScore: 50 } },
      limits: { nodes: 7 },
      faults: [{ type: "heal" }],
    });
  });

  it("replaces what the document has even where the format does not know it", () => {
    expect(applyOverrides({ workloads: [{ kind: "Deployment", status: { replicas: 1 } }] }, ["workloads[0].status.replicas=2"])).toEqual({ workloads: [{ kind: "Deployment", status: { replicas: 2 } }] });
  });
});
