/**
 * The leader-election experiment of the Raft paper (Ongaro & Ousterhout, USENIX ATC 2014,
 * §9.3, Figure 16), run on kubesim's raft model.
 *
 * Five servers; the leader sends a synchronized heartbeat to everyone and is crashed at a
 * moment drawn uniformly within its heartbeat interval (half the minimum election timeout);
 * the time from the crash to the election of a new leader is measured. Logs differ so that
 * some survivors cannot win (by default two of the four hold one entry fewer, and the
 * leader's links to them are cut right after the heartbeat so it cannot repair them). Each
 * election-timeout range is one series of independent trials; trials run back to back in
 * one simulation per series, each on a freshly built cluster in the same start state.
 *
 * Call `runLeaderElectionExperiment(config)` with a plain object; every field is optional.
 */
import type { DistributionSpec } from "../engine/distribution.js";
import { Simulation, US_PER_MS, US_PER_S } from "../engine/simulation.js";
import { Disks } from "../infra/disk.js";
import { Network } from "../infra/network.js";
import type { LeaderChange, RaftConfig } from "../etcd/api.js";
import { EtcdCluster } from "../etcd/etcdCluster.js";

/** One series: a continuous election-timeout range (ms), or etcd-style ticks. */
export type ElectionSeries =
  | { label?: string; minMs: number; maxMs: number; trials?: number; /** default: heartbeatFraction x minMs */ heartbeatMs?: number }
  | { label?: string; heartbeatMs: number; electionTicks: number; trials?: number };

export interface LeaderElectionConfig {
  seed?: number | string;
  /** Cluster size (paper: 5). */
  members?: number;
  series?: ElectionSeries[];
  /** Trials per series unless the series says otherwise (paper: 1000; 100 for 150-150). */
  trials?: number;
  /**
   * Heartbeat interval as a fraction of the minimum election timeout, for ms-range series
   * (paper: "half of the minimum election timeout").
   */
  heartbeatFraction?: number;
  /** One-way network latency between the servers (ms). */
  linkLatencyMs?: DistributionSpec;
  /** fsync (durable write of term/vote/entries) latency (ms). */
  fsyncMs?: DistributionSpec;
  /** Members crashed together at each trial: the leader and the next ones (paper: 1). */
  crashTogether?: number;
  /** Survivors whose log lacks the last entry, so they cannot win (paper/thesis: 2 of 4). */
  ineligible?: number;
  /** Raft extensions; the paper's experiment predates them in LogCabin: off by default. */
  preVote?: boolean;
  checkQuorum?: boolean;
  /**
   * Restart the election timer on stepping down to a newer term (etcd-io/raft) instead of
   * only on a leader's message or a granted vote (the paper's rule; default).
   */
  resetTimerOnTermChange?: boolean;
  /** A trial without a new leader after this long is recorded as censored (ms). */
  maxTrialMs?: number;
}

/**
 * Network and disk of the experiment. One-way LAN latency on 1 GbE. The fsync latency is
 * calibrated, not measured: the paper gives a "broadcast time of roughly 15 ms", but in this
 * model (as in LogCabin) a vote round holds two durable writes (the candidate's term/vote,
 * then the voter's) plus a round trip, and with 15 ms writes no election with 1-5 ms of
 * randomness ever ends. A durable write of p50 2.5 ms / p99 5 ms reproduces the paper's
 * 150-155 ms median (287 ms); the other reported figures are then predictions (docs/etcd.md).
 */
export const PAPER_LINK_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 0.25, p99: 0.5 };
export const PAPER_FSYNC_MS: DistributionSpec = { type: "lognormal", p50: 2.5, p99: 5 };

/** The paper's Figure 16 series: the top graph (randomness) and the bottom graph (scale). */
export const PAPER_SERIES: ElectionSeries[] = [
  { minMs: 150, maxMs: 150, trials: 100 },
  { minMs: 150, maxMs: 151 },
  { minMs: 150, maxMs: 155 },
  { minMs: 150, maxMs: 175 },
  { minMs: 150, maxMs: 200 },
  { minMs: 150, maxMs: 300 },
  { minMs: 12, maxMs: 24 },
  { minMs: 25, maxMs: 50 },
  { minMs: 50, maxMs: 100 },
  { minMs: 100, maxMs: 200 },
];

/** The only numbers the paper states in its text (§9.3). */
export const PAPER_REPORTED: Record<string, string> = {
  "150-150": "longer than 10 s (many split votes)",
  "150-155": "median 287 ms",
  "150-200": "worst of 1000 trials 513 ms",
  "12-24": "mean 35 ms, longest 152 ms",
};

/** One trial: a row of elections.csv. */
export interface ElectionTrialRow {
  series: string;
  sim_time_s: number;
  cause: string;
  old_leader: string;
  new_leader: string;
  term: number;
  /** From the crash to the election of the new leader; Infinity-free: censored trials hold maxTrialMs. */
  no_leader_ms: number;
  censored: boolean;
}

export interface ElectionSeriesSummary {
  series: string;
  trials: number;
  censored: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  minMs: number;
}

export interface LeaderElectionResult {
  rows: ElectionTrialRow[];
  summaries: ElectionSeriesSummary[];
}

type Resolved = Omit<Required<LeaderElectionConfig>, "series" | "linkLatencyMs" | "fsyncMs">;

const DEFAULTS: Resolved = {
  seed: 1,
  members: 5,
  trials: 1000,
  heartbeatFraction: 0.5,
  crashTogether: 1,
  ineligible: 2,
  preVote: false,
  checkQuorum: false,
  resetTimerOnTermChange: false,
  maxTrialMs: 100_000,
};

export function seriesLabel(s: ElectionSeries): string {
  if (s.label) return s.label;
  return "minMs" in s ? `${s.minMs}-${s.maxMs}` : `ticks ${s.heartbeatMs}ms x${s.electionTicks}`;
}

export function runLeaderElectionExperiment(config: LeaderElectionConfig = {}): LeaderElectionResult {
  // Fields given as undefined keep their defaults (callers often pass optional values through).
  const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const c: Resolved = { ...DEFAULTS, ...given };
  const series = config.series ?? PAPER_SERIES;
  validate(c, series);
  const rows: ElectionTrialRow[] = [];
  const summaries: ElectionSeriesSummary[] = [];
  for (const s of series) {
    const label = seriesLabel(s);
    const trials = s.trials ?? ("minMs" in s && s.minMs === s.maxMs && config.trials === undefined ? 100 : c.trials);
    const seriesRows = runSeries(c, config, s, label, trials);
    rows.push(...seriesRows);
    summaries.push(summarize(label, seriesRows));
  }
  return { rows, summaries };
}

function validate(c: Resolved, series: ElectionSeries[]): void {
  if (!(Number.isInteger(c.members) && c.members >= 3)) throw new Error(`leader election experiment: members must be an integer >= 3, got ${c.members}`);
  if (!(c.crashTogether >= 1 && c.crashTogether < c.members)) throw new Error(`leader election experiment: crashTogether must be in [1, members-1]`);
  const survivors = c.members - c.crashTogether;
  if (!(c.ineligible >= 0 && c.ineligible < survivors)) throw new Error(`leader election experiment: ineligible must leave at least one eligible survivor`);
  if (!(c.trials >= 1)) throw new Error("leader election experiment: trials must be >= 1");
  for (const s of series) {
    if ("minMs" in s) {
      if (!(s.minMs > 0 && s.maxMs >= s.minMs)) throw new Error(`leader election experiment: bad range ${s.minMs}-${s.maxMs} ms`);
    } else if (!(s.heartbeatMs > 0 && s.electionTicks >= 1)) {
      throw new Error(`leader election experiment: bad tick series ${s.heartbeatMs} ms x ${s.electionTicks}`);
    }
  }
}

function runSeries(c: Resolved, config: LeaderElectionConfig, s: ElectionSeries, label: string, trials: number): ElectionTrialRow[] {
  const sim = new Simulation(`${c.seed}/${label}`);
  const net = new Network(sim, {
    latencyMs: {
      sameHost: { type: "constant", value: 0.01 },
      sameZone: config.linkLatencyMs ?? PAPER_LINK_LATENCY_MS,
      crossZone: config.linkLatencyMs ?? PAPER_LINK_LATENCY_MS,
      crossRegion: config.linkLatencyMs ?? PAPER_LINK_LATENCY_MS,
    },
  });
  const disks = new Disks(sim, config.fsyncMs ?? PAPER_FSYNC_MS);
  const hosts = Array.from({ length: c.members }, (_, i) => net.addHost(`server-${i + 1}`));
  const names = hosts.map((_, i) => `server-${i + 1}`);
  const raft: Partial<RaftConfig> =
    "minMs" in s
      ? {
          electionTimeoutRangeUs: [s.minMs * US_PER_MS, s.maxMs * US_PER_MS],
          heartbeatIntervalUs: (s.heartbeatMs ?? s.minMs * c.heartbeatFraction) * US_PER_MS,
        }
      : { heartbeatIntervalUs: s.heartbeatMs * US_PER_MS, electionTicks: s.electionTicks };
  raft.preVote = c.preVote;
  raft.checkQuorum = c.checkQuorum;
  raft.resetTimerOnTermChange = c.resetTimerOnTermChange;
  const heartbeatUs = raft.heartbeatIntervalUs!;
  const crashRng = sim.rng.stream("experiment.crash-time");
  const logLength = 10;
  const logLengths = hosts.map((_, m) => (m >= c.members - c.ineligible ? logLength - 1 : logLength));

  let cluster: EtcdCluster | null = null;
  let elected: LeaderChange | null = null;
  const crash = sim.on("experiment.crashLeader", () => {
    for (let k = 0; k < c.crashTogether; k++) cluster!.crash(k);
  });
  const rows: ElectionTrialRow[] = [];
  for (let t = 0; t < trials; t++) {
    elected = null;
    cluster = new EtcdCluster(sim, {
      network: net,
      disks,
      raft,
      members: hosts.map((h, i) => ({ name: names[i], host: h })),
      initialState: { term: 1, logLengths, leader: 0 },
    });
    // The leader's synchronized heartbeat is on the wire. Cut its links to the lagging
    // servers now, so it cannot repair their logs before it crashes: they stay ineligible.
    for (let m = c.members - c.ineligible; m < c.members; m++) net.cut(hosts[0], hosts[m]);
    cluster.observe({
      onLeaderElected: (ch) => {
        if (elected === null && ch.cause !== "initial") elected = ch;
      },
    });
    const crashAtUs = sim.now + crashRng.next() * heartbeatUs;
    sim.scheduleAt(crashAtUs, crash);
    const limit = crashAtUs + c.maxTrialMs * US_PER_MS;
    while (elected === null && sim.peek() <= limit && sim.step()) {}
    cluster.stop();
    net.heal();
    const e = elected as LeaderChange | null;
    rows.push({
      series: label,
      sim_time_s: round6(crashAtUs / US_PER_S),
      cause: "crash",
      old_leader: names[0],
      new_leader: e ? names[e.newLeader] : "",
      term: e ? e.term : 0,
      no_leader_ms: e ? round3(e.noLeaderUs / US_PER_MS) : c.maxTrialMs,
      censored: e === null,
    });
    // A pause between trials lets the stopped cluster's leftover events drain as no-ops.
    sim.run(sim.now + US_PER_S);
  }
  return rows;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function summarize(label: string, rows: ElectionTrialRow[]): ElectionSeriesSummary {
  const xs = rows.map((r) => r.no_leader_ms).sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    series: label,
    trials: rows.length,
    censored: rows.filter((r) => r.censored).length,
    p50Ms: percentile(xs, 50),
    p90Ms: percentile(xs, 90),
    p99Ms: percentile(xs, 99),
    maxMs: xs[xs.length - 1],
    meanMs: round3(mean),
    minMs: xs[0],
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
