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
    return this.deployments.map((d, i) => ({ owner: this.ownerOf[i], name: `Deployment/${d.namespace}/${d.name}`, desired: () => d.replicas }));
  }

  /** Create every Deployment's replicas (at the start of the run). */
  start(): void {
    this.deployments.forEach((d, i) => {
      for (let r = 0; r < d.replicas; r++) this.createReplica(i);
    });
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
    // A pod deleted gracefully was replaced when its deletion began.
    if (d >= 0 && this.cluster.pods.deletionUs[pod] < 0) this.replace(d);
  }

  private podDeleting(pod: number): void {
    const d = this.deploymentOfPod(pod);
    if (d >= 0) this.replace(d);
  }

  private replace(d: number): void {
    this.replacing = this.followReplacementsFromUs >= 0;
    this.createReplica(d);
    this.replacing = false;
  }

  private podCreated(pod: number): void {
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
    if (!available) {
      this.available[d]--;
      if (this.everAvailable[d] && this.unavailableSinceUs[d] < 0) {
        this.unavailableSinceUs[d] = this.sim.now;
        this.cluster.events.add(this.sim.now, "ReplicasUnavailable", `deployment/${spec.namespace}/${spec.name}`, `fewer than ${spec.replicas} replicas available`);
      }
      return;
    }
    if (++this.available[d] < spec.replicas) return;
    this.everAvailable[d] = true;
    const since = this.unavailableSinceUs[d];
    if (since < 0) return;
    const lastedUs = this.sim.now - since;
    this.maxUnavailableUs = Math.max(this.maxUnavailableUs, lastedUs);
    this.unavailableSinceUs[d] = -1;
    this.cluster.events.add(this.sim.now, "ReplicasAvailable", `deployment/${spec.namespace}/${spec.name}`, `all ${spec.replicas} replicas available again after ${(lastedUs / US_PER_S).toFixed(3)} s`);
  }

  private createReplica(d: number): void {
    if (this.replacing) this.pendingReplacements++;
    const spec = this.deployments[d];
    const name = `${spec.name}-${spec.templateHash}-${podNameSuffix(this.created[d]++)}`;
    this.creates.create(d, name, spec.namespace, spec.template, this.ownerOf[d]);
  }
}
