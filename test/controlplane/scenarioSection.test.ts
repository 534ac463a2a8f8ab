import { describe, expect, it } from "vitest";
import { loadScenarioFile, validateScenario } from "../../src/scenario/load.js";
import type { ControlPlaneSpec } from "../../src/run/controlPlaneSpec.js";

const base = {
  name: "cp",
  duration: "1m",
  nodePools: [{ name: "w", count: 3, allocatable: { cpu: "4", memory: "8Gi" } }],
};

function spec(controlPlane: unknown, set: string[] = []): ControlPlaneSpec {
  return validateScenario({ ...base, controlPlane }, "cp.yaml", { set }).controlPlane as unknown as ControlPlaneSpec;
}

function error(controlPlane: unknown): string {
  try {
    spec(controlPlane);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a validation error");
}

describe("controlPlane section", () => {
  it("defaults are upstream's: etcd 100 ms / 10 ticks, pre-vote, 600 APF seats, leases 15/10/2 s, HAProxy 2 s x 3", () => {
    const s = spec({});
    expect(s.topology).toEqual({ kind: "stacked", controlPlaneHosts: 3, etcdHosts: 3, zones: ["zone-a", "zone-b", "zone-c"], regions: [] });
    expect(s.raft).toMatchObject({ heartbeatIntervalUs: 100_000, electionTicks: 10, electionTimeoutRangeUs: null, preVote: true, checkQuorum: true });
    expect(s.apiserver.inflight).toEqual({ mode: "apf", maxRequestsInflight: 400, maxMutatingRequestsInflight: 200 });
    expect(s.apiserver.loadBalancer).toEqual({ checkIntervalUs: 2_000_000, fall: 3, rise: 2, connectTimeoutUs: 5_000_000, retries: 1 });
    expect(s.leaderElection).toMatchObject({ leaseDurationUs: 15e6, renewDeadlineUs: 10e6, retryPeriodUs: 2e6, jitterFactor: 1.2 });
    expect(s.load.nodeLeaseRenewIntervalUs).toBe(10e6);
  });

  it("durations and distributions are resolved (faults in us, latencies in ms)", () => {
    const s = spec({
      etcd: { electionTimeout: "500ms", heartbeatInterval: "50ms", fsync: { type: "lognormal", p50: "1ms", p99: "4ms" } },
      faults: [
        { type: "slow-disk", at: "90s", host: "etcd-leader", factor: 10, duration: "1m" },
        { type: "host-loss", at: "2m", host: "control-plane-1", recoverAfter: "30s" },
      ],
    });
    expect(s.raft.electionTicks).toBe(10);
    expect(s.fsyncMs).toEqual({ type: "lognormal", p50: 1, p99: 4 });
    expect(s.faults).toEqual([
      { type: "slow-disk", atUs: 90e6, host: "etcd-leader", factor: 10, durationUs: 60e6 },
      { type: "host-loss", atUs: 120e6, host: "control-plane-1", recoverAfterUs: 30e6 },
    ]);
  });

  it("--set reaches every field", () => {
    const s = spec({}, ["controlPlane.topology=external-etcd", "controlPlane.etcdHosts=5", "controlPlane.leaderElection.leaseDuration=30s"]);
    expect(s.topology.kind).toBe("external-etcd");
    expect(s.topology.etcdHosts).toBe(5);
    expect(s.leaderElection.leaseDurationUs).toBe(30e6);
  });

  it("bad input: one line naming the file and the field", () => {
    expect(error({ topology: "ring" })).toBe("cp.yaml: controlPlane.topology: expected a topology: single-node, single-control-plane, stacked, external-etcd, got \"ring\"");
    expect(error({ controlPlaneHosts: 0 })).toMatch(/^cp\.yaml: controlPlane\.controlPlaneHosts: expected a positive integer/);
    expect(error({ leaderElection: { leaseDuration: "5s" } })).toMatch(/^cp\.yaml: controlPlane\.leaderElection: expected leaseDuration must be greater than renewDeadline/);
    expect(error({ faults: [{ type: "meteor", at: "1s" }] })).toMatch(/^cp\.yaml: controlPlane\.faults\[0\]\.type: expected a control-plane fault type/);
    expect(error({ faults: [{ type: "slow-disk", at: "1s", host: "control-plane-0", factor: -2, duration: "1m" }] })).toMatch(/^cp\.yaml: controlPlane\.faults\[0\]\.factor: expected a positive slow-down factor/);
    expect(error({ zones: ["a", "b"], regions: ["r1"] })).toMatch(/^cp\.yaml: controlPlane\.regions: expected one region per zone/);
    expect(error({ experiment: { type: "raft-election", electionTimeouts: ["300-150"] } })).toMatch(/^cp\.yaml: controlPlane\.experiment\.electionTimeouts\[0\]: expected min > 0 and max >= min/);
    expect(error({ faults: [{ type: "host-loss", at: "1s", host: "control-plane-3" }] })).toBe(
      'cp.yaml: controlPlane.faults[0].host: expected a host of the stacked topology (control-plane-0, control-plane-1, control-plane-2) or etcd-leader, kube-scheduler-leader, kube-controller-manager-leader, cloud-controller-manager-leader, got "control-plane-3"',
    );
    expect(error({ topology: "external-etcd", faults: [{ type: "etcd-member-loss", at: "1s", member: "control-plane-0" }] })).toMatch(/^cp\.yaml: controlPlane\.faults\[0\]\.member: expected an etcd member \(etcd-0, etcd-1, etcd-2, leader\)/);
    expect(error({ faults: [{ type: "partition", at: "1s", groups: [["control-plane-0"], ["etcd-1"]] }] })).toMatch(/^cp\.yaml: controlPlane\.faults\[0\]\.groups\[1\]\[0\]: expected a host/);
    expect(error({ faults: [{ type: "isolate-zone", at: "1s", zone: "zone-q" }] })).toMatch(/^cp\.yaml: controlPlane\.faults\[0\]\.zone: expected one of the control-plane zones/);
    expect(error({ etcd: { heartbeatInterval: "soon" } })).toMatch(/^cp\.yaml: controlPlane\.etcd\.heartbeatInterval: expected a duration/);
    // The experiment's own constraints are validation errors, not run-time failures.
    expect(error({ experiment: { type: "raft-election", electionTimeouts: ["soon"] } })).toMatch(/^cp\.yaml: controlPlane\.experiment\.electionTimeouts\[0\]: expected an election timeout range in ms .* or whole etcd ticks/);
    expect(error({ experiment: { type: "raft-election", electionTimeouts: ["0 ticks"] } })).toMatch(/^cp\.yaml: controlPlane\.experiment\.electionTimeouts\[0\]: expected min > 0 and max >= min, or at least 1 tick/);
    expect(error({ experiment: { type: "raft-election", members: 2 } })).toMatch(/^cp\.yaml: controlPlane\.experiment\.members: expected at least 3 members/);
    expect(error({ experiment: { type: "raft-election", members: 3, crashTogether: 3 } })).toMatch(/^cp\.yaml: controlPlane\.experiment\.crashTogether: expected fewer than members \(3\)/);
    expect(error({ experiment: { type: "raft-election", members: 5, crashTogether: 2, ineligible: 3 } })).toMatch(/^cp\.yaml: controlPlane\.experiment\.ineligible: expected fewer than the 3 survivors/);
  });

  it("the shipped control-plane scenarios validate", () => {
    for (const f of ["scenarios/ha-topologies.yaml", "scenarios/ha-topologies-leader-kill.yaml", "scenarios/raft-election.yaml"]) {
      expect(loadScenarioFile(f).scenario.controlPlane).toBeDefined();
    }
    const e = loadScenarioFile("scenarios/raft-election.yaml").scenario.controlPlane as unknown as ControlPlaneSpec;
    expect(e.experiment!.timeouts).toEqual(
      [[150, 150], [150, 151], [150, 155], [150, 175], [150, 200], [150, 300], [12, 24], [25, 50], [50, 100], [100, 200]].map(([minMs, maxMs]) => ({ minMs, maxMs })),
    );
    expect(e.experiment!.members).toBe(5);
  });
});
