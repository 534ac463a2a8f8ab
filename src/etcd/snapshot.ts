/**
 * Catch-up through a snapshot, and the log compaction that makes it necessary
 * (etcd-io/raft raft.go maybeSendSnapshot, handleSnapshot/restore, ReportSnapshot;
 * tracker/progress.go BecomeSnapshot; etcd server.go snapshot and compaction).
 *
 *  - etcd snapshots every `--snapshot-count` applied entries and keeps
 *    SnapshotCatchUpEntries behind the snapshot, so a follower a little behind catches up
 *    through the log; one further behind needs the entries the leader compacted away.
 *  - The leader then sends MsgSnap (the transfer takes `snapshotTransferUs` on top of the
 *    network delay) and stops sending MsgApps to that follower until it acknowledges.
 *  - A snapshot lost on the way (cut link, member down) puts the follower back to PROBE
 *    (raft ReportSnapshot with SnapshotFailure).
 *  - The follower replaces its uncommitted entries by the snapshot; the snapshot is
 *    persisted with the next Ready (members.snapshotUnsynced).
 */
import { Role, type EtcdStats, type RaftConfig } from "./api.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { Members } from "./members.js";
import { Msg, type MessagePool } from "./messages.js";
import { SNAPSHOT, type ProgressTracker } from "./progress.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { Replication } from "./replication.js";

export class SnapshotCatchUp {
  private readonly config: RaftConfig;
  private readonly stats: EtcdStats;
  private readonly st: Members;
  private readonly msgs: MessagePool;
  private readonly progress: ProgressTracker;
  private ready!: ReadyCycle;
  private replication!: Replication;

  constructor(ctx: EtcdContext) {
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.st = ctx.members;
    this.msgs = ctx.msgs;
    this.progress = ctx.progress;
  }

  wire(p: EtcdParts): void {
    this.ready = p.ready;
    this.replication = p.replication;
  }

  /** After applying up to `applied`: take a snapshot every snapshot-count entries and compact the log behind it. */
  maybeCompact(m: number, applied: number): void {
    const st = this.st;
    if (applied - st.snapshotIndex[m] >= this.config.snapshotCount) {
      st.snapshotIndex[m] = applied;
      st.snapshotTerm[m] = st.logs[m].term(applied);
      st.logs[m].compactTo(applied - this.config.snapshotCatchUpEntries);
    }
  }

  /** The leader's next entry for `f` is compacted away: send the snapshot instead. Returns true (a message was produced). */
  sendSnapshot(l: number, f: number): boolean {
    const st = this.st;
    const i = l * st.count + f;
    const p = this.msgs;
    const s = p.alloc(Msg.SNAP, l, f, st.term[l]);
    p.index[s] = st.snapshotIndex[l];
    p.logTerm[s] = st.snapshotTerm[l];
    this.progress.becomeSnapshot(i, st.snapshotIndex[l]);
    this.stats.snapshotsSent++;
    this.ready.emit(s);
    return true;
  }

  /** The transport could not deliver a snapshot (raft ReportSnapshot failure): probe again. */
  snapshotFailed(l: number, f: number): void {
    const pr = this.progress;
    const i = l * this.st.count + f;
    if (this.st.role[l] !== Role.LEADER || pr.state[i] !== SNAPSHOT) return;
    pr.becomeProbe(i);
    pr.paused[i] = 1;
  }

  /** A follower receives MsgSnap. */
  handleSnapshot(m: number, s: number): void {
    const st = this.st;
    const p = this.msgs;
    const idx = p.index[s];
    const t = p.logTerm[s];
    const log = st.logs[m];
    if (idx > st.commitIndex[m]) {
      if (log.term(idx) === t) {
        // Already holds the snapshot's last entry: just fast-forward the commit index.
        this.replication.commitTo(m, idx);
      } else {
        // Entries above the commit index are replaced by the snapshot (never committed ones).
        log.restore(idx, t);
        st.commitIndex[m] = idx;
        st.appliedIndex[m] = idx;
        st.stableIndex[m] = idx;
        st.fsyncIndex[m] = idx;
        st.snapshotIndex[m] = idx;
        st.snapshotTerm[m] = t;
        st.snapshotUnsynced[m] = 1;
      }
    }
    const r = p.alloc(Msg.APP_RESP, m, p.from[s], st.term[m]);
    p.index[r] = st.commitIndex[m];
    this.ready.emit(r);
  }
}
