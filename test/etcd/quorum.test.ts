import { describe, expect, it } from "vitest";
import { US_PER_S } from "../../src/engine/simulation.js";
import { failureTolerance, quorumSize } from "../../src/etcd/defaults.js";
import { Outcome, RequestKind } from "../../src/etcd/api.js";
import { makeCluster, runUntilLeader } from "./harness.js";

// etcd FAQ (website v3.6/faq.md): cluster size -> majority -> failure tolerance.
const FAQ_TABLE: [number, number, number][] = [
  [1, 1, 0],
  [2, 2, 0],
  [3, 2, 1],
  [4, 3, 1],
  [5, 3, 2],
  [6, 4, 2],
  [7, 4, 3],
];

describe("quorum arithmetic", () => {
  it.each(FAQ_TABLE)("a cluster of %i needs %i votes and tolerates %i failures", (n, majority, tolerance) => {
    expect(quorumSize(n)).toBe(majority);
    expect(failureTolerance(n)).toBe(tolerance);
    expect(makeCluster(n).etcd.quorum()).toBe(majority);
  });

  it.each(FAQ_TABLE)("with %i members, writes commit with `tolerance` members down and stop with one more", (n, _majority, tolerance) => {
    const c = makeCluster(n, `quorum-${n}`);
    const leader = runUntilLeader(c);
    expect(leader).toBeGreaterThanOrEqual(0);
    // Crash `tolerance` followers: the cluster still commits through the leader.
    const followers = [...Array(n).keys()].filter((m) => m !== leader);
    for (let k = 0; k < tolerance; k++) c.etcd.crash(followers[k]);
    c.etcd.put(c.client, leader, 1);
    c.sim.run(c.sim.now + 2 * US_PER_S);
    expect(c.answers.map((a) => a.outcome)).toEqual([Outcome.OK]);
    if (tolerance + 1 >= n) return; // a 1- or 2-member cluster with one more down has no leader to write to
    // One more failure: no quorum, the write waits and times out after the request timeout (7 s).
    c.etcd.crash(followers[tolerance]);
    const commitBefore = c.etcd.commitIndex(leader);
    c.etcd.put(c.client, leader, 2);
    c.sim.run(c.sim.now + 10 * US_PER_S);
    const second = c.answers[1];
    expect(second.kind).toBe(RequestKind.PUT);
    expect(second.outcome === Outcome.TIMEOUT || second.outcome === Outcome.TIMEOUT_LEADER_FAIL).toBe(true);
    expect(second.latencyUs).toBe(c.etcd.config.requestTimeoutUs);
    expect(c.etcd.config.requestTimeoutUs).toBe(7 * US_PER_S);
    for (let m = 0; m < n; m++) if (c.etcd.isUp(m)) expect(c.etcd.commitIndex(m)).toBe(commitBefore);
  });
});
