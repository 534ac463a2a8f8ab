import { describe, expect, it } from "vitest";
import { percentile, runLeaderElectionExperiment } from "../../src/experiments/raftElection.js";

describe("the Raft paper's leader-election experiment", () => {
  it("downtime is at least half the minimum timeout and at most a timeout plus split-vote rounds", () => {
    const r = runLeaderElectionExperiment({ seed: 3, trials: 60, series: [{ minMs: 150, maxMs: 300 }] });
    expect(r.rows.length).toBe(60);
    const s = r.summaries[0];
    expect(s.censored).toBe(0);
    // Crash within the heartbeat (75 ms) after the synchronized heartbeat; survivors time out
    // 150-300 ms after it: downtime >= 150 - 75 = 75 ms, and without a split vote <= 300 ms + a round.
    expect(s.minMs).toBeGreaterThanOrEqual(75);
    expect(s.p50Ms).toBeLessThan(300);
    for (const row of r.rows) {
      expect(row.cause).toBe("crash");
      expect(row.old_leader).toBe("server-1");
      // Only the two survivors holding the last entry can win (server-4 and server-5 lack it).
      expect(["server-2", "server-3"]).toContain(row.new_leader);
      expect(row.term).toBeGreaterThanOrEqual(2);
    }
  });

  it("without randomness (150-150) split votes keep the cluster leaderless for longer than 10 s", () => {
    const r = runLeaderElectionExperiment({ seed: 1, maxTrialMs: 15_000, series: [{ minMs: 150, maxMs: 150, trials: 5 }] });
    for (const row of r.rows) expect(row.no_leader_ms).toBeGreaterThan(10_000);
  });

  it("more randomness means fewer split votes: 150-200 beats 150-155 on median and tail", () => {
    const r = runLeaderElectionExperiment({
      seed: 2,
      trials: 200,
      series: [
        { minMs: 150, maxMs: 155 },
        { minMs: 150, maxMs: 200 },
      ],
    });
    const [narrow, wide] = r.summaries;
    expect(wide.p50Ms).toBeLessThan(narrow.p50Ms);
    expect(wide.p90Ms).toBeLessThan(narrow.p90Ms);
  });

  it("is deterministic for a seed and validates its parameters", () => {
    const cfg = { seed: 9, trials: 20, series: [{ minMs: 25, maxMs: 50 }] };
    expect(runLeaderElectionExperiment(cfg)).toEqual(runLeaderElectionExperiment(cfg));
    expect(() => runLeaderElectionExperiment({ members: 2 })).toThrow(/members/);
    expect(() => runLeaderElectionExperiment({ series: [{ minMs: 50, maxMs: 10 }] })).toThrow(/bad range/);
    expect(() => runLeaderElectionExperiment({ ineligible: 4 })).toThrow(/eligible/);
    // Optional fields passed through as undefined keep their defaults.
    const withUndefined = { ...cfg, members: undefined, crashTogether: undefined, fsyncMs: undefined };
    expect(runLeaderElectionExperiment(withUndefined)).toEqual(runLeaderElectionExperiment(cfg));
  });

  it("runs etcd-style tick series too (100 ms ticks, 10-tick timeout, pre-vote and check-quorum)", () => {
    const r = runLeaderElectionExperiment({
      seed: 4,
      trials: 30,
      preVote: true,
      checkQuorum: true,
      resetTimerOnTermChange: true,
      series: [{ heartbeatMs: 100, electionTicks: 10 }],
    });
    const s = r.summaries[0];
    expect(s.series).toBe("ticks 100ms x10");
    // Followers campaign on their 10th-19th tick after the heartbeat; their first tick comes
    // within one tick, and the crash up to one tick after the heartbeat: >= 10-1-1 ticks.
    expect(s.minMs).toBeGreaterThanOrEqual(800);
    expect(s.p50Ms).toBeLessThan(1900);
  });

  it("nearest-rank percentiles", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile([7], 1)).toBe(7);
  });
});
