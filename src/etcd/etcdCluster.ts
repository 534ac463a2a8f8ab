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
 * Hot state lives in typed arrays indexed by member (or leader*n + follower); messages
 * and requests are pool slots; events carry numbers only.
 */
import type { RandomStream } from "../engine/random.js";
import type { Simulation } from "../engine/simulation.js";
import type { Disks } from "../infra/disk.js";
import type { Network } from "../infra/network.js";
import {
  defaultRaftConfig,
  emptyStats,
  Outcome,
  RequestKind,
  Role,
  type EtcdClientHandler,
  type EtcdMemberSpec,
  type EtcdObserver,
  type EtcdStats,
  type LeaderChange,
  type LeaderLossCause,
  type OutcomeCode,
  type RaftConfig,
  type RequestKindCode,
  type RoleCode,
} from "./api.js";
import { ETCD_MAX_LEARNERS, quorumSize } from "./defaults.js";
import { Msg, MessagePool } from "./messages.js";
import { PROBE, ProgressTracker, REPLICATE, SNAPSHOT } from "./progress.js";
import { popcount, ReadOnlyTracker, RO_NONE, RO_WAITING_FOR_COMMIT } from "./readOnly.js";
import { RaftLog } from "./raftLog.js";
import { RequestTable } from "./requests.js";
import { SafetyChecker } from "./safety.js";


/**
 * A start state for experiments and tests: every member at `term`, member i holding
 * `logLengths[i]` entries of that term (durable), and `leader` (if given) already leader
 * of that term; followers know it and have just heard from it. `logTerms` replaces
 * `logLengths` with explicit entry terms per member (e.g. the Raft paper's Figure 8);
 * `commit` overrides the commit index (default: the longest prefix a quorum holds).
 */
export interface EtcdInitialState {
  term: number;
  logLengths?: number[];
  logTerms?: number[][];
  commit?: number;
  leader?: number;
}

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
  private readonly disks: Disks;
  private readonly names: string[];
  private readonly hostOf: Int32Array;
  private readonly learner: Uint8Array;
  private readonly voters: number;
  private readonly q: number;
  private readonly maxEntries: number;
  private readonly continuous: boolean;
  private readonly electionRng: RandomStream;
  private readonly phaseRng: RandomStream;
  private readonly safety: SafetyChecker | null;
  private readonly msgs = new MessagePool();
  private readonly reqs = new RequestTable();
  private readonly logs: RaftLog[] = [];
  private observers: EtcdObserver[] = [];
  private stopped = false;

  // --- per member ---
  private readonly roleA: Uint8Array;
  private readonly termA: Float64Array;
  private readonly voteA: Int32Array;
  private readonly leadA: Int32Array;
  private readonly commitA: Float64Array;
  private readonly appliedA: Float64Array;
  private readonly stableA: Float64Array;
  private readonly pTerm: Float64Array; // durable HardState
  private readonly pVote: Int32Array;
  private readonly pCommit: Float64Array;
  private readonly incarnation: Float64Array;
  private readonly electionElapsed: Int32Array;
  private readonly randomizedTimeout: Int32Array;
  private readonly heartbeatElapsed: Int32Array;
  private readonly electionResetUs: Float64Array;
  private readonly electionTimer: Float64Array; // continuous mode handles
  private readonly heartbeatTimer: Float64Array;
  private readonly quorumTimer: Float64Array;
  /** When the member itself last became leader (etcd `leadElectedTime`, set in updateLeadership). */
  private readonly leadElectedUs: Float64Array;
  private readonly snapIdx: Float64Array;
  private readonly snapTerm: Float64Array;
  private readonly votesGranted: Int32Array; // bitmasks
  private readonly votesRejected: Int32Array;
  // disk / Ready cycle
  private readonly diskBusy: Uint8Array;
  private readonly syncIndex: Float64Array;
  private readonly syncTerm: Float64Array;
  private readonly syncVote: Int32Array;
  private readonly syncCommit: Float64Array;
  private readonly dirtySnap: Uint8Array;
  private readonly outHead: Int32Array;
  private readonly outTail: Int32Array;
  private readonly readyHead: Int32Array;
  private readonly readyTail: Int32Array;
  // client-facing
  private readonly pendingProps: number[][] = [];
  private readonly readWaiting: number[][] = [];
  private readonly readRound: number[][] = [];
  private readonly readCtx: Float64Array;
  private readonly readResult: Float64Array;
  private readonly readRetry: Float64Array;
  private ctxCounter = 0;

  // --- per (leader, follower): index l*n + f ---
  private readonly pr: ProgressTracker;
  private readonly linkLastUs: Float64Array;
  // leader read-only (ReadIndex) state per (leader, origin member)
  private readonly ro: ReadOnlyTracker;
  private readonly scratch: Float64Array;

  // --- clients ---
  private readonly clientHost: number[] = [];
  private readonly clientHandler: EtcdClientHandler[] = [];

  // --- the cluster's leader, for elections.csv ---
  private clusterLeader = -1;
  private clusterLeaderTerm = 0;
  private lastLeader = -1;
  private leaderLostUs: number;
  private leaderLossCause: LeaderLossCause | "initial" = "initial";

  // --- handler ids ---
  private readonly hDeliver: number;
  private readonly hTick: number;
  private readonly hElection: number;
  private readonly hHeartbeat: number;
  private readonly hCheckQuorum: number;
  private readonly hFsync: number;
  private readonly hArrive: number;
  private readonly hAnswer: number;
  private readonly hTimeout: number;
  private readonly hReadRetry: number;

  constructor(sim: Simulation, options: EtcdClusterOptions) {
    const n = options.members.length;
    if (n < 1) throw new Error("etcd: a cluster needs at least one member");
    if (n > 31) throw new Error("etcd: at most 31 members are modelled (vote bitmasks)");
    this.sim = sim;
    this.net = options.network;
    this.disks = options.disks;
    this.config = defaultRaftConfig(options.raft);
    this.size = n;
    this.names = options.members.map((m) => m.name);
    if (new Set(this.names).size !== n) throw new Error("etcd: member names must be unique");
    this.hostOf = Int32Array.from(options.members.map((m) => m.host));
    this.learner = Uint8Array.from(options.members.map((m) => (m.learner ? 1 : 0)));
    const learners = this.learner.reduce((a, b) => a + b, 0);
    if (learners > ETCD_MAX_LEARNERS) throw new Error(`etcd: ${learners} learners, etcd allows ${ETCD_MAX_LEARNERS} (--max-learners)`);
    this.voters = n - learners;
    if (this.voters < 1) throw new Error("etcd: a cluster needs at least one voting member");
    this.q = quorumSize(this.voters);
    this.maxEntries = Math.max(1, Math.floor(this.config.maxSizePerMsgBytes / this.config.entryBytes));
    this.continuous = this.config.electionTimeoutRangeUs !== null;
    if (this.continuous) {
      const [lo, hi] = this.config.electionTimeoutRangeUs!;
      if (!(lo > 0 && hi >= lo)) throw new Error(`etcd: election timeout range [${lo}, ${hi}] µs is invalid`);
    } else if (!(this.config.electionTicks >= 1)) throw new Error("etcd: electionTicks must be >= 1");
    if (!(this.config.heartbeatIntervalUs > 0)) throw new Error("etcd: heartbeat interval must be positive");
    const prefix = options.streamPrefix ?? "etcd";
    this.electionRng = sim.rng.stream(`${prefix}.election`);
    this.phaseRng = sim.rng.stream(`${prefix}.tick-phase`);
    this.safety = this.config.checkSafety ? new SafetyChecker(this.names) : null;

    this.roleA = new Uint8Array(n);
    this.termA = new Float64Array(n);
    this.voteA = new Int32Array(n).fill(-1);
    this.leadA = new Int32Array(n).fill(-1);
    this.commitA = new Float64Array(n);
    this.appliedA = new Float64Array(n);
    this.stableA = new Float64Array(n);
    this.pTerm = new Float64Array(n);
    this.pVote = new Int32Array(n).fill(-1);
    this.pCommit = new Float64Array(n);
    this.incarnation = new Float64Array(n);
    this.electionElapsed = new Int32Array(n);
    this.randomizedTimeout = new Int32Array(n);
    this.heartbeatElapsed = new Int32Array(n);
    this.electionResetUs = new Float64Array(n);
    this.electionTimer = new Float64Array(n).fill(-1);
    this.heartbeatTimer = new Float64Array(n).fill(-1);
    this.quorumTimer = new Float64Array(n).fill(-1);
    this.leadElectedUs = new Float64Array(n).fill(-Infinity);
    this.snapIdx = new Float64Array(n);
    this.snapTerm = new Float64Array(n);
    this.votesGranted = new Int32Array(n);
    this.votesRejected = new Int32Array(n);
    this.diskBusy = new Uint8Array(n);
    this.syncIndex = new Float64Array(n);
    this.syncTerm = new Float64Array(n);
    this.syncVote = new Int32Array(n);
    this.syncCommit = new Float64Array(n);
    this.dirtySnap = new Uint8Array(n);
    this.outHead = new Int32Array(n).fill(-1);
    this.outTail = new Int32Array(n).fill(-1);
    this.readyHead = new Int32Array(n).fill(-1);
    this.readyTail = new Int32Array(n).fill(-1);
    this.readCtx = new Float64Array(n);
    this.readResult = new Float64Array(n).fill(-1);
    this.readRetry = new Float64Array(n).fill(-1);
    const nn = n * n;
    this.pr = new ProgressTracker(n, this.config.maxInflightMsgs);
    this.linkLastUs = new Float64Array(nn);
    this.ro = new ReadOnlyTracker(n);
    this.scratch = new Float64Array(n);
    for (let m = 0; m < n; m++) {
      this.logs.push(new RaftLog());
      this.pendingProps.push([]);
      this.readWaiting.push([]);
      this.readRound.push([]);
    }
    this.leaderLostUs = sim.now;

    this.hDeliver = sim.on("etcd.deliver", (s) => this.deliver(s));
    this.hTick = sim.on("etcd.tick", (m, inc) => this.onTick(m, inc));
    this.hElection = sim.on("etcd.electionTimeout", (m, inc) => this.onElectionTimeout(m, inc));
    this.hHeartbeat = sim.on("etcd.heartbeat", (m, inc) => this.onHeartbeatTimer(m, inc));
    this.hCheckQuorum = sim.on("etcd.checkQuorum", (m, inc) => this.onCheckQuorumTimer(m, inc));
    this.hFsync = sim.on("etcd.fsyncDone", (m, inc) => this.onFsyncDone(m, inc));
    this.hArrive = sim.on("etcd.requestArrives", (id) => this.onRequestArrives(id));
    this.hAnswer = sim.on("etcd.answerArrives", (id, outcome) => this.onAnswerArrives(id, outcome));
    this.hTimeout = sim.on("etcd.requestTimeout", (id) => this.onRequestTimeout(id));
    this.hReadRetry = sim.on("etcd.readIndexRetry", (m, inc) => this.onReadRetry(m, inc));

    if (options.initialState) this.applyInitialState(options.initialState);
    for (let m = 0; m < n; m++) this.boot(m);
  }

  // ======================================================================
  // Public API
  // ======================================================================

  memberName(member: number): string {
    return this.names[member];
  }
  memberHost(member: number): number {
    return this.hostOf[member];
  }
  memberIndex(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`etcd: unknown member "${name}"`);
    return i;
  }
  isLearner(member: number): boolean {
    return this.learner[member] === 1;
  }
  /** Voting members' quorum: floor(voters/2)+1. */
  quorum(): number {
    return this.q;
  }

  /** Register a client (an API server's etcd client) on a host; returns its client id. */
  addClient(host: number, handler: EtcdClientHandler): number {
    this.clientHost.push(host);
    this.clientHandler.push(handler);
    return this.clientHost.length - 1;
  }

  /**
   * Write through `member` (forwarded to the leader if it is a follower). Returns a request id.
   * `requireLeader`: fail at once with NO_LEADER if the member has no leader on arrival
   * (clientv3 WithRequireLeader); otherwise the write waits for a leader up to the timeout.
   */
  put(client: number, member: number, tag: number, requireLeader = false): number {
    return this.request(RequestKind.PUT, client, member, tag, requireLeader);
  }

  /** Read through `member`: linearizable (ReadIndex) or serializable (local). Returns a request id. */
  get(client: number, member: number, tag: number, linearizable: boolean, requireLeader = false): number {
    return this.request(linearizable ? RequestKind.GET_LINEARIZABLE : RequestKind.GET_SERIALIZABLE, client, member, tag, requireLeader);
  }

  role(member: number): RoleCode {
    return this.roleA[member] as RoleCode;
  }
  term(member: number): number {
    return this.termA[member];
  }
  isUp(member: number): boolean {
    return this.roleA[member] !== Role.DOWN;
  }
  /** The leader the cluster follows now: the live leader with the highest term, or -1. */
  leader(): number {
    return this.clusterLeader;
  }
  /** Whom `member` believes is leader (-1 when none). */
  leaderOf(member: number): number {
    return this.leadA[member];
  }
  commitIndex(member: number): number {
    return this.commitA[member];
  }
  appliedIndex(member: number): number {
    return this.appliedA[member];
  }
  lastIndex(member: number): number {
    return this.logs[member].last;
  }
  /** Durable (fsynced) last index of a member. */
  stableIndex(member: number): number {
    return this.stableA[member];
  }
  /** Term of entry `index` in `member`'s log (-1 if absent or compacted). */
  entryTerm(member: number, index: number): number {
    return this.logs[member].term(index);
  }
  /** Highest index committed anywhere (from the safety checker; 0 when checks are off). */
  clusterCommitIndex(): number {
    return this.safety ? this.safety.committed : 0;
  }
  /** Entries a member holds in memory (after compaction). */
  heldEntries(member: number): number {
    return this.logs[member].held;
  }
  /** Client requests not yet answered. */
  requestsInFlight(): number {
    return this.reqs.inFlight;
  }

  /** Crash a member's process: volatile state and unsynced log entries are lost. */
  crash(member: number, cause: LeaderLossCause = "crash"): void {
    const m = member;
    if (this.roleA[m] === Role.DOWN) return;
    if (this.clusterLeader === m) this.loseClusterLeader(m, cause, this.sim.now);
    this.roleA[m] = Role.DOWN;
    this.incarnation[m]++;
    this.cancelTimers(m);
    this.diskBusy[m] = 0;
    this.dropList(this.outHead[m]);
    this.outHead[m] = this.outTail[m] = -1;
    this.dropList(this.readyHead[m]);
    this.readyHead[m] = this.readyTail[m] = -1;
    // Back to what is durable: HardState and the fsynced log. Unsynced entries were never
    // acknowledged, so losing them is safe; the commit index is volatile knowledge.
    const log = this.logs[m];
    log.truncateFrom(this.stableA[m] + 1);
    this.termA[m] = this.pTerm[m];
    this.voteA[m] = this.pVote[m];
    this.commitA[m] = Math.min(this.pCommit[m], this.stableA[m]);
    if (this.commitA[m] < this.snapIdx[m]) this.commitA[m] = this.snapIdx[m];
    this.appliedA[m] = Math.min(this.appliedA[m], this.commitA[m]);
    this.leadA[m] = -1;
    this.pendingProps[m].length = 0;
    this.readWaiting[m].length = 0;
    this.readRound[m].length = 0;
    this.readCtx[m] = 0;
    this.readResult[m] = -1;
    // The client connections break: everything waiting on this member fails.
    const r = this.reqs;
    for (let s = 0; s < r.slotsUsed; s++) {
      if (r.live[s] === 1 && r.member[s] === m && r.answered[s] === 0) this.answer(s, Outcome.UNAVAILABLE);
    }
    this.notifyRole(m);
  }

  /** Restart a crashed member from its durable state (term, vote, fsynced log). */
  restart(member: number): void {
    const m = member;
    if (this.roleA[m] !== Role.DOWN) return;
    this.roleA[m] = Role.FOLLOWER;
    this.leadA[m] = -1;
    this.boot(m);
    this.notifyRole(m);
  }

  /** Crash the current leader; returns its index or -1 if there is none. */
  killLeader(): number {
    const l = this.clusterLeader;
    if (l >= 0) this.crash(l, "crash");
    return l;
  }

  /** Partition members (by their hosts) into groups that cannot talk to each other. */
  partitionMembers(groups: readonly (readonly number[])[]): void {
    this.net.partition(groups.map((g) => g.map((m) => this.hostOf[m])));
  }

  observe(observer: EtcdObserver): void {
    this.observers.push(observer);
  }

  /** Stop the cluster: every pending event becomes a no-op. */
  stop(): void {
    this.stopped = true;
  }

  // ======================================================================
  // Set-up
  // ======================================================================

  private applyInitialState(st: EtcdInitialState): void {
    const terms = st.logTerms ?? st.logLengths?.map((len) => new Array<number>(len).fill(st.term));
    if (!terms || terms.length !== this.size) throw new Error("etcd: initialState needs one log (logLengths or logTerms) per member");
    const lengths = terms.map((t) => t.length);
    const sorted = lengths.filter((_, m) => this.learner[m] === 0).sort((a, b) => b - a);
    const committed = st.commit ?? sorted[this.q - 1];
    for (let m = 0; m < this.size; m++) {
      const log = this.logs[m];
      for (const t of terms[m]) {
        if (t > st.term) throw new Error(`etcd: initialState entry term ${t} above the cluster term ${st.term}`);
        log.append(t, 0);
      }
      this.termA[m] = this.pTerm[m] = st.term;
      this.stableA[m] = lengths[m];
      this.commitA[m] = this.pCommit[m] = Math.min(committed, lengths[m]);
      this.appliedA[m] = this.commitA[m];
      if (st.leader !== undefined) {
        this.voteA[m] = this.pVote[m] = st.leader;
        this.leadA[m] = st.leader;
      }
    }
    if (this.safety && committed > 0) {
      const ref = st.leader ?? lengths.indexOf(Math.max(...lengths));
      this.safety.onCommit(this.sim.now, ref, 0, committed, this.logs[ref]);
    }
  }

  /** Start a member's timers (at creation and on restart). */
  private boot(m: number): void {
    this.electionElapsed[m] = 0;
    this.heartbeatElapsed[m] = 0;
    this.votesGranted[m] = this.votesRejected[m] = 0;
    const inc = this.incarnation[m];
    if (this.continuous) {
      this.resetElectionTimer(m);
    } else {
      this.resetRandomizedTimeout(m);
      // Each etcd process starts its ticker at its own moment.
      this.sim.schedule(this.phaseRng.next() * this.config.heartbeatIntervalUs, this.hTick, m, inc);
      if (this.config.initialElectionTickAdvance && this.leadA[m] < 0) this.advanceTicksAtStart(m);
    }
    this.electionResetUs[m] = this.sim.now;
    if (this.leadA[m] === m && this.roleA[m] !== Role.DOWN) this.becomeLeaderFromInitialState(m);
  }

  /**
   * etcd `adjustTicks` (--initial-election-tick-advance, default true), at every start: a
   * single-voter cluster fast-forwards electionTicks-1 ticks; otherwise, once more than one
   * peer is connected, electionTicks-2 ticks, so the first election comes 2..11 ticks after
   * start instead of 10..19. Simplification: peers are checked once, at start (etcd polls
   * every 50 ms for up to 5 s); with fewer than two reachable peers nothing is advanced.
   */
  private advanceTicksAtStart(m: number): void {
    const t = this.config.electionTicks;
    if (this.voters === 1) {
      this.electionElapsed[m] = t - 1;
      return;
    }
    let active = 0;
    const h = this.hostOf[m];
    for (let p = 0; p < this.size; p++) {
      if (p === m || this.roleA[p] === Role.DOWN) continue;
      const hp = this.hostOf[p];
      if (this.net.canReach(h, hp) && this.net.canReach(hp, h)) active++;
    }
    if (active > 1) this.electionElapsed[m] = Math.max(0, t - 2);
  }

  private becomeLeaderFromInitialState(m: number): void {
    this.leadA[m] = -1;
    this.roleA[m] = Role.CANDIDATE;
    this.becomeLeader(m, false);
    // The synchronized heartbeat of the Raft paper's experiment.
    this.bcastHeartbeat(m, 0);
    this.ready(m);
  }

  // ======================================================================
  // Timers: ticks (etcd) or continuous timeouts (Raft paper)
  // ======================================================================

  private resetRandomizedTimeout(m: number): void {
    // etcd-io/raft: electionTimeout + rand(electionTimeout) -> [T, 2T-1] ticks.
    const t = this.config.electionTicks;
    this.randomizedTimeout[m] = t + this.electionRng.int(t);
  }

  /** raft `reset`/electionElapsed = 0: restart the election timeout. */
  private resetElectionTimer(m: number): void {
    this.electionElapsed[m] = 0;
    this.electionResetUs[m] = this.sim.now;
    if (this.continuous) {
      if (this.electionTimer[m] >= 0) this.sim.cancel(this.electionTimer[m]);
      const [lo, hi] = this.config.electionTimeoutRangeUs!;
      const d = lo === hi ? lo : this.electionRng.uniform(lo, hi);
      this.electionTimer[m] = this.sim.timer(d, this.hElection, m, this.incarnation[m]);
    }
  }

  /** With check-quorum, a member that heard from a leader within the minimum election timeout ignores votes. */
  private inLease(m: number): boolean {
    if (!this.config.checkQuorum || this.leadA[m] < 0) return false;
    if (this.continuous) return this.sim.now - this.electionResetUs[m] < this.config.electionTimeoutRangeUs![0];
    return this.electionElapsed[m] < this.config.electionTicks;
  }

  private cancelTimers(m: number): void {
    if (this.electionTimer[m] >= 0) this.sim.cancel(this.electionTimer[m]);
    if (this.heartbeatTimer[m] >= 0) this.sim.cancel(this.heartbeatTimer[m]);
    if (this.quorumTimer[m] >= 0) this.sim.cancel(this.quorumTimer[m]);
    if (this.readRetry[m] >= 0) this.sim.cancel(this.readRetry[m]);
    this.electionTimer[m] = this.heartbeatTimer[m] = this.quorumTimer[m] = this.readRetry[m] = -1;
  }

  private onTick(m: number, inc: number): void {
    if (this.stopped || inc !== this.incarnation[m] || this.roleA[m] === Role.DOWN) return;
    this.sim.schedule(this.config.heartbeatIntervalUs, this.hTick, m, inc);
    if (this.roleA[m] === Role.LEADER) {
      // tickHeartbeat
      this.heartbeatElapsed[m]++;
      this.electionElapsed[m]++;
      if (this.electionElapsed[m] >= this.config.electionTicks) {
        this.electionElapsed[m] = 0;
        if (this.config.checkQuorum && !this.checkQuorum(m)) {
          this.ready(m);
          return;
        }
      }
      if (this.heartbeatElapsed[m] >= 1) {
        this.heartbeatElapsed[m] = 0;
        this.bcastHeartbeat(m, this.ro.leaderCtx[m]);
      }
    } else {
      // tickElection
      this.electionElapsed[m]++;
      if (this.learner[m] === 0 && this.electionElapsed[m] >= this.randomizedTimeout[m]) {
        this.electionElapsed[m] = 0;
        this.campaign(m, this.config.preVote);
      }
    }
    this.ready(m);
  }

  private onElectionTimeout(m: number, inc: number): void {
    if (this.stopped || inc !== this.incarnation[m] || this.roleA[m] === Role.DOWN) return;
    this.electionTimer[m] = -1;
    if (this.roleA[m] === Role.LEADER || this.learner[m] === 1) return;
    this.campaign(m, this.config.preVote);
    // A pre-candidate (or a candidate with a split vote) times out again.
    if (this.electionTimer[m] < 0 && this.roleA[m] !== Role.LEADER) this.resetElectionTimer(m);
    this.ready(m);
  }

  private onHeartbeatTimer(m: number, inc: number): void {
    if (this.stopped || inc !== this.incarnation[m] || this.roleA[m] !== Role.LEADER) return;
    this.heartbeatTimer[m] = this.sim.timer(this.config.heartbeatIntervalUs, this.hHeartbeat, m, inc);
    this.bcastHeartbeat(m, this.ro.leaderCtx[m]);
    this.ready(m);
  }

  private onCheckQuorumTimer(m: number, inc: number): void {
    if (this.stopped || inc !== this.incarnation[m] || this.roleA[m] !== Role.LEADER) return;
    this.quorumTimer[m] = this.sim.timer(this.config.electionTimeoutRangeUs![0], this.hCheckQuorum, m, inc);
    this.electionResetUs[m] = this.sim.now;
    this.checkQuorum(m);
    this.ready(m);
  }

  /** MsgCheckQuorum: step down unless a quorum was active since the last check. Returns false if it stepped down. */
  private checkQuorum(l: number): boolean {
    const n = this.size;
    let active = 0;
    for (let f = 0; f < n; f++) {
      if (this.learner[f] === 1) continue;
      if (f === l || this.pr.recentActive[l * n + f] === 1) active++;
    }
    for (let f = 0; f < n; f++) if (f !== l) this.pr.recentActive[l * n + f] = 0;
    if (active < this.q) {
      this.becomeFollower(l, this.termA[l], -1, "check_quorum");
      return false;
    }
    return true;
  }

  // ======================================================================
  // Roles
  // ======================================================================

  private becomeFollower(m: number, term: number, lead: number, cause: LeaderLossCause): void {
    const wasLeader = this.roleA[m] === Role.LEADER;
    const prevRole = this.roleA[m];
    if (term !== this.termA[m]) {
      this.termA[m] = term;
      this.voteA[m] = -1;
    }
    this.roleA[m] = Role.FOLLOWER;
    this.votesGranted[m] = this.votesRejected[m] = 0;
    if (this.config.resetTimerOnTermChange || wasLeader || (this.continuous && this.electionTimer[m] < 0)) {
      if (!this.continuous) this.resetRandomizedTimeout(m);
      this.resetElectionTimer(m);
    }
    if (wasLeader) {
      if (this.heartbeatTimer[m] >= 0) this.sim.cancel(this.heartbeatTimer[m]);
      if (this.quorumTimer[m] >= 0) this.sim.cancel(this.quorumTimer[m]);
      this.heartbeatTimer[m] = this.quorumTimer[m] = -1;
      this.ro.reset(m);
      if (this.clusterLeader === m) this.loseClusterLeader(m, cause, this.quorumContactUs(m));
    }
    this.setLead(m, lead);
    if (prevRole !== Role.FOLLOWER) this.notifyRole(m);
  }

  private setLead(m: number, lead: number): void {
    if (this.leadA[m] === lead) return;
    this.leadA[m] = lead;
    if (lead >= 0) {
      // Proposals that waited for a leader go now (etcd's raft node reads propc again).
      const props = this.pendingProps[m];
      if (props.length > 0) {
        for (let i = 0; i < props.length; i++) this.propose(m, props[i]);
        props.length = 0;
      }
      if (this.readCtx[m] !== 0 && this.readResult[m] < 0) this.sendReadIndex(m);
    }
  }

  private campaign(m: number, pre: boolean): void {
    const n = this.size;
    let voteTerm: number;
    let type: number;
    if (pre) {
      // becomePreCandidate: no term change, no vote change.
      const prev = this.roleA[m];
      this.roleA[m] = Role.PRE_CANDIDATE;
      this.setLead(m, -1);
      voteTerm = this.termA[m] + 1;
      type = Msg.PRE_VOTE;
      this.stats.preVoteCampaigns++;
      if (prev !== Role.PRE_CANDIDATE) this.notifyRole(m);
    } else {
      this.termA[m]++;
      this.voteA[m] = m;
      this.roleA[m] = Role.CANDIDATE;
      if (!this.continuous) this.resetRandomizedTimeout(m);
      this.resetElectionTimer(m);
      this.setLead(m, -1);
      voteTerm = this.termA[m];
      type = Msg.VOTE;
      this.stats.elections++;
      this.notifyRole(m);
    }
    this.votesGranted[m] = 1 << m;
    this.votesRejected[m] = 0;
    if (this.poll(m)) return;
    const log = this.logs[m];
    for (let f = 0; f < n; f++) {
      if (f === m || this.learner[f] === 1) continue;
      const s = this.msgs.alloc(type, m, f, voteTerm);
      this.msgs.index[s] = log.last;
      this.msgs.logTerm[s] = log.lastTerm();
      this.emit(s);
    }
  }

  /** Count votes; act on a win or a loss. Returns true when the campaign ended. */
  private poll(m: number): boolean {
    const granted = popcount(this.votesGranted[m]);
    const rejected = popcount(this.votesRejected[m]);
    if (granted >= this.q) {
      if (this.roleA[m] === Role.PRE_CANDIDATE) this.campaign(m, false);
      else this.becomeLeader(m, true);
      return true;
    }
    if (rejected >= this.voters - this.q + 1) {
      this.becomeFollower(m, this.termA[m], -1, "higher_term");
      return true;
    }
    return false;
  }

  private becomeLeader(m: number, appendEmpty: boolean): void {
    const now = this.sim.now;
    this.roleA[m] = Role.LEADER;
    this.leadElectedUs[m] = now;
    this.votesGranted[m] = this.votesRejected[m] = 0;
    this.electionElapsed[m] = 0;
    this.heartbeatElapsed[m] = 0;
    this.electionResetUs[m] = now;
    if (this.electionTimer[m] >= 0) this.sim.cancel(this.electionTimer[m]);
    this.electionTimer[m] = -1;
    const log = this.logs[m];
    this.pr.resetForLeader(m, log.last, this.stableA[m], now);
    this.ro.reset(m);
    this.safety?.onLeaderElected(now, m, this.termA[m], log);
    // A new leader commits an entry of its own term before earlier entries count (Raft §5.4.2).
    if (appendEmpty) log.append(this.termA[m], 0);
    if (this.continuous) {
      const inc = this.incarnation[m];
      this.heartbeatTimer[m] = this.sim.timer(this.config.heartbeatIntervalUs, this.hHeartbeat, m, inc);
      if (this.config.checkQuorum) {
        this.quorumTimer[m] = this.sim.timer(this.config.electionTimeoutRangeUs![0], this.hCheckQuorum, m, inc);
      }
    }
    this.setLead(m, m);
    this.notifyRole(m);
    this.trackNewLeader(m);
    if (this.voters === 1) this.maybeCommit(m);
  }

  // ======================================================================
  // The Ready cycle: outbox, fsync, apply
  // ======================================================================

  /** Queue a message in the sender's outbox. */
  private emit(s: number): void {
    const m = this.msgs.from[s];
    if (this.outTail[m] < 0) this.outHead[m] = s;
    else this.msgs.next[this.outTail[m]] = s;
    this.outTail[m] = s;
  }

  private ready(m: number): void {
    if (this.diskBusy[m] === 1 || this.roleA[m] === Role.DOWN) return;
    // Apply first: finishing a read round may start the next one, whose messages go out now.
    this.apply(m);
    const isLeader = this.roleA[m] === Role.LEADER;
    if (isLeader) this.generateAppends(m);
    const log = this.logs[m];
    const needSync =
      log.last > this.stableA[m] || this.termA[m] !== this.pTerm[m] || this.voteA[m] !== this.pVote[m] || this.dirtySnap[m] === 1;
    if (!needSync) {
      this.flushList(this.outHead[m]);
      this.outHead[m] = this.outTail[m] = -1;
      return;
    }
    if (isLeader) {
      this.flushList(this.outHead[m]);
    } else {
      this.readyHead[m] = this.outHead[m];
      this.readyTail[m] = this.outTail[m];
    }
    this.outHead[m] = this.outTail[m] = -1;
    this.syncIndex[m] = log.last;
    this.syncTerm[m] = this.termA[m];
    this.syncVote[m] = this.voteA[m];
    this.syncCommit[m] = this.commitA[m];
    this.dirtySnap[m] = 0;
    this.diskBusy[m] = 1;
    this.stats.fsyncs++;
    this.sim.schedule(this.disks.fsyncUs(this.hostOf[m]), this.hFsync, m, this.incarnation[m]);
  }

  private onFsyncDone(m: number, inc: number): void {
    if (this.stopped || inc !== this.incarnation[m] || this.roleA[m] === Role.DOWN) return;
    this.diskBusy[m] = 0;
    this.stableA[m] = Math.min(this.syncIndex[m], this.logs[m].last);
    this.pTerm[m] = this.syncTerm[m];
    this.pVote[m] = this.syncVote[m];
    this.pCommit[m] = this.syncCommit[m];
    this.flushList(this.readyHead[m]);
    this.readyHead[m] = this.readyTail[m] = -1;
    if (this.roleA[m] === Role.LEADER) {
      const i = m * this.size + m;
      if (this.stableA[m] > this.pr.match[i]) {
        this.pr.match[i] = this.stableA[m];
        this.maybeCommit(m);
      }
    }
    this.ready(m);
  }

  /** Apply committed, durable entries; answer the writes this member received. */
  private apply(m: number): void {
    const upto = Math.min(this.commitA[m], this.stableA[m]);
    let a = this.appliedA[m];
    if (upto <= a) return;
    const log = this.logs[m];
    const r = this.reqs;
    for (let i = a + 1; i <= upto; i++) {
      const p = log.payload(i);
      if (p > 0) {
        const s = r.slotOf(p);
        if (s >= 0 && r.member[s] === m && r.answered[s] === 0) this.answer(s, Outcome.OK);
      }
    }
    a = upto;
    this.appliedA[m] = a;
    if (this.readCtx[m] !== 0 && this.readResult[m] >= 0 && a >= this.readResult[m]) this.finishReadRound(m);
    // etcd snapshots every snapshot-count applied entries and keeps SnapshotCatchUpEntries.
    if (a - this.snapIdx[m] >= this.config.snapshotCount) {
      this.snapIdx[m] = a;
      this.snapTerm[m] = log.term(a);
      log.compactTo(a - this.config.snapshotCatchUpEntries);
    }
  }

  private flushList(head: number): void {
    const p = this.msgs;
    let s = head;
    while (s >= 0) {
      const nx = p.next[s];
      this.transmit(s);
      s = nx;
    }
  }

  private dropList(head: number): void {
    const p = this.msgs;
    let s = head;
    while (s >= 0) {
      const nx = p.next[s];
      p.release(s);
      s = nx;
    }
  }

  /** Put a message on the wire: per-link FIFO delivery after the network's delay. */
  private transmit(s: number): void {
    const p = this.msgs;
    const from = p.from[s];
    const to = p.to[s];
    this.stats.messagesSent++;
    const d = this.net.delayUs(this.hostOf[from], this.hostOf[to]);
    if (d < 0) {
      this.stats.messagesDropped++;
      if (p.type[s] === Msg.SNAP) this.snapshotFailed(from, to);
      p.release(s);
      return;
    }
    let t = this.sim.now + d;
    if (p.type[s] === Msg.SNAP) t += this.config.snapshotTransferUs;
    const link = from * this.size + to;
    if (t < this.linkLastUs[link]) t = this.linkLastUs[link];
    this.linkLastUs[link] = t;
    this.sim.scheduleAt(t, this.hDeliver, s);
  }

  // ======================================================================
  // Receiving a message (raft Step)
  // ======================================================================

  private deliver(s: number): void {
    const p = this.msgs;
    const to = p.to[s];
    if (this.stopped || this.roleA[to] === Role.DOWN) {
      if (!this.stopped && p.type[s] === Msg.SNAP) this.snapshotFailed(p.from[s], to);
      this.stats.messagesDropped++;
      p.release(s);
      return;
    }
    this.step(to, s);
    p.release(s);
    this.ready(to);
  }

  private step(m: number, s: number): void {
    const p = this.msgs;
    const type = p.type[s];
    const from = p.from[s];
    const term = p.term[s];
    const myTerm = this.termA[m];
    if (term > myTerm) {
      if (type === Msg.VOTE || type === Msg.PRE_VOTE) {
        // The vote lease: a member that recently heard from its leader ignores campaigns.
        if (this.inLease(m)) return;
      }
      if (type === Msg.PRE_VOTE || (type === Msg.PRE_VOTE_RESP && p.reject[s] === 0)) {
        // A pre-vote never changes terms (until the pre-candidate wins).
      } else if (type === Msg.APP || type === Msg.HEARTBEAT || type === Msg.SNAP) {
        this.becomeFollower(m, term, from, "higher_term");
      } else {
        this.becomeFollower(m, term, -1, "higher_term");
      }
    } else if (term < myTerm) {
      if ((this.config.checkQuorum || this.config.preVote) && (type === Msg.APP || type === Msg.HEARTBEAT)) {
        // Tell a stale leader about the newer term so it steps down.
        this.emit(p.alloc(Msg.APP_RESP, m, from, myTerm));
      } else if (type === Msg.PRE_VOTE) {
        const r = p.alloc(Msg.PRE_VOTE_RESP, m, from, myTerm);
        p.reject[r] = 1;
        this.emit(r);
      }
      return;
    }

    switch (type) {
      case Msg.VOTE:
      case Msg.PRE_VOTE:
        this.handleVote(m, s);
        return;
      case Msg.PROP:
        if (this.roleA[m] === Role.LEADER) this.appendEntry(m, p.ctx[s]);
        else if (this.leadA[m] >= 0) this.forward(m, p.ctx[s]);
        // else: raft drops a proposal when there is no leader (ErrProposalDropped).
        return;
      case Msg.READ_INDEX:
        if (this.roleA[m] === Role.LEADER) this.handleReadIndex(m, from, p.ctx[s]);
        return;
      case Msg.READ_INDEX_RESP:
        this.readIndexAnswered(m, p.ctx[s], p.index[s]);
        return;
    }

    const role = this.roleA[m];
    if (role === Role.LEADER) {
      if (type === Msg.APP_RESP) this.handleAppendResponse(m, s);
      else if (type === Msg.HEARTBEAT_RESP) this.handleHeartbeatResponse(m, s);
      return;
    }
    if (role === Role.CANDIDATE || role === Role.PRE_CANDIDATE) {
      if (type === Msg.APP || type === Msg.HEARTBEAT || type === Msg.SNAP) {
        // A leader of this term exists: follow it, then handle the message as a follower.
        this.becomeFollower(m, term, from, "higher_term");
      } else {
        const mine = role === Role.PRE_CANDIDATE ? Msg.PRE_VOTE_RESP : Msg.VOTE_RESP;
        if (type === mine) {
          if (p.reject[s] === 1) this.votesRejected[m] |= 1 << from;
          else this.votesGranted[m] |= 1 << from;
          this.poll(m);
        }
        return;
      }
    }
    // follower
    if (type === Msg.APP || type === Msg.HEARTBEAT || type === Msg.SNAP) {
      this.resetElectionTimer(m);
      this.setLead(m, from);
      if (type === Msg.APP) this.handleAppend(m, s);
      else if (type === Msg.HEARTBEAT) this.handleHeartbeat(m, s);
      else this.handleSnapshot(m, s);
    }
  }

  private handleVote(m: number, s: number): void {
    const p = this.msgs;
    const from = p.from[s];
    const pre = p.type[s] === Msg.PRE_VOTE;
    const canVote =
      this.voteA[m] === from || (this.voteA[m] === -1 && this.leadA[m] === -1) || (pre && p.term[s] > this.termA[m]);
    const log = this.logs[m];
    const respType = pre ? Msg.PRE_VOTE_RESP : Msg.VOTE_RESP;
    if (canVote && log.isUpToDate(p.index[s], p.logTerm[s])) {
      this.emit(p.alloc(respType, m, from, p.term[s]));
      if (!pre) {
        this.resetElectionTimer(m);
        this.voteA[m] = from;
      }
    } else {
      const r = p.alloc(respType, m, from, this.termA[m]);
      p.reject[r] = 1;
      this.emit(r);
    }
  }

  // ======================================================================
  // Log replication
  // ======================================================================

  private propose(m: number, reqId: number): void {
    if (this.roleA[m] === Role.LEADER) this.appendEntry(m, reqId);
    else if (this.leadA[m] >= 0) this.forward(m, reqId);
    else this.pendingProps[m].push(reqId);
  }

  private forward(m: number, reqId: number): void {
    const s = this.msgs.alloc(Msg.PROP, m, this.leadA[m], this.termA[m]);
    this.msgs.ctx[s] = reqId;
    this.emit(s);
  }

  private appendEntry(l: number, payload: number): void {
    this.logs[l].append(this.termA[l], payload);
    this.stats.proposals++;
    const n = this.size;
    for (let f = 0; f < n; f++) if (f !== l) this.pr.needAppend[l * n + f] = 1;
  }

  private generateAppends(l: number): void {
    const n = this.size;
    const last = this.logs[l].last;
    for (let f = 0; f < n; f++) {
      const i = l * n + f;
      if (f === l || this.pr.needAppend[i] === 0) continue;
      this.pr.needAppend[i] = 0;
      if (this.sendAppend(l, f, true)) {
        while (this.pr.state[i] === REPLICATE && this.pr.next[i] <= last && this.sendAppend(l, f, false)) {}
      }
    }
  }

  /** raft maybeSendAppend. Returns true when a message was produced. */
  private sendAppend(l: number, f: number, sendIfEmpty: boolean): boolean {
    const i = l * this.size + f;
    const state = this.pr.state[i];
    if (state === SNAPSHOT) return false;
    if (state === PROBE && this.pr.paused[i] === 1) return false;
    if (state === REPLICATE && this.pr.inflightFull(i)) return false;
    const log = this.logs[l];
    const prev = this.pr.next[i] - 1;
    const prevTerm = log.term(prev);
    if (prevTerm < 0) return this.sendSnapshot(l, f);
    let count = log.last - prev;
    if (count > this.maxEntries) count = this.maxEntries;
    if (count === 0 && !sendIfEmpty) return false;
    const p = this.msgs;
    const s = p.alloc(Msg.APP, l, f, this.termA[l]);
    p.index[s] = prev;
    p.logTerm[s] = prevTerm;
    p.count[s] = count;
    p.commit[s] = this.commitA[l];
    p.epoch[s] = log.epoch;
    this.emit(s);
    if (state === REPLICATE) {
      if (count > 0) {
        const last = prev + count;
        this.pr.next[i] = last + 1;
        this.pr.addInflight(i, last);
      }
    } else {
      this.pr.paused[i] = 1;
    }
    return true;
  }

  private sendSnapshot(l: number, f: number): boolean {
    const i = l * this.size + f;
    const p = this.msgs;
    const s = p.alloc(Msg.SNAP, l, f, this.termA[l]);
    p.index[s] = this.snapIdx[l];
    p.logTerm[s] = this.snapTerm[l];
    this.pr.becomeSnapshot(i, this.snapIdx[l]);
    this.stats.snapshotsSent++;
    this.emit(s);
    return true;
  }

  /** The transport could not deliver a snapshot (raft ReportSnapshot failure): probe again. */
  private snapshotFailed(l: number, f: number): void {
    const i = l * this.size + f;
    if (this.roleA[l] !== Role.LEADER || this.pr.state[i] !== SNAPSHOT) return;
    this.pr.becomeProbe(i);
    this.pr.paused[i] = 1;
  }

  private handleAppend(m: number, s: number): void {
    const p = this.msgs;
    const from = p.from[s];
    const prev = p.index[s];
    const log = this.logs[m];
    if (prev < this.commitA[m]) {
      const r = p.alloc(Msg.APP_RESP, m, from, this.termA[m]);
      p.index[r] = this.commitA[m];
      this.emit(r);
      return;
    }
    if (log.term(prev) === p.logTerm[s]) {
      const count = p.count[s];
      const src = this.logs[from];
      if (count > 0 && (src.epoch !== p.epoch[s] || prev + count > src.last || prev + 1 <= src.offset)) {
        // The sender's log changed under this in-flight message: treat it as lost.
        this.stats.messagesDropped++;
        return;
      }
      for (let k = 1; k <= count; k++) {
        const idx = prev + k;
        const t = src.term(idx);
        if (idx <= log.last) {
          if (log.term(idx) === t) continue;
          this.truncate(m, idx);
        }
        log.append(t, src.payload(idx));
      }
      const lastNew = prev + count;
      this.commitTo(m, Math.min(p.commit[s], lastNew));
      const r = p.alloc(Msg.APP_RESP, m, from, this.termA[m]);
      p.index[r] = lastNew;
      this.emit(r);
    } else {
      let hintIndex = Math.min(prev, log.last);
      hintIndex = log.findConflictByTerm(hintIndex, p.logTerm[s]);
      const r = p.alloc(Msg.APP_RESP, m, from, this.termA[m]);
      p.index[r] = prev;
      p.reject[r] = 1;
      p.hint[r] = hintIndex;
      p.logTerm[r] = log.term(hintIndex);
      this.emit(r);
    }
  }

  private truncate(m: number, idx: number): void {
    this.safety?.onTruncate(this.sim.now, m, idx, this.commitA[m]);
    this.logs[m].truncateFrom(idx);
    if (this.stableA[m] >= idx) this.stableA[m] = idx - 1;
    if (this.syncIndex[m] >= idx) this.syncIndex[m] = idx - 1;
  }

  private commitTo(m: number, c: number): void {
    const log = this.logs[m];
    if (c > log.last) c = log.last;
    if (c <= this.commitA[m]) return;
    this.safety?.onCommit(this.sim.now, m, this.commitA[m], c, log);
    this.commitA[m] = c;
  }

  private handleHeartbeat(m: number, s: number): void {
    const p = this.msgs;
    this.commitTo(m, p.commit[s]);
    const r = p.alloc(Msg.HEARTBEAT_RESP, m, p.from[s], this.termA[m]);
    p.ctx[r] = p.ctx[s];
    this.emit(r);
  }

  private handleSnapshot(m: number, s: number): void {
    const p = this.msgs;
    const idx = p.index[s];
    const t = p.logTerm[s];
    const log = this.logs[m];
    if (idx > this.commitA[m]) {
      if (log.term(idx) === t) {
        // Already holds the snapshot's last entry: just fast-forward the commit index.
        this.commitTo(m, idx);
      } else {
        // Entries above the commit index are replaced by the snapshot (never committed ones).
        log.restore(idx, t);
        this.commitA[m] = idx;
        this.appliedA[m] = idx;
        this.stableA[m] = idx;
        this.syncIndex[m] = idx;
        this.snapIdx[m] = idx;
        this.snapTerm[m] = t;
        this.dirtySnap[m] = 1;
      }
    }
    const r = p.alloc(Msg.APP_RESP, m, p.from[s], this.termA[m]);
    p.index[r] = this.commitA[m];
    this.emit(r);
  }

  private handleAppendResponse(l: number, s: number): void {
    const p = this.msgs;
    const n = this.size;
    const f = p.from[s];
    const i = l * n + f;
    this.pr.recentActive[i] = 1;
    this.pr.lastAckUs[i] = this.sim.now;
    if (p.reject[s] === 1) {
      const rejected = p.index[s];
      const matchHint = this.logs[l].findConflictByTerm(p.hint[s], p.logTerm[s]);
      if (this.pr.maybeDecrTo(i, rejected, matchHint)) {
        if (this.pr.state[i] === REPLICATE) this.pr.becomeProbe(i);
        this.pr.needAppend[i] = 1;
      }
      return;
    }
    const idx = p.index[s];
    if (idx > this.pr.match[i]) {
      this.pr.match[i] = idx;
      if (this.pr.next[i] < idx + 1) this.pr.next[i] = idx + 1;
      this.pr.paused[i] = 0;
      const st = this.pr.state[i];
      if (st === PROBE) this.pr.becomeReplicate(i);
      else if (st === SNAPSHOT && idx >= this.pr.pendingSnap[i]) {
        this.pr.becomeProbe(i);
        this.pr.becomeReplicate(i);
      } else if (st === REPLICATE) {
        this.pr.freeInflightTo(i, idx);
      }
      if (this.maybeCommit(l)) {
        for (let g = 0; g < n; g++) if (g !== l) this.pr.needAppend[l * n + g] = 1;
      } else if (this.pr.next[i] <= this.logs[l].last) {
        this.pr.needAppend[i] = 1;
      }
    } else if (this.pr.next[i] < idx + 1) {
      this.pr.next[i] = idx + 1;
    }
  }

  private handleHeartbeatResponse(l: number, s: number): void {
    const p = this.msgs;
    const f = p.from[s];
    const i = l * this.size + f;
    this.pr.recentActive[i] = 1;
    this.pr.lastAckUs[i] = this.sim.now;
    this.pr.paused[i] = 0;
    if (this.pr.match[i] < this.logs[l].last || this.pr.state[i] === PROBE) this.pr.needAppend[i] = 1;
    const ctx = p.ctx[s];
    if (ctx > 0 && this.learner[f] === 0) this.ackReadIndex(l, f, ctx);
  }

  /** Commit the highest index a quorum of voters has persisted, if it is of the leader's term. */
  private maybeCommit(l: number): boolean {
    const n = this.size;
    const sc = this.scratch;
    let k = 0;
    for (let f = 0; f < n; f++) {
      if (this.learner[f] === 1) continue;
      const v = this.pr.match[l * n + f];
      // insertion sort, descending
      let j = k++;
      while (j > 0 && sc[j - 1] < v) {
        sc[j] = sc[j - 1];
        j--;
      }
      sc[j] = v;
    }
    const mci = sc[this.q - 1];
    const log = this.logs[l];
    if (mci <= this.commitA[l] || log.term(mci) !== this.termA[l]) return false;
    const first = log.term(this.commitA[l]) !== this.termA[l];
    this.commitTo(l, mci);
    if (mci > this.stats.committedEntries) this.stats.committedEntries = mci;
    if (first) this.activatePendingReads(l);
    for (let o = 0; o < this.observers.length; o++) this.observers[o].onCommit?.(this.sim.now, l, mci);
    return true;
  }

  private bcastHeartbeat(l: number, ctx: number): void {
    const n = this.size;
    const p = this.msgs;
    for (let f = 0; f < n; f++) {
      if (f === l) continue;
      const i = l * n + f;
      const s = p.alloc(Msg.HEARTBEAT, l, f, this.termA[l]);
      p.commit[s] = Math.min(this.pr.match[i], this.commitA[l]);
      p.ctx[s] = ctx;
      this.emit(s);
    }
  }

  // ======================================================================
  // Linearizable reads: ReadIndex (raft ReadOnlySafe) and etcd's read loop
  // ======================================================================

  private handleReadIndex(l: number, origin: number, ctx: number): void {
    if (this.logs[l].term(this.commitA[l]) !== this.termA[l]) {
      // raft holds ReadIndex until the leader has committed an entry of its term.
      this.ro.hold(l, origin, ctx);
      return;
    }
    this.confirmRead(l, origin, ctx);
  }

  private confirmRead(l: number, origin: number, ctx: number): void {
    const index = this.commitA[l];
    if (this.q === 1) {
      this.ro.state[l * this.size + origin] = RO_NONE;
      this.readIndexReady(l, origin, ctx, index);
      return;
    }
    this.stats.readIndexRounds++;
    this.bcastHeartbeat(l, this.ro.confirm(l, origin, ctx, index));
  }

  private activatePendingReads(l: number): void {
    const n = this.size;
    for (let o = 0; o < n; o++) {
      const i = l * n + o;
      if (this.ro.state[i] === RO_WAITING_FOR_COMMIT) this.confirmRead(l, o, this.ro.ctx[i]);
    }
  }

  private ackReadIndex(l: number, f: number, ctx: number): void {
    const done = this.ro.ack(l, f, ctx, this.q);
    if (done === 0) return;
    const n = this.size;
    for (let o = 0; o < n; o++) {
      if ((done >>> o) & 1) this.readIndexReady(l, o, this.ro.ctx[l * n + o], this.ro.index[l * n + o]);
    }
  }

  private readIndexReady(l: number, origin: number, ctx: number, index: number): void {
    if (origin === l) {
      this.readIndexAnswered(l, ctx, index);
      return;
    }
    const s = this.msgs.alloc(Msg.READ_INDEX_RESP, l, origin, this.termA[l]);
    this.msgs.ctx[s] = ctx;
    this.msgs.index[s] = index;
    this.emit(s);
  }

  /** etcd's linearizableReadLoop: one ReadIndex round serves every read that was waiting. */
  private maybeStartRead(m: number): void {
    if (this.readCtx[m] !== 0 || this.readWaiting[m].length === 0) return;
    const round = this.readWaiting[m];
    this.readWaiting[m] = this.readRound[m];
    this.readRound[m] = round;
    this.readCtx[m] = ++this.ctxCounter;
    this.readResult[m] = -1;
    this.sendReadIndex(m);
    this.readRetry[m] = this.sim.timer(this.config.readIndexRetryUs, this.hReadRetry, m, this.incarnation[m]);
  }

  private sendReadIndex(m: number): void {
    if (this.roleA[m] === Role.LEADER) this.handleReadIndex(m, m, this.readCtx[m]);
    else if (this.leadA[m] >= 0) {
      const s = this.msgs.alloc(Msg.READ_INDEX, m, this.leadA[m], this.termA[m]);
      this.msgs.ctx[s] = this.readCtx[m];
      this.emit(s);
    }
  }

  private onReadRetry(m: number, inc: number): void {
    if (this.stopped || inc !== this.incarnation[m] || this.roleA[m] === Role.DOWN) return;
    this.readRetry[m] = -1;
    if (this.readCtx[m] === 0 || this.readResult[m] >= 0) return;
    // Give up the round when every read in it has timed out.
    const round = this.readRound[m];
    let live = 0;
    for (let k = 0; k < round.length; k++) if (this.reqs.slotOf(round[k]) >= 0) live++;
    if (live === 0) {
      round.length = 0;
      this.readCtx[m] = 0;
      this.maybeStartRead(m);
    } else {
      this.sendReadIndex(m);
      this.readRetry[m] = this.sim.timer(this.config.readIndexRetryUs, this.hReadRetry, m, inc);
    }
    this.ready(m);
  }

  private readIndexAnswered(m: number, ctx: number, index: number): void {
    if (ctx !== this.readCtx[m] || this.readResult[m] >= 0) return;
    this.readResult[m] = index;
    if (this.readRetry[m] >= 0) this.sim.cancel(this.readRetry[m]);
    this.readRetry[m] = -1;
    if (this.appliedA[m] >= index) this.finishReadRound(m);
  }

  private finishReadRound(m: number): void {
    const round = this.readRound[m];
    const r = this.reqs;
    for (let k = 0; k < round.length; k++) {
      const s = r.slotOf(round[k]);
      if (s >= 0 && r.answered[s] === 0) this.answer(s, Outcome.OK);
    }
    round.length = 0;
    this.readCtx[m] = 0;
    this.readResult[m] = -1;
    this.maybeStartRead(m);
  }

  // ======================================================================
  // Client requests
  // ======================================================================

  private request(kind: RequestKindCode, client: number, member: number, tag: number, requireLeader: boolean): number {
    if (!(client >= 0 && client < this.clientHost.length)) throw new RangeError(`etcd: unknown client ${client}`);
    if (!(member >= 0 && member < this.size)) throw new RangeError(`etcd: unknown member ${member}`);
    const r = this.reqs;
    const now = this.sim.now;
    const id = r.alloc(kind, client, member, tag, now);
    const s = r.slotOf(id);
    if (requireLeader) r.requireLeader[s] = 1;
    r.timer[s] = this.sim.timer(this.config.requestTimeoutUs, this.hTimeout, id);
    const d = this.net.delayUs(this.clientHost[client], this.hostOf[member]);
    if (d >= 0) this.sim.schedule(d, this.hArrive, id);
    return id;
  }

  private onRequestArrives(id: number): void {
    if (this.stopped) return;
    const r = this.reqs;
    const s = r.slotOf(id);
    if (s < 0) return;
    const m = r.member[s];
    if (this.roleA[m] === Role.DOWN) {
      this.answer(s, Outcome.UNAVAILABLE);
      return;
    }
    if (this.learner[m] === 1) {
      this.answer(s, Outcome.LEARNER_REJECTED);
      return;
    }
    if (r.requireLeader[s] === 1 && this.leadA[m] < 0) {
      this.answer(s, Outcome.NO_LEADER);
      return;
    }
    const kind = r.kind[s];
    if (kind === RequestKind.PUT) this.propose(m, id);
    else if (kind === RequestKind.GET_SERIALIZABLE) this.answer(s, Outcome.OK);
    else {
      this.readWaiting[m].push(id);
      this.maybeStartRead(m);
    }
    this.ready(m);
  }

  /** Send the answer from the member to the client over the network (lost if the link is cut). */
  private answer(s: number, outcome: OutcomeCode): void {
    const r = this.reqs;
    r.answered[s] = 1;
    const id = r.gen[s] * 2 ** 24 + s;
    const d = this.net.delayUs(this.hostOf[r.member[s]], this.clientHost[r.client[s]]);
    if (d >= 0) this.sim.schedule(d, this.hAnswer, id, outcome);
  }

  private onAnswerArrives(id: number, outcome: number): void {
    if (this.stopped) return;
    const s = this.reqs.slotOf(id);
    if (s < 0) return;
    this.complete(s, outcome as OutcomeCode);
  }

  /**
   * The request timeout. The error is the one the member would return (etcd
   * parseProposeCtxErr): "possibly due to previous leader failure" when the member itself
   * became leader within 2 election timeouts after the request started (etcd sets
   * leadElectedTime only on the member that wins), else "request timed out". Simplifications: etcd's "possibly due to connection lost" variant is
   * reported as "request timed out"; the client sees the error at start + timeout, without
   * the answer's trip back.
   */
  private onRequestTimeout(id: number): void {
    if (this.stopped) return;
    const r = this.reqs;
    const s = r.slotOf(id);
    if (s < 0) return;
    r.timer[s] = -1;
    const m = r.member[s];
    const start = r.startUs[s];
    const elected = this.leadElectedUs[m];
    const twoElections = 2 * (this.continuous ? this.config.electionTimeoutRangeUs![0] : this.config.electionTicks * this.config.heartbeatIntervalUs);
    const leaderFail = elected > start && elected - twoElections < start;
    this.complete(s, leaderFail ? Outcome.TIMEOUT_LEADER_FAIL : Outcome.TIMEOUT);
  }

  private complete(s: number, outcome: OutcomeCode): void {
    const r = this.reqs;
    if (r.timer[s] >= 0) this.sim.cancel(r.timer[s]);
    const client = r.client[s];
    const tag = r.tag[s];
    const kind = r.kind[s] as RequestKindCode;
    const latency = this.sim.now - r.startUs[s];
    r.release(s);
    if (outcome === Outcome.OK) this.stats.requestsOk++;
    else this.stats.requestsFailed++;
    this.clientHandler[client].onEtcdResponse(tag, kind, outcome, latency);
  }

  // ======================================================================
  // The cluster's leader over time (elections.csv)
  // ======================================================================

  /** Last moment leader `l` was in contact with a quorum (acks from q-1 voters besides itself). */
  private quorumContactUs(l: number): number {
    const need = this.q - 1;
    if (need === 0) return this.sim.now;
    const n = this.size;
    const sc = this.scratch;
    let k = 0;
    for (let f = 0; f < n; f++) {
      if (f === l || this.learner[f] === 1) continue;
      const v = this.pr.lastAckUs[l * n + f];
      let j = k++;
      while (j > 0 && sc[j - 1] < v) {
        sc[j] = sc[j - 1];
        j--;
      }
      sc[j] = v;
    }
    return sc[need - 1];
  }

  private loseClusterLeader(l: number, cause: LeaderLossCause, sinceUs: number): void {
    this.lastLeader = l;
    this.clusterLeader = -1;
    this.leaderLostUs = sinceUs;
    this.leaderLossCause = cause;
    for (let o = 0; o < this.observers.length; o++) this.observers[o].onLeaderLost?.(this.sim.now, l, this.termA[l], cause);
  }

  private trackNewLeader(m: number): void {
    const term = this.termA[m];
    if (this.clusterLeader >= 0) {
      if (term <= this.clusterLeaderTerm) return; // a stale leader in a minority: not the cluster's
      // The old leader is cut off and does not know yet: it stopped serving when it lost its quorum.
      this.loseClusterLeader(this.clusterLeader, "higher_term", this.quorumContactUs(this.clusterLeader));
    }
    const change: LeaderChange = {
      timeUs: this.sim.now,
      cause: this.leaderLossCause,
      oldLeader: this.lastLeader,
      newLeader: m,
      term,
      noLeaderUs: Math.max(0, this.sim.now - this.leaderLostUs),
    };
    this.clusterLeader = m;
    this.clusterLeaderTerm = term;
    this.stats.leaderChanges++;
    for (let o = 0; o < this.observers.length; o++) this.observers[o].onLeaderElected?.(change);
  }

  private notifyRole(m: number): void {
    for (let o = 0; o < this.observers.length; o++) {
      this.observers[o].onRoleChange?.(this.sim.now, m, this.roleA[m] as RoleCode, this.termA[m]);
    }
  }
}
