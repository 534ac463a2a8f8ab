/**
 * kube-controller-manager's StatefulSet controller (k/k pkg/controller/statefulset), for
 * the StatefulSets of a run: pods with stable names `<name>-<ordinal>`, ordinals 0 to
 * replicas - 1.
 * - OrderedReady (the default): pod i is created only once pods 0 .. i-1 are Running and
 *   Ready; a missing pod is created again before any later one.
 * - Parallel: every missing pod is created at once.
 * - A pod's name is its identity: while a pod of that name is Terminating (for instance on
 *   a node that failed and whose kubelet cannot confirm), no new one is created. This is
 *   why a StatefulSet's pod on a lost node stays down until the node comes back or the
 *   Node object is deleted (PodGC then removes the pod).
 *
 * - A scale action: up creates the new ordinals as above; down deletes from the highest
 *   ordinal, one at a time once the one above is gone (OrderedReady), or all at once
 *   (Parallel).
 *
 * Simplifications (README "Model fidelity"): no rolling updates (templates do not change
 * in a run yet), no volumeClaimTemplates; the
 * per-pod label statefulset.kubernetes.io/pod-name is not set (the pods share one
 * template).
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import { PodPhase } from "../model/podTable.js";
import { OUTCOME_DELETED } from "../apiserver/clusterState.js";
import type { PodCreates } from "./podCreates.js";

export interface StatefulSetSpec {
  name: string;
  namespace: string;
  replicas: number;
  template: number;
  /** podManagementPolicy Parallel (else OrderedReady). */
  parallel: boolean;
}

export class StatefulSetController {
  private readonly setOfOwner = new Map<number, number>();
  private readonly ownerOf: number[] = [];
  /** Per StatefulSet and ordinal: the pod of that name (its row), -1 while none exists; -2 while a create is in flight. */
  private readonly podOf: number[][];
  /** Per StatefulSet: spec.replicas now (a scale action changes it). */
  private readonly replicas: number[];
  /** Pod row -> ordinal, for the pods of StatefulSets. */
  private readonly ordinalOf = new Map<number, number>();

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
    cluster.onPodCreated.push((pod) => this.created(pod));
    cluster.onPodEnded.push((pod) => this.ended(pod));
    cluster.onPodAvailability.push((pod) => this.changed(pod));
  }

  /** Each StatefulSet's owner id, name and desired replicas, for workloads.csv. */
  workloads(): { owner: number; name: string; desired: () => number }[] {
    return this.sets.map((s, k) => ({ owner: this.ownerOf[k], name: `StatefulSet/${s.namespace}/${s.name}`, desired: () => this.replicas[k] }));
  }

  /** kubectl scale of StatefulSet k. */
  scale(k: number, replicas: number): void {
    const s = this.sets[k];
    if (replicas !== this.replicas[k]) this.cluster.events.add(this.cluster.now, "ScalingStatefulSet", `statefulset/${s.namespace}/${s.name}`, `spec.replicas ${this.replicas[k]} -> ${replicas}`);
    this.replicas[k] = replicas;
    while (this.podOf[k].length < replicas) this.podOf[k].push(-1);
    this.sync(k);
  }

  start(): void {
    this.sets.forEach((_, k) => this.sync(k));
  }

  private setOf(pod: number): number {
    return this.setOfOwner.get(this.cluster.pods.owner[pod]) ?? -1;
  }

  private created(pod: number): void {
    const k = this.setOf(pod);
    if (k < 0) return;
    const name = this.cluster.pods.names[pod];
    const ordinal = Number(name.slice(this.sets[k].name.length + 1));
    this.ordinalOf.set(pod, ordinal);
    this.podOf[k][ordinal] = pod;
    this.sync(k);
  }

  /** The pod object is gone: its name is free again. */
  private ended(pod: number): void {
    const k = this.setOf(pod);
    const ordinal = this.ordinalOf.get(pod);
    if (k < 0 || ordinal === undefined) return;
    this.ordinalOf.delete(pod);
    if (this.podOf[k][ordinal] === pod) this.podOf[k][ordinal] = -1;
    this.sync(k);
  }

  private changed(pod: number): void {
    const k = this.setOf(pod);
    if (k >= 0) this.sync(k);
  }

  /**
   * Delete the pods above spec.replicas (the highest first, one at a time for
   * OrderedReady), then create the missing ones: all of them (Parallel), or the first
   * missing one once every earlier pod is Running and Ready (OrderedReady).
   */
  private sync(k: number): void {
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
        this.creates.create(k, `${s.name}-${i}`, s.namespace, s.template, this.ownerOf[k]);
        if (!s.parallel) return;
        continue;
      }
      if (s.parallel) continue;
      // OrderedReady: wait until this pod runs and is ready (and is not going away).
      if (p === -2 || t.phase[p] !== PodPhase.Running || t.ready[p] === 0 || t.deletionUs[p] >= 0) return;
    }
  }
}
