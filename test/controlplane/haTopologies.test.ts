import { describe, expect, it } from "vitest";
import { LEASE_DURATION_US, RENEW_DEADLINE_US, RETRY_PERIOD_US } from "../../src/client/leaderElection.js";
import { availability, rowsOf, runControlPlane } from "./runControlPlane.js";

const FAULT_S = 30;
const hostLoss = (...hosts: string[]) => hosts.map((host) => ({ type: "host-loss", at: `${FAULT_S}s`, host }));

describe("HA topologies under the same faults", () => {
  it("single control plane: losing its host takes the whole API down, for good", () => {
    const r = runControlPlane({ topology: "single-control-plane", faults: hostLoss("control-plane-0") }, { durationSeconds: 90 });
    expect(availability(r.table("controlplane.csv"), 0, FAULT_S)).toBeGreaterThan(0.99);
    // once the load balancer has no server left (<= 6 s), nothing succeeds
    expect(availability(r.table("controlplane.csv"), FAULT_S + 10, 90)).toBe(0);
    expect(r.cp.etcd.leader()).toBe(-1);
    expect(r.cp.scheduler.leader()).toBe(-1);
    expect(r.summary.etcd_no_leader_ms).toBe((90 - FAULT_S) * 1000);
    // the leader loss is a row of elections.csv even though nobody succeeded it
    const e = rowsOf(r.table("elections.csv"));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ old_leader: "control-plane-0", new_leader: "", no_leader_ms: (90 - FAULT_S) * 1000 });
    expect(r.summary.scheduling_resumed_after_fault_s).toBe(Infinity);
  });

  it("stacked 3: keeps quorum after one host loss; a new etcd leader within the election timeout range, leases move", () => {
    const r = runControlPlane({ topology: "stacked", controlPlaneHosts: 3, faults: hostLoss("control-plane-0") }, { durationSeconds: 90 });
    const elections = rowsOf(r.table("elections.csv"));
    expect(elections).toHaveLength(1);
    expect(elections[0].old_leader).toBe("control-plane-0");
    expect(elections[0].cause).toBe("crash");
    // etcd defaults: randomized timeout 1000-1900 ms after the last heartbeat (+ a pre-vote and vote round)
    expect(elections[0].no_leader_ms as number).toBeGreaterThan(900);
    expect(elections[0].no_leader_ms as number).toBeLessThan(2100);
    expect(availability(r.table("controlplane.csv"), FAULT_S + 10, 90)).toBeGreaterThan(0.99);
    // the leases held on the lost host move to a survivor after about the lease duration
    const acquired = rowsOf(r.table("leases.csv")).filter((l) => l.event === "acquired" && (l.sim_time_s as number) > FAULT_S);
    expect(acquired.map((l) => l.lease).sort()).toEqual(["kube-controller-manager", "kube-scheduler"]);
    for (const l of acquired) {
      expect(l.holder).not.toBe("control-plane-0");
      const afterUs = ((l.sim_time_s as number) - FAULT_S) * 1e6;
      expect(afterUs).toBeGreaterThan(LEASE_DURATION_US - RETRY_PERIOD_US);
      expect(afterUs).toBeLessThan(LEASE_DURATION_US + 2 * 2.2 * RETRY_PERIOD_US + 1e5);
    }
    // scheduling (bindings by the acting kube-scheduler) pauses about as long as the lease takes to move
    expect(r.summary.scheduling_longest_pause_s).toBeGreaterThan(13);
    expect(r.summary.scheduling_longest_pause_s).toBeLessThan(25);
  });

  it("stacked 3: loses quorum after two host losses; no etcd leader, the leases expire after the renew deadline", () => {
    const r = runControlPlane({ topology: "stacked", controlPlaneHosts: 3, faults: hostLoss("control-plane-1", "control-plane-2") }, { durationSeconds: 90 });
    expect(r.cp.etcd.leader()).toBe(-1);
    // the lease holder (control-plane-0 survived) cannot renew and gives up after RenewDeadline
    const lost = rowsOf(r.table("leases.csv")).filter((l) => l.event === "lost");
    expect(lost.map((l) => l.lease).sort()).toEqual(["kube-controller-manager", "kube-scheduler"]);
    for (const l of lost) {
      const afterUs = ((l.sim_time_s as number) - FAULT_S) * 1e6;
      expect(afterUs).toBeGreaterThanOrEqual(RENEW_DEADLINE_US - 1e5);
      expect(afterUs).toBeLessThanOrEqual(RENEW_DEADLINE_US + RETRY_PERIOD_US + 1e5);
    }
    expect(rowsOf(r.table("leases.csv")).filter((l) => l.event === "acquired" && (l.sim_time_s as number) > FAULT_S)).toHaveLength(0);
    expect(availability(r.table("controlplane.csv"), FAULT_S + 20, 90)).toBeLessThan(0.05);
    expect(r.cp.isLeader("kube-scheduler")).toBe(false);
    expect(r.cp.isLeader("kube-controller-manager")).toBe(false);
    // no kube-scheduler acts without its lease: no binding succeeds after the fault
    expect(r.summary.scheduling_resumed_after_fault_s).toBe(Infinity);
    expect(r.cp.bindingPauses.lastBindingUs).toBeLessThan((FAULT_S + RENEW_DEADLINE_US / 1e6 + 2) * 1e6);
  });

  it("stacked 5: keeps quorum after two host losses", () => {
    const r = runControlPlane({ topology: "stacked", controlPlaneHosts: 5, faults: hostLoss("control-plane-0", "control-plane-1") }, { durationSeconds: 90 });
    expect(r.cp.etcd.leader()).toBeGreaterThanOrEqual(2);
    expect(availability(r.table("controlplane.csv"), FAULT_S + 10, 90)).toBeGreaterThan(0.99);
    expect(r.cp.scheduler.leader()).toBeGreaterThanOrEqual(2);
  });

  it("external etcd 3+3: losing a control-plane host does not touch etcd; killing the etcd leader elects another", () => {
    const a = runControlPlane({ topology: "external-etcd", faults: hostLoss("control-plane-0") }, { durationSeconds: 60 });
    expect(rowsOf(a.table("elections.csv"))).toHaveLength(0);
    expect(a.summary.etcd_no_leader_ms).toBe(0);
    const b = runControlPlane({ topology: "external-etcd", faults: [{ type: "etcd-leader-kill", at: `${FAULT_S}s` }] }, { durationSeconds: 60 });
    const e = rowsOf(b.table("elections.csv"));
    expect(e).toHaveLength(1);
    expect(e[0].old_leader).toBe("etcd-0");
    // the component leases stay where they are: their renewals only wait out the election
    expect(rowsOf(b.table("leases.csv")).filter((l) => l.event === "lost")).toHaveLength(0);
  });

  it("an isolated etcd leader host (stacked 3): the majority elects a new leader, the isolated API server leaves the LB pool", () => {
    const r = runControlPlane({ topology: "stacked", faults: [{ type: "isolate-host", at: `${FAULT_S}s`, host: "etcd-leader" }] }, { durationSeconds: 60 });
    const e = rowsOf(r.table("elections.csv"));
    expect(e.length).toBeGreaterThanOrEqual(1);
    expect(e[0].new_leader).not.toBe("control-plane-0");
    const left = r.cp.api.loadBalancer.leftPoolAtUs[0];
    expect(left).toHaveLength(1);
    expect(left[0] / 1e6 - FAULT_S).toBeLessThanOrEqual(6.1);
    expect(availability(r.table("controlplane.csv"), FAULT_S + 20, 60)).toBeGreaterThan(0.99);
  });

  it("a slow disk on the etcd leader raises write latency", () => {
    const base = runControlPlane({ topology: "stacked" }, { durationSeconds: 60 });
    const slow = runControlPlane({ topology: "stacked", faults: [{ type: "slow-disk", at: "0s", host: "control-plane-0", factor: 20, duration: "60s" }] }, { durationSeconds: 60 });
    expect(slow.summary.etcd_write_p50_ms).toBeGreaterThan(3 * base.summary.etcd_write_p50_ms);
  });
});
