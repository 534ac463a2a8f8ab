/**
 * The Deployment and ReplicaSet controllers of kube-controller-manager, for the
 * Deployments of a run. Each Deployment has a ReplicaSet per template revision (the
 * first, and one per rollout action); each ReplicaSet keeps its spec.replicas pods that
 * count (created, not ended, not Terminating): a pod that ends or gets a
 * deletionTimestamp is replaced at once (FilterActivePods: an evicted pod is replaced when
 * the eviction starts, not when its kubelet confirms), extra pods are deleted in
 * ActivePodsWithRanks order. Creates go through `PodCreates` (podCreates.ts): at once
 * without a control plane, as API requests of the lease holder with one, sent as
 * upstream's manageReplicas does (at most burstReplicas = 500 per sync, in slow-start
 * batches 1, 2, 4, ...; no new sync while a sync's creates are in flight).
 *
 * The Deployment controller sets the ReplicaSets' replicas: all on the current one when
 * no rollout is under way; during a RollingUpdate, upstream's arithmetic on every change
 * (deployment/rollingUpdate.ts: maxSurge and maxUnavailable, 25 % each by default); a
 * Recreate scales the old ReplicaSets to 0 and the new one up once no old pod is left.
 * A rollout is complete when the new ReplicaSet has all replicas available and no old
 * replica is left, Terminating ones aside (events.csv RolloutStarted, RolloutComplete with
 * its duration).
 *
 * A pod is available when it is Running, Ready and not Terminating; with minReadySeconds,
 * once it has stayed so for minReadySeconds, as the ReplicaSet controller sees it at its
 * check minReadySeconds + 1 s after the pod became Ready (ADD_AFTER_SKEW_US). The
 * rolling arithmetic, RolloutComplete and workloads.csv `available` count available pods.
 *
 * A change of spec.replicas (a `scale` action) is a scaling sync (sync.go scale,
 * deployment/proportionalScale.ts): during a rollout it is spread over the ReplicaSets in
 * proportion to their sizes (the max-replicas annotation), leftovers to the largest; the
 * rollout goes on from there at the next sync.
 *
 * A deleted Deployment (a `delete` action, its namespace's deletion) is no longer synced: no
 * creates, no replacements, no events; its desired count reads 0 (workloads.csv) while the
 * garbage collector deletes its pods (garbageCollector.ts).
 *
 * A paused Deployment (spec.paused, the pause/resume actions) only scales: a template
 * change waits for resume, a Deployment created paused has no ReplicaSet until then.
 *
 * The Progressing condition follows upstream's rules (deployment/progress.ts): a
 * Deployment that makes no progress (no pod updated, created, Ready or available, no old
 * one gone) for progressDeadlineSeconds (600 by default) gets Progressing=False,
 * ProgressDeadlineExceeded (events.csv) at its last progress + progressDeadlineSeconds +
 * 1 s (the controller's requeue); nothing is rolled back.
 *
 * It also keeps the availability record behind events.csv and summary.csv: when a
 * Deployment first has fewer than spec.replicas available pods after having had them
 * all, and when all are available again, with how long that took. Replacements created after the first node fault are followed until
 * they run (the summary's time from fault to replacements Running).
 *
 * Simplifications (README "Model fidelity"): no watch delay (expectations are
 * satisfied when a sync's last create is answered); a create once decided is sent even
 * if a scale-down meanwhile makes it unneeded (upstream's next sync would not send it);
 * deletions are not API requests and not bounded by burstReplicas; a pod Ready for
 * minReadySeconds counts at its own check at Ready + minReadySeconds + 1 s (upstream's
 * check is per ReplicaSet: one sync may count several pods that became Ready within that
 * second). Each ReplicaSet is a workqueue item of its own for the creates (its own sync,
 * burstReplicas and back-off), as upstream's ReplicaSet controller keys them.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { podNameSuffix } from "../apiserver/generateName.js";
import { OUTCOME_DELETED } from "../apiserver/clusterState.js";
import { podsToDelete } from "./podsToDelete.js";
import type { PodCreates } from "./podCreates.js";
import type { DeletableWorkload } from "./garbageCollector.js";
import { maxUnavailable, newReplicaSetReplicas, oldReplicaSetsReplicas, resolveFenceposts } from "./deployment/rollingUpdate.js";
import { scaleReplicaSets } from "./deployment/proportionalScale.js";
import { NO_PROGRESS_DEADLINE_SECONDS, PROGRESS_REASON_NAMES, ProgressReason, ProgressTracker, type StatusCounts } from "./deployment/progress.js";
import { DEFAULT_PROGRESS_DEADLINE_SECONDS, DEFAULT_REVISION_HISTORY_LIMIT } from "../apiserver/admission/defaults.js";

/**
 * The ReplicaSet controller's workqueue items: one per ReplicaSet, so a Deployment has at
 * most 1 + its revisions (a rollout adds a ReplicaSet only for a template not seen before).
 */
export function replicaSetItems(deployments: readonly DeploymentSpec[]): { base: number[]; count: number } {
  const base: number[] = [];
  let count = 0;
  for (const d of deployments) {
    base.push(count);
    count += 1 + (d.revisions?.length ?? 0);
  }
  return { base, count };
}

/** A Deployment of the run. */
export interface DeploymentSpec {
  /** spec.revisionHistoryLimit (SetDefaults_Deployment: 10): old ReplicaSets kept after a rollout. */
  revisionHistoryLimit?: number;
  /** Created by an apply action at this time (us); undefined: at the start of the run. */
  startUs?: number;
  name: string;
  namespace: string;
  replicas: number;
  template: number;
  /** pod-template-hash label value, as the Deployment controller derives it from the template. */
  templateHash: string;
  /** spec.strategy (SetDefaults_Deployment: RollingUpdate, 25 % / 25 %). */
  strategy?: { type: "RollingUpdate" | "Recreate"; maxSurge: number | string; maxUnavailable: number | string };
  /** The templates of later revisions (rollout actions), in order. */
  revisions?: { template: number; templateHash: string }[];
  /** spec.minReadySeconds (no default: 0): a pod is available once Ready this long. */
  minReadySeconds?: number;
  /** spec.progressDeadlineSeconds (SetDefaults_Deployment: 600; 2147483647 = none). */
  progressDeadlineSeconds?: number;
  /** spec.paused at the start of the run. */
  paused?: boolean;
}

/** One ReplicaSet of a Deployment. */
interface Rs {
  template: number;
  hash: string;
  /** spec.replicas */
  replicas: number;
  /** Pods that count (not ended, not Terminating), and all not ended. */
  active: Set<number>;
  live: Set<number>;
  creating: number;
  created: number;
  /** status.availableReplicas: Ready for minReadySeconds, as the controller last saw. */
  available: number;
  /** deployment.kubernetes.io/desired-replicas and max-replicas: the Deployment's replicas (and + maxSurge) when it last scaled this ReplicaSet; 0 = none. */
  desiredAnnotation: number;
  maxAnnotation: number;
  /** Deleted by the revisionHistoryLimit cleanup (a rollout back to its template brings it back, as a new ReplicaSet of the same name would be). */
  deleted: boolean;
}

const DEFAULT_STRATEGY = { type: "RollingUpdate" as const, maxSurge: "25%", maxUnavailable: "25%" };

/**
 * The second both controllers add to a delayed requeue ("Add a second to avoid
 * milliseconds skew in AddAfter"): with minReadySeconds > 0 the ReplicaSet controller
 * checks a pod that became Ready again minReadySeconds + 1 s later (replica_set.go
 * updatePod: enqueueRSAfter), finds it available (IsPodAvailable: Ready since before now -
 * minReadySeconds) and writes status.availableReplicas, which the Deployment controller
 * reads; a stuck Deployment is checked again at lastUpdateTime + progressDeadlineSeconds +
 * 1 s (progress.go requeueStuckDeployment).
 */
export const ADD_AFTER_SKEW_US = 1 * US_PER_S;

export class ReplicaSetController {
  /** Owner id -> Deployment index; undefined for owners that are not Deployments. */
  private readonly deploymentOf: number[] = [];
  private readonly ownerOf: number[] = [];
  /** Per Deployment: pods available now (all its ReplicaSets). */
  private readonly available: number[] = [];
  /** Per Deployment: spec.replicas now (a scale action changes it). */
  private readonly desired: number[] = [];
  /** Per Deployment: its ReplicaSets, oldest first, and the current one. */
  private readonly sets: Rs[][] = [];
  private readonly current: number[] = [];
  /** Per Deployment: the object exists (created at the start or applied since). */
  private readonly created: boolean[] = [];
  /** Per Deployment: when its rollout began (us), -1 when none is under way. */
  private readonly rolloutSinceUs: number[] = [];
  /** Per Deployment: since when fewer than spec.replicas pods run (us), -1 when all do or never did. */
  private readonly unavailableSinceUs: number[] = [];
  private readonly everAvailable: boolean[] = [];
  /** Longest time any Deployment spent below its replica count after first reaching it (us). */
  maxUnavailableUs = 0;
  /** Per Deployment: how long each of its finished rollouts took (s). */
  readonly rolloutSeconds: number[][];
  /** Called when Deployment d's available count or spec.replicas changed (for workload_summary.csv). */
  workloadChanged: (d: number) => void = () => {};
  /** Replacement pods are followed from this time on (the first node fault), -1 = not yet. */
  followReplacementsFromUs = -1;
  /** Pods created as replacements since then, and those that are not yet Running. */
  private readonly replacements = new Set<number>();
  replacementsCreated = 0;
  /** When the last followed replacement became Running (-1: none yet). */
  lastReplacementRunningUs = -1;
  /** Creating a replacement now; replacement creates decided and not yet created. */
  private replacing = false;
  private pendingReplacements = 0;
  /** Inside a sync (its own deletions and creates must not start another); a change seen meanwhile. */
  private syncing = false;
  private readonly dirty = new Set<number>();
  /** Per pod: since when it is Ready (Running, not Terminating) and waits for minReadySeconds (us), -1 = not waiting. */
  private readyAtUs = new Float64Array(0);
  /** Per pod: 1 while it counts as available. */
  private counted = new Uint8Array(0);
  /** Per Deployment: minReadySeconds + the ReplicaSet controller's skew (us), 0 when minReadySeconds is 0. */
  private readonly availableAfterUs: number[];
  private readonly availableCheckId: number;
  /** Per Deployment: pods Running, Ready and not Terminating (status.readyReplicas). */
  private readonly readyPods: number[] = [];
  /** Per Deployment: its Progressing condition, and when its next progress check is due (us, -1 = none). */
  private readonly progress: ProgressTracker[] = [];
  private readonly progressCheckUs: number[] = [];
  private readonly progressCheckId: number;
  private readonly statusScratch: StatusCounts = { replicas: 0, updated: 0, ready: 0, available: 0 };
  /** Per Deployment: spec.paused; a template change made while paused (revision index, -1 = none); whether its first ReplicaSet exists. */
  private readonly paused: boolean[] = [];
  private readonly pendingRevision: number[] = [];
  private readonly started: boolean[] = [];
  /** Per Deployment: deleted (its controller no longer acts for it). */
  private readonly deleted: boolean[] = [];

  /** Per Deployment: the workqueue item of its first ReplicaSet (each ReplicaSet is an item of its own). */
  private readonly itemBase: number[];
  /** The sync of a Deployment queued by a pod event. */
  private readonly syncId: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly deployments: readonly DeploymentSpec[],
    /** Where creates go: at once without a control plane, API requests with one. */
    private readonly creates: PodCreates,
  ) {
    this.rolloutSeconds = deployments.map(() => []);
    deployments.forEach((d, i) => {
      const owner = cluster.addOwner(`Deployment/${d.namespace}/${d.name}`);
      this.deploymentOf[owner] = this.ownerOf.length;
      this.ownerOf.push(owner);
      this.available.push(0);
      this.desired.push(d.replicas);
      this.sets.push([]);
      this.current.push(this.addRs(i, d.template, d.templateHash));
      this.rolloutSinceUs.push(-1);
      this.created.push(false);
      this.unavailableSinceUs.push(-1);
      this.everAvailable.push(false);
      this.readyPods.push(0);
      const deadline = d.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
      this.progress.push(new ProgressTracker(deadline === NO_PROGRESS_DEADLINE_SECONDS ? -1 : deadline * US_PER_S));
      this.progressCheckUs.push(-1);
      this.paused.push(d.paused ?? false);
      this.pendingRevision.push(-1);
      this.started.push(false);
      this.deleted.push(false);
    });
    this.progressCheckId = sim.on("deployment.progressCheck", (d) => {
      this.progressCheckUs[d] = -1;
      this.sync(d);
    });
    cluster.onPodEnded.push((pod) => this.podEnded(pod));
    cluster.onPodDeleting.push((pod) => this.podDeleting(pod));
    this.availableAfterUs = deployments.map((d) => ((d.minReadySeconds ?? 0) > 0 ? d.minReadySeconds! * US_PER_S + ADD_AFTER_SKEW_US : 0));
    this.availableCheckId = sim.on("replicaset.minReadyCheck", (pod) => this.minReadyCheck(pod));
    cluster.onPodAvailability.push((pod, ready) => this.readiness(pod, ready));
    this.itemBase = replicaSetItems(deployments).base;
    this.syncId = sim.on("kube-controller-manager.replicaSetSync", (d) => this.sync(d));
    cluster.onPodCreated.push((pod) => this.podCreated(pod));
    cluster.onPodRunning.push((pod) => this.podRunning(pod));
  }

  /** Each Deployment's owner id, name (Deployment/<ns>/<name>), desired replicas, pods of its current template and available pods, for workloads.csv. */
  workloads(): { owner: number; name: string; desired: () => number; updated: () => number; available: () => number; rolloutSeconds: readonly number[] }[] {
    return this.deployments.map((d, i) => ({
      owner: this.ownerOf[i],
      name: `Deployment/${d.namespace}/${d.name}`,
      desired: () => (this.created[i] ? this.desired[i] : 0),
      updated: () => this.sets[i][this.current[i]].active.size,
      available: () => this.available[i],
      rolloutSeconds: this.rolloutSeconds[i],
    }));
  }

  /** The Deployments as objects a user or the namespace controller can delete. */
  deletable(): DeletableWorkload[] {
    return this.deployments.map((d, i) => ({ kind: "Deployment" as const, namespace: d.namespace, name: d.name, stop: () => this.stop(i) }));
  }

  /** The Deployment (and its ReplicaSets) is deleted: nothing acts for it from now on; its owner id, -1 if already deleted. */
  private stop(d: number): number {
    if (this.deleted[d]) return -1;
    this.deleted[d] = true;
    this.desired[d] = 0;
    this.rolloutSinceUs[d] = -1;
    this.unavailableSinceUs[d] = -1;
    for (let r = 0; r < this.sets[d].length; r++) this.creates.forget?.(this.itemBase[d] + r);
    return this.ownerOf[d];
  }

  /** Create every Deployment's replicas (at the start of the run; those of apply actions later, create()). */
  start(): void {
    this.deployments.forEach((spec, i) => {
      if (spec.startUs === undefined) this.create(i);
    });
  }

  /** The Deployment object is created (at the start, or by an apply action). */
  create(d: number): void {
    if (this.created[d]) return;
    this.created[d] = true;
    // Created paused: no ReplicaSet until resumed (getAllReplicaSetsAndSyncRevision with createIfNotExisted=false).
    if (this.paused[d]) this.progress[d].set(ProgressReason.DeploymentPaused, this.sim.now);
    else this.startFirst(d);
  }

  private startFirst(d: number): void {
    this.started[d] = true;
    this.progress[d].set(ProgressReason.NewReplicaSetCreated, this.sim.now);
    this.sync(d);
  }

  /**
   * kubectl rollout pause: no rollout goes on (a template change waits for resume), a scale
   * still applies (sync.go sync). Progressing=Unknown DeploymentPaused unless it already
   * timed out (checkPausedConditions).
   */
  pause(d: number): void {
    if (this.paused[d] || this.deleted[d]) return;
    this.paused[d] = true;
    if (this.progress[d].reason !== ProgressReason.ProgressDeadlineExceeded) this.progress[d].set(ProgressReason.DeploymentPaused, this.sim.now);
    this.sync(d);
  }

  /** kubectl rollout resume: DeploymentResumed (the deadline counts from now), and the template change that waited rolls out. */
  resume(d: number): void {
    if (!this.paused[d] || this.deleted[d]) return;
    this.paused[d] = false;
    if (this.progress[d].reason === ProgressReason.DeploymentPaused) this.progress[d].set(ProgressReason.DeploymentResumed, this.sim.now);
    if (!this.created[d]) return; // not applied yet: create() starts it
    if (!this.started[d]) {
      // created paused: its first ReplicaSet is of the template as it is now
      const pending = this.pendingRevision[d];
      if (pending >= 0) {
        const next = this.deployments[d].revisions![pending];
        const rs = this.sets[d][this.current[d]];
        rs.template = next.template;
        rs.hash = next.templateHash;
        this.pendingRevision[d] = -1;
      }
      this.startFirst(d);
      return;
    }
    const pending = this.pendingRevision[d];
    this.pendingRevision[d] = -1;
    if (pending >= 0) this.rollout(d, pending);
    else this.sync(d);
  }

  /** The Deployment's Progressing condition: status, reason and lastUpdateTime (us). */
  progressing(d: number): { status: string; reason: string; lastUpdateUs: number } {
    const t = this.progress[d];
    return { status: t.status, reason: PROGRESS_REASON_NAMES[t.reason], lastUpdateUs: t.lastUpdateUs };
  }

  /** kubectl scale: the Deployment's spec.replicas (a scaling event at its next sync). */
  scale(d: number, replicas: number): void {
    if (this.deleted[d]) return;
    this.desired[d] = replicas;
    this.workloadChanged(d);
    this.sync(d);
  }

  /** A new pod template (kubectl set image, rollout restart): revision `revision` of spec.revisions becomes current. */
  rollout(d: number, revision: number): void {
    if (this.deleted[d]) return;
    const spec = this.deployments[d];
    if (this.paused[d] || !this.started[d]) {
      this.pendingRevision[d] = revision; // rolled out on resume
      return;
    }
    const next = spec.revisions![revision];
    let r = this.sets[d].findIndex((x) => x.hash === next.templateHash);
    if (r >= 0) this.sets[d][r].deleted = false;
    if (r < 0) {
      r = this.addRs(d, next.template, next.templateHash);
      this.progress[d].set(ProgressReason.NewReplicaSetCreated, this.sim.now);
    }
    if (r === this.current[d]) return;
    this.current[d] = r;
    this.rolloutSinceUs[d] = this.sim.now;
    const strategy = spec.strategy ?? DEFAULT_STRATEGY;
    this.cluster.events.add(this.sim.now, "RolloutStarted", `deployment/${spec.namespace}/${spec.name}`, `new replica set ${spec.name}-${next.templateHash} (${strategy.type}${strategy.type === "RollingUpdate" ? `, maxSurge ${strategy.maxSurge}, maxUnavailable ${strategy.maxUnavailable}` : ""})`);
    this.sync(d);
  }

  /** Replacements still to run. */
  get replacementsNotRunning(): number {
    return this.replacements.size;
  }

  private addRs(d: number, template: number, hash: string): number {
    const list = this.sets[d];
    list.push({ template, hash, replicas: 0, active: new Set(), live: new Set(), creating: 0, created: 0, available: 0, desiredAnnotation: 0, maxAnnotation: 0, deleted: false });
    return list.length - 1;
  }

  /** The pod's Deployment (its owner) and ReplicaSet (its template among the Deployment's). */
  private rsOf(pod: number): [number, number] | undefined {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    if (d === undefined) return undefined;
    const template = this.cluster.pods.template[pod];
    const r = this.sets[d].findIndex((rs) => rs.template === template);
    return r < 0 ? undefined : [d, r];
  }

  /** The Deployment controller: set each ReplicaSet's replicas, then let each reconcile its pods. */
  private sync(d: number): void {
    if (this.syncing) {
      this.dirty.add(d);
      return;
    }
    this.syncing = true;
    this.dirty.add(d);
    while (this.dirty.size > 0) {
      const next = this.dirty.values().next().value as number;
      this.dirty.delete(next);
      this.syncOnce(next);
    }
    this.syncing = false;
  }

  private syncOnce(d: number): void {
    if (!this.started[d] || this.deleted[d]) return;
    const list = this.sets[d];
    const cur = list[this.current[d]];
    const desired = this.desired[d];
    const old = list.filter((_, r) => r !== this.current[d]);
    const oldLeft = old.some((r) => r.replicas > 0 || r.live.size > 0);
    const strategy = this.deployments[d].strategy ?? DEFAULT_STRATEGY;
    const rolling = strategy.type === "RollingUpdate";
    const { surge } = rolling ? resolveFenceposts(strategy.maxSurge, strategy.maxUnavailable, desired) : { surge: 0 };
    if (this.paused[d] || this.isScalingEvent(d)) {
      // sync.go sync: paused, or spec.replicas changed: scale() only, no rollout step
      let statusReplicas = 0;
      for (const rs of list) statusReplicas += rs.active.size;
      const next = scaleReplicaSets(desired, surge, rolling, statusReplicas, list, this.pendingRevision[d] >= 0 ? -1 : this.current[d]);
      const spec = this.deployments[d];
      list.forEach((rs, r) => {
        if (next[r] !== rs.replicas) this.cluster.events.add(this.sim.now, "ScalingReplicaSet", `deployment/${spec.namespace}/${spec.name}`, `Scaled ${next[r] > rs.replicas ? "up" : "down"} replica set ${spec.name}-${rs.hash} from ${rs.replicas} to ${next[r]}`);
        // scaleReplicaSet annotates every ReplicaSet it scales: all the active ones
        if (next[r] !== rs.replicas || rs.replicas > 0) this.setReplicas(rs, next[r], desired, surge, true);
      });
      list.forEach((_, r) => this.reconcile(d, r));
      this.checkProgress(d, false);
      // the ReplicaSets' update events sync it again: the rollout goes on from the new sizes
      if (!this.paused[d]) this.dirty.add(d);
      return;
    }
    if (!oldLeft) this.setReplicas(cur, desired, desired, surge);
    else if (!rolling) {
      for (const r of old) this.setReplicas(r, 0, desired, surge);
      // the new ReplicaSet only once no old pod is left (Terminating ones included)
      if (!old.some((r) => r.live.size > 0)) this.setReplicas(cur, desired, desired, surge);
    } else {
      const all = list.reduce((n, r) => n + r.replicas, 0);
      this.setReplicas(cur, newReplicaSetReplicas(desired, surge, all, cur.replicas), desired, surge);
      // reconcileOldReplicaSets reads MaxUnavailable: clamped to spec.replicas, 0 when that is 0.
      const next = oldReplicaSetsReplicas(desired, maxUnavailable(strategy.maxSurge, strategy.maxUnavailable, desired), old, cur);
      old.forEach((r, k) => this.setReplicas(r, next[k], desired, surge));
    }
    list.forEach((_, r) => this.reconcile(d, r));
    // Complete as `kubectl rollout status` sees it: every replica updated and available, no
    // old replica left (Terminating pods no longer count: status.replicas excludes them).
    if (this.rolloutSinceUs[d] >= 0 && cur.replicas === desired && cur.available === desired && !old.some((r) => r.replicas > 0 || r.active.size > 0)) {
      const spec = this.deployments[d];
      const seconds = (this.sim.now - this.rolloutSinceUs[d]) / US_PER_S;
      this.rolloutSinceUs[d] = -1;
      this.rolloutSeconds[d].push(seconds);
      this.cluster.events.add(this.sim.now, "RolloutComplete", `deployment/${spec.namespace}/${spec.name}`, `replica set ${spec.name}-${cur.hash} has all ${desired} replicas available, no old replica left, after ${seconds.toFixed(3)} s`);
      this.cleanup(d);
    }
    this.checkProgress(d);
  }

  /**
   * cleanupDeployment (sync.go), once a rollout is complete: the old ReplicaSets beyond
   * spec.revisionHistoryLimit (default 10) are deleted, oldest first, those with no
   * replicas and no active pods only.
   */
  private cleanup(d: number): void {
    const spec = this.deployments[d];
    const old = this.sets[d].filter((rs, r) => r !== this.current[d] && !rs.deleted);
    let diff = old.length - (spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
    for (const rs of old) {
      if (diff <= 0) break;
      if (rs.replicas !== 0 || rs.active.size !== 0) continue;
      rs.deleted = true;
      diff--;
      this.cluster.events.add(this.sim.now, "OldReplicaSetDeleted", `deployment/${spec.namespace}/${spec.name}`, `replica set ${spec.name}-${rs.hash} deleted (revisionHistoryLimit ${spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT})`);
    }
  }

  /** A ReplicaSet's spec.replicas, annotated with the Deployment's replicas and + maxSurge when it changes (or always: `annotate`). */
  private setReplicas(rs: Rs, replicas: number, desired: number, surge: number, annotate = false): void {
    if (rs.replicas === replicas && !annotate) return;
    rs.replicas = replicas;
    rs.desiredAnnotation = desired;
    rs.maxAnnotation = desired + surge;
  }

  /** isScalingEvent: an active ReplicaSet annotated for other replicas than spec.replicas. */
  private isScalingEvent(d: number): boolean {
    const desired = this.desired[d];
    for (const rs of this.sets[d]) if (rs.replicas > 0 && rs.desiredAnnotation > 0 && rs.desiredAnnotation !== desired) return true;
    return false;
  }

  /**
   * The Progressing condition on the status now (syncRolloutStatus; a scaling or paused
   * sync writes the status without estimating progress), and the next progress check.
   */
  private checkProgress(d: number, rolloutSync = true): void {
    const t = this.progress[d];
    if (!t.hasDeadline || this.deleted[d]) return;
    const st = this.statusScratch;
    const list = this.sets[d];
    st.replicas = 0;
    for (const rs of list) st.replicas += rs.active.size;
    st.updated = list[this.current[d]].active.size;
    st.ready = this.readyPods[d];
    st.available = this.available[d];
    const desired = this.desired[d];
    if (this.paused[d] || !rolloutSync) {
      t.observe(st); // syncDeploymentStatus: no progress estimated
      return;
    }
    const lastProgressUs = t.lastUpdateUs;
    if (t.sync(this.sim.now, desired, st)) {
      const spec = this.deployments[d];
      this.cluster.events.add(this.sim.now, "ProgressDeadlineExceeded", `deployment/${spec.namespace}/${spec.name}`, `ReplicaSet "${spec.name}-${list[this.current[d]].hash}" has timed out progressing: no progress since ${(lastProgressUs / US_PER_S).toFixed(3)} s (Progressing=False, nothing rolled back)`);
    }
    const at = t.nextCheckUs(this.sim.now, desired, st, ADD_AFTER_SKEW_US);
    if (at < 0 || this.progressCheckUs[d] >= 0) return;
    this.progressCheckUs[d] = at;
    this.sim.scheduleAt(at, this.progressCheckId, d);
  }

  /** manageReplicas: create the missing pods, or delete the extra ones in upstream's order. */
  private reconcile(d: number, r: number): void {
    const rs = this.sets[d][r];
    const diff = rs.replicas - (rs.active.size + rs.creating);
    for (let k = 0; k < diff; k++) this.createReplica(d, r);
    if (diff < 0) {
      // Ranked by the Deployment's pods of every ReplicaSet on the same node (getIndirectlyRelatedPods).
      const related = this.sets[d].flatMap((set) => [...set.active]);
      for (const pod of podsToDelete([...rs.active], -diff, this.cluster, related)) this.cluster.deletePod(pod, this.cluster.outcomes.id(OUTCOME_DELETED));
    }
  }

  private podEnded(pod: number): void {
    this.replacements.delete(pod);
    const at = this.rsOf(pod);
    if (!at) return;
    const rs = this.sets[at[0]][at[1]];
    rs.live.delete(pod);
    // A pod deleted gracefully stopped counting when its deletion began.
    if (rs.active.delete(pod)) this.replace(at[0]);
    else this.sync(at[0]);
  }

  private podDeleting(pod: number): void {
    const at = this.rsOf(pod);
    if (at && this.sets[at[0]][at[1]].active.delete(pod)) this.replace(at[0]);
  }

  private replace(d: number): void {
    this.replacing = this.followReplacementsFromUs >= 0;
    this.sync(d);
    this.replacing = false;
  }

  private podCreated(pod: number): void {
    const at = this.rsOf(pod);
    if (at) {
      const rs = this.sets[at[0]][at[1]];
      // An adopted pod of a cluster export (run/adoptedPods.ts) answers no create of ours.
      if (this.cluster.adoptingNode < 0) rs.creating--;
      rs.active.add(pod);
      rs.live.add(pod);
      if (!this.syncing) this.checkProgress(at[0]);
      // The pod's add event syncs the ReplicaSet (queued: the other informers see the pod
      // first): one more than it now wants (a scale down while the create was in flight)
      // is deleted.
      if (rs.active.size + rs.creating > rs.replicas) this.sim.schedule(0, this.syncId, at[0]);
    }
    // Creates are answered later with a control plane: a pod created after the fault by a Deployment counts.
    if (this.followReplacementsFromUs < 0 || !at) return;
    if (this.pendingReplacements > 0) {
      this.pendingReplacements--;
      this.replacements.add(pod);
      this.replacementsCreated++;
    }
  }

  private podRunning(pod: number): void {
    if (this.replacements.delete(pod)) this.lastReplacementRunningUs = this.sim.now;
  }

  /**
   * A pod of a Deployment became Ready (Running, Ready, not Terminating) or stopped being:
   * available at once without minReadySeconds, else checked minReadySeconds + 1 s later
   * (a pod that loses Ready meanwhile never becomes available from that Ready spell).
   */
  private readiness(pod: number, ready: boolean): void {
    const at = this.rsOf(pod);
    if (!at) return;
    if (pod >= this.counted.length) {
      const n = nextCapacity(this.counted.length, pod + 1);
      this.counted = grown(this.counted, n);
      this.readyAtUs = grown(this.readyAtUs, n).fill(-1, this.readyAtUs.length);
    }
    const d = at[0];
    const after = this.availableAfterUs[d];
    this.readyPods[d] += ready ? 1 : -1;
    this.checkProgress(d);
    if (ready) {
      if (after === 0) this.availability(pod, d, at[1], true);
      else {
        this.readyAtUs[pod] = this.sim.now;
        this.sim.schedule(after, this.availableCheckId, pod);
      }
      return;
    }
    this.readyAtUs[pod] = -1;
    if (this.counted[pod] === 1) this.availability(pod, d, at[1], false);
  }

  /** minReadySeconds (+ 1 s) after a pod became Ready: available if it stayed Ready all along. */
  private minReadyCheck(pod: number): void {
    const since = this.readyAtUs[pod];
    if (since < 0) return;
    const at = this.rsOf(pod)!;
    if (this.sim.now - since < this.availableAfterUs[at[0]]) return; // a later Ready spell has its own check
    this.readyAtUs[pod] = -1;
    this.availability(pod, at[0], at[1], true);
  }

  /**
   * Events when a Deployment first falls below its replica count and when all its
   * replicas are available again (how long the loss lasted); the initial ramp-up is not
   * logged. A rollout goes on with every change of availability.
   */
  private availability(pod: number, d: number, r: number, available: boolean): void {
    this.counted[pod] = available ? 1 : 0;
    this.sets[d][r].available += available ? 1 : -1;
    this.available[d] += available ? 1 : -1;
    this.availabilityEvents(d, available);
    this.workloadChanged(d);
    if (this.rolloutSinceUs[d] >= 0 || this.sets[d].length > 1) this.sync(d);
    else this.checkProgress(d);
  }

  private availabilityEvents(d: number, available: boolean): void {
    if (this.deleted[d]) return;
    const spec = this.deployments[d];
    const replicas = this.desired[d];
    if (!available) {
      if (this.everAvailable[d] && this.unavailableSinceUs[d] < 0 && this.available[d] < replicas) {
        this.unavailableSinceUs[d] = this.sim.now;
        this.cluster.events.add(this.sim.now, "ReplicasUnavailable", `deployment/${spec.namespace}/${spec.name}`, `fewer than ${replicas} replicas available`);
      }
      return;
    }
    if (this.available[d] < replicas) return;
    this.everAvailable[d] = true;
    const since = this.unavailableSinceUs[d];
    if (since < 0) return;
    const lastedUs = this.sim.now - since;
    this.maxUnavailableUs = Math.max(this.maxUnavailableUs, lastedUs);
    this.unavailableSinceUs[d] = -1;
    this.cluster.events.add(this.sim.now, "ReplicasAvailable", `deployment/${spec.namespace}/${spec.name}`, `all ${replicas} replicas available again after ${(lastedUs / US_PER_S).toFixed(3)} s`);
  }

  private createReplica(d: number, r: number): void {
    if (this.replacing) this.pendingReplacements++;
    const spec = this.deployments[d];
    const rs = this.sets[d][r];
    rs.creating++;
    const name = `${spec.name}-${rs.hash}-${podNameSuffix(rs.created++)}`;
    this.creates.create(this.itemBase[d] + r, name, spec.namespace, rs.template, this.ownerOf[d]);
  }
}
