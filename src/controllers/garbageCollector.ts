/**
 * kube-controller-manager's garbage collector (k/k pkg/controller/garbagecollector), for
 * the pods of deleted workloads: `kubectl delete deployment/web` with the default cascading
 * (propagationPolicy Background) removes the Deployment object at once; the collector's
 * graph builder sees it gone, finds its dependents (its ReplicaSets, then their pods)
 * dangling and deletes them, each pod a graceful delete with its
 * terminationGracePeriodSeconds (its kubelet confirms; ended pods are gone).
 *
 * - The graph: per owner (a workload's owner id), its pods not ended.
 * - A pod created for an owner already deleted (a create that was in flight) is deleted
 *   at once, as upstream's attemptToDeleteItem does for a dependent whose owner is absent.
 * - events.csv WorkloadPodsGone when the last pod of a deleted workload is gone, with how
 *   long that took.
 *
 * Simplifications (README "Model fidelity"): the collector acts at the instant of the
 * owner's delete (upstream: a watch event and a workqueue hop per level, milliseconds;
 * kubesim has no watch delay anywhere); its deletes are not API requests (as the other
 * controllers' deletes); the ReplicaSets in between are not objects of their own, so a
 * Deployment's pods of every ReplicaSet go together; no foreground or orphan propagation.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { OUTCOME_DELETED, type ClusterState } from "../apiserver/clusterState.js";

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";

/** A workload object that can be deleted, as its controller hands it out. */
export interface DeletableWorkload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** The object is deleted: its controller stops acting for it (no creates, no replacements). Returns its owner id, or -1 when it was already gone. */
  stop(): number;
}

interface Deleted {
  /** events.csv object: deployment/<ns>/<name> ... */
  object: string;
  kind: WorkloadKind;
  atUs: number;
  pods: number;
}

export class GarbageCollector {
  /** Owner id -> its pods not ended. */
  private readonly dependents = new Map<number, Set<number>>();
  /** Deleted owners whose pods are not all gone yet, and those already done. */
  private readonly deleted = new Map<number, Deleted>();
  private readonly gone = new Set<number>();
  private readonly deleteId: number;
  private readonly outcome: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
  ) {
    this.outcome = cluster.outcomes.id(OUTCOME_DELETED);
    // The dangling pod's delete is its own event, after every listener of the create ran.
    this.deleteId = sim.on("garbagecollector.attemptToDelete", (pod) => void cluster.deletePod(pod, this.outcome));
    cluster.onPodCreated.push((pod) => this.created(pod));
    cluster.onPodEnded.push((pod) => this.ended(pod));
  }

  /**
   * Delete workload `w` with background propagation: the object now (its controller stops),
   * every pod of it gracefully. Returns false when it was already gone.
   */
  deleteWorkload(w: DeletableWorkload, cause: string): boolean {
    const owner = w.stop();
    if (owner < 0) return false;
    const object = `${w.kind.toLowerCase()}/${w.namespace}/${w.name}`;
    const pods = [...(this.dependents.get(owner) ?? [])].sort((a, b) => a - b);
    this.cluster.events.add(this.sim.now, "WorkloadDeleted", object, `${cause} (propagationPolicy Background): the garbage collector deletes its ${pods.length} pod(s)`);
    const entry: Deleted = { object, kind: w.kind, atUs: this.sim.now, pods: pods.length };
    this.deleted.set(owner, entry);
    for (const pod of pods) this.cluster.deletePod(pod, this.outcome);
    if ((this.dependents.get(owner)?.size ?? 0) === 0) this.allGone(owner, entry);
    return true;
  }

  private created(pod: number): void {
    const owner = this.cluster.pods.owner[pod];
    if (owner < 0) return;
    let set = this.dependents.get(owner);
    if (!set) this.dependents.set(owner, (set = new Set()));
    set.add(pod);
    const d = this.deleted.get(owner);
    if (d) {
      d.pods++;
      this.gone.delete(owner);
      this.sim.schedule(0, this.deleteId, pod);
    }
  }

  private ended(pod: number): void {
    const owner = this.cluster.pods.owner[pod];
    const set = owner >= 0 ? this.dependents.get(owner) : undefined;
    if (!set || !set.delete(pod) || set.size > 0) return;
    const d = this.deleted.get(owner);
    if (d) this.allGone(owner, d);
  }

  private allGone(owner: number, d: Deleted): void {
    if (this.gone.has(owner)) return;
    this.gone.add(owner);
    const seconds = (this.sim.now - d.atUs) / US_PER_S;
    this.cluster.events.add(this.sim.now, "WorkloadPodsGone", d.object, d.pods === 0 ? `the deleted ${d.kind} had no pod left` : `the last of the deleted ${d.kind}'s ${d.pods} pod(s) is gone, ${seconds.toFixed(3)} s after its delete`);
  }
}
