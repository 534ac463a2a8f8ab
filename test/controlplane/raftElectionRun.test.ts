import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { simulate } from "../../src/index.js";
import { controlPlaneComponent } from "../../src/cluster/controlPlaneComponent.js";

describe("scenarios/raft-election.yaml through the cluster run", () => {
  it("writes one elections.csv row per trial and one election_ranges.csv row per range", () => {
    const r = simulate(parse(readFileSync("scenarios/raft-election.yaml", "utf8")), {
      set: ["controlPlane.experiment.electionTimeouts=[150-300, 12-24, 150-150]", "controlPlane.experiment.trials=15", "controlPlane.experiment.trialsWithoutRandomness=2", "controlPlane.experiment.trialTimeout=5s"],
      components: [controlPlaneComponent],
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
});
