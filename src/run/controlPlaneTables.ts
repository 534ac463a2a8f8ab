/**
 * The control plane's CSV tables, sampled once per interval:
 * - controlplane.csv: etcd leader/term, members up, commits/s, etcd write/read latency
 *   percentiles, API requests/errors/availability, 429s, LB pool size, lease holders;
 * - api_requests.csv: per interval and verb: requests by status class, p50/p99 latency;
 * - etcd_members.csv: per interval and member: role, term, commit index;
 * - elections.csv: one row per etcd leader change (every leader loss is a row);
 * - leases.csv: component Lease acquired/lost;
 * - etcd_write_latency_histogram.csv: the whole run's write latency histogram.
 */
import { US_PER_S, US_PER_MS } from "../engine/simulation.js";
import type { Table } from "../metrics/tables.js";
import { Reason, VERB_NAMES } from "../apiserver/verbs.js";
import type { ControlPlaneMetrics } from "../apiserver/metrics.js";

/** What the sampler reads from the running control plane. */
export interface ControlPlaneView {
  etcdLeaderName(): string;
  etcdTerm(): number;
  etcdSize(): number;
  etcdMemberName(m: number): string;
  etcdMemberHost(m: number): string;
  etcdRole(m: number): string;
  etcdMemberTerm(m: number): number;
  etcdCommitIndex(m: number): number;
  etcdMembersUp(): number;
  etcdCommittedEntries(): number;
  apiserversInPool(): number;
  /** Holder of each component lease ("" = nobody), in `leaseNames` order. */
  leaseHolders(): string[];
  leaseNames(): string[];
}

const ms = (us: number) => (Number.isNaN(us) ? null : us / US_PER_MS);

export class ControlPlaneSampler {
  readonly controlplane: Table;
  readonly apiRequests: Table;
  readonly members: Table;
  private lastCommitted = 0;
  private lastSampleUs = 0;

  constructor(
    private readonly metrics: ControlPlaneMetrics,
    private readonly view: ControlPlaneView,
  ) {
    this.controlplane = {
      file: "controlplane.csv",
      columns: [
        "sim_time_s",
        "etcd_leader",
        "etcd_term",
        "etcd_members_up",
        "commits_per_s",
        "etcd_writes",
        "etcd_write_p50_ms",
        "etcd_write_p99_ms",
        "etcd_read_p50_ms",
        "etcd_read_p99_ms",
        "api_requests",
        "api_errors",
        "api_availability",
        "api_throttled_429",
        "api_etcd_timeouts",
        "api_etcd_unavailable",
        "api_connections_failed",
        "api_conflicts_409",
        "apiservers_in_pool",
        ...view.leaseNames().map((n) => `${n.replaceAll("-", "_")}_leader`),
      ],
      rows: [],
      decimals: 3,
    };
    this.apiRequests = {
      file: "api_requests.csv",
      columns: ["sim_time_s", "verb", "requests", "ok", "conflict_409", "throttled_429", "server_error_5xx", "connection_failed", "error_rate", "latency_p50_ms", "latency_p99_ms", "refused_4xx"],
      rows: [],
      decimals: 3,
    };
    this.members = { file: "etcd_members.csv", columns: ["sim_time_s", "member", "host", "role", "term", "commit_index"], rows: [], decimals: 3 };
  }

  /** One row per table (per verb, per member) for the interval that ends now. */
  sample(nowUs: number): void {
    const m = this.metrics;
    const v = this.view;
    const t = nowUs / US_PER_S;
    const intervalSeconds = (nowUs - this.lastSampleUs) / US_PER_S;
    const committed = v.etcdCommittedEntries();
    const commitsPerS = intervalSeconds > 0 ? (committed - this.lastCommitted) / intervalSeconds : 0;
    this.lastCommitted = committed;
    this.lastSampleUs = nowUs;
    let requests = 0;
    let ok = 0;
    let throttled = 0;
    for (let verb = 0; verb < m.verbs.length; verb++) {
      const c = m.verbs[verb];
      requests += c.requests;
      ok += c.ok + c.conflict + c.refused; // a 409, or a 403/404 of admission, is a correct answer of a healthy API
      throttled += c.tooMany;
      if (c.requests === 0) continue;
      this.apiRequests.rows.push([
        t,
        VERB_NAMES[verb],
        c.requests,
        c.ok,
        c.conflict,
        c.tooMany,
        c.serverError,
        c.connectionFailed,
        (c.requests - c.ok - c.conflict - c.refused) / c.requests,
        ms(c.latency.quantileUs(0.5)),
        ms(c.latency.quantileUs(0.99)),
        c.refused,
      ]);
    }
    this.controlplane.rows.push([
      t,
      v.etcdLeaderName(),
      v.etcdTerm(),
      v.etcdMembersUp(),
      commitsPerS,
      m.etcdWrite.count,
      ms(m.etcdWrite.quantileUs(0.5)),
      ms(m.etcdWrite.quantileUs(0.99)),
      ms(m.etcdRead.quantileUs(0.5)),
      ms(m.etcdRead.quantileUs(0.99)),
      requests,
      requests - ok,
      requests > 0 ? ok / requests : null,
      throttled,
      m.reasons[Reason.EtcdTimeout],
      m.reasons[Reason.EtcdUnavailable] + m.reasons[Reason.EtcdNoLeader],
      m.reasons[Reason.ConnectionRefused],
      m.reasons[Reason.Conflict],
      v.apiserversInPool(),
      ...v.leaseHolders(),
    ]);
    for (let i = 0; i < v.etcdSize(); i++) {
      this.members.rows.push([t, v.etcdMemberName(i), v.etcdMemberHost(i), v.etcdRole(i), v.etcdMemberTerm(i), v.etcdCommitIndex(i)]);
    }
    m.resetInterval();
  }

  /** Every table of the run. */
  tables(): Table[] {
    const m = this.metrics;
    const elections: Table = {
      file: "elections.csv",
      columns: ["sim_time_s", "cause", "old_leader", "new_leader", "term", "no_leader_ms"],
      rows: m.elections.map((e) => [e.sim_time_s, e.cause, e.old_leader, e.new_leader, e.term, e.no_leader_ms]),
      decimals: 3,
    };
    const leases: Table = {
      file: "leases.csv",
      columns: ["sim_time_s", "lease", "holder", "event"],
      rows: m.leases.map((l) => [l.sim_time_s, l.lease, l.holder, l.event]),
      decimals: 6,
    };
    const total = m.etcdWriteTotal.count;
    let cum = 0;
    const hist: Table = {
      file: "etcd_write_latency_histogram.csv",
      columns: ["latency_lower_ms", "latency_upper_ms", "count", "cumulative_ratio"],
      rows: m.etcdWriteTotal.nonEmptyBuckets().map(([lo, hi, n]) => {
        cum += n;
        return [lo / US_PER_MS, (hi + 1) / US_PER_MS, n, cum / total];
      }),
      decimals: 6,
    };
    return [this.controlplane, this.apiRequests, this.members, elections, leases, hist];
  }
}
