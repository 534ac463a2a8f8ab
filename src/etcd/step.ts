/**
 * Receiving a raft message (etcd-io/raft raft.go `Step`, then stepLeader /
 * stepCandidate / stepFollower): the term checks every message goes through first, then
 * the handler for the member's role. A delivery ends with a Ready of the receiver, as
 * etcd's raftNode loop runs one after each step.
 *
 * Term rules (raft.go Step):
 *  - a higher term makes the member a follower of that term, except for a pre-vote (and
 *    a granted pre-vote answer), which never changes terms, and except inside the vote
 *    lease, where a vote request is ignored altogether;
 *  - a lower term is ignored, but with check-quorum or pre-vote a stale leader's MsgApp or
 *    heartbeat is answered with the newer term (so it steps down), and a stale pre-vote
 *    is rejected.
 */
import { Role, type RaftConfig } from "./api.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { Election } from "./election.js";
import type { Members } from "./members.js";
import { Msg, type MessagePool } from "./messages.js";
import type { ReadIndex } from "./readIndex.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { Replication } from "./replication.js";
import type { SnapshotCatchUp } from "./snapshot.js";
import type { Timers } from "./timers.js";

export class Step {
  private declare readonly ctx: EtcdContext;
  private declare readonly config: RaftConfig;
  private declare readonly members: Members;
  private declare readonly msgs: MessagePool;
  /** Handler id of the delivery event (argument: the message slot). */
  declare readonly deliverHandlerId: number;
  private declare timers: Timers;
  private declare election: Election;
  private declare ready: ReadyCycle;
  private declare replication: Replication;
  private declare snapshot: SnapshotCatchUp;
  private declare readIndex: ReadIndex;

  constructor(ctx: EtcdContext) {
    this.ctx = ctx;
    this.config = ctx.config;
    this.members = ctx.members;
    this.msgs = ctx.msgs;
    this.deliverHandlerId = ctx.sim.on("etcd.deliver", (s) => this.deliver(s));
  }

  wire(parts: EtcdParts): void {
    this.timers = parts.timers;
    this.election = parts.election;
    this.ready = parts.ready;
    this.replication = parts.replication;
    this.snapshot = parts.snapshot;
    this.readIndex = parts.readIndex;
  }

  /** A message arrives at its receiver (a member that is down loses it). */
  private deliver(s: number): void {
    const msgs = this.msgs;
    const to = msgs.to[s];
    const stopped = this.ctx.stopped;
    if (stopped || this.members.role[to] === Role.DOWN) {
      if (!stopped && msgs.type[s] === Msg.SNAP) this.snapshot.snapshotReported(msgs.from[s], to);
      this.ctx.stats.messagesDropped++;
      msgs.release(s);
      return;
    }
    // The transport finished sending a snapshot: the sender learns it as ReportSnapshot
    // (SnapshotFinish), probes again and waits for the follower's answer; without this a
    // lost answer would leave the follower in StateSnapshot for good.
    if (msgs.type[s] === Msg.SNAP) this.snapshot.snapshotReported(msgs.from[s], to);
    this.step(to, s);
    msgs.release(s);
    this.ready.run(to);
  }

  private step(m: number, s: number): void {
    const members = this.members;
    const msgs = this.msgs;
    const type = msgs.type[s];
    const from = msgs.from[s];
    const term = msgs.term[s];
    const myTerm = members.term[m];
    if (term > myTerm) {
      if (type === Msg.VOTE || type === Msg.PRE_VOTE) {
        // The vote lease: a member that recently heard from its leader ignores campaigns.
        if (this.election.inLease(m)) return;
      }
      if (type === Msg.PRE_VOTE || (type === Msg.PRE_VOTE_RESP && msgs.reject[s] === 0)) {
        // A pre-vote never changes terms (until the pre-candidate wins).
      } else if (type === Msg.APP || type === Msg.HEARTBEAT || type === Msg.SNAP) {
        this.election.becomeFollower(m, term, from, "higher_term");
      } else {
        this.election.becomeFollower(m, term, -1, "higher_term");
      }
    } else if (term < myTerm) {
      if ((this.config.checkQuorum || this.config.preVote) && (type === Msg.APP || type === Msg.HEARTBEAT)) {
        // Tell a stale leader about the newer term so it steps down.
        this.ready.emit(msgs.alloc(Msg.APP_RESP, m, from, myTerm));
      } else if (type === Msg.PRE_VOTE) {
        const resp = msgs.alloc(Msg.PRE_VOTE_RESP, m, from, myTerm);
        msgs.reject[resp] = 1;
        this.ready.emit(resp);
      }
      return;
    }

    switch (type) {
      case Msg.VOTE:
      case Msg.PRE_VOTE:
        this.election.handleVote(m, s);
        return;
      case Msg.PROP:
        if (members.role[m] === Role.LEADER) this.replication.appendEntry(m, msgs.ctx[s]);
        else if (members.leader[m] >= 0) this.replication.forward(m, msgs.ctx[s]);
        // else: raft drops a proposal when there is no leader (ErrProposalDropped).
        return;
      case Msg.READ_INDEX:
        if (members.role[m] === Role.LEADER) this.readIndex.handleReadIndex(m, from, msgs.ctx[s]);
        return;
      case Msg.READ_INDEX_RESP:
        this.readIndex.readIndexAnswered(m, msgs.ctx[s], msgs.index[s]);
        return;
    }

    const role = members.role[m];
    if (role === Role.LEADER) {
      if (type === Msg.APP_RESP) this.replication.handleAppendResponse(m, s);
      else if (type === Msg.HEARTBEAT_RESP) this.replication.handleHeartbeatResponse(m, s);
      return;
    }
    if (role === Role.CANDIDATE || role === Role.PRE_CANDIDATE) {
      if (type === Msg.APP || type === Msg.HEARTBEAT || type === Msg.SNAP) {
        // A leader of this term exists: follow it, then handle the message as a follower.
        this.election.becomeFollower(m, term, from, "higher_term");
      } else {
        this.election.handleVoteResponse(m, s);
        return;
      }
    }
    // follower
    if (type === Msg.APP || type === Msg.HEARTBEAT || type === Msg.SNAP) {
      this.timers.resetElectionTimer(m);
      this.election.setLead(m, from);
      if (type === Msg.APP) this.replication.handleAppend(m, s);
      else if (type === Msg.HEARTBEAT) this.replication.handleHeartbeat(m, s);
      else this.snapshot.handleSnapshot(m, s);
    }
  }
}
