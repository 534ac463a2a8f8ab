/**
 * Log replication (etcd-io/raft raft.go: appendEntry, maybeSendAppend, bcastHeartbeat,
 * handleAppendEntries, handleHeartbeat, the MsgAppResp/MsgHeartbeatResp steps of
 * stepLeader, maybeCommit; tracker/progress.go for the per-follower flow control).
 *
 *  - A proposal reaches the leader (forwarded as MsgProp by a follower; held while the
 *    member knows no leader) and is appended to its log; every follower is marked as
 *    needing an append, and the next Ready (readyCycle.ts) turns the marks into MsgApps.
 *  - MsgApps to one follower produced in one Ready are coalesced into messages of up to
 *    MaxSizePerMsg (raft would emit one per proposal; the timing is the same since the
 *    follower persists them in one fsync). In PROBE a single MsgApp is out at a time; in
 *    REPLICATE up to MaxInflightMsgs are pipelined (progress.ts).
 *  - A follower whose next entry was compacted away gets a snapshot (snapshot.ts).
 *  - A rejection carries a hint (raft findConflictByTerm) so the leader skips a whole
 *    conflicting term at once.
 *  - The leader commits the highest index a quorum of voters has persisted, only if that
 *    entry is of its own term (Raft §5.4.2).
 */
import type { Simulation } from "../engine/simulation.js";
import { Role, type EtcdStats } from "./api.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { LeaderHistory } from "./leaderHistory.js";
import type { Members } from "./members.js";
import { Msg, type MessagePool } from "./messages.js";
import { PROBE, REPLICATE, SNAPSHOT, type ProgressTracker } from "./progress.js";
import type { ReadIndex } from "./readIndex.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { SafetyChecker } from "./safety.js";
import type { SnapshotCatchUp } from "./snapshot.js";

export class Replication {
  private readonly sim: Simulation;
  private readonly stats: EtcdStats;
  private readonly st: Members;
  private readonly msgs: MessagePool;
  private readonly progress: ProgressTracker;
  private readonly safety: SafetyChecker | null;
  /** Entries per MsgApp: floor(MaxSizePerMsg / entry size), at least 1. */
  private readonly maxEntriesPerMsg: number;
  /** Voters' match indices, sorted descending (maybeCommit). */
  private readonly matchScratch: Float64Array;
  private ready!: ReadyCycle;
  private snapshot!: SnapshotCatchUp;
  private readIndex!: ReadIndex;
  private history!: LeaderHistory;

  constructor(ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.stats = ctx.stats;
    this.st = ctx.members;
    this.msgs = ctx.msgs;
    this.progress = ctx.progress;
    this.safety = ctx.safety;
    this.maxEntriesPerMsg = Math.max(1, Math.floor(ctx.config.maxSizePerMsgBytes / ctx.config.entryBytes));
    this.matchScratch = new Float64Array(this.st.count);
  }

  wire(p: EtcdParts): void {
    this.ready = p.ready;
    this.snapshot = p.snapshot;
    this.readIndex = p.readIndex;
    this.history = p.history;
  }

  /** A client write enters raft at member `m` (raft Propose). */
  propose(m: number, reqId: number): void {
    const st = this.st;
    if (st.role[m] === Role.LEADER) this.appendEntry(m, reqId);
    else if (st.leader[m] >= 0) this.forward(m, reqId);
    else st.proposalsAwaitingLeader[m].push(reqId);
  }

  /** A follower forwards a proposal to its leader (MsgProp). */
  forward(m: number, reqId: number): void {
    const s = this.msgs.alloc(Msg.PROP, m, this.st.leader[m], this.st.term[m]);
    this.msgs.ctx[s] = reqId;
    this.ready.emit(s);
  }

  appendEntry(l: number, payload: number): void {
    const st = this.st;
    st.logs[l].append(st.term[l], payload);
    this.stats.proposals++;
    const n = st.count;
    for (let f = 0; f < n; f++) if (f !== l) this.progress.needAppend[l * n + f] = 1;
  }

  /** In a leader's Ready: a MsgApp (or more, while replicating) to every follower marked as needing one. */
  generateAppends(l: number): void {
    const n = this.st.count;
    const pr = this.progress;
    const last = this.st.logs[l].last;
    for (let f = 0; f < n; f++) {
      const i = l * n + f;
      if (f === l || pr.needAppend[i] === 0) continue;
      pr.needAppend[i] = 0;
      if (this.sendAppend(l, f, true)) {
        while (pr.state[i] === REPLICATE && pr.next[i] <= last && this.sendAppend(l, f, false)) {}
      }
    }
  }

  /** raft maybeSendAppend. Returns true when a message was produced. */
  private sendAppend(l: number, f: number, sendIfEmpty: boolean): boolean {
    const st = this.st;
    const pr = this.progress;
    const i = l * st.count + f;
    const state = pr.state[i];
    if (state === SNAPSHOT) return false;
    if (state === PROBE && pr.paused[i] === 1) return false;
    if (state === REPLICATE && pr.inflightFull(i)) return false;
    const log = st.logs[l];
    const prev = pr.next[i] - 1;
    const prevTerm = log.term(prev);
    if (prevTerm < 0) return this.snapshot.sendSnapshot(l, f);
    let count = log.last - prev;
    if (count > this.maxEntriesPerMsg) count = this.maxEntriesPerMsg;
    if (count === 0 && !sendIfEmpty) return false;
    const p = this.msgs;
    const s = p.alloc(Msg.APP, l, f, st.term[l]);
    p.index[s] = prev;
    p.logTerm[s] = prevTerm;
    p.count[s] = count;
    p.commit[s] = st.commitIndex[l];
    p.epoch[s] = log.epoch;
    this.ready.emit(s);
    if (state === REPLICATE) {
      if (count > 0) {
        const last = prev + count;
        pr.next[i] = last + 1;
        pr.addInflight(i, last);
      }
    } else {
      pr.paused[i] = 1;
    }
    return true;
  }

  /** A follower receives MsgApp (raft handleAppendEntries). */
  handleAppend(m: number, s: number): void {
    const st = this.st;
    const p = this.msgs;
    const from = p.from[s];
    const prev = p.index[s];
    const log = st.logs[m];
    if (prev < st.commitIndex[m]) {
      const r = p.alloc(Msg.APP_RESP, m, from, st.term[m]);
      p.index[r] = st.commitIndex[m];
      this.ready.emit(r);
      return;
    }
    if (log.term(prev) === p.logTerm[s]) {
      const count = p.count[s];
      const src = st.logs[from];
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
      const r = p.alloc(Msg.APP_RESP, m, from, st.term[m]);
      p.index[r] = lastNew;
      this.ready.emit(r);
    } else {
      let hintIndex = Math.min(prev, log.last);
      hintIndex = log.findConflictByTerm(hintIndex, p.logTerm[s]);
      const r = p.alloc(Msg.APP_RESP, m, from, st.term[m]);
      p.index[r] = prev;
      p.reject[r] = 1;
      p.hint[r] = hintIndex;
      p.logTerm[r] = log.term(hintIndex);
      this.ready.emit(r);
    }
  }

  /** Drop a follower's conflicting entries from `idx` on (never committed ones: the safety checker watches). */
  private truncate(m: number, idx: number): void {
    const st = this.st;
    this.safety?.onTruncate(this.sim.now, m, idx, st.commitIndex[m]);
    st.logs[m].truncateFrom(idx);
    if (st.stableIndex[m] >= idx) st.stableIndex[m] = idx - 1;
    if (st.fsyncIndex[m] >= idx) st.fsyncIndex[m] = idx - 1;
  }

  commitTo(m: number, c: number): void {
    const st = this.st;
    const log = st.logs[m];
    if (c > log.last) c = log.last;
    if (c <= st.commitIndex[m]) return;
    this.safety?.onCommit(this.sim.now, m, st.commitIndex[m], c, log);
    st.commitIndex[m] = c;
  }

  handleHeartbeat(m: number, s: number): void {
    const p = this.msgs;
    this.commitTo(m, p.commit[s]);
    const r = p.alloc(Msg.HEARTBEAT_RESP, m, p.from[s], this.st.term[m]);
    p.ctx[r] = p.ctx[s];
    this.ready.emit(r);
  }

  handleAppendResponse(l: number, s: number): void {
    const p = this.msgs;
    const pr = this.progress;
    const n = this.st.count;
    const f = p.from[s];
    const i = l * n + f;
    pr.recentActive[i] = 1;
    pr.lastAckUs[i] = this.sim.now;
    if (p.reject[s] === 1) {
      const rejected = p.index[s];
      const matchHint = this.st.logs[l].findConflictByTerm(p.hint[s], p.logTerm[s]);
      if (pr.maybeDecrTo(i, rejected, matchHint)) {
        if (pr.state[i] === REPLICATE) pr.becomeProbe(i);
        pr.needAppend[i] = 1;
      }
      return;
    }
    const idx = p.index[s];
    if (idx > pr.match[i]) {
      pr.match[i] = idx;
      if (pr.next[i] < idx + 1) pr.next[i] = idx + 1;
      pr.paused[i] = 0;
      const state = pr.state[i];
      if (state === PROBE) pr.becomeReplicate(i);
      else if (state === SNAPSHOT && idx >= pr.pendingSnap[i]) {
        pr.becomeProbe(i);
        pr.becomeReplicate(i);
      } else if (state === REPLICATE) {
        pr.freeInflightTo(i, idx);
      }
      if (this.maybeCommit(l)) {
        for (let g = 0; g < n; g++) if (g !== l) pr.needAppend[l * n + g] = 1;
      } else if (pr.next[i] <= this.st.logs[l].last) {
        pr.needAppend[i] = 1;
      }
    } else if (pr.next[i] < idx + 1) {
      pr.next[i] = idx + 1;
    }
  }

  handleHeartbeatResponse(l: number, s: number): void {
    const p = this.msgs;
    const pr = this.progress;
    const f = p.from[s];
    const i = l * this.st.count + f;
    pr.recentActive[i] = 1;
    pr.lastAckUs[i] = this.sim.now;
    pr.paused[i] = 0;
    if (pr.match[i] < this.st.logs[l].last || pr.state[i] === PROBE) pr.needAppend[i] = 1;
    const ctx = p.ctx[s];
    if (ctx > 0 && this.st.learner[f] === 0) this.readIndex.ackReadIndex(l, f, ctx);
  }

  /** Commit the highest index a quorum of voters has persisted, if it is of the leader's term. */
  maybeCommit(l: number): boolean {
    const st = this.st;
    const n = st.count;
    const match = this.progress.match;
    const sc = this.matchScratch;
    let k = 0;
    for (let f = 0; f < n; f++) {
      if (st.learner[f] === 1) continue;
      const v = match[l * n + f];
      // insertion sort, descending
      let j = k++;
      while (j > 0 && sc[j - 1] < v) {
        sc[j] = sc[j - 1];
        j--;
      }
      sc[j] = v;
    }
    const mci = sc[st.quorum - 1];
    const log = st.logs[l];
    if (mci <= st.commitIndex[l] || log.term(mci) !== st.term[l]) return false;
    const first = log.term(st.commitIndex[l]) !== st.term[l];
    this.commitTo(l, mci);
    if (mci > this.stats.committedEntries) this.stats.committedEntries = mci;
    if (first) this.readIndex.activatePendingReads(l);
    this.history.notifyCommit(l, mci);
    return true;
  }

  /** MsgHeartbeat to every other member, carrying a ReadIndex context (0: none). */
  bcastHeartbeat(l: number, ctx: number): void {
    const st = this.st;
    const n = st.count;
    const p = this.msgs;
    const match = this.progress.match;
    for (let f = 0; f < n; f++) {
      if (f === l) continue;
      const s = p.alloc(Msg.HEARTBEAT, l, f, st.term[l]);
      p.commit[s] = Math.min(match[l * n + f], st.commitIndex[l]);
      p.ctx[s] = ctx;
      this.ready.emit(s);
    }
  }
}
