/**
 * kube-controller-manager's namespace controller (k/k pkg/controller/namespace), and the
 * deletes a user makes of workloads (`kubectl delete deployment/web`, `kubectl delete
 * namespace shop`):
 *
 * - A workload delete: the object goes at once with background propagation, the garbage
 *   collector deletes its pods (garbageCollector.ts).
 * - A namespace delete: the Namespace gets its deletionTimestamp, phase Terminating, and
 *   from then on NamespaceLifecycle admission refuses every create in it
 *   (apiserver/admission/namespaceLifecycle.ts). The controller sees the update and syncs
 *   it namespaceDeletionGracePeriod (5 s) later. A sync (namespaced_resources_deleter.go
 *   Delete / deleteAllContent) deletes every collection of the namespace: its Deployments,
 *   StatefulSets, DaemonSets and Jobs (background propagation: the garbage collector
 *   deletes their pods), then its pods (graceful deletes). The pods' estimate is the
 *   largest terminationGracePeriodSeconds of its pods not Succeeded or Failed, taken
 *   before the deletes, 0 once that long has passed since the namespace's
 *   deletionTimestamp (estimateGracefulTermination). Then:
 *     no pod left           -> the controller removes its finalizer: the namespace is gone
 *                              (events.csv NamespaceDeleted, with how long it took);
 *     pods left, estimate>0 -> synced again estimate/2 + 1 s later (ResourcesRemainingError);
 *     pods left, estimate 0 -> an error ("unexpected items still remain"): requeued
 *                              rate-limited, 5 ms doubling up to 60 s (nsControllerRateLimiter).
 *
 * Worked example (the tests'): a namespace of 30 s-grace pods deleted at 60 s: refused
 * creates from 60 s; sync at 65 s (estimate 30: pods Terminating, gone at 95 s); again at
 * 65 + 16 = 81 s (21 s < 30: estimate 30), again at 97 s: nothing left, NamespaceDeleted
 * at 97 s, 37 s after the delete.
 *
 * Simplifications (README "Model fidelity"): no API requests for the controller's
 * deletes or its namespace updates (no status conditions); the collections are the
 * workloads kubesim models and pods; PoissonArrivals are a user, not an object: their
 * creates are refused, their pods deleted; the namespace's other objects (PDBs,
 * Services) stay as they are; one worker (--concurrent-namespace-syncs 10 only matters
 * for many namespaces at once); no token bucket (10 qps) in the rate limiter.
 */
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import { OUTCOME_DELETED, type ClusterState } from "../../apiserver/clusterState.js";
import { PodPhase } from "../../model/podTable.js";
import { DEFAULT_TERMINATION_GRACE_PERIOD_S } from "../../model/wellKnown.js";
import type { PodTemplate } from "../../model/podTemplate.js";
import { NamespacePhase } from "../../apiserver/admission/namespaceLifecycle.js";
import type { DeletableWorkload, GarbageCollector, WorkloadKind } from "../garbageCollector.js";

/** namespace_controller.go namespaceDeletionGracePeriod: the wait before a namespace's deletion is processed. */
export const NAMESPACE_DELETION_GRACE_PERIOD_US = 5 * US_PER_S;
/** nsControllerRateLimiter: NewTypedItemExponentialFailureRateLimiter(5 ms, 60 s). */
export const NAMESPACE_BACKOFF_BASE_US = 5_000;
export const NAMESPACE_BACKOFF_MAX_US = 60 * US_PER_S;

interface Terminating {
  name: string;
  deletedAtUs: number;
  /** Rate-limited requeues in a row (the workqueue's NumRequeues). */
  requeues: number;
}

export class NamespaceController {
  /** Namespace -> its pods not ended. */
  private readonly podsIn = new Map<string, Set<number>>();
  private readonly terminating: Terminating[] = [];
  private readonly syncId: number;
  private readonly outcome: number;
  /** Per template: terminationGracePeriodSeconds. */
  private readonly graceS: number[];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly gc: GarbageCollector,
    private readonly workloads: readonly DeletableWorkload[],
    templates: readonly PodTemplate[],
  ) {
    this.graceS = templates.map((t) => t.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_S);
    this.outcome = cluster.outcomes.id(OUTCOME_DELETED);
    this.syncId = sim.on("namespace.sync", (k) => this.sync(k));
    cluster.onPodCreated.push((pod) => {
      const ns = cluster.pods.namespaces[pod];
      let set = this.podsIn.get(ns);
      if (!set) this.podsIn.set(ns, (set = new Set()));
      set.add(pod);
    });
    cluster.onPodEnded.push((pod) => this.podsIn.get(cluster.pods.namespaces[pod])?.delete(pod));
  }

  /** kubectl delete <kind>/<name> -n <namespace>; false when there is no such workload (any more). */
  deleteWorkload(kind: WorkloadKind, namespace: string, name: string, cause: string): boolean {
    const w = this.workloads.find((x) => x.kind === kind && x.namespace === namespace && x.name === name);
    return w !== undefined && this.gc.deleteWorkload(w, cause);
  }

  /** kubectl delete namespace <name>: Terminating now, the controller's first sync namespaceDeletionGracePeriod later. */
  deleteNamespace(name: string, cause: string): void {
    const lifecycle = this.cluster.namespaces;
    if (lifecycle.phaseOf(name) !== NamespacePhase.Active) return; // already Terminating or gone
    lifecycle.terminate(name);
    this.cluster.events.add(this.sim.now, "NamespaceTerminating", `namespace/${name}`, `${cause}: kubectl delete namespace ${name}: deletionTimestamp set, phase Terminating; NamespaceLifecycle refuses new objects in it`);
    this.terminating.push({ name, deletedAtUs: this.sim.now, requeues: 0 });
    this.sim.schedule(NAMESPACE_DELETION_GRACE_PERIOD_US, this.syncId, this.terminating.length - 1);
  }

  /** Pods of the namespace not ended. */
  podsOf(namespace: string): number[] {
    return [...(this.podsIn.get(namespace) ?? [])].sort((a, b) => a - b);
  }

  /** One sync of Terminating namespace k: delete all content, then finalize or requeue. */
  private sync(k: number): void {
    const ns = this.terminating[k];
    const pods = this.cluster.pods;
    // estimateGracefulTerminationForPods, before the deletes; 0 once that long has passed since the deletionTimestamp
    let estimateS = 0;
    for (const p of this.podsOf(ns.name)) if (pods.phase[p] < PodPhase.Succeeded) estimateS = Math.max(estimateS, this.graceS[pods.template[p]]);
    if (this.sim.now - ns.deletedAtUs >= estimateS * US_PER_S) estimateS = 0;
    for (const w of this.workloads) if (w.namespace === ns.name) this.gc.deleteWorkload(w, `namespace ${ns.name} is being deleted (namespace controller)`);
    for (const p of this.podsOf(ns.name)) this.cluster.deletePod(p, this.outcome);
    const left = this.podsIn.get(ns.name)?.size ?? 0;
    if (left === 0) {
      this.cluster.namespaces.remove(ns.name);
      const refused = this.cluster.namespaces.refused(ns.name).terminating;
      const seconds = (this.sim.now - ns.deletedAtUs) / US_PER_S;
      this.cluster.events.add(this.sim.now, "NamespaceDeleted", `namespace/${ns.name}`, `all content gone: finalized and deleted ${seconds.toFixed(3)} s after its delete; ${refused} create(s) refused while it terminated`);
      return;
    }
    if (estimateS > 0) {
      this.sim.schedule((Math.floor(estimateS / 2) + 1) * US_PER_S, this.syncId, k);
      return;
    }
    const delay = Math.min(NAMESPACE_BACKOFF_BASE_US * 2 ** ns.requeues, NAMESPACE_BACKOFF_MAX_US);
    ns.requeues++;
    this.sim.schedule(delay, this.syncId, k);
  }
}
