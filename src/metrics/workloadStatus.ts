/**
 * workloads.csv: per sample and workload (Deployment, DaemonSet, StatefulSet, Job), the
 * counts its status reports, kept up to date from the cluster's pod events (no scan per
 * sample):
 *
 *   desired     spec.replicas; for a DaemonSet, the nodes that should run its pod and exist
 *               (status.desiredNumberScheduled)
 *   current     pods created and not ended, not Terminating (status.replicas)
 *   updated     pods of the current template (status.updatedReplicas: the new
 *               ReplicaSet's during a rollout)
 *   ready       Running and Ready, not Terminating (status.readyReplicas)
 *   available   ready for minReadySeconds (status.availableReplicas): a Deployment's count as its
 *               controller keeps it; the ready count for the others (minReadySeconds is 0 for them)
 *   terminating pods with a deletionTimestamp not gone yet (status.terminatingReplicas)
 *   active, succeeded, failed
 *               a Job's status.active, status.succeeded, status.failed as its controller
 *               counts them; empty for the other kinds
 * For a Job, desired is spec.completions (1 for a work queue) and updated = current.
 */
import { US_PER_S } from "../engine/simulation.js";

export interface WorkloadRow {
  sim_time_s: number;
  /** Deployment/<ns>/<name>, DaemonSet/<ns>/<name>, StatefulSet/<ns>/<name>, Job/<ns>/<name> */
  workload: string;
  desired: number;
  current: number;
  updated: number;
  ready: number;
  available: number;
  terminating: number;
  /** Jobs only (null, an empty cell, for the other kinds). */
  active: number | null;
  succeeded: number | null;
  failed: number | null;
}

export const WORKLOAD_COLUMNS: (keyof WorkloadRow)[] = ["sim_time_s", "workload", "desired", "current", "updated", "ready", "available", "terminating", "active", "succeeded", "failed"];

/** A workload as the sampler sees it. */
export interface WorkloadView {
  owner: number;
  name: string;
  /** Its desired count now. */
  desired: () => number;
  /** Its pods of the current template (default: all). */
  updated?: () => number;
  /** Its available pods (default: ready). */
  available?: () => number;
  /** A Job's status counts. */
  job?: { active: () => number; succeeded: () => number; failed: () => number };
}

/** What the sampler needs of the cluster's pods. */
export interface WorkloadPodView {
  /** The owner id of pod p (-1 for none). */
  owner(p: number): number;
  /** Pod p has a deletionTimestamp. */
  terminating(p: number): boolean;
}

export class WorkloadStatus {
  readonly rows: WorkloadRow[] = [];
  private readonly slotOf = new Map<number, number>();
  private readonly current: Int32Array;
  private readonly ready: Int32Array;
  private readonly terminating: Int32Array;

  constructor(
    private readonly pods: WorkloadPodView,
    /** The workloads to report, in row order. */
    readonly workloads: readonly WorkloadView[],
  ) {
    workloads.forEach((w, k) => this.slotOf.set(w.owner, k));
    this.current = new Int32Array(workloads.length);
    this.ready = new Int32Array(workloads.length);
    this.terminating = new Int32Array(workloads.length);
  }

  /** The row of pod p's workload, -1 for a pod of none. */
  slot(p: number): number {
    return this.slotOf.get(this.pods.owner(p)) ?? -1;
  }

  /** Workload k's available pods now (its own count, else the Ready ones). */
  available(k: number): number {
    return this.workloads[k].available?.() ?? this.ready[k];
  }

  created(p: number): void {
    const k = this.slot(p);
    if (k >= 0) this.current[k]++;
  }

  availability(p: number, available: boolean): void {
    const k = this.slot(p);
    if (k >= 0) this.ready[k] += available ? 1 : -1;
  }

  deleting(p: number): void {
    const k = this.slot(p);
    if (k < 0) return;
    this.current[k]--;
    this.terminating[k]++;
  }

  ended(p: number): void {
    const k = this.slot(p);
    if (k < 0) return;
    if (this.pods.terminating(p)) this.terminating[k]--;
    else this.current[k]--;
  }

  sample(timeUs: number): void {
    this.workloads.forEach((w, k) => {
      const ready = this.ready[k];
      const j = w.job;
      this.rows.push({
        sim_time_s: timeUs / US_PER_S,
        workload: w.name,
        desired: w.desired(),
        current: this.current[k],
        updated: w.updated?.() ?? this.current[k],
        ready,
        available: w.available?.() ?? ready,
        terminating: this.terminating[k],
        active: j ? j.active() : null,
        succeeded: j ? j.succeeded() : null,
        failed: j ? j.failed() : null,
      });
    });
  }
}
