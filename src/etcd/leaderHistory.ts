/**
 * The cluster's leader over time, as elections.csv reports it, and the observers that
 * hear about roles, leadership and commits (api.ts EtcdObserver).
 *
 * kubesim's own notion, not raft's: "the cluster's leader" is the live leader with the
 * highest term. A deposed leader cut off in a minority may still believe it leads; it
 * stops counting as the cluster's leader as soon as a leader of a higher term is elected,
 * and the time without a leader is then measured from the last moment it was in contact
 * with a quorum (it could not commit anything after that), not from the new election.
 */
import type { Simulation } from "../engine/simulation.js";
import type { EtcdObserver, EtcdStats, LeaderChange, LeaderLossCause, RoleCode } from "./api.js";
import type { EtcdContext } from "./context.js";
import type { Members } from "./members.js";
import type { ProgressTracker } from "./progress.js";

export class LeaderHistory {
  /** The cluster's leader now, or -1. */
  clusterLeader = -1;
  private clusterLeaderTerm = 0;
  private lastLeader = -1;
  private leaderLostUs: number;
  private leaderLossCause: LeaderLossCause | "initial" = "initial";
  private readonly observers: EtcdObserver[] = [];
  private declare readonly sim: Simulation;
  private declare readonly stats: EtcdStats;
  private declare readonly members: Members;
  private declare readonly progress: ProgressTracker;
  /** Followers' last-ack times, sorted descending (quorumContactUs). */
  private declare readonly ackScratch: Float64Array;

  constructor(ctx: EtcdContext) {
    this.sim = ctx.sim;
    this.stats = ctx.stats;
    this.members = ctx.members;
    this.progress = ctx.progress;
    this.leaderLostUs = ctx.sim.now;
    this.ackScratch = new Float64Array(this.members.count);
  }

  observe(observer: EtcdObserver): void {
    this.observers.push(observer);
  }

  /** Last moment leader `l` was in contact with a quorum (acks from q-1 voters besides itself). */
  quorumContactUs(l: number): number {
    const members = this.members;
    const need = members.quorum - 1;
    if (need === 0) return this.sim.now;
    const n = members.count;
    const lastAckUs = this.progress.lastAckUs;
    const sorted = this.ackScratch;
    let k = 0;
    for (let f = 0; f < n; f++) {
      if (f === l || members.learner[f] === 1) continue;
      const v = lastAckUs[l * n + f];
      let j = k++;
      while (j > 0 && sorted[j - 1] < v) {
        sorted[j] = sorted[j - 1];
        j--;
      }
      sorted[j] = v;
    }
    return sorted[need - 1];
  }

  /** The cluster's leader `l` stopped serving at `sinceUs`. */
  loseClusterLeader(l: number, cause: LeaderLossCause, sinceUs: number): void {
    this.lastLeader = l;
    this.clusterLeader = -1;
    this.leaderLostUs = sinceUs;
    this.leaderLossCause = cause;
    const obs = this.observers;
    for (let o = 0; o < obs.length; o++) obs[o].onLeaderLost?.(this.sim.now, l, this.members.term[l], cause);
  }

  /** Member `m` became leader: it is the cluster's leader unless a leader of a newer term exists. */
  trackNewLeader(m: number): void {
    const term = this.members.term[m];
    if (this.clusterLeader >= 0) {
      if (term <= this.clusterLeaderTerm) return; // a stale leader in a minority: not the cluster's
      // The old leader is cut off and does not know yet: it stopped serving when it lost its quorum.
      this.loseClusterLeader(this.clusterLeader, "higher_term", this.quorumContactUs(this.clusterLeader));
    }
    const change: LeaderChange = {
      timeUs: this.sim.now,
      cause: this.leaderLossCause,
      oldLeader: this.lastLeader,
      newLeader: m,
      term,
      noLeaderUs: Math.max(0, this.sim.now - this.leaderLostUs),
    };
    this.clusterLeader = m;
    this.clusterLeaderTerm = term;
    this.stats.leaderChanges++;
    const obs = this.observers;
    for (let o = 0; o < obs.length; o++) obs[o].onLeaderElected?.(change);
  }

  notifyRole(m: number): void {
    const obs = this.observers;
    for (let o = 0; o < obs.length; o++) {
      obs[o].onRoleChange?.(this.sim.now, m, this.members.role[m] as RoleCode, this.members.term[m]);
    }
  }

  /** Leader `l` advanced its commit index to `index` (the one observer call on the per-write path). */
  notifyCommit(l: number, index: number): void {
    const obs = this.observers;
    for (let o = 0; o < obs.length; o++) obs[o].onCommit?.(this.sim.now, l, index);
  }
}
