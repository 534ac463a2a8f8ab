import { describe, expect, it } from "vitest";
import { US_PER_MS, US_PER_S } from "../../src/engine/simulation.js";
import { Outcome, RequestKind, Role } from "../../src/etcd/api.js";
import { ETCD_ELECTION_TIMEOUT_US, ETCD_HEARTBEAT_INTERVAL_US } from "../../src/etcd/defaults.js";
import { makeCluster, runUntilLeader } from "./harness.js";

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe("partitions", () => {
  it("a minority partition never commits; its writes time out and serializable reads go on", () => {
    for (const seed of SEEDS.slice(0, 8)) {
      const c = makeCluster(5, `minority-${seed}`);
      const leader = runUntilLeader(c);
      c.sim.run(c.sim.now + US_PER_S); // settle: every member has the leader's empty entry
      const others = [0, 1, 2, 3, 4].filter((m) => m !== leader);
      const minority = [leader, others[0]];
      const majority = others.slice(1);
      c.etcd.partitionMembers([minority, majority]);
      const before = minority.map((m) => c.etcd.commitIndex(m));
      // The client sits with the minority (same zone as nothing in particular; links to it are open).
      for (let i = 0; i < 20; i++) c.etcd.put(c.client, minority[i % 2], i);
      c.etcd.get(c.client, minority[1], 100, false);
      c.etcd.get(c.client, minority[1], 101, true);
      c.sim.run(c.sim.now + 10 * US_PER_S);
      expect(minority.map((m) => c.etcd.commitIndex(m))).toEqual(before);
      const puts = c.answers.filter((a) => a.kind === RequestKind.PUT);
      expect(puts.length).toBe(20);
      for (const a of puts) expect(a.outcome).not.toBe(Outcome.OK);
      const ser = c.answers.find((a) => a.tag === 100)!;
      expect(ser.outcome).toBe(Outcome.OK);
      expect(ser.latencyUs).toBeLessThan(10 * US_PER_MS);
      const lin = c.answers.find((a) => a.tag === 101)!;
      expect(lin.outcome).not.toBe(Outcome.OK);
      expect(lin.latencyUs).toBe(7 * US_PER_S);
      // The majority elected its own leader and commits.
      const newLeader = c.etcd.leader();
      expect(majority).toContain(newLeader);
      expect(c.etcd.commitIndex(newLeader)).toBeGreaterThan(Math.max(...before));
    }
  });

  it("a majority partition elects a leader within the election timeout bounds", () => {
    const delays: number[] = [];
    for (const seed of SEEDS) {
      const c = makeCluster(5, `majority-${seed}`);
      const leader = runUntilLeader(c);
      c.sim.run(c.sim.now + 2 * US_PER_S);
      const others = [0, 1, 2, 3, 4].filter((m) => m !== leader);
      const t0 = c.sim.now;
      c.etcd.partitionMembers([[leader, others[0]], others.slice(1)]);
      c.sim.run(t0 + 10 * US_PER_S);
      const ch = c.elections.find((e) => e.timeUs > t0 && others.slice(1).includes(e.newLeader));
      expect(ch).toBeDefined();
      const d = ch!.timeUs - t0;
      delays.push(d);
      // Lower bound: nobody campaigns before electionTimeout ticks after its last heartbeat,
      // which came at most one heartbeat interval before the partition.
      expect(d).toBeGreaterThanOrEqual(ETCD_ELECTION_TIMEOUT_US - ETCD_HEARTBEAT_INTERVAL_US);
      // Upper bound: the randomized timeout is at most 2T-1 ticks; a pre-vote ignored under the
      // vote lease costs at most one more randomized timeout.
      expect(d).toBeLessThanOrEqual(2 * (2 * ETCD_ELECTION_TIMEOUT_US) + 100 * US_PER_MS);
    }
    delays.sort((a, b) => a - b);
    // Most elections finish within one randomized timeout range (10-19 ticks).
    expect(delays[Math.floor(delays.length / 2)]).toBeLessThan(2 * ETCD_ELECTION_TIMEOUT_US);
  });

  it("a leader cut off from the majority steps down within 1x-2x the election timeout (check-quorum)", () => {
    for (const seed of SEEDS) {
      const c = makeCluster(3, `stepdown-${seed}`);
      const leader = runUntilLeader(c);
      // Cut at a seeded, arbitrary point in the check-quorum cycle.
      c.sim.run(c.sim.now + US_PER_S + seed * 37 * US_PER_MS);
      const t0 = c.sim.now;
      c.net.isolate(c.etcd.memberHost(leader));
      c.sim.run(t0 + 5 * US_PER_S);
      const down = c.roles.find((r) => r.timeUs > t0 && r.member === leader && r.role === Role.FOLLOWER);
      expect(down).toBeDefined();
      const d = down!.timeUs - t0;
      expect(d).toBeGreaterThanOrEqual(ETCD_ELECTION_TIMEOUT_US - 2 * US_PER_MS);
      expect(d).toBeLessThanOrEqual(2 * ETCD_ELECTION_TIMEOUT_US);
    }
  });

  it("an asymmetric cut (leader cannot hear followers) also makes the leader step down", () => {
    const c = makeCluster(3, "asym");
    const leader = runUntilLeader(c);
    c.sim.run(c.sim.now + US_PER_S);
    const t0 = c.sim.now;
    for (let m = 0; m < 3; m++) if (m !== leader) c.net.cut(c.etcd.memberHost(m), c.etcd.memberHost(leader));
    c.sim.run(t0 + 3 * US_PER_S);
    expect(c.roles.some((r) => r.timeUs > t0 && r.member === leader && r.role === Role.FOLLOWER)).toBe(true);
  });

  it("followers that were down catch up when they return, through the log and through a snapshot", () => {
    for (const snapshotCount of [10_000, 200]) {
      const c = makeCluster(3, `catchup-${snapshotCount}`, { snapshotCount, snapshotCatchUpEntries: 50 });
      const leader = runUntilLeader(c);
      const f = (leader + 1) % 3;
      c.etcd.crash(f);
      for (let i = 0; i < 1000; i++) c.etcd.put(c.client, leader, i);
      c.sim.run(c.sim.now + 3 * US_PER_S);
      expect(c.answers.filter((a) => a.outcome === Outcome.OK).length).toBe(1000);
      const commit = c.etcd.commitIndex(leader);
      expect(c.etcd.lastIndex(f)).toBeLessThan(commit);
      c.etcd.restart(f);
      c.sim.run(c.sim.now + 3 * US_PER_S);
      expect(c.etcd.commitIndex(f)).toBe(commit);
      expect(c.etcd.appliedIndex(f)).toBe(commit);
      expect(c.etcd.entryTerm(f, commit)).toBe(c.etcd.entryTerm(leader, commit));
      if (snapshotCount === 200) {
        expect(c.etcd.stats.snapshotsSent).toBeGreaterThan(0);
        expect(c.etcd.heldEntries(leader)).toBeLessThan(1000);
      } else expect(c.etcd.stats.snapshotsSent).toBe(0);
    }
  });

  it("a returning follower gets the backlog in MsgApps of at most MaxSizePerMsg", () => {
    const sentDuringCatchUp = (entryBytes: number): number => {
      const c = makeCluster(3, "batching", { entryBytes });
      const leader = runUntilLeader(c);
      const f = (leader + 1) % 3;
      c.etcd.crash(f);
      for (let i = 0; i < 1000; i++) c.etcd.put(c.client, leader, i);
      c.sim.run(c.sim.now + 2 * US_PER_S);
      const before = c.etcd.stats.messagesSent;
      c.etcd.restart(f);
      // Long enough to catch up, short enough for only a couple of heartbeats.
      c.sim.run(c.sim.now + 250 * US_PER_MS);
      expect(c.etcd.commitIndex(f)).toBe(c.etcd.commitIndex(leader));
      return c.etcd.stats.messagesSent - before;
    };
    // 1 MiB / 100 KiB = 10 entries per MsgApp: >= 100 MsgApps for 1000 entries.
    expect(sentDuringCatchUp(100 * 1024)).toBeGreaterThanOrEqual(100);
    // 1 MiB / 1 KiB = 1024 entries per MsgApp: one MsgApp carries the whole backlog.
    expect(sentDuringCatchUp(1024)).toBeLessThan(30);
  });

  it("a restarted old leader with a divergent uncommitted tail is brought back in line", () => {
    const c = makeCluster(3, "divergent");
    const leader = runUntilLeader(c);
    c.sim.run(c.sim.now + US_PER_S);
    const committed = c.etcd.commitIndex(leader);
    // Isolate the leader, let it accept writes it can never commit.
    c.net.isolate(c.etcd.memberHost(leader));
    const lc = c.etcd.addClient(c.etcd.memberHost(leader), { onEtcdResponse() {} });
    for (let i = 0; i < 5; i++) c.etcd.put(lc, leader, i);
    c.sim.run(c.sim.now + 5 * US_PER_S);
    expect(c.etcd.lastIndex(leader)).toBeGreaterThan(committed);
    const newLeader = c.etcd.leader();
    expect(newLeader).not.toBe(leader);
    for (let i = 0; i < 5; i++) c.etcd.put(c.client, newLeader, 10 + i);
    c.sim.run(c.sim.now + US_PER_S);
    c.net.heal();
    c.sim.run(c.sim.now + 3 * US_PER_S);
    const ci = c.etcd.commitIndex(newLeader);
    expect(c.etcd.commitIndex(leader)).toBe(ci);
    for (let i = committed + 1; i <= ci; i++) expect(c.etcd.entryTerm(leader, i)).toBe(c.etcd.entryTerm(newLeader, i));
  });
});
