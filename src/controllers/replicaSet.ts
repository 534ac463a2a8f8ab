/**
 * The ReplicaSet controller of kube-controller-manager, for the Deployments of a run:
 * each Deployment's ReplicaSet creates spec.replicas pods at the start, and a
 * replacement for every pod of its that ends or is lost. Its creates go through
 * `PodCreates` (podCreates.ts): at once without a control plane, as API requests of the
 * lease holder with one.
 *
 * It also keeps the availability record behind events.csv and summary.csv: when a
 * Deployment first runs fewer than spec.replicas pods (after having had them all) and
 * when all run again, with how long that took.
 *
 * Simplifications (README "Model fidelity"): without a control plane the controller
 * reacts in zero virtual time (no watch delay); no expectations, no slow-start batches,
 * no rollout; one ReplicaSet per Deployment.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { podNameSuffix } from "../apiserver/generateName.js";
import { PodPhase } from "../model/podTable.js";
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
  /** Per Deployment: pods Running now. */
  private readonly running: number[] = [];
  /** Per Deployment: since when fewer than spec.replicas pods run (us), -1 when all do or never did. */
  private readonly unavailableSinceUs: number[] = [];
  private readonly everAvailable: boolean[] = [];
  /** Longest time any Deployment spent below its replica count after first reaching it (us). */
  maxUnavailableUs = 0;

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
      this.running.push(0);
      this.unavailableSinceUs.push(-1);
      this.everAvailable.push(false);
    }
    cluster.onPodEnded.push((pod) => this.podEnded(pod));
    cluster.onPodRunning.push((pod) => this.podRunning(pod));
  }

  /** Create every Deployment's replicas (at the start of the run). */
  start(): void {
    this.deployments.forEach((d, i) => {
      for (let r = 0; r < d.replicas; r++) this.createReplica(i);
    });
  }

  private podEnded(pod: number): void {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    if (d === undefined || d < 0) return;
    if (this.cluster.endedPhase === PodPhase.Running) {
      this.running[d]--;
      if (this.everAvailable[d] && this.unavailableSinceUs[d] < 0) {
        this.unavailableSinceUs[d] = this.sim.now;
        const spec = this.deployments[d];
        this.cluster.events.add(this.sim.now, "ReplicasUnavailable", `deployment/${spec.namespace}/${spec.name}`, `fewer than ${spec.replicas} replicas Running`);
      }
    }
    this.createReplica(d);
  }

  /**
   * Events when a Deployment first falls below its replica count and when all its
   * replicas run again (how long the loss lasted); the initial ramp-up is not logged.
   */
  private podRunning(pod: number): void {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    if (d === undefined || d < 0) return;
    const spec = this.deployments[d];
    if (++this.running[d] < spec.replicas) return;
    this.everAvailable[d] = true;
    const since = this.unavailableSinceUs[d];
    if (since < 0) return;
    const lastedUs = this.sim.now - since;
    this.maxUnavailableUs = Math.max(this.maxUnavailableUs, lastedUs);
    this.unavailableSinceUs[d] = -1;
    this.cluster.events.add(this.sim.now, "ReplicasAvailable", `deployment/${spec.namespace}/${spec.name}`, `all ${spec.replicas} replicas Running again after ${(lastedUs / US_PER_S).toFixed(3)} s`);
  }

  private createReplica(d: number): void {
    const spec = this.deployments[d];
    const name = `${spec.name}-${spec.templateHash}-${podNameSuffix(this.created[d]++)}`;
    this.creates.create(d, name, spec.namespace, spec.template, this.ownerOf[d]);
  }
}
