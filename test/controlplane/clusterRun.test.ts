import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { simulate } from "../../src/index.js";

const ha = () => parse(readFileSync("scenarios/ha-topologies.yaml", "utf8"));

describe("the control plane inside a cluster run", () => {
  it("ha-topologies.yaml (shortened) writes the control-plane tables, events and summary rows", () => {
    const r = simulate(ha(), { set: ["duration=3m", "controlPlane.faults[0].at=1m"], components: [] });
    const files = r.tables.map((t) => t.file).sort();
    expect(files).toEqual(["api_requests.csv", "controlplane.csv", "elections.csv", "etcd_members.csv", "etcd_write_latency_histogram.csv", "leases.csv"]);
    const cp = r.tables.find((t) => t.file === "controlplane.csv")!;
    expect(cp.rows).toHaveLength(18); // 3 min / 10 s
    const elections = r.tables.find((t) => t.file === "elections.csv")!;
    expect(elections.columns).toEqual(["sim_time_s", "cause", "old_leader", "new_leader", "term", "no_leader_ms"]);
    expect(elections.rows).toHaveLength(1);
    expect(r.events.some((e) => e.kind === "ControlPlaneFault" && e.sim_time_s === 60)).toBe(true);
    expect(r.events.some((e) => e.kind === "EtcdLeaderElected")).toBe(true);
    const lost = r.events.find((e) => e.kind === "EtcdLeaderLost")!;
    expect(lost.sim_time_s).toBe(60);
    expect(lost.object).toBe("etcd/control-plane-0");
    const summary = Object.fromEntries(r.summary.map((s) => [s.metric, s.value]));
    expect(summary.etcd_leader_changes).toBe(1);
    // 200 kubelets x 1 Lease / 10 s + 20 status + 10 bindings + 25 reads per second ~ 75 requests/s
    expect(summary.api_requests).toBeGreaterThan(180 * 60);
    expect(summary.api_requests).toBeLessThan(180 * 90);
  });

  it("without a controlPlane section the component stays out of the run", () => {
    const s = ha();
    delete s.controlPlane;
    const r = simulate(s, { set: ["duration=30s"], components: [] });
    expect(r.tables).toHaveLength(0);
  });
});
