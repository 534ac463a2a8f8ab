/**
 * The Raft paper's leader-election experiment (Figure 16) as a run: the experiment
 * runner (experiments/raftElection.ts) crashes the leader of a
 * 5-server cluster over and over for each election-timeout range, and the run writes
 * elections.csv (one row per trial) and election_ranges.csv (the distribution of the
 * time without a leader per range, beside the figures the paper states).
 */
import { PAPER_REPORTED, runLeaderElectionExperiment, type ElectionSeries } from "../experiments/raftElection.js";
import type { Table } from "../metrics/tables.js";
import type { Component } from "./context.js";
import type { RaftElectionExperimentSpec } from "./controlPlaneSpec.js";

/** Tick length of tick series without heartbeatInterval: etcd --heartbeat-interval default (100 ms). */
const ETCD_HEARTBEAT_MS = 100;

export function raftElectionExperiment(seed: number, spec: RaftElectionExperimentSpec): Component {
  return {
    name: "raft-election-experiment",
    finish() {
      // The experiment has its own simulations (one per range), seeded from the run's seed.
      const hb = spec.heartbeatIntervalMs;
      const series: ElectionSeries[] = spec.timeouts.map((t) =>
        "ticks" in t
          ? { heartbeatMs: hb ?? ETCD_HEARTBEAT_MS, electionTicks: t.ticks, trials: spec.trials }
          : { minMs: t.minMs, maxMs: t.maxMs, trials: t.minMs === t.maxMs ? spec.trialsWithoutRandomness : spec.trials, ...(hb !== undefined ? { heartbeatMs: hb } : {}) },
      );
      const r = runLeaderElectionExperiment({
        seed,
        members: spec.members,
        series,
        trials: spec.trials,
        heartbeatFraction: spec.heartbeatFraction,
        ...(spec.linkLatencyMs ? { linkLatencyMs: spec.linkLatencyMs } : {}),
        ...(spec.fsyncMs ? { fsyncMs: spec.fsyncMs } : {}),
        crashTogether: spec.crashTogether,
        ineligible: spec.ineligible,
        preVote: spec.preVote,
        checkQuorum: spec.checkQuorum,
        resetTimerOnTermChange: spec.resetTimerOnTermChange,
        maxTrialMs: spec.trialTimeoutMs,
      });
      const elections: Table = {
        file: "elections.csv",
        columns: ["sim_time_s", "cause", "old_leader", "new_leader", "term", "no_leader_ms", "series", "censored"],
        rows: r.rows.map((t) => [t.sim_time_s, t.cause, t.old_leader, t.new_leader, t.term, t.no_leader_ms, t.series, t.censored ? 1 : 0]),
        decimals: 3,
      };
      const ranges: Table = {
        file: "election_ranges.csv",
        columns: ["series", "trials", "censored", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "min_ms", "paper_reported"],
        rows: r.summaries.map((s) => [s.series, s.trials, s.censored, s.p50Ms, s.p90Ms, s.p99Ms, s.maxMs, s.meanMs, s.minMs, PAPER_REPORTED[s.series] ?? ""]),
        decimals: 3,
      };
      const summary = r.summaries.flatMap((s) => [
        { metric: `election_${s.series}_p50_ms`, value: s.p50Ms },
        { metric: `election_${s.series}_max_ms`, value: s.maxMs },
      ]);
      return { tables: [elections, ranges], summary };
    },
  };
}
