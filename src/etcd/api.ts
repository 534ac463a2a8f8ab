/**
 * Public types of the etcd model: configuration, request kinds and outcomes, member
 * roles, and the observer interfaces the control plane (API servers, metrics) uses.
 * The cluster itself is `EtcdCluster` in etcdCluster.ts.
 */
import {
  DEFAULT_ENTRY_BYTES,
  ETCD_CHECK_QUORUM,
  ETCD_ELECTION_TICKS,
  ETCD_HEARTBEAT_INTERVAL_US,
  ETCD_INITIAL_ELECTION_TICK_ADVANCE,
  ETCD_MAX_INFLIGHT_MSGS,
  ETCD_MAX_SIZE_PER_MSG_BYTES,
  ETCD_PRE_VOTE,
  ETCD_READ_INDEX_RETRY_US,
  ETCD_SNAPSHOT_CATCH_UP_ENTRIES,
  ETCD_SNAPSHOT_COUNT,
  requestTimeoutUs,
} from "./defaults.js";

/** Raft role of a member. DOWN = process not running. */
export const Role = { FOLLOWER: 0, PRE_CANDIDATE: 1, CANDIDATE: 2, LEADER: 3, DOWN: 4 } as const;
export type RoleCode = (typeof Role)[keyof typeof Role];
export const ROLE_NAMES = ["follower", "pre-candidate", "candidate", "leader", "down"] as const;

/** What a client asks an etcd member for. */
export const RequestKind = { PUT: 0, GET_LINEARIZABLE: 1, GET_SERIALIZABLE: 2 } as const;
export type RequestKindCode = (typeof RequestKind)[keyof typeof RequestKind];
export const REQUEST_KIND_NAMES = ["put", "get_linearizable", "get_serializable"] as const;

/**
 * How a request ended. Messages are etcd's own (etcd-io/etcd server/etcdserver/errors).
 * TIMEOUT: no commit / no ReadIndex confirmation within the request timeout (7 s default).
 * TIMEOUT_LEADER_FAIL: the same, when the member itself became leader within two election
 * timeouts after the request started (etcd `parseProposeCtxErr`).
 * UNAVAILABLE: the member process is down (connection refused / reset).
 * LEARNER_REJECTED: learners serve no client reads or writes.
 * NO_LEADER: the request asked for a leader (clientv3 WithRequireLeader) and the member
 * had none when it arrived (etcd's gRPC interceptor, rpctypes.ErrGRPCNoLeader).
 */
export const Outcome = { OK: 0, TIMEOUT: 1, TIMEOUT_LEADER_FAIL: 2, UNAVAILABLE: 3, LEARNER_REJECTED: 4, NO_LEADER: 5 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOME_MESSAGES = [
  "ok",
  "etcdserver: request timed out",
  "etcdserver: request timed out, possibly due to previous leader failure",
  "etcd member unavailable: connection refused",
  "etcdserver: rpc not supported for learner",
  "etcdserver: no leader",
] as const;

/** One etcd member: its name and the network host it runs on. */
export interface EtcdMemberSpec {
  name: string;
  /** Host index in the `Network` (several members may share a host only in tests). */
  host: number;
  /** Non-voting member (etcd learner, v3.4+): replicates, never votes, serves no clients. */
  learner?: boolean;
}

/**
 * Raft/etcd timing and flow-control parameters. Every field has the etcd default.
 * Two timing modes:
 *  - ticks (etcd): a tick every `heartbeatIntervalUs`; election timeout drawn per reset as
 *    whole ticks uniform in [electionTicks, 2*electionTicks-1] (etcd-io/raft
 *    resetRandomizedElectionTimeout);
 *  - continuous (Raft paper): set `electionTimeoutRangeUs` = [min, max]; the timeout is
 *    uniform in [min, max] µs, heartbeats every `heartbeatIntervalUs`, check-quorum and the
 *    vote lease use `min`.
 */
export interface RaftConfig {
  heartbeatIntervalUs: number;
  electionTicks: number;
  electionTimeoutRangeUs: readonly [number, number] | null;
  preVote: boolean;
  checkQuorum: boolean;
  /** Client request timeout (etcd ReqTimeout: 5 s + 2 x election timeout). */
  requestTimeoutUs: number;
  /** Linearizable read: ReadIndex resent this often while unanswered (500 ms). */
  readIndexRetryUs: number;
  /** Entries per MsgApp = floor(maxSizePerMsgBytes / entryBytes), at least 1. */
  maxSizePerMsgBytes: number;
  entryBytes: number;
  /** MsgApp messages in flight per follower before the leader pauses (512). */
  maxInflightMsgs: number;
  /** Snapshot (log compaction) after this many applied entries (10000, v3.6). */
  snapshotCount: number;
  /** Entries kept behind a snapshot for slow followers (5000). */
  snapshotCatchUpEntries: number;
  /** Time to send and install a snapshot on a follower that fell behind the log (µs). */
  snapshotTransferUs: number;
  /**
   * Restart the election timer when a follower or candidate steps down to a newer term.
   * true = etcd-io/raft (becomeFollower calls reset()); false = the Raft paper's rule (the
   * timer restarts only on hearing from the leader or granting a vote).
   */
  resetTimerOnTermChange: boolean;
  /**
   * etcd `--initial-election-tick-advance` (default true): at start, fast-forward the
   * election ticks so the first election comes sooner (tick mode only).
   */
  initialElectionTickAdvance: boolean;
  /** Check the raft safety invariants as the run goes (cheap; on by default). */
  checkSafety: boolean;
}

export function defaultRaftConfig(overrides: Partial<RaftConfig> = {}): RaftConfig {
  const heartbeatIntervalUs = overrides.heartbeatIntervalUs ?? ETCD_HEARTBEAT_INTERVAL_US;
  const electionTicks = overrides.electionTicks ?? ETCD_ELECTION_TICKS;
  const range = overrides.electionTimeoutRangeUs ?? null;
  const electionTimeoutUs = range ? range[0] : electionTicks * heartbeatIntervalUs;
  return {
    heartbeatIntervalUs,
    electionTicks,
    electionTimeoutRangeUs: range,
    preVote: overrides.preVote ?? ETCD_PRE_VOTE,
    checkQuorum: overrides.checkQuorum ?? ETCD_CHECK_QUORUM,
    requestTimeoutUs: overrides.requestTimeoutUs ?? requestTimeoutUs(electionTimeoutUs),
    readIndexRetryUs: overrides.readIndexRetryUs ?? ETCD_READ_INDEX_RETRY_US,
    maxSizePerMsgBytes: overrides.maxSizePerMsgBytes ?? ETCD_MAX_SIZE_PER_MSG_BYTES,
    entryBytes: overrides.entryBytes ?? DEFAULT_ENTRY_BYTES,
    maxInflightMsgs: overrides.maxInflightMsgs ?? ETCD_MAX_INFLIGHT_MSGS,
    snapshotCount: overrides.snapshotCount ?? ETCD_SNAPSHOT_COUNT,
    snapshotCatchUpEntries: overrides.snapshotCatchUpEntries ?? ETCD_SNAPSHOT_CATCH_UP_ENTRIES,
    snapshotTransferUs: overrides.snapshotTransferUs ?? 50_000,
    resetTimerOnTermChange: overrides.resetTimerOnTermChange ?? true,
    initialElectionTickAdvance: overrides.initialElectionTickAdvance ?? ETCD_INITIAL_ELECTION_TICK_ADVANCE,
    checkSafety: overrides.checkSafety ?? true,
  };
}

/** Receives the answers to one client's requests (registered once, called per answer). */
export interface EtcdClientHandler {
  /**
   * Called when the answer reaches the client (or its timeout fires).
   * @param tag the caller's number given with the request
   * @param kind RequestKind
   * @param outcome Outcome
   * @param latencyUs from sending the request to receiving the answer
   */
  onEtcdResponse(tag: number, kind: RequestKindCode, outcome: OutcomeCode, latencyUs: number): void;
}

/** Why a cluster leader stopped leading. */
export type LeaderLossCause =
  | "crash" // the leader's process was crashed / killed
  | "checkQuorum" // it heard from no quorum for an election timeout and stepped down
  | "higher_term" // it saw a higher term (a newer leader, or a candidate) and stepped down
  | "stopped";

/** A row of elections.csv: one per leadership change. */
export interface LeaderChange {
  /** When the new leader was elected (µs). */
  timeUs: number;
  /** Why the previous leader stopped (or "initial" for the first election). */
  cause: LeaderLossCause | "initial";
  oldLeader: number;
  newLeader: number;
  term: number;
  /**
   * Time without a leader: from the moment the old leader stopped serving (crash, step
   * down, or the last moment it was in contact with a quorum, for a leader deposed while
   * partitioned) to the election of the new one (µs). For the first election: since start.
   */
  noLeaderUs: number;
}

/** Observes the cluster. Every method optional; none is on the per-write hot path except onCommit. */
export interface EtcdObserver {
  /** A member changed raft role (or went down / came back). */
  onRoleChange?(timeUs: number, member: number, role: RoleCode, term: number): void;
  /** The cluster lost its leader (no live leader with the highest term remains). */
  onLeaderLost?(timeUs: number, oldLeader: number, term: number, cause: LeaderLossCause): void;
  /** A new cluster leader was elected. */
  onLeaderElected?(change: LeaderChange): void;
  /** The leader advanced its commit index. */
  onCommit?(timeUs: number, leader: number, commitIndex: number): void;
}

/** Counters of a run (for metrics and tests). */
export interface EtcdStats {
  proposals: number;
  committedEntries: number;
  messagesSent: number;
  messagesDropped: number;
  elections: number;
  preVoteCampaigns: number;
  leaderChanges: number;
  snapshotsSent: number;
  fsyncs: number;
  readIndexRounds: number;
  requestsOk: number;
  requestsFailed: number;
}

export function emptyStats(): EtcdStats {
  return {
    proposals: 0,
    committedEntries: 0,
    messagesSent: 0,
    messagesDropped: 0,
    elections: 0,
    preVoteCampaigns: 0,
    leaderChanges: 0,
    snapshotsSent: 0,
    fsyncs: 0,
    readIndexRounds: 0,
    requestsOk: 0,
    requestsFailed: 0,
  };
}
