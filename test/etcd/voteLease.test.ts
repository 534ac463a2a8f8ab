/**
 * The vote lease of check-quorum (etcd-io/raft raft.go, Step): a member that heard from
 * a current leader within the minimum election timeout ignores MsgVote and MsgPreVote
 * with a higher term,
 *
 *   inLease := r.checkQuorum && r.lead != None && r.electionElapsed < r.electionTimeout
 *
 * ("If a server receives a RequestVote request within the minimum election timeout of
 * hearing from a current leader, it does not update its term or grant its vote",
 * Raft thesis §4.2.3, disruptive servers; §9.6 adds pre-vote). The leader is always in lease:
 * its own lead is itself and tickHeartbeat resets its electionElapsed every
 * electionTimeout.
 *
 * The disruptive server here: a follower F that cannot hear the leader (one-way cut
 * leader -> F) but whose messages reach everybody. F's election timeout runs out again
 * and again and it campaigns:
 * - pre-vote off: each campaign is a real election at term + 1, so F's term climbs
 *   (about one campaign per 1.0-1.9 s randomized timeout). Without the lease the leader
 *   would step down on the first MsgVote of a higher term (becomeFollower), and the
 *   other follower would grant the vote; with it, both drop the message.
 * - pre-vote on: F stays at its term and sends MsgPreVote(term + 1). Without the lease
 *   the others would grant it (F's log is as up to date as theirs: nothing is written
 *   after the cut), F would then run a real election and the leader would step down on
 *   its MsgVote; with it, the pre-votes are dropped and F never leaves its term.
 * F gets no heartbeats, so it never answers the leader with a higher-term MsgAppResp
 * (the path by which a *healed* partitioned follower does depose the leader when pre-vote
 * is off: etcd-io/raft TestDisruptiveFollower); the only thing between F and the leader
 * is the lease. Check-quorum keeps the leader in place: the other follower is active,
 * so 2 of 3 voters are.
 */
import { describe, expect, it } from "vitest";
import { US_PER_MS, US_PER_S } from "../../src/engine/simulation.js";
import type { RaftConfig } from "../../src/etcd/api.js";
import { ETCD_ELECTION_TIMEOUT_US } from "../../src/etcd/defaults.js";
import { makeCluster, runUntilLeader } from "./harness.js";

const SEEDS = Array.from({ length: 8 }, (_, i) => i + 1);
/** How long F cannot hear the leader. */
const CUT_US = 20 * US_PER_S;
/**
 * Campaigns F must have started within CUT_US: its first timeout runs out at most
 * 2T - 1 tick = 1.9 s after the last heartbeat it got (sent before the cut), every
 * later one at most 1.9 s after the previous campaign reset its timer, so by 19 s it
 * has campaigned at least 10 times.
 */
const MIN_CAMPAIGNS = Math.floor(CUT_US / (2 * ETCD_ELECTION_TIMEOUT_US - 100 * US_PER_MS));

interface Outcome {
  leader: number;
  follower: number;
  leaderTerm: number;
  /** Elections, and role changes of the leader and of the other follower, after the cut. */
  elections: number;
  leaderRoleChanges: number;
  otherRoleChanges: number;
  leaderAtEnd: number;
  leaderTermAtEnd: number;
  followerTermAtEnd: number;
  followerCampaigns: number;
}

function cutFollowerFromLeader(seed: string, raft: Partial<RaftConfig>): Outcome {
  const c = makeCluster(3, seed, raft);
  const leader = runUntilLeader(c);
  expect(leader).toBeGreaterThanOrEqual(0);
  c.sim.run(c.sim.now + US_PER_S); // settle: every member has the leader's entry and follows it
  const follower = (leader + 1) % 3;
  const other = (leader + 2) % 3;
  const leaderTerm = c.etcd.term(leader);
  expect(c.etcd.term(follower)).toBe(leaderTerm);
  expect(c.etcd.lastIndex(follower)).toBe(c.etcd.lastIndex(leader));
  const campaignsBefore = c.etcd.stats.elections + c.etcd.stats.preVoteCampaigns;
  const t0 = c.sim.now;
  c.net.cut(c.etcd.memberHost(leader), c.etcd.memberHost(follower));
  c.sim.run(t0 + CUT_US);
  const after = <T extends { timeUs: number }>(xs: T[]) => xs.filter((x) => x.timeUs > t0);
  return {
    leader,
    follower,
    leaderTerm,
    elections: after(c.elections).length,
    leaderRoleChanges: after(c.roles).filter((r) => r.member === leader).length,
    otherRoleChanges: after(c.roles).filter((r) => r.member === other).length,
    leaderAtEnd: c.etcd.leader(),
    leaderTermAtEnd: c.etcd.term(leader),
    followerTermAtEnd: c.etcd.term(follower),
    followerCampaigns: c.etcd.stats.elections + c.etcd.stats.preVoteCampaigns - campaignsBefore,
  };
}

/** What must hold whatever F does: the leader and its term do not move, nobody is elected. */
function expectLeaderUndisturbed(o: Outcome): void {
  expect(o.elections, "elections after the cut").toBe(0);
  expect(o.leaderRoleChanges, "role changes of the leader after the cut").toBe(0);
  expect(o.otherRoleChanges, "role changes of the other follower after the cut").toBe(0);
  expect(o.leaderAtEnd).toBe(o.leader);
  expect(o.leaderTermAtEnd).toBe(o.leaderTerm);
}

describe("vote lease (check-quorum): a follower that cannot hear the leader cannot depose it", () => {
  it("pre-vote off: its term climbs with every campaign, yet the leader's term never changes", () => {
    for (const seed of SEEDS) {
      const o = cutFollowerFromLeader(`lease-vote-${seed}`, { preVote: false, checkQuorum: true });
      expectLeaderUndisturbed(o);
      // ... although F really campaigned, with ever higher terms: each MsgVote it sent had
      // a term above the leader's, which is what the lease must ignore.
      expect(o.followerCampaigns).toBeGreaterThanOrEqual(MIN_CAMPAIGNS);
      expect(o.followerTermAtEnd).toBeGreaterThanOrEqual(o.leaderTerm + MIN_CAMPAIGNS);
    }
  });

  it("pre-vote on: its pre-votes are ignored, so it never even raises its term", () => {
    for (const seed of SEEDS) {
      const o = cutFollowerFromLeader(`lease-prevote-${seed}`, { preVote: true, checkQuorum: true });
      expectLeaderUndisturbed(o);
      expect(o.followerCampaigns).toBeGreaterThanOrEqual(MIN_CAMPAIGNS);
      expect(o.followerTermAtEnd).toBe(o.leaderTerm);
    }
  });

  it("continuous timeouts (Raft paper timing, lease = minimum election timeout): the same", () => {
    // 150-300 ms timeouts, 50 ms heartbeats: F campaigns at least every 300 ms.
    const raft = { electionTimeoutRangeUs: [150 * US_PER_MS, 300 * US_PER_MS] as const, heartbeatIntervalUs: 50 * US_PER_MS, checkQuorum: true };
    for (const seed of SEEDS) {
      const off = cutFollowerFromLeader(`lease-cont-${seed}`, { ...raft, preVote: false });
      expectLeaderUndisturbed(off);
      expect(off.followerTermAtEnd).toBeGreaterThanOrEqual(off.leaderTerm + Math.floor(CUT_US / (300 * US_PER_MS)));
      const on = cutFollowerFromLeader(`lease-cont-pre-${seed}`, { ...raft, preVote: true });
      expectLeaderUndisturbed(on);
      expect(on.followerCampaigns).toBeGreaterThanOrEqual(Math.floor(CUT_US / (300 * US_PER_MS)));
      expect(on.followerTermAtEnd).toBe(on.leaderTerm);
    }
  });

  it("without check-quorum there is no lease: the same follower deposes the leader (the lease is what made the difference)", () => {
    // Control case: upstream inLease requires checkQuorum, so with it off the first
    // MsgVote of a higher term makes the leader step down.
    const o = cutFollowerFromLeader("lease-none", { preVote: false, checkQuorum: false });
    expect(o.elections).toBeGreaterThan(0);
    expect(o.leaderRoleChanges).toBeGreaterThan(0);
  });
});
