/**
 * The ReplicaSet controller of kube-controller-manager, for the Deployments of a run:
 * each Deployment's ReplicaSet creates spec.replicas pods at the start, and a
 * replacement for every pod of its that ends, or that gets a deletionTimestamp: a
 * Terminating pod no longer counts (FilterActivePods), so an evicted pod is replaced when
 * the eviction starts, not when its kubelet confirms. Its creates go through
 * `PodCreates` (podCreates.ts): at once without a control plane, as API requests of the
 * lease holder with one.
 *
 * It also keeps the availability record behind events.csv and summary.csv: when a
 * Deployment first has fewer than spec.replicas available pods (Running, Ready, not
 * Terminating) after having had them all, and when all are available again, with how
 * long that took. Replacements created after the first node fault are followed until
 * they run (the summary's time from fault to replacements Running).
 *
 * Simplifications (README "Model fidelity"): without a control plane the controller
 * reacts in zero virtual time (no watch delay); no expectations, no slow-start batches,
 * no rollout; one ReplicaSet per Deployment.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { podNameSuffix } from "../apiserver/generateName.js";
import { OUTCOME_DELETED } from "../apiserver/clusterState.js";
import { podsToDelete } from "./podsToDelete.js";
import type { PodCreates } from "./podCreates.js";

/** A Deployment of the run, with its one ReplicaSet. */
export interface DeploymentSpec {
  name: string;
  namespace: string;
  replicas: number;
  template: number;
  /** pod-template-hash label value, as the Deployment controller derives it from the template. */
  templateHash: string;
}

export class ReplicaSetController {
  /** Owner id -> Deployment index; undefined for owners that are not Deployments. */
  private readonly deploymentOf: number[] = [];
  private readonly ownerOf: number[] = [];
  private readonly created: number[] = [];
  /** Per Deployment: pods available now. */
  private readonly available: number[] = [];
  /** Per Deployment: spec.replicas now (a scale action changes it). */
  private readonly desired: number[] = [];
  /** Per Deployment: pods that count (created, not ended, not Terminating), and creates not yet answered. */
  private readonly active: Set<number>[] = [];
  private readonly creating: number[] = [];
  /** Per Deployment: since when fewer than spec.replicas pods run (us), -1 when all do or never did. */
  private readonly unavailableSinceUs: number[] = [];
  private readonly everAvailable: boolean[] = [];
  /** Longest time any Deployment spent below its replica count after first reaching it (us). */
  maxUnavailableUs = 0;
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
  /** Deleting extra pods now: their deletions must not start another reconcile. */
  private scalingDown = false;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly deployments: readonly DeploymentSpec[],
    /** Where creates go: at once without a control plane, API requests with one. */
    private readonly creates: PodCreates,
  ) {
    for (const d of deployments) {
      const owner = cluster.addOwner(`Deployment/${d.namespace}/${d.name}`);
      this.deploymentOf[owner] = this.ownerOf.length;
      this.ownerOf.push(owner);
      this.created.push(0);
      this.available.push(0);
      this.desired.push(d.replicas);
      this.active.push(new Set());
      this.creating.push(0);
      this.unavailableSinceUs.push(-1);
      this.everAvailable.push(false);
    }
    cluster.onPodEnded.push((pod) => this.podEnded(pod));
    cluster.onPodDeleting.push((pod) => this.podDeleting(pod));
    cluster.onPodAvailability.push((pod, available) => this.availability(pod, available));
    cluster.onPodCreated.push((pod) => this.podCreated(pod));
    cluster.onPodRunning.push((pod) => this.podRunning(pod));
  }

  /** Each Deployment's owner id, name (Deployment/<ns>/<name>) and desired replicas, for workloads.csv. */
  workloads(): { owner: number; name: string; desired: () => number }[] {
    return this.deployments.map((d, i) => ({ owner: this.ownerOf[i], name: `Deployment/${d.namespace}/${d.name}`, desired: () => this.desired[i] }));
  }

  /** Create every Deployment's replicas (at the start of the run). */
  start(): void {
    this.deployments.forEach((_, i) => this.reconcile(i));
  }

  /** kubectl scale: the Deployment's ReplicaSet creates or deletes pods to match. */
  scale(d: number, replicas: number): void {
    const spec = this.deployments[d];
    const from = this.desired[d];
    this.desired[d] = replicas;
    if (replicas !== from) this.cluster.events.add(this.sim.now, "ScalingReplicaSet", `deployment/${spec.namespace}/${spec.name}`, `Scaled ${replicas > from ? "up" : "down"} replica set ${spec.name}-${spec.templateHash} from ${from} to ${replicas}`);
    this.reconcile(d);
  }

  /** Replacements still to run. */
  get replacementsNotRunning(): number {
    return this.replacements.size;
  }

  private deploymentOfPod(pod: number): number {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    return d === undefined ? -1 : d;
  }

  private podEnded(pod: number): void {
    this.replacements.delete(pod);
    const d = this.deploymentOfPod(pod);
    // A pod deleted gracefully stopped counting when its deletion began.
    if (d >= 0 && this.active[d].delete(pod)) this.replace(d);
  }

  private podDeleting(pod: number): void {
    const d = this.deploymentOfPod(pod);
    if (d >= 0 && this.active[d].delete(pod)) this.replace(d);
  }

  private replace(d: number): void {
    // The controller's own scale-down deletions are already counted by reconcile.
    if (this.scalingDown) return;
    this.replacing = this.followReplacementsFromUs >= 0;
    this.reconcile(d);
    this.replacing = false;
  }

  /** manageReplicas: create the missing pods, or delete the extra ones in upstream's order. */
  private reconcile(d: number): void {
    const diff = this.desired[d] - (this.active[d].size + this.creating[d]);
    for (let k = 0; k < diff; k++) this.createReplica(d);
    if (diff < 0) {
      this.scalingDown = true;
      for (const pod of podsToDelete([...this.active[d]], -diff, this.cluster)) this.cluster.deletePod(pod, this.cluster.outcomes.id(OUTCOME_DELETED));
      this.scalingDown = false;
    }
  }

  private podCreated(pod: number): void {
    const d0 = this.deploymentOfPod(pod);
    if (d0 >= 0) {
      this.creating[d0]--;
      this.active[d0].add(pod);
    }
    // Creates are answered later with a control plane: a pod created after the fault by a Deployment counts.
    if (this.followReplacementsFromUs < 0 || this.deploymentOfPod(pod) < 0) return;
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
   * Events when a Deployment first falls below its replica count and when all its
   * replicas are available again (how long the loss lasted); the initial ramp-up is not logged.
   */
  private availability(pod: number, available: boolean): void {
    const d = this.deploymentOfPod(pod);
    if (d < 0) return;
    const spec = this.deployments[d];
    const replicas = this.desired[d];
    if (!available) {
      this.available[d]--;
      if (this.everAvailable[d] && this.unavailableSinceUs[d] < 0 && this.available[d] < replicas) {
        this.unavailableSinceUs[d] = this.sim.now;
        this.cluster.events.add(this.sim.now, "ReplicasUnavailable", `deployment/${spec.namespace}/${spec.name}`, `fewer than ${replicas} replicas available`);
      }
      return;
    }
    if (++this.available[d] < replicas) return;
    this.everAvailable[d] = true;
    const since = this.unavailableSinceUs[d];
    if (since < 0) return;
    const lastedUs = this.sim.now - since;
    this.maxUnavailableUs = Math.max(this.maxUnavailableUs, lastedUs);
    this.unavailableSinceUs[d] = -1;
    this.cluster.events.add(this.sim.now, "ReplicasAvailable", `deployment/${spec.namespace}/${spec.name}`, `all ${replicas} replicas available again after ${(lastedUs / US_PER_S).toFixed(3)} s`);
  }

  private createReplica(d: number): void {
    if (this.replacing) this.pendingReplacements++;
    this.creating[d]++;
    const spec = this.deployments[d];
    const name = `${spec.name}-${spec.templateHash}-${podNameSuffix(this.created[d]++)}`;
    this.creates.create(d, name, spec.namespace, spec.template, this.ownerOf[d]);
  }
}
