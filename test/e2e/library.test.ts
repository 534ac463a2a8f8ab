/** The library entry: `import { simulate } from "kubesim"`. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ScenarioError, simulate } from "../../src/index.js";

const small = {
  name: "lib",
  duration: "5m",
  sampleInterval: "1m",
  nodePools: [{ name: "a", count: 4, zones: ["z1", "z2"], allocatable: { cpu: "4", memory: "16Gi" } }],
  workloads: [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { replicas: 6, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } } },
    },
  ],
  faults: [{ type: "node-failure", at: "2m", node: "a-1", recoverAfter: "1m" }],
};

describe("simulate()", () => {
  it("runs a scenario object and returns its rows in memory, writing nothing", () => {
    const r = simulate(small, { seed: 3 });
    expect(r.timeseries.map((t) => t.sim_time_s)).toEqual([0, 60, 120, 180, 240, 300]);
    expect(r.timeseries.at(-1)).toMatchObject({ nodes_ready: 4, pods_running: 6 });
    // The crash at 120 s shows only when the node lifecycle controller's grace period (50 s) is over.
    expect(r.timeseries[2]).toMatchObject({ nodes_ready: 4, nodes_unknown: 0 });
    expect(r.timeseries[3]).toMatchObject({ nodes_ready: 3, nodes_unknown: 1 });
    expect(r.events.map((e) => e.kind).filter((k) => k.startsWith("Node"))).toEqual(["NodeFailure", "NodeStatusUnknown", "NodeRecovery", "NodeReady"]);
    // Back at 180 s, before any toleration ran out: nothing evicted, the node's pods restarted.
    expect(r.timeseries.at(-1)!.pods_evicted_total).toBe(0);
    const restarted = r.pods.filter((p) => p.restarts > 0);
    expect(restarted.length).toBeGreaterThan(0);
    for (const p of restarted) expect(p.node).toBe("a-1");
    const back = r.events.find((e) => e.kind === "ReplicasAvailable")!;
    expect(back.object).toBe("deployment/default/web");
    expect(back.sim_time_s).toBeGreaterThan(180);
    expect(back.sim_time_s).toBeLessThan(182);
    expect(r.summary.find((s) => s.metric === "pods_created")!.value).toBe(6);
    expect(existsSync("results/lib-3")).toBe(false);
  });

  it("validates like a file, with --set style overrides", () => {
    expect(() => simulate({ ...small, duration: "soon" })).toThrow(ScenarioError);
    expect(() => simulate(small, { file: "mine", set: ["nodePools[0].count=0"] })).toThrow("mine: nodePools[0].count: expected a positive integer, got 0");
    expect(simulate(small, { set: ["nodePools[0].count=2", "faults=[]"] }).counts.nodes).toBe(2);
  });

  it("returns the loader's warnings: a fault after the end of the run is not reached", () => {
    const r = simulate({ ...small, faults: [{ type: "node-failure", at: "10m", pool: "a", count: 1 }] });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/faults\[0\].*not reached/);
    expect(r.events.some((e) => e.kind === "NodeFailure")).toBe(false);
  });

  it("control-plane summary rows about the first fault appear only for a fault the run reached", () => {
    const s = parse(readFileSync("scenarios/ha-topologies.yaml", "utf8"));
    const metrics = (duration: string) => simulate(s, { set: [`duration=${duration}`], components: [] }).summary.map((m) => m.metric);
    expect(metrics("1m")).not.toContain("api_availability_60s_after_fault");
    expect(metrics("3m")).toContain("api_availability_60s_after_fault");
  });

  it('resolves as the package "kubesim" (package.json exports; needs the build)', () => {
    const code = `import("kubesim").then(m => console.log(typeof m.simulate, typeof m.loadScenarioFile, typeof m.scenarioJsonSchema))`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("function function function");
  });
});
