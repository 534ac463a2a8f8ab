/**
 * An etcd cluster: raft members on network hosts, with disks, serving client writes and
 * reads. This is the whole public surface the control plane uses (API servers talk to
 * etcd only through it).
 *
 * Usage:
 *   const net = new Network(sim); const h = [net.addHost("cp-1", "zone-a"), ...];
 *   const disks = new Disks(sim);
 *   const etcd = new EtcdCluster(sim, { network: net, disks, members: [{ name: "etcd-1", host: h[0] }, ...] });
 *   const c = etcd.addClient(h[0], { onEtcdResponse(tag, kind, outcome, latencyUs) { ... } });
 *   etcd.put(c, 0, 42);                 // write via member 0; answer arrives with tag 42
 *   etcd.get(c, 0, 43, true);           // linearizable read (ReadIndex + heartbeat round)
 *   etcd.observe({ onLeaderElected(ch) { ... } });
 *   etcd.crash(etcd.leader()); net.partition([[h[0]], [h[1], h[2]]]); disks.setSlow(h[1], 10);
 *
 * How a member is modelled (etcd-io/raft + etcd's raftNode loop):
 *  - raft state changes at once when a message, tick or proposal arrives; what the member
 *    sends and persists goes through a "Ready" cycle: messages wait in an outbox; when the
 *    disk is idle, a Ready starts: if new entries or a new term/vote must be persisted, one
 *    fsync covers them all. A leader sends its messages before the fsync (etcd sends in
 *    parallel with the WAL write); any other member sends them after it (votes and append
 *    acknowledgements only leave once durable). Output produced during an fsync waits for
 *    the next Ready, so a slow disk delays heartbeats, as in etcd.
 *  - MsgApps to one follower produced in one Ready are coalesced into one message of up
 *    to MaxSizePerMsg (raft would emit one per proposal; the timing is the same since the
 *    follower persists them in one fsync).
 *  - raft messages between two members are delivered in order (rafthttp streams over TCP).
 *
 * Hot state lives in typed arrays indexed by member (members.ts) or leader*n + follower
 * (progress.ts, readOnly.ts); messages and requests are pool slots; events carry numbers
 * only. This file is the façade: it builds the parts (context.ts lists them, one concept
 * per file), wires them, and holds the public API and the member lifecycle (start, crash,
 * restart).
 */
import type { Simulation } from "../engine/simulation.js";
import type { Disks } from "../infra/disk.js";
import type { Network } from "../infra/network.js";
import {
  defaultRaftConfig,
  emptyStats,
  RequestKind,
  Role,
  type EtcdClientHandler,
  type EtcdMemberSpec,
  type EtcdObserver,
  type EtcdStats,
  type LeaderLossCause,
  type RaftConfig,
  type RoleCode,
} from "./api.js";
import { ClientRequests } from "./clientRequests.js";
import { EtcdContext, type EtcdParts } from "./context.js";
import { Election } from "./election.js";
import { applyInitialState, type EtcdInitialState } from "./initialState.js";
import { LeaderHistory } from "./leaderHistory.js";
import { Members } from "./members.js";
import { ReadIndex } from "./readIndex.js";
import { ReadyCycle } from "./readyCycle.js";
import { Replication } from "./replication.js";
import { SnapshotCatchUp } from "./snapshot.js";
import { Step } from "./step.js";
import { Timers } from "./timers.js";

export type { EtcdInitialState } from "./initialState.js";

export interface EtcdClusterOptions {
  members: EtcdMemberSpec[];
  network: Network;
  disks: Disks;
  raft?: Partial<RaftConfig>;
  /** Prefix of the random stream names ("etcd" -> "etcd.election"); distinct per cluster. */
  streamPrefix?: string;
  initialState?: EtcdInitialState;
}

export class EtcdCluster {
  readonly config: RaftConfig;
  readonly stats: EtcdStats = emptyStats();
  /** Number of members (voters + learners). */
  readonly size: number;

  private readonly sim: Simulation;
  private readonly net: Network;
  private readonly ctx: EtcdContext;
  private readonly members: Members;
  private readonly timers: Timers;
  private readonly election: Election;
  private readonly ready: ReadyCycle;
  private readonly readIndex: ReadIndex;
  private readonly requests: ClientRequests;
  private readonly history: LeaderHistory;

  constructor(sim: Simulation, options: EtcdClusterOptions) {
    const members = new Members(options.members);
    this.sim = sim;
    this.net = options.network;
    this.config = defaultRaftConfig(options.raft);
    this.size = members.count;
    this.members = members;
    const config = this.config;
    if (config.electionTimeoutRangeUs !== null) {
      const [lo, hi] = config.electionTimeoutRangeUs;
      if (!(lo > 0 && hi >= lo)) throw new Error(`etcd: election timeout range [${lo}, ${hi}] µs is invalid`);
    } else if (!(config.electionTicks >= 1)) throw new Error("etcd: electionTicks must be >= 1");
    if (!(config.heartbeatIntervalUs > 0)) throw new Error("etcd: heartbeat interval must be positive");

    const ctx = new EtcdContext(sim, options.network, options.disks, config, this.stats, members);
    this.ctx = ctx;
    // Parts that handle events register their handlers as they are built, in the order the
    // single-file version registered them (ids do not order events; they just stay stable).
    const step = new Step(ctx);
    this.timers = new Timers(ctx, options.streamPrefix ?? "etcd");
    this.ready = new ReadyCycle(ctx);
    this.requests = new ClientRequests(ctx);
    this.readIndex = new ReadIndex(ctx);
    this.election = new Election(ctx);
    this.history = new LeaderHistory(ctx);
    const parts: EtcdParts = {
      step,
      timers: this.timers,
      election: this.election,
      ready: this.ready,
      replication: new Replication(ctx),
      snapshot: new SnapshotCatchUp(ctx),
      readIndex: this.readIndex,
      requests: this.requests,
      history: this.history,
    };
    step.wire(parts);
    parts.timers.wire(parts);
    parts.election.wire(parts);
    parts.ready.wire(parts);
    parts.replication.wire(parts);
    parts.snapshot.wire(parts);
    parts.readIndex.wire(parts);
    parts.requests.wire(parts);

    if (options.initialState) applyInitialState(ctx, options.initialState);
    for (let m = 0; m < members.count; m++) this.boot(m);
  }

  // ======================================================================
  // Public API
  // ======================================================================

  memberName(member: number): string {
    return this.members.names[member];
  }
  memberHost(member: number): number {
    return this.members.host[member];
  }
  memberIndex(name: string): number {
    const i = this.members.names.indexOf(name);
    if (i < 0) throw new Error(`etcd: unknown member "${name}"`);
    return i;
  }
  isLearner(member: number): boolean {
    return this.members.learner[member] === 1;
  }
  /** Voting members' quorum: floor(voters/2)+1. */
  quorum(): number {
    return this.members.quorum;
  }

  /** Register a client (an API server's etcd client) on a host; returns its client id. */
  addClient(host: number, handler: EtcdClientHandler): number {
    return this.requests.addClient(host, handler);
  }

  /**
   * Write through `member` (forwarded to the leader if it is a follower). Returns a request id.
   * `requireLeader`: fail at once with NO_LEADER if the member has no leader on arrival
   * (clientv3 WithRequireLeader); otherwise the write waits for a leader up to the timeout.
   */
  put(client: number, member: number, tag: number, requireLeader = false): number {
    return this.requests.request(RequestKind.PUT, client, member, tag, requireLeader);
  }

  /** Read through `member`: linearizable (ReadIndex) or serializable (local). Returns a request id. */
  get(client: number, member: number, tag: number, linearizable: boolean, requireLeader = false): number {
    const kind = linearizable ? RequestKind.GET_LINEARIZABLE : RequestKind.GET_SERIALIZABLE;
    return this.requests.request(kind, client, member, tag, requireLeader);
  }

  role(member: number): RoleCode {
    return this.members.role[member] as RoleCode;
  }
  term(member: number): number {
    return this.members.term[member];
  }
  isUp(member: number): boolean {
    return this.members.role[member] !== Role.DOWN;
  }
  /** The leader the cluster follows now: the live leader with the highest term, or -1. */
  leader(): number {
    return this.history.clusterLeader;
  }
  /** Whom `member` believes is leader (-1 when none). */
  leaderOf(member: number): number {
    return this.members.leader[member];
  }
  commitIndex(member: number): number {
    return this.members.commitIndex[member];
  }
  appliedIndex(member: number): number {
    return this.members.appliedIndex[member];
  }
  lastIndex(member: number): number {
    return this.members.logs[member].last;
  }
  /** Durable (fsynced) last index of a member. */
  stableIndex(member: number): number {
    return this.members.stableIndex[member];
  }
  /** Term of entry `index` in `member`'s log (-1 if absent or compacted). */
  entryTerm(member: number, index: number): number {
    return this.members.logs[member].term(index);
  }
  /** Highest index committed anywhere (from the safety checker; 0 when checks are off). */
  clusterCommitIndex(): number {
    return this.ctx.safety ? this.ctx.safety.committed : 0;
  }
  /** Entries a member holds in memory (after compaction). */
  heldEntries(member: number): number {
    return this.members.logs[member].held;
  }
  /** Client requests not yet answered. */
  requestsInFlight(): number {
    return this.ctx.requests.inFlight;
  }

  /** Crash a member's process: volatile state and unsynced log entries are lost. */
  crash(member: number, cause: LeaderLossCause = "crash"): void {
    const m = member;
    const members = this.members;
    if (members.role[m] === Role.DOWN) return;
    if (this.history.clusterLeader === m) this.history.loseClusterLeader(m, cause, this.sim.now);
    members.role[m] = Role.DOWN;
    members.incarnation[m]++;
    this.timers.cancelAll(m);
    this.ready.discard(m);
    // Back to what is durable: HardState and the fsynced log. Unsynced entries were never
    // acknowledged, so losing them is safe; the commit index is volatile knowledge.
    members.logs[m].truncateFrom(members.stableIndex[m] + 1);
    members.term[m] = members.persistedTerm[m];
    members.votedFor[m] = members.persistedVote[m];
    members.commitIndex[m] = Math.min(members.persistedCommit[m], members.stableIndex[m]);
    if (members.commitIndex[m] < members.snapshotIndex[m]) members.commitIndex[m] = members.snapshotIndex[m];
    members.appliedIndex[m] = Math.min(members.appliedIndex[m], members.commitIndex[m]);
    members.leader[m] = -1;
    members.proposalsAwaitingLeader[m].length = 0;
    this.readIndex.clear(m);
    // The client connections break: everything waiting on this member fails.
    this.requests.failRequestsAt(m);
    this.history.notifyRole(m);
  }

  /** Restart a crashed member from its durable state (term, vote, fsynced log). */
  restart(member: number): void {
    const m = member;
    if (this.members.role[m] !== Role.DOWN) return;
    this.members.role[m] = Role.FOLLOWER;
    this.members.leader[m] = -1;
    this.boot(m);
    this.history.notifyRole(m);
  }

  /** Crash the current leader; returns its index or -1 if there is none. */
  killLeader(): number {
    const l = this.history.clusterLeader;
    if (l >= 0) this.crash(l, "crash");
    return l;
  }

  /** Partition members (by their hosts) into groups that cannot talk to each other. */
  partitionMembers(groups: readonly (readonly number[])[]): void {
    this.net.partition(groups.map((g) => g.map((m) => this.members.host[m])));
  }

  observe(observer: EtcdObserver): void {
    this.history.observe(observer);
  }

  /** Stop the cluster: every pending event becomes a no-op. */
  stop(): void {
    this.ctx.stopped = true;
  }

  /** Start a member (at creation and on restart): its clocks, and leadership if the initial state gave it. */
  private boot(m: number): void {
    const members = this.members;
    members.votesGrantedMask[m] = members.votesRejectedMask[m] = 0;
    this.timers.start(m);
    if (members.leader[m] === m && members.role[m] !== Role.DOWN) this.election.leadFromInitialState(m);
  }
}
