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
  private readonly sim: Simulation;
  private readonly config: RaftConfig;
  private readonly stats: EtcdStats;
  private readonly st: Members;
  private readonly msgs: MessagePool;
  private readonly readOnly: ReadOnlyTracker;
  private readonly requestTable: RequestTable;
  private readonly readRetryHandlerId: number;
  /** The last ReadIndex context handed out (contexts increase across the cluster). */
  private lastReadCtx = 0;
  private ready!: ReadyCycle;
  private replication!: Replication;
  private requests!: ClientRequests;

  constructor(private readonly ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.st = ctx.members;
    this.msgs = ctx.msgs;
    this.readOnly = ctx.readOnly;
    this.requestTable = ctx.requests;
    this.readRetryHandlerId = ctx.sim.on("etcd.readIndexRetry", (m, inc) => this.onReadRetry(m, inc));
  }

  wire(p: EtcdParts): void {
    this.ready = p.ready;
    this.replication = p.replication;
    this.requests = p.requests;
  }

  // --- leader side (raft) ---

  /** The leader receives a ReadIndex request from `origin` (itself included). */
  handleReadIndex(l: number, origin: number, ctx: number): void {
    const st = this.st;
    if (st.logs[l].term(st.commitIndex[l]) !== st.term[l]) {
      // raft holds ReadIndex until the leader has committed an entry of its term.
      this.readOnly.hold(l, origin, ctx);
      return;
    }
    this.confirmRead(l, origin, ctx);
  }

  private confirmRead(l: number, origin: number, ctx: number): void {
    const st = this.st;
    const index = st.commitIndex[l];
    if (st.quorum === 1) {
      this.readOnly.state[l * st.count + origin] = RO_NONE;
      this.readIndexReady(l, origin, ctx, index);
      return;
    }
    this.stats.readIndexRounds++;
    this.replication.bcastHeartbeat(l, this.readOnly.confirm(l, origin, ctx, index));
  }

  /** The leader committed its first entry of its term: confirm the requests it held. */
  activatePendingReads(l: number): void {
    const n = this.st.count;
    const ro = this.readOnly;
    for (let o = 0; o < n; o++) {
      const i = l * n + o;
      if (ro.state[i] === RO_WAITING_FOR_COMMIT) this.confirmRead(l, o, ro.ctx[i]);
    }
  }

  /** Voter `f` acknowledged a heartbeat carrying context `ctx`. */
  ackReadIndex(l: number, f: number, ctx: number): void {
    const ro = this.readOnly;
    const done = ro.ack(l, f, ctx, this.st.quorum);
    if (done === 0) return;
    const n = this.st.count;
    for (let o = 0; o < n; o++) {
      if ((done >>> o) & 1) this.readIndexReady(l, o, ro.ctx[l * n + o], ro.index[l * n + o]);
    }
  }

  private readIndexReady(l: number, origin: number, ctx: number, index: number): void {
    if (origin === l) {
      this.readIndexAnswered(l, ctx, index);
      return;
    }
    const s = this.msgs.alloc(Msg.READ_INDEX_RESP, l, origin, this.st.term[l]);
    this.msgs.ctx[s] = ctx;
    this.msgs.index[s] = index;
    this.ready.emit(s);
  }

  // --- member side (etcd's read loop) ---

  /** A linearizable read arrived at member `m`. */
  enqueue(m: number, reqId: number): void {
    this.st.readsWaiting[m].push(reqId);
    this.maybeStartRead(m);
  }

  /** etcd's linearizableReadLoop: one ReadIndex round serves every read that was waiting. */
  private maybeStartRead(m: number): void {
    const st = this.st;
    if (st.readRoundCtx[m] !== 0 || st.readsWaiting[m].length === 0) return;
    const round = st.readsWaiting[m];
    st.readsWaiting[m] = st.readsInRound[m];
    st.readsInRound[m] = round;
    st.readRoundCtx[m] = ++this.lastReadCtx;
    st.readRoundIndex[m] = -1;
    this.sendReadIndex(m);
    st.readRetryTimer[m] = this.sim.timer(this.config.readIndexRetryUs, this.readRetryHandlerId, m, st.incarnation[m]);
  }

  sendReadIndex(m: number): void {
    const st = this.st;
    if (st.role[m] === Role.LEADER) this.handleReadIndex(m, m, st.readRoundCtx[m]);
    else if (st.leader[m] >= 0) {
      const s = this.msgs.alloc(Msg.READ_INDEX, m, st.leader[m], st.term[m]);
      this.msgs.ctx[s] = st.readRoundCtx[m];
      this.ready.emit(s);
    }
  }

  private onReadRetry(m: number, inc: number): void {
    const st = this.st;
    if (this.ctx.stopped || inc !== st.incarnation[m] || st.role[m] === Role.DOWN) return;
    st.readRetryTimer[m] = -1;
    if (st.readRoundCtx[m] === 0 || st.readRoundIndex[m] >= 0) return;
    // Give up the round when every read in it has timed out.
    const round = st.readsInRound[m];
    let live = 0;
    for (let k = 0; k < round.length; k++) if (this.requestTable.slotOf(round[k]) >= 0) live++;
    if (live === 0) {
      round.length = 0;
      st.readRoundCtx[m] = 0;
      this.maybeStartRead(m);
    } else {
      this.sendReadIndex(m);
      st.readRetryTimer[m] = this.sim.timer(this.config.readIndexRetryUs, this.readRetryHandlerId, m, inc);
    }
    this.ready.run(m);
  }

  /** The leader's answer for the round with context `ctx` (stale answers are ignored). */
  readIndexAnswered(m: number, ctx: number, index: number): void {
    const st = this.st;
    if (ctx !== st.readRoundCtx[m] || st.readRoundIndex[m] >= 0) return;
    st.readRoundIndex[m] = index;
    if (st.readRetryTimer[m] >= 0) this.sim.cancel(st.readRetryTimer[m]);
    st.readRetryTimer[m] = -1;
    if (st.appliedIndex[m] >= index) this.finishReadRound(m);
  }

  /** The member applied up to the read index: answer the round's reads, start the next round. */
  finishReadRound(m: number): void {
    const st = this.st;
    const round = st.readsInRound[m];
    const r = this.requestTable;
    for (let k = 0; k < round.length; k++) {
      const s = r.slotOf(round[k]);
      if (s >= 0 && r.answered[s] === 0) this.requests.answer(s, Outcome.OK);
    }
    round.length = 0;
    st.readRoundCtx[m] = 0;
    st.readRoundIndex[m] = -1;
    this.maybeStartRead(m);
  }

  /** A crash: the read loop's state is volatile. */
  clear(m: number): void {
    const st = this.st;
    st.readsWaiting[m].length = 0;
    st.readsInRound[m].length = 0;
    st.readRoundCtx[m] = 0;
    st.readRoundIndex[m] = -1;
  }
}
