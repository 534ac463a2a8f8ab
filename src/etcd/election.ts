/**
 * Roles and elections (etcd-io/raft raft.go: becomeFollower, becomePreCandidate,
 * becomeCandidate, becomeLeader, campaign, poll, the MsgVote/MsgPreVote handling of Step,
 * and the MsgCheckQuorum step of stepLeader).
 *
 *  - Pre-vote (raft PreVote, etcd default since v3.5): a member first asks whether it
 *    could win at term+1 without changing its term, so a partitioned member that comes
 *    back does not depose a working leader.
 *  - Check-quorum (raft CheckQuorum, always on in etcd): a leader steps down when no
 *    quorum was active during the last election timeout.
 *  - The vote lease: with check-quorum, a member that heard from a leader within the
 *    minimum election timeout ignores vote requests of a higher term (raft `inLease`).
 *  - A vote tally is a bitmask over members (at most 31, members.ts).
 *
 * Timers are reset through timers.ts, leadership changes are reported to
 * leaderHistory.ts, and messages go to the sender's outbox (readyCycle.ts).
 */
import type { Simulation } from "../engine/simulation.js";
import { Role, type EtcdStats, type LeaderLossCause, type RaftConfig } from "./api.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { LeaderHistory } from "./leaderHistory.js";
import type { Members } from "./members.js";
import { Msg, type MessagePool } from "./messages.js";
import type { ProgressTracker } from "./progress.js";
import type { ReadIndex } from "./readIndex.js";
import { popcount, type ReadOnlyTracker } from "./readOnly.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { Replication } from "./replication.js";
import type { SafetyChecker } from "./safety.js";
import type { Timers } from "./timers.js";

export class Election {
  private readonly sim: Simulation;
  private readonly config: RaftConfig;
  private readonly stats: EtcdStats;
  private readonly st: Members;
  private readonly msgs: MessagePool;
  private readonly progress: ProgressTracker;
  private readonly readOnly: ReadOnlyTracker;
  private readonly safety: SafetyChecker | null;
  private readonly continuous: boolean;
  private timers!: Timers;
  private ready!: ReadyCycle;
  private replication!: Replication;
  private readIndex!: ReadIndex;
  private history!: LeaderHistory;

  constructor(ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.st = ctx.members;
    this.msgs = ctx.msgs;
    this.progress = ctx.progress;
    this.readOnly = ctx.readOnly;
    this.safety = ctx.safety;
    this.continuous = ctx.continuous;
  }

  wire(p: EtcdParts): void {
    this.timers = p.timers;
    this.ready = p.ready;
    this.replication = p.replication;
    this.readIndex = p.readIndex;
    this.history = p.history;
  }

  /** The vote lease: with check-quorum, a member that heard from a leader within the minimum election timeout ignores votes. */
  inLease(m: number): boolean {
    const st = this.st;
    if (!this.config.checkQuorum || st.leader[m] < 0) return false;
    if (this.continuous) return this.sim.now - st.electionResetUs[m] < this.config.electionTimeoutRangeUs![0];
    return st.electionElapsed[m] < this.config.electionTicks;
  }

  becomeFollower(m: number, term: number, lead: number, cause: LeaderLossCause): void {
    const st = this.st;
    const wasLeader = st.role[m] === Role.LEADER;
    const prevRole = st.role[m];
    if (term !== st.term[m]) {
      st.term[m] = term;
      st.votedFor[m] = -1;
    }
    st.role[m] = Role.FOLLOWER;
    st.votesGrantedMask[m] = st.votesRejectedMask[m] = 0;
    if (this.config.resetTimerOnTermChange || wasLeader || (this.continuous && st.electionTimer[m] < 0)) {
      this.timers.restartElectionTimeout(m);
    }
    if (wasLeader) {
      this.timers.stopLeaderTimers(m);
      this.readOnly.reset(m);
      const history = this.history;
      if (history.clusterLeader === m) history.loseClusterLeader(m, cause, history.quorumContactUs(m));
    }
    this.setLead(m, lead);
    if (prevRole !== Role.FOLLOWER) this.history.notifyRole(m);
  }

  setLead(m: number, lead: number): void {
    const st = this.st;
    if (st.leader[m] === lead) return;
    st.leader[m] = lead;
    if (lead >= 0) {
      // Proposals that waited for a leader go now (etcd's raft node reads propc again).
      const props = st.proposalsAwaitingLeader[m];
      if (props.length > 0) {
        for (let i = 0; i < props.length; i++) this.replication.propose(m, props[i]);
        props.length = 0;
      }
      if (st.readRoundCtx[m] !== 0 && st.readRoundIndex[m] < 0) this.readIndex.sendReadIndex(m);
    }
  }

  /** Start a pre-vote (`pre`) or a real election: raft becomePreCandidate/becomeCandidate + campaign. */
  campaign(m: number, pre: boolean): void {
    const st = this.st;
    const n = st.count;
    let voteTerm: number;
    let type: number;
    if (pre) {
      // becomePreCandidate: no term change, no vote change.
      const prev = st.role[m];
      st.role[m] = Role.PRE_CANDIDATE;
      this.setLead(m, -1);
      voteTerm = st.term[m] + 1;
      type = Msg.PRE_VOTE;
      this.stats.preVoteCampaigns++;
      if (prev !== Role.PRE_CANDIDATE) this.history.notifyRole(m);
    } else {
      st.term[m]++;
      st.votedFor[m] = m;
      st.role[m] = Role.CANDIDATE;
      this.timers.restartElectionTimeout(m);
      this.setLead(m, -1);
      voteTerm = st.term[m];
      type = Msg.VOTE;
      this.stats.elections++;
      this.history.notifyRole(m);
    }
    st.votesGrantedMask[m] = 1 << m;
    st.votesRejectedMask[m] = 0;
    if (this.poll(m)) return;
    const log = st.logs[m];
    const p = this.msgs;
    for (let f = 0; f < n; f++) {
      if (f === m || st.learner[f] === 1) continue;
      const s = p.alloc(type, m, f, voteTerm);
      p.index[s] = log.last;
      p.logTerm[s] = log.lastTerm();
      this.ready.emit(s);
    }
  }

  /** Count votes; act on a win or a loss. Returns true when the campaign ended. */
  private poll(m: number): boolean {
    const st = this.st;
    const granted = popcount(st.votesGrantedMask[m]);
    const rejected = popcount(st.votesRejectedMask[m]);
    if (granted >= st.quorum) {
      if (st.role[m] === Role.PRE_CANDIDATE) this.campaign(m, false);
      else this.becomeLeader(m, true);
      return true;
    }
    if (rejected >= st.voters - st.quorum + 1) {
      this.becomeFollower(m, st.term[m], -1, "higher_term");
      return true;
    }
    return false;
  }

  becomeLeader(m: number, appendEmpty: boolean): void {
    const st = this.st;
    const now = this.sim.now;
    st.role[m] = Role.LEADER;
    st.leadElectedUs[m] = now;
    st.votesGrantedMask[m] = st.votesRejectedMask[m] = 0;
    st.electionElapsed[m] = 0;
    st.heartbeatElapsed[m] = 0;
    st.electionResetUs[m] = now;
    this.timers.cancelElectionTimer(m);
    const log = st.logs[m];
    this.progress.resetForLeader(m, log.last, st.stableIndex[m], now);
    this.readOnly.reset(m);
    this.safety?.onLeaderElected(now, m, st.term[m], log);
    // A new leader commits an entry of its own term before earlier entries count (Raft §5.4.2).
    if (appendEmpty) log.append(st.term[m], 0);
    this.timers.startLeaderTimers(m);
    this.setLead(m, m);
    this.history.notifyRole(m);
    this.history.trackNewLeader(m);
    if (st.voters === 1) this.replication.maybeCommit(m);
  }

  /** EtcdInitialState.leader: lead from the start, with the synchronized heartbeat of the Raft paper's experiment. */
  leadFromInitialState(m: number): void {
    this.st.leader[m] = -1;
    this.st.role[m] = Role.CANDIDATE;
    this.becomeLeader(m, false);
    this.replication.bcastHeartbeat(m, 0);
    this.ready.run(m);
  }

  /** MsgVote / MsgPreVote of a term >= the member's (raft Step, the vote case). */
  handleVote(m: number, s: number): void {
    const st = this.st;
    const p = this.msgs;
    const from = p.from[s];
    const pre = p.type[s] === Msg.PRE_VOTE;
    const canVote =
      st.votedFor[m] === from || (st.votedFor[m] === -1 && st.leader[m] === -1) || (pre && p.term[s] > st.term[m]);
    const log = st.logs[m];
    const respType = pre ? Msg.PRE_VOTE_RESP : Msg.VOTE_RESP;
    if (canVote && log.isUpToDate(p.index[s], p.logTerm[s])) {
      this.ready.emit(p.alloc(respType, m, from, p.term[s]));
      if (!pre) {
        this.timers.resetElectionTimer(m);
        st.votedFor[m] = from;
      }
    } else {
      const r = p.alloc(respType, m, from, st.term[m]);
      p.reject[r] = 1;
      this.ready.emit(r);
    }
  }

  /** A (pre-)candidate counts an answer to its own campaign (raft stepCandidate). */
  handleVoteResponse(m: number, s: number): void {
    const st = this.st;
    const p = this.msgs;
    const mine = st.role[m] === Role.PRE_CANDIDATE ? Msg.PRE_VOTE_RESP : Msg.VOTE_RESP;
    if (p.type[s] !== mine) return;
    if (p.reject[s] === 1) st.votesRejectedMask[m] |= 1 << p.from[s];
    else st.votesGrantedMask[m] |= 1 << p.from[s];
    this.poll(m);
  }

  /** MsgCheckQuorum: step down unless a quorum was active since the last check. Returns false if it stepped down. */
  checkQuorum(l: number): boolean {
    const st = this.st;
    const n = st.count;
    const recentActive = this.progress.recentActive;
    let active = 0;
    for (let f = 0; f < n; f++) {
      if (st.learner[f] === 1) continue;
      if (f === l || recentActive[l * n + f] === 1) active++;
    }
    for (let f = 0; f < n; f++) if (f !== l) recentActive[l * n + f] = 0;
    if (active < st.quorum) {
      this.becomeFollower(l, st.term[l], -1, "check_quorum");
      return false;
    }
    return true;
  }
}
