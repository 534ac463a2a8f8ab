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
  private declare readonly sim: Simulation;
  private declare readonly stats: EtcdStats;
  private declare readonly members: Members;
  private declare readonly msgs: MessagePool;
  private declare readonly progress: ProgressTracker;
  private declare readonly safety: SafetyChecker | null;
  /** Entries per MsgApp: floor(MaxSizePerMsg / entry size), at least 1. */
  private declare readonly maxEntriesPerMsg: number;
  /** Voters' match indices, sorted descending (maybeCommit). */
  private declare readonly matchScratch: Float64Array;
  private declare ready: ReadyCycle;
  private declare snapshot: SnapshotCatchUp;
  private declare readIndex: ReadIndex;
  private declare history: LeaderHistory;

  constructor(ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.stats = ctx.stats;
    this.members = ctx.members;
    this.msgs = ctx.msgs;
    this.progress = ctx.progress;
    this.safety = ctx.safety;
    this.maxEntriesPerMsg = Math.max(1, Math.floor(ctx.config.maxSizePerMsgBytes / ctx.config.entryBytes));
    this.matchScratch = new Float64Array(this.members.count);
  }

  wire(parts: EtcdParts): void {
    this.ready = parts.ready;
    this.snapshot = parts.snapshot;
    this.readIndex = parts.readIndex;
    this.history = parts.history;
  }

  /** A client write enters raft at member `m` (raft Propose). */
  propose(m: number, reqId: number): void {
    const members = this.members;
    if (members.role[m] === Role.LEADER) this.appendEntry(m, reqId);
    else if (members.leader[m] >= 0) this.forward(m, reqId);
    else members.proposalsAwaitingLeader[m].push(reqId);
  }

  /** A follower forwards a proposal to its leader (MsgProp). */
  forward(m: number, reqId: number): void {
    const s = this.msgs.alloc(Msg.PROP, m, this.members.leader[m], this.members.term[m]);
    this.msgs.ctx[s] = reqId;
    this.ready.emit(s);
  }

  appendEntry(l: number, payload: number): void {
    const members = this.members;
    members.logs[l].append(members.term[l], payload);
    this.stats.proposals++;
    const n = members.count;
    for (let f = 0; f < n; f++) if (f !== l) this.progress.needAppend[l * n + f] = 1;
  }

  /** In a leader's Ready: a MsgApp (or more, while replicating) to every follower marked as needing one. */
  generateAppends(l: number): void {
    const n = this.members.count;
    const pr = this.progress;
    const last = this.members.logs[l].last;
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
    const members = this.members;
    const pr = this.progress;
    const i = l * members.count + f;
    const state = pr.state[i];
    if (state === SNAPSHOT) return false;
    if (state === PROBE && pr.paused[i] === 1) return false;
    // Inflights full: paused until a heartbeat response un-pauses the flow; then one empty
    // MsgApp goes out, whose answer frees the window or sends the follower back to probing
    // (raft.go MsgHeartbeatResp: "this will still send an empty append, allowing it to
    // recover from situations in which all the messages that filled up Inflights in the
    // first place were dropped").
    const full = state === REPLICATE && pr.inflightFull(i);
    if (full && pr.paused[i] === 1) return false;
    const log = members.logs[l];
    const prev = pr.next[i] - 1;
    const prevTerm = log.term(prev);
    if (prevTerm < 0) return this.snapshot.sendSnapshot(l, f);
    let count = full ? 0 : log.last - prev;
    if (count > this.maxEntriesPerMsg) count = this.maxEntriesPerMsg;
    if (count === 0 && !sendIfEmpty) return false;
    const msgs = this.msgs;
    const s = msgs.alloc(Msg.APP, l, f, members.term[l]);
    msgs.index[s] = prev;
    msgs.logTerm[s] = prevTerm;
    msgs.count[s] = count;
    msgs.commit[s] = members.commitIndex[l];
    msgs.epoch[s] = log.epoch;
    this.ready.emit(s);
    if (state === REPLICATE) {
      if (count > 0) {
        const last = prev + count;
        pr.next[i] = last + 1;
        pr.addInflight(i, last);
      }
      pr.paused[i] = pr.inflightFull(i) ? 1 : 0; // SentEntries: MsgAppFlowPaused = Inflights.Full()
    } else {
      pr.paused[i] = 1;
    }
    return true;
  }

  /** A follower receives MsgApp (raft handleAppendEntries). */
  handleAppend(m: number, s: number): void {
    const members = this.members;
    const msgs = this.msgs;
    const from = msgs.from[s];
    const prev = msgs.index[s];
    const log = members.logs[m];
    if (prev < members.commitIndex[m]) {
      const resp = msgs.alloc(Msg.APP_RESP, m, from, members.term[m]);
      msgs.index[resp] = members.commitIndex[m];
      this.ready.emit(resp);
      return;
    }
    if (log.term(prev) === msgs.logTerm[s]) {
      const count = msgs.count[s];
      const src = members.logs[from];
      if (count > 0 && (src.epoch !== msgs.epoch[s] || prev + count > src.last || prev + 1 <= src.offset)) {
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
      this.commitTo(m, Math.min(msgs.commit[s], lastNew));
      const resp = msgs.alloc(Msg.APP_RESP, m, from, members.term[m]);
      msgs.index[resp] = lastNew;
      this.ready.emit(resp);
    } else {
      let hintIndex = Math.min(prev, log.last);
      hintIndex = log.findConflictByTerm(hintIndex, msgs.logTerm[s]);
      const resp = msgs.alloc(Msg.APP_RESP, m, from, members.term[m]);
      msgs.index[resp] = prev;
      msgs.reject[resp] = 1;
      msgs.hint[resp] = hintIndex;
      msgs.logTerm[resp] = log.term(hintIndex);
      this.ready.emit(resp);
    }
  }

  /** Drop a follower's conflicting entries from `idx` on (never committed ones: the safety checker watches). */
  private truncate(m: number, idx: number): void {
    const members = this.members;
    this.safety?.onTruncate(this.sim.now, m, idx, members.commitIndex[m]);
    members.logs[m].truncateFrom(idx);
    if (members.stableIndex[m] >= idx) members.stableIndex[m] = idx - 1;
    if (members.fsyncIndex[m] >= idx) members.fsyncIndex[m] = idx - 1;
  }

  commitTo(m: number, c: number): void {
    const members = this.members;
    const log = members.logs[m];
    if (c > log.last) c = log.last;
    if (c <= members.commitIndex[m]) return;
    this.safety?.onCommit(this.sim.now, m, members.commitIndex[m], c, log);
    members.commitIndex[m] = c;
  }

  handleHeartbeat(m: number, s: number): void {
    const msgs = this.msgs;
    this.commitTo(m, msgs.commit[s]);
    const resp = msgs.alloc(Msg.HEARTBEAT_RESP, m, msgs.from[s], this.members.term[m]);
    msgs.ctx[resp] = msgs.ctx[s];
    this.ready.emit(resp);
  }

  handleAppendResponse(l: number, s: number): void {
    const msgs = this.msgs;
    const pr = this.progress;
    const n = this.members.count;
    const f = msgs.from[s];
    const i = l * n + f;
    pr.recentActive[i] = 1;
    pr.lastAckUs[i] = this.sim.now;
    if (msgs.reject[s] === 1) {
      const rejected = msgs.index[s];
      const matchHint = this.members.logs[l].findConflictByTerm(msgs.hint[s], msgs.logTerm[s]);
      if (pr.maybeDecrTo(i, rejected, matchHint)) {
        if (pr.state[i] === REPLICATE) pr.becomeProbe(i);
        pr.needAppend[i] = 1;
      }
      return;
    }
    const idx = msgs.index[s];
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
      } else if (pr.next[i] <= this.members.logs[l].last) {
        pr.needAppend[i] = 1;
      }
    } else if (pr.next[i] < idx + 1) {
      pr.next[i] = idx + 1;
    }
  }

  handleHeartbeatResponse(l: number, s: number): void {
    const msgs = this.msgs;
    const pr = this.progress;
    const f = msgs.from[s];
    const i = l * this.members.count + f;
    pr.recentActive[i] = 1;
    pr.lastAckUs[i] = this.sim.now;
    pr.paused[i] = 0;
    if (pr.match[i] < this.members.logs[l].last || pr.state[i] === PROBE) pr.needAppend[i] = 1;
    const ctx = msgs.ctx[s];
    if (ctx > 0 && this.members.learner[f] === 0) this.readIndex.ackReadIndex(l, f, ctx);
  }

  /** Commit the highest index a quorum of voters has persisted, if it is of the leader's term. */
  maybeCommit(l: number): boolean {
    const members = this.members;
    const n = members.count;
    const match = this.progress.match;
    const sorted = this.matchScratch;
    let k = 0;
    for (let f = 0; f < n; f++) {
      if (members.learner[f] === 1) continue;
      const v = match[l * n + f];
      // insertion sort, descending
      let j = k++;
      while (j > 0 && sorted[j - 1] < v) {
        sorted[j] = sorted[j - 1];
        j--;
      }
      sorted[j] = v;
    }
    const mci = sorted[members.quorum - 1];
    const log = members.logs[l];
    if (mci <= members.commitIndex[l] || log.term(mci) !== members.term[l]) return false;
    const first = log.term(members.commitIndex[l]) !== members.term[l];
    this.commitTo(l, mci);
    if (mci > this.stats.committedEntries) this.stats.committedEntries = mci;
    if (first) this.readIndex.activatePendingReads(l);
    this.history.notifyCommit(l, mci);
    return true;
  }

  /** MsgHeartbeat to every other member, carrying a ReadIndex context (0: none). */
  bcastHeartbeat(l: number, ctx: number): void {
    const members = this.members;
    const n = members.count;
    const msgs = this.msgs;
    const match = this.progress.match;
    for (let f = 0; f < n; f++) {
      if (f === l) continue;
      const s = msgs.alloc(Msg.HEARTBEAT, l, f, members.term[l]);
      msgs.commit[s] = Math.min(match[l * n + f], members.commitIndex[l]);
      msgs.ctx[s] = ctx;
      this.ready.emit(s);
    }
  }
}
