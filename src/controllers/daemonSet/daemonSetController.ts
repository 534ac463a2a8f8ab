/**
 * kube-controller-manager's DaemonSet controller (k/k pkg/controller/daemon): one pod of
 * each DaemonSet on every node that should run it (nodeShouldRun.ts, decided when the run
 * is set up: one admitted pod template per DaemonSet, revision and eligible node, its
 * required node affinity naming the node, so the kube-scheduler binds it there).
 *
 * - The manage loop (podsShouldBeOnNode): a node with no daemon pod of a DaemonSet gets
 *   one, on the update revision, unless the Node object is gone; a Node registered again
 *   gets its pods back. A Terminating pod still occupies its node: the new pod is created
 *   once it is gone. With maxSurge > 0 a node needs one pod that is not Terminating, and
 *   of an old and a new pod side by side the old one goes once the new one is available
 *   (or at once when the old one is not Ready).
 * - A rollout action (a new template revision): RollingUpdate follows upstream's
 *   rollingUpdate (rollingUpdate.ts: maxUnavailable, default 1, or maxSurge); OnDelete
 *   leaves the pods alone, a pod deleted otherwise comes back on the new revision.
 *   events.csv RolloutStarted, and RolloutComplete once every node that should run the
 *   pod has an updated one available (`kubectl rollout status`), with its duration.
 * - Creates go through `PodCreates` (at once without a control plane; API requests of the
 *   kube-controller-manager lease holder with one, as the ReplicaSet controller's: at
 *   most burstReplicas = 250 per sync (daemon_controller.go), in slow-start batches 1, 2,
 *   4, ..., no new sync while a sync's creates are in flight).
 * - A deleted DaemonSet (a `delete` action, its namespace's deletion) is no longer synced;
 *   desired reads 0; the garbage collector deletes its pods.
 * - Daemon pods tolerate not-ready and unreachable NoExecute taints forever: a failed
 *   node keeps them (they are never evicted).
 *
 * Simplifications (README "Model fidelity"): a create once decided is sent even if the
 * node stops needing it meanwhile, and counts as a new pod not yet available while in
 * flight; deletions are not bounded by burstReplicas; minReadySeconds is 0; the controller-revision-hash label is not set (a revision's pods
 * share one template per node); node eligibility does not change in a run (a new
 * template keeps the nodes); nodes do not join a run except by registering again.
 */
import { US_PER_S } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { OUTCOME_DELETED } from "../../apiserver/clusterState.js";
import { podNameSuffix } from "../../apiserver/generateName.js";
import { PodPhase } from "../../model/podTable.js";
import type { PodCreates } from "../podCreates.js";
import type { DeletableWorkload } from "../garbageCollector.js";
import { daemonSetBudget, rollingUpdateStep, type DaemonPodState, type NodeDaemonPods } from "./rollingUpdate.js";

/** A DaemonSet of the run, resolved: its eligible nodes and the pod template of each. */
export interface DaemonSetSpec {
  /** Created by an apply action at this time (us); undefined: at the start of the run. */
  startUs?: number;
  name: string;
  namespace: string;
  /** Node rows that should run a daemon pod, in node order. */
  nodes: number[];
  /** Per entry of `nodes`: the admitted template of that node's pod. */
  templates: number[];
  /** spec.updateStrategy (SetDefaults_DaemonSet: RollingUpdate, maxUnavailable 1, maxSurge 0). */
  updateStrategy?: { type: "RollingUpdate" | "OnDelete"; maxUnavailable: number | string; maxSurge: number | string };
  /** pod-template-hash of the template as written (a rollout to an equal template changes nothing). */
  templateHash?: string;
  /** Later revisions (rollout actions), in order: per entry of `nodes`, its template. */
  revisions?: { templates: number[]; templateHash: string }[];
}

const DEFAULT_UPDATE_STRATEGY = { type: "RollingUpdate" as const, maxUnavailable: 1, maxSurge: 0 };

export class DaemonSetController {
  /** Owner id -> DaemonSet index. */
  private readonly daemonSetOf = new Map<number, number>();
  private readonly ownerOf: number[] = [];
  /** Template -> its slot (entry of its DaemonSet's nodes) and revision. */
  private readonly slotOfTemplate = new Map<number, number>();
  private readonly revisionOfTemplate = new Map<number, number>();
  /** Per DaemonSet: per revision, the template of each slot; and each revision's hash. */
  private readonly templates: number[][][];
  private readonly hashes: string[][];
  /** Per DaemonSet and slot: its daemon pods not ended (Terminating ones included), oldest first. */
  private readonly podsOf: number[][][];
  /** Per DaemonSet and slot: creates in flight. */
  private readonly creating: Int32Array[];
  private readonly created: number[];
  /** Per DaemonSet: the update revision; pods on it, not Terminating, not ended (updatedNumberScheduled). */
  private readonly updateRevision: number[];
  private readonly updated: number[];
  /** Per DaemonSet: when its rollout began (us), -1 when none is under way. */
  private readonly rolloutSinceUs: number[];
  /** Per DaemonSet: the object exists (created at the start or applied since). */
  private readonly exists: boolean[];
  /** Per DaemonSet: how long each of its finished rollouts took (s). */
  readonly rolloutSeconds: number[][];
  /** Daemon pods created so far. */
  podsCreated = 0;
  /** Inside a sync (its own deletions and creates must not start another); DaemonSets to sync again. */
  private syncing = false;
  private readonly dirty = new Set<number>();
  /** Per DaemonSet: deleted (nothing acts for it). */
  private readonly deleted: boolean[];

  /** Per DaemonSet: node row -> slot, -1 for a node that should not run it. */
  private readonly slotOfNode: Int32Array[];

  constructor(
    private readonly cluster: ClusterState,
    private readonly daemonSets: readonly DaemonSetSpec[],
    private readonly creates: PodCreates,
  ) {
    this.templates = daemonSets.map((ds) => [ds.templates, ...(ds.revisions ?? []).map((r) => r.templates)]);
    this.hashes = daemonSets.map((ds) => [ds.templateHash ?? "", ...(ds.revisions ?? []).map((r) => r.templateHash)]);
    daemonSets.forEach((ds, d) => {
      const owner = cluster.addOwner(`DaemonSet/${ds.namespace}/${ds.name}`);
      this.daemonSetOf.set(owner, d);
      this.ownerOf.push(owner);
      this.templates[d].forEach((list, r) =>
        list.forEach((t, k) => {
          this.slotOfTemplate.set(t, k);
          this.revisionOfTemplate.set(t, r);
        }),
      );
    });
    this.podsOf = daemonSets.map((ds) => ds.nodes.map(() => []));
    this.creating = daemonSets.map((ds) => new Int32Array(ds.nodes.length));
    this.slotOfNode = daemonSets.map((ds) => {
      const m = new Int32Array(cluster.nodes.count).fill(-1);
      ds.nodes.forEach((n, k) => (m[n] = k));
      return m;
    });
    this.created = daemonSets.map(() => 0);
    this.updateRevision = daemonSets.map(() => 0);
    this.updated = daemonSets.map(() => 0);
    this.rolloutSinceUs = daemonSets.map(() => -1);
    this.exists = daemonSets.map(() => false);
    this.rolloutSeconds = daemonSets.map(() => []);
    this.deleted = daemonSets.map(() => false);
    cluster.onPodCreated.push((pod) => this.podCreated(pod));
    cluster.onPodDeleting.push((pod) => this.podDeleting(pod));
    cluster.onPodEnded.push((pod) => this.podEnded(pod));
    cluster.onPodAvailability.push((pod) => {
      const d = this.daemonSetOf.get(cluster.pods.owner[pod]);
      if (d !== undefined && this.rolloutSinceUs[d] >= 0) this.sync(d);
    });
    cluster.onNodeChanged.push((node) => this.nodeChanged(node));
  }

  /** Each DaemonSet's owner id, name, desired pods (eligible nodes that exist: desiredNumberScheduled) and updated pods, for workloads.csv. */
  workloads(): { owner: number; name: string; desired: () => number; updated: () => number; rolloutSeconds: readonly number[] }[] {
    return this.daemonSets.map((ds, d) => ({
      owner: this.ownerOf[d],
      name: `DaemonSet/${ds.namespace}/${ds.name}`,
      desired: () => (this.exists[d] ? this.desiredNumberScheduled(d) : 0),
      updated: () => this.updated[d],
      rolloutSeconds: this.rolloutSeconds[d],
    }));
  }

  start(): void {
    this.daemonSets.forEach((ds, d) => {
      if (ds.startUs === undefined) this.create(d);
    });
  }

  /** The DaemonSet object is created (at the start, or by an apply action): a pod for every eligible node. */
  create(d: number): void {
    this.exists[d] = true;
    this.daemonSets[d].nodes.forEach((_, k) => this.manage(d, k));
  }

  /** The DaemonSets as objects a user or the namespace controller can delete. */
  deletable(): DeletableWorkload[] {
    return this.daemonSets.map((ds, d) => ({ kind: "DaemonSet" as const, namespace: ds.namespace, name: ds.name, stop: () => this.stop(d) }));
  }

  private stop(d: number): number {
    if (this.deleted[d]) return -1;
    this.deleted[d] = true;
    this.rolloutSinceUs[d] = -1;
    this.creates.forget?.(d);
    return this.ownerOf[d];
  }

  /**
   * A new pod template (kubectl set image, rollout restart): revision `revision` of
   * spec.revisions becomes the update revision (a template equal to an earlier one makes
   * that one the update revision again, as constructHistory's Match does).
   */
  rollout(d: number, revision: number): void {
    if (this.deleted[d]) return;
    const ds = this.daemonSets[d];
    const r = this.hashes[d].indexOf(this.hashes[d][revision + 1]);
    if (r === this.updateRevision[d]) return;
    this.updateRevision[d] = r;
    this.updated[d] = 0;
    for (const list of this.podsOf[d]) for (const p of list) if (this.isNew(d, p) && this.cluster.pods.deletionUs[p] < 0) this.updated[d]++;
    this.rolloutSinceUs[d] = this.cluster.now;
    const strategy = ds.updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    this.cluster.events.add(this.cluster.now, "RolloutStarted", `daemonset/${ds.namespace}/${ds.name}`, `update revision ${r + 1} (${strategy.type}${strategy.type === "RollingUpdate" ? `, maxUnavailable ${strategy.maxUnavailable}, maxSurge ${strategy.maxSurge}` : ""})`);
    this.sync(d);
  }

  private desiredNumberScheduled(d: number): number {
    if (this.deleted[d]) return 0;
    const exists = this.cluster.nodes.exists;
    return this.daemonSets[d].nodes.reduce((n, row) => n + exists[row], 0);
  }

  private isNew(d: number, pod: number): boolean {
    return this.revisionOfTemplate.get(this.cluster.pods.template[pod]) === this.updateRevision[d];
  }

  private allowsSurge(d: number): boolean {
    const strategy = this.daemonSets[d].updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    return strategy.type === "RollingUpdate" && daemonSetBudget(strategy.maxSurge, 0, 1).surge > 0;
  }

  /** The pod's DaemonSet and slot, or undefined for a pod of no DaemonSet. */
  private slotOf(pod: number): [number, number] | undefined {
    const d = this.daemonSetOf.get(this.cluster.pods.owner[pod]);
    const k = this.slotOfTemplate.get(this.cluster.pods.template[pod]);
    return d === undefined || k === undefined ? undefined : [d, k];
  }

  private podCreated(pod: number): void {
    const at = this.slotOf(pod);
    if (!at) return;
    const [d, k] = at;
    // An adopted pod of a cluster export (run/adoptedPods.ts) answers no create of ours.
    if (this.cluster.adoptingNode < 0) this.creating[d][k]--;
    this.podsOf[d][k].push(pod);
    if (this.isNew(d, pod)) this.updated[d]++;
    this.changed(d, k);
  }

  private podDeleting(pod: number): void {
    const at = this.slotOf(pod);
    if (!at) return;
    if (this.isNew(at[0], pod)) this.updated[at[0]]--;
    this.changed(at[0], at[1]);
  }

  private podEnded(pod: number): void {
    const at = this.slotOf(pod);
    if (!at) return;
    const [d, k] = at;
    const list = this.podsOf[d][k];
    const i = list.indexOf(pod);
    if (i >= 0) list.splice(i, 1);
    if (this.cluster.pods.deletionUs[pod] < 0 && this.isNew(d, pod)) this.updated[d]--;
    this.changed(d, k);
  }

  /** A Node registered again (after it was deleted) gets its daemon pods. */
  private nodeChanged(node: number): void {
    if (this.cluster.nodes.exists[node] === 0) return;
    this.slotOfNode.forEach((m, d) => {
      if (m[node] >= 0) this.changed(d, m[node]);
    });
  }

  /** A pod of slot k changed: the whole DaemonSet during a rollout, else that node's manage loop. */
  private changed(d: number, k: number): void {
    if (this.rolloutSinceUs[d] >= 0) this.sync(d);
    else if (!this.syncing) this.manage(d, k);
    else this.dirty.add(d);
  }

  private sync(d: number): void {
    this.dirty.add(d);
    if (this.syncing) return;
    this.syncing = true;
    while (this.dirty.size > 0) {
      const next = this.dirty.values().next().value as number;
      this.dirty.delete(next);
      this.syncOnce(next);
    }
    this.syncing = false;
  }

  /** syncDaemonSet: the manage loop on every node, then the RollingUpdate step, then whether the rollout is complete. */
  private syncOnce(d: number): void {
    if (this.deleted[d]) return;
    const ds = this.daemonSets[d];
    ds.nodes.forEach((_, k) => this.manage(d, k));
    const strategy = ds.updateStrategy ?? DEFAULT_UPDATE_STRATEGY;
    if (this.rolloutSinceUs[d] < 0) return;
    if (strategy.type === "RollingUpdate") {
      const { surge, unavailable } = daemonSetBudget(strategy.maxSurge, strategy.maxUnavailable, this.desiredNumberScheduled(d));
      const nodes: NodeDaemonPods[] = [];
      const slots: number[] = [];
      ds.nodes.forEach((row, k) => {
        // nodeToDaemonPods: the nodes that should run the pod (and exist), and those with daemon pods.
        if (this.cluster.nodes.exists[row] === 0 && this.podsOf[d][k].length === 0) return;
        slots.push(k);
        nodes.push(this.nodeDaemonPods(d, k));
      });
      const step = rollingUpdateStep(nodes, surge, unavailable);
      for (const i of step.deleteOld) {
        const old = this.podsOf[d][slots[i]].find((p) => this.cluster.pods.deletionUs[p] < 0 && !this.isNew(d, p));
        if (old !== undefined) this.cluster.deletePod(old, this.cluster.outcomes.id(OUTCOME_DELETED));
      }
      for (const i of step.createNew) this.createPod(d, slots[i]);
    }
    this.checkRollout(d);
  }

  /** findUpdatedPodsOnNode, Terminating pods left out; a create in flight is a new pod not available yet. */
  private nodeDaemonPods(d: number, k: number): NodeDaemonPods {
    let newPod: DaemonPodState = this.creating[d][k] > 0 ? "unavailable" : "none";
    let oldPod: DaemonPodState = "none";
    let excess = this.creating[d][k] > 1;
    for (const p of this.podsOf[d][k]) {
      if (this.cluster.pods.deletionUs[p] >= 0) continue;
      const state = this.cluster.available(p) ? "available" : "unavailable";
      if (this.isNew(d, p)) {
        if (newPod !== "none") excess = true;
        newPod = state;
      } else {
        if (oldPod !== "none") excess = true;
        oldPod = state;
      }
    }
    return { newPod, oldPod, excess };
  }

  /**
   * podsShouldBeOnNode for slot k: create the node's pod when it has none (without surge
   * a Terminating pod still counts); prune extra pods (without surge all but the oldest;
   * with surge the oldest new and old pods stay, the old one only while it is Ready and
   * the new one not yet available).
   */
  private manage(d: number, k: number): void {
    if (this.deleted[d]) return;
    const ds = this.daemonSets[d];
    if (!this.exists[d] || this.cluster.nodes.exists[ds.nodes[k]] === 0) return;
    const pods = this.cluster.pods;
    const running = this.podsOf[d][k].filter((p) => pods.deletionUs[p] < 0);
    const surge = this.allowsSurge(d);
    if ((surge ? running.length : this.podsOf[d][k].length) + this.creating[d][k] === 0) {
      this.createPod(d, k);
      return;
    }
    if (running.length <= 1) return;
    const deleted = this.cluster.outcomes.id(OUTCOME_DELETED);
    if (!surge) {
      for (const p of running.slice(1)) this.cluster.deletePod(p, deleted);
      return;
    }
    const oldestNew = running.find((p) => this.isNew(d, p));
    const oldestOld = running.find((p) => !this.isNew(d, p));
    for (const p of running) if (p !== oldestNew && p !== oldestOld) this.cluster.deletePod(p, deleted);
    if (oldestNew === undefined || oldestOld === undefined) return;
    const ready = pods.phase[oldestOld] === PodPhase.Running && pods.ready[oldestOld] === 1;
    if (!ready || this.cluster.available(oldestNew)) this.cluster.deletePod(oldestOld, deleted);
  }

  /** Create slot k's pod on the update revision. */
  private createPod(d: number, k: number): void {
    const ds = this.daemonSets[d];
    this.creating[d][k]++;
    this.podsCreated++;
    this.creates.create(d, `${ds.name}-${podNameSuffix(this.created[d]++)}`, ds.namespace, this.templates[d][this.updateRevision[d]][k], this.ownerOf[d]);
  }

  /** `kubectl rollout status`: every node that should run the pod has an updated pod, available. */
  private checkRollout(d: number): void {
    const ds = this.daemonSets[d];
    const exists = this.cluster.nodes.exists;
    if (this.updated[d] < this.desiredNumberScheduled(d)) return; // some node has no updated pod yet: no need to look at each
    let desired = 0;
    for (let k = 0; k < ds.nodes.length; k++) {
      if (exists[ds.nodes[k]] === 0) continue;
      desired++;
      const n = this.nodeDaemonPods(d, k);
      if (n.newPod !== "available" || n.oldPod !== "none") return;
    }
    const seconds = (this.cluster.now - this.rolloutSinceUs[d]) / US_PER_S;
    this.rolloutSinceUs[d] = -1;
    this.rolloutSeconds[d].push(seconds);
    this.cluster.events.add(this.cluster.now, "RolloutComplete", `daemonset/${ds.namespace}/${ds.name}`, `update revision ${this.updateRevision[d] + 1}: all ${desired} nodes have an updated pod available, after ${seconds.toFixed(3)} s`);
  }
}
