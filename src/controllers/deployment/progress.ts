/**
 * The Deployment's Progressing condition (k/k pkg/controller/deployment/progress.go
 * syncRolloutStatus, requeueStuckDeployment; util/deployment_util.go DeploymentComplete,
 * DeploymentProgressing, DeploymentTimedOut, SetDeploymentCondition). One tracker per
 * Deployment, fed the status counts at each sync of the Deployment controller.
 *
 * - Creating the new ReplicaSet of a rollout sets reason NewReplicaSetCreated (sync.go
 *   getNewReplicaSet), lastUpdateTime = now.
 * - At a sync, unless the rollout is complete (status.replicas == updatedReplicas and the
 *   reason is NewRSAvailable): all replicas updated and available -> NewRSAvailable; else
 *   progress since the last status (more updated, fewer old, more ready or more available
 *   replicas) -> ReplicaSetUpdated with lastUpdateTime = now; else no progress since
 *   lastUpdateTime + progressDeadlineSeconds (strictly before now) -> Progressing=False,
 *   ProgressDeadlineExceeded. Nothing is rolled back (upstream does no rollback).
 * - A stuck Deployment is synced again at lastUpdateTime + progressDeadlineSeconds + 1 s
 *   (requeueStuckDeployment: "Add a second to avoid milliseconds skew in AddAfter"), so a
 *   rollout without progress times out 1 s after its deadline.
 * - Paused: reason DeploymentPaused, no progress estimated; resumed: DeploymentResumed with
 *   lastUpdateTime = now (sync.go checkPausedConditions), so the deadline starts again.
 */

/** progressDeadlineSeconds of math.MaxInt32 means no deadline (deployment_util.go HasProgressDeadline). */
export const NO_PROGRESS_DEADLINE_SECONDS = 2147483647;

/** The Progressing condition's reason (deployment_util.go constants); None: no condition yet. */
export const enum ProgressReason {
  None,
  NewReplicaSetCreated,
  FoundNewReplicaSet,
  ReplicaSetUpdated,
  NewRSAvailable,
  ProgressDeadlineExceeded,
  DeploymentPaused,
  DeploymentResumed,
}

export const PROGRESS_REASON_NAMES = ["", "NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated", "NewRSAvailable", "ProgressDeadlineExceeded", "DeploymentPaused", "DeploymentResumed"];

/** The Deployment status counts the condition is computed from (calculateStatus). */
export interface StatusCounts {
  /** status.replicas: pods not ended and not Terminating, all ReplicaSets */
  replicas: number;
  /** status.updatedReplicas: those of the new ReplicaSet */
  updated: number;
  ready: number;
  available: number;
}

export class ProgressTracker {
  reason: ProgressReason = ProgressReason.None;
  /** The condition's lastUpdateTime (us), -1 without condition. */
  lastUpdateUs = -1;
  private replicas = 0;
  private updated = 0;
  private ready = 0;
  private available = 0;

  constructor(
    /** progressDeadlineSeconds in us; -1: none. */
    private readonly deadlineUs: number,
  ) {}

  get hasDeadline(): boolean {
    return this.deadlineUs >= 0;
  }

  /** Progressing=True/False/Unknown as kubectl shows it. */
  get status(): "True" | "False" | "Unknown" | "" {
    switch (this.reason) {
      case ProgressReason.None:
        return "";
      case ProgressReason.ProgressDeadlineExceeded:
        return "False";
      case ProgressReason.DeploymentPaused:
      case ProgressReason.DeploymentResumed:
        return "Unknown";
      default:
        return "True";
    }
  }

  /** A condition written outside syncRolloutStatus (new ReplicaSet, paused, resumed). */
  set(reason: ProgressReason, nowUs: number): void {
    if (!this.hasDeadline) return;
    // SetDeploymentCondition: same status and reason is no update
    if (this.reason === reason) return;
    this.reason = reason;
    this.lastUpdateUs = nowUs;
  }

  /** syncDeploymentStatus (a scaling or paused sync): the status is written, no progress estimated. */
  observe(st: StatusCounts): void {
    this.replicas = st.replicas;
    this.updated = st.updated;
    this.ready = st.ready;
    this.available = st.available;
  }

  /** syncRolloutStatus; true when this sync set ProgressDeadlineExceeded. */
  sync(nowUs: number, desired: number, st: StatusCounts): boolean {
    let timedOut = false;
    const completeRollout = st.replicas === st.updated && this.reason === ProgressReason.NewRSAvailable;
    if (this.hasDeadline && !completeRollout) {
      if (deploymentComplete(desired, st)) this.set(ProgressReason.NewRSAvailable, nowUs);
      else if (this.progressing(st)) {
        // the same reason with a new lastUpdateTime (the condition is removed and set again)
        this.reason = ProgressReason.ReplicaSetUpdated;
        this.lastUpdateUs = nowUs;
      } else if (this.timedOut(nowUs) && this.reason !== ProgressReason.ProgressDeadlineExceeded) {
        this.set(ProgressReason.ProgressDeadlineExceeded, nowUs);
        timedOut = true;
      }
    }
    this.observe(st);
    return timedOut;
  }

  /**
   * requeueStuckDeployment: when the Deployment controller syncs this Deployment again
   * for a progress check (us), -1 for never.
   */
  nextCheckUs(nowUs: number, desired: number, st: StatusCounts, skewUs: number): number {
    if (!this.hasDeadline || this.reason === ProgressReason.None) return -1;
    if (deploymentComplete(desired, st) || this.reason === ProgressReason.ProgressDeadlineExceeded) return -1;
    // kubesim: after NewRSAvailable (replicas lost after the rollout completed) upstream
    // requeues rate-limited, but those syncs never estimate progress (DeploymentTimedOut is
    // false for NewRSAvailable): no check until a new rollout changes the reason.
    if (this.reason === ProgressReason.NewRSAvailable) return -1;
    // less than 1 s left: requeued at once (rate limited)
    return Math.max(nowUs, this.lastUpdateUs + this.deadlineUs + skewUs);
  }

  /** DeploymentProgressing: against the status last written. */
  private progressing(st: StatusCounts): boolean {
    return st.updated > this.updated || st.replicas - st.updated < this.replicas - this.updated || st.ready > this.ready || st.available > this.available;
  }

  /** DeploymentTimedOut. */
  private timedOut(nowUs: number): boolean {
    if (this.reason === ProgressReason.None || this.reason === ProgressReason.NewRSAvailable) return false;
    if (this.reason === ProgressReason.ProgressDeadlineExceeded) return true;
    return this.lastUpdateUs + this.deadlineUs < nowUs;
  }
}

/** DeploymentComplete: every replica updated, none more, all available. */
export function deploymentComplete(desired: number, st: StatusCounts): boolean {
  return st.updated === desired && st.replicas === desired && st.available === desired;
}
