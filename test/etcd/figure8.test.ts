import { describe, expect, it } from "vitest";
import { US_PER_MS, US_PER_S } from "../../src/engine/simulation.js";
import { makeCluster } from "./harness.js";

/**
 * The Raft paper's Figure 8: a leader must not commit an entry of an earlier term by
 * counting replicas. S1 (leader of term 4) holds [1, 2] and has copied index 2 (term 2)
 * to S2 and S3 — a majority — but not to S4 or S5; S5 holds [1, 3]. If S1 counted that
 * majority as a commit and crashed, S5 could still win (its last term 3 is newer) and
 * overwrite index 2: a committed entry lost. With raft's rule S1 commits nothing before an
 * entry of its own term, so either S5 wins and index 2 becomes term 3, or S2/S3 win and
 * keep term 2; both are safe and the safety checker must stay silent.
 */
describe("Figure 8: entries of earlier terms are not committed by counting replicas", () => {
  it("never loses a committed entry, whichever survivor wins", () => {
    const winners = new Map<number, number>();
    for (let seed = 1; seed <= 40; seed++) {
      const c = makeCluster(5, `fig8-${seed}`, {}, {
        initialState: { term: 4, leader: 0, commit: 1, logTerms: [[1, 2], [1, 2], [1, 2], [1], [1, 3]] },
      });
      const { sim, etcd, net } = c;
      net.cut(etcd.memberHost(0), etcd.memberHost(3));
      net.cut(etcd.memberHost(0), etcd.memberHost(4));
      sim.run(50 * US_PER_MS);
      // S2 and S3 hold index 2, but it is of term 2 and S1 is in term 4: not committed.
      expect(etcd.lastIndex(1)).toBe(2);
      expect(etcd.commitIndex(0)).toBe(1);
      etcd.crash(0);
      net.heal();
      sim.run(sim.now + 5 * US_PER_S);
      const l = etcd.leader();
      expect(l).toBeGreaterThan(0);
      winners.set(l, (winners.get(l) ?? 0) + 1);
      const t2 = etcd.entryTerm(l, 2);
      expect(etcd.commitIndex(l)).toBeGreaterThanOrEqual(3); // the winner's own empty entry
      for (let m = 1; m < 5; m++) expect(etcd.entryTerm(m, 2)).toBe(t2);
      expect(t2).toBe(l === 4 ? 3 : 2);
    }
    // Both kinds of outcome occur across the seeds, so the dangerous path (S5 wins) is exercised.
    expect(winners.get(4) ?? 0).toBeGreaterThan(0);
    expect((winners.get(1) ?? 0) + (winners.get(2) ?? 0)).toBeGreaterThan(0);
  });
});
