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
  private declare readonly sim: Simulation;
  private declare readonly config: RaftConfig;
  private declare readonly stats: EtcdStats;
  private declare readonly members: Members;
  private declare readonly msgs: MessagePool;
  private declare readonly progress: ProgressTracker;
  private declare readonly readOnly: ReadOnlyTracker;
  private declare readonly safety: SafetyChecker | null;
  private declare readonly continuous: boolean;
  private declare timers: Timers;
  private declare ready: ReadyCycle;
  private declare replication: Replication;
  private declare readIndex: ReadIndex;
  private declare history: LeaderHistory;

  constructor(ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.members = ctx.members;
    this.msgs = ctx.msgs;
    this.progress = ctx.progress;
    this.readOnly = ctx.readOnly;
    this.safety = ctx.safety;
    this.continuous = ctx.continuous;
  }

  wire(parts: EtcdParts): void {
    this.timers = parts.timers;
    this.ready = parts.ready;
    this.replication = parts.replication;
    this.readIndex = parts.readIndex;
    this.history = parts.history;
  }

  /** The vote lease: with check-quorum, a member that heard from a leader within the minimum election timeout ignores votes. */
  inLease(m: number): boolean {
    const members = this.members;
    if (!this.config.checkQuorum || members.leader[m] < 0) return false;
    if (this.continuous) return this.sim.now - members.electionResetUs[m] < this.config.electionTimeoutRangeUs![0];
    return members.electionElapsed[m] < this.config.electionTicks;
  }

  becomeFollower(m: number, term: number, lead: number, cause: LeaderLossCause): void {
    const members = this.members;
    const wasLeader = members.role[m] === Role.LEADER;
    const prevRole = members.role[m];
    if (term !== members.term[m]) {
      members.term[m] = term;
      members.votedFor[m] = -1;
    }
    members.role[m] = Role.FOLLOWER;
    members.votesGrantedMask[m] = members.votesRejectedMask[m] = 0;
    if (this.config.resetTimerOnTermChange || wasLeader || (this.continuous && members.electionTimer[m] < 0)) {
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
    const members = this.members;
    if (members.leader[m] === lead) return;
    members.leader[m] = lead;
    if (lead >= 0) {
      // Proposals that waited for a leader go now (etcd's raft node reads propc again).
      const waiting = members.proposalsAwaitingLeader[m];
      if (waiting.length > 0) {
        for (let i = 0; i < waiting.length; i++) this.replication.propose(m, waiting[i]);
        waiting.length = 0;
      }
      if (members.readRoundCtx[m] !== 0 && members.readRoundIndex[m] < 0) this.readIndex.sendReadIndex(m);
    }
  }

  /** Start a pre-vote (`pre`) or a real election: raft becomePreCandidate/becomeCandidate + campaign. */
  campaign(m: number, pre: boolean): void {
    const members = this.members;
    const n = members.count;
    let voteTerm: number;
    let type: number;
    if (pre) {
      // becomePreCandidate: no term change, no vote change.
      const prev = members.role[m];
      members.role[m] = Role.PRE_CANDIDATE;
      this.setLead(m, -1);
      voteTerm = members.term[m] + 1;
      type = Msg.PRE_VOTE;
      this.stats.preVoteCampaigns++;
      if (prev !== Role.PRE_CANDIDATE) this.history.notifyRole(m);
    } else {
      members.term[m]++;
      members.votedFor[m] = m;
      members.role[m] = Role.CANDIDATE;
      this.timers.restartElectionTimeout(m);
      this.setLead(m, -1);
      voteTerm = members.term[m];
      type = Msg.VOTE;
      this.stats.elections++;
      this.history.notifyRole(m);
    }
    members.votesGrantedMask[m] = 1 << m;
    members.votesRejectedMask[m] = 0;
    if (this.poll(m)) return;
    const log = members.logs[m];
    const msgs = this.msgs;
    for (let f = 0; f < n; f++) {
      if (f === m || members.learner[f] === 1) continue;
      const s = msgs.alloc(type, m, f, voteTerm);
      msgs.index[s] = log.last;
      msgs.logTerm[s] = log.lastTerm();
      this.ready.emit(s);
    }
  }

  /** Count votes; act on a win or a loss. Returns true when the campaign ended. */
  private poll(m: number): boolean {
    const members = this.members;
    const granted = popcount(members.votesGrantedMask[m]);
    const rejected = popcount(members.votesRejectedMask[m]);
    if (granted >= members.quorum) {
      if (members.role[m] === Role.PRE_CANDIDATE) this.campaign(m, false);
      else this.becomeLeader(m, true);
      return true;
    }
    if (rejected >= members.voters - members.quorum + 1) {
      this.becomeFollower(m, members.term[m], -1, "higher_term");
      return true;
    }
    return false;
  }

  becomeLeader(m: number, appendEmpty: boolean): void {
    const members = this.members;
    const now = this.sim.now;
    members.role[m] = Role.LEADER;
    members.leadElectedUs[m] = now;
    members.votesGrantedMask[m] = members.votesRejectedMask[m] = 0;
    members.electionElapsed[m] = 0;
    members.heartbeatElapsed[m] = 0;
    members.electionResetUs[m] = now;
    this.timers.cancelElectionTimer(m);
    const log = members.logs[m];
    this.progress.resetForLeader(m, log.last, members.stableIndex[m], now);
    this.readOnly.reset(m);
    this.safety?.onLeaderElected(now, m, members.term[m], log);
    // A new leader commits an entry of its own term before earlier entries count (Raft §5.4.2).
    if (appendEmpty) log.append(members.term[m], 0);
    this.timers.startLeaderTimers(m);
    this.setLead(m, m);
    this.history.notifyRole(m);
    this.history.trackNewLeader(m);
    if (members.voters === 1) this.replication.maybeCommit(m);
  }

  /** EtcdInitialState.leader: lead from the start, with the synchronized heartbeat of the Raft paper's experiment. */
  leadFromInitialState(m: number): void {
    this.members.leader[m] = -1;
    this.members.role[m] = Role.CANDIDATE;
    this.becomeLeader(m, false);
    this.replication.bcastHeartbeat(m, 0);
    this.ready.run(m);
  }

  /** MsgVote / MsgPreVote of a term >= the member's (raft Step, the vote case). */
  handleVote(m: number, s: number): void {
    const members = this.members;
    const msgs = this.msgs;
    const from = msgs.from[s];
    const pre = msgs.type[s] === Msg.PRE_VOTE;
    const canVote =
      members.votedFor[m] === from || (members.votedFor[m] === -1 && members.leader[m] === -1) || (pre && msgs.term[s] > members.term[m]);
    const log = members.logs[m];
    const respType = pre ? Msg.PRE_VOTE_RESP : Msg.VOTE_RESP;
    if (canVote && log.isUpToDate(msgs.index[s], msgs.logTerm[s])) {
      this.ready.emit(msgs.alloc(respType, m, from, msgs.term[s]));
      if (!pre) {
        this.timers.resetElectionTimer(m);
        members.votedFor[m] = from;
      }
    } else {
      const resp = msgs.alloc(respType, m, from, members.term[m]);
      msgs.reject[resp] = 1;
      this.ready.emit(resp);
    }
  }

  /** A (pre-)candidate counts an answer to its own campaign (raft stepCandidate). */
  handleVoteResponse(m: number, s: number): void {
    const members = this.members;
    const msgs = this.msgs;
    const mine = members.role[m] === Role.PRE_CANDIDATE ? Msg.PRE_VOTE_RESP : Msg.VOTE_RESP;
    if (msgs.type[s] !== mine) return;
    if (msgs.reject[s] === 1) members.votesRejectedMask[m] |= 1 << msgs.from[s];
    else members.votesGrantedMask[m] |= 1 << msgs.from[s];
    this.poll(m);
  }

  /** MsgCheckQuorum: step down unless a quorum was active since the last check. Returns false if it stepped down. */
  checkQuorum(l: number): boolean {
    const members = this.members;
    const n = members.count;
    const recentActive = this.progress.recentActive;
    let active = 0;
    for (let f = 0; f < n; f++) {
      if (members.learner[f] === 1) continue;
      if (f === l || recentActive[l * n + f] === 1) active++;
    }
    for (let f = 0; f < n; f++) if (f !== l) recentActive[l * n + f] = 0;
    if (active < members.quorum) {
      this.becomeFollower(l, members.term[l], -1, "checkQuorum");
      return false;
    }
    return true;
  }
}
