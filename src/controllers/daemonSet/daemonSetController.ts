/**
 * kube-controller-manager's DaemonSet controller (k/k pkg/controller/daemon): one pod of
 * each DaemonSet on every node that should run it (nodeShouldRun.ts, decided when the run
 * is set up: one admitted pod template per DaemonSet and eligible node, its required node
 * affinity naming the node, so the kube-scheduler binds it there).
 *
 * - At the start, and whenever a node has no daemon pod of a DaemonSet (its pod ended or
 *   got a deletionTimestamp: a Terminating pod does not count), one is created, unless
 *   the Node object is gone; a Node registered again gets its pods back.
 * - Creates go through `PodCreates` (at once without a control plane; API requests of the
 *   kube-controller-manager lease holder with one, as the ReplicaSet controller's).
 * - Daemon pods tolerate not-ready and unreachable NoExecute taints forever: a failed
 *   node keeps them (they are never evicted).
 *
 * Simplifications (README "Model fidelity"): no rolling updates (templates do not change
 * in a run yet), no slow-start batches or burstReplicas (250) per sync; nodes do not join
 * a run except by registering again.
 */
import type { ClusterState } from "../../apiserver/clusterState.js";
import { podNameSuffix } from "../../apiserver/generateName.js";
import type { PodCreates } from "../podCreates.js";

/** A DaemonSet of the run, resolved: its eligible nodes and the pod template of each. */
export interface DaemonSetSpec {
  name: string;
  namespace: string;
  /** Node rows that should run a daemon pod, in node order. */
  nodes: number[];
  /** Per entry of `nodes`: the admitted template of that node's pod. */
  templates: number[];
}

export class DaemonSetController {
  /** Owner id -> DaemonSet index. */
  private readonly daemonSetOf = new Map<number, number>();
  private readonly ownerOf: number[] = [];
  /** Template -> [DaemonSet, slot in its nodes]. */
  private readonly slotOfTemplate = new Map<number, [number, number]>();
  /** Per DaemonSet and slot: daemon pods that count (created or being created, not Terminating, not ended). */
  private readonly active: Int32Array[];
  private readonly created: number[];
  /** Daemon pods created so far. */
  podsCreated = 0;

  /** Per DaemonSet: node row -> slot, -1 for a node that should not run it. */
  private readonly slotOfNode: Int32Array[];

  constructor(
    private readonly cluster: ClusterState,
    private readonly daemonSets: readonly DaemonSetSpec[],
    private readonly creates: PodCreates,
  ) {
    daemonSets.forEach((ds, d) => {
      const owner = cluster.addOwner(`DaemonSet/${ds.namespace}/${ds.name}`);
      this.daemonSetOf.set(owner, d);
      this.ownerOf.push(owner);
      ds.templates.forEach((t, k) => this.slotOfTemplate.set(t, [d, k]));
    });
    this.active = daemonSets.map((ds) => new Int32Array(ds.nodes.length));
    this.slotOfNode = daemonSets.map((ds) => {
      const m = new Int32Array(cluster.nodes.count).fill(-1);
      ds.nodes.forEach((n, k) => (m[n] = k));
      return m;
    });
    this.created = daemonSets.map(() => 0);
    cluster.onPodDeleting.push((pod) => this.gone(pod));
    cluster.onPodEnded.push((pod) => {
      if (cluster.pods.deletionUs[pod] < 0) this.gone(pod);
    });
    cluster.onNodeChanged.push((node) => this.nodeChanged(node));
  }

  /** Each DaemonSet's owner id, name and desired pods (eligible nodes that exist: desiredNumberScheduled), for workloads.csv. */
  workloads(): { owner: number; name: string; desired: () => number }[] {
    const nodes = this.cluster.nodes;
    return this.daemonSets.map((ds, d) => ({
      owner: this.ownerOf[d],
      name: `DaemonSet/${ds.namespace}/${ds.name}`,
      desired: () => ds.nodes.reduce((n, row) => n + nodes.exists[row], 0),
    }));
  }

  start(): void {
    this.daemonSets.forEach((ds, d) => ds.nodes.forEach((_, k) => this.ensure(d, k)));
  }

  /** Create the slot's pod if it has none and its node exists. */
  private ensure(d: number, k: number): void {
    const ds = this.daemonSets[d];
    if (this.active[d][k] > 0 || this.cluster.nodes.exists[ds.nodes[k]] === 0) return;
    this.active[d][k]++;
    this.podsCreated++;
    this.creates.create(d, `${ds.name}-${podNameSuffix(this.created[d]++)}`, ds.namespace, ds.templates[k], this.ownerOf[d]);
  }

  private gone(pod: number): void {
    const slot = this.slotOfTemplate.get(this.cluster.pods.template[pod]);
    if (!slot || !this.daemonSetOf.has(this.cluster.pods.owner[pod])) return;
    const [d, k] = slot;
    this.active[d][k]--;
    this.ensure(d, k);
  }

  /** A Node registered again (after it was deleted) gets its daemon pods. */
  private nodeChanged(node: number): void {
    if (this.cluster.nodes.exists[node] === 0) return;
    this.slotOfNode.forEach((m, d) => {
      if (m[node] >= 0) this.ensure(d, m[node]);
    });
  }
}
