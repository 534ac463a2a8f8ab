import { describe, expect, it } from "vitest";
import { availability, rowsOf, runControlPlane } from "./runControlPlane.js";

describe("control-plane faults", () => {
  it("symmetric partition [control-plane-0] | [control-plane-1, control-plane-2]: the majority elects, the minority leader steps down; healed, one leader", () => {
    const r = runControlPlane(
      { topology: "stacked", faults: [{ type: "partition", at: "20s", groups: [["control-plane-0"], ["control-plane-1", "control-plane-2"]], healAfter: "20s" }] },
      { durationSeconds: 60 },
    );
    const e = rowsOf(r.table("elections.csv"));
    expect(e.length).toBeGreaterThanOrEqual(1);
    expect(["control-plane-1", "control-plane-2"]).toContain(e[0].new_leader);
    expect(e[0].sim_time_s as number).toBeGreaterThan(20);
    expect(e[0].sim_time_s as number).toBeLessThan(23);
    // after the heal everybody follows the majority's leader
    const l = r.cp.etcd.leader();
    expect(l).toBeGreaterThanOrEqual(1);
    for (let m = 0; m < 3; m++) expect(r.cp.etcd.leaderOf(m)).toBe(l);
  });

  it("etcd member loss with recovery: the member comes back as a follower and catches up", () => {
    const r = runControlPlane({ topology: "stacked", faults: [{ type: "etcd-member-loss", at: "10s", member: "control-plane-2", recoverAfter: "10s" }] }, { durationSeconds: 40 });
    const rows = rowsOf(r.table("etcd_members.csv")).filter((x) => x.member === "control-plane-2");
    const at = (t: number) => rows.find((x) => x.sim_time_s === t)!;
    expect(at(15).role).toBe("down");
    expect(at(40).role).toBe("follower");
    expect(r.cp.etcd.commitIndex(2)).toBeGreaterThan(0);
    // no leader change: a follower died
    expect(rowsOf(r.table("elections.csv"))).toHaveLength(0);
    expect(Math.abs(r.cp.etcd.commitIndex(2) - r.cp.etcd.commitIndex(r.cp.etcd.leader()))).toBeLessThan(50);
  });

  it("API server loss: it leaves the LB pool; clients keep being served by the others; it returns after rise x inter", () => {
    const r = runControlPlane({ topology: "stacked", faults: [{ type: "apiserver-loss", at: "10s", host: "control-plane-1", recoverAfter: "20s" }] }, { durationSeconds: 50 });
    const lb = r.cp.api.loadBalancer;
    expect(lb.leftPoolAtUs[1]).toHaveLength(1);
    expect(lb.leftPoolAtUs[1][0] / 1e6).toBeGreaterThan(10);
    expect(lb.leftPoolAtUs[1][0] / 1e6).toBeLessThanOrEqual(16);
    expect(lb.inPool[1]).toBe(1);
    // LB clients: refused connections are redispatched, so they are all answered. The only
    // failures are the lease polls of the standby components on control-plane-1, which talk
    // to their own (dead) API server: at most one per RetryPeriod (2 s) per component.
    const failed = rowsOf(r.table("api_requests.csv")).filter((x) => x.requests !== x.ok);
    expect(failed.every((x) => x.verb === "get" && x.connection_failed === (x.requests as number) - (x.ok as number))).toBe(true);
    const lost = failed.reduce((n, x) => n + (x.connection_failed as number), 0);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(2 * (20 / 2) + 2);
    expect(availability(r.table("controlplane.csv"), 0, 50)).toBeGreaterThan(0.99);
    const ev = r.cp.metrics.events.map((e) => e.kind);
    expect(ev).toContain("ApiServerOutOfPool");
    expect(ev).toContain("ApiServerInPool");
  });

  it("a role target resolves when the fault fires: host-loss of kube-scheduler-leader hits the lease holder", () => {
    const r = runControlPlane({ topology: "stacked", faults: [{ type: "host-loss", at: "10s", host: "kube-scheduler-leader" }] }, { durationSeconds: 40 });
    const lost = rowsOf(r.table("leases.csv")).find((l) => l.lease === "kube-scheduler" && l.event === "lost")!;
    expect(lost.sim_time_s).toBe(10);
    expect(r.cp.hosts.up[r.cp.hosts.hostIndex(lost.holder as string)]).toBe(0);
  });
});

describe("kubelet node-Lease retries (component-helpers lease controller)", () => {
  it("while the API is down each kubelet GETs its Lease with back-off capped at 7 s; in steady state one Update per ~10 s", async () => {
    const { Simulation, US_PER_S } = await import("../../src/engine/simulation.js");
    const { ControlPlane } = await import("../../src/run/controlPlane.js");
    const { EventLog } = await import("../../src/metrics/events.js");
    const { controlPlaneSection } = await import("../../src/scenario/sections/controlPlane.js");
    const spec = controlPlaneSection.controlPlane.parse({
      topology: "single-control-plane",
      load: { nodeLeases: 10, podStatusUpdatesPerSecond: 0, bindingsPerSecond: 0, cachedReadsPerSecond: 0, quorumReadsPerSecond: 0 },
      faults: [{ type: "host-loss", at: "100s", host: "control-plane-0" }],
    })!;
    const sim = new Simulation(3);
    const cp = new ControlPlane(sim, spec, 10, new EventLog(), 10 * US_PER_S, 300 * US_PER_S);
    cp.start();
    sim.run(20 * US_PER_S);
    const a = cp.nodeLeases.requests;
    sim.run(80 * US_PER_S);
    // healthy: every 10-10.4 s per kubelet -> 60 s x 10 kubelets / 10.2 s ~ 59
    const steady = cp.nodeLeases.requests - a;
    expect(steady).toBeGreaterThanOrEqual(10 * Math.floor(60 / 10.4));
    expect(steady).toBeLessThanOrEqual(10 * Math.ceil(60 / 10));
    sim.run(130 * US_PER_S); // the LB has no server left (<= 6 s) and every back-off reached 7 s (after 12.6 s)
    const b = cp.nodeLeases.requests;
    sim.run(200 * US_PER_S);
    const perKubelet = (cp.nodeLeases.requests - b) / 10;
    // failed connections answer at once: one GET per 7 s
    expect(perKubelet).toBeGreaterThanOrEqual(Math.floor(70 / 7));
    expect(perKubelet).toBeLessThanOrEqual(Math.ceil(70 / 7) + 1);
  });
});

describe("etcd client endpoint failover (external etcd)", () => {
  it("a dead etcd host is used until the client keepalive (30 s + 10 s) gives up; a crashed etcd process is skipped at once", () => {
    const lostHost = runControlPlane({ topology: "external-etcd", faults: [{ type: "host-loss", at: "20s", host: "etcd-2" }] }, { durationSeconds: 100 });
    const lostProcess = runControlPlane({ topology: "external-etcd", faults: [{ type: "etcd-member-loss", at: "20s", member: "etcd-2" }] }, { durationSeconds: 100 });
    const cpl = lostHost.table("controlplane.csv");
    // requests routed to the silent endpoint hang and all fail when the keepalive drops the
    // connection, ~40 s after the loss (answers are counted in the interval they complete in)
    expect(availability(cpl, 20, 55)).toBeGreaterThan(0.99);
    expect(availability(cpl, 55, 65)).toBeLessThan(0.7);
    expect(availability(cpl, 65, 100)).toBeGreaterThan(0.999);
    const slowest = rowsOf(lostHost.table("api_requests.csv")).reduce((m, x) => Math.max(m, (x.latency_p99_ms as number) ?? 0), 0);
    expect(slowest).toBeGreaterThan(30_000);
    expect(slowest).toBeLessThanOrEqual(40_000 * 1.0625 + 100);
    // a refused connection is noticed at once: no request hangs
    expect(availability(lostProcess.table("controlplane.csv"), 20, 100)).toBeGreaterThan(0.999);
  });
});

describe("partition wiring", () => {
  it("a one-way partition cuts exactly from x to links and heals after healAfter", async () => {
    const { Simulation, US_PER_S } = await import("../../src/engine/simulation.js");
    const { ControlPlane } = await import("../../src/run/controlPlane.js");
    const { EventLog } = await import("../../src/metrics/events.js");
    const { controlPlaneSection } = await import("../../src/scenario/sections/controlPlane.js");
    const spec = controlPlaneSection.controlPlane.parse({
      topology: "stacked",
      controlPlaneHosts: 5,
      faults: [{ type: "one-way-partition", at: "5s", from: ["control-plane-0", "control-plane-1"], to: ["control-plane-2", "control-plane-3", "control-plane-4"], healAfter: "10s" }],
    })!;
    const sim = new Simulation(1);
    const cp = new ControlPlane(sim, spec, 10, new EventLog(), 10 * US_PER_S, 300 * US_PER_S);
    cp.start();
    sim.run(6 * US_PER_S);
    expect(cp.network.cutLinks).toBe(2 * 3);
    expect(cp.network.canReach(0, 2)).toBe(false);
    expect(cp.network.canReach(2, 0)).toBe(true);
    sim.run(16 * US_PER_S);
    expect(cp.network.cutLinks).toBe(0);
  });
});
