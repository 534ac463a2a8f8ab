import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { simulate } from "../../src/index.js";

describe("scenarios/raft-election.yaml through the cluster run", () => {
  it("writes one elections.csv row per trial and one election_ranges.csv row per range", () => {
    const r = simulate(parse(readFileSync("scenarios/raft-election.yaml", "utf8")), {
      set: ["controlPlane.experiment.electionTimeouts=[150-300, 12-24, 150-150]", "controlPlane.experiment.trials=15", "controlPlane.experiment.trialsWithoutRandomness=2", "controlPlane.experiment.trialTimeout=5s"],
      components: [],
    });
    const elections = r.tables.find((t) => t.file === "elections.csv")!;
    const ranges = r.tables.find((t) => t.file === "election_ranges.csv")!;
    expect(elections.columns.slice(0, 6)).toEqual(["sim_time_s", "cause", "old_leader", "new_leader", "term", "no_leader_ms"]);
    expect(elections.rows).toHaveLength(15 + 15 + 2);
    expect(ranges.rows.map((x) => x[0])).toEqual(["150-300", "12-24", "150-150"]);
    expect(ranges.rows.map((x) => x[1])).toEqual([15, 15, 2]);
    const col = (name: string) => ranges.columns.indexOf(name);
    for (const row of ranges.rows) {
      // distribution summaries are ordered: min <= p50 <= p90 <= p99 <= max
      const [mn, p50, p90, p99, mx] = ["min_ms", "p50_ms", "p90_ms", "p99_ms", "max_ms"].map((c) => row[col(c)] as number);
      expect(mn).toBeLessThanOrEqual(p50);
      expect(p50).toBeLessThanOrEqual(p90);
      expect(p90).toBeLessThanOrEqual(p99);
      expect(p99).toBeLessThanOrEqual(mx);
    }
    // no trial can end before half the minimum timeout (the crash is within the heartbeat
    // interval = half the minimum timeout; followers wait at least the minimum timeout)
    const series = elections.columns.indexOf("series");
    const noLeader = elections.columns.indexOf("no_leader_ms");
    for (const row of elections.rows) if (row[series] === "150-300") expect(row[noLeader] as number).toBeGreaterThanOrEqual(75);
    expect(ranges.rows[1][col("paper_reported")]).toBe("mean 35 ms, longest 152 ms");
  });

  it("takes etcd-style tick timeouts and an absolute heartbeat interval", () => {
    const r = simulate(parse(readFileSync("scenarios/raft-election.yaml", "utf8")), {
      set: ["controlPlane.experiment.electionTimeouts=[10 ticks]", "controlPlane.experiment.heartbeatInterval=100ms", "controlPlane.experiment.trials=20"],
      components: [],
    });
    const elections = r.tables.find((t) => t.file === "elections.csv")!;
    const noLeader = elections.columns.indexOf("no_leader_ms");
    expect(elections.rows).toHaveLength(20);
    // etcd draws the timeout in whole ticks in [10, 19] x 100 ms; the leader dies within its
    // last heartbeat interval (100 ms), so a follower's timer has at most 100 ms of lead:
    // the time without a leader is at least 1000 - 100 = 900 ms, and (no split vote
    // needed) typically below 1900 ms plus a vote round.
    const times = elections.rows.map((row) => row[noLeader] as number);
    for (const t of times) expect(t).toBeGreaterThanOrEqual(900);
    expect(Math.min(...times)).toBeLessThan(1900);
  });
});
