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
  private declare readonly config: RaftConfig;
  private declare readonly stats: EtcdStats;
  private declare readonly members: Members;
  private declare readonly msgs: MessagePool;
  private declare readonly progress: ProgressTracker;
  private declare ready: ReadyCycle;
  private declare replication: Replication;

  constructor(ctx: EtcdContext) {
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.members = ctx.members;
    this.msgs = ctx.msgs;
    this.progress = ctx.progress;
  }

  wire(parts: EtcdParts): void {
    this.ready = parts.ready;
    this.replication = parts.replication;
  }

  /** After applying up to `applied`: take a snapshot every snapshot-count entries and compact the log behind it. */
  maybeCompact(m: number, applied: number): void {
    const members = this.members;
    if (applied - members.snapshotIndex[m] >= this.config.snapshotCount) {
      members.snapshotIndex[m] = applied;
      members.snapshotTerm[m] = members.logs[m].term(applied);
      members.logs[m].compactTo(applied - this.config.snapshotCatchUpEntries);
    }
  }

  /** The leader's next entry for `f` is compacted away: send the snapshot instead. Returns true (a message was produced). */
  sendSnapshot(l: number, f: number): boolean {
    const members = this.members;
    const i = l * members.count + f;
    const msgs = this.msgs;
    const s = msgs.alloc(Msg.SNAP, l, f, members.term[l]);
    msgs.index[s] = members.snapshotIndex[l];
    msgs.logTerm[s] = members.snapshotTerm[l];
    this.progress.becomeSnapshot(i, members.snapshotIndex[l]);
    this.stats.snapshotsSent++;
    this.ready.emit(s);
    return true;
  }

  /**
   * raft ReportSnapshot (MsgSnapStatus): the transport delivered the snapshot or could not.
   * Either way the leader probes again, paused until the follower answers (finish) or a
   * heartbeat response comes (failure).
   */
  snapshotReported(l: number, f: number): void {
    const pr = this.progress;
    const i = l * this.members.count + f;
    if (this.members.role[l] !== Role.LEADER || pr.state[i] !== SNAPSHOT) return;
    pr.becomeProbe(i);
    pr.paused[i] = 1;
  }

  /** A follower receives MsgSnap. */
  handleSnapshot(m: number, s: number): void {
    const members = this.members;
    const msgs = this.msgs;
    const idx = msgs.index[s];
    const t = msgs.logTerm[s];
    const log = members.logs[m];
    if (idx > members.commitIndex[m]) {
      if (log.term(idx) === t) {
        // Already holds the snapshot's last entry: just fast-forward the commit index.
        this.replication.commitTo(m, idx);
      } else {
        // Entries above the commit index are replaced by the snapshot (never committed ones).
        log.restore(idx, t);
        members.commitIndex[m] = idx;
        members.appliedIndex[m] = idx;
        members.stableIndex[m] = idx;
        members.fsyncIndex[m] = idx;
        members.snapshotIndex[m] = idx;
        members.snapshotTerm[m] = t;
        members.snapshotUnsynced[m] = 1;
      }
    }
    const resp = msgs.alloc(Msg.APP_RESP, m, msgs.from[s], members.term[m]);
    msgs.index[resp] = members.commitIndex[m];
    this.ready.emit(resp);
  }
}
