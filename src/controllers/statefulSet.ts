/**
 * kube-controller-manager's StatefulSet controller (k/k pkg/controller/statefulset), for
 * the StatefulSets of a run: pods with stable names `<name>-<ordinal>`, ordinals 0 to
 * replicas - 1.
 * - OrderedReady (the default): pod i is created only once pods 0 .. i-1 are Running and
 *   Ready; a missing pod is created again before any later one.
 * - Parallel: every missing pod is created at once (with a control plane, sent in
 *   slow-start batches 1, 2, 4, ... of at most MaxBatchSize = 500, stateful_set_control.go
 *   runForAll/slowStartBatch; upstream's batches also count the existing replicas,
 *   kubesim's only the pods to create).
 * - A pod's name is its identity: while a pod of that name is Terminating (for instance on
 *   a node that failed and whose kubelet cannot confirm), no new one is created. This is
 *   why a StatefulSet's pod on a lost node stays down until the node comes back or the
 *   Node object is deleted (PodGC then removes the pod).
 *
 * - A scale action: up creates the new ordinals as above; down deletes from the highest
 *   ordinal, one at a time once the one above is gone (OrderedReady), or all at once
 *   (Parallel).
 * - A rollout action (a new template revision; updateStrategy, stateful_set_control.go
 *   updateStatefulSet): RollingUpdate deletes the pod of the highest ordinal not on the
 *   update revision, once every pod is Running and Ready (OrderedReady) and every pod
 *   above it is updated and available; the pod is created again when its name is free.
 *   So one pod at a time, from the highest ordinal down to
 *   spec.updateStrategy.rollingUpdate.partition (default 0). Parallel updates one at a
 *   time too: upstream's maxUnavailable (MaxUnavailableStatefulSet: alpha and off in
 *   1.24-1.34, beta from 1.35) is refused by the loader unless 1, which is this same
 *   behaviour. A pod created again below the partition gets the current revision (the
 *   one the last complete rollout left: newVersionedStatefulSetPod). OnDelete: nothing
 *   is deleted for the update; a pod deleted otherwise comes back on the update revision.
 *   events.csv RolloutStarted, and RolloutComplete as `kubectl rollout status` sees it
 *   (every pod Ready, the ordinals from the partition up updated), with its duration.
 *
 * - A deleted StatefulSet (a `delete` action, its namespace's deletion) is no longer synced;
 *   desired reads 0; the garbage collector deletes its pods, all at once (background
 *   propagation has no ordinal order; upstream advises scaling to 0 first for that).
 *
 * Simplifications (README "Model fidelity"): no volumeClaimTemplates; minReadySeconds
 * is 0; the per-pod label statefulset.kubernetes.io/pod-name and the
 * controller-revision-hash label are not set (the pods of a revision share one
 * template).
 */
import { US_PER_S } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { PodPhase } from "../model/podTable.js";
import { OUTCOME_DELETED } from "../apiserver/clusterState.js";
import type { PodCreates } from "./podCreates.js";
import type { DeletableWorkload } from "./garbageCollector.js";

export interface StatefulSetSpec {
  /** Created by an apply action at this time (us); undefined: at the start of the run. */
  startUs?: number;
  name: string;
  namespace: string;
  replicas: number;
  template: number;
  /** podManagementPolicy Parallel (else OrderedReady). */
  parallel: boolean;
  /** spec.updateStrategy (SetDefaults_StatefulSet: RollingUpdate, partition 0). */
  updateStrategy?: { type: "RollingUpdate" | "OnDelete"; partition: number };
  /** pod-template-hash of the template (a rollout to an equal template changes nothing). */
  templateHash?: string;
  /** The templates of later revisions (rollout actions), in order. */
  revisions?: { template: number; templateHash: string }[];
}

const DEFAULT_UPDATE_STRATEGY = { type: "RollingUpdate" as const, partition: 0 };

export class StatefulSetController {
  private readonly setOfOwner = new Map<number, number>();
  private readonly ownerOf: number[] = [];
  /** Per StatefulSet and ordinal: the pod of that name (its row), -1 while none exists; -2 while a create is in flight. */
  private readonly podOf: number[][];
  /** Per StatefulSet: spec.replicas now (a scale action changes it). */
  private readonly replicas: number[];
  /** Pod row -> ordinal, for the pods of StatefulSets. */
  private readonly ordinalOf = new Map<number, number>();
  /** Per StatefulSet: the template of each revision (the first, then one per rollout action) and its hash. */
  private readonly templates: number[][];
  private readonly hashes: string[][];
  /** Template -> its revision among its StatefulSet's. */
  private readonly revisionOfTemplate = new Map<number, number>();
  /** Per StatefulSet: status.updateRevision and status.currentRevision (indices into templates). */
  private readonly updateRevision: number[];
  private readonly currentRevision: number[];
  /** Per StatefulSet: pods on the update revision, not Terminating, not ended (status.updatedReplicas). */
  private readonly updated: number[];
  /** Per StatefulSet: when its rollout began (us), -1 when none is under way. */
  private readonly rolloutSinceUs: number[];
  /** Per StatefulSet: the object exists (created at the start or applied since). */
  private readonly exists: boolean[];
  /** Per StatefulSet: how long each of its finished rollouts took (s). */
  readonly rolloutSeconds: number[][];
  /** Called when StatefulSet k's spec.replicas changed (for workload_summary.csv). */
  workloadChanged: (k: number) => void = () => {};
  /** Per StatefulSet: deleted (nothing acts for it). */
  private readonly deleted: boolean[];

  constructor(
    private readonly cluster: ClusterState,
    private readonly sets: readonly StatefulSetSpec[],
    private readonly creates: PodCreates,
  ) {
    sets.forEach((s, k) => {
      const owner = cluster.addOwner(`StatefulSet/${s.namespace}/${s.name}`);
      this.setOfOwner.set(owner, k);
      this.ownerOf.push(owner);
    });
    this.podOf = sets.map((s) => new Array<number>(s.replicas).fill(-1));
    this.replicas = sets.map((s) => s.replicas);
    this.templates = sets.map((s) => [s.template, ...(s.revisions ?? []).map((r) => r.template)]);
    this.hashes = sets.map((s) => [s.templateHash ?? "", ...(s.revisions ?? []).map((r) => r.templateHash)]);
    this.templates.forEach((list) => list.forEach((t, r) => this.revisionOfTemplate.set(t, r)));
    this.updateRevision = sets.map(() => 0);
    this.currentRevision = sets.map(() => 0);
    this.updated = sets.map(() => 0);
    this.rolloutSinceUs = sets.map(() => -1);
    this.exists = sets.map(() => false);
    this.rolloutSeconds = sets.map(() => []);
    this.deleted = sets.map(() => false);
    cluster.onPodCreated.push((pod) => this.created(pod));
    cluster.onPodDeleting.push((pod) => this.deleting(pod));
    cluster.onPodEnded.push((pod) => this.ended(pod));
    cluster.onPodAvailability.push((pod) => this.changed(pod));
  }

  /** Each StatefulSet's owner id, name, desired replicas and pods on the update revision, for workloads.csv. */
  workloads(): { owner: number; name: string; desired: () => number; updated: () => number; rolloutSeconds: readonly number[] }[] {
    return this.sets.map((s, k) => ({ owner: this.ownerOf[k], name: `StatefulSet/${s.namespace}/${s.name}`, desired: () => (this.exists[k] ? this.replicas[k] : 0), updated: () => this.updated[k], rolloutSeconds: this.rolloutSeconds[k] }));
  }

  /** The StatefulSets as objects a user or the namespace controller can delete. */
  deletable(): DeletableWorkload[] {
    return this.sets.map((s, k) => ({ kind: "StatefulSet" as const, namespace: s.namespace, name: s.name, stop: () => this.stop(k) }));
  }

  private stop(k: number): number {
    if (this.deleted[k]) return -1;
    this.deleted[k] = true;
    this.replicas[k] = 0;
    this.rolloutSinceUs[k] = -1;
    this.creates.forget?.(k);
    return this.ownerOf[k];
  }

  /** kubectl scale of StatefulSet k. */
  scale(k: number, replicas: number): void {
    if (this.deleted[k]) return;
    const s = this.sets[k];
    if (replicas !== this.replicas[k]) this.cluster.events.add(this.cluster.now, "ScalingStatefulSet", `statefulset/${s.namespace}/${s.name}`, `spec.replicas ${this.replicas[k]} -> ${replicas}`);
    this.replicas[k] = replicas;
    this.workloadChanged(k);
    while (this.podOf[k].length < replicas) this.podOf[k].push(-1);
    this.sync(k);
  }

  /**
   * A new pod template (kubectl set image, rollout restart): revision `revision` of
   * spec.revisions becomes the update revision. A template equal to an earlier one
   * (same hash) makes that one the update revision again, as upstream's
   * FindEqualRevisions does.
   */
  rollout(k: number, revision: number): void {
    if (this.deleted[k]) return;
    const s = this.sets[k];
    const r = this.hashes[k].indexOf(this.hashes[k][revision + 1]);
    if (r === this.updateRevision[k]) return;
    this.updateRevision[k] = r;
    this.updated[k] = 0;
    for (const p of this.podOf[k]) if (p >= 0 && this.counts(k, p)) this.updated[k]++;
    this.rolloutSinceUs[k] = this.cluster.now;
    const strategy = s.updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    this.cluster.events.add(this.cluster.now, "RolloutStarted", `statefulset/${s.namespace}/${s.name}`, `update revision ${r + 1} (${strategy.type}${strategy.type === "RollingUpdate" ? `, partition ${strategy.partition}` : ""})`);
    this.sync(k);
  }

  start(): void {
    this.sets.forEach((s, k) => {
      if (s.startUs === undefined) this.create(k);
    });
  }

  /** The StatefulSet object is created (at the start, or by an apply action). */
  create(k: number): void {
    this.exists[k] = true;
    this.sync(k);
  }

  private setOf(pod: number): number {
    return this.setOfOwner.get(this.cluster.pods.owner[pod]) ?? -1;
  }

  /** Pod p of StatefulSet k counts as updated: on the update revision and not Terminating (it is not ended). */
  private counts(k: number, p: number): boolean {
    return this.revisionOfTemplate.get(this.cluster.pods.template[p]) === this.updateRevision[k] && this.cluster.pods.deletionUs[p] < 0;
  }

  private created(pod: number): void {
    const k = this.setOf(pod);
    if (k < 0) return;
    const name = this.cluster.pods.names[pod];
    const ordinal = Number(name.slice(this.sets[k].name.length + 1));
    this.ordinalOf.set(pod, ordinal);
    this.podOf[k][ordinal] = pod;
    if (this.counts(k, pod)) this.updated[k]++;
    this.sync(k);
  }

  private deleting(pod: number): void {
    const k = this.setOf(pod);
    if (k >= 0 && this.ordinalOf.has(pod) && this.revisionOfTemplate.get(this.cluster.pods.template[pod]) === this.updateRevision[k]) this.updated[k]--;
  }

  /** The pod object is gone: its name is free again. */
  private ended(pod: number): void {
    const k = this.setOf(pod);
    const ordinal = this.ordinalOf.get(pod);
    if (k < 0 || ordinal === undefined) return;
    if (this.counts(k, pod)) this.updated[k]--;
    this.ordinalOf.delete(pod);
    if (this.podOf[k][ordinal] === pod) this.podOf[k][ordinal] = -1;
    this.sync(k);
  }

  private changed(pod: number): void {
    const k = this.setOf(pod);
    if (k >= 0) this.sync(k);
  }

  /**
   * newVersionedStatefulSetPod: the template of a pod created for ordinal i. Below the
   * partition of a RollingUpdate, the current revision; otherwise the update revision.
   */
  private templateFor(k: number, ordinal: number): number {
    const strategy = this.sets[k].updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    const r = strategy.type === "RollingUpdate" && ordinal < strategy.partition ? this.currentRevision[k] : this.updateRevision[k];
    return this.templates[k][r];
  }

  private sync(k: number): void {
    if (!this.exists[k] || this.deleted[k]) return;
    this.reconcile(k);
    if (this.rolloutSinceUs[k] >= 0) this.checkRollout(k);
  }

  /**
   * Delete the pods above spec.replicas (the highest first, one at a time for
   * OrderedReady), then create the missing ones: all of them (Parallel), or the first
   * missing one once every earlier pod is Running and Ready (OrderedReady); then the
   * RollingUpdate step (updateStatefulSet): from the highest ordinal down to the
   * partition, delete the first pod not on the update revision, or wait at the first
   * one not available.
   */
  private reconcile(k: number): void {
    const s = this.sets[k];
    const pods = this.podOf[k];
    const t = this.cluster.pods;
    const replicas = this.replicas[k];
    for (let i = pods.length - 1; i >= replicas; i--) {
      const p = pods[i];
      if (p === -1) continue;
      if (p === -2 || t.deletionUs[p] >= 0) {
        if (!s.parallel) return; // wait until it is gone
        continue;
      }
      this.cluster.deletePod(p, this.cluster.outcomes.id(OUTCOME_DELETED));
      if (!s.parallel) return;
    }
    for (let i = 0; i < replicas; i++) {
      const p = pods[i];
      if (p === -1) {
        pods[i] = -2;
        this.creates.create(k, `${s.name}-${i}`, s.namespace, this.templateFor(k, i), this.ownerOf[k]);
        if (!s.parallel) return;
        continue;
      }
      if (s.parallel) continue;
      // OrderedReady: wait until this pod runs and is ready (and is not going away).
      if (p === -2 || t.phase[p] !== PodPhase.Running || t.ready[p] === 0 || t.deletionUs[p] >= 0) return;
    }
    const strategy = s.updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    if (strategy.type !== "RollingUpdate") return; // OnDelete: pods take the update revision when deleted otherwise
    const update = this.updateRevision[k];
    for (let i = replicas - 1; i >= strategy.partition; i--) {
      const p = pods[i];
      if (p < 0) return; // being created: not available yet
      if (this.revisionOfTemplate.get(t.template[p]) !== update && t.deletionUs[p] < 0) {
        this.cluster.deletePod(p, this.cluster.outcomes.id(OUTCOME_DELETED));
        return;
      }
      if (!this.cluster.available(p)) return; // wait for it to be updated and available
    }
  }

  /**
   * The rollout is complete as `kubectl rollout status` sees it: every pod Ready (and no
   * pod above spec.replicas left), the ordinals from the partition up on the update
   * revision. With every pod updated, the update revision becomes the current one
   * (completeRollingUpdate).
   */
  private checkRollout(k: number): void {
    const pods = this.podOf[k];
    const replicas = this.replicas[k];
    const s = this.sets[k];
    const strategy = s.updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    const from = strategy.type === "RollingUpdate" ? strategy.partition : 0;
    const update = this.updateRevision[k];
    let updated = 0;
    for (let i = 0; i < pods.length; i++) {
      const p = pods[i];
      if (i >= replicas) {
        if (p !== -1) return;
        continue;
      }
      if (p < 0 || !this.cluster.available(p)) return;
      const onUpdate = this.revisionOfTemplate.get(this.cluster.pods.template[p]) === update;
      if (i >= from && !onUpdate) return;
      if (onUpdate) updated++;
    }
    if (updated === replicas) this.currentRevision[k] = update;
    const seconds = (this.cluster.now - this.rolloutSinceUs[k]) / US_PER_S;
    this.rolloutSinceUs[k] = -1;
    this.rolloutSeconds[k].push(seconds);
    const partitioned = from > 0 ? `, ordinals ${from}.. updated (partition ${from}), ${Math.min(from, replicas)} left on earlier revisions` : "";
    this.cluster.events.add(this.cluster.now, "RolloutComplete", `statefulset/${s.namespace}/${s.name}`, `update revision ${update + 1}: all ${replicas} pods Ready, ${updated} updated${partitioned}, after ${seconds.toFixed(3)} s`);
  }
}
