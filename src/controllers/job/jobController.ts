/**
 * kube-controller-manager's Job controller (k/k pkg/controller/job/job_controller.go), for
 * the Jobs of a run:
 * - keeps min(parallelism, completions still to do) pods active (NonIndexed), or one pod
 *   per index not yet succeeded, up to parallelism (Indexed: pods `<job>-<index>-<5
 *   chars>`); with no completions, pods run until one succeeds (a work queue);
 * - a pod that succeeds counts once; a failed pod (restartPolicy Never) counts toward
 *   backoffLimit (default 6): beyond it the Job fails (BackoffLimitExceeded), else the
 *   replacement waits the pod failure back-off, 10 s doubling per failure since the last
 *   success, up to 10 min (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff); with
 *   restartPolicy OnFailure the kubelet restarts the container and the Job fails once
 *   its active pods' restarts reach backoffLimit (pastBackoffLimitOnFailure);
 * - activeDeadlineSeconds from the Job's start fails it (DeadlineExceeded);
 * - a finished Job deletes its active pods; ttlSecondsAfterFinished deletes the Job
 *   (and its pods) that long after it finished.
 * Each finish is a row in events.csv (JobComplete, JobFailed) with its duration.
 * - A deleted Job (a `delete` action, its namespace's deletion) stops: no creates, no
 *   finish; the garbage collector deletes its active pods, its ended pods go with it. It
 *   counts neither as complete, failed nor running in the summary.
 *
 * Pod creates go through `PodCreates` like the ReplicaSet controller's: with a control
 * plane at most MaxPodCreateDeletePerSync = 500 per sync, in slow-start batches 1, 2, 4,
 * ..., no new sync while a sync's creates are in flight.
 *
 * Simplifications (README "Model fidelity"): deletions are immediate graceful deletes
 * (no API request); a failed create is retried with the controllers' default 5 ms
 * doubling back-off, not the Job controller's DefaultJobApiBackOff (1 s doubling to 1
 * min), and its creates' syncs do not wait for syncJobBatchPeriod (1 s); no
 * podFailurePolicy, successPolicy, backoffLimitPerIndex or suspend (refused when the
 * scenario is read).
 */
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import { OUTCOME_COMPLETED, OUTCOME_DELETED, type ClusterState } from "../../apiserver/clusterState.js";
import { podNameSuffix } from "../../apiserver/generateName.js";
import { PodPhase } from "../../model/podTable.js";
import type { PodCreates } from "../podCreates.js";
import type { DeletableWorkload } from "../garbageCollector.js";

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (job_controller.go; the Job docs still say a 6 min cap). */
export const JOB_POD_FAILURE_BACKOFF_US = 10 * US_PER_S;
export const JOB_POD_FAILURE_BACKOFF_MAX_US = 600 * US_PER_S;

export interface JobSpec {
  /** Created by an apply action at this time (us); undefined: at the start of the run. */
  startUs?: number;
  name: string;
  namespace: string;
  template: number;
  parallelism: number;
  /** spec.completions, or -1 (a work queue: done once a pod succeeded and none is active). */
  completions: number;
  indexed: boolean;
  backoffLimit: number;
  /** spec.activeDeadlineSeconds in us, or -1. */
  activeDeadlineUs: number;
  /** spec.ttlSecondsAfterFinished in us, or -1 (never deleted). */
  ttlAfterFinishedUs: number;
  /** restartPolicy OnFailure (containers restart in place) rather than Never. */
  onFailure: boolean;
}

const RUNNING = 0;
const COMPLETE = 1;
const FAILED = 2;

interface JobState {
  status: number;
  owner: number;
  /** Pods that count as active: created (or being created), not ended, not Terminating. */
  active: Set<number>;
  /** Creates decided and not yet answered. */
  creating: number;
  succeeded: number;
  failed: number;
  failuresSinceSuccess: number;
  /** Indexed: per index, succeeded (2), active (1) or to do (0). */
  index: Uint8Array;
  /** Indexed: creates in flight, by pod name -> index. */
  pendingIndex: Map<string, number>;
  indexOfPod: Map<number, number>;
  /** No replacement before this time (pod failure back-off). */
  notBeforeUs: number;
  created: number;
  finishedUs: number;
  /** Pods that ended on their own (Succeeded or Failed objects that stay until the Job is deleted). */
  ended: number[];
  /** The Job object was deleted (a delete action, its namespace, ttlSecondsAfterFinished). */
  deleted: boolean;
}

export class JobController {
  private readonly state: JobState[];
  private readonly jobOfOwner = new Map<number, number>();
  private readonly hSync: number;
  private readonly hDeadline: number;
  private readonly hDeleteLate: number;
  private readonly hTtl: number;
  private readonly completed: number;
  private readonly deleted: number;
  /** Called for each ended pod whose object goes with its deleted Job (PodGC forgets it). */
  podObjectRemoved: (pod: number) => void = () => {};
  /** Per Job: seconds from its creation (status.startTime) to Complete or Failed, and the time it finished, for the summary. */
  readonly durations: { name: string; status: "Complete" | "Failed"; seconds: number; finishedS: number }[] = [];
  /** Per Job: when the object was created (us), -1 before (a Job of an apply action). */
  private readonly createdUs: number[];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly jobs: readonly JobSpec[],
    private readonly creates: PodCreates,
  ) {
    this.createdUs = jobs.map(() => -1);
    this.state = jobs.map((j, k) => {
      const owner = cluster.addOwner(`Job/${j.namespace}/${j.name}`);
      this.jobOfOwner.set(owner, k);
      return {
        status: RUNNING,
        owner,
        active: new Set<number>(),
        creating: 0,
        succeeded: 0,
        failed: 0,
        failuresSinceSuccess: 0,
        index: new Uint8Array(j.indexed ? j.completions : 0),
        pendingIndex: new Map(),
        indexOfPod: new Map(),
        notBeforeUs: 0,
        created: 0,
        finishedUs: -1,
        ended: [],
        deleted: false,
      };
    });
    this.completed = cluster.outcomes.id(OUTCOME_COMPLETED);
    this.deleted = cluster.outcomes.id(OUTCOME_DELETED);
    this.hSync = sim.on("job.sync", (k) => this.sync(k));
    this.hDeadline = sim.on("job.activeDeadline", (k) => this.finish(k, FAILED, "DeadlineExceeded", "Job was active longer than specified deadline"));
    this.hTtl = sim.on("job.ttlAfterFinished", (k) => this.deleteJob(k));
    this.hDeleteLate = sim.on("job.deleteLatePod", (pod) => void this.cluster.deletePod(pod, this.deleted));
    cluster.onPodCreated.push((pod) => this.podCreated(pod));
    cluster.onPodDeleting.push((pod) => this.podGone(pod, false));
    cluster.onPodEnded.push((pod) => {
      if (cluster.pods.deletionUs[pod] < 0) this.podGone(pod, true);
    });
    cluster.onPodRestarting.push((pod) => this.podRestarted(pod));
  }

  /**
   * Each Job's owner id, name (Job/<ns>/<name>), desired count (spec.completions; 1 for a
   * work queue, as `kubectl get job` shows `n/1`) and status counts, for workloads.csv:
   * active (status.active: created, not ended, not Terminating), succeeded and failed
   * (status.succeeded, status.failed: the pods this controller counted as such).
   */
  workloads(): { owner: number; name: string; desired: () => number; job: { active: () => number; succeeded: () => number; failed: () => number } }[] {
    return this.jobs.map((j, k) => {
      const s = this.state[k];
      const completions = j.completions < 0 ? 1 : j.completions;
      return { owner: s.owner, name: `Job/${j.namespace}/${j.name}`, desired: () => (this.createdUs[k] < 0 ? 0 : completions), job: { active: () => s.active.size, succeeded: () => s.succeeded, failed: () => s.failed } };
    });
  }

  start(): void {
    this.jobs.forEach((j, k) => {
      if (j.startUs === undefined) this.create(k);
    });
  }

  /** The Job object is created (at the start, or by an apply action): its deadline runs from now. */
  create(k: number): void {
    const j = this.jobs[k];
    this.createdUs[k] = this.sim.now;
    if (j.activeDeadlineUs >= 0) this.sim.schedule(j.activeDeadlineUs, this.hDeadline, k);
    this.sync(k);
  }

  /** The Jobs as objects a user or the namespace controller can delete. */
  deletable(): DeletableWorkload[] {
    return this.jobs.map((j, k) => ({ kind: "Job" as const, namespace: j.namespace, name: j.name, stop: () => this.stop(k) }));
  }

  /** The Job object is deleted: nothing acts for it; its ended pods go with it (the garbage collector deletes the others). */
  private stop(k: number): number {
    const s = this.state[k];
    if (s.deleted) return -1;
    s.deleted = true;
    this.creates.forget?.(k);
    for (const pod of s.ended) this.podObjectRemoved(pod);
    s.ended = [];
    return s.owner;
  }

  private jobOf(pod: number): number {
    return this.jobOfOwner.get(this.cluster.pods.owner[pod]) ?? -1;
  }

  /** Create the pods the Job wants now (after its back-off). */
  private sync(k: number): void {
    const j = this.jobs[k];
    const s = this.state[k];
    if (s.status !== RUNNING || s.deleted || this.createdUs[k] < 0) return;
    if (this.sim.now < s.notBeforeUs) {
      this.sim.schedule(s.notBeforeUs - this.sim.now, this.hSync, k);
      return;
    }
    const busy = s.active.size + s.creating;
    if (j.indexed) {
      for (let i = 0; i < s.index.length && s.active.size + s.creating < j.parallelism; i++) {
        if (s.index[i] !== 0) continue;
        s.index[i] = 1;
        this.createPod(k, `${j.name}-${i}-${podNameSuffix(s.created++)}`, i);
      }
      return;
    }
    const want = j.completions < 0 ? (s.succeeded > 0 ? 0 : j.parallelism) : Math.min(j.parallelism, j.completions - s.succeeded);
    for (let n = busy; n < want; n++) this.createPod(k, `${j.name}-${podNameSuffix(s.created++)}`, -1);
  }

  private createPod(k: number, name: string, index: number): void {
    const s = this.state[k];
    s.creating++;
    if (index >= 0) s.pendingIndex.set(name, index);
    this.creates.create(k, name, this.jobs[k].namespace, this.jobs[k].template, s.owner);
  }

  private podCreated(pod: number): void {
    const k = this.jobOf(pod);
    if (k < 0) return;
    const s = this.state[k];
    s.creating--;
    s.active.add(pod);
    const index = s.pendingIndex.get(this.cluster.pods.names[pod]);
    if (index !== undefined) {
      s.pendingIndex.delete(this.cluster.pods.names[pod]);
      s.indexOfPod.set(pod, index);
    }
    // A Job that finished while the create was in flight removes the pod at once (its own
    // event, after every listener of the create ran).
    if (s.status !== RUNNING) this.sim.schedule(0, this.hDeleteLate, pod);
  }

  /** A pod ended (ended: it finished; else it got a deletionTimestamp). */
  private podGone(pod: number, ended: boolean): void {
    const k = this.jobOf(pod);
    if (k < 0) return;
    const j = this.jobs[k];
    const s = this.state[k];
    if (!s.active.delete(pod)) return;
    if (ended) s.ended.push(pod);
    const index = s.indexOfPod.get(pod) ?? -1;
    s.indexOfPod.delete(pod);
    const succeeded = ended && this.cluster.pods.outcome[pod] === this.completed && this.cluster.pods.phase[pod] === PodPhase.Succeeded;
    if (s.status !== RUNNING || s.deleted) return;
    if (succeeded) {
      s.succeeded++;
      s.failuresSinceSuccess = 0;
      if (index >= 0) s.index[index] = 2;
    } else {
      // Failed, or deleted by someone else (an eviction): a failure, replaced after the back-off.
      if (index >= 0) s.index[index] = 0;
      s.failed++;
      s.failuresSinceSuccess++;
      if (!j.onFailure && s.failed > j.backoffLimit) return this.finish(k, FAILED, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
      s.notBeforeUs = this.sim.now + Math.min(JOB_POD_FAILURE_BACKOFF_US * 2 ** (s.failuresSinceSuccess - 1), JOB_POD_FAILURE_BACKOFF_MAX_US);
    }
    if (this.done(k)) return this.finish(k, COMPLETE, "Completed", "Job completed");
    this.sync(k);
  }

  /** restartPolicy OnFailure: the active pods' container restarts count toward backoffLimit. */
  private podRestarted(pod: number): void {
    const k = this.jobOf(pod);
    if (k < 0 || !this.jobs[k].onFailure || this.state[k].status !== RUNNING || this.state[k].deleted) return;
    let restarts = 0;
    for (const p of this.state[k].active) restarts += this.cluster.pods.restarts[p];
    const limit = this.jobs[k].backoffLimit;
    if (limit === 0 ? restarts > 0 : restarts >= limit) this.finish(k, FAILED, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
  }

  private done(k: number): boolean {
    const j = this.jobs[k];
    const s = this.state[k];
    if (j.completions < 0) return s.succeeded > 0 && s.active.size + s.creating === 0;
    return s.succeeded >= j.completions;
  }

  private finish(k: number, status: number, reason: string, message: string): void {
    const s = this.state[k];
    if (s.status !== RUNNING || s.deleted) return;
    s.status = status;
    s.finishedUs = this.sim.now;
    const j = this.jobs[k];
    for (const pod of [...s.active]) this.cluster.deletePod(pod, this.deleted);
    const kind = status === COMPLETE ? "JobComplete" : "JobFailed";
    this.cluster.events.add(this.sim.now, kind, `job/${j.namespace}/${j.name}`, `${reason}: ${message} (${s.succeeded} succeeded, ${s.failed} failed, after ${((this.sim.now - this.createdUs[k]) / US_PER_S).toFixed(3)} s)`);
    this.durations.push({ name: `${j.namespace}/${j.name}`, status: status === COMPLETE ? "Complete" : "Failed", seconds: (this.sim.now - this.createdUs[k]) / US_PER_S, finishedS: this.sim.now / US_PER_S });
    if (j.ttlAfterFinishedUs >= 0) this.sim.schedule(j.ttlAfterFinishedUs, this.hTtl, k);
  }

  /** The TTL-after-finished controller deletes the Job; the garbage collector its pods. */
  private deleteJob(k: number): void {
    if (this.state[k].deleted) return;
    this.state[k].deleted = true;
    const j = this.jobs[k];
    this.cluster.events.add(this.sim.now, "JobDeleted", `job/${j.namespace}/${j.name}`, "ttlSecondsAfterFinished passed: the Job and its pods are deleted");
    for (const pod of [...this.state[k].active]) this.cluster.deletePod(pod, this.deleted);
    for (const pod of this.state[k].ended) this.podObjectRemoved(pod);
    this.state[k].ended = [];
  }

  /** Jobs by status, for the summary. */
  counts(): { complete: number; failed: number; running: number } {
    let complete = 0;
    let failed = 0;
    let notRunning = 0;
    this.state.forEach((s, k) => {
      if (s.deleted && s.status === RUNNING) notRunning++;
      else if (s.status === COMPLETE) complete++;
      else if (s.status === FAILED) failed++;
      else if (this.createdUs[k] < 0) notRunning++;
    });
    return { complete, failed, running: this.state.length - complete - failed - notRunning };
  }
}
