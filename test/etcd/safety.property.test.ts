import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { US_PER_MS } from "../../src/engine/simulation.js";
import { Role } from "../../src/etcd/api.js";
import { RaftLog } from "../../src/etcd/raftLog.js";
import { SafetyChecker, SafetyViolation } from "../../src/etcd/safety.js";
import { makeCluster } from "./harness.js";

/** Fast timing so that a few simulated seconds hold many elections: 10 ms ticks, 100 ms election timeout. */
const FAST = { heartbeatIntervalUs: 10 * US_PER_MS, electionTicks: 10, snapshotCount: 300, snapshotCatchUpEntries: 50 };

type Fault =
  | { at: number; kind: "crash"; m: number }
  | { at: number; kind: "restart"; m: number }
  | { at: number; kind: "partition"; mask: number }
  | { at: number; kind: "cut"; from: number; to: number }
  | { at: number; kind: "heal" }
  | { at: number; kind: "slow"; m: number; factor: number }
  | { at: number; kind: "fast"; m: number }
  | { at: number; kind: "loss"; p: number };

const at = fc.integer({ min: 0, max: 1500 });
const member = fc.integer({ min: 0, max: 4 });
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ at, kind: fc.constant("crash" as const), m: member }),
  fc.record({ at, kind: fc.constant("restart" as const), m: member }),
  fc.record({ at, kind: fc.constant("partition" as const), mask: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ at, kind: fc.constant("cut" as const), from: member, to: member }),
  fc.record({ at, kind: fc.constant("heal" as const) }),
  fc.record({ at, kind: fc.constant("slow" as const), m: member, factor: fc.integer({ min: 2, max: 100 }) }),
  fc.record({ at, kind: fc.constant("fast" as const), m: member }),
  fc.record({ at, kind: fc.constant("loss" as const), p: fc.double({ min: 0, max: 0.3, noNaN: true }) }),
);

/** The Raft paper's rules: continuous 50-100 ms timeouts, no pre-vote, no check-quorum. */
const PAPER = {
  electionTimeoutRangeUs: [50 * US_PER_MS, 100 * US_PER_MS] as const,
  heartbeatIntervalUs: 25 * US_PER_MS,
  preVote: false,
  checkQuorum: false,
  resetTimerOnTermChange: false,
  snapshotCount: 300,
  snapshotCatchUpEntries: 50,
};

function runSchedule(n: number, seed: number, faults: Fault[], raft: object = FAST, learners = 0): void {
  const c = makeCluster(n, seed, raft, { learners });
  const { sim, etcd, net, disks } = c;
  const sorted = [...faults].sort((a, b) => a.at - b.at);
  let next = 0;
  let tag = 0;
  for (let t = 0; t <= 2000; t += 5) {
    while (next < sorted.length && sorted[next].at <= t) {
      const f = sorted[next++];
      const m = "m" in f ? f.m % n : 0;
      switch (f.kind) {
        case "crash": etcd.crash(m); break;
        case "restart": etcd.restart(m); break;
        case "partition": {
          const a: number[] = [], b: number[] = [];
          for (let k = 0; k < n; k++) ((f.mask >> k) & 1 ? a : b).push(k);
          etcd.partitionMembers([a, b]);
          break;
        }
        case "cut": net.cut(etcd.memberHost(f.from % n), etcd.memberHost(f.to % n)); break;
        case "heal": net.heal(); net.setLossProbability(0); break;
        case "slow": disks.setSlow(etcd.memberHost(m), f.factor); break;
        case "fast": disks.clearSlow(etcd.memberHost(m)); break;
        case "loss": net.setLossProbability(f.p); break;
      }
    }
    etcd.put(c.client, tag % n, tag);
    if (tag % 7 === 0) etcd.get(c.client, tag % n, tag, true);
    tag++;
    sim.run(t * US_PER_MS);
  }
  // Repair everything: the cluster must converge on one committed log.
  net.heal();
  net.setLossProbability(0);
  for (let m = 0; m < n; m++) {
    disks.clearSlow(etcd.memberHost(m));
    etcd.restart(m);
  }
  etcd.put(c.client, 0, -1);
  sim.run(sim.now + 2000 * US_PER_MS);
  // Leaderless moments are possible even then (a disruptive candidate without pre-vote): wait for one.
  for (let k = 0; k < 20 && etcd.leader() < 0; k++) sim.run(sim.now + 500 * US_PER_MS);
  const l = etcd.leader();
  expect(l).toBeGreaterThanOrEqual(0);
  expect(etcd.role(l)).toBe(Role.LEADER);
  const ci = etcd.commitIndex(l);
  expect(ci).toBe(etcd.clusterCommitIndex());
  for (let m = 0; m < n; m++) {
    expect(etcd.commitIndex(m)).toBe(ci);
    expect(etcd.entryTerm(m, ci)).toBe(etcd.entryTerm(l, ci));
  }
}

describe("raft safety under random fault schedules", () => {
  it("no safety violation, and convergence after repair, over 1000 schedules (3 and 5 members)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(3, 5),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fault, { maxLength: 12 }),
        (n, seed, faults) => runSchedule(n, seed, faults),
      ),
      { numRuns: 1000, seed: 20261126 },
    );
  });

  it("the same under the Raft paper's rules (continuous timeouts, no pre-vote or check-quorum), with a learner", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 6),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fault, { maxLength: 12 }),
        (n, seed, faults) => runSchedule(n, seed, faults, PAPER, 1),
      ),
      { numRuns: 200, seed: 20261127 },
    );
  });
});

describe("the safety checker itself", () => {
  const names = ["a", "b", "c"];
  const logOf = (terms: number[]) => {
    const l = new RaftLog();
    for (const t of terms) l.append(t, 0);
    return l;
  };

  it("rejects two leaders in one term", () => {
    const s = new SafetyChecker(names);
    s.onLeaderElected(0, 0, 3, logOf([1, 3]));
    expect(() => s.onLeaderElected(1, 1, 3, logOf([1, 3]))).toThrow(SafetyViolation);
    expect(() => s.onLeaderElected(1, 1, 3, logOf([1, 3]))).toThrow(/two leaders in term 3: a and b/);
  });

  it("rejects a committed entry that changes, and a leader that lacks one", () => {
    const s = new SafetyChecker(names);
    s.onCommit(0, 0, 0, 2, logOf([1, 1]));
    expect(() => s.onCommit(5, 1, 0, 2, logOf([1, 2]))).toThrow(/committed index 2 as \(term 2/);
    expect(() => s.onLeaderElected(6, 2, 3, logOf([1]))).toThrow(/without committed entry 2/);
  });

  it("keeps a bounded window of the committed log and still checks inside it", () => {
    const s = new SafetyChecker(names, 4);
    const terms = Array.from({ length: 40 }, (_, i) => 1 + Math.floor(i / 10));
    const log = logOf(terms);
    for (let c = 0; c < 40; c += 3) s.onCommit(c, 0, c, Math.min(40, c + 3), log);
    expect(s.committed).toBe(40);
    const other = logOf(terms.map((t, i) => (i === 38 ? t + 1 : t)));
    expect(() => s.onCommit(50, 1, 36, 40, other)).toThrow(/committed index 39/);
    expect(() => s.onCommit(50, 1, 36, 38, other)).not.toThrow();
  });

  it("rejects truncating at or below the commit index", () => {
    const s = new SafetyChecker(names);
    expect(() => s.onTruncate(0, 0, 4, 4)).toThrow(/truncate its log from index 4/);
    expect(() => s.onTruncate(0, 0, 5, 4)).not.toThrow();
  });
});
