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
  private readonly sim: Simulation;
  private readonly config: RaftConfig;
  private readonly stats: EtcdStats;
  private readonly net: Network;
  private readonly disks: Disks;
  private readonly st: Members;
  private readonly msgs: MessagePool;
  private readonly requestTable: RequestTable;
  private readonly progress: ProgressTracker;
  /** Per link (from * n + to): the time the last message on it is delivered (FIFO order). */
  private readonly linkLastDeliveryUs: Float64Array;
  private readonly fsyncDoneHandlerId: number;
  private deliverHandlerId = -1;
  private replication!: Replication;
  private snapshot!: SnapshotCatchUp;
  private readIndex!: ReadIndex;
  private requests!: ClientRequests;

  constructor(private readonly ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.net = ctx.net;
    this.disks = ctx.disks;
    this.st = ctx.members;
    this.msgs = ctx.msgs;
    this.requestTable = ctx.requests;
    this.progress = ctx.progress;
    this.linkLastDeliveryUs = new Float64Array(this.st.count * this.st.count);
    this.fsyncDoneHandlerId = ctx.sim.on("etcd.fsyncDone", (m, inc) => this.onFsyncDone(m, inc));
  }

  wire(p: EtcdParts, deliverHandlerId: number): void {
    this.deliverHandlerId = deliverHandlerId;
    this.replication = p.replication;
    this.snapshot = p.snapshot;
    this.readIndex = p.readIndex;
    this.requests = p.requests;
  }

  /** Queue a message in the sender's outbox. */
  emit(s: number): void {
    const st = this.st;
    const m = this.msgs.from[s];
    if (st.outboxTail[m] < 0) st.outboxHead[m] = s;
    else this.msgs.next[st.outboxTail[m]] = s;
    st.outboxTail[m] = s;
  }

  /** Run a Ready of member `m` if its disk is idle. */
  run(m: number): void {
    const st = this.st;
    if (st.fsyncing[m] === 1 || st.role[m] === Role.DOWN) return;
    // Apply first: finishing a read round may start the next one, whose messages go out now.
    this.apply(m);
    const isLeader = st.role[m] === Role.LEADER;
    if (isLeader) this.replication.generateAppends(m);
    const log = st.logs[m];
    const needSync =
      log.last > st.stableIndex[m] ||
      st.term[m] !== st.persistedTerm[m] ||
      st.votedFor[m] !== st.persistedVote[m] ||
      st.snapshotUnsynced[m] === 1;
    if (!needSync) {
      this.flushList(st.outboxHead[m]);
      st.outboxHead[m] = st.outboxTail[m] = -1;
      return;
    }
    if (isLeader) {
      this.flushList(st.outboxHead[m]);
    } else {
      st.awaitingFsyncHead[m] = st.outboxHead[m];
      st.awaitingFsyncTail[m] = st.outboxTail[m];
    }
    st.outboxHead[m] = st.outboxTail[m] = -1;
    st.fsyncIndex[m] = log.last;
    st.fsyncTerm[m] = st.term[m];
    st.fsyncVote[m] = st.votedFor[m];
    st.fsyncCommit[m] = st.commitIndex[m];
    st.snapshotUnsynced[m] = 0;
    st.fsyncing[m] = 1;
    this.stats.fsyncs++;
    this.sim.schedule(this.disks.fsyncUs(st.host[m]), this.fsyncDoneHandlerId, m, st.incarnation[m]);
  }

  private onFsyncDone(m: number, inc: number): void {
    const st = this.st;
    if (this.ctx.stopped || inc !== st.incarnation[m] || st.role[m] === Role.DOWN) return;
    st.fsyncing[m] = 0;
    st.stableIndex[m] = Math.min(st.fsyncIndex[m], st.logs[m].last);
    st.persistedTerm[m] = st.fsyncTerm[m];
    st.persistedVote[m] = st.fsyncVote[m];
    st.persistedCommit[m] = st.fsyncCommit[m];
    this.flushList(st.awaitingFsyncHead[m]);
    st.awaitingFsyncHead[m] = st.awaitingFsyncTail[m] = -1;
    if (st.role[m] === Role.LEADER) {
      // The leader's own entries count toward the quorum once durable.
      const i = m * st.count + m;
      if (st.stableIndex[m] > this.progress.match[i]) {
        this.progress.match[i] = st.stableIndex[m];
        this.replication.maybeCommit(m);
      }
    }
    this.run(m);
  }

  /** Apply committed, durable entries; answer the writes this member received. */
  private apply(m: number): void {
    const st = this.st;
    const upto = Math.min(st.commitIndex[m], st.stableIndex[m]);
    let a = st.appliedIndex[m];
    if (upto <= a) return;
    const log = st.logs[m];
    const r = this.requestTable;
    for (let i = a + 1; i <= upto; i++) {
      const p = log.payload(i);
      if (p > 0) {
        const s = r.slotOf(p);
        if (s >= 0 && r.member[s] === m && r.answered[s] === 0) this.requests.answer(s, Outcome.OK);
      }
    }
    a = upto;
    st.appliedIndex[m] = a;
    if (st.readRoundCtx[m] !== 0 && st.readRoundIndex[m] >= 0 && a >= st.readRoundIndex[m]) this.readIndex.finishReadRound(m);
    this.snapshot.maybeCompact(m, a);
  }

  /** A crash: the disk stops and every message not yet sent is lost. */
  discard(m: number): void {
    const st = this.st;
    st.fsyncing[m] = 0;
    this.dropList(st.outboxHead[m]);
    st.outboxHead[m] = st.outboxTail[m] = -1;
    this.dropList(st.awaitingFsyncHead[m]);
    st.awaitingFsyncHead[m] = st.awaitingFsyncTail[m] = -1;
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
    const st = this.st;
    const from = p.from[s];
    const to = p.to[s];
    this.stats.messagesSent++;
    const d = this.net.delayUs(st.host[from], st.host[to]);
    if (d < 0) {
      this.stats.messagesDropped++;
      if (p.type[s] === Msg.SNAP) this.snapshot.snapshotFailed(from, to);
      p.release(s);
      return;
    }
    let t = this.sim.now + d;
    if (p.type[s] === Msg.SNAP) t += this.config.snapshotTransferUs;
    const link = from * st.count + to;
    if (t < this.linkLastDeliveryUs[link]) t = this.linkLastDeliveryUs[link];
    this.linkLastDeliveryUs[link] = t;
    this.sim.scheduleAt(t, this.deliverHandlerId, s);
  }
}
