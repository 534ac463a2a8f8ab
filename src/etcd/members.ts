/**
 * The members of one etcd cluster and each member's raft state, as struct-of-arrays
 * indexed by member: one typed-array column per field of etcd-io/raft's `raft` struct
 * (raft.go: state, Term, Vote, lead, electionElapsed, ...) plus what etcd's raftNode
 * loop keeps around it (the WAL's HardState, the outbox, the read loop).
 *
 * Why one table: every part of the model (timers.ts, election.ts, readyCycle.ts,
 * replication.ts, snapshot.ts, readIndex.ts, clientRequests.ts) reads and writes the same
 * member fields; a member is an index, so no object exists per member and nothing is
 * allocated on the hot path. Each group of columns names the module that drives it.
 * State per (leader, follower) pair lives in progress.ts and readOnly.ts.
 *
 * Sizes are fixed at construction (membership does not change during a run), so the
 * columns never grow and any module may keep a reference to them.
 */
import type { EtcdMemberSpec } from "./api.js";
import { ETCD_MAX_LEARNERS, quorumSize } from "./defaults.js";
import { RaftLog } from "./raftLog.js";

/** Vote tallies are bitmasks over members (ReadOnlyTracker acks too). */
export const MAX_MEMBERS = 31;

export class Members {
  /** Number of members (voters + learners). */
  readonly count: number;
  readonly names: readonly string[];
  /** Network host each member runs on. */
  readonly host: Int32Array;
  /** 1 for a learner (etcd v3.4+ non-voting member). */
  readonly learner: Uint8Array;
  readonly voters: number;
  /** Voting members' quorum: floor(voters/2)+1. */
  readonly quorum: number;
  /** Each member's raft log (raft_log.go). */
  readonly logs: RaftLog[] = [];

  // --- raft state (raft.go `raft` struct): election.ts, replication.ts ---
  /** Role code (api.ts Role); DOWN while the process is not running. */
  readonly role: Uint8Array;
  readonly term: Float64Array;
  /** Whom the member voted for in `term` (raft `Vote`), -1 for nobody. */
  readonly votedFor: Int32Array;
  /** Whom the member believes is leader (raft `lead`), -1 for none. */
  readonly leader: Int32Array;
  readonly commitIndex: Float64Array;
  readonly appliedIndex: Float64Array;
  /** Bumped on every crash: events scheduled by an earlier incarnation are ignored. */
  readonly incarnation: Float64Array;
  /** When the member itself last became leader (etcd `leadElectedTime`, set in updateLeadership). */
  readonly leadElectedUs: Float64Array;
  /** Campaign tallies, bitmasks over voters (raft `trk.Votes`). */
  readonly votesGrantedMask: Int32Array;
  readonly votesRejectedMask: Int32Array;

  // --- durable state (the WAL and snapshot): readyCycle.ts, snapshot.ts ---
  /** Last log index fsynced (raft `stableTo`). */
  readonly stableIndex: Float64Array;
  /** HardState as last fsynced: what a restart comes back with. */
  readonly persistedTerm: Float64Array;
  readonly persistedVote: Int32Array;
  readonly persistedCommit: Float64Array;
  /** Last index and term covered by the member's newest snapshot. */
  readonly snapshotIndex: Float64Array;
  readonly snapshotTerm: Float64Array;

  // --- timers (raft tickElection/tickHeartbeat, or continuous timeouts): timers.ts ---
  /** Ticks since the last reset (raft `electionElapsed`; the leader's check-quorum clock too). */
  readonly electionElapsed: Int32Array;
  /** This term's election timeout in ticks, in [T, 2T-1] (raft `randomizedElectionTimeout`). */
  readonly randomizedElectionTicks: Int32Array;
  readonly heartbeatElapsed: Int32Array;
  /** When the election timeout was last reset (µs): the vote lease in continuous mode. */
  readonly electionResetUs: Float64Array;
  /** Continuous mode: calendar handles of pending timers, -1 when none. */
  readonly electionTimer: Float64Array;
  readonly heartbeatTimer: Float64Array;
  readonly checkQuorumTimer: Float64Array;

  // --- the Ready cycle (etcd raftNode: send, fsync, apply): readyCycle.ts ---
  /** 1 while an fsync runs; a new Ready starts only when the disk is idle. */
  readonly fsyncing: Uint8Array;
  /** What the running fsync makes durable: last index and HardState at its start. */
  readonly fsyncIndex: Float64Array;
  readonly fsyncTerm: Float64Array;
  readonly fsyncVote: Int32Array;
  readonly fsyncCommit: Float64Array;
  /** 1 when an installed snapshot has not been persisted yet. */
  readonly snapshotUnsynced: Uint8Array;
  /** Messages produced since the last Ready (a list through MessagePool.next), -1 when empty. */
  readonly outboxHead: Int32Array;
  readonly outboxTail: Int32Array;
  /** A non-leader's messages of the running Ready: sent when its fsync completes. */
  readonly awaitingFsyncHead: Int32Array;
  readonly awaitingFsyncTail: Int32Array;

  // --- client-facing: clientRequests.ts, readIndex.ts ---
  /** Write request ids that arrived while the member knew no leader (raft's propc not read). */
  readonly proposalsAwaitingLeader: number[][] = [];
  /** Linearizable read ids waiting for the next ReadIndex round (etcd read loop). */
  readonly readsWaiting: number[][] = [];
  /** Linearizable read ids served by the round in flight. */
  readonly readsInRound: number[][] = [];
  /** Context of the ReadIndex round in flight, 0 when none. */
  readonly readRoundCtx: Float64Array;
  /** The read index the leader confirmed for the round, -1 until it answers. */
  readonly readRoundIndex: Float64Array;
  /** Calendar handle of the round's ReadIndex retry, -1 when none. */
  readonly readRetryTimer: Float64Array;

  constructor(specs: readonly EtcdMemberSpec[]) {
    const n = specs.length;
    if (n < 1) throw new Error("etcd: a cluster needs at least one member");
    if (n > MAX_MEMBERS) throw new Error(`etcd: at most ${MAX_MEMBERS} members are modelled (vote bitmasks)`);
    this.count = n;
    this.names = specs.map((m) => m.name);
    if (new Set(this.names).size !== n) throw new Error("etcd: member names must be unique");
    this.host = Int32Array.from(specs.map((m) => m.host));
    this.learner = Uint8Array.from(specs.map((m) => (m.learner ? 1 : 0)));
    const learners = this.learner.reduce((a, b) => a + b, 0);
    if (learners > ETCD_MAX_LEARNERS) throw new Error(`etcd: ${learners} learners, etcd allows ${ETCD_MAX_LEARNERS} (--max-learners)`);
    this.voters = n - learners;
    if (this.voters < 1) throw new Error("etcd: a cluster needs at least one voting member");
    this.quorum = quorumSize(this.voters);

    this.role = new Uint8Array(n);
    this.term = new Float64Array(n);
    this.votedFor = new Int32Array(n).fill(-1);
    this.leader = new Int32Array(n).fill(-1);
    this.commitIndex = new Float64Array(n);
    this.appliedIndex = new Float64Array(n);
    this.incarnation = new Float64Array(n);
    this.leadElectedUs = new Float64Array(n).fill(-Infinity);
    this.votesGrantedMask = new Int32Array(n);
    this.votesRejectedMask = new Int32Array(n);

    this.stableIndex = new Float64Array(n);
    this.persistedTerm = new Float64Array(n);
    this.persistedVote = new Int32Array(n).fill(-1);
    this.persistedCommit = new Float64Array(n);
    this.snapshotIndex = new Float64Array(n);
    this.snapshotTerm = new Float64Array(n);

    this.electionElapsed = new Int32Array(n);
    this.randomizedElectionTicks = new Int32Array(n);
    this.heartbeatElapsed = new Int32Array(n);
    this.electionResetUs = new Float64Array(n);
    this.electionTimer = new Float64Array(n).fill(-1);
    this.heartbeatTimer = new Float64Array(n).fill(-1);
    this.checkQuorumTimer = new Float64Array(n).fill(-1);

    this.fsyncing = new Uint8Array(n);
    this.fsyncIndex = new Float64Array(n);
    this.fsyncTerm = new Float64Array(n);
    this.fsyncVote = new Int32Array(n);
    this.fsyncCommit = new Float64Array(n);
    this.snapshotUnsynced = new Uint8Array(n);
    this.outboxHead = new Int32Array(n).fill(-1);
    this.outboxTail = new Int32Array(n).fill(-1);
    this.awaitingFsyncHead = new Int32Array(n).fill(-1);
    this.awaitingFsyncTail = new Int32Array(n).fill(-1);

    this.readRoundCtx = new Float64Array(n);
    this.readRoundIndex = new Float64Array(n).fill(-1);
    this.readRetryTimer = new Float64Array(n).fill(-1);
    for (let m = 0; m < n; m++) {
      this.logs.push(new RaftLog());
      this.proposalsAwaitingLeader.push([]);
      this.readsWaiting.push([]);
      this.readsInRound.push([]);
    }
  }
}
