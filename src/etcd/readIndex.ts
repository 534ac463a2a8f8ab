/**
 * Linearizable reads: raft ReadIndex with ReadOnlySafe (etcd-io/raft read_only.go and the
 * MsgReadIndex steps of raft.go) driven by etcd's linearizableReadLoop
 * (server/etcdserver/v3_server.go; read/read.go in v3.8).
 *
 *  - Member side (etcd's read loop): reads wait in `readsWaiting`; one ReadIndex round at
 *    a time serves every read that was waiting when it started. The round asks the leader
 *    (MsgReadIndex, or directly when the member leads), retries every readIndexRetryUs
 *    (500 ms) while unanswered, and completes once the member has applied up to the read
 *    index the leader returned. A round whose reads all timed out is given up.
 *  - Leader side (raft): the request records the commit index and is confirmed once a
 *    quorum acknowledged a heartbeat carrying its context (readOnly.ts). A leader that has
 *    not committed an entry of its own term yet holds the request until it has.
 * Serializable reads never come here: the member answers from its local state.
 */
import type { Simulation } from "../engine/simulation.js";
import { Outcome, Role, type EtcdStats, type RaftConfig } from "./api.js";
import type { ClientRequests } from "./clientRequests.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { Members } from "./members.js";
import { Msg, type MessagePool } from "./messages.js";
import { RO_NONE, RO_WAITING_FOR_COMMIT, type ReadOnlyTracker } from "./readOnly.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { Replication } from "./replication.js";
import type { RequestTable } from "./requests.js";

export class ReadIndex {
  private declare readonly ctx: EtcdContext;
  private declare readonly sim: Simulation;
  private declare readonly config: RaftConfig;
  private declare readonly stats: EtcdStats;
  private declare readonly members: Members;
  private declare readonly msgs: MessagePool;
  private declare readonly readOnly: ReadOnlyTracker;
  private declare readonly requestTable: RequestTable;
  private declare readonly readRetryHandlerId: number;
  /** The last ReadIndex context handed out (contexts increase across the cluster). */
  private lastReadCtx = 0;
  private declare ready: ReadyCycle;
  private declare replication: Replication;
  private declare requests: ClientRequests;

  constructor(ctx: EtcdContext) {
    this.ctx = ctx;
    this.sim = ctx.sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.members = ctx.members;
    this.msgs = ctx.msgs;
    this.readOnly = ctx.readOnly;
    this.requestTable = ctx.requests;
    this.readRetryHandlerId = ctx.sim.on("etcd.readIndexRetry", (m, inc) => this.onReadRetry(m, inc));
  }

  wire(parts: EtcdParts): void {
    this.ready = parts.ready;
    this.replication = parts.replication;
    this.requests = parts.requests;
  }

  // --- leader side (raft) ---

  /** The leader receives a ReadIndex request from `origin` (itself included). */
  handleReadIndex(l: number, origin: number, ctx: number): void {
    const members = this.members;
    if (members.logs[l].term(members.commitIndex[l]) !== members.term[l]) {
      // raft holds ReadIndex until the leader has committed an entry of its term.
      this.readOnly.hold(l, origin, ctx);
      return;
    }
    this.confirmRead(l, origin, ctx);
  }

  private confirmRead(l: number, origin: number, ctx: number): void {
    const members = this.members;
    const index = members.commitIndex[l];
    if (members.quorum === 1) {
      this.readOnly.state[l * members.count + origin] = RO_NONE;
      this.readIndexReady(l, origin, ctx, index);
      return;
    }
    this.stats.readIndexRounds++;
    this.replication.bcastHeartbeat(l, this.readOnly.confirm(l, origin, ctx, index));
  }

  /** The leader committed its first entry of its term: confirm the requests it held. */
  activatePendingReads(l: number): void {
    const n = this.members.count;
    const readOnly = this.readOnly;
    for (let o = 0; o < n; o++) {
      const i = l * n + o;
      if (readOnly.state[i] === RO_WAITING_FOR_COMMIT) this.confirmRead(l, o, readOnly.ctx[i]);
    }
  }

  /** Voter `f` acknowledged a heartbeat carrying context `ctx`. */
  ackReadIndex(l: number, f: number, ctx: number): void {
    const readOnly = this.readOnly;
    const done = readOnly.ack(l, f, ctx, this.members.quorum);
    if (done === 0) return;
    const n = this.members.count;
    for (let o = 0; o < n; o++) {
      if ((done >>> o) & 1) this.readIndexReady(l, o, readOnly.ctx[l * n + o], readOnly.index[l * n + o]);
    }
  }

  private readIndexReady(l: number, origin: number, ctx: number, index: number): void {
    if (origin === l) {
      this.readIndexAnswered(l, ctx, index);
      return;
    }
    const s = this.msgs.alloc(Msg.READ_INDEX_RESP, l, origin, this.members.term[l]);
    this.msgs.ctx[s] = ctx;
    this.msgs.index[s] = index;
    this.ready.emit(s);
  }

  // --- member side (etcd's read loop) ---

  /** A linearizable read arrived at member `m`. */
  enqueue(m: number, reqId: number): void {
    this.members.readsWaiting[m].push(reqId);
    this.maybeStartRead(m);
  }

  /** etcd's linearizableReadLoop: one ReadIndex round serves every read that was waiting. */
  private maybeStartRead(m: number): void {
    const members = this.members;
    if (members.readRoundCtx[m] !== 0 || members.readsWaiting[m].length === 0) return;
    const round = members.readsWaiting[m];
    members.readsWaiting[m] = members.readsInRound[m];
    members.readsInRound[m] = round;
    members.readRoundCtx[m] = ++this.lastReadCtx;
    members.readRoundIndex[m] = -1;
    this.sendReadIndex(m);
    members.readRetryTimer[m] = this.sim.timer(this.config.readIndexRetryUs, this.readRetryHandlerId, m, members.incarnation[m]);
  }

  sendReadIndex(m: number): void {
    const members = this.members;
    if (members.role[m] === Role.LEADER) this.handleReadIndex(m, m, members.readRoundCtx[m]);
    else if (members.leader[m] >= 0) {
      const s = this.msgs.alloc(Msg.READ_INDEX, m, members.leader[m], members.term[m]);
      this.msgs.ctx[s] = members.readRoundCtx[m];
      this.ready.emit(s);
    }
  }

  private onReadRetry(m: number, inc: number): void {
    const members = this.members;
    if (this.ctx.stopped || inc !== members.incarnation[m] || members.role[m] === Role.DOWN) return;
    members.readRetryTimer[m] = -1;
    if (members.readRoundCtx[m] === 0 || members.readRoundIndex[m] >= 0) return;
    // Give up the round when every read in it has timed out.
    const round = members.readsInRound[m];
    let live = 0;
    for (let k = 0; k < round.length; k++) if (this.requestTable.slotOf(round[k]) >= 0) live++;
    if (live === 0) {
      round.length = 0;
      members.readRoundCtx[m] = 0;
      this.maybeStartRead(m);
    } else {
      this.sendReadIndex(m);
      members.readRetryTimer[m] = this.sim.timer(this.config.readIndexRetryUs, this.readRetryHandlerId, m, inc);
    }
    this.ready.run(m);
  }

  /** The leader's answer for the round with context `ctx` (stale answers are ignored). */
  readIndexAnswered(m: number, ctx: number, index: number): void {
    const members = this.members;
    if (ctx !== members.readRoundCtx[m] || members.readRoundIndex[m] >= 0) return;
    members.readRoundIndex[m] = index;
    if (members.readRetryTimer[m] >= 0) this.sim.cancel(members.readRetryTimer[m]);
    members.readRetryTimer[m] = -1;
    if (members.appliedIndex[m] >= index) this.finishReadRound(m);
  }

  /** The member applied up to the read index: answer the round's reads, start the next round. */
  finishReadRound(m: number): void {
    const members = this.members;
    const round = members.readsInRound[m];
    const reqs = this.requestTable;
    for (let k = 0; k < round.length; k++) {
      const s = reqs.slotOf(round[k]);
      if (s >= 0 && reqs.answered[s] === 0) this.requests.answer(s, Outcome.OK);
    }
    round.length = 0;
    members.readRoundCtx[m] = 0;
    members.readRoundIndex[m] = -1;
    this.maybeStartRead(m);
  }

  /** A crash: the read loop's state is volatile. */
  clear(m: number): void {
    const members = this.members;
    members.readsWaiting[m].length = 0;
    members.readsInRound[m].length = 0;
    members.readRoundCtx[m] = 0;
    members.readRoundIndex[m] = -1;
  }
}
