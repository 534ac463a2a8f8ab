/**
 * The Ready cycle: what a member sends, persists and applies (etcd-io/raft node.go and
 * rawnode.go `Ready`/`Advance`, driven by etcd's raftNode loop, server/etcdserver/raft.go).
 *
 * Raft state changes at once when a message, tick or proposal arrives; what the member
 * sends and persists waits in its outbox. When the disk is idle, a Ready starts:
 *  - committed, durable entries are applied first (a finished read round may start the
 *    next one, whose messages then go out in this Ready);
 *  - a leader turns pending progress into MsgApps (replication.ts);
 *  - if new entries, a new term or vote, or an installed snapshot must be persisted, ONE
 *    fsync covers them all (batched fsync). A leader sends its messages before the fsync
 *    (etcd sends in parallel with the WAL write); any other member sends them after it
 *    (votes and append acknowledgements only leave once durable). Output produced during
 *    an fsync waits for the next Ready, so a slow disk delays heartbeats, as in etcd.
 * Messages go on the wire here too: per-link FIFO delivery after the network's delay
 * (rafthttp streams over TCP keep order between two members).
 *
 * Outboxes are singly linked lists through MessagePool.next: no array per Ready.
 */
import type { Simulation } from "../engine/simulation.js";
import type { Disks } from "../infra/disk.js";
import type { Network } from "../infra/network.js";
import { Outcome, Role, type EtcdStats, type RaftConfig } from "./api.js";
import type { ClientRequests } from "./clientRequests.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { Members } from "./members.js";
import { Msg, type MessagePool } from "./messages.js";
import type { ProgressTracker } from "./progress.js";
import type { ReadIndex } from "./readIndex.js";
import type { Replication } from "./replication.js";
import type { RequestTable } from "./requests.js";
import type { SnapshotCatchUp } from "./snapshot.js";

export class ReadyCycle {
  private declare readonly ctx: EtcdContext;
  private declare readonly sim: Simulation;
  private declare readonly config: RaftConfig;
  private declare readonly stats: EtcdStats;
  private declare readonly net: Network;
  private declare readonly disks: Disks;
  private declare readonly members: Members;
  private declare readonly msgs: MessagePool;
  private declare readonly requestTable: RequestTable;
  private declare readonly progress: ProgressTracker;
  /** Per link (from * n + to): the time the last message on it is delivered (FIFO order). */
  private declare readonly linkLastDeliveryUs: Float64Array;
  private declare readonly fsyncDoneHandlerId: number;
  private deliverHandlerId = -1;
  private declare replication: Replication;
  private declare snapshot: SnapshotCatchUp;
  private declare readIndex: ReadIndex;
  private declare requests: ClientRequests;

  constructor(ctx: EtcdContext) {
    this.ctx = ctx;
    this.sim = ctx.sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.net = ctx.net;
    this.disks = ctx.disks;
    this.members = ctx.members;
    this.msgs = ctx.msgs;
    this.requestTable = ctx.requests;
    this.progress = ctx.progress;
    this.linkLastDeliveryUs = new Float64Array(this.members.count * this.members.count);
    this.fsyncDoneHandlerId = ctx.sim.on("etcd.fsyncDone", (m, inc) => this.onFsyncDone(m, inc));
  }

  wire(parts: EtcdParts): void {
    this.deliverHandlerId = parts.step.deliverHandlerId;
    this.replication = parts.replication;
    this.snapshot = parts.snapshot;
    this.readIndex = parts.readIndex;
    this.requests = parts.requests;
  }

  /** Queue a message in the sender's outbox. */
  emit(s: number): void {
    const members = this.members;
    const m = this.msgs.from[s];
    if (members.outboxTail[m] < 0) members.outboxHead[m] = s;
    else this.msgs.next[members.outboxTail[m]] = s;
    members.outboxTail[m] = s;
  }

  /** Run a Ready of member `m` if its disk is idle. */
  run(m: number): void {
    const members = this.members;
    if (members.fsyncing[m] === 1 || members.role[m] === Role.DOWN) return;
    // Apply first: finishing a read round may start the next one, whose messages go out now.
    this.apply(m);
    const isLeader = members.role[m] === Role.LEADER;
    if (isLeader) this.replication.generateAppends(m);
    const log = members.logs[m];
    const needSync =
      log.last > members.stableIndex[m] ||
      members.term[m] !== members.persistedTerm[m] ||
      members.votedFor[m] !== members.persistedVote[m] ||
      members.snapshotUnsynced[m] === 1;
    if (!needSync) {
      this.flushList(members.outboxHead[m]);
      members.outboxHead[m] = members.outboxTail[m] = -1;
      return;
    }
    if (isLeader) {
      this.flushList(members.outboxHead[m]);
    } else {
      members.awaitingFsyncHead[m] = members.outboxHead[m];
      members.awaitingFsyncTail[m] = members.outboxTail[m];
    }
    members.outboxHead[m] = members.outboxTail[m] = -1;
    members.fsyncIndex[m] = log.last;
    members.fsyncTerm[m] = members.term[m];
    members.fsyncVote[m] = members.votedFor[m];
    members.fsyncCommit[m] = members.commitIndex[m];
    members.snapshotUnsynced[m] = 0;
    members.fsyncing[m] = 1;
    this.stats.fsyncs++;
    this.sim.schedule(this.disks.fsyncUs(members.host[m]), this.fsyncDoneHandlerId, m, members.incarnation[m]);
  }

  private onFsyncDone(m: number, inc: number): void {
    const members = this.members;
    if (this.ctx.stopped || inc !== members.incarnation[m] || members.role[m] === Role.DOWN) return;
    members.fsyncing[m] = 0;
    members.stableIndex[m] = Math.min(members.fsyncIndex[m], members.logs[m].last);
    members.persistedTerm[m] = members.fsyncTerm[m];
    members.persistedVote[m] = members.fsyncVote[m];
    members.persistedCommit[m] = members.fsyncCommit[m];
    this.flushList(members.awaitingFsyncHead[m]);
    members.awaitingFsyncHead[m] = members.awaitingFsyncTail[m] = -1;
    if (members.role[m] === Role.LEADER) {
      // The leader's own entries count toward the quorum once durable.
      const i = m * members.count + m;
      if (members.stableIndex[m] > this.progress.match[i]) {
        this.progress.match[i] = members.stableIndex[m];
        this.replication.maybeCommit(m);
      }
    }
    this.run(m);
  }

  /** Apply committed, durable entries; answer the writes this member received. */
  private apply(m: number): void {
    const members = this.members;
    const upto = Math.min(members.commitIndex[m], members.stableIndex[m]);
    let a = members.appliedIndex[m];
    if (upto <= a) return;
    const log = members.logs[m];
    const reqs = this.requestTable;
    for (let i = a + 1; i <= upto; i++) {
      const payload = log.payload(i);
      if (payload > 0) {
        const s = reqs.slotOf(payload);
        if (s >= 0 && reqs.member[s] === m && reqs.answered[s] === 0) this.requests.answer(s, Outcome.OK);
      }
    }
    a = upto;
    members.appliedIndex[m] = a;
    if (members.readRoundCtx[m] !== 0 && members.readRoundIndex[m] >= 0 && a >= members.readRoundIndex[m]) {
      this.readIndex.finishReadRound(m);
    }
    this.snapshot.maybeCompact(m, a);
  }

  /** A crash: the disk stops and every message not yet sent is lost. */
  discard(m: number): void {
    const members = this.members;
    members.fsyncing[m] = 0;
    this.dropList(members.outboxHead[m]);
    members.outboxHead[m] = members.outboxTail[m] = -1;
    this.dropList(members.awaitingFsyncHead[m]);
    members.awaitingFsyncHead[m] = members.awaitingFsyncTail[m] = -1;
  }

  private flushList(head: number): void {
    const msgs = this.msgs;
    let s = head;
    while (s >= 0) {
      const next = msgs.next[s];
      this.transmit(s);
      s = next;
    }
  }

  private dropList(head: number): void {
    const msgs = this.msgs;
    let s = head;
    while (s >= 0) {
      const next = msgs.next[s];
      msgs.release(s);
      s = next;
    }
  }

  /** Put a message on the wire: per-link FIFO delivery after the network's delay. */
  private transmit(s: number): void {
    const msgs = this.msgs;
    const members = this.members;
    const from = msgs.from[s];
    const to = msgs.to[s];
    this.stats.messagesSent++;
    const d = this.net.delayUs(members.host[from], members.host[to]);
    if (d < 0) {
      this.stats.messagesDropped++;
      if (msgs.type[s] === Msg.SNAP) this.snapshot.snapshotReported(from, to);
      msgs.release(s);
      return;
    }
    let t = this.sim.now + d;
    if (msgs.type[s] === Msg.SNAP) t += this.config.snapshotTransferUs;
    const link = from * members.count + to;
    if (t < this.linkLastDeliveryUs[link]) t = this.linkLastDeliveryUs[link];
    this.linkLastDeliveryUs[link] = t;
    this.sim.scheduleAt(t, this.deliverHandlerId, s);
  }
}
